#!/usr/bin/env python
"""Judge the language stages on text this project did not write.

    python scripts/eval_real.py                          # ../shared/realtext/dev.jsonl
    python scripts/eval_real.py --data other.jsonl       # any file of the same shape (your own sets too)
    python scripts/eval_real.py --negex FILE             # + negation on the NegEx test kit
    python scripts/eval_real.py --errors                 # + every wrong passage (ids and labels, no text)

Each JSONL line: {"id", "thread", "author", "parent", "body", "gold": {"symptoms": [...],
"role": "patient|provider|other", "pii": [...], "crisis": bool}}. Passages are screened thread by
thread, in file order, as `rhizo analyze` screens them. Prints, for each file: symptom P/R/F1 per DESIGN
category with counts (`reported_symptoms` on the raw passage), the role confusion table (gold rows,
predicted columns), clinic/staff found, non-patient passages counted as patients, crisis recall and
precision, and identifiers of `gold.pii` left in the redacted text.

The NegEx kit (chapmanbe/negex, negex.python/Annotations-1-120.txt: report, concept, sentence,
Affirmed|Negated; the concept is upper-cased inside the sentence) is scored with `is_negated` on the
concept's span; it is a public benchmark to download and never to commit.

Nothing here prints the passages themselves: they are other people's words.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if "PYTHONPATH" not in os.environ:  # a worktree's src can be given with PYTHONPATH instead
    sys.path.insert(0, str(ROOT / "src"))

from rhizo_voices import screening  # noqa: E402
from rhizo_voices.privacy import redact  # noqa: E402
from rhizo_voices.symptoms import is_negated, reported_symptoms  # noqa: E402

DESIGN_IDS = ("leg_burning", "numbness", "falls", "recurrence", "tingling", "weakness", "increased_pain")
ROLES = ("patient", "provider", "other")
DEFAULT = ROOT.parent / "shared" / "realtext" / "dev.jsonl"


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def screen(rows: list[dict[str, Any]]) -> dict[str, tuple[str, bool]]:
    """id -> (predicted role, crisis flagged), screening each thread's passages together."""
    policy = screening.load_policy()
    threads: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        threads[r.get("thread") or r["id"]].append(r)
    out = {}
    for items in threads.values():
        flags = screening.screen_thread(
            [screening.ScreenInput(native_id=r["id"], parent_id=r.get("parent"), author=r.get("author") or None,
                                   body=r["body"]) for r in items], policy)
        for r in items:
            f = flags.get(r["id"], [])
            out[r["id"]] = (screening.role_for(f), any(x.rule == "crisis" for x in f))
    return out


def symptom_scores(rows: list[dict[str, Any]], errors: list[str]) -> None:
    counts = {c: Counter() for c in DESIGN_IDS}
    for r in rows:
        gold = set(r["gold"]["symptoms"]) & set(DESIGN_IDS)
        pred = reported_symptoms(r["body"]) & set(DESIGN_IDS)
        for c in DESIGN_IDS:
            counts[c]["tp"] += c in gold and c in pred
            counts[c]["fp"] += c in pred and c not in gold
            counts[c]["fn"] += c in gold and c not in pred
        if gold != pred:
            errors.append(f"  symptoms {r['id']}: gold {sorted(gold)} predicted {sorted(pred)}")
    print(f"{'category':<16}{'tp':>4}{'fp':>4}{'fn':>4}{'P':>7}{'R':>7}{'F1':>7}")
    total = Counter()
    for c in DESIGN_IDS:
        k = counts[c]
        total.update(k)
        p, r_, f = prf(k["tp"], k["fp"], k["fn"])
        print(f"{c:<16}{k['tp']:>4}{k['fp']:>4}{k['fn']:>4}{p:>7.2f}{r_:>7.2f}{f:>7.2f}")
    p, r_, f = prf(total["tp"], total["fp"], total["fn"])
    print(f"{'micro':<16}{total['tp']:>4}{total['fp']:>4}{total['fn']:>4}{p:>7.2f}{r_:>7.2f}{f:>7.2f}")
    print(f"symptom micro F1 {f:.3f} (P {p:.3f}, R {r_:.3f})")


def counted_scores(rows: list[dict[str, Any]], predicted: dict[str, tuple[str, bool]]) -> None:
    """What the report counts: symptoms of passages read as a patient's, against gold patients' symptoms."""
    tp = fp = fn = 0
    for r in rows:
        gold = set(r["gold"]["symptoms"]) & set(DESIGN_IDS) if r["gold"]["role"] == "patient" else set()
        pred = reported_symptoms(r["body"]) & set(DESIGN_IDS) if predicted[r["id"]][0] == "patient" else set()
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    p, r_, f = prf(tp, fp, fn)
    print(f"\ncounted (patient passages only, roles as screened): micro F1 {f:.3f} (P {p:.3f}, R {r_:.3f}; "
          f"tp {tp} fp {fp} fn {fn})")


