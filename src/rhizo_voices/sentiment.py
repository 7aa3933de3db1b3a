"""VADER sentiment: a compound score in [-1, 1] per comment and per sentence.

VADER is a lexicon built for social media. Its known blind spots on this corpus are stated in the
report: clinical words ("numb", "ablation", "atrophy") carry no valence, and negated problems
("no problem", "no pain") are scored negative.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=8192)  # the same sentence is often scored for several mentions
def compound(text: str) -> float:
    """VADER's compound score of ``text``, rounded to 4 places (0.0 for empty text)."""
    if not text.strip():
        return 0.0
    return round(_analyzer().polarity_scores(text)["compound"], 4)


@lru_cache(maxsize=4)
def _boundaries(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the sentence breaks of ``text`` (cached: called once per mention)."""
    found = list(SENTENCE_END.finditer(text))
    return [m.start() for m in found], [m.end() for m in found]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds the span ``start:end``."""
    starts, ends = _boundaries(text)
    i = bisect.bisect_right(ends, start)
    j = bisect.bisect_left(starts, end)
    left = ends[i - 1] if i else 0
    right = starts[j] if j < len(starts) else len(text)
    return text[left:right].strip()
