"""Date and age detectors. A date keeps its year only (``[DATE] 2021``): month and day go, including a
bare day of the month ("on the 14th", "Tuesday the 9th", "11/04"); a bare year and durations stay.
Ages over 89 go, in digits or in words ("ninety-three", "a hundred and one").
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import alternation
from .. import fastre

Hit = tuple[int, int, str, bool]

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_ORD = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"
_YEAR = r"(?:19|20)\d\d"
_WEEKDAY_NAME = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
_WEEKDAY = rf"(?:{_WEEKDAY_NAME},?\s+(?:the\s+)?)?"
_MONTH_CUES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# "April 5th", "April 5, 2021", "Sept. 3rd 2019", "January, 2020", "Monday, March 3rd".
DATE_WORD = fastre.compile(rf"{_WEEKDAY}{_MONTH}\b\.?(?:\s+(?:the\s+)?{_DAY}\b)?(?:,?\s+{_YEAR}\b)?")
# "5 April 2021", "3rd of May", "the 23rd of June"
DATE_DAY_FIRST = fastre.compile(rf"\b(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}\b\.?(?:,?\s+{_YEAR}\b)?")
# "Tuesday the 9th", "Monday 5th"
DATE_WEEKDAY_DAY = fastre.compile(rf"\b{_WEEKDAY_NAME},?\s+(?:the\s+)?{_ORD}\b")
# "on the 14th", "by the 15th": a day of the month unless a noun follows ("the 4th floor")
DATE_THE_DAY = fastre.compile(rf"(?i:\bthe\s+){_ORD}\b(?!\s+(?:of\s+)?(?i:{alternation('date_stop_words.txt')})\b)")
# "3/14/2021", "03-14-21", "2021-03-14", "14.03.2021", and a bare "7/22" (not a pain score "7/10")
DATE_NUM = fastre.compile(
    r"\b(?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:(?:19|20)\d\d|\d\d)\b"
    r"|\b(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|1[0-2])[/.](?:19|20)\d\d\b"
    r"|\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"
    r"|(?<![\d/.])(?:0?[1-9]|1[0-2])/(?!10\b)(?:0?[1-9]|[12]\d|3[01])\b(?![/.]?\d)"
)
_SCORE_BEFORE = fastre.compile(r"(?i)(?:pain|scale|score|rated?|level|is|at|a|an)\s+(?:of\s+)?$")
_DATE_NUM_CUE = fastre.compile(r"\d[/.-]\d")
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "jan", "june", "jun", "aug", "sep", "oct", "dec", "nov",
                     "feb", "apr", "jul", "sept"}
_DATE_CUE = fastre.compile(r"(?i:\b(?:in|on|since|until|till|by|from|of|last|next|early|late|mid|"
                           r"during|before|after|this|that|around|end of|beginning of)\s*-?\s*)$")

_UNITS = (r"%|percent|per\s*cent|mg|mcg|ml|min|mins|minutes?|hours?|hrs?|days?|weeks?|wks?|months?|"
          r"seconds?|secs?|lbs?|pounds?|kg|kilos?|degrees?|times|dollars|bucks|quid|miles?|km|feet|"
          r"ft|inch(?:es)?|steps|calls|people|patients|bucks|pills|units|cc")
AGE = fastre.compile(
    r"\b(?P<n1>\d{2,3})(?:[\s-]?(?:years?|yrs?)[\s-]?old|\s?y/?o|\s?yrs?\b)\b"
    r"|(?i:\b(?:aged?|i'?m|i am|he'?s|she'?s|he is|she is|is|was|turned|turning|turns|be)\s+)(?P<n2>\d{2,3})\b"
    rf"(?!\s*(?:{_UNITS})\b)(?!\s*%)"
    r"|(?<=[(,] )(?P<n3>\d{2,3})(?=\))|(?<=\()(?P<n4>\d{2,3})(?=\))"
)
_AGE_WORDS = fastre.compile(
    r"(?i)\b(?P<w>ninety(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|(?:a|one)\s+hundred(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b"
    rf"(?!\s*(?:{_UNITS})\b)(?![\s-]*(?:something|odd|ish|%))"
)
_AGE_CUES = ("year", "yr", "yo", "y/o", "age", "i'm", "i’m", "i am", "he's", "he is", "she's", "she is",
             "turn", " is ", " was ", "(", " be ")


# "nov 14", "sept 3rd" written in lower case ("may 5" is left: "may 5 people ...")
DATE_LOWER = fastre.compile(r"(?<![\w/])(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+"
                            r"(?:the\s+)?(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?!\s*(?:%|mg|people|times|x)\b)",
                            re.IGNORECASE)
# "Mr. Hollingsworth, 92, had ...": an age set off by commas after a name
AGE_APPOSITIVE = fastre.compile(r"(?<=[A-Za-z\]]), (?P<a>9\d|1[01]\d)(?=,)")


def date_hits(text: str, digits: bool) -> Iterator[Hit]:
    """Yield DATE hits (the year inside a hit is kept by the placeholder)."""
    if any(cue in text for cue in _MONTH_CUES):
        for m in DATE_WORD.finditer(text):
            if m.start() and text[m.start() - 1].isalnum():
                continue
            s = m.group(0)
            has_digit = any(c.isdigit() for c in s)
            first = s.replace(".", " ").replace(",", " ").split()[0].lower()
            if first in _AMBIGUOUS_MONTHS and not has_digit:
                if not _DATE_CUE.search(text[max(0, m.start() - 20):m.start()]):
                    continue
            yield m.start(), m.end(), "DATE", has_digit
        if digits:
            for m in DATE_DAY_FIRST.finditer(text):
                yield m.start(), m.end(), "DATE", True
    if not digits:
        return
    for m in DATE_LOWER.finditer(text):
        yield m.start(), m.end(), "DATE", True
    for m in DATE_WEEKDAY_DAY.finditer(text):
        yield m.start(), m.end(), "DATE", True
    if "the" in text.lower():
        for m in DATE_THE_DAY.finditer(text):
            yield m.start(), m.end(), "DATE", True
    if _DATE_NUM_CUE.search(text):
        for m in DATE_NUM.finditer(text):
            if "/" in m.group(0) and m.group(0).count("/") == 1 and _SCORE_BEFORE.search(text, 0, m.start()):
                continue
            yield m.start(), m.end(), "DATE", True


def age_hits(text: str, low: str, digits: bool) -> Iterator[Hit]:
    """Yield AGE hits for ages over 89."""
    if digits and any(cue in low for cue in _AGE_CUES):
        for m in AGE.finditer(text):
            group = next(g for g in ("n1", "n2", "n3", "n4") if m.group(g))
            if 89 < int(m.group(group)) < 125:
                yield m.start(group), m.end(group), "AGE", group == "n1"
    if digits and ", " in text:
        for m in AGE_APPOSITIVE.finditer(text):
            yield m.start("a"), m.end("a"), "AGE", True
    if "ninety" in low or "hundred" in low:
        for m in _AGE_WORDS.finditer(text):
            yield m.start("w"), m.end("w"), "AGE", True
