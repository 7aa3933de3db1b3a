"""Robustness (issue 8): processes killed mid-write, two writers at once, malformed input.

The kill tests run the real `rhizo` console script in a subprocess on a corpus from
scripts/make_corpus.py, SIGKILL it once it has committed rows, re-run it, and compare every derived
table with a clean run's, row for row (keyed by thread key and native id, which survive re-runs).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import ROOT, SEED_THREAD
from rhizo_voices.cli import main

RHIZO = Path(sys.executable).parent / "rhizo"
CORPUS_SIZE, CORPUS_THREADS, CORPUS_FILES = 1200, 12, 6


def rhizo_cmd(db: Path, *args: str) -> list[str]:
    base = [str(RHIZO)] if RHIZO.exists() else [sys.executable, "-c",
                                                 "from rhizo_voices.cli import main; main()"]
    return [*base, "--db", str(db), "--quiet", *args]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_OFFLINE": "1"}


def run_ok(db: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(rhizo_cmd(db, *args), env=env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc


def count(db: Path, sql: str) -> int:
    """A count read from a separate connection, tolerant of a writer holding the database."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # not created yet, or no table yet
        return 0


def kill_when(db: Path, args: tuple[str, ...], sql: str, total: int) -> int:
    """Start `rhizo args`, SIGKILL it as soon as ``sql`` counts at least one row; return that count
    as read after the kill. Fails if the process finished before it could be killed."""
    proc = subprocess.Popen(rhizo_cmd(db, *args), env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        while proc.poll() is None and count(db, sql) == 0:
            time.sleep(0.005)
        assert proc.poll() is None, "finished before it could be killed: make the corpus bigger"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    done = count(db, sql)
    assert 0 < done < total, done
    return done


# ---------------------------------------------------------------------------------------------
# Snapshots of the tables, keyed so that two databases can be compared row for row.

SNAPSHOTS = {
    "comment": """SELECT t.key, c.native_id, c.parent_native_id, p.native_id, c.position, c.kind,
                         c.author, c.reporter, c.body_hash, c.created_at, c.deleted
                  FROM comment c JOIN thread t ON t.id = c.thread_id
                  LEFT JOIN comment p ON p.id = c.parent_id""",
    "thread": "SELECT key, label, title, source_kind FROM thread",
    "source": "SELECT kind, locator, content_hash, comments_new, comments_seen FROM source",
    "analysis": """SELECT t.key, c.native_id, a.input_hash, a.role, a.text, a.sentiment, a.identifiers
                   FROM analysis a JOIN comment c ON c.id = a.comment_id JOIN thread t ON t.id = c.thread_id""",
    "status": """SELECT t.key, c.native_id, s.status, s.human FROM comment_status s
                 JOIN comment c ON c.id = s.comment_id JOIN thread t ON t.id = c.thread_id""",
    "event": """SELECT t.key, c.native_id, e.status, e.actor, e.reason, e.policy_version
                FROM moderation_event e JOIN comment c ON c.id = e.comment_id
                JOIN thread t ON t.id = c.thread_id""",
    "flag": """SELECT t.key, c.native_id, f.rule, f.reason, f.evidence FROM flag f
               JOIN comment c ON c.id = f.comment_id JOIN thread t ON t.id = c.thread_id""",
    "mention": """SELECT t.key, c.native_id, m.category, m.assertion, m.experiencer, m.evidence
                  FROM mention m JOIN comment c ON c.id = m.comment_id JOIN thread t ON t.id = c.thread_id""",
}


def snapshot(db: Path, tables=SNAPSHOTS) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {name: sorted(conn.execute(tables[name]).fetchall(), key=repr) for name in tables}


def integrity(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """A generated corpus split by thread into CORPUS_FILES JSONL files, and a clean run over it."""
    base = tmp_path_factory.mktemp("corpus")
    whole = base / "all.jsonl"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_corpus.py"), "--size", str(CORPUS_SIZE),
                    "--seed", "8", "--format", "jsonl", "--threads", str(CORPUS_THREADS),
                    "--out", str(whole)], check=True, capture_output=True)
    by_thread: dict[str, list[str]] = defaultdict(list)
    for line in whole.read_text().splitlines():
        by_thread[json.loads(line)["thread"]].append(line)
    files = [base / f"part{i:02d}.jsonl" for i in range(CORPUS_FILES)]
    for i, (_, lines) in enumerate(sorted(by_thread.items())):
        with files[i % CORPUS_FILES].open("a") as fh:
            fh.write("\n".join(lines) + "\n")
    clean = base / "clean.db"
    run_ok(clean, "ingest", "jsonl", *map(str, files))
    ingested = snapshot(clean, {k: SNAPSHOTS[k] for k in ("comment", "thread", "source")})
    run_ok(clean, "analyze", "--no-topics")
    return {"files": files, "clean": clean, "ingested": ingested, "analysed": snapshot(clean),
            "threads_per_file": {str(f): {json.loads(x)["thread"] for x in f.read_text().splitlines()}
                                 for f in files}}


