"""Where analyze's time goes: CPU milliseconds per comment of each stage, in one process.

    python scripts/bench_stages.py [--size 20000] [--seed 1] [--db ingested.db]

A corpus from scripts/make_corpus.py is ingested into a temporary database (or a copy of ``--db`` is
used), the models are loaded first (not counted), and `analyze` runs in this process (workers=1) with
each stage's public function wrapped in a CPU-time counter (time.process_time: other processes on a
shared machine do not inflate it). A stage's time excludes the wrapped stages it calls (screening
asks the redactor to count identifiers: that time is the redactor's). "other" is analyze's time
outside every wrapped stage: reading, hashing, orchestration.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts")]

# (module, function, stage): every call goes through the module attribute, so wrapping it counts it
STAGES = (("privacy", "find_identifiers", "identifiers (privacy)"),
          ("privacy", "find_identifiers_many", "identifiers (privacy)"), ("privacy", "apply", "redaction applied"),
          ("privacy", "redact_excerpt", "flag evidence redacted"), ("screening", "screen_thread", "screening"),
          ("screening", "decide", "decision"), ("symptoms", "find_mentions", "symptom mentions"),
          ("symptoms", "anchor", "anchoring"), ("sentiment", "compound", "VADER"),
          ("sentiment", "sentence_around", "mention sentences"), ("pipeline", "_write", "database writes"))


class Clock:
    """CPU time per stage, each stage's own (time in nested wrapped stages goes to those)."""

    def __init__(self) -> None:
        self.own: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[float] = []

    def wrap(self, module: Any, name: str, stage: str) -> None:
        inner_fn: Callable[..., Any] = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            self._stack.append(0.0)
            try:
                return inner_fn(*args, **kwargs)
            finally:
                took = time.process_time() - started
                nested = self._stack.pop()
                self.own[stage] += took - nested
                self.calls[stage] += 1
                if self._stack:
                    self._stack[-1] += took
        setattr(module, name, timed)


def measure(db_file: Path) -> tuple[int, float, Clock]:
    """Analyse ``db_file`` in this process; returns comments analysed, CPU seconds and the clock."""
    from rhizo_voices import pipeline, privacy, screening, sentiment, symptoms
    from rhizo_voices.db import open_db
    modules = {"privacy": privacy, "screening": screening, "symptoms": symptoms, "sentiment": sentiment,
               "pipeline": pipeline}
    policy = screening.load_policy()
    pipeline._warm_up(policy, pipeline._versions(policy))  # models loaded before the clock starts
    clock = Clock()
    for module, name, stage in STAGES:
        clock.wrap(modules[module], name, stage)
    engine = open_db(db_file)
    try:
        started = time.process_time()
        result = pipeline.analyze(engine, policy=policy, workers=1)
        return result.comments, time.process_time() - started, clock
    finally:
        engine.dispose()


def table(comments: int, cpu: float, clock: Clock) -> str:
    rows = sorted(clock.own.items(), key=lambda kv: -kv[1])
    rows.append(("other", cpu - sum(clock.own.values())))
    lines = [f"analyze, one process: {cpu:.2f} s CPU for {comments:,} comments = {cpu / comments * 1e3:.3f} ms "
             f"per comment ({comments / cpu:,.0f} comments/s per core)", "",
             "| stage | CPU s | ms per comment | share | calls |", "|---|---|---|---|---|"]
    for stage, own in rows:
        lines.append(f"| {stage} | {own:.2f} | {own / comments * 1e3:.3f} | {own / cpu:.0%} | "
                     f"{clock.calls.get(stage, '')} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=20000, help="comments to generate (without --db)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--db", type=Path, default=None, help="an ingested database to copy (with its .key)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rhizo-stages-") as tmp:
        db_file = Path(tmp) / "rhizo.db"
        if args.db:
            shutil.copyfile(args.db, db_file)
            shutil.copyfile(args.db.with_name(args.db.name + ".key"), db_file.with_name(db_file.name + ".key"))
        else:
            import make_corpus

            from rhizo_voices.db import open_db
            from rhizo_voices.ingest import ingest_files
            corpus = Path(tmp) / "corpus.jsonl"
            make_corpus.write_jsonl(make_corpus.generate(args.size, args.seed), corpus)
            engine = open_db(db_file)
            ingest_files(engine, db_file, "jsonl", [corpus])
            engine.dispose()
        print(table(*measure(db_file)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
