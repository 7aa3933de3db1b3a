"""Property-based tests (hypothesis) on the thread text parser and the redactor.

Example counts are modest so the file runs in well under a minute; failures shrink to small cases.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rhizo_voices.errors import InputError
from rhizo_voices.ingest.thread_text import parse_thread_text
from rhizo_voices.privacy import redact

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------------------------
# Thread parser: random nested threads rendered in the seed's text shape round-trip.

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789,.!?'’“”():;-éü", min_size=1,
               max_size=10)
PARAGRAPH = st.one_of(
    st.lists(WORD, min_size=1, max_size=12).map(" ".join),
    # a numbered list item inside a body: not a reply, since no deeper-indented body follows it
    st.tuples(st.integers(1, 30), st.lists(WORD, min_size=1, max_size=6).map(" ".join))
      .map(lambda t: f"{t[0]}. {t[1]}"),
)
AUTHOR = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL.,'-0123456789", min_size=1,
                          max_size=8), min_size=1, max_size=3).map(" ".join).filter(
    lambda a: not re.search(r"post author\s*$", a, re.IGNORECASE))


@dataclass
class Node:
    author: str
    paragraphs: list[str]
    post_author: bool = False
    replies: list["Node"] = field(default_factory=list)


NODE = st.deferred(lambda: st.builds(
    Node, AUTHOR, st.lists(PARAGRAPH, min_size=1, max_size=3), st.booleans(),
    st.lists(NODE, max_size=2)))
THREAD = st.lists(NODE, min_size=1, max_size=4)


def render(nodes: list[Node], indent: int = 2) -> list[str]:
    """The seed's layout: header at ``indent``, body two deeper, replies at the body's indent."""
    lines: list[str] = []
    for i, node in enumerate(nodes, 1):
        suffix = " Post author" if node.post_author else ""
        lines += [f"{' ' * indent}{i}. {node.author}{suffix}", ""]
        for para in node.paragraphs:
            lines += [f"{' ' * (indent + 2)}{para}", ""]
        lines += render(node.replies, indent + 2)
    return lines


def expected(nodes: list[Node], parent: str | None = None) -> list[tuple]:
    out = []
    for i, node in enumerate(nodes, 1):
        nid = f"{parent}.{i}" if parent else str(i)
        out.append((nid, parent, node.author, "\n\n".join(node.paragraphs), node.post_author))
        out += expected(node.replies, nid)
    return out


def count(nodes: list[Node]) -> int:
    return sum(1 + count(n.replies) for n in nodes)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(THREAD)
def test_rendered_threads_round_trip(nodes):
    text = "\n".join(["Some Title", "", "An article line.", "",
                      f"{count(nodes)} thoughts on “Some Title”", "", *render(nodes),
                      "Leave a Reply", "Footer text of the page."])
    thread = parse_thread_text(text, "t.txt")
    assert thread.key == "blog:some-title"
    got = [(c.native_id, c.parent_id, c.author, c.body, c.post_author) for c in thread.comments]
    assert got == expected(nodes)


THREADISH = st.lists(st.one_of(
    st.sampled_from(["", "3 thoughts on “X”", "One thought on X", "Leave a reply", "{", "["]),
    st.builds(lambda n, i, a: f"{' ' * i}{n}. {a}", st.integers(0, 12), st.integers(0, 8), AUTHOR),
    st.builds(lambda i, w: f"{' ' * i}{w}", st.integers(0, 10), st.lists(WORD, max_size=5).map(" ".join)),
    st.text(max_size=30),
), max_size=30).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=400), THREADISH))
def test_arbitrary_text_raises_nothing_but_input_error(text):
    try:
        thread = parse_thread_text(text, "any.txt")
    except InputError as exc:
        assert str(exc).startswith("any.txt")
        assert "\n" not in str(exc)
        return
    ids = [c.native_id for c in thread.comments]
    assert len(ids) == len(set(ids))
    assert all(c.parent_id is None or c.parent_id in ids[:i] for i, c in enumerate(thread.comments))


# ---------------------------------------------------------------------------------------------
# Redactor

FILLER = st.lists(st.sampled_from(
    "after my rfa the pain came back and I was tired , . ! ? ( ) - : ; with it on at for "
    "so much better worse week month doctor nurse clinic back hip knee it was ok".split()),
    max_size=12).map(" ".join)
EMAIL = st.builds(lambda u, d, t: f"{u}@{d}.{t}", st.from_regex(r"[a-z][a-z0-9._]{1,10}[a-z0-9]", fullmatch=True),
                  st.from_regex(r"[a-z]{3,10}", fullmatch=True), st.sampled_from(["com", "org", "net", "co.uk"]))
PHONE = st.builds(lambda a, b, c, fmt: fmt.format(a, b, c), st.sampled_from(["303", "720", "212", "415", "617"]),
                  st.integers(200, 999), st.integers(0, 9999),
                  st.sampled_from(["{}-{}-{:04d}", "({}) {}-{:04d}", "{}.{}.{:04d}", "+1 {} {} {:04d}"]))
URL = st.builds(lambda s, h, p: f"{s}{h}.com{p}", st.sampled_from(["https://", "http://", "https://www.", "www."]),
                st.from_regex(r"[a-z]{3,12}", fullmatch=True),
                st.sampled_from(["", "/", "/rfa-story", "/a/b?x=1&y=2", "/p#c12"]))
USER = st.builds(lambda p, n: f"{p}{n}", st.sampled_from(["u/", "/u/", "@"]),
                 st.from_regex(r"[a-z][a-z0-9_]{3,14}", fullmatch=True))
KINDS = {"EMAIL": EMAIL, "PHONE": PHONE, "URL": URL, "USER": USER}
IDENTIFIER = st.sampled_from(sorted(KINDS)).flatmap(lambda k: st.tuples(st.just(k), KINDS[k]))
PLACEHOLDER = re.compile(r"\[(?:NAME|USER|EMAIL|PHONE|URL|ADDRESS|ZIP|PLACE|DATE|AGE|ID|IP)\]")


@FAST
@given(FILLER, IDENTIFIER, FILLER)
def test_structured_identifiers_are_always_removed(before, ident, after):
    kind, value = ident
    out = redact(f"{before} {value} {after}")
    assert value not in out
    assert f"[{kind}]" in out
    digits = re.sub(r"\D", "", value)
    if kind == "PHONE":
        assert digits[-7:] not in re.sub(r"\D", "", out)


def _idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once
    # Every bracketed token in the output is a whole, known placeholder.
    assert all(PLACEHOLDER.fullmatch(tok) for tok in re.findall(r"\[[^\]\[]*\]", once))


@FAST
@given(st.lists(st.one_of(FILLER, IDENTIFIER.map(lambda t: t[1])), min_size=1, max_size=6).map(" and ".join))
def test_redacting_twice_changes_nothing(text):
    """Identifiers apart from each other (joined by a word): a second pass finds nothing more."""
    _idempotent(text)


@FAST
@example("303-200-0000 303.200.0000")
@given(st.lists(st.one_of(FILLER, IDENTIFIER.map(lambda t: t[1])), min_size=1, max_size=6).map(" ".join))
def test_redacting_twice_changes_nothing_even_for_adjacent_identifiers(text):
    _idempotent(text)


def test_two_phones_separated_by_a_space_are_both_removed():
    assert redact("home 303-200-0000 303.200.0000 cell") == "home [PHONE] [PHONE] cell"


SYMPTOM_WORDS = ("numbness", "Numbness", "burning", "Burning", "tingling", "Tingling", "weakness",
                 "Weakness", "numb", "burned", "fell", "falls", "leg", "legs", "foot", "feet", "pain",
                 "Pain", "back", "hip", "buttock", "thigh", "RFA", "rhizotomy", "Rhizotomy", "ablation",
                 "recurrence", "worse", "sciatica", "spasms")


@FAST
@given(FILLER, st.lists(st.sampled_from(SYMPTOM_WORDS), min_size=1, max_size=6), FILLER,
       st.one_of(st.none(), IDENTIFIER))
def test_symptom_words_survive_redaction(before, words, after, ident):
    extra = f" email me {ident[1]} ." if ident else ""
    text = f"{before} {' '.join(words)} {after}{extra}"
    out = redact(text)
    for word in words:
        assert re.search(rf"(?<![\w\[]){re.escape(word)}(?![\w\]])", out), (word, out)
