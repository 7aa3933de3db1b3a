"""Reddit: saved /comments/<id>.json files, and live collection through praw against a fake Reddit."""
from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

import pytest

from fake_reddit import TOKEN, FakeRedditSite
from rhizo_voices.errors import CredentialsError, InputError
from rhizo_voices.ingest.reddit import (fetch_submissions, load_reddit_json, make_reddit,
                                        parse_reddit_json, removed_ids, search_threads, user_agent)

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]
SECRET = "s3cret-value-never-shown"


def _script():
    spec = importlib.util.spec_from_file_location("make_reddit_fixture",
                                                  ROOT / "scripts" / "make_reddit_fixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(thread):
    return [(c.native_id, c.parent_id, c.author, c.body, c.deleted) for c in thread.comments]


# ------------------------------------------------------------------------------------ saved JSON
def test_small_saved_thread_exact():
    thread = load_reddit_json(DATA / "reddit_small.json")
    assert (thread.key, thread.title) == ("reddit:sm1abc", "RFA & rhizotomy: 6 months later")
    assert thread.url == "https://www.reddit.com/r/SyntheticPain/comments/sm1abc/rfa_rhizotomy/"
    assert _rows(thread) == [
        ("t3_sm1abc", None, "throwaway_example",
         "RFA & rhizotomy: 6 months later\n\nBurning in my legs <3 weeks after.", False),
        ("t1_c1", "t3_sm1abc", "reader_one", "Mine was fine.", False),
        ("t1_c2", "t1_c1", None, "[deleted]", True),
        ("t1_c3", "t1_c2", "reader_three", "Replying to a deleted one.", False),
        ("t1_c4", "t3_sm1abc", None, "Account gone, text kept.", False),
        ("t1_c5", "t3_sm1abc", "mod_victim", "[removed]", True),
    ]
    sub, c1 = thread.comments[0], thread.comments[1]
    assert (sub.kind, sub.created, sub.score) == ("submission", "2023-11-14T22:13:20+00:00", 42)
    assert (c1.kind, c1.created, c1.score) == ("comment", "2023-11-14T22:23:20+00:00", 3)
    assert c1.permalink == "https://www.reddit.com/r/SyntheticPain/comments/sm1abc/rfa_rhizotomy/c1/"
    assert (thread.more_stubs, thread.unexpanded) == (2, 4)


def test_big_saved_thread_parents_right():
    script = _script()
    data, parents, counts = script.generate()
    path = DATA / "reddit_big.json"
    assert path.read_text(encoding="utf-8") == script.render(data)  # the fixture is reproducible
    thread = load_reddit_json(path)
    comments = [c for c in thread.comments if c.kind == "comment"]
    assert len(comments) == counts["comments"] == 500
    assert {c.native_id: c.parent_id for c in comments} == parents
    seen = {"t3_fx6big"}
    for c in comments:  # display order: every parent comes before its replies
        assert c.parent_id in seen
        seen.add(c.native_id)
    assert sum(c.deleted for c in comments) == counts["deleted"] + counts["removed"] == 23
    assert sum(c.author is None for c in comments) == counts["deleted"] == 12
    assert (thread.more_stubs, thread.unexpanded) == (2, 10)
    assert sum("Tom & Jerry <3" in c.body for c in comments) > 0
    assert not any("&amp;" in c.body or "&lt;" in c.body for c in comments)


@pytest.mark.parametrize("data, message", [
    ({}, "x.json: not a saved Reddit thread: expected a list of two Listings "
         "(the JSON of /comments/<id>.json)"),
    ([{"kind": "Listing"}, {}], "x.json: not a saved Reddit thread: the first element is not a Listing"),
    ([{"kind": "Listing", "data": {"children": []}}, {"kind": "Listing", "data": {"children": []}}],
     "x.json: not a saved Reddit thread: the first Listing holds no submission"),
    ([{"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {}}]}},
      {"kind": "Listing", "data": {"children": []}}],
     "x.json: not a saved Reddit thread: the first Listing holds a 't1', not a t3"),
    ([{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "a", "title": "T"}}]}},
      {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {"id": "b"}}]}}],
     "x.json: not a saved Reddit thread: t1_b has no text field 'body'"),
    ([{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "a", "title": "T"}}]}},
      {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {"id": "b", "body": "x"}},
                                                {"kind": "t1", "data": {"id": "b", "body": "y"}}]}}],
     "x.json: comment t1_b appears twice"),
    ([{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "a", "title": "T"}}]}},
      {"kind": "Listing", "data": {"children": ["oops"]}}],
     "x.json: not a saved Reddit thread: top-level comment 1 is not a Reddit thing"),
])
def test_wrong_shape_names_the_file(data, message):
    with pytest.raises(InputError) as info:
        parse_reddit_json(data, "x.json")
    assert str(info.value) == message


