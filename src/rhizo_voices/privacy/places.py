"""Places that locate someone: cities and towns (lexicon, "Town, ST", after "in/from/near"), hospitals
and clinics (named ones from ``data/facilities.txt``, "... Hospital/Clinic" shapes, "at Mayo", "the
Cleveland one"), and employers ("a cashier at Walmart", ``data/employers.txt``).

US states, countries and regions (``data/regions.txt``) stay: they do not narrow anyone down enough,
and symptom words (``keep_words.txt``, ``medical_words.txt``) are never places.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .addresses import STATES
from .lexicon import MONTHS_AND_DAYS as _MONTHS, NAME_WORD as _WORD, alternation, lexicons, read
from .lexicon import bare as _bare, blocked as _blocked
from .names import capital_runs, shouting
from .. import fastre

Hit = tuple[int, int, str, bool]

_PWORD = r"(?:[A-Z][A-Za-z&'’-]*[A-Za-z]|[A-Z])"
PLACE_PREP = fastre.compile(r"(?i:\b(?:in|from|near|at|outside(?: of)?|around|to|of|visiting|live in|"
                            r"moved to|based in|here in|down in|up in|out in|over in)\s+)$")
_FACILITY_WORDS = alternation("facility_words.txt")
FACILITY = fastre.compile(rf"(?:\b(?:St\.?|Saint|Mount|Mt\.?|Our Lady of)\s+)?(?:{_WORD}(?:'s)?\s+(?:&\s+)?){{1,4}}"
                          rf"(?:{_FACILITY_WORDS})\b(?:\s+of\s+(?:{_WORD}\s?){{1,3}})?"
                          rf"|\b(?:{_FACILITY_WORDS})\s+of\s+(?:the\s+)?(?:{_WORD}\s?){{1,3}}")
# "the Cleveland one", "the Mayo one in Phoenix", "the Hopkins clinic"
THE_ONE = fastre.compile(rf"\b(?i:the)\s+(?P<n>{_PWORD}(?:\s+{_PWORD})?)\s+(?i:one|place|campus|location|branch|"
                         rf"office|clinic|hospital|site)\b")
# "at Mayo", "went to Sloan", "over at Hopkins"
AT_PLACE = fastre.compile(rf"\b(?i:at|to|from|with|in|near|around|outside|outside of)\s+(?:the\s+)?(?P<n>{_PWORD}(?:\s+{_PWORD}){{0,2}})")
# "back to Bone and Joint", "at Pain & Spine Associates": capitalised words after a preposition name a
# place even when each is a plain word
AT_PHRASE = fastre.compile(rf"\b(?i:at|to|from)\s+(?:the\s+)?(?P<n>{_PWORD}(?:\s+(?:and|&|of)\s+{_PWORD}|\s+{_PWORD}){{1,4}})")
EMPLOYER_CUE = fastre.compile(
    rf"(?i:\b(?:work|works|worked|working|job|shift|shifts|boss|manager|coworkers?|retired|quit|employed|"
    rf"fired|laid off|nights|days|cashier|driver|nurse|teacher|clerk|stocker|engineer|mechanic|"
    rf"warehouse|years|been)\s+(?:\w+\s+){{0,2}}(?:at|for|from|with|by)\s+(?:the\s+)?)"
    rf"(?P<n>{_PWORD}(?:\s+{_PWORD}){{0,2}})")
_EMPLOYER_CUE_WORDS = ("work", "job", "shift", "boss", "manager", "retired", "quit", "employed", "fired",
                       "laid off", "nights", "days", "cashier", "driver", "nurse", "teacher", "clerk", "stocker",
                       "engineer", "mechanic", "warehouse", "years", "been")  # EMPLOYER_CUE's, to skip texts
EMPLOYER = fastre.compile(rf"(?<![\w-])(?:{alternation('employers.txt')})(?![\w-])")
CITY_STATE = fastre.compile(rf"\b(?P<c>[A-Z][a-z]+(?:\s[A-Z][a-z]+){{0,2}})(?:,\s+(?:{STATES})\b|\s+(?:{STATES})\s+\d{{5}}\b)")
# "St. Luke's", "Saint Joe's", "Mt. Sinai": saints' and mounts' names are hospitals (or towns)
SAINT = fastre.compile(r"\b(?:St\.?|Saint|Mt\.?|Mount)\s+[A-Z][a-z]+(?:'s)?(?:\s+(?:Regional|Medical|Hospital|"
                       r"Health|Mercy|General|Memorial))*")
_LEAD = fastre.compile(r"(?:(?:The|A|An|At|In|To|My|Our|From|I|Then|Today|And)\s+)+")
_FACILITY_CUES = ("Hospital", "Clinic", "Medical", "Health", "Center", "Centre", "Infirmary", "Ortho",
                  "Rehab", "Institute", "Surg", "Spine", "Pain", "Medicine", "Club")
_STATE_AFTER_COMMA = fastre.compile(rf", (?:{STATES})\b")
_TWO_CAPS = fastre.compile(r"[A-Z][A-Z]")
_CAP_AFTER_WORD = fastre.compile(r"[a-z,]\s+(?:the\s+)?[A-Z]")
_CAPWORDS = fastre.compile(r"\b[A-Z0-9][\w&'’-]*")
_STATE_ZIP = fastre.compile(rf" (?:{STATES}) \d{{5}}\b")


@lru_cache(maxsize=1)
def _employer_heads() -> frozenset[str]:
    """First words of the listed employers ("Home" of "Home Depot"), to skip texts naming none."""
    return frozenset(re.split(r"[\s]+", e)[0].rstrip("'’s") for e in lexicons()["employers"])


@lru_cache(maxsize=1)
def _caps_facilities() -> re.Pattern[str]:
    """Facility names with an all-capital word ("HSS", "NYU Langone", "MD Anderson"), which
    capitalised-word scans do not see whole."""
    caps = sorted((f for f in lexicons()["facilities"] if any(sum(c.isupper() for c in w) > 1 for w in f.split())),
                  key=len, reverse=True)
    return fastre.compile(r"\b(?:" + "|".join(re.escape(c) for c in caps) + r")\b")


# "i live in denver", "we drove to san antonio": a listed town in lower case after a preposition
LOWER_PLACE = fastre.compile(r"\b(?:in|from|near|to|outside|around|visiting)[ \t]+(?P<p>[a-z][a-z'’.-]*[a-z]"
                             r"(?=(?P<more>(?:[ \t]+[a-z][a-z'’.-]*[a-z]){0,2})))")
_ID_CUES = frozenset(w.lower() for w in read("id_cues.txt"))
_FROM_PERSON = fastre.compile(r"\b(?i:question|post|comment|advice|news|note|message|update|reply|hugs)\s$")
_IN_TOWN = fastre.compile(r"(?:'s)?\s+in\s+[A-Z]")  # "Mercy in Des Moines": a hospital in a town
_SENTENCE_START = fastre.compile(r"(?:^|[.!?:]\s+|\n\s*)$")


@lru_cache(maxsize=1)
def _multiword_heads() -> frozenset[str]:
    """First words of the listed places of several words ("New" of "New Haven")."""
    lx = lexicons()
    return frozenset(e.split(" ")[0] for key in ("regions", "facilities", "places", "place_words")
                     for e in lx[key] if " " in e)


def _places_in(text: str, toks: list[tuple[int, str]], lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    heads = _multiword_heads()
    i = 0
    while i < len(toks):
        # only a word that starts a listed name of several words can start a longer match
        for n in range(min(4, len(toks) - i) if toks[i][1] in heads else 1, 0, -1):
            gram = " ".join(t for _, t in toks[i:i + n])
            gram_b = gram if gram in lx["facilities"] else _bare(gram)
            start = toks[i][0]
            if gram_b in lx["regions"] or gram_b in lx["facilities"]:
                worded = gram_b.lower() in lx["common"] or gram_b.lower() in lx["keep"]
                if gram_b in lx["facilities"] and (not worded or PLACE_PREP.search(text[max(0, start - 20):start])
                                                   or _IN_TOWN.match(text, start + len(gram_b))):
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


@lru_cache(maxsize=1)
def _lower_heads() -> frozenset[str]:
    """First words of the listed towns, in lower case."""
    return frozenset(p.split(" ")[0] for p in lexicons()["places_lower"])


def _lower_places(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """Listed towns written in lower case after a preposition, the longest first ("san antonio");
    never a symptom or stop word."""
    heads = _lower_heads()
    for m in LOWER_PLACE.finditer(text):
        if m.group("p") not in heads:
            continue  # no listed town starts with this word ("in the", "to be")
        phrase = m.group("p") + m.group("more")
        words = list(re.finditer(r"\S+", phrase))
        for n in range(len(words), 0, -1):
            gram = phrase[:words[n - 1].end()]
            low = gram.lower()
            # one word: no plural or "-ing" word ("in tours", "to simmering"); the word list holds
            # "denver" and "rochester" as "-er" words, and the town list holds no dictionary word
            if low in lx["places_lower"] and not (n == 1 and (_blocked(low, lx) or low in lx["words"]
                                                               and low.endswith(("s", "ing")))):
                yield m.start("p"), m.start("p") + len(gram), "PLACE", False
                break


def _all_capital_words(phrase: str, lx: dict[str, frozenset[str]]) -> bool:
    """Whether an "X and Y" phrase is one name made of plain words ("Bone and Joint")."""
    parts = re.split(r"\s+(?:and|&)\s+", phrase)
    return len(parts) == 2 and all(" " not in p and p.lower() in lx["keep"] | lx["common"] for p in parts)


def _safe(words: str, lx: dict[str, frozenset[str]]) -> bool:
    """Whether every word is a safe word (symptom, drug, stop word, region, month)."""
    return all(_blocked(_bare(w), lx) or w in lx["regions"] for w in words.split())


def place_hits(text: str) -> Iterator[Hit]:
    """Yield PLACE and ORG hits in ``text``."""
    lx = lexicons()
    for toks in capital_runs(text):
        yield from _places_in(text, toks, lx)
    if any(cue in text for cue in _FACILITY_CUES):
        for m in FACILITY.finditer(text):
            s = m.group(0)
            lead = _LEAD.match(s)
            start = m.start() + (lead.end() if lead else 0)
            yield start, m.end() - (len(s) - len(s.rstrip())), "PLACE", True
    if "St" in text or "Mt" in text or "Mount" in text:
        for m in SAINT.finditer(text):
            yield m.start(), m.end(), "PLACE", True
    if _TWO_CAPS.search(text):
        for m in _caps_facilities().finditer(text):
            yield m.start(), m.end(), "PLACE", True
    if _STATE_AFTER_COMMA.search(text) or _STATE_ZIP.search(text):
        for m in CITY_STATE.finditer(text):
            city = m.group("c")
            if not any(_blocked(w, lx) for w in city.split()):
                yield m.start("c"), m.end("c"), "PLACE", city in lx["places"]
    yield from _lower_places(text, lx)
    if not _CAP_AFTER_WORD.search(text):
        return  # every rule below needs a capitalised word after a preposition or a cue
    for m in THE_ONE.finditer(text):
        name = m.group("n")
        if not _safe(name, lx) and name.lower() not in lx["common"] and not any(shouting(w, lx) for w in name.split()):
            yield m.start("n"), m.end("n"), "PLACE", False
    for m in AT_PLACE.finditer(text):
        name = _bare(m.group("n").split()[0]) if m.group("n").split()[0] in lx["facilities"] else m.group("n")
        if (_safe(name, lx) or name.lower() in lx["common"] or name.split()[0] in lx["regions"]
                or EMPLOYER.match(name) or any(shouting(w, lx) for w in name.split())
                or name.lower() in _ID_CUES or _FROM_PERSON.search(text, 0, m.start())):
            continue  # "with the MRN": a record's name; "a question from Ingrid": a person
        yield m.start("n"), m.start("n") + len(_bare(m.group("n"))), "PLACE", False
    for m in AT_PHRASE.finditer(text):
        words = [w for w in m.group("n").split() if w not in ("and", "&", "of")]
        if any(w.isupper() for w in words):
            continue
        if _all_capital_words(m.group("n"), lx):  # "Bone and Joint": one name of plain words
            yield m.start("n"), m.end("n"), "PLACE", False
            continue
        pos = m.start("n")
        for part in re.split(r"(\s+(?:and|&)\s+)", m.group("n")):
            if not re.fullmatch(r"\s+(?:and|&)\s+", part) and (" " in part and not all(_blocked(w, lx) for w in part.split())
                                                                   or not _safe(part, lx)) and not (
                    part in lx["regions"] or part.lower() in lx["stop"] or part.lower() in _MONTHS
                    or part.lower() in lx["keep"]):
                yield pos, pos + len(part), "PLACE", False
            pos += len(part)
    low = text.lower()
    for m in EMPLOYER_CUE.finditer(text) if any(c in low for c in _EMPLOYER_CUE_WORDS) else ():
        name = m.group("n")
        if not _safe(name, lx) and name.split()[0] not in lx["regions"] and not any(
                shouting(w, lx) for w in name.split()):
            yield m.start("n"), m.start("n") + len(_bare(name)), "ORG", False
    words = {w.rstrip("'’s") for w in _CAPWORDS.findall(text)}
    if not words & _employer_heads():
        return
    for m in EMPLOYER.finditer(text):
        word = m.group(0)
        if word.lower() in lx["common"] and _SENTENCE_START.search(text, 0, m.start()):
            continue  # "Target practice ..." at a sentence start
        yield m.start(), m.end(), "ORG", True