def test_corpus_shape(corpus):
    snap = corpus["analysed"]
    assert len(snap["comment"]) == CORPUS_SIZE
    assert len({(k, n) for k, n, *_ in snap["comment"]}) == CORPUS_SIZE
    assert len(snap["thread"]) == CORPUS_THREADS
    assert len(snap["source"]) == CORPUS_FILES
    # comments deleted at the source are withdrawn at ingest, keep no text and are never analysed
    deleted = sum(row[-1] for row in snap["comment"])
    assert 0 < deleted < 40
    assert len(snap["analysis"]) == CORPUS_SIZE - deleted
    assert len(snap["status"]) == CORPUS_SIZE


def test_killed_ingest_then_killed_analyze_rerun_matches_clean_run(corpus, tmp_path):
    db = tmp_path / "killed.db"
    # Same pseudonym key as the clean run, so reporter ids and thread labels compare too.
    shutil.copy(corpus["clean"].with_name("clean.db.key"), tmp_path / "killed.db.key")
    files = list(map(str, corpus["files"]))

    kill_when(db, ("ingest", "jsonl", *files), "SELECT count(*) FROM comment", CORPUS_SIZE)
    integrity(db)
    # Whole files or nothing: every thread present is complete, and each committed source row
    # holds exactly the threads of its file.
    with sqlite3.connect(db) as conn:
        per_thread = dict(conn.execute(
            "SELECT t.key, count(*) FROM comment c JOIN thread t ON t.id = c.thread_id GROUP BY t.key"))
        locators = [loc for (loc,) in conn.execute("SELECT locator FROM source")]
    clean_per_thread: dict[str, int] = defaultdict(int)
    for key, *_ in corpus["ingested"]["comment"]:
        clean_per_thread[key] += 1
    assert per_thread == {k: clean_per_thread[k] for k in per_thread}
    assert set(per_thread) == {f"jsonl:{t}" for loc in locators for t in corpus["threads_per_file"][loc]}
    assert 0 < len(locators) < CORPUS_FILES

    run_ok(db, "ingest", "jsonl", *files)
    integrity(db)
    assert snapshot(db, {k: SNAPSHOTS[k] for k in ("comment", "thread", "source")}) == corpus["ingested"]

    kill_when(db, ("analyze", "--no-topics"), "SELECT count(*) FROM analysis", CORPUS_SIZE)
    integrity(db)
    # Whole threads or nothing: analysis, statuses and events come in per-thread transactions.
    with sqlite3.connect(db) as conn:
        partial = conn.execute("""
            SELECT c.thread_id, count(a.comment_id), count(s.comment_id), count(*)
            FROM comment c LEFT JOIN analysis a ON a.comment_id = c.id
            LEFT JOIN comment_status s ON s.comment_id = c.id
            WHERE NOT c.deleted GROUP BY c.thread_id""").fetchall()
    assert [row for row in partial if row[1] not in (0, row[3]) or row[2] != row[1]] == []

    proc = run_ok(db, "analyze", "--no-topics")
    assert proc.stdout.startswith("analysed ")
    integrity(db)
    assert snapshot(db) == corpus["analysed"]
    # A further run finds nothing to do.
    assert run_ok(db, "analyze", "--no-topics").stdout.startswith("analysed 0 comments in 0 thread(s)")


