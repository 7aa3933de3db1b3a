"""No identifier of the labelled privacy set reaches a view, a report (md, json, csv), the charts'
source data or moderation output; purge-raw drops raw names and texts for good."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from rhizo_voices.cli import main

DATA = Path(__file__).parent / "data" / "privacy_eval.jsonl"


def run(runner, db_file, *args):
    result = runner.invoke(main, ["--db", str(db_file), "--quiet", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    from click.testing import CliRunner
    runner, tmp = CliRunner(), tmp_path_factory.mktemp("privacy")
    rows = [json.loads(line) for line in DATA.read_text().splitlines()]
    corpus = tmp / "comments.jsonl"
    with corpus.open("w") as fh:
        for i, row in enumerate(rows):  # every sentence a comment of its own, by an invented account
            fh.write(json.dumps({"id": f"c{i}", "thread": f"t{i % 40}", "author": f"acct{i % 97}",
                                 "created": "2024-03-05T10:00:00Z", "parent": None, "body": row["text"]}) + "\n")
    db = tmp / "p.db"
    run(runner, db, "ingest", "jsonl", str(corpus))
    run(runner, db, "analyze", "--no-topics")
    with sqlite3.connect(db) as conn:  # count every patient comment, held or not: the worst case
        conn.execute("UPDATE comment_status SET status = 'approved'")
        conn.execute("UPDATE analysis SET role = 'patient'")
    return runner, db, rows


def outputs(runner, db, tmp):
    texts = [run(runner, db, "report", "--format", f, "--min-cell", "1") for f in ("md", "json", "csv")]
    run(runner, db, "report", "-o", str(tmp / "r.md"), "--min-cell", "1")
    texts.append((tmp / "r.md").read_text())
    with sqlite3.connect(db) as conn:
        for view in ("v_comments", "v_symptom_mentions", "v_symptom_reporters"):
            texts += ["\t".join(map(str, r)) for r in conn.execute(f"SELECT * FROM {view}")]
    for cid in range(1, 801, 7):
        texts.append(run(runner, db, "moderate", "show", str(cid)))
    texts.append(run(runner, db, "moderate", "log", "--limit", "2000"))
    for category in ("numbness", "leg_burning", "falls", "tingling"):
        texts.append(run(runner, db, "report", "--explain", category))
    return "\n".join(texts)


def test_no_labelled_identifier_reaches_any_output(analysed, tmp_path):
    runner, db, rows = analysed
    blob = outputs(runner, db, tmp_path)
    with sqlite3.connect(db) as conn:  # comment i was ingested as comment_id i + 1
        texts = [t for (t,) in conn.execute("SELECT text FROM v_comments ORDER BY comment_id")]
    leaks = []
    for i, row in enumerate(rows):
        for span in row["spans"]:
            # a bare number (an age) would match counts and ids anywhere: look for it in its own comment
            where = texts[i] if span["text"].isdigit() else blob
            if re.search(rf"(?<!\w){re.escape(span['text'])}(?!\w)", where):
                leaks.append((span["kind"], span["text"]))
    assert leaks == []
    assert "2024-03-05" not in blob and "acct" not in blob


def test_purge_raw_drops_names_and_texts_and_reports_still_work(analysed, tmp_path):
    runner, db, _ = analysed
    before = run(runner, db, "report", "--format", "json", "--min-cell", "1")
    assert run(runner, db, "purge-raw", "--yes") == "purged raw text and names of 800 comment(s)\n"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM comment WHERE author IS NOT NULL OR body IS NOT NULL"
                            ).fetchone() == (0,)
    after = run(runner, db, "report", "--format", "json", "--min-cell", "1")
    strip = lambda s: {k: v for k, v in json.loads(s).items() if k not in ("generated_at", "method")}
    assert strip(after) == strip(before)
    assert run(runner, db, "analyze", "--no-topics").startswith("analysed 0 comments")
