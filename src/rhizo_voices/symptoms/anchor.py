"""Procedure anchoring: when, how often, where and on which side, as far as a comment says it.

Heuristic and regex based; every field is None when the text does not say it. Durations are in days
(a month is 30.4 days, a year 365).

Speed (same results): every timing pattern holds a duration, and every duration a unit after a space,
so a text without one (a third of comments) is not searched for timing. In an ASCII text a pattern is
searched only when the lower-cased text holds one word of each group ``_NEEDS`` lists for it (words
each of its matches contains; IGNORECASE matches ASCII letters as their lower case). Which of those
words a text holds is read off the shared literal index of ``gated_re`` (one Aho-Corasick pass).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .. import fastre
from ..gated_re import literals_in, watch
from .context import normalize

_UNITS = {"day": 1.0, "days": 1.0, "wk": 7.0, "wks": 7.0, "week": 7.0, "weeks": 7.0, "mo": 30.4, "mos": 30.4,
          "month": 30.4, "months": 30.4, "yr": 365.0, "yrs": 365.0, "year": 365.0, "years": 365.0}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18,
            "couple": 2, "a couple": 2, "a couple of": 2, "couple of": 2, "few": 3, "a few": 3, "several": 3}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6}

_NUM = r"(?P<n>\d+(?:\.\d+)?|a couple of|couple of|a couple|a few|an?|one|two|three|four|five|six|seven|eight|" \
       r"nine|ten|eleven|twelve|fifteen|eighteen|few|several)"
_UNIT = r"(?P<u>days?|wks?|weeks?|mos?|months?|yrs?|years?)\b"
_DUR = rf"\b{_NUM}\s+(?:(?:full|whole|more|long|short)\s+)?{_UNIT}"
_PROC = r"(?:rfa|rfas|rhiz\w*|rhitz\w*|ablations?|procedures?|burns?|radio ?frequency|it|this|them|one)"
_I = re.IGNORECASE

_ONSET = [
    fastre.compile(rf"(?:start\w*|began|begun|set in|came on|develop\w*|appeared|noticed|kicked in)"
                   rf"\s+(?:\w+\s+){{0,3}}?"
                   rf"(?:about\s+|around\s+|roughly\s+)?{_DUR}\s+(?:after|later|post)", _I),
    fastre.compile(rf"{_DUR}\s+(?:after|later|post)\b(?!\s+(?:that|which)\s+(?:it|the pain)\s+came back)", _I),
]
_HAD_AGO = fastre.compile(rf"\bhad\s+(?:\w+\s+){{0,3}}?{_PROC}\s+(?:\w+\s+){{0,2}}?(?:done\s+)?{_DUR}\s+ago", _I)
RECENT_DAYS = 31.0
_SINCE = [
    fastre.compile(rf"(?:it'?s|it has|its|has|have)\s+been\s+(?:about\s+|almost\s+|over\s+|nearly\s+)?{_DUR}", _I),
    fastre.compile(rf"\bgoing on\s+{_DUR}", _I),
    fastre.compile(rf"{_PROC}\s+(?:\w+\s+){{0,3}}?{_DUR}\s+ago", _I),
    fastre.compile(rf"{_DUR}\s+ago", _I),
    fastre.compile(rf"{_DUR}\s+(?:post|out from|out since|since)\b", _I),
    fastre.compile(rf"{_DUR}\s+(?:out|later)\b", _I),
]
_RELIEF = [
    fastre.compile(rf"(?:pain[- ]free|relief|relieved|worked(?:\s+\w+)?|better|good|great)\s+for\s+"
                   rf"(?:about\s+|around\s+|almost\s+|nearly\s+|roughly\s+|over\s+)?{_DUR}", _I),
    fastre.compile(rf"{_DUR}\s+of\s+(?:\w+\s+)?relief", _I),
    fastre.compile(rf"(?:only\s+)?lasted\s+(?:about\s+|around\s+|almost\s+|for\s+|only\s+)?{_DUR}", _I),
    fastre.compile(rf"(?:wore|wears|worn)\s+off\s+(?:after|in|within)\s+(?:about\s+)?{_DUR}", _I),
]
_COUNT = fastre.compile(rf"(?:at least\s+|about\s+)?\b(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten|"
                        rf"a couple of|couple of|several)\s+(?:more\s+|previous\s+|separate\s+)?"
                        rf"(?:rfas?|rhiz\w*|rhitz\w*|ablations?|procedures|burns|rounds|times)\b", _I)
_ORDINAL = fastre.compile(r"\b(?P<o>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|2nd|3rd|4th|"
                          r"5th|6th)\s+(?:round|rfa|rhiz\w*|ablation|procedure|burn|time)\b", _I)
_BOTH = fastre.compile(r"\bboth\s+(?:procedures|rfas|rhiz\w*|ablations|burns)\b", _I)
_HASH = fastre.compile(r"\b(?:rfa|rhizo\w*|ablation|procedure)\s*(?:#|number\s+|no\.?\s*)(?P<n>\d+|two|three|four|"
                       r"five)\b", _I)
_REGIONS = [
    ("sacroiliac", fastre.compile(r"\b(?:si joints?|sacroiliac|sacrum|sacral|s1 joint)\b", _I)),
    ("lumbar", fastre.compile(r"\b(?:lumbar|low(?:er)? back|low(?:er)? spine|l[1-5](?:[-/ ]?(?:l?[1-5]|s1))?)\b", _I)),
    ("cervical", fastre.compile(r"\b(?:cervical|neck|c[1-7](?:[-/ ]?c?[1-7])?)\b", _I)),
    ("thoracic", fastre.compile(r"\b(?:thoracic|mid(?:dle)?[- ]back|upper back|t(?:[1-9]|1[0-2]))\b", _I)),
]
_BILATERAL = fastre.compile(r"\b(?:both sides|bilateral\w*|left and right|right and left|both the left and (?:the )?"
                            r"right|each side|on both)\b", _I)
_SIDE = fastre.compile(r"\b(?P<s>left|right)\s*\)|\b(?P<s2>left|right)(?:[- ]sided?|\s+(?:side|leg|arm|hip|buttock|"
                       r"foot|back|lower back|thigh|glute|sacroiliac|si|neck|shoulder|knee|l[1-5]|c[1-7]))\b|"
                   r"\bon (?:the|my) (?P<s3>left|right)\b", _I)


_UNIT_AT = fastre.compile(r"\s(?:days?|wks?|weeks?|mos?|months?|yrs?|years?)\b", _I)  # in every _DUR match
_AFTER = ("after", "later", "post")
_NEEDS: dict[re.Pattern[str], tuple[tuple[str, ...], ...]] = {
    _ONSET[0]: (("start", "began", "begun", "set in", "came on", "develop", "appeared", "noticed", "kicked in"),
                _AFTER),
    _ONSET[1]: (_AFTER,),
    _HAD_AGO: (("had",), ("ago",)),
    _SINCE[0]: (("been",),),
    _SINCE[1]: (("going on",),),
    _SINCE[2]: (("ago",),),
    _SINCE[3]: (("ago",),),
    _SINCE[4]: (("post", "out from", "since"),),
    _SINCE[5]: (("out", "later"),),
    _RELIEF[0]: (("pain", "relie", "worked", "better", "good", "great"), ("for",)),
    _RELIEF[1]: (("relief",),),
    _RELIEF[2]: (("lasted",),),
    _RELIEF[3]: (("wore", "wears", "worn"), ("off",)),
    _COUNT: (("rfa", "rhiz", "rhitz", "ablation", "procedures", "burns", "rounds", "times"),),
    _ORDINAL: (tuple(_ORDINALS), ("round", "rfa", "rhiz", "ablation", "procedure", "burn", "time")),
    _HASH: (("rfa", "rhizo", "ablation", "procedure"), ("#", "number", "no")),
    _BOTH: (("both",),),
    _BILATERAL: (("both", "bilateral", "left and right", "right and left", "each side"),),
    _SIDE: (("left", "right"),),
    _REGIONS[0][1]: (("si joint", "sacroiliac", "sacrum", "sacral", "s1 joint"),),
    _REGIONS[1][1]: (("lumbar", "low", "l1", "l2", "l3", "l4", "l5"),),
    _REGIONS[2][1]: (("cervical", "neck", *(f"c{i}" for i in range(1, 8))),),
    _REGIONS[3][1]: (("thoracic", "mid", "upper back", *(f"t{i}" for i in range(1, 10))),),
}


watch(w for groups in _NEEDS.values() for group in groups for w in group)
Held = frozenset[str] | None  # the indexed words a text holds, _NEEDS among them (None: a non-ASCII text)


def _held(low: str | None) -> Held:
    return None if low is None else literals_in(low)


def _may(pattern: re.Pattern[str], held: Held) -> bool:
    """Whether ``pattern`` can match a text holding the ``_NEEDS`` words ``held``."""
    return held is None or all(not held.isdisjoint(group) for group in _NEEDS.get(pattern, ()))


def _search(pattern: re.Pattern[str], text: str, held: Held) -> re.Match[str] | None:
    return pattern.search(text) if _may(pattern, held) else None


def _finditer(pattern: re.Pattern[str], text: str, held: Held) -> Iterator[re.Match[str]]:
    return pattern.finditer(text) if _may(pattern, held) else iter(())


@dataclass(frozen=True)
class Anchor:
    """What a comment says about its procedure: timing (days), count, spinal region and side."""

    onset_days: float | None = None  # procedure -> onset of symptoms
    since_days: float | None = None  # procedure -> time of writing
    relief_days: float | None = None  # relief before pain returned
    procedures: int | None = None
    region: str | None = None  # lumbar | cervical | thoracic | sacroiliac
    side: str | None = None  # left | right | bilateral


def _days(m: re.Match[str]) -> float | None:
    raw = m.group("n").lower()
    value = float(raw) if raw[0].isdigit() else float(_NUMBERS.get(raw, 0))
    return round(value * _UNITS[m.group("u").lower()], 1) if value else None


def _first(patterns: list[re.Pattern[str]], text: str, held: Held) -> float | None:
    for pattern in patterns:
        m = _search(pattern, text, held)
        if m:
            return _days(m)
    return None


def _count(text: str, held: Held) -> int | None:
    found = []
    for m in _finditer(_COUNT, text, held):
        raw = m.group("n").lower()
        found.append(int(raw) if raw.isdigit() else _NUMBERS.get(raw, 0))
    for m in _finditer(_ORDINAL, text, held):
        found.append(_ORDINALS[m.group("o").lower()])
    for m in _finditer(_HASH, text, held):
        raw = m.group("n").lower()
        found.append(int(raw) if raw.isdigit() else _NUMBERS.get(raw, 0))
    found += [2 for _ in _finditer(_BOTH, text, held)]
    found = [n for n in found if 0 < n < 100]
    return max(found) if found else None


def _region(text: str, held: Held) -> str | None:
    best: tuple[int, str] | None = None
    for name, pattern in _REGIONS:
        m = _search(pattern, text, held)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def _side(text: str, held: Held) -> str | None:
    if _search(_BILATERAL, text, held):
        return "bilateral"
    sides = {(m.group("s") or m.group("s2") or m.group("s3")).lower() for m in _finditer(_SIDE, text, held)}
    if len(sides) == 2:
        return "bilateral"
    return sides.pop() if sides else None


def anchor(text: str) -> Anchor:
    """Procedure anchoring for one comment: onset, time since, relief duration, count, region, side."""
    text = normalize(text or "")
    held = _held(text.lower()) if text.isascii() else None
    where = dict(procedures=_count(text, held), region=_region(text, held), side=_side(text, held))
    if not _UNIT_AT.search(text):
        return Anchor(**where)
    onset = _first(_ONSET, text, held)
    since = _first(_SINCE, text, held)
    if onset is None and since is not None and since <= RECENT_DAYS and _search(_HAD_AGO, text, held):
        onset = since  # "had it done 8 days ago" and writing about symptoms now: onset within those days
    return Anchor(onset_days=onset, since_days=since, relief_days=_first(_RELIEF, text, held), **where)
