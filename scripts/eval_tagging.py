#!/usr/bin/env python
"""Evaluate the symptom tagger on a labelled development set.

Usage: python scripts/eval_tagging.py [--data tests/data/tagging_dev.jsonl] [--errors] [--speed-n 10000]
                                     [--rules-only]

Sets: tests/data/tagging_dev.jsonl (the project's own short sentences, the rules' development set) and
tests/data/tagging_heldout.jsonl (73 comments written before the learned step was trained, in patients',
carers' and clinics' manner, never used for training). `--rules-only` scores the codebook patterns and
context rules without the learned step, for comparison.

Each JSONL line: {"id", "text", "symptoms": [affirmed categories], "negated": [negated categories]}.
Prints precision, recall and F1 per category (affirmed detection), for negation (negated-category
detection: a category with a negated mention and no affirmed one), micro averages, and tagging speed over
the set repeated to at least --speed-n comments.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if "PYTHONPATH" not in os.environ:  # a worktree's src can be given with PYTHONPATH instead
    sys.path.insert(0, str(ROOT / "src"))

from rhizo_voices.symptoms import find_mentions, load_codebook  # noqa: E402
from rhizo_voices.symptoms.context import load_rules  # noqa: E402
from rhizo_voices.symptoms.tagger import Tagger  # noqa: E402

FIND = find_mentions

DESIGN_IDS = ("leg_burning", "numbness", "falls", "recurrence", "tingling", "weakness", "increased_pain")


def load(path: Path) -> list[dict[str, Any]]:
    """Read the labelled set."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def predict(text: str) -> tuple[set[str], set[str]]:
    """(affirmed categories, negated categories that are not also affirmed)."""
    mentions = FIND(text)
    affirmed = {m.category for m in mentions if m.assertion == "affirmed"}
    negated = {m.category for m in mentions if m.assertion == "negated"} - affirmed
    return affirmed, negated


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (1.0 where nothing was expected and nothing predicted)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Scores per category, for negation, micro averages, and the list of errors."""
    counts: dict[str, Counter[str]] = {c.id: Counter() for c in load_codebook().categories}
    neg: Counter[str] = Counter()
    errors = []
    for row in rows:
        gold, gold_neg = set(row["symptoms"]), set(row.get("negated", []))
        pred, pred_neg = predict(row["text"])
        for cat in counts:
            counts[cat]["tp"] += cat in gold and cat in pred
            counts[cat]["fp"] += cat not in gold and cat in pred
            counts[cat]["fn"] += cat in gold and cat not in pred
        neg["tp"] += len(gold_neg & pred_neg)
        neg["fp"] += len(pred_neg - gold_neg)
        neg["fn"] += len(gold_neg - pred_neg)
        if gold != pred or gold_neg != pred_neg:
            errors.append({"id": row["id"], "text": row["text"], "missed": sorted(gold - pred),
                           "extra": sorted(pred - gold), "neg_missed": sorted(gold_neg - pred_neg),
                           "neg_extra": sorted(pred_neg - gold_neg)})
    per = {cat: (*prf(c["tp"], c["fp"], c["fn"]), c["tp"] + c["fn"]) for cat, c in counts.items()}
    total = sum((c for c in counts.values()), Counter())
    return {"per_category": per, "negation": (*prf(neg["tp"], neg["fp"], neg["fn"]), neg["tp"] + neg["fn"]),
            "micro": prf(total["tp"], total["fp"], total["fn"]),
            "micro_design": prf(*(sum(counts[c][k] for c in DESIGN_IDS) for k in ("tp", "fp", "fn"))),
            "errors": errors}


def speed(rows: list[dict[str, Any]], n: int) -> tuple[int, float, float]:
    """Tag the texts repeated to at least n comments; (comments, wall seconds, CPU seconds)."""
    texts = [r["text"] for r in rows]
    batch = texts * (n // len(texts) + 1)
    t0, c0 = time.perf_counter(), time.process_time()
    for text in batch:
        FIND(text)
    return len(batch), time.perf_counter() - t0, time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "tagging_dev.jsonl")
    ap.add_argument("--errors", action="store_true", help="list the comments tagged wrongly")
    ap.add_argument("--speed-n", type=int, default=10_000)
    ap.add_argument("--rules-only", action="store_true", help="without the learned step")
    args = ap.parse_args(argv)
    global FIND
    FIND = Tagger(load_codebook(), load_rules(), use_model=False).find if args.rules_only else find_mentions
    rows = load(args.data)
    res = evaluate(rows)
    print(f"dev set: {args.data} ({len(rows)} comments), codebook {load_codebook().version}")
    print(f"{'category':<16} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}")
    for cat, (p, r, f, n) in res["per_category"].items():
        mark = " *" if cat in DESIGN_IDS else ""
        print(f"{cat:<16} {p:6.3f} {r:6.3f} {f:6.3f} {n:5d}{mark}")
    p, r, f, n = res["negation"]
    print(f"{'negation':<16} {p:6.3f} {r:6.3f} {f:6.3f} {n:5d}")
    print(f"{'micro (all)':<16} {res['micro'][0]:6.3f} {res['micro'][1]:6.3f} {res['micro'][2]:6.3f}")
    md = res["micro_design"]
    print(f"{'micro (* ids)':<16} {md[0]:6.3f} {md[1]:6.3f} {md[2]:6.3f}")
    if args.errors:
        for e in res["errors"]:
            print(json.dumps(e))
    count, wall, cpu = speed(rows, args.speed_n)
    print(f"speed: {count} comments in {wall:.2f} s wall ({count / wall:,.0f}/s), {cpu:.2f} s CPU "
          f"({count / cpu:,.0f}/s), one process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
