"""fastre: patterns answer on every text exactly as re's Unicode mode does (ASCII mode only where that holds)."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from rhizo_voices import fastre
from rhizo_voices.symptoms import load_codebook

PATTERNS = [r"\bnumb\w*\b", r"(?i)\bkelvin\b|\bstrasse\b", r"\s+", r"\d+", r"(?i)\b[a-z]+'s\b", r"\W+",
            r"(?i)it['’]s\s+gone", r"[^\w\s]", r"(?i)\bİ|ı\b", r"\b\w{3}\b"]
ALPHABET = list("aks iKS1_'.-\n\t") + ["\u2019", "\u201c", "\u2014", "\u2026", "\U0001f600", "\u00a0", "\x1c", "\u212a",
                                       "\u017f", "\u0130", "\u0131", "\u00e9", "\u00bd", "\u2460", "\u0663", "\u2003"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40))
def test_dual_patterns_match_as_unicode_mode(chars: list[str]) -> None:
    text = "".join(chars)
    for pattern in PATTERNS:
        dual, plain = fastre.compile(pattern), re.compile(pattern)
        assert [m.span() for m in dual.finditer(text)] == [m.span() for m in plain.finditer(text)], (pattern, text)
        assert dual.sub("#", text) == plain.sub("#", text)


def test_which_texts_run_in_ascii_mode() -> None:
    assert fastre.ascii_safe("plain text, 3 words")
    assert fastre.ascii_safe("it\u2019s \u201cquoted\u201d \u2014 fine\u2026 \U0001f600")
    for unsafe in ("caf\u00e9", "no-break\u00a0space", "x\x1cy", "\u212a", "\u2460", "\u00bd", "em\u2003space"):
        assert not fastre.ascii_safe(unsafe), unsafe
    assert all(not chr(cp).isalnum() and not chr(cp).isspace() for cp in fastre.SAFE)


def test_codebook_patterns_on_typographic_and_foreign_text() -> None:
    text = "The numbness\u2019s \u201cgone\u201d \u2014 but NUMB again; Ｎｕｍｂ? numbness in m\u00fcnchen"
    for category in load_codebook().categories:
        for p in category.patterns:
            assert isinstance(p, fastre.Dual)
            plain = re.compile(p.pattern, p.flags)
            assert [m.span() for m in p.finditer(text)] == [m.span() for m in plain.finditer(text)]
            assert [m.span() for m in p.finditer(text.replace("\u00fc", "u"))] == \
                   [m.span() for m in plain.finditer(text.replace("\u00fc", "u"))]
