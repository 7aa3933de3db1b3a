"""Identifying numbers: SSNs, payment cards (Luhn), Medicare MBIs, and any number of four or more
digits announced by a word of ``data/id_cues.txt`` (member, policy, claim, prior auth, MRN, NHS ...).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import alternation, lexicons, read
from .. import fastre

Hit = tuple[int, int, str, bool]

SSN = fastre.compile(r"\b(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}\b")
SSN_WORD = fastre.compile(r"(?i:\b(?:ssn|social security(?: number| no\.?| #)?)\s*(?:is|:|#)?\s*)\d{9}\b")
CARD = fastre.compile(r"\b\d(?:[ -]?\d){12,18}\b")
# Medicare Beneficiary Identifier: 1EG4-TE5-MK73 (dashes optional)
MBI = fastre.compile(r"\b[1-9][A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2}\b")
_FILLER = r"(?i:\s*(?:id|number|no\.?|num|nr|#|is|was|code|:|=|-)\s*){0,3}"
_GROUP = r"[A-Z0-9]*\d[A-Z0-9]*"
ACCOUNT = fastre.compile(
    rf"(?i:\b(?:{alternation('id_cues.txt')}))\b(?:'s)?{_FILLER}\s*"
    rf"(?P<id>#?(?:[A-Z]{{1,5}}[ -]?)?{_GROUP}(?:[ -]{_GROUP}){{0,4}}(?:[ -][A-Z]{{1,3}}\d*)?)(?![\w-])"
)
# "PA-2231-88417", "CLM 20391": letters, then six or more digits in groups: an ID without a cue
SHAPED = fastre.compile(r"\b[A-Z]{1,5}[- ]?\d{2,}(?:[- ]\d{2,}){0,3}(?:-[A-Z]\d*)?\b")
_CUE_WORDS = frozenset(w.lower() for w in read("id_cues.txt")) | {"ssn", "phone", "tel", "fax", "cell"}
_BARE_YEAR = fastre.compile(r"#?(?:19|20)\d\d")
# "What do I do with the MRN? Mine is 00482913": a long number within a sentence or two of a cue
_CUE = fastre.compile(rf"(?i:\b(?:{alternation('id_cues.txt')})\b)")
LONG_NUMBER = fastre.compile(r"(?<![\w$£€.,/:+-])\d{6,14}(?![\w.,/:-]|\s*(?:%|mg|mcg|ml|people|dollars|steps|miles))")
_LONGNUM = fastre.compile(r"\d{4}")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def id_hits(text: str, low: str) -> Iterator[Hit]:
    """Yield ID hits (call only on texts with a digit)."""
    for m in SSN.finditer(text):
        yield m.start(), m.end(), "ID", True
    if "ssn" in low or "social security" in low:
        for m in SSN_WORD.finditer(text):
            yield m.start(), m.end(), "ID", True
    for m in CARD.finditer(text):
        digits = "".join(c for c in m.group(0) if c.isdigit())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            yield m.start(), m.end(), "ID", True
    for m in SHAPED.finditer(text):
        prefix = re.match(r"[A-Za-z]+", m.group(0)).group(0).lower()
        if m.group(0)[len(prefix)] == " " and (prefix in ("i", "a") or prefix in lexicons()["stop"]):
            continue  # "I 303-200-0000": a word, then a number
        if sum(c.isdigit() for c in m.group(0)) >= 6 and prefix not in _CUE_WORDS:
            yield m.start(), m.end(), "ID", False
    for m in MBI.finditer(text):
        yield m.start(), m.end(), "ID", True
    for m in LONG_NUMBER.finditer(text):
        if _CUE.search(text, max(0, m.start() - 100), m.start()):
            yield m.start(), m.end(), "ID", False
    if _LONGNUM.search(re.sub(r"[ -]", "", text)):
        for m in ACCOUNT.finditer(text):
            value = m.group("id")
            if sum(c.isdigit() for c in value) >= 4 and not _BARE_YEAR.fullmatch(value):
                yield m.start("id"), m.end("id"), "ID", True
