"""Comment threads saved as HTML pages: WordPress comment lists, the most common blog markup.

WordPress (core ``wp_list_comments`` and the themes built on it) writes::

    <ol class="comment-list">            (older themes: "commentlist"; some use <ul>)
      <li id="comment-12" class="comment ... bypostauthor depth-1">
        <div class="comment-author vcard"><b class="fn">Name</b> <span class="says">says:</span>
          <span class="post-author-badge">Post author</span></div>
        <div class="comment-metadata"><a href="#comment-12"><time datetime="2021-03-02T10:00:00+00:00">
        <div class="comment-content"><p>Text</p><p>More text</p></div>
        <div class="reply">...</div>
        <ol class="children"> <li id="comment-13" class="comment ..."> ... </li> </ol>
      </li>

Parsed with the standard library's ``html.parser`` into a small tree: no dependency, and a blog page
of a few hundred comments parses in milliseconds, so a C parser (lxml, selectolax) buys nothing here.
Pingbacks and trackbacks are not comments from people and are skipped.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

from ..errors import InputError
from .base import ParsedThread, RawComment
from .thread_text import slug

COMMENT_ID = re.compile(r"^comment-(\d+)$")
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
HIDDEN = frozenset("script style noscript template svg head button form select textarea".split())
BLOCK = frozenset("""address article aside blockquote dd details dialog div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tr ul""".split())
NOT_BODY = frozenset("""comment-author comment-meta comment-metadata commentmetadata reply
    comment-reply-link comment-awaiting-moderation says post-author-badge by-post-author""".split())
BR = "\0"  # stands for <br> while source whitespace is collapsed
POST_AUTHOR = re.compile(r"\s*\bPost author\s*$", re.IGNORECASE)
DATE_FORMATS = ("%B %d, %Y at %I:%M %p", "%B %d, %Y at %H:%M", "%d %B %Y at %H:%M", "%B %d, %Y")


@dataclass(eq=False)
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: _Node | None = None
    children: list[_Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def elements(self, own: bool = False) -> Iterator[_Node]:
        """Descendant elements in document order; with ``own``, nested comments are left out."""
        stack = [c for c in reversed(self.children) if isinstance(c, _Node)]
        while stack:
            node = stack.pop()
            if own and _is_comment(node):
                continue
            yield node
            stack.extend(c for c in reversed(node.children) if isinstance(c, _Node))


class _TreeBuilder(HTMLParser):
    """Builds a forgiving tree: void elements, implied ``</p>`` and ``</li>``, stray end tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def _close_implied(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):  # an open <p> ends where a block starts
            if self.stack[i].tag == "p":
                del self.stack[i:]
                break
            if self.stack[i].tag in BLOCK:
                break
        if tag == "li":  # and an open <li> where the next item of the same list starts
            for i in range(len(self.stack) - 1, 0, -1):
                if self.stack[i].tag == "li":
                    del self.stack[i:]
                    return
                if self.stack[i].tag in ("ol", "ul"):
                    return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK:
            self._close_implied(tag)
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return  # an end tag with no open element is ignored

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data.replace(BR, ""))


def _is_comment(node: _Node) -> bool:
    classes = node.classes
    return (bool(COMMENT_ID.match(node.attrs.get("id", ""))) and node.tag in ("li", "div", "article")
            and ("comment" in classes or "review" in classes)
            and not classes & {"pingback", "trackback"})


def _text(node: _Node, skip_classes: frozenset[str] = frozenset()) -> str:
    """Text with paragraphs (blank line between blocks) and line breaks kept, other spacing collapsed."""
    paragraphs: list[list[str]] = [[]]

    def walk(n: _Node) -> None:
        for child in n.children:
            if isinstance(child, str):
                paragraphs[-1].append(child)
            elif child.tag in HIDDEN or child.classes & skip_classes:
                continue
            elif child.tag == "br":
                paragraphs[-1].append(BR)
            elif child.tag in BLOCK:
                paragraphs.append([])
                walk(child)
                paragraphs.append([])
            else:
                walk(child)

    walk(node)
    out = []
    for parts in paragraphs:
        lines = [re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split(BR)]
        text = "\n".join(line for line in lines if line)
        if text:
            out.append(text)
    return "\n\n".join(out)


