"""Compiled regexes that run in ASCII mode on texts where ASCII mode gives the same answers.

Half of analyze's instructions are spent inside ``re``'s matcher (callgrind, 20 threads of the 20k
corpus), and in Unicode mode every ``\\w``, ``\\b`` and case-insensitive comparison asks the Unicode
database about a character (~12% of all instructions). In ``re.ASCII`` mode those are table lookups.
The two modes differ only on characters that are word characters, digits or spaces outside ASCII, on
characters with a case outside ASCII, and on the ASCII separators 0x1c-0x1f (spaces to Unicode
``\\s``). A text holding none of those (nearly every comment: ASCII letters with typographic quotes,
dashes, bullets and emoji) matches a pattern the same way in both modes, so ``compile`` returns a
pattern with both compilations that picks the ASCII one for such a text. The exception is a
case-insensitive pattern that names a cased character outside ASCII ("ı" matches "i" in Unicode mode
only): such a pattern keeps Unicode mode for every text. Measured by callgrind on the same 20 threads
(`scripts/bench_instructions.py`): 17.4M instructions a comment in Unicode mode, 14.5M with every
pattern forced into ASCII mode (not exact), 15.3M with these patterns (exact; the wrapper costs a call).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

try:  # Python 3.11+
    import re._parser as _parser
except ImportError:  # pragma: no cover
    import sre_parse as _parser  # type: ignore[no-redef]

# Blocks of non-ASCII characters that may be safe; `_neutral` keeps the ones that are (no letter,
# digit, number, space or cased character slips in: the circled digits of Dingbats are numbers).
_CANDIDATES = ((0x00A1, 0x00BF), (0x00D7, 0x00D7), (0x00F7, 0x00F7), (0x2010, 0x205E), (0x2190, 0x23FF),
               (0x2500, 0x27BF), (0x2B00, 0x2BFF), (0xFE0E, 0xFE0F), (0x200B, 0x200D), (0x1F300, 0x1FAFF))


def _neutral(ch: str) -> bool:
    """Treated alike by both modes: not \\w (alnum or _), not \\d, not \\s, and no case to fold."""
    return not (ch.isalnum() or ch.isspace() or ch.isdecimal()) and ch.lower() == ch == ch.upper() \
        and ch.casefold() == ch


def _class(codepoints: list[int]) -> str:
    runs: list[list[int]] = []
    for cp in codepoints:
        if runs and cp == runs[-1][1] + 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs)


SAFE = [cp for a, b in _CANDIDATES for cp in range(a, b + 1) if _neutral(chr(cp))]
_UNSAFE = re.compile(r"[^\x00-\x1b\x20-\x7f" + _class(SAFE) + "]")
_last: tuple[Any, bool] = (None, False)


def ascii_safe(text: str) -> bool:
    """Whether every pattern matches ``text`` alike in ASCII and Unicode mode (cached for the last text)."""
    global _last
    cached = _last  # one reference read: safe if threads share it
    if cached[0] is text:
        return cached[1]
    ok = _UNSAFE.search(text) is None
    _last = (text, ok)
    return ok


def _cased_non_ascii(parsed: Any) -> bool:
    """Whether a parsed pattern names a character outside ASCII that is not neutral (alone or in a range)."""
    for op, av in parsed:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL") and av > 127 and not _neutral(chr(av)):
            return True
        if name == "RANGE" and av[1] > 127 and not all(_neutral(chr(c)) for c in range(max(av[0], 128), av[1] + 1)):
            return True
        if name == "IN" and _cased_non_ascii(av):
            return True
        if isinstance(av, (tuple, list)):
            for item in av:
                if isinstance(item, _parser.SubPattern) and _cased_non_ascii(item):
                    return True
                if isinstance(item, list) and any(isinstance(x, _parser.SubPattern) and _cased_non_ascii(x)
                                                  for x in item):
                    return True
        if isinstance(av, _parser.SubPattern) and _cased_non_ascii(av):
            return True
    return False


_CASELESS_FLAG = re.compile(r"\(\?[aiLmsux]*i[aiLmsux]*(?:-[imsx]*)?[:)]")


def _ascii_twin(pattern: str, flags: int) -> bool:
    """Whether ASCII mode answers as Unicode mode on an ``ascii_safe`` text."""
    if not (flags & re.IGNORECASE or _CASELESS_FLAG.search(pattern)):
        return True
    return not _cased_non_ascii(_parser.parse(pattern, flags & ~re.UNICODE))


class Dual:
    """A pattern compiled twice (Unicode, ASCII); each call uses the ASCII one on an ``ascii_safe`` text.
    Same methods and attributes as ``re.Pattern`` (those of the Unicode compilation)."""

    __slots__ = ("u", "a", "pattern", "flags", "groups", "groupindex")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.u = re.compile(pattern, flags)
        try:
            self.a = re.compile(pattern, (flags & ~re.UNICODE) | re.ASCII) if _ascii_twin(pattern, flags) else self.u
        except (re.error, ValueError):  # an inline (?u): Unicode only
            self.a = self.u
        self.pattern, self.flags, self.groups, self.groupindex = (self.u.pattern, self.u.flags, self.u.groups,
                                                                    self.u.groupindex)

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return (self.a if ascii_safe(text) else self.u).search(text, *args)

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return (self.a if ascii_safe(text) else self.u).match(text, *args)

    def fullmatch(self, text: str, *args: int) -> re.Match[str] | None:
        return (self.a if ascii_safe(text) else self.u).fullmatch(text, *args)

    def finditer(self, text: str, *args: int) -> Iterator[re.Match[str]]:
        return (self.a if ascii_safe(text) else self.u).finditer(text, *args)

    def findall(self, text: str, *args: int) -> list[Any]:
        return (self.a if ascii_safe(text) else self.u).findall(text, *args)

    def sub(self, repl: Any, text: str, count: int = 0) -> str:
        return (self.a if ascii_safe(text) else self.u).sub(repl, text, count)

    def subn(self, repl: Any, text: str, count: int = 0) -> tuple[str, int]:
        return (self.a if ascii_safe(text) else self.u).subn(repl, text, count)

    def split(self, text: str, maxsplit: int = 0) -> list[Any]:
        return (self.a if ascii_safe(text) else self.u).split(text, maxsplit)

    def __repr__(self) -> str:
        return f"Dual({self.u!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Dual, (self.pattern, self.flags))


def compile(pattern: str | Dual | re.Pattern[str], flags: int = 0) -> Dual:  # noqa: A001 - re's name
    """``re.compile`` for the analysers' patterns (see the module docstring); cached like re's own."""
    if isinstance(pattern, Dual):
        return pattern
    if isinstance(pattern, re.Pattern):
        return _compiled(pattern.pattern, (pattern.flags | flags) & ~re.UNICODE)
    return _compiled(pattern, flags)


@lru_cache(maxsize=2048)
def _compiled(pattern: str, flags: int) -> Dual:
    return Dual(pattern, flags)
