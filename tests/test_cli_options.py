"""Global options after the subcommand; read commands never create a database; the demo database
answers the README's queries."""
from __future__ import annotations

import sqlite3

import pytest

from conftest import ROOT, SEED_THREAD
from rhizo_voices.cli import main


@pytest.fixture
def seeded(runner, db_file):
    assert runner.invoke(main, ["--db", str(db_file), "-q", "ingest", "thread", str(SEED_THREAD)]).exit_code == 0
    assert runner.invoke(main, ["--db", str(db_file), "-q", "analyze", "--no-topics"]).exit_code == 0
    return db_file


@pytest.mark.parametrize("args", [("sources",), ("moderate", "queue"), ("moderate", "log"),
                                  ("moderate", "show", "3"), ("report", "--format", "csv")])
def test_db_and_quiet_after_the_subcommand(runner, seeded, args, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no db/rhizo.db here: the option after the command must be used
    before = runner.invoke(main, ["--db", str(seeded), "--quiet", *args])
    after = runner.invoke(main, [*args, "--db", str(seeded), "--quiet"])
    short = runner.invoke(main, [*args, "-q", "--db", str(seeded)])
    assert before.exit_code == after.exit_code == short.exit_code == 0, after.output
    assert after.output == before.output == short.output
    assert not (tmp_path / "db").exists()


def test_quiet_after_analyze_silences_progress(runner, db_file):
    runner.invoke(main, ["--db", str(db_file), "ingest", "thread", str(SEED_THREAD)])
    result = runner.invoke(main, ["analyze", "--no-topics", "--db", str(db_file), "--quiet"])
    assert result.exit_code == 0
    assert result.stderr == ""


def test_ingest_reddit_keeps_its_own_short_q_for_the_query():
    from rhizo_voices.cli import ingest_reddit
    opts = {o for p in ingest_reddit.params for o in getattr(p, "opts", [])}
    assert "-q" in opts and "--query" in opts and "--quiet" in opts and "--db" in opts


@pytest.mark.parametrize("args", [("report",), ("report", "-o", "out.md"), ("sources",), ("moderate", "queue"),
                                  ("moderate", "show", "1"), ("moderate", "log"), ("moderate", "approve", "1"),
                                  ("report", "--explain", "numbness")])
def test_read_commands_refuse_a_database_that_does_not_exist(runner, tmp_path, args, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "typo" / "rhizo.db"
    result = runner.invoke(main, ["--db", str(missing), *args])
    assert result.exit_code == 1
    assert result.output == (f"Error: {missing}: no such database (name one with --db PATH or RHIZO_DB; "
                             "`rhizo ingest` creates it)\n")
    assert not (tmp_path / "typo").exists() and not (tmp_path / "out.md").exists()


def test_demo_writes_its_own_database_and_answers_the_readme_queries(runner, tmp_path, monkeypatch):
    """`make demo` writes reports/demo.db (never the user's db/rhizo.db); the README's queries name it."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["-q", "demo", "--no-topics", "--samples", str(ROOT / "samples")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "demo.db").is_file() and not (tmp_path / "db").exists()
    with sqlite3.connect(tmp_path / "reports" / "demo.db") as conn:
        top = conn.execute("SELECT category, reporters, comments FROM v_symptom_reporters "
                           "ORDER BY reporters DESC").fetchall()
        assert len(top) >= 5 and top[0][1] >= top[-1][1] > 0
        for name in ("excluded_mentions", "co_reported", "moderation_status", "symptom_reporters"):
            assert conn.execute((ROOT / "db" / "queries" / f"{name}.sql").read_text()).fetchall(), name
    # and the commands of the README, pointed at it
    for args in (("sources",), ("moderate", "queue"), ("report", "--explain", "numbness")):
        out = runner.invoke(main, [*args, "--db", "reports/demo.db"])
        assert out.exit_code == 0, (args, out.output)
