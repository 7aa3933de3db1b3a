"""Street addresses (number, street name, suffix from ``data/street_suffixes.txt``, unit), PO boxes,
and ZIP codes after a state abbreviation or a "zip" cue."""
from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import read

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
    rf"\b\d{{1,6}}[A-Z]?(?:[-/]\d{{1,4}})?,?\s+(?:[NSEW]\.?\s+|North\s+|South\s+|East\s+|West\s+|"
    rf"N[EW]\.?\s+|S[EW]\.?\s+)?(?:{_NAMEWORD}\s+){{1,4}}{_SUFFIX}\b\.?(?:\s+[NSEW][EW]?\b\.?)?{_UNIT}*"
    rf"|\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+\b"
    rf"|\b(?:Apt\.?|Apartment|Suite|Unit|Flat)\s*#?\s*\d+[A-Za-z]?\b"
)


def address_hits(text: str) -> Iterator[Hit]:
    """Yield ADDRESS and ZIP hits (call only on texts with a digit)."""
    for m in ADDRESS.finditer(text):
        yield m.start(), m.end(), "ADDRESS", True
    for m in ZIP.finditer(text):
        grp = "z" if m.group("z") else "z2"
        yield m.start(grp), m.end(grp), "ZIP", True
