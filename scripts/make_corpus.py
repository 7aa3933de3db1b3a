"""Write a seeded synthetic corpus of patient comments about rhizotomy / RFA, with ground-truth labels.

    python scripts/make_corpus.py --size N --seed S --format jsonl|reddit-json --out PATH [--threads T]

jsonl: one comment per line (id, thread, author, created, parent, body), labels in <out stem>.labels.jsonl
beside it. reddit-json: PATH is a folder; one /comments/<id>.json file per thread plus labels.jsonl. The
same seed gives byte-identical output, and the same comments (ids, bodies, labels) in both formats.
Label lines: id, thread, role (patient|provider|other), symptoms (categories the text affirms as
experienced after the procedure, by the writer or a person they describe), identifiers (kind in name,
user, email, phone, url, place, address, date; text occurs verbatim in the body), flags (the screening
rules the comment should fire), target (the earlier comment a duplicate repeats or a deletion request
names). Role follows screening.role_for: a comment with no report of one's own (a question before the
procedure, "Thanks!" from someone who has not reported here, "[removed]") is other + no_experience.
Reddit submissions get label lines too (id = the thread id). Standard library only; nothing downloaded.
The template tables are in corpus_templates.toml beside this file, the Reddit writer in corpus_reddit.py.
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import random
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

# corpus_reddit imports this module by name: when run as a script, let that name be this module.
sys.modules.setdefault("make_corpus", sys.modules[__name__])

# Rates (per comment unless said otherwise). Whatever is left after the others is a patient report.
P_PROVIDER, P_OFF_TOPIC, P_NO_EXPERIENCE, P_CHATTER = 0.11, 0.04, 0.05, 0.10
P_DUPLICATE, P_DELETION, P_CRISIS = 0.01, 0.006, 0.003  # crisis: added to a report
P_DELETED_AUTHOR, P_REMOVED = 0.02, 0.01                # "[deleted]" author (body kept) / "[removed]" body
P_TOP_LEVEL, P_MORE_STUB = 0.45, 0.04                    # a reply to the post itself / a "more" stub per listing
# Inside a patient report: how many affirmed symptom sentences, and the other kinds of mention.
P_AFFIRMED = (0.18, 0.42, 0.28, 0.12)                    # 0, 1, 2, 3 affirmed sentences
P_NEGATED, P_HYPOTHETICAL, P_BEFORE, P_TRAP, P_RELATIVE = 0.30, 0.15, 0.10, 0.30, 0.07
P_LONG, P_VERY_LONG, P_ONE_LINER = 0.05, 0.004, 0.12
P_TEXTING, P_DOTS, P_CURLY, P_MISSPELL = 0.12, 0.08, 0.25, 0.15  # voices
# Identifiers sprinkled into bodies.
P_GREETING, P_DOCTOR, P_PLACE, P_DATE, P_EMAIL, P_PHONE, P_URL, P_USER, P_SIGN = (
    0.25, 0.07, 0.07, 0.05, 0.02, 0.01, 0.03, 0.03, 0.03)
P_PROVIDER_PHONE, P_PROVIDER_URL, P_PROVIDER_EMAIL, P_PROVIDER_ADDRESS = 0.35, 0.45, 0.12, 0.08
HEAVY_IDENTIFIERS = 5  # more identifiers than this: the screening rule heavy_identifiers should fire
CATEGORIES = ("leg_burning", "numbness", "falls", "recurrence", "tingling", "weakness", "increased_pain")

TEMPLATES = Path(__file__).with_name("corpus_templates.toml")


def _tuples(value):  # noqa: ANN001, ANN202  (TOML arrays -> tuples, all the way down)
    return tuple(map(_tuples, value)) if isinstance(value, list) else value


def load_templates(path: Path = TEMPLATES) -> dict[str, dict]:
    """The template tables (see the TOML's own comments), arrays as tuples."""
    with path.open("rb") as f:
        return {name: {k: _tuples(v) for k, v in table.items()} for name, table in tomllib.load(f).items()}


_T = load_templates()
FIRST, LAST, HANDLES, TOWNS, STREETS, CLINICS, DOMAINS, MONTHS, SUBREDDITS = (_T["people"][k] for k in (
    "first", "last", "handles", "towns", "streets", "clinics", "domains", "months", "subreddits"))
V: dict[str, tuple] = _T["slots"]  # slot vocabulary: {slot} in a template takes one of these, fixed per comment
AFFIRMED = tuple(((cat,), t) for cat, ts in _T["affirmed"].items() for t in ts)  # (categories, template)
(COMBOS, RELATIVE, NEGATED, HYPOTHETICAL, BEFORE, TRAPS, OPENERS, UNTIMED, LEADS, FILLER, QUESTIONS, CHATTER,
 PROVIDER_LINES, OFF_TOPIC, NO_EXPERIENCE, CRISIS, DELETE_BARE, DELETE_WITH, MISSPELL, TITLES) = (
    _T["templates"][k] for k in (
        "combos", "relative", "negated", "hypothetical", "before", "traps", "openers", "untimed", "leads",
        "filler", "questions", "chatter", "provider_lines", "off_topic", "no_experience", "crisis",
        "delete_bare", "delete_with", "misspell", "titles"))
if set(_T["affirmed"]) != set(CATEGORIES):
    raise ValueError(f"{TEMPLATES}: [affirmed] must have exactly the categories {CATEGORIES}")


class _Slots(dict):
    """Template slots filled on first use and fixed for the rest of the comment."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        if key in ("rel", "pron", "subj"):
            self["rel"], self["pron"], self["subj"] = _pick(self.rng, V["rel"])
        elif key == "date":
            self[key] = _full_date(self.rng)
        else:
            self[key] = _pick(self.rng, V[key]).format_map(self)
        return self[key]


@dataclass(slots=True)
class Author:
    """A commenter: display name (blogs), username (Reddit), first name (greetings) or ""."""

    display: str
    user: str
    first: str


@dataclass(slots=True)
class Comment:
    """One generated comment and its ground truth."""

    id: str
    thread: str
    author: Author
    created: int
    parent: int | None  # index in the thread, None for a top-level comment
    body: str
    role: str
    symptoms: tuple[str, ...] = ()
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    flags: tuple[str, ...] = ()
    target: str | None = None


def _pick(rng: random.Random, seq: tuple | list):  # noqa: ANN201  (3x faster than rng.choice)
    return seq[int(rng.random() * len(seq))]


def _int(rng: random.Random, a: int, b: int) -> int:
    return a + int(rng.random() * (b - a + 1))


def _full_date(rng: random.Random) -> str:
    y, m, d = _int(rng, 2014, 2025), _int(rng, 1, 12), _int(rng, 1, 28)
    return (f"{MONTHS[m - 1]} {d}, {y}", f"{m}/{d}/{y}", f"{y}-{m:02d}-{d:02d}")[_int(rng, 0, 2)]


def _make_author(rng: random.Random, i: int) -> Author:
    first, last = _pick(rng, FIRST), _pick(rng, LAST)
    style = _int(rng, 0, 4)
    user = f"{_pick(rng, HANDLES)}_{_pick(rng, HANDLES)}{i % 97}" if style < 3 else \
        f"{first.lower()}{last[0].lower()}{i}"
    display = (first, f"{first} {last[0]}", f"{first} {last}", user, user)[style]
    return Author(display, user, first if style < 3 else "")


def _ident(kind: str, text: str, ids: list[tuple[str, str]]) -> str:
    ids.append((kind, text))
    return text


def _sprinkle(rng: random.Random, ids: list[tuple[str, str]]) -> list[str]:
    """Identifier sentences for a patient comment (each with its own rate)."""
    out = []
    if rng.random() < P_DOCTOR:
        out.append(f"Dr. {_ident('name', _pick(rng, LAST), ids)} did mine.")
    if rng.random() < P_PLACE:
        out.append(f"I'm in {_ident('place', _pick(rng, TOWNS), ids)} if that matters.")
    if rng.random() < P_DATE:
        out.append(f"My procedure was on {_ident('date', _full_date(rng), ids)}.")
    if rng.random() < P_USER:
        user = f"{_pick(rng, HANDLES)}_{_pick(rng, HANDLES)}{_int(rng, 1, 99)}"
        out.append(f"/u/{_ident('user', user, ids)} posted about the same thing.")
    if rng.random() < P_URL:
        url = f"https://www.{_pick(rng, HANDLES)}{_pick(rng, HANDLES)}.com/rfa-recovery"
        out.append(f"This helped me: {_ident('url', url, ids)}")
    if rng.random() < P_EMAIL:
        email = f"{_pick(rng, FIRST).lower()}.{_pick(rng, LAST).lower()}{_int(rng, 1, 99)}@{_pick(rng, DOMAINS)}"
        out.append(f"Feel free to email me at {_ident('email', email, ids)}.")
    if rng.random() < P_PHONE:
        out.append(f"Text me at {_ident('phone', _phone(rng), ids)} if you want to talk.")
    return out


def _phone(rng: random.Random) -> str:
    a, b = _int(rng, 201, 989), _int(rng, 1000, 9999)
    return (f"({a}) 555-{b}", f"{a}-555-{b}", f"{a}.555.{b}")[_int(rng, 0, 2)]


def _voice(rng: random.Random, sentences: list[str]) -> list[str]:
    """Texting voice, missing capitals and apostrophes, or misspellings; leaves identifier sentences alone."""
    r = rng.random()
    if r < P_TEXTING:
        return [s.lower().replace("'", "").rstrip(".") for s in sentences]
    if r < P_TEXTING + P_MISSPELL:
        out = []
        for s in sentences:
            for right, wrong in MISSPELL:
                s = s.replace(right, wrong)
            out.append(s)
        return out
    return sentences


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def patient_report(rng: random.Random, slots: _Slots, ids: list[tuple[str, str]], cats: set[str],
                   negated: set[str], opener: bool = True) -> str:
    """A patient's report: opener, affirmed symptoms (added to ``cats``), negations (never of an affirmed
    category: added to ``negated``), other mentions, filler, a question."""
    timed = rng.random() < 0.6
    body = [_cap(_pick(rng, OPENERS if timed else UNTIMED).format_map(slots))] if opener else []
    r, k = rng.random(), 0
    while k < 3 and r >= P_AFFIRMED[k]:
        r, k = r - P_AFFIRMED[k], k + 1
    for i in range(k):
        c, tmpl = _pick(rng, COMBOS) if rng.random() < 0.12 else _pick(rng, AFFIRMED)
        if negated.intersection(c):
            continue
        cats.update(c)
        lead = "" if "recurrence" in c else \
            _pick(rng, LEADS if i == 0 and opener and not timed else V["when"]).format_map(slots)
        body.append(_cap(lead + tmpl.format_map(slots)) + _pick(rng, (".", ".", "!", " :(")))
    if rng.random() < P_NEGATED:
        c, text = _pick(rng, NEGATED)
        if not cats.intersection(c):
            negated.update(c)
            body.insert(_int(rng, min(1, len(body)), len(body)), text)
    for p, pool in ((P_HYPOTHETICAL, HYPOTHETICAL), (P_BEFORE, BEFORE), (P_TRAP, TRAPS)):
        if rng.random() < p:
            body.insert(_int(rng, min(1, len(body)), len(body)), _pick(rng, pool).format_map(slots))
    if rng.random() < P_RELATIVE:
        c, tmpl = _pick(rng, RELATIVE)
        cats.update(c)
        body.append(tmpl.format_map(slots))
    body += dict.fromkeys(_pick(rng, FILLER).format_map(slots) for _ in range(_int(rng, 0, 2)))
    body = _voice(rng, body)
    body.append(_pick(rng, QUESTIONS))
    body += _sprinkle(rng, ids)
    return " ".join(s for s in body if s)


def _provider(rng: random.Random, parent: Author | None, ids: list[tuple[str, str]]) -> str:
    lines = []
    if parent and parent.first and rng.random() < 0.6:
        lines.append(f"Hi {_ident('name', parent.first, ids)},")
    lines += rng.sample(PROVIDER_LINES, _int(rng, 1, 2))
    slug = _pick(rng, CLINICS).lower().replace(" ", "")
    if rng.random() < P_PROVIDER_URL:
        lines.append(f"Please see: {_ident('url', f'https://{slug}.com/blog/rfa-side-effects/', ids)}")
    if rng.random() < P_PROVIDER_PHONE:
        lines.append(f"Call our office at {_ident('phone', _phone(rng), ids)} to schedule a consultation.")
    if rng.random() < P_PROVIDER_EMAIL:
        lines.append(f"You can email our team at {_ident('email', f'info@{slug}.com', ids)}.")
    if rng.random() < P_PROVIDER_ADDRESS:
        lines.append(f"We're at {_ident('address', f'{_int(rng, 100, 9999)} {_pick(rng, STREETS)}', ids)}.")
    if rng.random() < 0.3:
        lines.append(f"Dr. {_ident('name', _pick(rng, LAST), ids)}")
    return " ".join(lines)


def make_comment(rng: random.Random, cid: str, tid: str, author: Author, parent_author: Author | None,
                 kind: str) -> Comment:
    """One comment of the given kind: report, provider, off_topic, no_experience, chatter, removed."""
    ids: list[tuple[str, str]] = []
    slots = _Slots(rng)
    cats: set[str] = set()
    negated: set[str] = set()
    flags: list[str] = []
    role = "patient"
    if kind == "provider":
        body, role, flags = _provider(rng, parent_author, ids), "provider", ["provider"]
    elif kind == "off_topic":
        c, tmpl = _pick(rng, OFF_TOPIC)
        body, role, flags, cats = tmpl.format_map(slots), "other", ["off_topic"], set(c)
    elif kind == "no_experience":
        body, role, flags = _pick(rng, NO_EXPERIENCE).format_map(slots), "other", ["no_experience"]
        if "date" in slots:
            ids.append(("date", slots["date"]))
    elif kind == "chatter":
        body = _pick(rng, CHATTER)
    elif kind == "removed":
        body, role = "[removed]", "other"
    else:
        r = rng.random()
        if r < P_VERY_LONG:
            body = "\n\n".join(patient_report(rng, slots, ids, cats, negated, i == 0)
                                 for i in range(_int(rng, 15, 25)))
        elif r < P_LONG:
            body = "\n\n".join(patient_report(rng, slots, ids, cats, negated, i == 0)
                                 for i in range(_int(rng, 3, 5)))
        elif r < P_LONG + P_ONE_LINER:
            c, tmpl = _pick(rng, AFFIRMED)
            body, cats = f"{slots['proc']} {slots['ago']}, {tmpl.format_map(slots)}".lower(), set(c)
        else:
            body = patient_report(rng, slots, ids, cats, negated)
        if rng.random() < P_CRISIS:
            body, flags = f"{body} {_pick(rng, CRISIS)}", ["crisis"]
    if kind in ("report", "chatter") and parent_author and parent_author.first and rng.random() < P_GREETING:
        body = f"Hi {_ident('name', parent_author.first, ids)}, {body[:1].lower()}{body[1:]}"
    if role == "patient" and author.first and rng.random() < P_SIGN:
        body = f"{body}\n- {_ident('name', author.first, ids)}"
    if rng.random() < P_DOTS:
        body = body.replace(". ", ".. ")
    if rng.random() < P_CURLY:
        body = body.replace("'", "\u2019")
    if len(ids) > HEAVY_IDENTIFIERS:
        flags.append("heavy_identifiers")
    return Comment(cid, tid, author, 0, None, body, role, tuple(sorted(cats)), ids, tuple(sorted(flags)))


# ---------------------------------------------------------------- threads

DELETED = Author("[deleted]", "[deleted]", "")
START, END = 1420070400, 1751241600  # 2015-01-01 .. 2025-06-30 UTC


def thread_sizes(rng: random.Random, size: int, threads: int | None) -> list[int]:
    """Thread sizes summing to ``size``: log-normal, a few to a few hundred (or ``threads`` of them)."""
    if threads is None:
        sizes, left = [], size
        while left > 0:
            sizes.append(min(left, 400, 2 + int(rng.lognormvariate(2.3, 1.1))))
            left -= sizes[-1]
        return sizes
    weights = [rng.lognormvariate(0.0, 1.0) for _ in range(threads)]
    total = sum(weights)
    sizes = [1 + int((size - threads) * w / total) for w in weights]
    for i in range(size - sum(sizes)):
        sizes[i % threads] += 1
    return sizes


def _pick_kind(rng: random.Random) -> str:
    r = rng.random()
    for kind, p in (("provider", P_PROVIDER), ("off_topic", P_OFF_TOPIC), ("no_experience", P_NO_EXPERIENCE),
                    ("chatter", P_CHATTER), ("duplicate", P_DUPLICATE), ("deletion", P_DELETION),
                    ("removed", P_REMOVED)):
        if r < p:
            return kind
        r -= p
    return "report"


def _deletion(rng: random.Random, cid: str, tid: str, thread: list[Comment], j: int) -> Comment | None:
    """A request by an earlier commenter to delete their first (with a new report) or latest post."""
    posts = [i for i in range(j) if thread[i].role != "provider" and thread[i].author.user != "[deleted]"]
    if not posts:
        return None
    author = thread[_pick(rng, posts)].author
    mine = [i for i in posts if thread[i].author is author]
    if rng.random() < 0.6:
        c = make_comment(rng, cid, tid, author, None, "chatter")
        c.body, c.role, c.identifiers = _pick(rng, DELETE_BARE), "other", []
        c.target = thread[mine[-1]].id
    else:
        c = make_comment(rng, cid, tid, author, None, "report")
        c.body = f"{DELETE_WITH}\n{c.body}"
        c.target = thread[mine[0]].id
    c.flags = tuple(sorted({*c.flags, "deletion_request"}))
    return c


def generate(size: int, seed: int, threads: int | None = None) -> list[list[Comment]]:
    """The corpus as threads of comments in time order; every parent is earlier in its thread."""
    if size < 1 or (threads is not None and not 1 <= threads <= size):
        raise ValueError(f"need size >= 1 and 1 <= threads <= size, got size={size}, threads={threads}")
    rng = random.Random(seed)
    pool = [_make_author(rng, i) for i in range(max(10, size // 4))]
    clinics = [Author(name, "".join(ch for ch in name if ch.isalnum()), "") for name in
               (f"{c} Team" if i % 2 else f"Dr. {LAST[i]}, MD" for i, c in enumerate(CLINICS))]
    salt = seed % 1000
    out: list[list[Comment]] = []
    k = 0
    for t, n in enumerate(thread_sizes(rng, size, threads)):
        tid, ts, thread = f"{0x100000000 + (salt << 20) + t:x}", _int(rng, START, END), []
        patients: list[int] = []  # patient comments a provider may answer or a duplicate may repeat
        experienced: set[int] = set()  # id() of authors who reported their own procedure here
        seen: dict[tuple[int, str], str] = {}  # (id(author), body) -> first comment id
        for j in range(n):
            cid = f"{0x1000000000 + (salt << 24) + k:x}"
            ts += 30 + int(rng.expovariate(1 / 14400))
            parent = None if j == 0 or rng.random() < P_TOP_LEVEL else j - 1 - int(rng.random() ** 2 * j)
            kind = _pick_kind(rng)
            if kind == "provider" and not patients:
                kind = "report"
            c: Comment | None = None
            if kind == "provider":
                parent = _pick(rng, patients)
                c = make_comment(rng, cid, tid, _pick(rng, clinics), thread[parent].author, kind)
            elif kind == "duplicate" and patients:
                orig = thread[_pick(rng, patients)]
                c = Comment(cid, tid, orig.author, 0, orig.parent, orig.body, orig.role, orig.symptoms,
                            list(orig.identifiers), orig.flags, orig.id)
                parent = orig.parent  # a double post lands where the first one did
            elif kind == "deletion":
                c = _deletion(rng, cid, tid, thread, j)
                parent = None
            if c is None:
                kind = "report" if kind in ("duplicate", "deletion") else kind
                op = thread[0].author if thread[0:1] and thread[0].role == "patient" else None
                author = op if op and parent is not None and rng.random() < 0.25 else None
                for _ in range(4):  # someone asking before their procedure has not reported one here
                    if author is None or (kind == "no_experience" and id(author) in experienced):
                        author = pool[int(len(pool) * rng.random() ** 1.5)]
                pa = thread[parent].author if parent is not None else None
                c = make_comment(rng, cid, tid, DELETED if kind == "removed" else author,
                                 None if pa is author else pa, kind)
                if kind in ("chatter", "removed") and id(c.author) not in experienced:
                    c.role, c.flags = "other", tuple(sorted({*c.flags, "no_experience"}))  # no report at all
                if kind != "removed" and rng.random() < P_DELETED_AUTHOR:
                    c.author = DELETED
            if c.author is not DELETED:
                first = seen.setdefault((id(c.author), c.body), c.id)
                if first != c.id:  # deliberate, or the same short template twice by one author
                    c.flags, c.target = tuple(sorted({*c.flags, "duplicate"})), first
            if c.role == "patient" and kind in ("report", "deletion"):
                experienced.add(id(c.author))
            c.created, c.parent = ts, parent
            if c.role == "patient" and "duplicate" not in c.flags:
                patients.append(j)
            thread.append(c)
            k += 1
        out.append(thread)
    return out


# ---------------------------------------------------------------- output

_q = json.encoder.encode_basestring  # (C) a JSON string literal, non-ASCII kept as is


def _iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _label(c: Comment) -> str:
    """The label line of a comment (the same bytes json.dumps would write, built faster)."""
    syms, flags = ", ".join(f'"{x}"' for x in c.symptoms), ", ".join(f'"{x}"' for x in c.flags)
    idents = ", ".join(f'{{"kind": "{k}", "text": {_q(t)}}}' for k, t in c.identifiers)
    target = "null" if c.target is None else f'"{c.target}"'
    return (f'{{"id": "{c.id}", "thread": "{c.thread}", "role": "{c.role}", "symptoms": [{syms}], '
            f'"identifiers": [{idents}], "flags": [{flags}], "target": {target}}}\n')


def labels_path(out: Path, fmt: str) -> Path:
    """Where the labels go: labels.jsonl in a reddit-json folder, else <out stem>.labels.jsonl."""
    return out / "labels.jsonl" if fmt == "reddit-json" else out.with_name(out.stem + ".labels.jsonl")


def write_jsonl(threads: list[list[Comment]], out: Path) -> None:
    """One comment per line, keys id, thread, author, created, parent, body; labels beside it."""
    with out.open("w", encoding="utf-8", newline="\n") as f, \
            labels_path(out, "jsonl").open("w", encoding="utf-8", newline="\n") as lab:
        for thread in threads:
            rows = []
            for c in thread:
                parent = "null" if c.parent is None else f'"{thread[c.parent].id}"'
                rows.append(f'{{"id": "{c.id}", "thread": "{c.thread}", "author": {_q(c.author.display)}, '
                            f'"created": "{_iso(c.created)}", "parent": {parent}, "body": {_q(c.body)}}}\n')
            f.write("".join(rows))
            lab.write("".join(map(_label, thread)))



def write_reddit(threads: list[list[Comment]], out: Path, seed: int) -> None:
    """One <thread id>.json per thread in folder ``out``, and labels.jsonl (see corpus_reddit.py)."""
    name = "corpus_reddit"
    if name not in sys.modules:  # loaded by path: scripts/ need not be on sys.path
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    sys.modules[name].write_reddit(threads, out, seed)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, required=True, help="number of comments")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--format", choices=("jsonl", "reddit-json"), default="jsonl")
    ap.add_argument("--out", type=Path, required=True, help="a file (jsonl) or a folder (reddit-json)")
    ap.add_argument("--threads", type=int, default=None, help="number of threads (default: sized at random)")
    args = ap.parse_args(argv)
    if args.size < 1 or (args.threads is not None and not 1 <= args.threads <= args.size):
        ap.error("--size must be >= 1 and --threads between 1 and --size")
    started = time.perf_counter()
    gc.disable()  # millions of small acyclic objects: the cycle collector only costs time (~20%)
    try:
        threads = generate(args.size, args.seed, args.threads)
        if args.format == "jsonl":
            args.out.parent.mkdir(parents=True, exist_ok=True)
            write_jsonl(threads, args.out)
        else:
            write_reddit(threads, args.out, args.seed)
    finally:
        gc.enable()
    print(f"wrote {args.size} comments in {len(threads)} threads to {args.out} "
          f"(labels: {labels_path(args.out, args.format)}) in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
