"""Structured decisions: events store the rules that fired as data, the report reads that data (not
reason text), every reader counts through the one counting view, and the CLI runs no SQL of its own."""
from __future__ import annotations

import json
import re
import sqlite3

import pytest

from conftest import ROOT
from rhizo_voices import migrations
from rhizo_voices.cli import main
from rhizo_voices.db import open_db
from rhizo_voices.report.explain import explain

BODY = "Had my lower back RFA in March; my left leg burned for weeks after it and my foot went numb."


def q(db_file, sql, *args):
    with sqlite3.connect(db_file) as conn:
        return conn.execute(sql, args).fetchall()


def run(runner, db_file, *args):
    result = runner.invoke(main, ["--db", str(db_file), "--quiet", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def decided(runner, db_file, tmp_path):
    rows = [("a1", "Ann", BODY), ("a2", "Ann", BODY),  # the second is a duplicate: rejected
            ("a3", "Ann", "Oops posted twice, please delete the duplicate."),
            ("b1", "Bea", "After my rhizotomy last year my legs burned and I fell twice on the stairs.")]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({"id": i, "thread": "t", "author": a, "created": "2024-05-01",
                                        "parent": None, "body": b}) + "\n" for i, a, b in rows))
    run(runner, db_file, "ingest", "jsonl", str(path))
    run(runner, db_file, "analyze", "--no-topics")
    return db_file


def rules_of(db_file, native_id):
    return [json.loads(r) for (r,) in q(db_file, "SELECT e.rules FROM moderation_event e JOIN comment c "
                                                 "ON c.id = e.comment_id WHERE c.native_id = ? ORDER BY e.id",
                                        native_id)]


def test_events_store_the_rules_that_fired_as_data(decided):
    assert rules_of(decided, "b1") == [[]]  # approved: no rule fired
    assert rules_of(decided, "a3") == [[{"rule": "deletion_request", "action": "reject"}]]
    # a2 is first rejected as a duplicate, then withdrawn because its author asked for it
    assert rules_of(decided, "a2")[-1] == [{"rule": "deletion_request", "action": "withdraw"}]
    assert q(decided, "SELECT s.status FROM comment_status s JOIN comment c ON c.id = s.comment_id "
                      "WHERE c.native_id IN ('a2', 'a3') ORDER BY c.native_id") == [("withdrawn",), ("rejected",)]


def test_the_report_reads_rules_not_reason_text(runner, decided):
    # reason texts are for people: garbling them changes nothing in the report
    with sqlite3.connect(decided) as conn:
        conn.execute("UPDATE moderation_event SET reason = 'duplicate -> reject (policy X) (in comment 7)'")
    data = json.loads(run(runner, decided, "report", "--format", "json"))
    assert data["moderation"]["rejected_by_reason"] == {"only a request to delete an earlier comment": 1}
    assert data["moderation"]["withdrawn_by_reason"] == {"the author asked for it to be deleted": 1}
    md = run(runner, decided, "report")
    assert "Rejected: only a request to delete an earlier comment (1)." in md.splitlines()
    assert "policy" not in md.split("## Method")[0]  # no policy jargon before the method section
    assert "deletion_request" not in md


def test_every_reader_counts_through_the_counting_view(runner, decided, monkeypatch):
    """Narrow the one counting view: the summary view, the report and --explain all follow it."""
    from rhizo_voices import db
    before = json.loads(run(runner, decided, "report", "--format", "json", "--min-cell", "1"))
    assert before["corpus"]["patient_reporters"] == 2
    assert {r["category"]: r["reporters"] for r in before["symptoms"]}["falls"] == 1
    (bea,) = q(decided, "SELECT id FROM comment WHERE native_id = 'b1'")[0]
    monkeypatch.setitem(db.VIEWS, "v_counted_comments", db.VIEWS["v_counted_comments"] + f" AND c.id <> {bea}")
    engine = open_db(decided)  # recreates the changed view
    try:
        assert q(decided, "SELECT category, reporters FROM v_symptom_reporters WHERE category = 'falls'") == []
        after = json.loads(run(runner, decided, "report", "--format", "json", "--min-cell", "1"))
        assert after["corpus"]["patient_reporters"] == 1
        assert {r["category"]: r["reporters"] for r in after["symptoms"]}["falls"] == 0
        assert [r[6] for r in explain(engine, "falls")] == ["no"]
    finally:
        engine.dispose()


def test_opening_restores_a_changed_counting_view(decided):
    with sqlite3.connect(decided) as conn:
        conn.execute("DROP VIEW v_counted_comments")
        conn.execute("CREATE VIEW v_counted_comments AS SELECT id AS comment_id, reporter FROM comment")
    from rhizo_voices.db import migrate
    engine = open_db(decided)
    migrate(engine)
    engine.dispose()
    assert "a.role = 'patient'" in q(decided, "SELECT sql FROM sqlite_master WHERE name = 'v_counted_comments'")[0][0]


def test_the_cli_runs_no_sql_of_its_own():
    for name in ("cli.py", "cli_moderate.py"):
        source = (ROOT / "src" / "rhizo_voices" / name).read_text()
        assert not re.search(r"\bselect\(|exec_driver_sql|Session\(|\.execute\(|SELECT ", source), name


def test_events_written_before_rules_were_stored_get_them(tmp_path):
    db_file = tmp_path / "old.db"
    with sqlite3.connect(db_file) as conn:
        conn.execute("CREATE TABLE migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for step in migrations.MIGRATIONS[:4]:
            step(conn)
            conn.execute("INSERT INTO migration VALUES (?, 'then')", (step.__name__,))
        conn.execute("INSERT INTO source VALUES (1, 'jsonl', 'x', 'h', 'then', 1, 1)")
        conn.execute("INSERT INTO thread VALUES (1, 'jsonl:t', 'jsonl:x', 't', NULL, 'jsonl')")
        for i in (1, 2, 3):
            conn.execute("INSERT INTO comment (id, thread_id, source_id, native_id, position, kind, reporter, "
                         "body_hash, deleted, post_author, ingested_at) VALUES (?, 1, 1, ?, ?, 'comment', 'r', "
                         "'h', 0, 0, 'then')", (i, str(i), i))
        conn.executemany("INSERT INTO moderation_event (comment_id, status, actor, reason, policy_version, at) "
                         "VALUES (?, ?, ?, ?, 'p', 'then')", [
                             (1, "rejected", "auto", "duplicate -> reject; provider -> approve (policy p)"),
                             (2, "withdrawn", "auto", "the author asked for it to be deleted (in comment 9)"),
                             (3, "rejected", "ana", "spam -> reject (policy p)")])
    open_db(db_file).dispose()
    assert [json.loads(r) for (r,) in q(db_file, "SELECT rules FROM moderation_event ORDER BY id")] == [
        [{"rule": "duplicate", "action": "reject"}, {"rule": "provider", "action": "approve"}],
        [{"rule": "deletion_request", "action": "withdraw"}],
        []]  # a moderator's free text is never read as rules


def test_saved_queries_count_through_the_views():
    for path in (ROOT / "db" / "queries").glob("*.sql"):
        sql = path.read_text()
        assert "'approved'" not in sql and "'patient'" not in sql, path.name
