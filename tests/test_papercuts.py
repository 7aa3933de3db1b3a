"""Papercuts a new user met (issue 14, items 6 and 7), each pinned by an exact assertion."""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess

import pytest

from conftest import ROOT, SEED_THREAD
from rhizo_voices.cli import main

DATA = ROOT / "tests" / "data"


def run(runner, db_file, *args, code=0):
    result = runner.invoke(main, ["--db", str(db_file), "--quiet", *args])
    assert result.exit_code == code, result.output
    return result.output


def jsonl(tmp_path, rows, name="c.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps({"id": i, "thread": t, "author": a, "created": "2024-05-01",
                                        "parent": None, "body": b}) + "\n" for i, t, a, b in rows))
    return path


@pytest.fixture
def seeded(runner, db_file):
    run(runner, db_file, "ingest", "thread", str(SEED_THREAD))
    run(runner, db_file, "analyze", "--no-topics")
    return db_file


# ------------------------------------------------------------------------------------- item 6

def test_html_article_without_comments_gives_zero_not_a_failed_batch(runner, db_file):
    out = run(runner, db_file, "ingest", "thread", str(DATA / "wp_no_comments.html"), str(DATA / "wp_thread.html"))
    lines = out.splitlines()
    assert lines[0] == f"{DATA / 'wp_no_comments.html'}: 0 new, 0 updated, 0 seen in 1 thread(s)"
    assert re.fullmatch(rf"{re.escape(str(DATA / 'wp_thread.html'))}: [1-9]\d* new, 0 updated, .*", lines[1])


