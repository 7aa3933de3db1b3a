"""Regular expressions with a literal gate: skip the (slow) regex when a word it needs is absent.

Python's `re` tries every alternative at every position, so the policy's long word lists cost tens of
microseconds each per comment. Most patterns cannot match without one of a few literal strings ("hope",
"burden", "goodbye"...). `required_literals` reads those off the parsed pattern (any match contains at
least one of them, lower-cased); `GatedPattern.search` checks them with `in` on the lower-cased text
first and runs the regex only when one is there. A pattern whose every match need not contain a literal
of three or more characters is never gated.

Checking each pattern's literals with `in` rescans the text once per literal (~0.3 ms a comment for the
screening policy's 1,100 literals). Instead every gate's literals go into one Aho-Corasick automaton
(pyahocorasick): one pass over a text finds which literals it holds, and a gate is a set lookup.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import ahocorasick
from . import fastre

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _p
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_MIN_GATE = 3
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())


def _best(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if not b:
        return a
    if not a:
        return b
    return b if min(map(len, b)) > min(map(len, a)) else a


def _factors(seq: Any) -> frozenset[str] | None:
    """A set of strings one of which every match of ``seq`` contains (lower-cased), or None."""
    best: frozenset[str] | None = None
    run: list[str] = []
    for op, av in seq:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _best(best, frozenset({"".join(run).lower()}))
            run = []
        if op is _c.SUBPATTERN:
            best = _best(best, _factors(av[-1]))
        elif hasattr(_c, "ATOMIC_GROUP") and op is _c.ATOMIC_GROUP:
            best = _best(best, _factors(av))
        elif op is _c.BRANCH:
            subs = [_factors(b) for b in av[1]]
            if all(subs):
                best = _best(best, frozenset().union(*subs))  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            best = _best(best, _factors(av[2]))
    if run:
        best = _best(best, frozenset({"".join(run).lower()}))
    return best


def required_literals(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Literals (lower-cased) one of which any match contains, or None when there is no useful gate."""
    found = _factors(_p.parse(pattern, flags))
    if not found or min(map(len, found)) < _MIN_GATE:
        return None
    return tuple(sorted(found))


class _Literals:
    """Every gate's literals in one automaton; ``present(text)``: those the lower-cased text contains."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.automaton: Any = None  # rebuilt after new literals arrive (patterns are compiled at load)
        self.last: tuple[Any, frozenset[str]] = (None, frozenset())

    def add(self, literals: tuple[str, ...]) -> None:
        if not self.words.issuperset(literals):
            self.words.update(literals)
            self.automaton = None

    def present(self, text: str) -> frozenset[str]:
        last = self.last  # one reference read: safe if threads share it
        if last[0] is text:  # one text is checked by many patterns in a row
            return last[1]
        automaton = self.automaton
        if automaton is None:
            automaton = ahocorasick.Automaton()
            for word in self.words:
                automaton.add_word(word, word)
            automaton.make_automaton()
            self.automaton = automaton
        found = frozenset(word for _, word in automaton.iter(text.lower())) if self.words else frozenset()
        self.last = (text, found)
        return found


_literals = _Literals()


def watch(literals: Iterable[str]) -> None:
    """Add lower-case literals to the shared index (another module's gates: anchoring's words)."""
    _literals.add(tuple(literals))


def literals_in(text: str) -> frozenset[str]:
    """The indexed literals the lower-cased ``text`` contains (one pass; cached for the last text)."""
    return _literals.present(text)


class GatedPattern:
    """A compiled pattern that first checks its required literals (same search/finditer/sub API)."""

    __slots__ = ("regex", "gates", "gate_set", "pattern", "flags")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = fastre.compile(pattern, flags)
        self.gates = required_literals(pattern, flags)
        self.gate_set = frozenset(self.gates or ())
        if self.gates:
            _literals.add(self.gates)
        self.pattern = pattern
        self.flags = flags

    def possible(self, text: str) -> bool:
        """False when the text lacks every required literal (the regex cannot match)."""
        return self.gates is None or not self.gate_set.isdisjoint(_literals.present(text))

    def search(self, text: str, pos: int = 0, endpos: int = 2**62) -> re.Match[str] | None:
        return self.regex.search(text, pos, endpos) if self.possible(text) else None

    def exists(self, text: str) -> bool:
        return self.search(text) is not None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text) if self.possible(text) else iter(())

    def sub(self, repl: Any, text: str) -> str:
        return self.regex.sub(repl, text) if self.possible(text) else text


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern ("a|b(c|d)" -> ["a", "b(c|d)"]), by its source text."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1  # "[]...]": a literal ] first
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


class GatedAny:
    """Several gated patterns searched as one: the leftmost match of those whose gates pass.

    `of_patterns` splits each pattern at its top-level "|" first, so that every alternative gets a
    gate of its own (an alternation is only as selective as its commonest literal).
    """

    __slots__ = ("parts", "pattern")

    def __init__(self, parts: tuple[GatedPattern, ...]) -> None:
        self.parts = parts
        self.pattern = "|".join(f"(?:{p.pattern})" for p in parts)

    @classmethod
    def of_patterns(cls, patterns: tuple[GatedPattern, ...]) -> GatedAny:
        parts: list[GatedPattern] = []
        for p in patterns:
            alternatives = split_alternatives(p.pattern)
            parts += [p] if len(alternatives) == 1 else [GatedPattern(a, p.flags) for a in alternatives]
        return cls(tuple(parts))

    def search(self, text: str, pos: int = 0, endpos: int = 2**62) -> re.Match[str] | None:
        best = None
        present = _literals.present(text)
        for p in self.parts:  # GatedPattern.search inlined: this loop runs for every comment
            if p.gates is None or not p.gate_set.isdisjoint(present):
                m = p.regex.search(text, pos, endpos)
                if m and (best is None or m.start() < best.start()):
                    best = m
        return best

    def exists(self, text: str) -> bool:
        """Whether any part matches (stops at the first: cheaper than `search` for a yes/no)."""
        present = _literals.present(text)
        for p in self.parts:
            if (p.gates is None or not p.gate_set.isdisjoint(present)) and p.regex.search(text):
                return True
        return False

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        found = sorted((m for p in self.parts for m in p.finditer(text)), key=lambda m: (m.start(), -m.end()))
        end = -1
        for m in found:  # non-overlapping, leftmost first, like one alternation
            if m.start() >= end:
                end = m.end()
                yield m

    def sub(self, repl: Any, text: str) -> str:
        for p in self.parts:
            text = p.sub(repl, text)
        return text
