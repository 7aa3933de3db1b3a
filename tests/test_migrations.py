"""Migrations with frozen SQL: a database made by the first release upgrades and works; views follow
today's definitions; a fresh database has exactly the models' columns."""
from __future__ import annotations

import inspect
import shutil
import sqlite3
from pathlib import Path

from sqlmodel import SQLModel

from conftest import ROOT, SEED_THREAD
from rhizo_voices import migrations, models  # noqa: F401  (models registers the tables)
from rhizo_voices.cli import main
from rhizo_voices.db import VIEWS, open_db

DATA = Path(__file__).parent / "data"
NAMES = [step.__name__ for step in migrations.MIGRATIONS]


def query(db_file, sql):
    with sqlite3.connect(db_file) as conn:
        return conn.execute(sql).fetchall()


def run(runner, db_file, *args):
    return runner.invoke(main, ["--db", str(db_file), "--quiet", *args], catch_exceptions=False)


def test_no_migration_builds_tables_from_todays_models():
    source = inspect.getsource(migrations)
    assert "create_all" not in source and "metadata" not in source and "import models" not in source


def test_fresh_database_has_exactly_the_models_columns(engine, db_file):
    for table in SQLModel.metadata.sorted_tables:
        if table.name == "migration":  # made by migrate() itself
            continue
        have = {(r[1], bool(r[3])) for r in query(db_file, f"PRAGMA table_info({table.name})")}
        want = {(c.name, not c.nullable) for c in table.columns}
        assert have == want, table.name
    assert [n for (n,) in query(db_file, "SELECT name FROM migration ORDER BY rowid")] == NAMES


def test_first_release_database_upgrades_and_runs(runner, tmp_path, fake_embedder):
    db_file = tmp_path / "old.db"
    shutil.copy(DATA / "first_release.db", db_file)
    shutil.copy(DATA / "first_release.db.key", tmp_path / "old.db.key")
    assert query(db_file, "SELECT name FROM migration ORDER BY rowid") == [("m001_initial",), ("m002_views",)]
    assert "symptoms" not in {r[1] for r in query(db_file, "PRAGMA table_info(topic)")}

    out = run(runner, db_file, "ingest", "jsonl", str(ROOT / "samples" / "forum_synthetic.jsonl"))
    assert out.exit_code == 0, out.output
    assert [n for (n,) in query(db_file, "SELECT name FROM migration ORDER BY rowid")] == NAMES
    out = run(runner, db_file, "analyze", "--no-topics")
    assert out.exit_code == 0, out.output
    assert query(db_file, "SELECT count(*) FROM comment") == [(53,)]
    assert query(db_file, "SELECT count(*) FROM analysis") == [(53,)]
    assert query(db_file, "SELECT count(*) FROM v_comments WHERE status = 'pending' AND text IS NULL") == [(0,)]
    # the topic table gained its columns: a topic run stores them
    from rhizo_voices.topics import update_topics
    engine = open_db(db_file)
    try:
        run_ = update_topics(engine, embedder=lambda: fake_embedder)
    finally:
        engine.dispose()
    assert run_.topics >= 2
    assert query(db_file, "SELECT count(*) FROM topic WHERE symptoms LIKE '[%' AND reporters > 0") == [(run_.topics,)]
    out = run(runner, db_file, "report", "--format", "json")
    assert out.exit_code == 0, out.output
    assert '"symptoms": [' in out.output
    # pseudonyms made by the first release are those today's code makes with the same key
    fresh = tmp_path / "fresh.db"
    shutil.copy(DATA / "first_release.db.key", tmp_path / "fresh.db.key")
    assert run(runner, fresh, "ingest", "thread", str(SEED_THREAD)).exit_code == 0
    seed_reporters = "SELECT native_id, reporter FROM comment WHERE thread_id = 1 ORDER BY native_id"
    assert query(db_file, seed_reporters) == query(fresh, seed_reporters)
    assert len(query(db_file, seed_reporters)) == 25
    again = run(runner, db_file, "ingest", "thread", str(SEED_THREAD))  # and the seed is not ingested twice
    assert again.output == f"{SEED_THREAD}: 0 new, 0 updated, 25 seen in 1 thread(s)\n"


def test_changed_views_are_recreated_on_open(engine, db_file):
    with sqlite3.connect(db_file) as conn:
        conn.execute("DROP VIEW v_comments")
        conn.execute("CREATE VIEW v_comments AS SELECT id AS comment_id FROM comment")
    open_db(db_file).dispose()
    assert query(db_file, "SELECT sql FROM sqlite_master WHERE name = 'v_comments'") == [
        (f"CREATE VIEW v_comments AS {VIEWS['v_comments']}",)]


def test_a_database_from_between_releases_gets_only_what_it_lacks(tmp_path):
    """Code between releases built tables from the models: its topic table already has `symptoms`."""
    db_file = tmp_path / "between.db"
    with sqlite3.connect(db_file) as conn:
        conn.execute("CREATE TABLE migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for statement in migrations.M001_DDL:
            conn.execute(statement)
        conn.execute("ALTER TABLE topic ADD COLUMN symptoms VARCHAR NOT NULL DEFAULT '[]'")
        conn.executemany("INSERT INTO migration VALUES (?, 'then')", [("m001_initial",), ("m002_views",)])
    open_db(db_file).dispose()
    assert {r[1] for r in query(db_file, "PRAGMA table_info(topic)")} == {
        "id", "label", "size", "words", "symptoms", "reporters", "sentiment", "excerpt"}
