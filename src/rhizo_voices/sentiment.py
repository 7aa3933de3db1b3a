"""VADER sentiment: a compound score in [-1, 1] per comment and per sentence.

VADER is a lexicon built for social media. Its known blind spots on this corpus are stated in the
report: clinical words ("numb", "ablation", "atrophy") carry no valence, and negated problems
("no problem", "no pain") are scored negative.

Speed: vaderSentiment 3.3.2 copies a text character by character to swap emojis for words, and
lower-cases every word of the text again for each lexicon word it checks for negation and idioms
(quadratic in the words of a comment). ``_Analyzer`` skips the copy when the text holds no emoji and
lower-cases only the words those checks read; the same arithmetic in the same order, so the same
scores (tests/test_sentiment.py compares it with the stock analyzer). Another VADER version gets the
stock analyzer.
"""
from __future__ import annotations

import bisect
import importlib.metadata
from functools import lru_cache

from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, N_SCALAR, SPECIAL_CASES, \
    SentimentIntensityAnalyzer, SentiText

from . import fastre

SENTENCE_END = fastre.compile(r"(?<=[.!?…])\s+|\n+")
CHECKED_VADER = "3.3.2"  # the version _Analyzer's overrides were written against
_NEGATE = frozenset(NEGATE)


def _negated(word: str) -> bool:
    """vaderSentiment's ``negated([word])``: a negation word, or one with "n't" in it."""
    word = word.lower()
    return word in _NEGATE or "n't" in word


class _Analyzer(SentimentIntensityAnalyzer):
    """VADER 3.3.2 with its per-word work made linear; scores unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self._emoji_chars = frozenset(k for k in self.emojis if len(k) == 1)  # the loop looks at one char

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not isinstance(text, str) or not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()  # what the emoji loop gives back when there is no emoji
        sentitext = SentiText(text)
        sentiments: list[float] = []
        words = sentitext.words_and_emoticons
        lower = [w.lower() for w in words]
        for i, item in enumerate(words):
            if lower[i] in BOOSTER_DICT:
                sentiments.append(0)
                continue
            if i < len(words) - 1 and lower[i] == "kind" and lower[i + 1] == "of":
                sentiments.append(0)
                continue
            if lower[i] not in self.lexicon:  # all sentiment_valence does with a word outside the lexicon
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)

    @staticmethod
    def _negation_check(valence: float, words: list[str], start_i: int, i: int) -> float:
        def low(k: int) -> str:  # words[k] as the stock check reads it from its lower-cased copy
            return words[k].lower()
        if start_i == 0:
            if _negated(low(i - 1)):
                valence = valence * N_SCALAR
        if start_i == 1:
            if low(i - 2) == "never" and (low(i - 1) == "so" or low(i - 1) == "this"):
                valence = valence * 1.25
            elif low(i - 2) == "without" and low(i - 1) == "doubt":
                pass
            elif _negated(low(i - 2)):
                valence = valence * N_SCALAR
        if start_i == 2:
            if low(i - 3) == "never" and (low(i - 2) == "so" or low(i - 2) == "this") or \
                    (low(i - 1) == "so" or low(i - 1) == "this"):
                valence = valence * 1.25
            elif low(i - 3) == "without" and (low(i - 2) == "doubt" or low(i - 1) == "doubt"):
                pass
            elif _negated(low(i - 3)):
                valence = valence * N_SCALAR
        return valence

    @staticmethod
    def _special_idioms_check(valence: float, words: list[str], i: int) -> float:
        n = len(words)
        w3, w2, w1, w0 = (words[k].lower() for k in (i - 3, i - 2, i - 1, i))
        onezero, twoonezero, twoone = f"{w1} {w0}", f"{w2} {w1} {w0}", f"{w2} {w1}"
        threetwoone, threetwo = f"{w3} {w2} {w1}", f"{w3} {w2}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in SPECIAL_CASES:
                valence = SPECIAL_CASES[seq]
                break
        if n - 1 > i:
            zeroone = f"{w0} {words[i + 1].lower()}"
            if zeroone in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{w0} {words[i + 1].lower()} {words[i + 2].lower()}"
            if zeroonetwo in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in BOOSTER_DICT:
                valence = valence + BOOSTER_DICT[n_gram]
        return valence


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    if importlib.metadata.version("vaderSentiment") == CHECKED_VADER:
        return _Analyzer()
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
