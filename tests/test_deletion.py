"""Deletion is final: a comment deleted at its source loses its text everywhere, cannot be approved
back, stays withdrawn across re-syncs and analyses, and leaves no raw text behind."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from fake_reddit import FakeRedditSite, offline_praw
from rhizo_voices.cli import main
from rhizo_voices.ingest.live import collect_reddit, resync_reddit
from rhizo_voices.pipeline import analyze
from rhizo_voices.report import render
from rhizo_voices.report.explain import explain

DATA = Path(__file__).parent / "data"
BODY_B = "Did it last? My foot went numb after mine."


@pytest.fixture
def site(monkeypatch) -> FakeRedditSite:
    offline_praw(monkeypatch)
    s = FakeRedditSite()
    s.add_submission("ChronicPain", "new1", "My rhizotomy experience",
                     "Legs burned for a week after my RFA.", author="op_example", created_utc=1_700_000_000)
    s.add_comment("new1", "a", "t3_new1", "Same for me, my leg was burning after the rhizotomy.",
                  author="user_a")
    s.add_comment("new1", "b", "t1_a", BODY_B, author="user_b")
    return s


def rows(db_file, sql, *args):
    with sqlite3.connect(db_file) as conn:
        return conn.execute(sql, args).fetchall()


def collect(engine, db_file, site):
    return collect_reddit(engine, db_file, subreddits=["ChronicPain"], query="rhizotomy",
                          time_filter="all", limit=10, more_limit=8, submissions=(), site=None,
                          say=lambda m: None, requestor_kwargs={"session": site})


def test_deleted_at_source_is_gone_everywhere_and_stays_gone(runner, engine, db_file, site):
    collect(engine, db_file, site)
    analyze(engine)
    assert rows(db_file, "SELECT status FROM v_comments WHERE comment_id = 3") == [("approved",)]
    assert rows(db_file, "SELECT count(*) FROM v_symptom_mentions WHERE comment_id = 3") == [(1,)]
    # a moderator approved comment 2 by hand before it, too, was deleted
    ok = runner.invoke(main, ["--db", str(db_file), "-q", "moderate", "approve", "2"])
    assert ok.exit_code == 0, ok.output

    site.delete_comment("b", "[removed]")
    site.delete_comment("a", "[deleted]")
    assert resync_reddit(engine, None, {"session": site}) == 2  # withdrawn now, not at the next analyze
    for _ in range(2):  # and still after an analysis and a second re-sync
        assert rows(db_file, "SELECT comment_id, status, text FROM v_comments WHERE comment_id IN (2, 3)") == [
            (2, "withdrawn", None), (3, "withdrawn", None)]
        assert rows(db_file, "SELECT count(*) FROM v_symptom_mentions WHERE comment_id IN (2, 3)") == [(0,)]
        assert rows(db_file, "SELECT body, author FROM comment WHERE id IN (2, 3)") == [(None, None)] * 2
        assert rows(db_file, "SELECT count(*) FROM flag WHERE comment_id IN (2, 3)") == [(0,)]
        analyze(engine)
        assert resync_reddit(engine, None, {"session": site}) == 0

    blob = render(engine, "md", 1) + render(engine, "json", 1) + render(engine, "csv", 1)
    blob += repr(explain(engine, "numbness")) + repr(explain(engine, "leg_burning"))
    for phrase in ("foot went numb", "Did it last", "Same for me", "leg was burning"):
        assert phrase not in blob

    refused = runner.invoke(main, ["--db", str(db_file), "-q", "moderate", "approve", "3"])
    assert refused.exit_code == 1
    assert refused.output == ("Error: comment 3 was deleted at its source; a deleted comment cannot "
                              "be approved, rejected or counted again\n")
    assert rows(db_file, "SELECT status FROM v_comments WHERE comment_id = 3") == [("withdrawn",)]
    shown = runner.invoke(main, ["--db", str(db_file), "-q", "moderate", "show", "3"])
    assert "(deleted at its source: text removed)" in shown.output and "numb" not in shown.output


def test_resync_from_json_says_how_many_it_withdrew(runner, db_file, tmp_path):
    first = runner.invoke(main, ["--db", str(db_file), "-q", "ingest", "reddit-json",
                                 str(DATA / "reddit_small.json")])
    assert first.exit_code == 0, first.output
    assert runner.invoke(main, ["--db", str(db_file), "-q", "analyze", "--no-topics"]).exit_code == 0
    # comments deleted when first ingested keep no raw text either
    assert rows(db_file, "SELECT native_id, body FROM comment WHERE deleted ORDER BY native_id") == [
        ("t1_c2", None), ("t1_c5", None)]
    assert rows(db_file, "SELECT status, text FROM v_comments v JOIN comment c ON c.id = v.comment_id "
                         "WHERE c.native_id = 't1_c2'") == [("withdrawn", None)]
    newer = json.loads((DATA / "reddit_small.json").read_text())
    c1 = newer[1]["data"]["children"][0]["data"]
    assert c1["id"] == "c1"
    c1["body"], c1["author"] = "[deleted]", "[deleted]"
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(newer))
    out = runner.invoke(main, ["--db", str(db_file), "resync", "--from-json", str(path)])
    assert out.exit_code == 0, out.output
    assert out.output == f"{path}: withdrew 1 comment(s) deleted at the source\n"
    assert rows(db_file, "SELECT status, text FROM v_comments v JOIN comment c ON c.id = v.comment_id "
                         "WHERE c.native_id = 't1_c1'") == [("withdrawn", None)]


def test_purge_raw_removes_raw_text_of_withdrawn_unanalysed_comments(runner, db_file, tmp_path):
    # a deleted comment never analysed: purge-raw must still leave no raw text of it
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "1", "thread": "t", "author": "a", "created": "2024-01-02", "parent": null, '
                    '"body": "My leg burned after the rhizotomy."}\n')
    assert runner.invoke(main, ["--db", str(db_file), "-q", "ingest", "jsonl", str(path)]).exit_code == 0
    path.write_text('{"id": "1", "thread": "t", "author": "a", "created": "2024-01-02", "parent": null, '
                    '"body": "[deleted]"}\n')
    assert runner.invoke(main, ["--db", str(db_file), "-q", "ingest", "jsonl", str(path)]).exit_code == 0
    out = runner.invoke(main, ["--db", str(db_file), "-q", "purge-raw", "--yes"])
    assert out.exit_code == 0, out.output
    assert rows(db_file, "SELECT body, author FROM comment") == [(None, None)]
    assert rows(db_file, "SELECT status, text FROM v_comments") == [("withdrawn", None)]


def test_a_deleted_submission_takes_its_title_with_it(engine, db_file):
    from rhizo_voices.ingest.base import ParsedThread, RawComment
    from rhizo_voices.ingest.store import store_threads

    def thread(deleted):
        post = RawComment(native_id="t3_p", parent_id=None, author=None if deleted else "op",
                          body="[deleted]" if deleted else "My RFA story", kind="submission", deleted=deleted)
        reply = RawComment(native_id="t1_r", parent_id="t3_p", author="x", body="Same here after my RFA.")
        return [ParsedThread(key="reddit:p", title="Zed's RFA in Springfield", comments=[post, reply])]
    store_threads(engine, db_file, thread(False), kind="reddit_json", locator="a", content_hash="a")
    assert rows(db_file, "SELECT title FROM thread") == [("Zed's RFA in Springfield",)]
    result = store_threads(engine, db_file, thread(True), kind="reddit_json", locator="b", content_hash="b")
    assert (result.updated, result.withdrawn) == (1, 1)
    (label,) = rows(db_file, "SELECT label FROM thread")[0]
    assert rows(db_file, "SELECT title FROM thread") == [(label,)] and label.startswith("reddit:")
