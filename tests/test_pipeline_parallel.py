"""analyze over worker processes writes exactly what one process writes (models loaded once in the
parent before forking, rows sent back as tuples, plain sqlite3 writes)."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from rhizo_voices import pipeline
from rhizo_voices.db import key_path, open_db
from rhizo_voices.ingest import ingest_files

TABLES = {
    "analysis": "SELECT comment_id, input_hash, role, text, sentiment, identifiers, onset_days, since_days, "
                "relief_days, procedures, region, side FROM analysis ORDER BY comment_id",
    "mention": "SELECT id, comment_id, category, assertion, experiencer, evidence, sentiment FROM mention ORDER BY id",
    "flag": "SELECT id, comment_id, rule, reason, evidence, target_id FROM flag ORDER BY id",
    "event": "SELECT id, comment_id, status, actor, reason, policy_version, rules FROM moderation_event ORDER BY id",
    "status": "SELECT comment_id, status, event_id, human FROM comment_status ORDER BY comment_id",
}


def tables(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in TABLES.items()}


def test_two_workers_write_what_one_process_writes(tmp_path, monkeypatch):
    corpus = tmp_path / "c.jsonl"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_corpus.py"), "--size", "240", "--seed", "5",
                    "--threads", "9", "--out", str(corpus)], check=True, capture_output=True)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    engine = open_db(one)
    ingest_files(engine, one, "jsonl", [corpus])
    engine.dispose()
    shutil.copyfile(one, two)
    shutil.copyfile(key_path(one), key_path(two))
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    results = {}
    for db, workers in ((one, 1), (two, 2)):
        engine = open_db(db)
        results[workers] = pipeline.analyze(engine, workers=workers)
        engine.dispose()
    assert (results[2].threads, results[2].comments) == (results[1].threads, results[1].comments) == (9, 239)
    assert results[2].by_status == results[1].by_status
    got, expected = tables(two), tables(one)
    assert {k: len(v) for k, v in got.items()} == {k: len(v) for k, v in expected.items()}
    assert got == expected
    assert min(row[0] for row in got["analysis"]) > 0  # nothing of the warm-up thread is written
