"""Contact detectors: emails (also written "mike at yahoo dot com", "sue [at] fastmail [dot] fm"),
URLs, usernames, phone numbers (also spelled in words) and IP addresses.

Each detector yields ``(start, end, kind, confident)`` on the detection view's text. Phones use
Google's ``phonenumbers`` (the library Presidio's PhoneRecognizer wraps), run only on texts with at
least seven digits.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers

from .lexicon import read
from .. import fastre

Hit = tuple[int, int, str, bool]

_TLDS = ("com|org|net|edu|gov|mil|info|biz|io|co|us|uk|ca|au|de|fr|nl|ie|nz|in|me|tv|ly|health|"
         "care|clinic|md|app|site|online|blog|xyz|ai|fm|ru|pl|es|it|br|mx|jp|ch|se|dk|za|ng|be|gl|to|cc|"
         "ws|link|page|social|life|news|forum|community|club|network|help|nhs|example|test")
EMAIL = fastre.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}\b")
_AT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+|\s*@\s*)"
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\.)"
_PART = r"[A-Za-z0-9_+-]+"
# "mike at yahoo dot com", "gracie dot lamb at outlook dot com", "bobbyjoe(at)hotmail(dot)com"
EMAIL_OBFUSCATED = fastre.compile(rf"(?i)(?<![\w.@]){_PART}(?:{_DOT}{_PART})*{_AT}{_PART}(?:{_DOT}{_PART})*?"
                                  rf"{_DOT}(?:{_TLDS})\b")
_OBF_CUE = fastre.compile(r"(?i)\bdot\b|[\[({<]\s*at\s*[\])}>]")
URL = fastre.compile(
    r"\b(?:https?://|ftp://|www\.)[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]"
    # a listed top-level domain, or any one when a path follows ("clinic.example.org.xx/pain/referral")
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:[a-z]{{2,24}}/[\w-][^\s<>\"')\]]*[^\s<>\"')\].,;:!?]"
    rf"|(?:{_TLDS})\b(?:/[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])?)",
    re.IGNORECASE,
)
USER = fastre.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}\b"
                      r"|(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
IPV4 = fastre.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d]|\.\d)")
IPV6 = fastre.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_YEAR_RANGE = fastre.compile(r"\d{4}-\d{4}")
_YEARS = fastre.compile(r"(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?")
_IP_CUE = fastre.compile(r"\d\.\d{1,3}\.\d")
_DIGITS6 = fastre.compile(r"\d(?:\D{0,3}\d){5}")
# Digit groups shaped like a phone number that phonenumbers (US default region) does not parse,
# e.g. UK local "(0161) 4960066"; 9 to 15 digits, reported as not confident.
PHONE_FALLBACK = fastre.compile(r"(?<![\w/.-])(?:\+\d{1,3}[\s.-]?)?\(?\d{2,5}\)?(?:[\s.-]?\d{2,4}){2,3}"
                                r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w/-])")
# A number after a phone cue, in any grouping ("call me on 9472 7916", "Mobile: 03.93.92.16.85")
PHONE_CUED = fastre.compile(
    r"(?i:\b(?:call(?:\s+me)?(?:\s+(?:on|at))?|phone|tel|telephone|mobile|mob|cell|fax|desk|office|"
    r"answering\s+at|ring(?:\s+me)?(?:\s+on)?|text(?:\s+me)?(?:\s+(?:on|at))?|whatsapp|"
    r"number(?:\s+is)?|reach\s+me\s+(?:on|at))\s*[:#]?\s*)"
    r"(?P<p>\+?\(?\d[\d \t().-]{4,22}\d)")
PHONE_DOTTED = fastre.compile(r"(?<![\w.])\d{2}(?:\.\d{2}){4}(?![\w.])|(?<![\w-])\(\d{2,4}\)\s?\d{3}-\d{3,4}(?![\w])")
_SWALLOWED = fastre.compile(r"\s+\(?\d{1,4}\)?$")
_CONTINUES = fastre.compile(r"[.-]?\d")
_MONEY = fastre.compile(r"[$£€]\s?$")


@lru_cache(maxsize=1)
def _number_words() -> tuple[dict[str, str], re.Pattern[str]]:
    table = dict(ln.split() for ln in read("number_words.txt"))
    word = "|".join(sorted(table, key=len, reverse=True))
    tok = rf"(?:{word}|\d{{1,4}})"
    # at least seven digits in a row of digit words and digit groups, commas, dots, dashes between
    rx = fastre.compile(rf"(?i)(?<![\w-])(?:{tok})(?:[\s,.\-]{{1,3}}(?:{tok})){{4,14}}(?![\w-])")
    return table, rx


def _spelled_phones(text: str, low: str) -> Iterator[Hit]:
    table, rx = _number_words()
    if sum(low.count(w) for w in ("one", "two", "three", "four", "five", "six", "seven", "eight",
                                  "nine", "zero", " oh ")) < 3:
        return
    for m in rx.finditer(text):
        toks = re.findall(r"[A-Za-z]+|\d+", m.group(0))
        words = sum(t.lower() in table for t in toks if t.isalpha())
        digits = sum(len(t) if t.isdigit() else 1 for t in toks)
        if words >= 3 and 7 <= digits <= 15 and all(t.isdigit() or t.lower() in table for t in toks):
            yield m.start(), m.end(), "PHONE", True


def _cut(text: str, start: int, end: int) -> int:
    """``end``, or where the match should end if it swallowed the start of the next number."""
    tail = _SWALLOWED.search(text, start, end)
    return tail.start() if tail and _CONTINUES.match(text, end) else end


def _phones(text: str) -> Iterator[Hit]:
    if not _DIGITS6.search(text):
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
            if (digits >= 7 and not _YEAR_RANGE.fullmatch(raw) and not _MONEY.search(text, 0, start)
                    and not (raw.isdigit() and not 10 <= len(raw) <= 15)):
                yield start, cut, "PHONE", phonenumbers.is_valid_number(number)
            if offset is not None:
                break
    for m in PHONE_CUED.finditer(text):
        if 6 <= sum(c.isdigit() for c in m.group("p")) <= 15 and not _YEARS.fullmatch(m.group("p").strip()):
            yield m.start("p"), m.end("p"), "PHONE", False
    for m in PHONE_DOTTED.finditer(text):
        yield m.start(), m.end(), "PHONE", False
    pos = 0
    while (fm := PHONE_FALLBACK.search(text, pos)) is not None:
        end = _cut(text, fm.start(), fm.end())
        main = re.split(r"\s?(?:x|ext)", text[fm.start():end], maxsplit=1)[0]
        if 9 <= sum(c.isdigit() for c in main) <= 15 and not _MONEY.search(text, 0, fm.start()):
            yield fm.start(), end, "PHONE", False
        pos = end


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


_URL_CUE = fastre.compile(r"\.[A-Za-z]{2}|www|http|ftp:")


def contact_hits(text: str, low: str, digits: bool) -> Iterator[Hit]:
    """Yield every contact hit in ``text`` (``low`` its lower case; ``digits`` whether it has any)."""
    if "@" in text:
        for m in EMAIL.finditer(text):
            yield m.start(), m.end(), "EMAIL", True
    if "@" in text or "u/" in text:
        for m in USER.finditer(text):
            yield m.start(), m.end(), "USER", True
    if _OBF_CUE.search(text):
        for m in EMAIL_OBFUSCATED.finditer(text):
            if _OBF_CUE.search(m.group(0)) or "@" in m.group(0):
                yield m.start(), m.end(), "EMAIL", True
    if _URL_CUE.search(text):
        for m in URL.finditer(text):
            yield m.start(), m.end(), "URL", True
    if digits:
        yield from _ips(text)
        yield from _phones(text)
    yield from _spelled_phones(text, low)