def test_moderate_while_analyze_runs_is_never_locked(corpus, tmp_path):
    db = tmp_path / "busy.db"
    run_ok(db, "ingest", "jsonl", *map(str, corpus["files"]))
    with sqlite3.connect(db) as conn:
        ids = [i for (i,) in conn.execute("SELECT id FROM comment WHERE NOT deleted ORDER BY id DESC LIMIT 40")]
        live = conn.execute("SELECT count(*) FROM comment WHERE NOT deleted").fetchone()[0]
    from rhizo_voices import moderation
    from rhizo_voices.db import open_db

    analyzer = subprocess.Popen(rhizo_cmd(db, "analyze", "--no-topics"), env=env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while analyzer.poll() is None and count(db, "SELECT count(*) FROM analysis") == 0:
        time.sleep(0.005)
    errors: list[BaseException] = []
    decided: list[int] = []
    during: list[bool] = []  # per decision: was analyze still running when it was written?

    def moderate_in_thread() -> None:
        engine = open_db(db)  # a thread of its own with an engine of its own
        try:
            for cid in ids[:20]:
                moderation.decide(engine, [cid], "rejected", actor="thread", reason="spam")
                decided.append(cid)
                during.append(analyzer.poll() is None)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            engine.dispose()

    worker = threading.Thread(target=moderate_in_thread)
    worker.start()
    cli_runs = [subprocess.run(rhizo_cmd(db, "moderate", "--as", "cli", "approve", str(cid)), env=env(),
                               capture_output=True, text=True, timeout=120) for cid in ids[20:24]]
    worker.join(timeout=120)
    out, err = analyzer.communicate(timeout=300)
    assert during[:1] == [True]  # the writers really ran at the same time
    assert errors == []
    assert decided == ids[:20]
    assert analyzer.returncode == 0, err
    assert "locked" not in err
    assert [(p.returncode, p.stdout, p.stderr) for p in cli_runs] == [(0, "approved 1 comment(s)\n", "")] * 4
    assert out.startswith(f"analysed {live} comments in {CORPUS_THREADS} thread(s)")
    # Human decisions stand: analyze never overwrote them.
    with sqlite3.connect(db) as conn:
        status = dict(conn.execute("SELECT comment_id, status || ':' || human FROM comment_status"))
    assert [status[i] for i in ids[:24]] == ["rejected:1"] * 20 + ["approved:1"] * 4
    assert len(status) == CORPUS_SIZE


# ---------------------------------------------------------------------------------------------
# Malformed input through the CLI: one line naming the file, exit 1, nothing written.

DATA = ROOT / "tests" / "data"
SUBMISSION = {"kind": "t3", "data": {"id": "abc", "title": "t", "author": "u", "selftext": "x",
                                     "created_utc": 1}}
NOT_REDDIT = "not a saved Reddit thread"


def listing(*children) -> dict:
    return {"kind": "Listing", "data": {"children": list(children)}}


def jline(**fields) -> str:
    row = {"id": "1", "thread": "t", "author": "a", "created": None, "parent": None, "body": "x"}
    return json.dumps({**row, **fields})


MALFORMED = [  # (command, file content, expected message after "Error: {p}")
    ("thread", b"ok \xff\xfe bad\n", ":1: not valid UTF-8 (byte 3)"),
    ("jsonl", b"{}\nok \xff bad\n", ":2: not valid UTF-8 (byte 6)"),
    ("reddit-json", b"[\n\xc3\x28]", ":2: not valid UTF-8 (byte 2)"),
    ("thread", b"\x00\x01\x02abc", ": binary file, not text"),
    ("jsonl", b"PK\x03\x04\x00\x00zip", ": binary file, not text"),
    ("reddit-json", bytes(range(256)), ": binary file, not text"),
    ("thread", b"", ": empty file, nothing to ingest"),
    ("thread", b" \n\n\t\n", ": empty file, nothing to ingest"),
    ("jsonl", b"", ": empty file, no comments"),
    ("reddit-json", b"", ": empty file, nothing to ingest"),
    ("thread", b'[{"kind": "Listing"}]',
     ":1: this is JSON, not a comment thread (use `rhizo ingest reddit-json` or `jsonl`)"),
    ("jsonl", b"[1, 2]\n", ":1: expected a JSON object, found list"),
    ("jsonl", b'{"id": 1}\n', ":1: missing keys 'thread', 'author', 'created', 'parent', 'body'"),
    ("jsonl", b"not json\n", ":1: not valid JSON (Expecting value, column 1)"),
    ("jsonl", jline(body=7).encode(), ":1: 'body' must be a string"),
    ("jsonl", jline(author=["a"]).encode(), ":1: 'author' must be a string or null"),
    ("jsonl", jline(parent="9").encode(), ":1: parent '9' is not an id in this file"),
    ("jsonl", (jline() + "\n" + jline(body="y")).encode(), ":2: duplicate id '1' (first on line 1)"),
    ("jsonl", (jline(parent="2") + "\n" + jline(id="2", parent="1")).encode(),
     ":1: comment '1' is its own ancestor (parents form a loop)"),
    ("jsonl", jline(created="garbage").encode(), ":1: 'created' 'garbage' is not an ISO 8601 date"),
    ("reddit-json", b"{}", f": {NOT_REDDIT}: expected a list of two Listings (the JSON of /comments/<id>.json)"),
    ("reddit-json", b"[]", f": {NOT_REDDIT}: expected a list of two Listings (the JSON of /comments/<id>.json)"),
    ("reddit-json", b'{"a":\n', ":2: not valid JSON (Expecting value, column 1)"),
    ("reddit-json", b"[1, 2]", f": {NOT_REDDIT}: the first element is not a Listing"),
    ("reddit-json", json.dumps([listing(SUBMISSION), {"kind": "Listing", "data": {"children": "x"}}]).encode(),
     f": {NOT_REDDIT}: the second element is not a Listing"),
    ("reddit-json", json.dumps([listing(), listing()]).encode(), f": {NOT_REDDIT}: the first Listing holds no submission"),
    ("reddit-json", json.dumps([listing({"kind": "t3", "data": None}), listing()]).encode(),
     f": {NOT_REDDIT}: the submission is not a Reddit thing"),
    ("reddit-json", json.dumps([listing(SUBMISSION), listing({"kind": "t1", "data": {
        "id": "c1", "body": 5, "author": "a", "parent_id": "t3_abc", "created_utc": 1}})]).encode(),
     f": {NOT_REDDIT}: t1_c1 has no text field 'body'"),
]


@pytest.mark.parametrize("fmt, content, message", MALFORMED)
def test_malformed_input_is_one_line_error_and_writes_nothing(runner, db_file, tmp_path, fmt, content, message):
    good = {"thread": SEED_THREAD, "jsonl": DATA / "comments_ok.jsonl", "reddit-json": DATA / "reddit_small.json"}
    bad = tmp_path / "bad.input"
    bad.write_bytes(content)
    # The good file first: it is parsed, but nothing is stored because the bad one fails.
    result = runner.invoke(main, ["--db", str(db_file), "ingest", fmt, str(good[fmt]), str(bad)])
    assert (result.exit_code, result.output) == (1, f"Error: {bad}{message}\n")
    assert "Traceback" not in result.output
    with sqlite3.connect(db_file) as conn:
        assert [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("source", "thread", "comment")] == [0, 0, 0]


def test_ten_megabyte_comment_is_a_clear_error_and_writes_nothing(runner, db_file, tmp_path):
    body = "After my RFA I had burning in my left leg for weeks. " * 200_000
    path = tmp_path / "huge.jsonl"
    path.write_text(jline(body=body) + "\n")
    assert path.stat().st_size > 10_000_000
    result = runner.invoke(main, ["--db", str(db_file), "--quiet", "ingest", "jsonl", str(path)])
    assert (result.exit_code, result.output) == (
        1, f"Error: {path}: comment 1 is {len(body):,} characters, over the limit of 100,000; "
           "shorten or split it\n")
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT count(*) FROM comment").fetchall() == [(0,)]


def test_a_comment_at_the_limit_is_ingested_whole(runner, db_file, tmp_path):
    body = ("After my RFA I had burning in my left leg for weeks. " * 2_000)[:100_000]
    path = tmp_path / "long.jsonl"
    path.write_text(jline(body=body) + "\n")
    result = runner.invoke(main, ["--db", str(db_file), "--quiet", "ingest", "jsonl", str(path)])
    assert (result.exit_code, result.output) == (0, f"{path}: 1 new, 0 updated, 1 seen in 1 thread(s)\n")
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT length(body), native_id FROM comment").fetchall() == [(100_000, "1")]


def test_long_comment_analyses_in_seconds(tmp_path):
    db = tmp_path / "long.db"
    path = tmp_path / "long.jsonl"
    path.write_text(jline(body="After my RFA I had burning in my left leg for weeks. " * 1_850) + "\n")  # 98 KB
    run_ok(db, "ingest", "jsonl", str(path))
    proc = subprocess.run(rhizo_cmd(db, "analyze", "--no-topics"), env=env(), capture_output=True,
                          text=True, timeout=10)
    assert proc.stdout.startswith("analysed 1 comments in 1 thread(s)")


# ---------------------------------------------------------------------------------------------
# Markup inside comments never reaches the markdown report raw.

def _table_rows_well_formed(report: str) -> None:
    """Every table row has as many unescaped cell separators as its table's header."""
    import re
    width = None
    for line in report.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        width = width or cells
        assert cells == width, line


def test_markup_in_comments_is_escaped_in_the_report(runner, db_file, tmp_path, fake_embedder):
    from rhizo_voices.db import open_db
    from rhizo_voices.topics import update_topics

    def cli(*args):
        result = runner.invoke(main, ["--db", str(db_file), "--quiet", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result
    cli("ingest", "jsonl", str(DATA / "robust_markup.jsonl"))
    cli("ingest", "thread", str(DATA / "robust_script.html"))
    cli("analyze", "--no-topics")
    engine = open_db(db_file)
    try:
        run = update_topics(engine, embedder=lambda: fake_embedder)
    finally:
        engine.dispose()
    assert run.documents == 14
    with sqlite3.connect(db_file) as conn:
        bodies = [b for (b,) in conn.execute("SELECT body FROM comment ORDER BY id")]
        excerpts = [e for (e,) in conn.execute("SELECT excerpt FROM topic WHERE excerpt LIKE '%<%'")]
    assert "Typed text: <script>alert(2)</script> | a | b |" in bodies[-2]  # text, kept
    assert "alert('real')" not in "".join(bodies)  # a real script element, dropped
    # markup typed into comments reaches the redacted text (excerpts included): the report escapes it
    assert excerpts
    out = tmp_path / "r.md"
    cli("report", "--min-cell", "1", "-o", str(out))
    report = out.read_text()
    assert "a comment from it" in report and "“" in report  # excerpts are quoted
    for raw in ("<script", "<img", "<b>", "<!--", "\n# After"):
        assert raw not in report, raw
    import re
    text_only = "\n".join(x for x in report.splitlines() if not re.fullmatch(r"!\[[\w ]+\]\([\w.-]+\.png\)", x))
    assert re.findall(r"(?<!\\)\]\(", text_only) == []  # no link but the chart images
    assert "\\[burning\\](javascript:alert(1))" in report  # escaped: shown as text, not a link
    assert "&lt;script&gt;" in report or "&lt;img" in report or "&lt;b&gt;" in report
    _table_rows_well_formed(report)
