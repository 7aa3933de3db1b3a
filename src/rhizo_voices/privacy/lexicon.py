"""Word lists of ``data/`` (one entry a line, ``#`` comments), loaded once and folded as the detection
view folds text, and the regex alternations built from them.

Every cue list a detector matches on lives in a data file here, so a reviewer reads the lists, not the
regexes: kinship and role words, titles, greetings, facility words, employers, number words, ID cues,
safe words (symptoms, body parts, drugs, procedures), names and places.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError

DATA = Path(__file__).with_name("data")


# A capitalised word as names are written ("Ann", "McKay", "O'Neil", "Smith-Jones"), for the name detectors.
NAME_WORD = r"[A-Z][a-z]*(?:[A-Z][a-z]+)?(?:[-'’][A-Z]?[a-z]+)*"
# Month and day names, lower case: a capitalised one is a date word, not a name or a place.
MONTHS_AND_DAYS = frozenset("january february march april may june july august september october november "
                            "december monday tuesday wednesday thursday friday saturday sunday".split())


def bare(tok: str) -> str:
    """The token without a possessive 's."""
    return tok[:-2] if tok.endswith(("'s", "’s")) else tok


def blocked(tok: str, lx: dict[str, frozenset[str]]) -> bool:
    """A word no name detector takes: a safe word, a stop word, a month or day, a region."""
    low = tok.lower()
    return low in lx["keep"] or low in lx["stop"] or low in MONTHS_AND_DAYS or tok in lx["regions"]

def read(name: str) -> list[str]:
    """The entries of ``data/<name>`` in file order (comments and blank lines skipped)."""
    path = DATA / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"privacy lexicon missing: {path}") from exc
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _folded(name: str, lower: bool = False) -> frozenset[str]:
    from .normalise import fold

    words = (fold(w) for w in read(name))
    return frozenset(w.lower() for w in words) if lower else frozenset(words)


def alternation(name: str) -> str:
    """``a|b|c`` of a list's entries, longest first, regex-escaped (spaces match any whitespace)."""
    words = sorted(set(read(name)), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@lru_cache(maxsize=1)
def confusables() -> dict[str, str]:
    """Look-alike letter -> Latin letter."""
    return dict(tuple(ln.split()) for ln in read("confusables.txt"))


@lru_cache(maxsize=1)
def lexicons() -> dict[str, frozenset[str]]:
    """Load (once) every word list detectors look words up in."""
    from .normalise import fold

    nicks = read("nicknames.txt")
    first = _folded("first_names.txt") | frozenset(fold(n.lstrip("~")) for n in nicks)
    last = _folded("last_names.txt")
    places = _folded("places.txt")
    keep = (_folded("keep_words.txt", lower=True) | _folded("medical_words.txt", lower=True)
            | _folded("safe_words.txt", lower=True))
    names_lower = frozenset(n.lower() for n in first | last)
    name_words = _folded("name_words.txt", lower=True) | frozenset(n[1:].lower() for n in nicks if n.startswith("~"))
    words = _folded("common_words.txt", lower=True)
    return {
        "names": first | last,
        "first": first,
        "first_lower": frozenset(n.lower() for n in first),
        "names_lower": names_lower,
        "name_words": name_words,
        "keep": keep,
        # English words, less the names the word list picked up ("james", "walters") unless they are
        # also ordinary words ("rose", "will"): what may stand after a name cue without being a name
        "common": words - (names_lower - name_words),
        "words": words,
        "stop": _folded("stop_words.txt", lower=True),
        "places": places,
        "places_lower": frozenset(p.lower() for p in places),
        "place_words": _folded("place_words.txt"),
        "regions": _folded("regions.txt"),
        "facilities": _folded("facilities.txt"),
        "employers": _folded("employers.txt"),
        "kin": _folded("kin_words.txt", lower=True),
        "titles": _folded("titles.txt", lower=True),
        "street_suffixes": _folded("street_suffixes.txt"),
    }
