"""sentiment.py: the linear VADER gives the stock analyzer's scores, exactly."""
from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from rhizo_voices import sentiment

# Written for this test: negations one to three words back, "never so", "without doubt", idioms,
# boosters as bigrams, "kind of", "least", ALL CAPS among lower case, "but", emoji, punctuation runs.
TEXTS = [
    "The burn was not bad at all, but my leg has been KILLING me since.",
    "I am never so happy as when the pain is gone 😁",
    "Without doubt the best thing I did. Kind of amazing really!!",
    "no no relief at all, sort of miserable",
    "my husband isn't sure it helped, he's kind of grumpy about the cost",
    "Not the least bit better. At least the nerve pain stopped?? or did it???",
    "dr said it was the bomb, i said it was the shit... honestly bus stop bad",
    "Wasn't great, wasnt awful, just numb. NUMB. and the burning!!!!! ugh",
    "  had rfa twice :) second one worked way better than the first :(  ",
    "never this bad before, never so tired, without a doubt worse",
    "",
    "GOOD",
]


def test_scores_as_the_stock_analyzer() -> None:
    stock, fast = SentimentIntensityAnalyzer(), sentiment._Analyzer()
    for text in TEXTS:
        assert fast.polarity_scores(text) == stock.polarity_scores(text), text


@pytest.mark.parametrize("text, score", [
    (TEXTS[0], -0.806), (TEXTS[1], 0.7489), (TEXTS[2], 0.886), (TEXTS[3], -0.6321), ("   ", 0.0)])
def test_compound(text: str, score: float) -> None:
    assert sentiment.compound(text) == score


def test_sentence_around() -> None:
    text = "First one helped. The second burn left my leg numb! Third?"
    assert sentiment.sentence_around(text, text.index("numb"), text.index("numb") + 4) == \
        "The second burn left my leg numb!"


def test_negated_as_vader_reads_one_word() -> None:
    from vaderSentiment.vaderSentiment import negated
    words = ["not", "NOT", "isn't", "Wasn'T", "never", "neither", "nope", "wont", "fine", "pain", "", "n't"]
    assert [sentiment._negated(w) for w in words] == [negated([w]) for w in words]
    assert [w for w in words if sentiment._negated(w)] == ["not", "NOT", "isn't", "Wasn'T", "never", "neither",
                                                         "nope", "wont", "n't"]
