"""Street addresses in the shapes the US pattern of ``addresses`` does not read:

- the number after the street, as much of Europe and Latin America writes it: after a street word
  that opens the name (``data/street_prefixes.txt``: "Rua do Arenque 1634", "ul. Cicha 86", also
  French "36 rue de Pologne" with the number first), or one that closes it
  (``data/street_affixes.txt``: "Villacher Strasse 89", "Kiraly u. 15.", and word endings:
  "Hersnapvej 18", "Kiannonkatu 98");
- a building number, a street name of any script and a house number ("10252 Μεγάλη Άμμος 184");
- words and a number after an address cue ("my address is ...", "lives on ...", "send it to ...");
- "the corner of X and Y".
Every hit is then widened over the unit, town, region and postal lines that follow
(``addresses.extend``). Run only on texts with a digit.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .lexicon import lexicons, read
from .. import fastre

Hit = tuple[int, int, str, bool]
_L = r"[^\W\d_]"
_WORD = rf"{_L}+(?:['’-]{_L}+)*\.?"  # a word of any script ("Μεγάλη", "rkp.")
_NUM = r"\d{1,5}[A-Za-z]?(?![\w/%])\.?"  # a house number: "12", "12a", "19."
PARTICLES = frozenset("de do da dos das del della dei delle degli di du des e y i z na nad pod u am an im "
                      "der den van von ten ter le la les l d al el bin sur sous".split())
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
                    "july august september october november december monday tuesday wednesday thursday "
                    "friday saturday sunday".split())
_UNIT_AFTER = fastre.compile(r"\s*(?:%|mg|mcg|ml|years?|yrs?|y/o|weeks?|wks?|days?|months?|times|hours?|hrs?|"
                             r"minutes?|mins?|pills?|tabs?|x\b)", re.I)
_AFFIXES: dict[str, frozenset[str] | tuple[str, ...]] = {}
_CUE_WORDS = ("address", "live", "living", "located", "meet", "drop", "station", "sent", "send", "mail",
              "ship", "deliver", "return", "post")  # the words address cues open with
_LETTER_RUNS = fastre.compile(r"[^\W\d_]+")
_BEFORE_NUMBER = fastre.compile(r"[ \t]+(?=\d)")
_LEADING = r"(?:(?<![\w.,/-])\d{1,6}[A-Za-z]?(?:[ \t]+\d{1,5})?\s+)"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    anycase, capital = [], []
    for entry in read("street_prefixes.txt"):
        (capital if entry.startswith("!") else anycase).append(re.escape(entry.lstrip("!")))
    own, ends = set(), []
    for entry in read("street_affixes.txt"):
        word = entry.lstrip("=").lower()
        own.add(word)
        if not entry.startswith("="):
            ends.append(word)
    _AFFIXES.update(own=frozenset(own), ends=tuple(ends))
    by_len = lambda xs: "|".join(sorted(set(xs), key=len, reverse=True))  # noqa: E731
    prefix = rf"(?<![\w.])(?:(?i:{by_len(anycase)})|(?P<cap>(?i:{by_len(capital)})))(?!\w)"
    # a street word's letters ("ul" of "ul."): a text with none has no prefixed street
    _AFFIXES.update(prefix_letters=frozenset("".join(c for c in e if c.isalpha()).lower() for e in anycase + capital))
    return {
        # "Rua do Arenque 1634", "36 rue de Pologne", "ul. Zakrzowska 92"
        "prefixed": fastre.compile(rf"(?P<lead>{_LEADING})?{prefix}[ \t]*(?P<w>{_WORD}(?:[ \t]+(?!\d){_WORD}){{0,4}})"
                                   rf"(?:[ \t]+(?P<n>{_NUM}))?"),
        # "10252 Μεγάλη Άμμος 184", "86036 Rua do Arenque 1634": a building number, a name, a number
        "numbered": fastre.compile(rf"(?<![\w,./-])\d{{1,6}}\s+(?:(?:ul|u|str|al|os|pl|r)\.?\s+)?"
                                   rf"(?P<w>{_WORD}(?:[ \t]+{_WORD}){{0,3}})[ \t]+(?P<n>{_NUM})"),
        "cue": fastre.compile(
            r"(?i:\baddress(?:es)?\b[^.\n:?]{0,40}?(?:\bis\b|\bare\b|:|\bto\b)|\blives?\s+(?:at|on)\b|\bliving\s+(?:at|on)\b"
            r"|\blocated\s+at\b|\bmeet\s+(?:you|me)\s+at\b|\bdrops?\s+you\s+off\s+at\b|\bstation\s+is\s+on\b"
            r"|\b(?:sent|send|mail|mailed|ship|shipped|deliver|return|post)\s+(?:it\s+|them\s+|this\s+)?to\b)"
            rf"\s*(?:(?i:it\s+is|the\s+corner\s+of)\s+)?(?P<a>(?:{_WORD}[ \t]+){{1,5}}?\d{{1,5}}[A-Za-z]?)(?![\w/%])"),
        "corner": fastre.compile(rf"(?i:(?:\bthe\s+)?\bcorner\s+of)\s+(?P<a>[^,\n]{{2,50}}?)\s+(?:and|&)\s+(?P<b>(?:\d+(?:st|nd|rd|th)\b|{_WORD})(?:[ \t]+{_WORD}){{0,3}})"),
    }


def _plain(word: str, lx: dict[str, frozenset[str]]) -> bool:
    """A word that no street name needs: English (in lower case), a symptom or drug word, a month."""
    low = word.lower().rstrip(".")
    return low in lx["keep"] or low in _MONTHS or (word.islower() and low in lx["common"])


def _named(words: list[str], lx: dict[str, frozenset[str]]) -> bool:
    """Whether ``words`` can be a street's name: no symptom, drug, month or stop word (particles
    aside), no acronym, and not only English words ("3 Weeks 2", "2 Lyrica 75", "2 PM 3")."""
    words = [w for w in words if w.lower().rstrip(".") not in PARTICLES]
    if not words:
        return False
    for w in words:
        low = w.lower().rstrip(".")
        if (low in lx["keep"] or low in _MONTHS or low in lx["stop"] or w in lx["regions"]
                or (w.isupper() and w.isascii() and len(w) <= 3)):
            return False
    return not all(w.lower().rstrip(".") in lx["common"] for w in words)


def _cut(text: str, start: int, words: str, lx: dict[str, frozenset[str]]) -> int:
    """Where a street name that starts at ``start`` ends: before its first lower-case English word."""
    for m in re.finditer(r"\S+", words):
        w = m.group(0)
        if w.lower().rstrip(".,") not in PARTICLES and _plain(w, lx):
            return start + len(words[:m.start()].rstrip())
    return start + len(words)


def street_hits(text: str) -> Iterator[Hit]:
    """Yield ADDRESS hits for the street shapes above (not yet widened over town lines)."""
    lx = lexicons()
    rx = _patterns()
    prefixed = not _AFFIXES["prefix_letters"].isdisjoint(map(str.lower, _LETTER_RUNS.findall(text)))
    for m in rx["prefixed"].finditer(text) if prefixed else ():
        cap = m.group("cap")
        if cap and not cap[0].isupper() and not (m.group("lead") and m.group("w").split()[0].lower() in PARTICLES):
            continue  # "via email", but "33 avenue de Provence"
        end = _cut(text, m.start("w"), m.group("w"), lx)
        if end < m.end("w"):  # "via the portal 2": an English word ends the name
            if not m.group("lead") or end == m.start("w"):
                continue
        elif m.group("n") and not _UNIT_AFTER.match(text, m.end("n")):
            end = m.end("n")
        elif not m.group("lead"):
            continue  # "Via Tasso" needs its number, "36 rue de Pologne" has it first
        yield m.start(), end, "ADDRESS", True
    for m in _BEFORE_NUMBER.finditer(text):  # "... Strasse 89", "... u. 15.", "...vej 18"
        yield from _affixed(text, m.start(), lx)
    for m in rx["numbered"].finditer(text):
        words = m.group("w").split()
        if _named(words, lx) and not _UNIT_AFTER.match(text, m.end("n")) and not any(
                w.islower() and w.lower() in lx["common"] and w not in PARTICLES for w in words):
            yield m.start(), m.end(), "ADDRESS", False
    low = text.lower()
    first = min((i for i in map(low.find, _CUE_WORDS) if i >= 0), default=-1)  # each cue opens with one
    for m in rx["cue"].finditer(text, first) if first >= 0 else ():
        words = m.group("a").split()[:-1]
        if _named(words, lx) and not re.fullmatch(r"(?:19|20)\d\d", m.group("a").split()[-1]) \
                and not _UNIT_AFTER.match(text, m.end("a")):
            yield m.start("a"), m.end("a"), "ADDRESS", False
    for m in rx["corner"].finditer(text) if "corner" in low else ():
        end = _corner_end(m, lx)
        if end:  # "the corner of" too: the words name the place with the streets
            yield m.start(), end, "ADDRESS", True


def _affixed(text: str, end: int, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """A street word before the number at ``end``: a word of its own or the end of one."""
    start = end - 1 if end and text[end - 1] == "." else end
    while start and text[start - 1].isalpha():
        start -= 1
    word = text[start:end].lower()
    if not word[:1].isalpha():
        return
    num = _NUMBER_AFTER.match(text, end)
    if not num or _UNIT_AFTER.match(text, num.end()):
        return
    if word in _AFFIXES["own"] and not (start and (text[start - 1].isalnum() or text[start - 1] in "_.")):
        # a street word of its own: one or two name words before it ("Arpad fejedelem utja 3.")
        taken = 0
        for w in reversed(list(re.finditer(rf"(?:[A-Z]\.[ \t]+)?{_WORD}[ \t]+", text[max(0, start - 60):start]))):
            if w.end() + max(0, start - 60) != start or taken == 2:
                break
            name = w.group(0).split()[-1]
            if name.lower() in lx["stop"] or _plain(name, lx) or name.lower() in lx["common"] and not name[0].isupper():
                break
            start = max(0, start - 60) + w.start()
            taken += 1
        if not taken:
            return
    elif any(word.endswith(e) and len(word) - len(e) >= 3 for e in _AFFIXES["ends"]):
        if len(word) < 5 or word in lx["common"] or word in lx["keep"]:
            return
        initial = re.search(r"(?<!\w)[A-Z]\.[ \t]+$", text[max(0, start - 4):start])
        if initial:  # "C. Beerninckstraat 88"
            start -= len(initial.group(0))
    else:
        return
    lead = re.search(rf"{_LEADING}$", text[max(0, start - 16):start])
    if lead:
        start -= len(lead.group(0))
    yield start, num.end(), "ADDRESS", True


_NUMBER_AFTER = fastre.compile(rf"[ \t]+{_NUM}")


def _corner_end(m: re.Match[str], lx: dict[str, frozenset[str]]) -> int:
    """The end of "the corner of A and B" when it names streets: a street word or a number in A
    or B, or both capitalised names ("Main and Elm")."""
    suffixes = lexicons()["street_suffixes"]
    b_words = list(re.finditer(r"\S+", m.group("b")))
    for i, w in enumerate(b_words):
        if w.group(0).rstrip(".,") in suffixes or re.fullmatch(r"\d+(?:st|nd|rd|th)", w.group(0)):
            return m.start("b") + w.end()
    a = m.group("a")
    first = b_words[0].group(0)
    if (re.search(r"\d", a) or any(w.rstrip(".") in suffixes for w in a.split())) and not _plain(first, lx):
        return m.start("b") + b_words[0].end()
    if all(w[0].isupper() and not _plain(w, lx) and w.lower() not in lx["stop"] for w in a.split() + [first]):
        return m.start("b") + b_words[0].end()
    return 0
