"""Excerpts of a comment (flag evidence) redacted the way the comment itself was, THEN clipped.

Screening hands over evidence clipped from the raw text ("write to jo.smith@gm…"): redacting that
leaves half an email behind. ``redact_excerpt`` finds the excerpt in the raw comment, widens it over
any identifier its edges cut, replaces the comment's own spans in it, and only then clips it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..markup import straighten_quotes

if TYPE_CHECKING:
    from . import Span

ELLIPSIS = "…"
LIMIT = 80  # characters, as screening clips evidence


def _locate(text: str, excerpt: str) -> re.Match[str] | None:
    """Where ``excerpt`` stands in ``text``. Screening quotes the text with its quotes straightened (same
    length), so both are read straightened and the offsets hold for ``text``."""
    words = straighten_quotes(excerpt).split()
    if not words:
        return None
    return re.search(r"\s+".join(re.escape(w) for w in words), straighten_quotes(text))


def clip(text: str, limit: int = LIMIT) -> str:
    """Whitespace collapsed; cut to ``limit`` characters with an ellipsis, never inside a placeholder."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    open_at = cut.rfind("[")
    if open_at > cut.rfind("]"):
        cut = cut[:open_at].rstrip()
    return cut + ELLIPSIS


def redact_excerpt(text: str, spans: Sequence[Span], excerpt: str, known_names: Iterable[str] = (),
                   limit: int = LIMIT) -> str:
    """``excerpt`` (a piece of ``text``, maybe clipped with "…") redacted with ``text``'s ``spans``."""
    from . import apply, redact

    cut = excerpt.endswith(ELLIPSIS)
    body = excerpt[:-1] if cut else excerpt
    found = _locate(text, body)
    if found is None:  # not from the comment body (e.g. the author field): redact it on its own
        if cut:  # its last word may be half an identifier
            body = body.rsplit(None, 1)[0] if len(body.split()) > 1 else ""
        out = redact(body, known_names)
        return clip(out + (ELLIPSIS if cut else ""), limit) if cut else clip(out, limit)
    start, end = found.start(), found.end()
    if cut:  # the raw excerpt went on: take the rest of its sentence (clip() cuts it again)
        stop = re.search(r"[.!?\n]", text[end:])
        end = end + stop.start() if stop else len(text)
    inside = []
    for s in spans:
        if s.start < end and start < s.end:
            start, end = min(start, s.start), max(end, s.end)
    for s in spans:
        if start <= s.start and s.end <= end:
            inside.append(s)
    piece = text[start:end]
    shifted = [type(s)(s.start - start, s.end - start, s.kind, s.text, s.confident) for s in inside]
    return clip(apply(piece, shifted), limit)
