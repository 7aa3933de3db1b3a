"""VADER sentiment: a compound score in [-1, 1] per comment and per sentence.

VADER is a lexicon built for social media. Its known blind spots on this corpus are stated in the
report: clinical words ("numb", "ablation", "atrophy") carry no valence, and negated problems
("no problem", "no pain") are scored negative.
"""
from __future__ import annotations

import re
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def compound(text: str) -> float:
    """VADER's compound score of ``text``, rounded to 4 places (0.0 for empty text)."""
    if not text.strip():
        return 0.0
    return round(_analyzer().polarity_scores(text)["compound"], 4)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds the span ``start:end``."""
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in SENTENCE_END.finditer(text, end)), len(text))
    return text[left:right].strip()
