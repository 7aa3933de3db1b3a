"""Markup out of text shown as evidence: HTML tags, comments and entities become plain text."""
from __future__ import annotations

import html
import re

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.S | re.I)
_TAG = re.compile(r"</?[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?>")


def strip_markup(text: str) -> str:
    """``text`` without HTML: script and style elements and comments dropped whole, other tags
    dropped, entities decoded (then tags again, so an escaped tag does not come back), spaces
    squeezed. Text without ``<`` or ``&`` is returned as it is."""
    if "<" not in text and "&" not in text:
        return text
    for _ in range(2):  # once for the markup, once for markup hidden in entities
        text = _TAG.sub(" ", _SCRIPT.sub(" ", _COMMENT.sub(" ", text)))
        text = html.unescape(text)
    text = _TAG.sub(" ", _SCRIPT.sub(" ", _COMMENT.sub(" ", text)))
    return " ".join(text.split())
