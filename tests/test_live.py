"""Live Reddit collection end to end against the fake Reddit: search, trees, incremental runs,
deletion re-sync, and no username reaching a view or report."""
from __future__ import annotations

import sqlite3

import pytest

from fake_reddit import FakeRedditSite, offline_praw
from rhizo_voices.cli import main
from rhizo_voices.ingest.live import collect_reddit, resync_reddit
from rhizo_voices.pipeline import analyze
from rhizo_voices.report import render

USERS = ["op_example", "user_a", "user_b", "someone_else"]


@pytest.fixture
def site(monkeypatch) -> FakeRedditSite:
    offline_praw(monkeypatch)
    s = FakeRedditSite()
    s.add_submission("ChronicPain", "new1", "My rhizotomy experience",
                     "Legs burned for a week after my RFA.", author="op_example", created_utc=1_700_000_000)
    s.add_comment("new1", "a", "t3_new1", "Same for me, my leg was burning after the rhizotomy. "
                  "Ask /u/someone_else, she had it too.", author="user_a")
    s.add_comment("new1", "b", "t1_a", "Did it last? My foot went numb after mine.", author="user_b",
                  collapsed=True)
    return s


def collect(engine, db_file, site):
    return collect_reddit(engine, db_file, subreddits=["ChronicPain"], query="rhizotomy",
                          time_filter="all", limit=10, more_limit=8, submissions=(), site=None,
                          say=lambda m: None, requestor_kwargs={"session": site})


def rows(db_file, sql):
    with sqlite3.connect(db_file) as conn:
        return conn.execute(sql).fetchall()


def test_search_incremental_resync(engine, db_file, site):
    first = collect(engine, db_file, site)
    assert (first.new, first.threads) == (3, 1)  # the submission and its two comments, one collapsed
    links = rows(db_file, "SELECT c.native_id, p.native_id FROM comment c "
                          "LEFT JOIN comment p ON p.id = c.parent_id ORDER BY c.id")
    assert links == [("t3_new1", None), ("t1_a", "t3_new1"), ("t1_b", "t1_a")]

    site.add_submission("ChronicPain", "new2", "Second rhizotomy", "Numb again.", author="user_b",
                        created_utc=1_700_100_000)
    second = collect(engine, db_file, site)
    assert (second.new, second.threads) == (1, 1)  # only the newer submission was fetched
    assert not any(c.path == "/comments/new1/" for c in site.calls[-3:])

    analyze(engine)
    assert rows(db_file, "SELECT status FROM v_comments WHERE comment_id = 3") == [("approved",)]
    site.delete_comment("b", "[removed]")
    assert resync_reddit(engine, None, {"session": site}) == 1
    analyze(engine)
    assert rows(db_file, "SELECT status FROM v_comments WHERE comment_id = 3") == [("withdrawn",)]


def test_usernames_never_reach_views_or_reports(engine, db_file, site):
    collect(engine, db_file, site)
    analyze(engine)
    blob = "\n".join(t or "" for (t,) in rows(db_file, "SELECT text FROM v_comments"))
    blob += "\n".join(r for (r,) in rows(db_file, "SELECT thread FROM v_comments"))
    blob += "\n".join(e for (e,) in rows(db_file, "SELECT evidence FROM v_symptom_mentions"))
    blob += render(engine, "md", 1) + render(engine, "json", 1) + render(engine, "csv", 1)
    for user in USERS:
        assert user not in blob
    assert "[USER]" in blob


def test_missing_credentials_is_a_clear_error(runner, db_file, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no praw.ini here
    for var in ("praw_client_id", "praw_client_secret", "praw_site"):
        monkeypatch.delenv(var, raising=False)
    result = runner.invoke(main, ["--db", str(db_file), "ingest", "reddit", "--subreddit", "x"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Reddit credentials" in result.output
    assert len(result.output.strip().splitlines()) == 1
