"""Text shown as evidence: markup out (HTML tags, comments and entities become plain text), and the
typographic quotes that screening straightens before it reads and quotes a comment."""
from __future__ import annotations

import html
import re

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.S | re.I)
_TAG = re.compile(r"</?[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?>")
_STRAIGHT = str.maketrans("’‘“”", "''\"\"")


def straighten_quotes(text: str) -> str:
    """Typographic quotes to ASCII, same length, so offsets found in the result hold for ``text``."""
    return text.translate(_STRAIGHT)


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
