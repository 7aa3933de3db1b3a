"""Name cues beyond those of ``names``: names written in lower case, names at the end of a sentence,
in attributions, with a quoted nickname, and on a line of their own.

- a lower-case first name followed by a surname (an initial between them too): "patricia
  desrosiers", "emidio p lombardo" (the surname: no English word, or a listed surname);
- a lower-case list whose items are mostly listed first names: "silvana, adam, chad and caleb";
- a name after a verb of reporting or naming: "says Becker.", "shouted at Tiffany", "call me
  viseslav", "named him Frank";
- a listed first name closing a sentence after a comma or an imperative: "Don't go, Mark!",
  "Don't stress Paddy";
- an attribution: "- Walt, 67, Dayton", "— Marisol (54)";
- a surname after a quoted nickname: "Ama "Sunny" Nkemelu";
- a line that is only a name: "Dyan van Gijn", "Ken N. Fukuda", a first name among its words.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import NAME_WORD as _WORD
from .lexicon import blocked as _blocked
from .. import fastre

Hit = tuple[int, int, str, bool]

_LOWER = fastre.compile(r"(?<![\w@./'’-])[a-z][a-z'’-]*[a-z](?![\w@/-])")
_LETTERS = fastre.compile(r"[a-z]{2,}")
_AFTER_FIRST = fastre.compile(r"(?:[ \t]+(?P<i>[a-z])\.?)?[ \t]+(?P<b>[a-z][a-z'’-]*[a-z])(?![\w@/-])")
LOWER_LIST = fastre.compile(r"(?<![\w-])[a-z]{2,}(?:\s*,\s*[a-z]{2,}){1,}\s*,?\s*(?:and|&)\s+[a-z]{2,}(?![\w-])")
REPORTED = fastre.compile(rf"\b(?:(?i:says|said|shouted at|yelled at|screamed at|waved at|smiled at|starring|"
                          rf"replied|asks|calls? me|called me|named (?:him|her|them|me)|call (?:him|her))\s+)"
                          rf"(?P<n>{_WORD}|[a-z][a-z'’-]+)(?:[ \t]+(?P<s>{_WORD}))?")
END_COMMA = fastre.compile(rf",[ \t]+(?P<n>{_WORD})(?=[ \t]*(?:[!?.]+|\s*$))")
IMPERATIVE = fastre.compile(rf"(?:^|[.!?]\s+)(?i:don't|do not|please|stay|hang|keep|take|get|go|feel|hold|chin)\b"
                            rf"[^.!?\n]{{0,40}}?[ \t](?P<n>{_WORD})(?=[ \t]*[!?.]*[ \t]*(?:$|\n))")
ATTRIBUTION = fastre.compile(rf"(?:^|\n|[\"”.!?][ \t]*)[-–—~]+[ \t]*(?P<n>{_WORD})(?:[ \t]+(?P<s>{_WORD}|[A-Z]\.))?"
                             rf"(?:,[ \t]*(?:\d{{1,3}}\b|[A-Z])|[ \t]*\(\d{{1,3}}\))")
# the cue words of REPORTED in lower case, to skip texts without one
_REPORTED_CUE = fastre.compile(r"says|said|ed at|starring|replied|asks|call me|calls me|called me|call him|"
                               r"call her|named ")
_DASH_NAME = fastre.compile(r"[-–—~][ \t]*[A-Z]")
_QUOTED_NAME = fastre.compile(r"[\"“‘'][A-Z]")
NICKNAME = fastre.compile(rf"(?P<a>{_WORD})[ \t]+[\"“‘'](?P<q>{_WORD})[\"”’'][ \t]+(?P<b>{_WORD})")
_PARTICLE = r"(?:van|von|de|der|den|ten|ter|da|di|du|del|la|le|bin|al|el)"
NAME_LINE = fastre.compile(rf"(?m)^[ \t>?*]*(?P<n>{_WORD}(?:[ \t]+(?:{_WORD}|[A-Z]\.?|{_PARTICLE})){{1,3}})[ \t]*$")


def _surname(word: str, lx: dict[str, frozenset[str]]) -> bool:
    """A lower-case word that can be a surname: no English word, or a listed surname that is none."""
    low = word.lower().removesuffix("'s").removesuffix("’s")
    return (len(low) > 2 and low.isalpha() and not _blocked(low, lx)
            and (low not in lx["words"] or low in lx["names_lower"] and low not in lx["common"]))


def lower_name_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """Lower-case "first [initial] surname" and lower-case lists of first names."""
    # when the listed first names are plain letters, one that is a token is also a run of letters
    if _odd_first_names(lx):
        yield from _full_names(text, lx["first_lower"].intersection(_LOWER.findall(text)) - lx["name_words"], lx)
        unlisted = 2
    else:
        tokens = _LETTERS.findall(text)
        found = lx["first_lower"].intersection(tokens)
        if found - lx["name_words"]:
            yield from _full_names(text, found - lx["name_words"], lx)
        # a list needs two items that are listed first names and no words (each a run of letters)
        rare = found - lx["words"]
        unlisted = len(rare) if len(rare) != 1 else min(2, tokens.count(next(iter(rare))))
    if unlisted >= 2 and ", " in text and " and " in text:
        for m in LOWER_LIST.finditer(text):
            items = [(i.start() + m.start(), i.group(0)) for i in re.finditer(r"[a-z]+", m.group(0))
                     if i.group(0) != "and"]
            listed = [w in lx["first_lower"] and not _blocked(w, lx) for _, w in items]
            if sum(listed) * 2 >= len(items) and sum(listed[k] and w not in lx["words"]
                                                     for k, (_, w) in enumerate(items)) >= 2:
                for (start, word), ok in zip(items, listed):
                    if ok or word not in lx["words"]:
                        yield start, start + len(word), "NAME", False


def _full_names(text: str, found: set[str], lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """Each lower-case token of ``found`` (listed first names of ``text``) and the surname after it."""
    starts = sorted({i for name in found for i in _occurrences(text, name)})
    for m in (_LOWER.match(text, i) for i in starts):
        word = m.group(0) if m else ""
        if word not in found or _blocked(word, lx):
            continue
        nxt = _AFTER_FIRST.match(text, m.end())
        if not nxt or not _surname(nxt.group("b"), lx):
            continue
        # an English word as first name ("frank") only before a listed surname or with an initial
        if word in lx["words"] and not (nxt.group("i") or nxt.group("b") in lx["names_lower"]):
            continue
        end = nxt.end("b") - (2 if nxt.group("b").endswith(("'s", "’s")) else 0)
        yield m.start(), m.end(), "NAME", False
        yield nxt.start("b") if not nxt.group("i") else m.end() + 1, end, "NAME", False


def _occurrences(text: str, word: str) -> Iterator[int]:
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


_ODD: dict[int, bool] = {}


def _odd_first_names(lx: dict[str, frozenset[str]]) -> bool:
    """Whether a listed first name is more than plain letters ("mary-jo"; checked once a lexicon)."""
    key = id(lx["first_lower"])
    if key not in _ODD:
        _ODD[key] = any(not (w.isalpha() and w.isascii()) for w in lx["first_lower"])
    return _ODD[key]


def _is_name(word: str, lx: dict[str, frozenset[str]], listed_only: bool = False) -> bool:
    if len(word) < 2 or _blocked(word, lx) or word in lx["places"] or word.lower() in lx["titles"]:
        return False
    if word[0].isupper():
        return word in lx["first"] or word in lx["names"] or (not listed_only and word.lower() not in lx["words"])
    return word in lx["first_lower"] and word not in lx["name_words"] or (
        not listed_only and len(word) > 2 and word not in lx["words"])


def cue_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """Yield NAME hits of the cues above."""
    yield from lower_name_hits(text, lx)
    low = text.lower()
    if _REPORTED_CUE.search(low):
        for m in REPORTED.finditer(text):
            word = m.group("n")
            naming = re.match(r"(?i)call|named", m.group(0))  # "call me viseslav": any word is a name
            if word[0].islower() and not naming and (word not in lx["first_lower"] or word in lx["name_words"]):
                continue  # "said they'd", "says saphenous"
            if "'" not in word and "’" not in word and _is_name(word, lx):
                yield m.start("n"), m.end("n"), "NAME", False
                sur = m.group("s")
                if sur and not _blocked(sur, lx) and sur.lower() not in lx["common"]:
                    yield m.start("s"), m.end("s"), "NAME", False
    if "," in text:
        for m in END_COMMA.finditer(text):
            if _is_name(m.group("n"), lx, listed_only=True) and m.group("n") in lx["first"]:
                yield m.start("n"), m.end("n"), "NAME", False
    ends = (line.rstrip(" \t!?.").rpartition(" ")[2].rpartition("\t")[2] for line in text.split("\n"))
    for m in IMPERATIVE.finditer(text) if any(w in lx["first"] for w in ends) else ():
        if m.group("n") in lx["first"] and _is_name(m.group("n"), lx, listed_only=True):
            yield m.start("n"), m.end("n"), "NAME", False
    if _DASH_NAME.search(text):
        for m in ATTRIBUTION.finditer(text):
            if not _blocked(m.group("n"), lx) and m.group("n").lower() not in lx["common"] or m.group("n") in lx["first"]:
                end = m.end("s") if m.group("s") and not _blocked(m.group("s"), lx) else m.end("n")
                yield m.start("n"), end, "NAME", False
    if _QUOTED_NAME.search(text):
        for m in NICKNAME.finditer(text):
            if m.group("a") in lx["first"] or _is_name(m.group("a"), lx):
                for g in ("a", "q", "b"):
                    if not _blocked(m.group(g), lx):
                        yield m.start(g), m.end(g), "NAME", False
    if "\n" in text:
        for m in NAME_LINE.finditer(text):
            yield from _name_line(m, lx)


def _name_line(m: re.Match[str], lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """A line of two to four capitalised words (particles, initials besides) that starts with a listed
    first name or has no word any list knows, and no safe, place or English word: "Dyan van Gijn",
    "Ken N. Fukuda"."""
    words = [w.group(0) for w in re.finditer(r"\S+", m.group("n"))]
    caps = [w for w in words if w[0].isupper() and len(w.rstrip(".")) > 1]
    if len(caps) < 2 or any(_blocked(w, lx) or w in lx["places"] or w.lower() in lx["titles"]
                            or w.lower() in lx["common"] and w not in lx["names"] for w in caps):
        return
    if caps[0] in lx["first"] or all(w.lower() not in lx["words"] for w in caps):
        yield m.start("n"), m.end("n"), "NAME", False
