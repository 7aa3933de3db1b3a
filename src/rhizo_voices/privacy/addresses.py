"""Street addresses (number, street name, suffix from ``data/street_suffixes.txt``, unit), PO boxes,
and ZIP codes after a state abbreviation or a "zip" cue."""
from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import lexicons, read

Hit = tuple[int, int, str, bool]

# US state and territory abbreviations (places use them too)
STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
          "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR")
ZIP = re.compile(rf"\b(?:{STATES}),? {{1,2}}(?P<z>\d{{5}}(?:-\d{{4}})?)\b"
                 r"|(?i:\bzip(?: ?code)?|\bpostal code):? ?(?P<z2>\d{5}(?:-\d{4})?)\b")
_SUFFIXES = sorted(set(read("street_suffixes.txt")), key=len, reverse=True)
_SUFFIX = "(?:" + "|".join(re.escape(w) for w in _SUFFIXES) + ")"
_NAMEWORD = r"(?:[A-Z][A-Za-z'’.-]*|\d+(?:st|nd|rd|th)|[a-z]+(?=\s+[A-Z]))"
_UNIT = (r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Fl\.?|Floor|Room|Rm\.?|Bldg\.?|Building|#|No\.?)"
         r"\s*#?\s*[A-Za-z0-9-]+)")
ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Z]?(?:[-/]\d{{1,4}})?(?:\s+\d{{1,5}})?,?\s+(?:[NSEW]\.?\s+|North\s+|South\s+|East\s+|West\s+|"
    rf"N[EW]\.?\s+|S[EW]\.?\s+)?(?:{_NAMEWORD}\s+){{1,4}}{_SUFFIX}\b\.?(?:\s+[NSEW][EW]?\b\.?)?{_UNIT}*"
    rf"|\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+\b"
    rf"|\b(?:Apt\.?|Apartment|Suite|Unit|Flat)\s*#?\s*\d+[A-Za-z]?\b"
)


# Street first, number after, as much of Europe and Latin America writes it ("28245 Puruntie 82",
# "Rua do Arenque 1634", "Via Franscini 71 Suite 838")
_LOWER_PARTICLES = r"(?:do|da|de|del|della|di|du|la|le|van|von|der|den|tér|utca|u\.|ul\.|str\.?)"
STREET_NUMBER_AFTER = re.compile(
    rf"(?<![\w,])\d{{1,6}}\s+(?:(?:ul|u|str)\.\s+)?[A-Z][A-Za-z'’.-]+(?:\s+(?:[A-Z][A-Za-z'’.-]+|{_LOWER_PARTICLES})){{0,3}}"
    rf"\s+\d{{1,5}}[A-Za-z]?\b\.?(?:{_UNIT})*")
# Lines that continue an address: a unit, a town (capitalised or ALL CAPS words), a state or country,
# a postal code, each after a comma or a line break
_CONTINUATION = re.compile(
    r"(?:\s*[,\n]\s*(?:>\s*)?|\s+)(?:(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat)\s*#?\s*\d+\w*"
    r"|(?:[A-Z][A-Za-z'’.-]*|de|la|del|do|da)(?:[ \t]+(?:[A-Z][A-Za-z'’.-]*|de|la|del|do|da|[A-Z]{1,3}))*"
    r"(?:[ \t]+\d{3,6}(?:-\d{3,4})?)?"
    r"|\d{3,6}(?:-\d{3,4})?)(?=[ \t]*(?:$|[\n,?.!]))")
_STREETISH = re.compile(rf"\b(?:{_SUFFIX})\b\.?|\d")


_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
                    "july august september october november december".split())
_UNIT_AFTER = re.compile(r"\s*(?:%|mg|years?|yrs?|weeks?|days?|months?|times|hours?|minutes?|mins?)\b")


def _extend(text: str, end: int) -> int:
    """Where an address that ends at ``end`` really ends: over unit, town, country and postal lines."""
    for _ in range(5):
        m = _CONTINUATION.match(text, end)
        if not m or len(m.group(0).strip(" ,\n>")) > 40:
            break
        end = m.end()
    return end


# US military mail: "Unit 4719 Box 7394 DPO AP 70942", "PSC 0725, Box 6031 APO AP 99241", "USNS Bergman FPO AP 93757"
MILITARY = re.compile(r"(?i:\b(?:(?:unit|psc|cmr)\s+\d+,?\s+box\s+\d+|(?:usns|usnv|uss|uscgc)\s+[a-z]+)"
                      r"[\s,]+(?:apo|fpo|dpo)\s+(?:aa|ae|ap)\s+\d{5})")


# a street named without a number ("the new office on Elm Street"): full suffix words only ("Dr" is a doctor)
_STREET_WORDS = ("Street", "Avenue", "Road", "Lane", "Boulevard", "Drive", "Court", "Terrace", "Crescent",
                 "Parkway", "Highway", "Place")
STREET_NAMED = re.compile(r"\b(?:on|off|at|near|along|down|up|onto|from)\s+(?P<s>(?:[A-Z][a-z'’-]+\s+){1,3}"
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
        yield m.start(), _extend(text, m.end()), "ADDRESS", True
    lx = lexicons()
    for m in STREET_NUMBER_AFTER.finditer(text):
        words = re.findall(r"[A-Za-z][A-Za-z'’-]+", m.group(0).split("Apt")[0].split("Suite")[0])
        if not words or any(w.lower() in lx["keep"] or w.lower() in lx["stop"] or w.lower() in _MONTHS
                            for w in words) or all(w.lower() in lx["common"] for w in words):
            continue  # "3 RFA 2", "2 Weeks 3"
        if _UNIT_AFTER.match(text, m.end()):
            continue
        yield m.start(), _extend(text, m.end()), "ADDRESS", False
