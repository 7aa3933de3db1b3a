"""One writer at a time: a second analyze/demo/resync says who holds the database and stops, or
waits with --wait; moderation keeps working meanwhile."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SEED_THREAD
from rhizo_voices.cli import main

HOLD = """
import sys, time
from pathlib import Path
from rhizo_voices.lock import writer_lock
with writer_lock(Path(sys.argv[1]), "analyze"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def run(runner, db_file, *args):
    return runner.invoke(main, ["--db", str(db_file), "--quiet", *args], catch_exceptions=False)


@pytest.fixture
def held(db_file, runner):
    """Another process holding the writer lock of a seeded database for a few seconds."""
    assert run(runner, db_file, "ingest", "thread", str(SEED_THREAD)).exit_code == 0
    assert run(runner, db_file, "analyze", "--no-topics").exit_code == 0

    def start(seconds: float) -> subprocess.Popen:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db_file), str(seconds)], env=env,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline() == "held\n"
        return proc
    procs: list[subprocess.Popen] = []
    yield lambda seconds: procs.append(start(seconds)) or procs[-1]
    for p in procs:
        p.kill()
        p.wait()


@pytest.mark.parametrize("args", [("analyze", "--no-topics"), ("resync", "--from-json", "x.json"),
                                  ("purge-raw", "--yes"), ("demo", "--no-topics")])
def test_a_second_writer_names_the_holder_and_stops(runner, db_file, held, args, tmp_path):
    holder = held(30)
    if args[0] == "demo":
        args = (*args, "--out", str(tmp_path / "out"), "--samples", str(ROOT / "samples"))
    result = runner.invoke(main, ["--db", str(db_file), *args])
    assert result.exit_code == 1
    assert re.fullmatch(
        rf"Error: {re.escape(str(db_file))} is being written by `rhizo analyze` \(pid {holder.pid}, "
        r"since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\); wait for it to finish, or run again with --wait\n",
        result.output), result.output
    assert db_file.exists()  # the demo did not delete the database it could not lock


def test_moderation_works_while_a_writer_holds_the_lock(runner, db_file, held):
    held(30)
    assert run(runner, db_file, "moderate", "--as", "ana", "approve", "4").output == "approved 1 comment(s)\n"
    assert run(runner, db_file, "moderate", "queue").exit_code == 0
    assert run(runner, db_file, "report", "--format", "csv").exit_code == 0


def test_wait_waits_for_the_holder(runner, db_file, held):
    holder = held(1.5)
    start = time.monotonic()
    result = runner.invoke(main, ["--db", str(db_file), "analyze", "--no-topics", "--wait"])
    assert result.exit_code == 0, result.output
    assert holder.wait(timeout=10) == 0  # it finished first
    assert time.monotonic() - start > 0.5
    assert f"waiting for `rhizo analyze` (pid {holder.pid}" in result.output


def test_a_killed_holder_leaves_no_stale_lock(runner, db_file, held):
    holder = held(60)
    holder.kill()
    holder.wait()
    assert run(runner, db_file, "analyze", "--no-topics").exit_code == 0
