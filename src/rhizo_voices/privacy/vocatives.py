"""Names addressed to someone: a reply that opens with a name ("Doug, yes!!", "oh gus that sucks",
"Lupe call the office"), a first name at a sentence start before a comma and a clause ("Mitch, they
are ..."), and a first name that is also a month after a greeting ("Hi June,")."""
from __future__ import annotations

from collections.abc import Iterator

from .lexicon import NAME_WORD as _WORD
from .lexicon import bare as _bare
from .lexicon import blocked as _blocked
from .. import fastre

Hit = tuple[int, int, str, bool]



# "Mitch, they are going to ...", "Bill, you should ...": a first name addressed at a sentence start
VOCATIVE = fastre.compile(rf"(?:^|(?<=[.!?\n\"“:]))\s*(?P<n>{_WORD}),\s+(?i:you|they|we|i|it|he|she|are|do|did|can|"
                          rf"could|please|thanks|thank|how|what|don't|that's|this|yes|no|glad|sorry|so|i'm|have|"
                          rf"has|is|was|my|your|just|if|when|where|why|honestly|same)\b")


# a reply that opens by addressing someone: "Doug, yes!!", "Priya the burning sounds like mine", "oh gus"
OPENING = fastre.compile(rf"\A\s*(?:(?P<oh>(?i:oh|hey|hi|aw+|ugh|@))\s*)?(?P<n>{_WORD}|(?<=[a-z] )[a-z]+)"
                         rf"(?P<after>\s*,|\s+(?P<next>[a-z]+))")
# verbs a reply may open with after the name: "Lupe call the office", "Dee ask about the pad"
_IMPERATIVES = frozenset("call ask check try get go see tell read look keep take push talk message text email ring "
                         "don't dont please stop".split())
# "Hi June,", "Thanks April!": a first name that is a month, after a greeting and before a comma or "!"
GREET_MONTH = fastre.compile(r"(?i:\b(?:hi|hello|hey|dear|thanks|thank you|morning|congrats)),?[ \t]+"
                             r"(?P<n>April|May|June|August)(?=[ \t]*[,!])")


def opening_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """The word that opens a reply, followed by a comma or a lower-case word, when it is a listed first name
    or (capitalised) no English, medical or safe word at all: "Doug, yes!!", "Priya the burning ..."."""
    m = OPENING.match(text)
    if not m:
        return
    word = _bare(m.group("n"))
    low = word.lower()
    if word.islower():  # "oh gus that sucks": after "oh", "hey", a listed first name that is no word
        if low in lx["first_lower"] and low not in lx["common"] and not _blocked(word, lx):
            yield m.start("n"), m.end("n"), "NAME", False
        return
    addressed = word[0].isupper() and low in lx["first_lower"] and (  # "Grace, I had", "Lupe call Dr ..."
        "," in m.group("after") or m.group("next") in _IMPERATIVES and low not in lx["stop"])
    if len(word) < 3 or not word.isalpha() or word.isupper() or _blocked(word, lx) or low in lx["titles"] \
            or low in lx["kin"] or low in lx["words"] and not addressed:
        return  # "Will you ...", "Mark my words", "Numbness was ...", "Mom is ...": words
    if word[0].isupper() or low in lx["first_lower"]:
        yield m.start("n"), m.start("n") + len(word), "NAME", low in lx["first_lower"]


def vocative_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """A listed first name opening a sentence and followed by a comma and a clause."""
    yield from opening_hits(text, lx)
    months = "April" in text or "May" in text or "June" in text or "August" in text
    for m in GREET_MONTH.finditer(text) if months else ():
        yield m.start("n"), m.end("n"), "NAME", False
    if "," not in text:
        return
    for m in VOCATIVE.finditer(text):
        word = m.group("n")
        unknown = len(word) > 2 and word.isalpha() and not word.isupper() and word.lower() not in lx["words"]
        if (word in lx["names"] or word.lower() in lx["name_words"] or unknown) and not _blocked(word, lx) \
                and word.lower() not in lx["titles"]:
            yield m.start("n"), m.end("n"), "NAME", word.lower() not in lx["common"]
