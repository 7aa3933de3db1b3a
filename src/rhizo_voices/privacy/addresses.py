"""Street addresses (number, street name, suffix from ``data/street_suffixes.txt``, unit), PO boxes,
and ZIP codes after a state abbreviation or a "zip" cue; other countries' street shapes come from
``streets``. Every address is widened over the unit, town, region and postal lines that follow it
(``extend``)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import lexicons, read
from .streets import PARTICLES, street_hits
from .. import fastre

Hit = tuple[int, int, str, bool]

# US state and territory abbreviations (places use them too)
STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
          "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR")
ZIP = fastre.compile(rf"\b(?:{STATES}),? {{1,2}}(?P<z>\d{{5}}(?:-\d{{4}})?)\b"
                     r"|(?i:\bzip(?: ?code)?|\bpostal code):? ?(?P<z2>\d{5}(?:-\d{4})?)\b")
_SUFFIXES = sorted(set(read("street_suffixes.txt")), key=len, reverse=True)
_SUFFIX = "(?:" + "|".join(re.escape(w) for w in _SUFFIXES) + ")"
_NAMEWORD = r"(?:[A-Z][A-Za-z'’.-]*|\d+(?:st|nd|rd|th)|[a-z]+(?=\s+[A-Z]))"
_UNIT = (r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Fl\.?|Floor|Room|Rm\.?|Bldg\.?|Building|#|No\.?)"
         r"\s*#?\s*[A-Za-z0-9-]+)")
ADDRESS = fastre.compile(
    rf"\b\d{{1,6}}[A-Z]?(?:[-/]\d{{1,4}})?(?:\s+\d{{1,5}})?,?\s+(?:[NSEW]\.?\s+|North\s+|South\s+|East\s+|West\s+|"
    rf"N[EW]\.?\s+|S[EW]\.?\s+)?(?:{_NAMEWORD}\s+){{1,4}}{_SUFFIX}\b\.?(?:\s+[NSEW][EW]?\b\.?)?{_UNIT}*"
    rf"|(?:\b\d{{1,6}}\s+)?\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+\b"
    rf"|\b(?:Apt\.?|Apartment|Suite|Unit|Flat)\s*#?\s*\d+[A-Za-z]?\b"
)


# Lines that continue an address, each after a comma, a line break (a quoting "> " or "??? " before
# it too) or a space: a unit, a town (words of any script, in capitals too, "(Greek)" and "nan" as
# forms print them), a state or country, a postal code ("34796", "340 12", "53-320", "B0J 2H0")
_SEP = fastre.compile(r"[ \t]*[,\n][\s,>?*|]*|[ \t]+")
_UNIT_LINE = fastre.compile(r"(?i:apt\.?|apartment|suite|ste\.?|unit|flat|room|floor|fl\.?|#)(?![a-z])[ \t]*#?[ \t]*"
                            r"(?:\d\w*|[A-Z](?!\w))")
_POSTAL = r"(?:\d{3,6}(?:[- ]\d{2,4})?|\d\d-\d{3}|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)(?![\w-])"
_TW = r"(?:[^\W\d_][\w'’-]*(?:\.[\w'’-]+)*|\([^()\n\d]{1,30}\))"  # a town word, "(Greek)"
_TOWN = fastre.compile(rf"{_TW}(?:[ \t]+{_TW}){{0,4}}")
_TOWN_END = fastre.compile(rf"[ \t]+(?P<z>{_POSTAL})|(?=[ \t]*(?:$|[\n,?.!;]))")
_POSTAL_LINE = fastre.compile(_POSTAL)


_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
                    "july august september october november december".split())


def _town(words: str, lx: dict[str, frozenset[str]], own_line: bool) -> bool:
    """Whether words can be a town, state or country line: no symptom, month or stop word, and no
    other English word unless capitalised on a line (or after a comma) of its own ("Mill Village")
    or a listed place."""
    for i, w in enumerate(words.split()):
        low = w.lower().strip("().")
        if w.isupper() and len(w) <= 3 and (own_line or i):
            continue  # a state or province: ", ON", "POLSING OO"
        if low in _MONTHS or low in lx["keep"] or low in lx["stop"] and low not in PARTICLES:
            return False
        if low in lx["common"] and low not in PARTICLES and not (own_line and w[0].isupper()) and not (
                w in lx["places"] or w.capitalize() in lx["places"] or w.capitalize() in lx["place_words"]
                or w in lx["regions"]):
            return False
    return True


def _town_line(text: str, pos: int, lx: dict[str, frozenset[str]], own_line: bool) -> re.Match[str] | None:
    """The town (state, country) words at ``pos`` with their postal code, when they end the line or
    clause, have a postal code, or end with a region ("NUNGATTA Australia last night")."""
    town = _TOWN.match(text, pos)
    if not town or len(town.group(0)) > 60:
        return None
    words = list(re.finditer(r"\S+", town.group(0)))
    for i in range(len(words), 0, -1):
        end = pos + words[i - 1].end()
        region = next((j for j in range(max(0, i - 3), i)
                       if " ".join(w.group(0) for w in words[j:i]) in lx["regions"]), None)
        head = pos + words[region].start() if region is not None else end  # "Milford New Zealand"
        if not _town(text[pos:head], lx, own_line):
            continue
        after = _TOWN_END.match(text, end)
        if after and after.group("z"):
            return after
        if after or region is not None:
            return _TOWN.match(text, pos, end)
    caps = re.match(r"(?:[^\W\d_]{4,}(?:[ \t]+|$))+", town.group(0))  # "POLSING OO": a town in capitals
    if caps and caps.group(0).isupper() and _town(caps.group(0), lx, own_line):
        return fastre.compile(rf"{re.escape(caps.group(0).rstrip())}(?:[ \t]+[A-Z]{{2,3}}\b)?").match(text, pos)
    return None


def extend(text: str, end: int) -> int:
    """Where an address that ends at ``end`` really ends: over unit, town, country and postal lines."""
    lx = lexicons()
    for _ in range(6):
        sep = _SEP.match(text, end)
        if not sep:
            break
        pos = sep.end()
        m = _UNIT_LINE.match(text, pos) or _POSTAL_LINE.match(text, pos)
        if m is None:
            m = _town_line(text, pos, lx, sep.group(0).strip(" \t") != "")
            if m is None:
                break
        end = m.end()
    return end


# US military mail: "Unit 4719 Box 7394 DPO AP 70942", "PSC 0725, Box 6031 APO AP 99241", "USNS Bergman FPO AP 93757"
MILITARY = fastre.compile(r"(?i:\b(?:(?:unit|psc|cmr)\s+\d+,?\s+box\s+\d+|(?:usns|usnv|uss|uscgc)\s+[a-z]+)"
                          r"[\s,]+(?:apo|fpo|dpo)\s+(?:aa|ae|ap)\s+\d{5})")


# a street named without a number ("the new office on Elm Street"): full suffix words only ("Dr" is a doctor)
_STREET_WORDS = ("Street", "Avenue", "Road", "Lane", "Boulevard", "Drive", "Court", "Terrace", "Crescent",
                 "Parkway", "Highway", "Place")
STREET_NAMED = fastre.compile(r"\b(?:on|off|at|near|along|down|up|onto|from)\s+(?P<s>(?:[A-Z][a-z'’-]+\s+){1,3}"
                              rf"(?:{'|'.join(_STREET_WORDS)}))\b")


def street_name_hits(text: str) -> Iterator[Hit]:
    """Yield ADDRESS hits for streets named without a house number."""
    if any(w in text for w in _STREET_WORDS):
        for m in STREET_NAMED.finditer(text):
            yield m.start("s"), m.end("s"), "ADDRESS", True


def address_hits(text: str) -> Iterator[Hit]:
    """Yield ADDRESS and ZIP hits (call only on texts with a digit)."""
    for m in MILITARY.finditer(text):
        yield m.start(), m.end(), "ADDRESS", True
    for m in ADDRESS.finditer(text):
        yield m.start(), extend(text, m.end()), "ADDRESS", True
    for start, end, kind, conf in street_hits(text):
        yield start, extend(text, end), kind, conf
