"""Words, phrases and labels for topics, from the redacted text only.

The vectorizer's analyzer splits a comment at punctuation and at redaction placeholders (``[NAME]``,
``[PLACE]``, ...) and drops handles (``/u/x``, ``u/x``, ``@x``), so no word, phrase or label can hold a
placeholder or bridge the gap where one was. Phrases are 1-3 contiguous words that neither start nor
end on a stop word (English stop words, a domain list of words nearly every comment here shares, such
as "procedure", "pain", "rfa", and any spelling of the procedure's names); a stop word may sit inside
("numb and burning").
A topic's label is its best two or three phrases (c-TF-IDF candidates that two or more of its comments
share, re-ranked by BERTopic's MaximalMarginalRelevance), preferring phrases of two or more words (a
reader takes in "leg gave way" faster than "gave").
"""
from __future__ import annotations

import re
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

PLACEHOLDER = re.compile(r"\[[A-Z_]{2,}\]")
HANDLE = re.compile(r"(?:(?<![\w/])/?u/[\w-]+|@\w+)", re.IGNORECASE)
SEGMENT = re.compile(r"[.!?,;:()\"\n\r\t|*~_\-]+|\s-\s|\s–\s")
WORD = re.compile(r"[a-z][a-z']*[a-z]|[a-z]")
APOSTROPHES = str.maketrans({"’": "", "‘": "", "'": "", "`": ""})
# Words nearly every comment here uses, so they tell topics apart from nothing; and chat filler.
DOMAIN_STOP = frozenset("""
procedure procedures pain painful rfa rf rfas rhizo rhizos rhizotomy rhizotomies ablation ablations
radiofrequency radio frequency nerve nerves done having had left right side got get getting gets just like
know really thing things did does doing went going make made bit lot lots today day days week weeks month
months year years ago later time times said told say says dont im ive id cant didnt doesnt isnt wasnt
wont wouldnt couldnt shouldnt youre thats theyre theres hes shes whats ill youve weve theyve arent
havent hasnt hadnt werent yes yeah ok okay oh hi hey thanks thank anyone everyone someone people
guys post posts thread comment comments edit update hope hoping wish asked ask question questions doc
doctor doctors dr pm pain's
""".split())
PLACEHOLDER_WORDS = frozenset("name user url email phone place date address zip age ip id".split())
STOP = frozenset(ENGLISH_STOP_WORDS) | DOMAIN_STOP | PLACEHOLDER_WORDS
DOMAIN_PREFIXES = ("rhiz", "rhitz", "ablat", "radiofreq")  # the procedure's names, however spelt
MAX_NGRAM = 3
LABEL_PHRASES = 3
LABEL_CHARS = 60
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def clean(text: str) -> list[list[str]]:
    """The redacted ``text`` as segments of lower-case words: split at punctuation and placeholders,
    handles dropped, apostrophes removed ("don't" -> "dont")."""
    text = HANDLE.sub(" | ", PLACEHOLDER.sub(" | ", text))
    text = text.lower().translate(APOSTROPHES)
    return [words for seg in SEGMENT.split(text) if (words := WORD.findall(seg))]


def analyzer(text: str) -> list[str]:
    """Terms of ``text`` (see ``terms``), memoised: c-TF-IDF and the shared-phrase check read the same
    comments."""
    return list(terms(text))


@lru_cache(maxsize=65536)
def terms(text: str) -> tuple[str, ...]:
    """Terms of ``text`` for c-TF-IDF: 1-3 word phrases inside one segment, not starting or ending on a
    stop word, no words of one letter."""
    found: list[str] = []
    for words in clean(text):
        n_words = len(words)
        for i, first in enumerate(words):
            if _stop(first):
                continue
            for n in range(1, MAX_NGRAM + 1):
                if i + n > n_words:
                    break
                last = words[i + n - 1]
                if n > 1 and _stop(last):
                    continue
                found.append(first if n == 1 else " ".join(words[i:i + n]))
    return tuple(found)


def _stop(word: str) -> bool:
    return word in STOP or len(word) < 3 or word.startswith(DOMAIN_PREFIXES)


def vectorizer(n_docs: int):  # noqa: ANN201  (sklearn CountVectorizer)
    """The CountVectorizer BERTopic builds c-TF-IDF with: our analyzer; rare terms dropped when the
    corpus is big enough to have them."""
    from sklearn.feature_extraction.text import CountVectorizer
    return CountVectorizer(analyzer=analyzer, min_df=1 if n_docs < 200 else 2)


def shared(phrases: list[str], docs: list[str], min_docs: int = 2) -> list[str]:
    """The ``phrases`` (order kept) that at least ``min_docs`` of ``docs`` use (all of them when the
    topic has fewer comments): a label says what a topic's comments share, never one writer's words."""
    need = min(min_docs, len(docs))
    wanted = set(phrases)
    counts = dict.fromkeys(phrases, 0)
    for doc in docs:
        for term in wanted.intersection(terms(doc)):
            counts[term] += 1
    return [p for p in phrases if counts[p] >= need]


def label(phrases: list[str]) -> str:
    """A short label from a topic's ranked phrases: the first multi-word phrases (up to
    ``LABEL_PHRASES``, within ``LABEL_CHARS``), single words only where phrases run out; a phrase
    contained in one already chosen (or containing it) is skipped."""
    ranked = [p for p in phrases if " " in p] + [p for p in phrases if " " not in p]
    chosen: list[str] = []
    for phrase in ranked:
        if any(phrase in c or c in phrase for c in chosen):
            continue
        if chosen and len("; ".join([*chosen, phrase])) > LABEL_CHARS:
            break
        chosen.append(phrase)
        if len(chosen) == LABEL_PHRASES:
            break
    return "; ".join(chosen)


def excerpt(texts: list[str], phrases: list[str], limit: int = 140) -> str:
    """A sentence to quote for a topic: from ``texts`` (its comments, most central first), the first
    sentence holding one of the label's ``phrases``, so the quote shows the label in a writer's words;
    else the first sentence of the most central comment. Cut at a word boundary."""
    wanted = set(phrases)
    for text in texts:
        for sentence in SENTENCE.split(" ".join(text.split())):
            if wanted.intersection(terms(sentence)):
                return _cut(sentence, limit)
    return _cut(SENTENCE.split(" ".join(texts[0].split()), maxsplit=1)[0], limit) if texts else ""


def _cut(sentence: str, limit: int) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + " …"
