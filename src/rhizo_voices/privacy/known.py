"""A thread's known names (its authors' names and their parts) found in its comments.

The parts of each author name are "loose" (matched in any case: "Okafor", "okafor") or, when they are
also common words or short capitals ("Will", "Rose", "JT"), "exact" (as capitalised or as written). A
match may not sit inside a word, an email, a path or a handle, nor run into one.

``KnownNames.pattern`` is that definition as one regex: an alternation, loose parts first, longest
first. Compiling it costs ~1.5 ms a thread, more than the thread's comments take to search, so on ASCII
text (the detection view nearly always is) ``spans`` reads the same matches off two Aho-Corasick
automata (loose parts over the lower-cased text, exact parts over the text) and applies the regex's
choice rule: at the leftmost position whose lookbehind holds, the first alternative, in the regex's
order, whose lookahead holds; then on from its end. A non-ASCII text is searched with the regex.
"""
from __future__ import annotations

import re
from functools import cached_property, lru_cache

import ahocorasick

from .lexicon import blocked, lexicons
from .normalise import fold
from .. import fastre

_BEFORE = r"(?<![\w@/.-])"
_AFTER = r"(?![\w@]|\.\w)"


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what re's \w matches in a str pattern


class KnownNames:
    """The known names of one thread, ready to search comments."""

    def __init__(self, loose: set[str], exact: set[str]) -> None:
        # alternatives in the regex's order: loose parts, longest first, then exact parts, longest first
        self.loose = sorted(loose, key=lambda p: (-len(p), p))
        self.exact = sorted(exact, key=lambda p: (-len(p), p))
        self.ascii = all(p.isascii() for p in (*loose, *exact))

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        alts = []
        if self.loose:
            alts.append("(?i:" + "|".join(re.escape(p) for p in self.loose) + ")")
        if self.exact:
            alts.append("|".join(re.escape(p) for p in self.exact))
        return fastre.compile(_BEFORE + "(?:" + "|".join(alts) + ")" + _AFTER)

    @cached_property
    def _automata(self) -> tuple[ahocorasick.Automaton | None, ahocorasick.Automaton | None]:
        out = []
        for rank0, parts, fold_case in ((0, self.loose, True), (len(self.loose), self.exact, False)):
            if not parts:
                out.append(None)
                continue
            automaton = ahocorasick.Automaton()
            for rank, part in enumerate(parts, rank0):
                key = part.lower() if fold_case else part
                if key not in automaton:  # "Lee" and "LEE" both loose: the first in order stands
                    automaton.add_word(key, (rank, len(part)))
            automaton.make_automaton()
            out.append(automaton)
        return out[0], out[1]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the known names occur in ``text``: (start, end), left to right, not overlapping."""
        if not self.loose and not self.exact:
            return []
        if not (self.ascii and text.isascii()):
            return [(m.start(), m.end()) for m in self.pattern.finditer(text)]
        at: dict[int, list[tuple[int, int]]] = {}  # start -> (rank in the alternation, length)
        loose, exact = self._automata
        for automaton, haystack in ((loose, text.lower()), (exact, text)):
            if automaton is not None:
                for end, (rank, size) in automaton.iter(haystack):
                    at.setdefault(end - size + 1, []).append((rank, size))
        out: list[tuple[int, int]] = []
        pos = 0
        for start in sorted(at):
            if start < pos or not self._free_before(text, start):
                continue
            for _, size in sorted(at[start]):
                end = start + size
                if self._free_after(text, end):
                    out.append((start, end))
                    pos = end
                    break
        return out

    @staticmethod
    def _free_before(text: str, start: int) -> bool:
        return start == 0 or not (_word_char(text[start - 1]) or text[start - 1] in "@/.-")

    @staticmethod
    def _free_after(text: str, end: int) -> bool:
        if end >= len(text):
            return True
        ch = text[end]
        if _word_char(ch) or ch == "@":
            return False
        return not (ch == "." and end + 1 < len(text) and _word_char(text[end + 1]))


@lru_cache(maxsize=256)
def known_matcher(names: frozenset[str]) -> KnownNames:
    """The matcher for a set of author names (cached per set)."""
    lx = lexicons()
    loose: set[str] = set()
    exact: set[str] = set()
    for full in names:
        full = " ".join(fold(full).split())
        if not full:
            continue
        if not all(blocked(p.strip(".,"), lx) for p in full.split()):
            loose.add(full)
        for part in re.split(r"[\s,]+", full):
            part = part.strip(".,()\"'")
            if len(part) < 2 or re.fullmatch(r"[A-Za-z]\.?", part) or blocked(part, lx):
                continue
            if not re.search(r"[A-Za-z]", part):
                continue
            if part.lower() in lx["name_words"] or (part.isupper() and len(part) <= 3):
                exact.add(part[0].upper() + part[1:] if not part.isupper() else part)
            else:
                loose.add(part)
    return KnownNames(loose, exact)
