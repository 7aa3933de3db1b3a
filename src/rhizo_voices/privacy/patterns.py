"""Pattern detectors for structured identifiers: emails, URLs, usernames, phones, IDs, IPs, dates,
ZIP codes, street addresses and ages over 89.

Each detector yields ``(start, end, kind, confident)`` tuples; ``privacy.find_identifiers`` merges
them with the name and place detectors. Phones use Google's ``phonenumbers`` library (the same one
Presidio's PhoneRecognizer wraps), run only on texts that hold at least seven digits.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from pathlib import Path

import phonenumbers

from ..errors import ConfigError

Hit = tuple[int, int, str, bool]

_TLDS = ("com|org|net|edu|gov|mil|info|biz|io|co|us|uk|ca|au|de|fr|nl|ie|nz|in|me|tv|ly|health|"
         "care|clinic|md|app|site|online|blog|xyz|ai")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}\b")
URL = re.compile(
    r"\b(?:https?://|ftp://|www\.)[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]"
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])?",
    re.IGNORECASE,
)
USER = re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}\b"
                  r"|(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
SSN = re.compile(r"\b(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}\b")
SSN_WORD = re.compile(r"(?i:\b(?:ssn|social security(?: number| no\.?| #)?)\s*(?:is|:|#)?\s*)\d{9}\b")
CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
ACCOUNT = re.compile(
    r"(?i:\b(?:account|acct|member|policy|claim|patient|medical record|mrn|chart|insurance|"
    r"group|subscriber|case|license|passport)(?:\s+(?:id|number|no\.?|num|#))?\s*(?:is|:|#)?\s*)"
    r"(#?[A-Z0-9][A-Z0-9-]{4,19})\b"
)
IPV4 = re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_YEAR_RANGE = re.compile(r"\d{4}-\d{4}")
_IP_CUE = re.compile(r"\d\.\d{1,3}\.\d")
_DIGITS7 = re.compile(r"\d(?:\D{0,3}\d){6}")
# Digit groups shaped like a phone number that phonenumbers (US default region) does not parse,
# e.g. UK local "(0161) 4960066"; 9 to 15 digits, reported as not confident.
PHONE_FALLBACK = re.compile(r"(?<![\w/.-])(?:\+\d{1,3}[\s.-]?)?\(?\d{2,5}\)?(?:[\s.-]?\d{2,4}){2,3}"
                            r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w/-])")

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_MONTH_CUES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# "April 5th", "April 5, 2021", "Sept. 3rd 2019", "January, 2020", "5 April 2021", "the 5th of April".
# Written to start with a capital letter (no leading \b) so the regex engine can skip ahead fast.
DATE_WORD = re.compile(
    rf"{_WEEKDAY}{_MONTH}\b\.?(?:\s+{_DAY}\b)?(?:,?\s+{_YEAR}\b)?"
)
DATE_DAY_FIRST = re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}\b\.?(?:,?\s+{_YEAR}\b)?")
# "3/14/2021", "03-14-21", "2021-03-14", "14.03.2021", and "on 3/14" (no year: only after "on")
DATE_NUM = re.compile(
    r"\b(?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:(?:19|20)\d\d|\d\d)\b"
    r"|\b(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|1[0-2])[/.](?:19|20)\d\d\b"
    r"|\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"
    r"|(?<=\bon )(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])\b(?!/)"
)
_DATE_NUM_CUE = re.compile(r"\d[/.-]\d")
# Month words that are also ordinary words: only dates when a day or year or date cue is attached.
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "jan", "june", "jun", "aug", "sep", "oct", "dec", "nov",
                     "feb", "apr", "jul", "sept"}
_DATE_CUE = re.compile(r"(?i:\b(?:in|on|since|until|till|by|from|of|last|next|early|late|mid|"
                       r"during|before|after|this|that|around|end of|beginning of)\s*-?\s*)$")
# US state and territory abbreviations (privacy_names uses them too)
STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
           "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR")
ZIP = re.compile(rf"\b(?:{STATES}) {{1,2}}(?P<z>\d{{5}}(?:-\d{{4}})?)\b"
                 r"|(?i:\bzip(?: ?code)?|\bpostal code):? ?(?P<z2>\d{5}(?:-\d{4})?)\b")
_SUFFIX_FILE = Path(__file__).with_name("data") / "street_suffixes.txt"
try:
    _SUFFIXES = sorted({w.strip() for w in _SUFFIX_FILE.read_text(encoding="utf-8").split() if w.strip()},
                       key=len, reverse=True)
except OSError as exc:  # pragma: no cover - packaging error
    raise ConfigError(f"privacy lexicon missing: {_SUFFIX_FILE}") from exc
_SUFFIX = "(?:" + "|".join(re.escape(w) for w in _SUFFIXES) + ")"
ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Z]?\s+(?:[NSEW]\.?\s+|North\s+|South\s+|East\s+|West\s+)?"
    rf"(?:[A-Z][A-Za-z'’.-]*\s+|\d+(?:st|nd|rd|th)\s+){{1,4}}{_SUFFIX}\b\.?"
    r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|#|No\.?)\s*#?\s*[A-Za-z0-9-]+)?"
    r"|\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+\b"
)
AGE = re.compile(
    r"\b(?P<n1>\d{2,3})(?:[\s-]?(?:years?|yrs?)[\s-]old|\s?y/?o)\b"
    r"|(?i:\b(?:aged?|i'?m|i am|he'?s|she'?s|he is|she is|turned|turning)\s+)(?P<n2>\d{2,3})\b"
    r"(?!\s*(?:%|mg|min|minutes|hours|days|weeks|months|lbs?|pounds|kg|degrees|times))"
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# A match ending in " 303" right before ".200.0000" took the next number's area code: cut it there.
_SWALLOWED = re.compile(r"\s+\(?\d{1,4}\)?$")
_CONTINUES = re.compile(r"[.-]?\d")


def _cut(text: str, start: int, end: int) -> int:
    """``end``, or where the match should end if it swallowed the start of the next number."""
    tail = _SWALLOWED.search(text, start, end)
    return tail.start() if tail and _CONTINUES.match(text, end) else end


def _phones(text: str) -> Iterator[Hit]:
    if not _DIGITS7.search(text):
        return
    offset: int | None = 0
    while offset is not None:  # a match cut short restarts the matcher where it was cut
        base, offset = offset, None
        for m in phonenumbers.PhoneNumberMatcher(text[base:], "US", leniency=phonenumbers.Leniency.POSSIBLE):
            start, end = base + m.start, base + m.end
            cut = _cut(text, start, end)
            raw, number = m.raw_string, m.number
            if cut != end:
                offset, raw = cut, text[start:cut]
                try:
                    number = phonenumbers.parse(raw, "US")
                except phonenumbers.NumberParseException:
                    break
            digits = sum(c.isdigit() for c in raw)
            if digits >= 7 and not _YEAR_RANGE.fullmatch(raw) and not (raw.isdigit() and not 10 <= len(raw) <= 15):
                yield start, cut, "PHONE", phonenumbers.is_valid_number(number)
            if offset is not None:
                break
    pos = 0
    while (fm := PHONE_FALLBACK.search(text, pos)) is not None:
        end = _cut(text, fm.start(), fm.end())
        main = re.split(r"\s?(?:x|ext)", text[fm.start():end], maxsplit=1)[0]
        if 9 <= sum(c.isdigit() for c in main) <= 15:
            yield fm.start(), end, "PHONE", False
        pos = end


def _dates(text: str, digits: bool) -> Iterator[Hit]:
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
    if digits and _DATE_NUM_CUE.search(text):
        for m in DATE_NUM.finditer(text):
            yield m.start(), m.end(), "DATE", True


def _ips(text: str) -> Iterator[Hit]:
    for m in IPV4.finditer(text) if _IP_CUE.search(text) else ():
        yield m.start(), m.end(), "IP", True
    if "::" in text or text.count(":") >= 3:
        for m in IPV6.finditer(text):
            try:
                ipaddress.IPv6Address(m.group(0))
            except ValueError:
                continue
            yield m.start(), m.end(), "IP", True


def _ages(text: str, low: str) -> Iterator[Hit]:
    if not any(cue in low for cue in _AGE_CUES):
        return
    for m in AGE.finditer(text):
        group = "n1" if m.group("n1") else "n2"
        if int(m.group(group)) > 89:
            yield m.start(group), m.end(group), "AGE", group == "n1"


_ACCOUNT_CUES = ("account", "acct", "member", "policy", "claim", "patient", "record", "mrn", "chart",
                 "insurance", "subscriber", "license", "passport", "case", "group")
_AGE_CUES = ("year", "yr", "yo", "y/o", "age", "i'm", "i’m", "i am", "he's", "he is", "she's", "she is",
             "turn")
_LONGNUM = re.compile(r"\d{4}")


def _ids(text: str, low: str) -> Iterator[Hit]:
    for m in SSN.finditer(text):
        yield m.start(), m.end(), "ID", True
    if "ssn" in low or "social security" in low:
        for m in SSN_WORD.finditer(text):
            yield m.start(), m.end(), "ID", True
    for m in CARD.finditer(text):
        digits = "".join(c for c in m.group(0) if c.isdigit())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            yield m.start(), m.end(), "ID", True
    account = _LONGNUM.search(text) and any(cue in low for cue in _ACCOUNT_CUES)
    for m in ACCOUNT.finditer(text) if account else ():
        if any(c.isdigit() for c in m.group(1)):
            yield m.start(1), m.end(1), "ID", True


_HAS_DIGIT = re.compile(r"\d")
_URL_CUE = re.compile(r"\.[A-Za-z]{2}|www|http|ftp:")


def pattern_hits(text: str) -> Iterator[Hit]:
    """Yield every structured-identifier hit in ``text`` (overlaps are resolved by the caller).

    Cheap substring tests decide which patterns can match at all, so a plain sentence costs a
    few scans rather than one per pattern.
    """
    low = text.lower()
    rxs: list[tuple[re.Pattern[str], str]] = []
    if "@" in text:
        rxs.append((EMAIL, "EMAIL"))
    if "@" in text or "u/" in text:
        rxs.append((USER, "USER"))
    if _URL_CUE.search(text):
        rxs.append((URL, "URL"))
    digits = _HAS_DIGIT.search(text) is not None
    if digits:
        rxs += [(ADDRESS, "ADDRESS"), (ZIP, "ZIP")]
    for rx, kind in rxs:
        for m in rx.finditer(text):
            if rx is ZIP:
                grp = "z" if m.group("z") else "z2"
                yield m.start(grp), m.end(grp), kind, True
            else:
                yield m.start(), m.end(), kind, True
    if digits:
        yield from _ids(text, low)
        yield from _ips(text)
        yield from _phones(text)
        yield from _ages(text, low)
    yield from _dates(text, digits)
