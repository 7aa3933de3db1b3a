"""De-identification of comment text (HIPAA Safe Harbor categories as they occur in forum text).

Public API:
- ``find_identifiers(text, known_names=()) -> list[Span]``: non-overlapping identifier spans of the
  ORIGINAL text, in order; ``find_identifiers_many(texts, known_names)`` the same for several texts
  (one thread's comments), with one call of the statistical model for all of them.
- ``redact(text, known_names=()) -> str``: the text with each span replaced by a placeholder:
  ``[NAME] [USER] [EMAIL] [PHONE] [URL] [ADDRESS] [ZIP] [PLACE] [ORG] [DATE] [AGE] [ID] [IP]``. A date
  keeps its year only ("March 3rd, 2021" -> "[DATE] 2021"); a bare year and durations stay.
- ``apply(text, spans)``: the placeholders for spans found before; ``redact_excerpt(text, spans,
  excerpt, known_names)``: a clipped excerpt of ``text`` (flag evidence) redacted as ``text`` was,
  then clipped; ``Span``; ``REDACTOR_VERSION``.

Layers, all run on the detection view of ``normalise`` (NFKC, format characters dropped, look-alikes
and diacritics folded, line-broken words joined) and mapped back to the original offsets:
1. structured detectors: ``contacts`` (emails, also obfuscated; URLs; usernames; phones, also in
   words; IPs), ``ids``, ``addresses`` (with ``streets``: other countries' street shapes), ``dates``
   (dates and ages over 89);
2. rules and lexicons: ``names`` (thread authors' names, names in context, lists, lexicon names; with
   ``vocatives``: names addressed, and ``name_cues``: lower-case names, reported speech, attributions,
   nicknames, a name alone on a line) and ``places`` (cities, also in lower case, facilities,
   employers);
3. the statistical model, ``ner`` (spaCy), on texts a cheap scan picks;
4. ``safety``: an allowlist net in Philter's spirit: after a name cue, a word that is not in the
   vocabulary of safe words (common English, symptoms, drugs, medical words) is a name.
A span never ends inside a word: it grows to the word's edges in the original text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import InputError
from .addresses import address_hits, street_name_hits
from .contacts import contact_hits
from .dates import age_hits, date_hits
from .excerpt import redact_excerpt
from .ids import id_hits
from .names import name_hits
from .ner import candidates, ner_hits_many
from .normalise import View, view
from .places import place_hits
from .safety import safety_hits
from .. import fastre

__all__ = ["KINDS", "REDACTOR_VERSION", "Span", "apply", "find_identifiers", "find_identifiers_groups",
           "find_identifiers_many", "redact", "redact_excerpt"]
KINDS = ("EMAIL", "URL", "USER", "ID", "IP", "ADDRESS", "PHONE", "ZIP", "DATE", "AGE", "PLACE", "ORG",
         "NAME")
# Detection order on overlap: a known author name beats a same-spelled town ("Melissa", TX).
_ORDER = ("EMAIL", "URL", "USER", "ID", "IP", "ADDRESS", "PHONE", "ZIP", "DATE", "AGE", "KNOWN",
          "PLACE", "ORG", "NAME")
_PRIORITY = {kind: i for i, kind in enumerate(_ORDER)}
_YEAR = fastre.compile(r"\b(?:19|20)\d\d\b")
_GROWS = frozenset({"NAME", "PLACE", "ORG", "USER", "EMAIL"})
# Bump when detection changes: `analyze` redacts every comment again under a new version.
REDACTOR_VERSION = "4"
_DIGIT = fastre.compile(r"\d")
_PLACEHOLDER = fastre.compile(r"\[(?:" + "|".join(KINDS) + r")\]")


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


def _rule_hits(text: str, known_names: Iterable[str]) -> list[tuple[int, int, str, bool]]:
    """Hits of every layer but the statistical model."""
    low = text.lower()
    digits = _DIGIT.search(text) is not None
    hits = list(contact_hits(text, low, digits))
    if digits:
        hits += id_hits(text, low)
        hits += address_hits(text)
    hits += street_name_hits(text)
    hits += date_hits(text, digits)
    hits += age_hits(text, low, digits)
    hits += name_hits(text, known_names)
    hits += place_hits(text)
    hits += safety_hits(text)
    return hits


def _grow(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalpha() and text[start].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha() and text[end - 1].isalpha():
        end += 1
    return start, end


def find_identifiers(text: str, known_names: Iterable[str] = ()) -> list[Span]:
    """Return the identifiers in ``text``, non-overlapping and sorted by position.

    Where detectors overlap, the more specific kind wins (an email over the name inside it), then
    the longer span; a losing span that reaches past the winner widens it, so no part of either is
    left in the text.
    """
    return find_identifiers_many([text], known_names)[0]


def find_identifiers_many(texts: Sequence[str], known_names: Iterable[str] = ()) -> list[list[Span]]:
    """``find_identifiers`` of each text; the model reads the sentences the rules leave open in all the
    texts in one batch (a quarter of the cost of a call per comment)."""
    return find_identifiers_groups([(texts, known_names)])[0]


def find_identifiers_groups(groups: Sequence[tuple[Sequence[str], Iterable[str]]]) -> list[list[list[Span]]]:
    """``find_identifiers_many`` of several groups of texts (threads), each with its own known names, the
    model reading the open sentences of all of them in one batch: a call of the model costs ~3 ms
    before its first sentence, and a thread has one open sentence in a few."""
    flat: list[tuple[str, tuple[str, ...]]] = []
    for texts, known_names in groups:
        known = (known_names,) if isinstance(known_names, str) else tuple(known_names)
        for text in texts:
            if not isinstance(text, str):
                raise InputError(f"redaction needs text, got {type(text).__name__}")
            flat.append((text, known))
    seen = [view(text) for text, _ in flat]
    hits = [_rule_hits(v.text, known) for v, (_, known) in zip(seen, flat)]
    windows = [candidates(v.text, [(h[0], h[1]) for h in found]) for v, found in zip(seen, hits)]
    if any(windows):
        for found, model_hits in zip(hits, ner_hits_many([v.text for v in seen], windows)):
            found += model_hits
    chosen = iter([_choose(text, v, found) for (text, _), v, found in zip(flat, seen, hits)])
    return [[next(chosen) for _ in texts] for texts, _ in groups]


def _choose(text: str, seen: View, hits: list[tuple[int, int, str, bool]]) -> list[Span]:
    """The spans of ``text`` from the hits on its detection view (see ``find_identifiers``)."""
    if "[" in seen.text:  # placeholders of an earlier redaction stay as they are
        marks = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(seen.text)]
        hits = [h for h in hits if not any(s < h[1] and h[0] < e for s, e in marks)]
    hits.sort(key=lambda h: (_PRIORITY[h[2]], -(h[1] - h[0]), h[0]))
    chosen: list[Span] = []
    for vstart, vend, kind, conf in hits:
        if vend <= vstart:
            continue
        start, end = seen.span(vstart, vend)
        kind = "NAME" if kind == "KNOWN" else kind
        if kind in _GROWS:
            start, end = _grow(text, start, end)
        overlaps = [i for i, c in enumerate(chosen) if start < c.end and c.start < end]
        if not overlaps:
            chosen.append(Span(start, end, kind, text[start:end], conf))
            continue
        lo = min(start, *(chosen[i].start for i in overlaps))
        hi = max(end, *(chosen[i].end for i in overlaps))
        winner = chosen[overlaps[0]]
        if (lo, hi) != (winner.start, winner.end):  # "+1 303 365 0209 303.200.0000": ID and phone overlap
            chosen = [c for i, c in enumerate(chosen) if i not in overlaps[1:]]
            chosen[overlaps[0]] = Span(lo, hi, winner.kind, text[lo:hi], winner.confident)
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
