"""The symptom tagger: codebook patterns and cues -> candidates -> context rules -> the learned model."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick

from ..gated_re import required_literals
from ..roles import other_procedure
from ..screening_policy import Policy, load_policy
from .codebook import Category, Codebook, load_codebook, union
from .context import Doc, Rules, assertion, experiencer, load_rules, negated, normalize, unanchored
from .model import get_model, views
from .. import fastre

EVIDENCE_CHARS = 80
BODY_NEAR_WORDS = 5
WINDOW_CHARS = 80  # patterns run in windows this wide around keyword hits; a match must fit in one
_WORDS = fastre.compile(r"[\w']+")
# Characters that IGNORECASE matches to an ASCII letter although their lower() is not that letter (the
# re docs list these four): on a text holding one, the literal gates below are not trusted.
_FOLD_SPECIAL = fastre.compile("[\u0130\u0131\u017f\u212a]")
Gated = tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...]


def _gated(patterns: tuple[re.Pattern[str], ...]) -> Gated:
    """Each pattern with the ASCII literals one of which every match contains (None: no usable gate)."""
    out = []
    for p in patterns:
        gates = required_literals(p.pattern, p.flags)
        out.append((p, gates if gates and all(g.isascii() for g in gates) else None))
    return tuple(out)


Found = dict[str, list[int]]  # a keyword or gate literal -> where it starts in the lower-cased text


def _windows(hits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keyword occurrences (start, end) merged into text windows WINDOW_CHARS wider on each side."""
    if not hits:
        return []
    hits = sorted((max(0, a - WINDOW_CHARS), b + WINDOW_CHARS) for a, b in hits)
    merged = [hits[0]]
    for a, b in hits[1:]:
        if a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _inside(found: Found, gates: tuple[str, ...], a: int, b: int) -> bool:
    """Whether one of ``gates`` lies wholly in lower[a:b] (``lower.find(g, a, b) != -1`` for one of them)."""
    for g in gates:
        starts = found.get(g)
        if starts:
            i = bisect_left(starts, a)
            if i < len(starts) and starts[i] + len(g) <= b:
                return True
    return False


LOOKAHEAD_CHARS = 40  # how far past b a lookahead may read; bounds the search (else quadratic)


def _within(pattern: re.Pattern[str] | None, text: str, a: int, b: int) -> bool:
    """A match starting in text[a:b] (lookaheads may read past b)."""
    m = pattern.search(text, a, min(len(text), b + LOOKAHEAD_CHARS)) if pattern is not None else None
    return m is not None and m.start() < b


def _word_bound(text: str, a: int, b: int, n: int) -> int:
    """The offset n words before b (n < 0, scanning text[a:b]) or n words after a (n > 0)."""
    words = list(_WORDS.finditer(text, a, b))
    if n < 0:
        return words[n].start() if len(words) >= -n else a
    return words[n - 1].end() if len(words) >= n else b


@dataclass(frozen=True)
class Mention:
    """One candidate symptom mention with its context."""

    category: str
    start: int
    end: int
    text: str  # the matched span
    evidence: str  # a short phrase around it from the same sentence
    assertion: str  # affirmed | negated | hypothetical | before_procedure
    experiencer: str  # self | other


