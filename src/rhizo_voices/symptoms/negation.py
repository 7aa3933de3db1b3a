"""Negation of a span in its sentence, NegEx/ConText style; every trigger lives in context_rules.toml [negation].

`find_negation(text, start, end)` returns a `Negation` (kind and cue) or None; `is_negated` is its boolean.
Kinds: "absent" ("no numbness", "numbness: none") and "resolved": there before, not now ("no longer numb",
"the numbness went away", "don't have it anymore"). `is_negated` is true for both; a caller counting what a
writer went through can read the kind and keep resolved mentions as reports.

A span is judged inside its sentence:
1. Before it, events are read left to right: a pre-trigger ("no", "haven't", "free of") opens a scope, a
   terminator ("but", "however", a new clause) or a pseudo-trigger ("no doubt", "didn't stop", "can't say I
   haven't") closes it. The span is negated when a scope is still open at its start and opened at most
   `window` words before it (`near_window` for "stopped", "got rid of"). A question that asks ("Didn't you
   get numbness?") does not negate with its opening negator.
2. Else a post-trigger: right after the span ("numbness: none", "pain-free", "Weakness? nope") or within
   `post_window` words with no verb, modal or new clause between ("the numbness in my shin is gone"),
   unless the clause is conditional ("once the numbness wears off").
3. Either is cancelled when the span is then said to persist ("never went away", "hasn't improved"), and a
   pre-trigger's absence when it ends with "until" ("never had numbness until the second burn").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Union

from ..errors import ConfigError
from .codebook import DEFAULT_RULES, FLAGS, compile_list, read_toml
from .. import fastre

BACK_CHARS = 160  # how far before the span its sentence is looked for (`window` words never reach further)
AHEAD_CHARS = 160  # how far after the span its sentence is read
POST_CHARS = 120  # the post side reads at most this far (post_window words fit well inside)
CONDITIONAL_WORDS = 6  # "once", "if" ... this many words before the span make what follows conditional
LOOKBACK_EXTRA_WORDS = 6  # read this many words before the farthest pre-trigger that could reach the span
PSEUDO_LEAD_WORDS = 3  # a pseudo-trigger starts at most this many words before its negation word ("it's not the")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_GUARD = r"(?:(?<![\w'])|(?=[^\w\s]))"  # every trigger starts a word or is punctuation: fail fast inside words
_WORD = fastre.compile(r"[\w']+")
_QUESTION_MARK = fastre.compile(r"\s*\?")
_RESOLVED_WORD = fastre.compile(r"gone|free", FLAGS)
_OWN_VALUE = fastre.compile(r"\s*[:=]")  # "Pain: 3/10, numbness: none": a labelled span has its own value


# spans whose words are not triggers, or a function returning them (called only when a trigger is near)
Masks = Union[Iterable[tuple[int, int]], Callable[[], Iterable[tuple[int, int]]]]


@dataclass(frozen=True)
class Negation:
    """Why a span is negated: `kind` absent|resolved, and the cue's text and offsets in the text."""

    kind: str
    cue: str
    start: int
    end: int


@dataclass(frozen=True)
class NegationRules:
    """The compiled [negation] section."""

    window: int
    cues: frozenset[str]  # every pre-trigger contains one of these words (or a word ending in n't / nt)
    post_cues: frozenset[str]  # every post-trigger likewise
    near_window: int
    post_window: int
    scan: re.Pattern[str]  # named groups, first wins: pseudo, near, resolved, pre, term
    post_adjacent: re.Pattern[str]
    post: re.Pattern[str]  # anchored after the span: groups gap, resolved, absent
    affirming: re.Pattern[str]  # anchored after the span: group gap
    negator: re.Pattern[str]
    resolution: re.Pattern[str]  # anchored after the span: group gap
    answer: re.Pattern[str]
    blockers: re.Pattern[str]
    terminators: re.Pattern[str]  # end a scope on either side
    fresh_before: re.Pattern[str]
    fresh_after: re.Pattern[str]
    sentence_end: re.Pattern[str]
    until: re.Pattern[str]
    resolved_markers: re.Pattern[str]
    conditional: re.Pattern[str]
    question_exempt: re.Pattern[str]


