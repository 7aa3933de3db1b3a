"""The detection view of a text: what detectors read, with a map back to the original offsets.

Detectors never see the raw text. The view is built character by character:
- format and control characters are dropped (zero-width space/joiner, soft hyphen, BOM, word joiner,
  NUL and other C0/C1 controls except tab, newline and carriage return);
- each character is NFKC-normalised (full-width letters, ligatures, compatibility digits);
- Latin letters with diacritics fold to their ASCII base one for one ("ł" -> "l", "Þ" -> "T"), so
  ASCII patterns and the lexicons (folded the same way) see whole words ("Bartłomiej", never "Bart");
- Cyrillic and Greek look-alikes (``data/confusables.txt``) fold to Latin inside a word that also
  holds Latin letters ("nаtаshа" with Cyrillic "а");
- a line break inside a word ("Bart-\\nlomiej", "555-\\n0199") is dropped, and one between a word and
  a capitalised word or a digit group becomes a space, so names and phones split across lines are
  read whole.
``View.span(start, end)`` maps a detection span back to the original text's offsets.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import confusables
from .. import fastre

_KEEP_CONTROLS = frozenset("\t\n\r")
# Letters NFD does not decompose, folded by hand (one character each, so offsets stay 1:1).
_SPECIAL = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
            "þ": "t", "Þ": "T", "ß": "s", "æ": "a", "Æ": "A", "œ": "o", "Œ": "O", "ı": "i",
            "ħ": "h", "Ħ": "H", "ŧ": "t", "ŋ": "n", "ſ": "s", "’": "'", "‘": "'", "ʼ": "'"}
_MIXED = fastre.compile(r"\w+")
_JOIN_HYPHEN = fastre.compile(r"(?<=[A-Za-z0-9])-\r?\n(?=[a-z0-9])")
# one line break between a word and a capitalised word, or between two digit groups
_JOIN_SPACE = fastre.compile(r"(?<=[A-Za-z,])[ \t]*\r?\n[ \t]*(?=[A-Z])|(?<=[0-9)])[ \t]*\r?\n[ \t]*(?=[(0-9])")


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """What one original character becomes in the view ("" when dropped)."""
    if ch.isascii():
        return ch if ch.isprintable() or ch in _KEEP_CONTROLS else ""
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Cc", "Cs", "Co") and ch not in _KEEP_CONTROLS:
        return ""
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if c.isascii():
            out.append(c)
        elif c in _SPECIAL:
            out.append(_SPECIAL[c])
        elif unicodedata.combining(c):
            continue  # a stray combining mark: part of the letter before it
        else:
            base = unicodedata.normalize("NFD", c)
            ok = base[0].isascii() and base[0].isalpha() and all(unicodedata.combining(x) for x in base[1:])
            out.append(base[0] if ok else c)
    return "".join(out)


def fold(word: str) -> str:
    """A lexicon entry folded as the view folds text ("Bartłomiej" -> "Bartlomiej")."""
    if word.isascii() and word.isprintable():
        return word  # what fold_char gives each such character (most of the 72,000 lexicon entries)
    return "".join(fold_char(c) for c in word)


@dataclass(frozen=True)
class View:
    """``text`` is what detectors read; ``origin[i]`` is the original offset of ``text[i]``."""

    text: str
    origin: tuple[int, ...]
    length: int  # of the original text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the view's ``text[start:end]``."""
        if end <= start:
            pos = self.origin[start] if start < len(self.origin) else self.length
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1


def _edit(text: str, origin: list[int], rx: re.Pattern[str], repl: str) -> tuple[str, list[int]]:
    out, org, pos = [], [], 0
    for m in rx.finditer(text):
        out.append(text[pos:m.start()])
        org.extend(origin[pos:m.start()])
        out.append(repl)
        org.extend([origin[m.start()]] * len(repl))
        pos = m.end()
    out.append(text[pos:])
    org.extend(origin[pos:])
    return "".join(out), org


def view(text: str) -> View:
    """The detection view of ``text`` (the identity for printable ASCII on one line)."""
    if text.isascii() and text.isprintable():
        return View(text, tuple(range(len(text))), len(text))
    if text.isascii() and all(c.isprintable() or c in _KEEP_CONTROLS for c in text):
        out, origin = text, list(range(len(text)))
    else:
        chars: list[str] = []
        origin = []
        for i, ch in enumerate(text):
            folded = fold_char(ch)
            chars.extend(folded)
            origin.extend([i] * len(folded))
        out = "".join(chars)
    if not out.isascii():
        table = confusables()
        pieces = list(out)
        for m in _MIXED.finditer(out):
            word = m.group(0)
            if any(c.isascii() and c.isalpha() for c in word) and any(c in table for c in word):
                for j, c in enumerate(word, m.start()):
                    pieces[j] = table.get(c, c)
        out = "".join(pieces)
    if "\n" in out:
        out, origin = _edit(out, origin, _JOIN_HYPHEN, "")
        out, origin = _edit(out, origin, _JOIN_SPACE, " ")
    return View(out, tuple(origin), len(text))


def sentence_start(text: str, start: int, marks: str, spaced_dash: bool = False) -> bool:
    """Whether ``text[start]`` opens a sentence: nothing before it, or a line break, or one of ``marks``
    (or, with ``spaced_dash``, a dash with white space before it) and then only white space; found
    without scanning the text before."""
    j = start
    while j and text[j - 1].isspace():
        if text[j - 1] == "\n":
            return True
        j -= 1
    if start == 0 or j > 0 and text[j - 1] in marks:
        return True
    return spaced_dash and start > j >= 2 and text[j - 1] in "-–—" and text[j - 2].isspace()
