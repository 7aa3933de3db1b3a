"""ConText/NegEx-style context for symptom mentions: sentences, clauses, assertion and experiencer.

Pure Python and regex driven; every trigger lives in `context_rules.toml`. A mention's assertion is the
first that applies of: negated, hypothetical, before_procedure, affirmed. A comment that says the writer
has not had the procedure yet (and never says it was done) turns its affirmed mentions into
before_procedure.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .codebook import DEFAULT_RULES, compile_list, read_toml, union
from .negation import find_negation
from .. import fastre

# a single line break ends a sentence unless the next line goes on in lower case (hard-wrapped text: "when it
# <newline> made my cheek numb")
_SENTENCE_END = fastre.compile(r"[!?\u2026]+|\.{2,}|\.(?=\s|$|\")|\n\s*\n|\n(?=\s*[-*\u2022\d])|\n(?![ \t]*[a-z])")
_WORD = fastre.compile(r"[\w']+")
PRE_SCOPE_CHARS = 400
GENERIC_MIN_MARKERS = 2  # "people" or "your" once is a turn of phrase; twice, with nobody in the text, a voice
_URL = fastre.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def normalize(text: str) -> str:
    """Straighten quotes (same length, so offsets stay valid)."""
    return (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
            .replace("\u201d", '"').replace("\u00a0", " "))


@dataclass(frozen=True)
class Rules:
    """Compiled context rules."""

    version: str
    window: int
    terminators: re.Pattern[str]
    neg_pre: re.Pattern[str]
    neg_post: re.Pattern[str]
    neg_pseudo: re.Pattern[str] | None
    hyp_pre: re.Pattern[str]
    hyp_post: re.Pattern[str] | None
    hyp_pseudo: re.Pattern[str] | None
    hyp_affirming: re.Pattern[str] | None
    question_starts: re.Pattern[str] | None
    question_reporting: re.Pattern[str] | None
    generic_voice: re.Pattern[str] | None
    procedure_reference: re.Pattern[str] | None
    self_contained_words: int
    individual: re.Pattern[str] | None
    before_both: re.Pattern[str]
    before_pseudo: re.Pattern[str] | None
    not_yet: re.Pattern[str] | None
    had: re.Pattern[str] | None
    other: re.Pattern[str]
    pronouns: re.Pattern[str]
    first_person: re.Pattern[str]


def _required(data: dict[str, Any], section: str, key: str, path: Path) -> re.Pattern[str]:
    table = data.get(section)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: missing table [{section}]")
    compiled = union(compile_list(table.get(key), f"{path}: [{section}] {key}"))
    if compiled is None:
        raise ConfigError(f"{path}: [{section}] {key} must list at least one regex")
    return compiled


def _optional(data: dict[str, Any], section: str, key: str, path: Path) -> re.Pattern[str] | None:
    table = data.get(section) or {}
    return union(compile_list(table.get(key), f"{path}: [{section}] {key}"))


def _positive_int(table: dict[str, Any], key: str, default: int, where: str) -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{where} must be a positive integer")
    return value


def unanchored(text: str, rules: Rules) -> bool:
    """A self-contained text (long enough to stand alone) that names no procedure: it reports nothing
    after one. Shorter texts lean on their thread."""
    return bool(rules.procedure_reference and _words(text) >= rules.self_contained_words
                and not rules.procedure_reference.search(normalize(text)))


@lru_cache(maxsize=4)
def load_rules(path: Path = DEFAULT_RULES) -> Rules:
    """Load and compile the context rules file (cached)."""
    data = read_toml(path)
    window = _positive_int(data, "window", 8, f"{path}: 'window'")
    r, o = (lambda s, k: _required(data, s, k, path)), (lambda s, k: _optional(data, s, k, path))
    return Rules(
        version=str(data.get("version", "")), window=window, terminators=r("scope", "terminators"),
        neg_pre=r("negation", "pre"), neg_post=r("negation", "post"), neg_pseudo=o("negation", "pseudo"),
        hyp_pre=r("hypothetical", "pre"), hyp_post=o("hypothetical", "post"),
        hyp_pseudo=o("hypothetical", "pseudo"), hyp_affirming=o("hypothetical", "affirming_post"),
        question_starts=o("hypothetical", "question_starts"),
        question_reporting=o("hypothetical", "question_reporting"),
        generic_voice=o("hypothetical", "generic_voice"), individual=o("hypothetical", "individual"),
        before_both=r("before_procedure", "both"), before_pseudo=o("before_procedure", "pseudo"),
        not_yet=o("before_procedure", "not_yet"), had=o("before_procedure", "had"),
        procedure_reference=o("before_procedure", "procedure_reference"),
        self_contained_words=_positive_int(data.get("before_procedure", {}), "self_contained_words", 60,
                                           f"{path}: [before_procedure] self_contained_words"),
        other=r("experiencer", "other"), pronouns=r("experiencer", "pronouns"),
        first_person=r("experiencer", "first_person"),
    )


class Doc:
    """A comment split into sentences and clauses, with its comment-level facts."""

    def __init__(self, text: str, rules: Rules, self_negating: tuple[re.Pattern[str], ...] = ()) -> None:
        self.text = normalize(text)
        self.rules = rules
        self.sentences: list[tuple[int, int]] = []
        start = 0
        for m in _SENTENCE_END.finditer(self.text):
            if m.end() > start:
                self.sentences.append((start, m.end()))
            start = m.end()
        if start < len(self.text):
            self.sentences.append((start, len(self.text)))
        self._starts = [s for s, _ in self.sentences]
        self.urls = [(m.start(), m.end()) for m in _URL.finditer(self.text)]
        self._not_yet: bool | None = None
        self._clauses: dict[int, list[tuple[int, int]]] = {}
        self._self_negating = self_negating
        self._mentions: list[tuple[int, int]] | None = None
        self._first_other_end: int | None = None
        self._generic: bool | None = None

    @property
    def first_other_end(self) -> int:
        """End of the first mention of a relative or friend (past the text when there is none)."""
        if self._first_other_end is None:
            m = self.rules.other.search(self.text)
            self._first_other_end = m.end() if m else len(self.text) + 1
        return self._first_other_end

    @property
    def mentions(self) -> list[tuple[int, int]]:
        """Spans of patterns that carry their own negation ("no relief"): their words are not triggers."""
        if self._mentions is None:
            self._mentions = [(m.start(), m.end()) for p in self._self_negating for m in p.finditer(self.text)]
        return self._mentions

    @property
    def not_yet(self) -> bool:
        """The comment says the procedure is still to come and never that it was done."""
        if self._not_yet is None:
            r = self.rules
            self._not_yet = bool(r.not_yet and r.not_yet.search(self.text) and not (r.had and r.had.search(self.text)))
        return self._not_yet

    @property
    def generic(self) -> bool:
        """The text speaks only of people in general ("your nerves grow back", "most people"): nobody in it,
        no "I", no relative, no "he", "she" or "the patient", has anything; its mentions are not reports."""
        if self._generic is None:
            r = self.rules
            # "I" first: most comments have one near the start, and the search stops there
            self._generic = bool(r.generic_voice and r.individual and not r.first_person.search(self.text)
                                 and len(r.generic_voice.findall(self.text)) >= GENERIC_MIN_MARKERS
                                 and not r.other.search(self.text) and not r.individual.search(self.text))
        return self._generic

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence containing character `pos`."""
        return max(0, bisect.bisect_right(self._starts, pos) - 1)

    def clauses(self, si: int) -> list[tuple[int, int]]:
        """Clauses of sentence `si`: split at terminators ("but", "however", ";" ...)."""
        if si not in self._clauses:
            s, e = self.sentences[si]
            spans, start = [], s
            for m in self.rules.terminators.finditer(self.text, s, e):
                spans.append((start, m.start()))
                start = m.end()
            spans.append((start, e))
            self._clauses[si] = spans
        return self._clauses[si]

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause containing character `pos`."""
        for s, e in self.clauses(self.sentence_index(pos)):
            if s <= pos < e:
                return s, e
        return self.sentences[self.sentence_index(pos)]

    def in_url(self, start: int, end: int) -> bool:
        """Whether the span lies inside a URL."""
        return any(s <= start and end <= e for s, e in self.urls)


def _masked(pattern: re.Pattern[str] | None, text: str, s: int, e: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text, s, e)] if pattern else []


def _free(span: tuple[int, int], masks: list[tuple[int, int]]) -> bool:
    return not any(a <= span[0] < b or a < span[1] <= b for a, b in masks)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _pre_hit(doc: Doc, pattern: re.Pattern[str], pseudo: re.Pattern[str] | None,
             cs: int, start: int) -> bool:
    """A trigger between clause start and the mention, at most `window` words before it."""
    masks: list[tuple[int, int]] | None = None
    cs = max(cs, start - PRE_SCOPE_CHARS)  # `window` words never reach further back than this
    for m in pattern.finditer(doc.text, cs, start):
        if m.end() <= start and _words(doc.text[m.end():start]) <= doc.rules.window:
            if masks is None:
                masks = _masked(pseudo, doc.text, cs, start) + doc.mentions
            if _free((m.start(), m.end()), masks):
                return True
    return False


def _post_hit(doc: Doc, pattern: re.Pattern[str] | None, end: int, ce: int) -> bool:
    """A post trigger anchored right after the mention (patterns start with ^), within the clause."""
    return bool(pattern and pattern.search(doc.text[end:ce]))


def negated(doc: Doc, start: int, end: int) -> bool:
    """Negated in its sentence (absent, or resolved: "no longer numb"); see negation.py. Words of mentions
    that carry their own negation ("can't feel my toes") are not triggers."""
    return find_negation(doc.text, start, end, lambda: doc.mentions) is not None


def hypothetical(doc: Doc, start: int, end: int) -> bool:
    """Feared, asked-about or conditional: a trigger in the clause, or a question asking about it."""
    if doc.generic:
        return True
    cs, ce = doc.clause(start)
    r = doc.rules
    ss, se = doc.sentences[doc.sentence_index(start)]
    sentence = doc.text[ss:se]
    if not sentence.rstrip().endswith("?") and _post_hit(doc, r.hyp_affirming, end, ce):
        return False
    if _pre_hit(doc, r.hyp_pre, r.hyp_pseudo, cs, start) or _post_hit(doc, r.hyp_post, end, ce):
        return True
    return bool(sentence.rstrip().endswith("?") and r.question_starts and r.question_starts.search(sentence)
                and not (r.question_reporting and r.question_reporting.search(sentence)))


def before_procedure(doc: Doc, start: int, end: int) -> bool:
    """A before-the-procedure trigger anywhere in the mention's clause, or a not-yet comment."""
    if doc.not_yet:
        return True
    cs, ce = doc.clause(start)
    masks = _masked(doc.rules.before_pseudo, doc.text, cs, ce)
    return any(_free((m.start(), m.end()), masks) for m in doc.rules.before_both.finditer(doc.text, cs, ce))


def assertion(doc: Doc, start: int, end: int) -> str:
    """negated, else hypothetical, else before_procedure, else affirmed (first rule that applies)."""
    if negated(doc, start, end):
        return "negated"
    if hypothetical(doc, start, end):
        return "hypothetical"
    if before_procedure(doc, start, end):
        return "before_procedure"
    return "affirmed"


def experiencer(doc: Doc, start: int) -> str:
    """"other" when the mention is said of a relative or friend the writer describes, else "self"."""
    r, text = doc.rules, doc.text
    si = doc.sentence_index(start)
    ss = doc.sentences[si][0]
    for m in r.other.finditer(text, ss, start):
        if not r.first_person.search(text, m.end(), start):
            return "other"
    if doc.first_other_end <= ss:
        head = text[ss:start]
        pron = r.pronouns.search(head)
        if pron and not r.first_person.search(head, 0, pron.start()) \
                and not r.first_person.search(head, pron.end()):
            return "other"
    return "self"
