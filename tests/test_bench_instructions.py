"""scripts/bench_instructions.py counts the instructions of one thread's analysis under callgrind."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEADER = Path("/usr/include/valgrind/callgrind.h")


@pytest.mark.skipif(not (shutil.which("valgrind") and shutil.which("gcc") and HEADER.exists()),
                    reason="needs valgrind, its header and gcc")
def test_counts_one_thread(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_corpus

    from rhizo_voices.db import open_db
    from rhizo_voices.ingest import ingest_files
    corpus, db = tmp_path / "c.jsonl", tmp_path / "rhizo.db"
    make_corpus.write_jsonl(make_corpus.generate(40, 2), corpus)
    engine = open_db(db)
    ingest_files(engine, db, "jsonl", [corpus])
    engine.dispose()
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_instructions.py"), "--db", str(db),
                          "--threads", "1", "--skip", "0"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    m = re.fullmatch(r".*/src: (\d+) comments, ([\d,]+) instructions, ([\d.]+)M per comment\n", run.stdout)
    assert m, run.stdout
    comments, per = int(m.group(1)), float(m.group(3))
    assert comments >= 1 and 1.0 < per < 500.0  # millions of instructions: the text stages ran, and only they
