"""The command line end to end on the seed thread: exact rows, counts, messages and files."""
from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import SEED_DIR, SEED_THREAD
from rhizo_voices.cli import main

SEED_NAMES = ["BL", "Helen", "Tracie", "Byers", "Stacy", "Theresa", "Mass", "Melissa", "Lisa",
              "ronald", "letourneau", "Robert", "Tillotson", "Ayisha", "Carol", "Morales",
              "Wolfgang", "Dahnert", "Chris", "Centeno"]


def run(runner, db_file, *args, input=None):
    return runner.invoke(main, ["--db", str(db_file), "--quiet", *args], input=input,
                         catch_exceptions=False)


def query(db_file, sql):
    with sqlite3.connect(db_file) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def seeded(runner, db_file):
    result = run(runner, db_file, "ingest", "thread", *sorted(str(p) for p in SEED_DIR.iterdir()))
    assert result.exit_code == 0, result.output
    result = run(runner, db_file, "analyze", "--no-topics")
    assert result.exit_code == 0, result.output
    return db_file


def test_ingest_prints_one_line_per_file(runner, db_file):
    result = run(runner, db_file, "ingest", "thread", str(SEED_THREAD))
    assert result.output == f"{SEED_THREAD}: 25 new, 0 updated, 25 seen in 1 thread(s)\n"
    result = run(runner, db_file, "ingest", "thread", str(SEED_THREAD))
    assert result.output == f"{SEED_THREAD}: 0 new, 0 updated, 25 seen in 1 thread(s)\n"


@pytest.mark.parametrize("name, content, message", [
    ("missing.txt", None, "Error: {p}: no such file\n"),
    ("empty.txt", "", "Error: {p}: empty file, nothing to ingest\n"),
    ("data.csv", "a,b\n1,2\n",
     "Error: {p}: not a comment thread: no 'N thoughts on ...' header and no article text\n"),
])
def test_bad_input_is_one_line_nonzero_and_writes_nothing(runner, db_file, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    result = runner.invoke(main, ["--db", str(db_file), "ingest", "thread", str(SEED_THREAD), str(path)])
    assert result.exit_code == 1
    assert result.output == message.format(p=path)
    assert query(db_file, "SELECT count(*) FROM comment") == [(0,)]


def test_seed_roles_and_statuses(seeded):
    roles = dict(query(seeded, "SELECT role, count(*) FROM v_comments GROUP BY role"))
    assert roles["provider"] == 11
    assert query(seeded, "SELECT count(*) FROM v_comments") == [(25,)]
    assert query(seeded, "SELECT count(*) FROM v_comments WHERE status = 'rejected'") == [(0,)]


def test_no_seed_name_reaches_views_or_reports(runner, seeded, tmp_path):
    texts = [t for (t,) in query(seeded, "SELECT text FROM v_comments")]
    texts += [e for (e,) in query(seeded, "SELECT evidence FROM v_symptom_mentions")]
    for fmt in ("md", "json", "csv"):
        out = tmp_path / f"r.{fmt}"
        assert run(runner, seeded, "report", "--format", fmt, "-o", str(out)).exit_code == 0
        texts.append(out.read_text())
    blob = "\n".join(texts)
    import re
    for name in SEED_NAMES:
        assert not re.search(rf"\b{re.escape(name)}\b", blob), name
    assert "regenexx.com" not in blob and "http" not in blob


def test_report_json_shape(runner, seeded):
    data = json.loads(run(runner, seeded, "report", "--format", "json").output)
    assert {"category", "reporters", "comments"} <= set(data["symptoms"][0])
    by_cat = {row["category"]: row for row in data["symptoms"]}
    assert by_cat["leg_burning"]["reporters"] is None  # one reporter: suppressed under --min-cell 5
    data = json.loads(run(runner, seeded, "report", "--format", "json", "--min-cell", "1").output)
    by_cat = {row["category"]: row for row in data["symptoms"]}
    assert (by_cat["leg_burning"]["reporters"], by_cat["falls"]["reporters"]) == (1, 1)