@pytest.fixture
def read_only(tmp_path):
    """Make a file unwritable even for root (chattr +i), else skip."""
    made = []

    def lock(path):
        path.chmod(0o444)
        if os.geteuid() == 0:
            if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
                pytest.skip("cannot make a file read-only for root here")
            made.append(path)
    yield lock
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def rhizo(*args):
    """The CLI in a process of its own (SQLite in one process may reuse a writable descriptor)."""
    import sys
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run([sys.executable, "-c", "from rhizo_voices.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr


def test_read_only_database_is_one_line_naming_the_file(seeded, read_only, tmp_path):
    read_only(seeded)
    assert rhizo("--db", seeded, "moderate", "approve", "4") == (
        1, f"Error: {seeded}: the database is read-only (check the permissions of the file and its folder); "
           "nothing was written\n")
    more = jsonl(tmp_path, [("x1", "t", "Al", "After my RFA my leg burned.")])
    code, out = rhizo("--db", seeded, "ingest", "jsonl", more)
    assert code == 1 and len(out.splitlines()) == 1 and str(seeded) in out and "read-only" in out
    assert rhizo("--db", seeded, "-q", "report", "--format", "csv")[0] == 0  # reading still works


def test_read_only_old_database_needing_an_upgrade(tmp_path, read_only):
    import shutil
    old = tmp_path / "old.db"
    shutil.copy(DATA / "first_release.db", old)
    read_only(old)
    assert rhizo("--db", old, "report") == (
        1, f"Error: {old}: the database is read-only and needs upgrading by this version of rhizo (check the "
           "permissions of the file and its folder); nothing was written\n")


@pytest.mark.parametrize("name,check", [("r.json", lambda t: json.loads(t)["symptoms"]),
                                        ("r.CSV", lambda t: t.startswith("category,label,reporters,")),
                                        ("r.md", lambda t: t.startswith("# Reported adverse"))])
def test_report_format_follows_the_output_extension(runner, seeded, tmp_path, name, check):
    run(runner, seeded, "report", "-o", str(tmp_path / name))
    assert check((tmp_path / name).read_text())


def test_an_explicit_format_wins_over_the_extension(runner, seeded, tmp_path):
    run(runner, seeded, "report", "-o", str(tmp_path / "r.json"), "--format", "csv")
    assert (tmp_path / "r.json").read_text().startswith("category,")


@pytest.mark.parametrize("name", ["numbness", "Numbness", "NUMBNESS", "leg burning", "Leg burning", "leg_burning"])
def test_explain_takes_labels_and_ids_in_any_case(runner, seeded, name):
    out = run(runner, seeded, "report", "--explain", name)
    assert out.splitlines()[0] == "comment_id\treporter\trole\tstatus\tassertion\texperiencer\tcounted\tevidence"
    want = run(runner, seeded, "report", "--explain", "numbness" if "numb" in name.lower() else "leg_burning")
    assert out == want and len(out.splitlines()) > 1


def test_explain_unknown_category_lists_the_known_ones(runner, seeded):
    out = run(runner, seeded, "report", "--explain", "headache", code=1)
    assert out.startswith("Error: no category 'headache'; known: leg_burning, ")
    assert out.endswith("(ids or labels, any case)\n")


def test_analyze_says_which_counts_are_this_run_and_which_the_whole_database(runner, db_file, tmp_path):
    run(runner, db_file, "ingest", "thread", str(SEED_THREAD))
    first = run(runner, db_file, "analyze", "--no-topics")
    assert re.fullmatch(r"analysed 25 comments in 1 thread\(s\) this run; whole database: approved \d+, "
                        r"pending \d+\n", first), first
    run(runner, db_file, "ingest", "jsonl", str(jsonl(tmp_path, [("x1", "t", "Al", "After my RFA my leg burned.")])))
    second = run(runner, db_file, "analyze", "--no-topics")
    assert second.startswith("analysed 1 comments in 1 thread(s) this run; whole database: approved ")


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_a_reason_is_refused(runner, seeded, reason):
    result = runner.invoke(main, ["--db", str(seeded), "moderate", "reject", "4", "--reason", reason])
    assert result.exit_code == 2
    assert "Invalid value for --reason: give a reason: it is kept in the audit trail" in result.output
    with sqlite3.connect(seeded) as conn:
        assert conn.execute("SELECT count(*) FROM moderation_event WHERE actor <> 'auto'").fetchone() == (0,)


def test_undo_without_a_human_decision_says_why(runner, seeded):
    with sqlite3.connect(seeded) as conn:
        (status,) = conn.execute("SELECT status FROM comment_status WHERE comment_id = 4").fetchone()
    result = runner.invoke(main, ["--db", str(seeded), "moderate", "undo", "4"])
    assert result.exit_code == 0
    assert result.output == ("handed 0 comment(s) back to the automatic decision\n"
                             f"#4: nothing to undo: its status ({status}) is the automatic decision, not a "
                             "moderator's\n")


def test_listings_have_headers_and_bodies_cannot_break_columns(runner, db_file, tmp_path):
    body = "Does anyone\tknow if an\nRFA helps\r\nwith\tneck pain?\x0b"
    run(runner, db_file, "ingest", "jsonl", str(jsonl(tmp_path, [("q1", "t", "Al", body)])))
    run(runner, db_file, "analyze", "--no-topics")
    sources = run(runner, db_file, "sources").splitlines()
    assert sources[0] == "source\tkind\tfetched_at\tnew\tseen\tlocator"
    assert len(sources) == 2 and sources[1].split("\t")[3:] == ["1", "1", str(tmp_path / "c.jsonl")]
    queue = run(runner, db_file, "moderate", "queue").splitlines()
    assert queue[0] == "comment\trole\tflags\ttext"
    assert len(queue) == 2 and len(queue[1].split("\t")) == 4
    assert queue[1].split("\t")[3] == "Does anyone know if an RFA helps with neck pain?"
    log = run(runner, db_file, "moderate", "log").splitlines()
    assert log[0] == "event\tat\tcomment\tstatus\tactor\tpolicy\treason"
    assert all(len(line.split("\t")) == 7 for line in log)


def test_raw_html_is_stripped_from_evidence_and_explain(runner, db_file, tmp_path):
    rows = [("h1", "t", "Al", "After my RFA my <b>left leg</b> burned &amp; went <i>numb</i> for weeks."),
            ("h2", "t", "Bo", "Since the rhizotomy my leg is numb<script>alert(1)</script> all day.")]
    run(runner, db_file, "ingest", "jsonl", str(jsonl(tmp_path, rows)))
    run(runner, db_file, "analyze", "--no-topics")
    with sqlite3.connect(db_file) as conn:
        evidence = [e for (e,) in conn.execute("SELECT evidence FROM v_symptom_mentions")]
    assert evidence and not any(re.search(r"<|&amp;|alert", e) for e in evidence), evidence
    out = run(runner, db_file, "report", "--explain", "numbness")
    assert not re.search(r"<|&amp;|alert", out) and len(out.splitlines()) == 3


# ------------------------------------------------------------------------------------- item 7

@pytest.fixture
def demo_db(runner, tmp_path):
    db_file = tmp_path / "demo.db"
    result = runner.invoke(main, ["--db", str(db_file), "-q", "demo", "--no-topics", "--out", str(tmp_path / "out"),
                                  "--samples", str(ROOT / "samples")])
    assert result.exit_code == 0, result.output
    return db_file


def test_rejections_read_in_plain_language(runner, demo_db):
    md = run(runner, demo_db, "report")
    assert "Rejected: a repeat of an earlier comment by the same person (1)." in md.splitlines()
    assert "(policy" not in md.split("## Method")[0]


def test_provenance_has_its_own_heading(runner, demo_db):
    lines = run(runner, demo_db, "report").splitlines()
    at = lines.index("## Provenance")
    assert lines.index("## Method") < at < lines.index("## Limitations")
    assert lines[at + 2].startswith("- Software: rhizo-voices ")
    assert any(line.startswith("- Database fingerprint ") for line in lines[at:lines.index("## Limitations")])


def test_suppression_wording_for_every_min_cell(runner, demo_db):
    one = run(runner, demo_db, "report", "--min-cell", "1")
    assert "below 1 reporters" not in one and "Every count is shown (`--min-cell 1`: no small-cell suppression)." in one
    two = run(runner, demo_db, "report", "--min-cell", "2")
    assert "Counts of 1 reporter are shown as `<2`" in two
    five = run(runner, demo_db, "report")
    assert "Counts of 1 to 4 reporters are shown as `<5`" in five


def test_sentence_and_comment_sentiment_are_told_apart(runner, demo_db):
    md = run(runner, demo_db, "report")
    assert "VADER compound score of whole comments, over 33 counted comments" in md
    assert ("Two scales: this score is of whole comments; the symptom table and its chart score only the "
            "sentences that mention each symptom.") in md


def test_min_cell_hides_small_topics_sizes_and_sentiment(runner, demo_db):
    with sqlite3.connect(demo_db) as conn:
        conn.executemany("INSERT INTO topic (id, label, size, words, symptoms, reporters, sentiment, excerpt) "
                         "VALUES (?, ?, ?, '[\"a\"]', '[]', ?, ?, 'x')",
                         [(0, "big one", 9, 6, -0.41), (1, "small one", 3, 3, 0.77)])
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('topics.strategy', 'kmeans')")
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('topics.documents', '12')")
    data = json.loads(run(runner, demo_db, "report", "--format", "json"))
    topics = {t["label"]: (t["size"], t["sentiment"], t["suppressed"]) for t in data["topics"]["topics"]}
    assert topics == {"big one": (9, -0.41, False), "small one": (None, None, True)}
    md = run(runner, demo_db, "report")
    assert any(line.startswith("| small one | <5 | – | – |") for line in md.splitlines()), md
    assert "0.77" not in md
    from rhizo_voices.report import charts
    fig = charts.build_topics(data)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["big one"]
    everything = json.loads(run(runner, demo_db, "report", "--format", "json", "--min-cell", "1"))
    assert {t["label"]: t["size"] for t in everything["topics"]["topics"]} == {"big one": 9, "small one": 3}


def test_no_median_from_one_comment(runner, db_file, tmp_path):
    rows = [(f"n{i}", "t", f"P{i}", f"Two weeks after my RFA my leg went numb and stayed numb, {i}.") for i in range(3)]
    rows.append(("b0", "t", "Q", "Three days after my RFA my leg was burning."))
    run(runner, db_file, "ingest", "jsonl", str(jsonl(tmp_path, rows)))
    run(runner, db_file, "analyze", "--no-topics")
    data = json.loads(run(runner, db_file, "report", "--format", "json", "--min-cell", "1"))
    rows_ = {r["category"]: r for r in data["symptoms"]}
    assert rows_["numbness"]["median_onset_days"] == 14.0
    assert rows_["leg_burning"]["reporters"] == 1 and rows_["leg_burning"]["median_onset_days"] is None
    md = run(runner, db_file, "report", "--min-cell", "1")
    assert "| Leg burning | 1 | – |" in md