class Tagger:
    """Holds a compiled codebook and context rules; `find` tags one text."""

    def __init__(self, codebook: Codebook, rules: Rules, use_model: bool = True) -> None:
        self.codebook = codebook
        self.rules = rules
        self.use_model = use_model
        self.any_body = union(tuple(c.body_parts for c in codebook.categories if c.body_parts))
        # patterns that carry their own negation ("no relief", "no feeling in"): their words are not triggers
        self.self_negating = tuple(p for c in codebook.categories for p in c.patterns
                                   if _SELF_NEGATING.search(p.pattern))
        # a pattern is run in a window only when one of its required literals is in that window
        self.gated = {c.id: (_gated(c.cues), _gated(c.patterns), _gated(c.exclude_patterns))
                      for c in codebook.categories}
        self.gated_self_negating = _gated(self.self_negating)
        # every keyword and gate literal in one automaton: one pass over a text finds where each occurs
        words = {w for c in codebook.categories for w in (*c.keywords, *c.cue_keywords)}
        words |= {g for table in (*self.gated.values(), (self.gated_self_negating,)) for gated in table
                  for _, gates in gated for g in gates or ()}
        self.automaton = ahocorasick.Automaton()
        for w in words:
            self.automaton.add_word(w, w)
        self.automaton.make_automaton()
        # keyword -> the (category index, cue?) window lists it opens
        self.opens: dict[str, list[tuple[int, bool]]] = {}
        for i, c in enumerate(codebook.categories):
            for cue, keywords in ((False, c.keywords), (True, c.cue_keywords if c.cues else ())):
                for k in dict.fromkeys(keywords):
                    self.opens.setdefault(k, []).append((i, cue))

    def find(self, text: str) -> list[Mention]:
        """Every mention in `text` (all assertions), ordered by position then category.

        A pattern match is a mention; a cue match only when its assertion is affirmed. An affirmed
        candidate of a category the model has a head for is kept only when the model accepts it.
        """
        found = self.candidates(text)
        if not found:
            return []
        doc = found[0][0]
        out: list[Mention] = []
        to_score: list[tuple[Mention, bool]] = []
        model = get_model() if self.use_model else None
        for _, m, from_cue in found:
            if m.assertion == "affirmed" and model is not None and model.has(m.category):
                to_score.append((m, from_cue))
            elif not from_cue:
                out.append(m)
        if to_score and model is not None:
            rows = model.features(doc.text, views(doc, [(m.start, m.end) for m, _ in to_score]))
            ok = model.accepts([m.category for m, _ in to_score], rows, [cue for _, cue in to_score])
            out.extend(m for (m, _), keep in zip(to_score, ok) if keep)
        out.sort(key=lambda m: (m.start, m.category))
        return out

    def candidates(self, text: str) -> list[tuple[Doc, Mention, bool]]:
        """Every candidate (doc, mention, found by a cue only) before the model, in position order."""
        if not text:
            return []
        lower = normalize(text).lower()  # the text the patterns read (Doc.text), lower-cased
        found: Found = {}
        for end, word in self.automaton.iter(lower):  # occurrences come in order of their end
            found.setdefault(word, []).append(end - len(word) + 1)
        for starts in found.values():
            starts.sort()  # (for one word, order of end is order of start)
        near: dict[tuple[int, bool], list[tuple[int, int]]] = {}  # keyword occurrences per window list
        for word, starts in found.items():
            for key in self.opens.get(word, ()):
                near.setdefault(key, []).extend((a, a + len(word)) for a in starts)
        todo = []
        for i, c in enumerate(self.codebook.categories):
            windows = _windows(near.get((i, False), [])) if c.keywords else [(0, len(lower))]
            cue_windows = (_windows(near.get((i, True), [])) if c.cue_keywords else [(0, len(lower))]) \
                if c.cues else []
            if windows or cue_windows:
                todo.append((c, windows, cue_windows))
        if not todo:
            return []
        # the gates read `lower` at the text's offsets: only when lower-casing kept every offset
        gates = found if len(lower) == len(text) and not _FOLD_SPECIAL.search(text) else None
        negating = self.self_negating if gates is None else tuple(
            p for p, need in self.gated_self_negating if need is None or not found.keys().isdisjoint(need))
        doc = Doc(text, self.rules, negating)
        out: list[tuple[Doc, Mention, bool]] = []
        for cat, windows, cue_windows in todo:
            out.extend((doc, m, cue) for m, cue in self._category_mentions(doc, cat, windows, cue_windows, gates))
        out.sort(key=lambda t: (t[1].start, t[1].category))
        return out

    def _category_mentions(self, doc: Doc, cat: Category, windows: list[tuple[int, int]],
                           cue_windows: list[tuple[int, int]],
                           found: Found | None = None) -> list[tuple[Mention, bool]]:
        text = doc.text
        found_by = {}
        gated_cues, gated_patterns, gated_excludes = self.gated[cat.id]
        for cue, patterns, spans in ((True, gated_cues, cue_windows),
                                     (False, gated_patterns, windows)):
            for a, b in spans:
                for p, gates in patterns:
                    if found is not None and gates is not None and not _inside(found, gates, a, b):
                        continue  # no literal it needs lies in the window: it cannot match there
                    for m in p.finditer(text, a, b):
                        if m.end() > m.start():
                            found_by[(m.start(), m.end())] = cue and found_by.get((m.start(), m.end()), True)
        candidates = sorted(found_by, key=lambda se: (se[0], -se[1]))
        pattern_spans = [se for se, cue in found_by.items() if not cue]
        if not candidates:
            return []
        spans: list[tuple[int, int]] = []  # leftmost-longest, non-overlapping
        for start, end in candidates:
            if not spans or start >= spans[-1][1]:
                spans.append((start, end))
        lo, hi = max(0, spans[0][0] - WINDOW_CHARS), spans[-1][1] + WINDOW_CHARS
        excluded = [(m.start(), m.end()) for p, gates in gated_excludes
                    if found is None or gates is None or _inside(found, gates, lo, hi)
                    for m in p.finditer(text, lo, hi)]
        found = []
        for start, end in sorted(spans):
            if doc.in_url(start, end) or any(s < end and start < e for s, e in excluded):
                continue
            if cat.body_parts is not None and not self._body_ok(doc, cat.body_parts, start, end):
                continue
            # a cue-found span is a pattern mention too when a pattern matches inside it
            cue = found_by[(start, end)] and not any(start <= s and e <= end for s, e in pattern_spans)
            found.append((Mention(cat.id, start, end, text[start:end], _evidence(doc, start, end),
                                  assertion(doc, start, end), experiencer(doc, start)), cue))
        return found

    def _body_ok(self, doc: Doc, body: re.Pattern[str], start: int, end: int) -> bool:
        """Body part of this category near the mention: within a few words, else the nearest in the
        clause, else in the sentence, else in the previous sentence."""
        si = doc.sentence_index(start)
        cs, ce = doc.clause(start)
        near_s = _word_bound(doc.text, cs, start, -BODY_NEAR_WORDS)
        near_e = _word_bound(doc.text, end, ce, BODY_NEAR_WORDS)
        if _within(self.any_body, doc.text, near_s, near_e):
            return _within(body, doc.text, near_s, near_e)
        windows = [(cs, ce), doc.sentences[si]]
        if si > 0:
            windows.append(doc.sentences[si - 1])
        for s, e in windows:
            if _within(self.any_body, doc.text, s, e):
                return _within(body, doc.text, s, e)
        return False


