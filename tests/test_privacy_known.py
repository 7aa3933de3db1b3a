"""Known author names: the Aho-Corasick path finds exactly what the definition's regex finds."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from rhizo_voices.privacy.known import known_matcher

NAMES = ["Lee", "lee", "Mary Ann", "Ann Lee", "Will", "JT", "O'Neil", "Jo-Anne", "Smith", "smith.j", "Al",
         "Rose Burns", "Okafor", "Siobhan Kelly"]
PIECES = NAMES + ["mary", "ANN", "will", "jt", "LEE", "okafor", "burns", "the", "rfa"]
EDGES = ["", " ", ".", "@", "/", "-", "_", "x", "1", ".com", ". ", "'s", ",", "\n"]


def _regex(names: frozenset[str], text: str) -> list[tuple[int, int]]:
    m = known_matcher(names)
    return [(x.start(), x.end()) for x in m.pattern.finditer(text)] if m.loose or m.exact else []


@settings(max_examples=400, deadline=None)
@given(st.frozensets(st.sampled_from(NAMES), min_size=1, max_size=5),
       st.lists(st.tuples(st.sampled_from(EDGES), st.sampled_from(PIECES), st.sampled_from(EDGES)), max_size=8),
       st.sampled_from(["", " "]))
def test_automata_agree_with_the_regex(names: frozenset[str], pieces: list[tuple[str, str, str]], sep: str) -> None:
    text = sep.join(a + b + c for a, b, c in pieces)
    assert known_matcher(names).spans(text) == _regex(names, text)


def test_choice_rules() -> None:
    m = known_matcher(frozenset({"Mary Ann", "Ann Lee", "JT Okafor"}))
    # leftmost, then the longest: "Mary Ann" wins, so "Ann Lee" starting inside it is not a match
    assert m.spans("Mary Ann Lee said so") == [(0, 8), (9, 12)]
    # short capitals ("JT") match as written; "okafor" in any case; never inside an email or a path
    assert (m.loose, m.exact) == (["JT Okafor", "Mary Ann", "Ann Lee", "Okafor", "Mary", "Ann", "Lee"], ["JT"])
    assert m.spans("ask jt or JT? okafor said. okafor@x.org /okafor Okafor.") == [(10, 12), (14, 20), (48, 54)]
    # a non-ASCII text goes through the regex and gives the same
    assert m.spans("Ann Lee \u00e9crit") == [(0, 7)]
    assert known_matcher(frozenset()).spans("anything") == []