def test_parent_missing_from_file_falls_back_to_nesting():
    data = [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "a", "title": "T"}}]}},
            {"kind": "Listing", "data": {"children": [
                {"kind": "t1", "data": {"id": "b", "body": "x", "parent_id": "t1_notsaved"}}]}}]
    assert _rows(parse_reddit_json(data, "x"))[1] == ("t1_b", "t3_a", None, "x", False)


@pytest.mark.parametrize("content, message", [
    (b'[{"kind": "Listing",\n  "data": }]', "{path}:2: not valid JSON (Expecting value, column 11)"),
    (b'[\n"caf\xe9"]', "{path}:2: not valid UTF-8 (byte 6)"),
    (b"  \n", "{path}: empty file, nothing to ingest"),
])
def test_load_errors_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "saved.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_reddit_json(path)
    assert str(info.value) == message.format(path=path)


def test_load_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"nope\.json: no such file$"):
        load_reddit_json(tmp_path / "nope.json")


# ------------------------------------------------------------------------------------------- live
@pytest.fixture
def site() -> FakeRedditSite:
    s = FakeRedditSite()
    s.add_submission("ChronicPain", "old1", "Rhizotomy a year on", "Still fine.", created_utc=1_690_000_000)
    s.add_comment("old1", "o1", "t3_old1", "Glad to hear.", created_utc=1_690_000_500)
    s.add_submission("ChronicPain", "off1", "Unrelated question", "Nothing here.", created_utc=1_695_000_000)
    s.add_submission("ChronicPain", "new1", "My rhizotomy experience", "Legs burned for a week.",
                     author="op_example", created_utc=1_700_000_000)
    s.add_comment("new1", "a", "t3_new1", "Same for me.", author="user_a")
    s.add_comment("new1", "b", "t1_a", "How long did it last?", author="user_b")
    s.add_comment("new1", "c", "t1_b", "About a month.", author="user_a", collapsed=True)
    s.add_comment("new1", "d", "t1_c", "Thanks.", author="user_b")
    s.add_comment("new1", "e", "t3_new1", "Numb patch on my back.", author="user_e", collapsed=True)
    s.add_comment("new1", "f", "t3_new1", "Gone soon.", author="user_f")
    s.delete_comment("f", "[deleted]")
    s.add_submission("backpain", "bp1", "RFA and rhizotomy questions", "", created_utc=1_699_000_000)
    return s


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr(time, "sleep", recorded.append)
    return recorded