_SELF_NEGATING = fastre.compile(r"\\b\(\?:(?:no|didn't|never|can'\?t)\b|\\bnever\\s|\\bno\\s|n't")


def _evidence(doc: Doc, start: int, end: int) -> str:
    """Up to ~80 characters around the mention, cut at word boundaries, inside its sentence."""
    ss, se = doc.sentences[doc.sentence_index(start)]
    room = max(0, EVIDENCE_CHARS - (end - start)) // 2
    a, b = max(ss, start - room), min(se, end + room)
    if a > ss:
        space = doc.text.find(" ", a, start)
        a = space + 1 if space != -1 else a
    if b < se:
        space = doc.text.rfind(" ", end, b)
        b = space if space != -1 else b
    return " ".join(doc.text[a:b].split())


_default: Tagger | None = None


def get_tagger(codebook_path: str | Path | None = None) -> Tagger:
    """The tagger for a codebook (the packaged one by default); built once for the default."""
    global _default
    if codebook_path is not None:
        return Tagger(load_codebook(codebook_path), load_rules())
    if _default is None:
        _default = Tagger(load_codebook(), load_rules())
    return _default


def find_mentions(text: str) -> list[Mention]:
    """Every candidate mention in `text`, with assertion and experiencer."""
    return get_tagger().find(text)


def reported_symptoms(text: str) -> set[str]:
    """Categories the text reports as experienced after the procedure (affirmed, self or other).

    "The procedure" is a spinal RFA/rhizotomy: a text about another one (a cardiac or knee ablation, a
    fusion, a trigeminal rhizotomy, with no spinal RFA named) reports none, whatever its symptoms; so does
    a long text that names no procedure at all (`context.unanchored`).
    """
    found = {m.category for m in find_mentions(text) if m.assertion == "affirmed"}
    if found and (unanchored(text, get_tagger().rules) or about_other_procedure(text)):
        return set()
    return found


@cache
def _screening_policy() -> Policy:
    return load_policy()  # the packaged policy: its off-topic word lists say what "another procedure" is


def about_other_procedure(text: str) -> bool:
    """Whether screening reads the text as about another procedure than a spinal RFA/rhizotomy."""
    policy = _screening_policy()
    return other_procedure(text, policy.lexicon, policy.min_site_mentions) is not None


def is_negated(text: str, start: int, end: int) -> bool:
    """Whether the span text[start:end] is negated in its context (NegEx rules only)."""
    if not 0 <= start < end <= len(text):
        return False
    return negated(Doc(text, load_rules(), get_tagger().self_negating), start, end)