def _alt(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _strings(table: dict[str, Any], key: str, path: Path) -> list[str]:
    items = table.get(key)
    compile_list(items, f"{path}: [negation] {key}")  # validates: a list of regex strings, each compiles
    if not items:
        raise ConfigError(f"{path}: [negation] {key} must list at least one regex")
    return list(items)


def _int(table: dict[str, Any], key: str, path: Path) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{path}: [negation] '{key}' must be a non-negative integer")
    return value


def _cues(table: dict[str, Any], key: str, path: Path) -> frozenset[str]:
    words = table.get(key)
    if not isinstance(words, list) or not words or not all(isinstance(x, str) and x for x in words):
        raise ConfigError(f"{path}: [negation] {key} must list words")
    return frozenset(x.lower() for x in words)


def _first_cue(words: list[re.Match[str]], cues: frozenset[str]) -> int:
    """Index of the first word that may belong to a pre-trigger, -1 when there is none."""
    for i, m in enumerate(words):
        t = m.group(0).lower()
        if t in cues or t.endswith(("n't", "nt")):
            return i
    return -1


@lru_cache(maxsize=4)
def load_negation_rules(path: Path = DEFAULT_RULES) -> NegationRules:
    """Load and compile the [negation] section of a context rules file (cached)."""
    table = read_toml(path).get("negation")
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: missing table [negation]")
    s = lambda key: _strings(table, key, path)  # noqa: E731
    post_window = _int(table, "post_window", path)
    neg = _alt(s("negators"))
    built_pseudo = rf"(?:{neg})\s+(?:(?:been\s+)?able\s+to\s+)?(?:[\w']+\s+)?(?:{_alt(s('affirming_verbs'))})\b"
    persisting = rf"(?:{neg})\s+(?:[\w']+\s+){{0,2}}?(?:{_alt(s('resolution_verbs'))})"
    gap = rf"\W*(?P<gap>(?:[\w']+\W+){{0,{post_window}}}?)"
    scan = (f"{_GUARD}(?:(?P<pseudo>{_alt(s('pseudo'))}|{built_pseudo})|(?P<near>{_alt(s('pre_resolved_near'))})"
            f"|(?P<resolved>{_alt(s('pre_resolved'))})|(?P<pre>{_alt(s('pre'))}|{neg})"
            f"|(?P<term>{_alt(s('terminators') + s('clause_starts'))}))")
    c = lambda pattern: fastre.compile(pattern, FLAGS)  # noqa: E731
    return NegationRules(
        window=_int(table, "window", path), near_window=_int(table, "near_window", path), post_window=post_window,
        cues=_cues(table, "cue_words", path), post_cues=_cues(table, "post_cue_words", path),
        scan=c(scan), post_adjacent=c(_alt(s("post_adjacent"))),
        post=c(f"{gap}(?:(?P<resolved>{_alt(s('post_resolved'))})|(?P<absent>{_alt(s('post'))}))"),
        affirming=c(f"{gap}(?:{_alt(s('post_affirming'))}|{persisting})"),
        negator=c(neg), resolution=c(f"{gap}(?:{_alt(s('resolution_verbs'))})"), answer=c(_alt(s("answer"))),
        blockers=c(_alt(s("post_blockers"))), terminators=c(f"{_GUARD}(?:{_alt(s('terminators'))})"),
        fresh_before=c(_alt(s("fresh_subject_before"))), fresh_after=c(_alt(s("fresh_subject_after"))),
        sentence_end=c(_alt(s("sentence_end"))), until=c(_alt(s("until"))),
        resolved_markers=c(_alt(s("resolved_markers"))), conditional=c(_alt(s("conditional"))),
        question_exempt=c(_alt(s("question_exempt"))),
    )


def _overlaps(a: int, b: int, masks: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in masks)


_WRAP = fastre.compile(r"\n(?=[ \t]*[a-z])")  # the same length: offsets hold

class _Window:
    """The text around one span, quotes straightened, with the span's sentence and clause bounds."""

    def __init__(self, text: str, start: int, end: int, rules: NegationRules) -> None:
        self.lo = max(0, start - BACK_CHARS)
        # a wrapped line ("no\nnumbness") reads as one line: triggers are written with spaces
        self.text = _WRAP.sub(" ", text[self.lo:min(len(text), end + AHEAD_CHARS)].translate(_QUOTES))
        self.s, self.e = start - self.lo, end - self.lo
        self.ss = self.cs = self.near = 0
        for m in rules.sentence_end.finditer(self.text, 0, self.s):
            self.ss = m.end()
        after = self.e
        if q := _QUESTION_MARK.match(self.text, after):  # "Numbness? none." reads on past the "?"
            after = q.end()
        m = rules.sentence_end.search(self.text, after)
        self.se = m.end() if m else len(self.text)
        self.question = self.text[self.ss:self.se].rstrip().endswith("?")
        t = rules.terminators.search(self.text, self.e, min(self.se, self.e + POST_CHARS))
        self.ce = t.start() if t else self.se  # the post side ends at the first terminator


def _pre(w: _Window, rules: NegationRules, masks: Masks) -> tuple[re.Match[str], str, int] | None:
    """The pre-trigger whose scope is open at the span (match, kind, window), else None; sets w.cs."""
    begin = w.ss
    if w.question and (q := rules.question_exempt.match(w.text, w.ss, w.se)):
        begin = q.end()
    words = list(_WORD.finditer(w.text, begin, w.s))
    reach = rules.window + LOOKBACK_EXTRA_WORDS
    if len(words) > reach:  # start reading a little before the farthest trigger that could reach the span
        begin = words[-reach].start()
    w.cs = begin
    w.near = words[-CONDITIONAL_WORDS].start() if len(words) >= CONDITIONAL_WORDS else begin
    first = _first_cue(words, rules.cues)
    if first < 0:
        return None  # the fast path: no negation word before the span
    if first > PSEUDO_LEAD_WORDS:  # nothing before the first cue matters but a pseudo-trigger's first words
        begin = max(begin, words[first - PSEUDO_LEAD_WORDS].start())
    spans = masks() if callable(masks) else masks
    local = [(a - w.lo, b - w.lo) for a, b in spans if b > w.lo + begin and a < w.lo + w.s]
    open_: tuple[re.Match[str], str, int] | None = None
    for m in rules.scan.finditer(w.text, begin, w.s):
        if local and _overlaps(m.start(), m.end(), local):
            continue
        if m.group("pseudo") is not None:
            open_, w.cs = None, m.end()
        elif m.group("term") is not None:
            if open_ and m.group(0).startswith(":") and m.start() - open_[0].end() <= 1:
                continue  # "Denies: fever" - the colon belongs to the trigger
            open_, w.cs = None, m.end()
        elif m.group("near") is not None:
            open_ = (m, "resolved", rules.near_window)
        elif m.group("resolved") is not None:
            open_ = (m, "resolved", rules.window)
        else:
            open_ = (m, "absent", rules.window)
    if not open_ or len(_WORD.findall(w.text, open_[0].end(), w.s)) > open_[2]:
        return None
    fresh = rules.fresh_before.search(w.text, open_[0].end(), w.s)
    if fresh and rules.fresh_after.match(w.text, w.e, w.se):
        w.cs = fresh.start()
        return None  # "no falls, the leg numbness is the only thing left"
    return open_


def _post(w: _Window, rules: NegationRules) -> tuple[int, int, str] | None:
    """A post-trigger after the span (start, end, kind) in window offsets, else None."""
    if m := rules.post_adjacent.match(w.text, w.e, w.se):
        kind = "resolved" if _RESOLVED_WORD.search(m.group(0)) else "absent"
        return m.start(), m.end(), kind
    if w.question and len(_WORD.findall(w.text, w.ss, w.se)) <= 8 and not rules.negator.search(w.text, w.ss, w.se) \
            and (m := rules.answer.match(w.text, w.se)):
        return m.start(), m.end(), "resolved" if "gone" in m.group(0).lower() else "absent"  # "Weakness? Not at all."
    if _OWN_VALUE.match(w.text, w.e) or rules.conditional.search(w.text, max(w.cs, w.near), w.s):
        return None
    after = [x for _, x in zip(range(rules.post_window + 4), _WORD.finditer(w.text, w.e, w.ce))]
    if _first_cue(after, rules.post_cues) < 0:
        return None  # the fast path: no word of a post-trigger after the span
    m = rules.post.match(w.text, w.e, w.ce)
    if not m or rules.blockers.search(m.group("gap")):
        return None
    a = rules.affirming.match(w.text, w.e, w.ce)
    if a and a.start("gap") + len(a.group("gap")) <= m.start("gap") + len(m.group("gap")):
        return None  # "the numbness never went away" - the persisting phrase comes first
    kind = "resolved" if m.group("resolved") is not None else "absent"
    start = m.end("gap")
    return start, m.end(), kind


def _until(w: _Window, rules: NegationRules) -> bool:
    """"until" after the span, before the next trigger ("no tingling until day 4", not "no X, no Y until")."""
    nxt = next((m for m in rules.scan.finditer(w.text, w.e, w.ce) if m.group("term") is None), None)
    return bool(rules.until.search(w.text, w.e, nxt.start() if nxt else w.ce))


def find_negation(text: str, start: int, end: int, masks: Masks = (),
                  rules: NegationRules | None = None) -> Negation | None:
    """Why text[start:end] is negated in its sentence, or None when it is not.

    `masks`: spans (offsets in `text`) whose words are not triggers, such as a mention that carries its
    own negation ("can't feel my toes"); or a function returning them, called only when a trigger is near.
    """
    if not 0 <= start < end <= len(text):
        return None
    rules = rules or load_negation_rules()
    w = _Window(text, start, end, rules)
    own = _first_cue(list(_WORD.finditer(w.text, w.s, w.e)), rules.cues) >= 0 and \
        any(m.group("term") is None for m in rules.scan.finditer(w.text, w.s, w.e))
    found = None if own else _pre(w, rules, masks)  # a span with its own negator ("can't stand") is its own scope
    if found:
        m, kind, _ = found
        if rules.affirming.match(w.text, w.e, w.ce):
            return None
        if rules.negator.fullmatch(m.group(0)) and (r := rules.resolution.match(w.text, w.e, w.ce)) \
                and not rules.blockers.search(r.group("gap")):
            return None  # "why hasn't the numbness gone away"
        if kind == "absent" and _until(w, rules):
            return None
        if kind == "absent" and rules.resolved_markers.search(w.text, w.e, w.ce):
            kind = "resolved"
        return Negation(kind, m.group(0), m.start() + w.lo, m.end() + w.lo)
    post = _post(w, rules)
    if post is None:
        return None
    a, b, kind = post
    if kind == "absent" and _until(w, rules):
        return None
    cue = w.text[a:b]
    a += len(cue) - len(cue.lstrip())  # "numbness: none" -> the cue starts at ":"
    return Negation(kind, cue.strip(), a + w.lo, b + w.lo)


def is_negated(text: str, start: int, end: int, masks: Masks = ()) -> bool:
    """Whether text[start:end] is negated in its sentence (absent, or resolved: no longer there)."""
    return find_negation(text, start, end, masks) is not None