def role_scores(rows: list[dict[str, Any]], predicted: dict[str, tuple[str, bool]], errors: list[str]) -> None:
    table = Counter((r["gold"]["role"], predicted[r["id"]][0]) for r in rows)
    print("\nroles (rows gold, columns predicted)")
    print(f"{'':<10}" + "".join(f"{p:>10}" for p in ROLES))
    for g in ROLES:
        print(f"{g:<10}" + "".join(f"{table[(g, p)]:>10}" for p in ROLES))
    providers = sum(table[("provider", p)] for p in ROLES)
    non_patient = sum(table[(g, p)] for g in ("provider", "other") for p in ROLES)
    counted = table[("provider", "patient")] + table[("other", "patient")]
    print(f"clinic/staff found: {table[('provider', 'provider')]} of {providers}"
          f" ({table[('provider', 'provider')] / providers if providers else 1:.2f})")
    print(f"non-patient counted as patient: {counted} of {non_patient} ({counted / non_patient if non_patient else 0:.2f})")
    patients = sum(table[("patient", p)] for p in ROLES)
    print(f"patients kept: {table[('patient', 'patient')]} of {patients}")
    for r in rows:
        if predicted[r["id"]][0] != r["gold"]["role"]:
            errors.append(f"  role {r['id']}: gold {r['gold']['role']} predicted {predicted[r['id']][0]}")


def crisis_scores(rows: list[dict[str, Any]], predicted: dict[str, tuple[str, bool]], errors: list[str]) -> None:
    tp = sum(r["gold"].get("crisis", False) and predicted[r["id"]][1] for r in rows)
    gold = sum(bool(r["gold"].get("crisis", False)) for r in rows)
    held = sum(predicted[r["id"]][1] for r in rows)
    print(f"\ncrisis: held {tp} of {gold} (recall {tp / gold if gold else 1:.2f}); "
          f"{held} held in all (precision {tp / held if held else 1:.2f})")
    for r in rows:
        if bool(r["gold"].get("crisis", False)) != predicted[r["id"]][1]:
            errors.append(f"  crisis {r['id']}: gold {r['gold'].get('crisis', False)}")


def pii_scores(rows: list[dict[str, Any]], errors: list[str]) -> None:
    total = leaked = 0
    for r in rows:
        author = r.get("author") or ""
        out = redact(r["body"], (author,) if author else ())
        for item in r["gold"].get("pii", []):
            if item not in r["body"]:
                continue  # an author field only: the stored author is a pseudonym
            total += 1
            if item in out:
                leaked += 1
                errors.append(f"  pii {r['id']}: an identifier of {len(item)} characters left in")
    print(f"\nidentifiers in the text: {total - leaked} of {total} removed, {leaked} left in")


def negex_scores(path: Path) -> None:
    tp = fp = fn = tn = 0
    with path.open(encoding="utf-8", errors="replace") as fh:
        reader = csv.reader(fh, delimiter="\t")
        next(reader)
        for row in reader:
            if len(row) < 4:
                continue
            concept, sentence, label = row[1].strip(), row[2].strip().strip('"'), row[3].strip()
            start = sentence.find(concept.upper())
            if start < 0:
                start = sentence.lower().find(concept.lower())
            if start < 0:
                continue
            pred = is_negated(sentence, start, start + len(concept))
            gold = label.startswith("Negat")
            tp += gold and pred
            fp += pred and not gold
            fn += gold and not pred
            tn += not gold and not pred
    p, r, f = prf(tp, fp, fn)
    print(f"\nNegEx kit ({tp + fp + fn + tn} sentences): negation P {p:.3f} R {r:.3f} F1 {f:.3f} "
          f"(tp {tp} fp {fp} fn {fn})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, action="append", help=f"JSONL to judge (default {DEFAULT})")
    ap.add_argument("--negex", type=Path, help="the NegEx kit's annotation file")
    ap.add_argument("--errors", action="store_true", help="list wrong passages by id")
    args = ap.parse_args()
    for path in args.data or [DEFAULT]:
        rows = load(path)
        print(f"== {path} ({len(rows)} passages)")
        errors: list[str] = []
        symptom_scores(rows, errors)
        predicted = screen(rows)
        counted_scores(rows, predicted)
        role_scores(rows, predicted, errors)
        crisis_scores(rows, predicted, errors)
        pii_scores(rows, errors)
        if args.errors and errors:
            print("\nwrong:")
            print("\n".join(errors))
    if args.negex:
        negex_scores(args.negex)


if __name__ == "__main__":
    main()
