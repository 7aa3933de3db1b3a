"""Measure the screening rules on the labelled set: per rule true/false positives/negatives, precision, recall.

    PYTHONPATH=src python scripts/eval_screening.py [LABELLED.jsonl] [--policy POLICY.toml] [--errors]
    PYTHONPATH=src python scripts/eval_screening.py --speed CORPUS.jsonl   # comments/s on a make_corpus file
    PYTHONPATH=src python scripts/eval_screening.py --crisis              # the crisis phrasing set

Each line of the labelled set is one comment: thread, id, parent, author, post_author, body, flags (the
expected rule names, written from the text), for duplicate / deletion_request an optional target, and
`split`: "dev" (absent; the rules were tuned on these), "holdout" (written after that tuning, measured,
then tuned on) or "holdout2" (written last). Report the first measurement of a split as its honest number.
Comments are screened a thread at a time, in file order, with no identifier counter (heavy_identifiers
is measured in the unit tests with a stand-in counter, not here). Target mismatches are counted apart.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rhizo_voices import screening

DEFAULT_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "screening_labelled.jsonl"
CRISIS_SET = DEFAULT_SET.with_name("screening_crisis.jsonl")


@dataclass
class RuleScore:
    """Counts for one rule over the labelled set."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def load_labelled(path: Path) -> dict[str, list[dict]]:
    """Rows of the labelled set grouped by thread, in file order."""
    threads: dict[str, list[dict]] = defaultdict(list)
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            threads[row["thread"]].append(row)
    return threads


def evaluate(path: Path = DEFAULT_SET, policy: screening.Policy | None = None, split: str | None = None
             ) -> tuple[dict[str, RuleScore], int, list[str]]:
    """(scores by rule, comments screened, target mismatches), over one split or (None) all rows."""
    policy = policy or screening.load_policy()
    scores = {rule: RuleScore() for rule in screening.RULES if rule != "heavy_identifiers"}
    total, target_errors = 0, []
    for rows in load_labelled(path).values():
        if split is not None and rows[0].get("split", "dev") != split:
            continue
        inputs = [screening.ScreenInput(native_id=r["id"], parent_id=r["parent"], author=r["author"],
                                        body=r["body"], post_author=r.get("post_author", False)) for r in rows]
        got = screening.screen_thread(inputs, policy)
        for r in rows:
            total += 1
            fired = {f.rule: f for f in got[r["id"]]}
            expected = set(r["flags"])
            for rule, score in scores.items():
                if rule in fired and rule in expected:
                    score.tp += 1
                    if "target" in r and fired[rule].target != r["target"]:
                        target_errors.append(f"{r['id']} {rule}: target {fired[rule].target} != {r['target']}")
                elif rule in fired:
                    score.fp += 1
                    score.errors.append(f"FP {r['id']}: {fired[rule].evidence}")
                elif rule in expected:
                    score.fn += 1
                    score.errors.append(f"FN {r['id']}: {r['body'][:70]}")
                else:
                    score.tn += 1
    return scores, total, target_errors


def speed(corpus: Path, policy: screening.Policy) -> tuple[int, float, float]:
    """(comments, wall seconds, CPU seconds) to screen a make_corpus JSONL thread by thread, one process."""
    threads: dict[str, list[dict]] = defaultdict(list)
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            threads[row["thread"]].append(row)
    inputs = [[screening.ScreenInput(r["id"], r.get("parent"), r.get("author"), r["body"]) for r in rows]
              for rows in threads.values()]
    wall, cpu = time.perf_counter(), time.process_time()
    for thread in inputs:
        screening.screen_thread(thread, policy)
    return sum(map(len, inputs)), time.perf_counter() - wall, time.process_time() - cpu


def crisis_set(path: Path, policy: screening.Policy) -> tuple[int, int, list[str], list[str]]:
    """(crisis sentences, others, crisis missed, others held) on one-sentence comments screened alone."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    missed, extra = [], []
    for r in rows:
        flags = screening.screen_thread([screening.ScreenInput("1", None, "someone", r["text"])], policy)["1"]
        held = any(f.rule == "crisis" for f in flags)
        if r["crisis"] and not held:
            missed.append(r["text"])
        elif held and not r["crisis"]:
            extra.append(r["text"])
    positives = sum(bool(r["crisis"]) for r in rows)
    return positives, len(rows) - positives, missed, extra


def _fmt(x: float | None) -> str:
    return "   -" if x is None else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labelled", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--policy", type=Path, default=None)
    parser.add_argument("--split", default=None,
                        help="one split only: dev (the rules were tuned on it), holdout (measured once, then "
                             "tuned on), holdout2 (written last)")
    parser.add_argument("--errors", action="store_true", help="list every false positive and negative")
    parser.add_argument("--speed", type=Path, metavar="CORPUS", help="time screening a make_corpus JSONL")
    parser.add_argument("--crisis", action="store_true", help=f"score the crisis phrasing set ({CRISIS_SET.name})")
    args = parser.parse_args(argv)
    policy = screening.load_policy(args.policy)
    if args.speed:
        n, wall, cpu = speed(args.speed, policy)
        print(f"screened {n} comments: {n / wall:,.0f}/s wall, {n / cpu:,.0f}/s CPU (one process)")
        return 0
    if args.crisis:
        pos, neg, missed, extra = crisis_set(CRISIS_SET, policy)
        print(f"crisis held {pos - len(missed)} of {pos}; other sentences held {len(extra)} of {neg}")
        if args.errors:
            print("\n".join([f"  missed: {t}" for t in missed] + [f"  held: {t}" for t in extra]))
        return 0
    splits = list(dict.fromkeys(rows[0].get("split", "dev") for rows in load_labelled(args.labelled).values()))
    for split in (args.split,) if args.split else (*splits, None):
        scores, total, target_errors = evaluate(args.labelled, policy, split)
        print(f"\n[{split or 'all'}] {total} comments, policy {policy.version}")
        print(f"{'rule':<18}{'TP':>4}{'FP':>4}{'FN':>4}{'TN':>5}  precision  recall")
        for rule, s in scores.items():
            print(f"{rule:<18}{s.tp:>4}{s.fp:>4}{s.fn:>4}{s.tn:>5}  {_fmt(s.precision):>9}  {_fmt(s.recall):>6}")
        print(f"target mismatches: {len(target_errors)}")
        if args.errors:
            for rule, s in scores.items():
                for e in s.errors:
                    print(f"  {rule}: {e}")
            for e in target_errors:
                print(f"  {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
