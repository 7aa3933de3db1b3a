"""The allowlist safety net, in the spirit of Philter (Norgeot et al., 2020): rather than list what
to remove, list what may stay.

- After a name cue (kinship or care word, title, greeting, a verb of talking to someone), the first
  word that is not a filler is a name unless it is in the vocabulary of safe words (common English,
  symptoms, body parts, drugs, medical words, stop words, regions, months): "my neighbour Rusty",
  "asked kayla", "dr okafor".
- A lower-case word that is a listed first name and no English word ("sheila said") is a name.
- A capitalised word that no vocabulary knows (not English, not safe, not a listed place, not an
  acronym) is a name: at a sentence start too when another such word or a person's verb follows
  ("Ngozi Adeyemi is the PA", "Horatio is my physio").
"""
from __future__ import annotations

from collections.abc import Iterator

from .lexicon import MONTHS_AND_DAYS as _MONTHS
from .lexicon import lexicons
from .normalise import sentence_start
from .. import fastre

Hit = tuple[int, int, str, bool]
_TOKEN = fastre.compile(r"[A-Za-z][A-Za-z'-]*")
_CUES = frozenset("hi hello hey hiya dear thanks thank thx ty bye cheers congrats sorry hugs prayers "
                  "asked ask told tell texted messaged emailed spoke talked chatted met thanked paging "
                  "named called".split())
_FILLERS = frozenset("the my our a an little dear old sweet poor lovely to with for from you in law "
                     "in-law great".split())
_BREAK = fastre.compile(r"[.!?;:\n]")
_MARKS = '.!?:;\n"“(>'


def _sentence_start(text: str, start: int) -> bool:
    """``(?:^|[.!?:;\\n"“(>]\\s*|\\s[-–—]\\s+)$`` on ``text[:start]``, without scanning the text before."""
    return sentence_start(text, start, _MARKS, spaced_dash=True)


_PERSON_NEXT = fastre.compile(r"(?:'s)?\s*(?:\(|,\s*(?:my|our|the|who)\b|\s+(?:is|was|has|had|says|said|told|texted|"
                              r"called|at|from|and|&|do|did|does|I'm|I|you|asked|will|would|can|could|"
                              r"thinks|swears|came|went|took|drove|helps|helped|wrote|sent|lives|lived|spent|began|"
                              r"shouted|started|moved|works|worked|joined|left|married|studied|will\s+be|"
                              r"can\s+I|can\s+you|could\s+you)\b|,\s+(?:can|could|would|will|do|did|are|is|please)\b)")


_CONTRACTION = fastre.compile(r"(?:'s|'ve|'m|'ll|'d|'re|n't)$")


def _safe(word: str, lx: dict[str, frozenset[str]]) -> bool:
    low = _CONTRACTION.sub("", word.lower()) if "'" in word else word.lower()
    return (low in lx["common"] or low in lx["keep"] or low in lx["stop"] or low in _MONTHS
            or low in lx["kin"] or low in lx["titles"] or word in lx["regions"] or len(low) < 2)


def _unknown(word: str, lx: dict[str, frozenset[str]]) -> bool:
    if not word[0].isupper():
        return False
    bare = _CONTRACTION.sub("", word) if "'" in word else word
    return (not _safe(bare, lx) and bare not in lx["places"]
            and bare not in lx["place_words"] and not (bare.isupper() and len(bare) <= 5
                                                      and bare.lower() not in lx["names_lower"]))


_FOREIGN = fastre.compile(r"[^\W\d_A-Za-z]{2,}(?:[ \t]+[^\W\d_A-Za-z]{2,}){0,3}")


def safety_hits(text: str) -> Iterator[Hit]:
    """Yield NAME hits the allowlist net finds."""
    lx = lexicons()
    if not text.isascii():  # a word wholly in another script ("ΠΑΦΟΣ", "Ольга"): a name or a place
        for m in _FOREIGN.finditer(text):
            yield m.start(), m.end(), "NAME", False
    toks = [(m.start(), m.group(0)) for m in _TOKEN.finditer(text)]
    for i, (start, word) in enumerate(toks):
        low = word.lower()
        if _unknown(word, lx):
            at_start = _sentence_start(text, start)
            nxt = toks[i + 1][1] if i + 1 < len(toks) else ""
            if not at_start or (nxt and _unknown(nxt, lx)) or _PERSON_NEXT.match(text, start + len(word)):
                end = start + len(word) - (2 if word.endswith("'s") else 0)
                yield start, end, "NAME", False
        if (not word[0].isupper() and len(low) > 2 and low in lx["first_lower"] and low not in lx["words"]
                and not _safe(word, lx)):
            yield start, start + len(word), "NAME", False
        if low not in _CUES and low not in lx["kin"] and low not in lx["titles"]:
            continue
        for j in range(i + 1, min(i + 4, len(toks))):
            nstart, nword = toks[j]
            if _BREAK.search(text, toks[j - 1][0] + len(toks[j - 1][1]), nstart):
                break
            if nword.lower() in _FILLERS:
                continue
            upper = nword[0].isupper()
            if (upper and not _safe(nword, lx)) or (not upper and not _safe(nword, lx) and len(nword) > 2):
                end = nstart + len(nword) - (2 if nword.endswith("'s") else 0)
                yield nstart, end, "NAME", upper
            break
