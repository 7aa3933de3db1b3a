"""The report: empty corpora, suppression, and the synthetic sample's numbers pinned."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from rhizo_voices.cli import main

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "samples" / "forum_synthetic.jsonl"


def run(runner, db_file, *args):
    result = runner.invoke(main, ["--db", str(db_file), "--quiet", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_empty_database_gives_a_short_correct_report(runner, db_file):
    md = run(runner, db_file, "report")
    assert "- The database holds no comments yet: nothing to report." in md
    data = json.loads(run(runner, db_file, "report", "--format", "json"))
    assert data["corpus"]["comments"] == 0 and data["corpus"]["patient_reporters"] == 0
    assert all(row["reporters"] == 0 and row["comments"] == 0 for row in data["symptoms"])
    assert run(runner, db_file, "report", "--format", "csv").splitlines()[0] == (
        "category,label,reporters,comments,share,median_onset_days,mean_sentiment,suppressed")


def test_zero_approved_comments_report_says_so(runner, db_file, tmp_path):
    thread = tmp_path / "t.txt"
    thread.write_text("Title\n\n1 thought on “Title”\n\n  1. Clinic Team\n\n    Call us to book.\n")
    run(runner, db_file, "ingest", "thread", str(thread))
    run(runner, db_file, "analyze", "--no-topics")
    md = run(runner, db_file, "report")
    assert "- 1 comment was collected, but none is an approved patient comment yet" in md
