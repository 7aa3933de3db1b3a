"""Instructions per comment of analyze's text stages, counted by valgrind's callgrind.

    python scripts/bench_instructions.py --db ingested.db [--threads 20] [--skip 600] [--src DIR]

Wall-clock figures on a shared machine drift by tens of percent within minutes; an instruction count
does not. The models are loaded and the threads read first; callgrind counts only the language work
of ``--threads`` threads (``pipeline._compute``, one process), switched on and off by client requests
from a three-line C helper built here with gcc (valgrind's header must be installed, as on Debian's
valgrind package). ``--src`` measures another checkout's ``src`` (for before/after comparisons).
About 4 minutes for 20 threads (~450 comments). Needs valgrind and gcc; nothing is installed.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELPER = """#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_ZERO_STATS; }
void cg_stop(void) { CALLGRIND_DUMP_STATS_AT("measured"); CALLGRIND_STOP_INSTRUMENTATION; }
"""


def measure(db: Path, threads: int, skip: int, helper: Path) -> int:
    """Inside valgrind: analyse the threads between the client requests; returns the comments."""
    from sqlmodel import Session

    from rhizo_voices import pipeline, screening
    from rhizo_voices.db import open_db
    policy = screening.load_policy()
    versions = pipeline._versions(policy)
    pipeline._warm_up(policy, versions)
    engine = open_db(db)
    with Session(engine) as session:
        ids = pipeline.stale_threads(session, versions)[skip:skip + threads]
        comments = pipeline._load(session, ids)
    cg = ctypes.CDLL(str(helper))
    cg.cg_start()
    for thread_id, rows in zip(ids, comments):
        pipeline._compute(thread_id, rows, policy=policy, versions=versions)
    cg.cg_stop()
    return sum(map(len, comments))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="an ingested database (not changed)")
    ap.add_argument("--threads", type=int, default=20)
    ap.add_argument("--skip", type=int, default=600, help="threads to pass over first")
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the rhizo_voices source to measure")
    ap.add_argument("--inside", type=Path, help=argparse.SUPPRESS)  # the helper: run under valgrind
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.src))
    if args.inside:
        print(f"comments {measure(args.db, args.threads, args.skip, args.inside)}")
        return 0
    with tempfile.TemporaryDirectory(prefix="rhizo-cg-") as tmp:
        helper = Path(tmp) / "libcgctl.so"
        (Path(tmp) / "cgctl.c").write_text(HELPER)
        subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(helper), str(Path(tmp) / "cgctl.c")], check=True)
        out = Path(tmp) / "callgrind.out"
        run = subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
                              sys.executable, __file__, "--db", str(args.db), "--threads", str(args.threads),
                              "--skip", str(args.skip), "--src", str(args.src), "--inside", str(helper)],
                             capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        found = re.search(r"comments (\d+)", run.stdout)
        dumps = sorted(Path(tmp).glob("callgrind.out.*"))
        if run.returncode or not found or not dumps:
            print(run.stdout + run.stderr, file=sys.stderr)
            return 1
        instructions = int(re.search(r"^summary: (\d+)", dumps[0].read_text(), re.M).group(1))
    comments = int(found.group(1))
    print(f"{args.src}: {comments} comments, {instructions:,} instructions, "
          f"{instructions / comments / 1e6:.2f}M per comment")
    return 0


if __name__ == "__main__":
    sys.exit(main())