def _first(node: _Node, test: Callable[[_Node], Any], own: bool = True) -> _Node | None:
    """The first descendant passing ``test``; with ``own``, not looking inside nested comments."""
    return next((n for n in node.elements(own) if test(n)), None)


def _created(comment: _Node) -> str | None:
    time = _first(comment, lambda n: n.tag == "time" and n.attrs.get("datetime"))
    if time is not None:
        value = time.attrs["datetime"].strip()
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
        except ValueError:
            pass
    meta = _first(comment, lambda n: n.classes & {"comment-metadata", "commentmetadata"})
    if meta is None:
        return None
    text = re.sub(r"\s+", " ", _text(meta)).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).isoformat()
        except ValueError:
            continue
    return None


def _author(comment: _Node) -> tuple[str | None, bool]:
    badge = "bypostauthor" in comment.classes
    if _first(comment, lambda n: n.classes & {"post-author-badge", "by-post-author"}):
        badge = True
    box = (_first(comment, lambda n: "fn" in n.classes)
           or _first(comment, lambda n: "comment-author" in n.classes))
    if box is None:
        return None, badge
    name = _text(box, frozenset({"says", "post-author-badge", "by-post-author", "screen-reader-text"}))
    name = re.sub(r"\s+", " ", name).strip()
    if POST_AUTHOR.search(name):
        badge, name = True, POST_AUTHOR.sub("", name).strip()
    return name or None, badge


def _body(comment: _Node) -> str:
    content = _first(comment, lambda n: "comment-content" in n.classes)
    if content is not None:
        return _text(content)
    # older themes: paragraphs straight inside div.comment-body, next to author and date blocks
    holder = _first(comment, lambda n: "comment-body" in n.classes) or comment
    own = _Node(holder.tag, {}, None, [c for c in holder.children if not _is_replies(c)])
    return _text(own, NOT_BODY)


def _is_replies(child: _Node | str) -> bool:
    """A nested comment or the list of replies that holds them."""
    return isinstance(child, _Node) and (
        _is_comment(child) or child.tag in ("ol", "ul") and "children" in child.classes)


def _title(root: _Node) -> str:
    for test in (lambda n: n.tag == "h1" and "entry-title" in n.classes,
                 lambda n: n.tag == "h1", lambda n: n.tag == "title"):
        node = _first(root, test, own=False)
        if node is not None:
            text = re.sub(r"\s+", " ", _text(node)).strip().strip("“”\"")
            if text:
                return text[:200]
    return "untitled"


def _url(root: _Node) -> str | None:
    for node in root.elements():
        if node.tag == "link" and "canonical" in node.attrs.get("rel", "").split():
            return node.attrs.get("href") or None
        if node.tag == "meta" and node.attrs.get("property") == "og:url":
            return node.attrs.get("content") or None
    return None


def parse_thread_html(html: str, name: str) -> ParsedThread:
    """Parse a saved HTML page's WordPress comment list into a thread keyed ``blog:<title slug>``.

    Comments come in document order; ``native_id`` is the element id (``comment-123``). A page with
    no recognisable comment (an article nobody commented on) gives a thread with no comments.
    """
    builder = _TreeBuilder()
    try:
        builder.feed(html)
        builder.close()
    except AssertionError as exc:  # html.parser's way of giving up on badly broken markup
        raise InputError(f"{name}: cannot parse HTML ({exc})") from None
    root = builder.root
    title = _title(root)
    url = _url(root)
    thread = ParsedThread(key=f"blog:{slug(title)}", title=title, url=url)
    for node in root.elements():
        if not _is_comment(node):
            continue
        parent = node.parent
        while parent is not None and not _is_comment(parent):
            parent = parent.parent
        author, post_author = _author(node)
        thread.comments.append(RawComment(
            native_id=node.attrs["id"], parent_id=parent.attrs["id"] if parent is not None else None,
            author=author, body=_body(node), created=_created(node), post_author=post_author,
            permalink=f"{url.split('#')[0]}#{node.attrs['id']}" if url else None,
        ))
    return thread  # an article without comments: zero comments, as for a text article
