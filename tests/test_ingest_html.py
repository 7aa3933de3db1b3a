"""Saved WordPress pages: nesting, authors, dates, the post author, scripts ignored."""
from __future__ import annotations

from pathlib import Path


from rhizo_voices.ingest.html import parse_thread_html

DATA = Path(__file__).parent / "data"
PAGE = "https://blog.example.org/life-after-nerve-ablation/"


def _parse(name: str):
    return parse_thread_html((DATA / name).read_text(encoding="utf-8"), name)


def test_wordpress_thread_exact():
    thread = _parse("wp_thread.html")
    assert (thread.key, thread.title, thread.url) == (
        "blog:life-after-nerve-ablation", "Life After Nerve Ablation", PAGE)
    assert [(c.native_id, c.parent_id, c.author, c.post_author, c.created) for c in thread.comments] == [
        ("comment-101", None, "Dana Q", False, "2021-03-02T10:15:00+00:00"),
        ("comment-102", "comment-101", "Clinic Team", True, "2021-03-03T08:00:00+00:00"),
        ("comment-104", "comment-102", "Dana Q", False, "2021-03-04T09:30:00+00:00"),
        ("comment-105", None, "Sam", False, "2021-04-01T12:00:00+00:00"),
    ]  # the pingback (comment-103) and the comment-like strings in <script>/<style> are not comments
    assert [c.body for c in thread.comments] == [
        "Had the procedure in January. The first week my left leg burned.\n\n"
        "Now it is better & I walk daily.\nStill sore when sitting.",
        "Thanks for sharing, Dana.",
        "You\u2019re welcome.",
        "No numbness for me at all.",
    ]
    assert thread.comments[0].permalink == PAGE + "#comment-101"
    assert {c.kind for c in thread.comments} == {"comment"}
    assert not any(c.deleted or c.score is not None for c in thread.comments)


def test_old_theme_without_comment_content_or_closing_tags():
    thread = _parse("wp_old_theme.html")
    assert (thread.key, thread.title, thread.url) == (
        "blog:old-theme-post-example", "Old Theme Post | Example", None)
    assert [(c.native_id, c.parent_id, c.author, c.post_author, c.created, c.body)
            for c in thread.comments] == [
        ("comment-7", None, "Pat Author", True, "2019-06-05T15:04:00",
         "First paragraph\n\nSecond paragraph, never closed"),
        ("comment-8", None, "Lee", False, None, "An open li closed by the next one."),
    ]


def test_post_author_label_in_the_name():
    html = ('<html><title>T</title><ol class="comment-list"><li id="comment-1" class="comment">'
            '<div class="comment-author"><span class="fn">Editor Post author</span></div>'
            '<div class="comment-content">Hi</div></li></ol></html>')
    [comment] = parse_thread_html(html, "p.html").comments
    assert (comment.author, comment.post_author, comment.body) == ("Editor", True, "Hi")


def test_an_article_without_comments_gives_zero_comments():
    """Like a text article: nobody commented, which is not an error (it used to fail the whole batch)."""
    thread = _parse("wp_no_comments.html")
    assert thread.comments == [] and thread.key.startswith("blog:")


def test_a_long_page_parses_whole():
    item = ('<li id="comment-{i}" class="comment"><div class="comment-author"><b class="fn">P{i}</b></div>'
            '<time datetime="2021-01-01T00:00:00+00:00">x</time><div class="comment-content"><p>Body {i}'
            '</p></div><ol class="children">{kids}</ol></li>')
    html = "<html><h1>Long</h1><ol class='comment-list'>" + "".join(
        item.format(i=i, kids=item.format(i=1000 + i, kids="")) for i in range(300)) + "</ol></html>"
    thread = parse_thread_html(html, "long.html")
    assert len(thread.comments) == 600
    assert thread.comments[1].parent_id == "comment-0" and thread.comments[1].body == "Body 1000"