@pytest.fixture
def reddit(site, sleeps, monkeypatch):
    for var in ("praw_user_agent", "praw_site", "praw_username", "praw_password"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("praw_client_id", "fake-client-id")
    monkeypatch.setenv("praw_client_secret", SECRET)
    return make_reddit(requestor_kwargs={"session": site})


NEW1_ROWS = [
    ("t3_new1", None, "op_example", "My rhizotomy experience\n\nLegs burned for a week.", False),
    ("t1_a", "t3_new1", "user_a", "Same for me.", False),
    ("t1_b", "t1_a", "user_b", "How long did it last?", False),
    ("t1_c", "t1_b", "user_a", "About a month.", False),
    ("t1_d", "t1_c", "user_b", "Thanks.", False),
    ("t1_f", "t3_new1", None, "[deleted]", True),
    ("t1_e", "t3_new1", "user_e", "Numb patch on my back.", False),
]


def test_search_fetches_whole_trees(reddit, site, sleeps):
    ticks: list[int] = []
    threads = list(search_threads(reddit, ["ChronicPain", "r/backpain"], "rhizotomy", "year", 10,
                                  None, None, ticks.append))
    assert [t.key for t in threads] == ["reddit:new1", "reddit:old1", "reddit:bp1"]
    assert _rows(threads[0]) == NEW1_ROWS
    assert (threads[0].unexpanded, threads[0].more_stubs) == (0, 0)
    assert threads[0].url == "https://www.reddit.com/r/ChronicPain/comments/new1/My rhizotomy experie/"
    assert threads[0].comments[0].created == "2023-11-14T22:13:20+00:00"
    assert _rows(threads[2]) == [("t3_bp1", None, "op_user", "RFA and rhizotomy questions", False)]
    assert ticks == [1, 1, 1]
    assert site.api_calls() == [
        "GET /r/ChronicPain/search/", "GET /comments/new1/", "POST /api/morechildren/",
        "POST /api/morechildren/", "GET /comments/old1/", "GET /r/backpain/search/", "GET /comments/bp1/"]
    search = next(c for c in site.calls if c.path == "/r/ChronicPain/search/")
    assert {k: search.params[k] for k in ("q", "sort", "t", "restrict_sr")} == {
        "q": "rhizotomy", "sort": "new", "t": "year", "restrict_sr": True}
    assert search.headers["Authorization"] == f"bearer {TOKEN}"
    assert site.headers["User-Agent"].startswith(f"{sys.platform}:rhizo-voices:0.1.0 (")
    assert sleeps == []  # the fake's headers leave plenty of budget


@pytest.mark.parametrize("limit, ids, unexpanded, stubs, calls", [
    (0, ["t3_new1", "t1_a", "t1_b", "t1_f"], 3, 2, 0),
    (1, ["t3_new1", "t1_a", "t1_b", "t1_c", "t1_d", "t1_f"], 1, 1, 1),  # the biggest stub first
    (2, [r[0] for r in NEW1_ROWS], 0, 0, 2),
])
def test_more_limit_bounds_expansion(reddit, site, limit, ids, unexpanded, stubs, calls):
    [thread] = fetch_submissions(reddit, ["new1"], limit)
    assert [c.native_id for c in thread.comments] == ids
    assert (thread.unexpanded, thread.more_stubs) == (unexpanded, stubs)
    assert site.api_calls().count("POST /api/morechildren/") == calls


def test_bad_time_filter(reddit, site):
    with pytest.raises(InputError, match=r"^time filter 'decade' is not one of all, day, hour, month"):
        list(search_threads(reddit, ["backpain"], "x", "decade", 5, None, None))
    assert site.calls == []


def test_incremental_skips_what_is_not_newer(reddit, site):
    threads = list(search_threads(reddit, ["ChronicPain"], "rhizotomy", "all", 10, 1_690_000_000, None))
    assert [t.key for t in threads] == ["reddit:new1"]
    assert "GET /comments/old1/" not in site.api_calls()


def test_no_query_lists_new_posts(reddit, site):
    threads = list(search_threads(reddit, ["ChronicPain"], None, "all", 2, None, 0))
    assert [t.key for t in threads] == ["reddit:new1", "reddit:off1"]
    assert site.api_calls()[0] == "GET /r/ChronicPain/new"


def test_fetch_by_id_fullname_and_url(reddit):
    refs = ["old1", "t3_old1", "https://www.reddit.com/r/ChronicPain/comments/old1/rhizotomy/"]
    threads = list(fetch_submissions(reddit, refs, None))
    assert [_rows(t) for t in threads] == [[
        ("t3_old1", None, "op_user", "Rhizotomy a year on\n\nStill fine.", False),
        ("t1_o1", "t3_old1", "someone", "Glad to hear.", False)]] * 3


def test_unknown_submission_and_subreddit_are_input_errors(reddit):
    with pytest.raises(InputError, match=r"^nosuch: not found on Reddit$"):
        list(fetch_submissions(reddit, ["nosuch"], None))
    with pytest.raises(InputError, match=r"^r/NoSuchSub: not found on Reddit$"):
        list(search_threads(reddit, ["NoSuchSub"], "x", "all", 5, None, None))


def test_removed_ids_in_batches_of_100(reddit, site):
    site.delete_comment("b", "[removed]")
    asked = ["t1_a", "t1_b", "t1_f", "t3_new1", "t3_old1", "not-a-fullname"]
    asked += [f"t1_gone{i}" for i in range(245)]
    gone = removed_ids(reddit, asked)
    assert gone == {"t1_b", "t1_f"} | {f"t1_gone{i}" for i in range(245)}
    info = [c for c in site.calls if c.path == "/api/info/"]
    assert [len(c.params["id"].split(",")) for c in info] == [100, 100, 50]


def test_praw_waits_when_the_rate_limit_runs_out(reddit, site, sleeps):
    site.ratelimit = {1: (0.0, 600, 7)}  # the first API answer: budget spent, resets in 7 s
    list(search_threads(reddit, ["backpain"], "rhizotomy", "all", 5, None, None))
    assert site.api_calls() == ["GET /r/backpain/search/", "GET /comments/bp1/"]
    assert len(sleeps) == 1 and 6.0 < sleeps[0] <= 7.0


def test_rejected_credentials(reddit, site):
    site.token_status = 401
    with pytest.raises(CredentialsError) as info:
        list(search_threads(reddit, ["backpain"], "x", "all", 5, None, None))
    message = str(info.value)
    assert message.startswith("Reddit rejected the credentials (HTTP 401); create a 'script' app at "
                              "https://www.reddit.com/prefs/apps")
    assert SECRET not in message and "fake-client-id" not in message
    assert site.api_calls() == []


def test_wrong_password_of_a_script_app(reddit, site):
    site.token_error = "invalid_grant"
    with pytest.raises(CredentialsError, match=r"^Reddit rejected the credentials \(invalid_grant\); "):
        list(fetch_submissions(reddit, ["old1"], None))


def test_missing_credentials(monkeypatch):
    monkeypatch.delenv("praw_client_id", raising=False)
    monkeypatch.delenv("praw_site", raising=False)
    monkeypatch.setenv("praw_client_secret", SECRET)
    with pytest.raises(CredentialsError) as info:
        make_reddit()
    assert str(info.value).startswith("no Reddit client_id configured (site [DEFAULT]); create a "
                                      "'script' app at https://www.reddit.com/prefs/apps, then set")
    assert SECRET not in str(info.value)


def test_unknown_praw_ini_site(monkeypatch):
    with pytest.raises(CredentialsError, match=r"^praw.ini has no site \[nosuchsite\]; create"):
        make_reddit("nosuchsite")


def test_user_agent_format(monkeypatch, site):
    assert user_agent("someone") == f"{sys.platform}:rhizo-voices:0.1.0 (by /u/someone)"
    monkeypatch.setenv("praw_client_id", "id")
    monkeypatch.setenv("praw_client_secret", "x")
    monkeypatch.setenv("praw_user_agent", "linux:my-study:1.0 (by /u/researcher)")
    make_reddit(requestor_kwargs={"session": site})
    assert site.headers["User-Agent"].startswith("linux:my-study:1.0 (by /u/researcher) PRAW/")


def test_saved_and_live_agree_on_shape(reddit, site, tmp_path):
    """The same thread saved from the comments endpoint parses like the live tree."""
    saved = tmp_path / "new1.json"
    site.collapsed.clear()
    status_payload = site._route("GET", "/comments/new1/", {}, {})
    saved.write_text(json.dumps(status_payload[1]), encoding="utf-8")
    assert _rows(load_reddit_json(saved)) == NEW1_ROWS[:5] + [NEW1_ROWS[6], NEW1_ROWS[5]]
