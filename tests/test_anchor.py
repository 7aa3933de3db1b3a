"""Anchoring's shortcut: a text with no duration unit after a space skips the timing patterns, and
gives the same Anchor as the full search would."""
from __future__ import annotations

import importlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rhizo_voices.symptoms import Anchor, anchor
from rhizo_voices.symptoms.anchor import _HAD_AGO, _ONSET, _RELIEF, _SINCE, _UNIT_AT


@pytest.mark.parametrize("text, expected", [
    # no unit: count, region and side still read
    ("Third RFA on my left side, lumbar again, no idea if it will hold", Anchor(procedures=3, region="lumbar",
                                                                                side="left")),
    ("had it done ages ago, the relief was lovely while it lasted", Anchor()),
    ("2days after the burn it started", Anchor()),  # no space before the unit: no duration either way
    # units after any white space, in any case
    ("burning began 5\tWEEKS after the rfa", Anchor(onset_days=35.0)),
    ("My neck RFA was 3 Months ago and the\u00a0relief lasted only 2 wks",
     Anchor(since_days=91.2, relief_days=14.0, region="cervical")),
    ("had my 2nd rhizotomy done 10 days ago", Anchor(onset_days=10.0, since_days=10.0, procedures=2)),
])
def test_anchor(text: str, expected: Anchor) -> None:
    assert anchor(text) == expected


@pytest.mark.parametrize("text", ["it's been a month", "a few yrs post", "one day later", "two weeks out",
                                  "6 mos ago", "relief for a whole year", "rfa 2 years ago"])
def test_every_timing_match_holds_a_unit_after_a_space(text: str) -> None:
    patterns = [*_ONSET, *_SINCE, *_RELIEF, _HAD_AGO]
    assert any(p.search(text) for p in patterns)
    assert _UNIT_AT.search(text)
    for p in patterns:
        m = p.search(text)
        if m:
            assert _UNIT_AT.search(m.group(0)), (p.pattern, m.group(0))


# --- the word gates give what the plain searches give ------------------------------------------------
A = importlib.import_module("rhizo_voices.symptoms.anchor")  # the module (the package exports a function so named)
TOKENS = ("had", "it", "done", "two", "2", "1.5", "a couple of", "a few", "several", "days", "Weeks", "wks", "MONTHS",
          "mo", "yrs", "year", "ago", "AGO", "after", "later", "post", "since", "out", "going on", "been", "it's",
          "started", "Began", "kicked in", "relief", "pain free", "worked", "better", "for", "of", "lasted", "only",
          "wore", "off", "within", "rfa", "RFAs", "rhizotomy", "ablations", "procedures", "burns", "rounds", "times",
          "second", "3rd", "round", "#", "no.", "number", "both", "sides", "bilateral", "left", "Right", "side",
          "leg", "on my", "SI joint", "sacral", "lumbar", "lower back", "L4-L5", "neck", "C5", "thoracic",
          "mid-back", "T12", "upper back", "the", "and", "(", ")", ",", ".", "\n")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30), st.sampled_from([" ", "  ", "\t"]))
def test_gated_searches_equal_plain_searches(words: list[str], sep: str) -> None:
    text = sep.join(words)
    held = A._held(text.lower())
    assert A._count(text, held) == A._count(text, None)
    assert A._region(text, held) == A._region(text, None)
    assert A._side(text, held) == A._side(text, None)
    for patterns in (A._ONSET, A._SINCE, A._RELIEF, [A._HAD_AGO]):
        assert A._first(patterns, text, held) == A._first(patterns, text, None)
        if not A._UNIT_AT.search(text):
            assert A._first(patterns, text, None) is None


@pytest.mark.parametrize("text", [
    "RFA no. 2 was easier", "rhizotomy No 3", "procedure number four", "rfa #5", "both rfas helped",
    "my L5 only", "C7 and T7", "t11 pain", "S1 joint", "sacrum", "lower spine", "middle back", "on the left",
    "left-sided", "right hip", "both sides", "each side", "burning began about 3 weeks after", "it came on 2 days later",
    "going on 3 months", "4 months ago", "it's been 2 yrs", "the rhizo 4 months ago", "2 weeks post", "6 months out from",
    "10 days out", "pain free for 8 months", "5 months of real relief", "lasted for 2 wks", "wore off within 3 weeks",
    "had the burn done 9 days ago", "3 more procedures", "several burns", "ninth time", "2nd rhizotomy"])
def test_each_gate_lets_its_matches_through(text: str) -> None:
    held = A._held(text.lower())
    got = (A._count(text, held), A._region(text, held), A._side(text, held),
           *(A._first(p, text, held) for p in (A._ONSET, A._SINCE, A._RELIEF, [A._HAD_AGO])))
    plain = (A._count(text, None), A._region(text, None), A._side(text, None),
             *(A._first(p, text, None) for p in (A._ONSET, A._SINCE, A._RELIEF, [A._HAD_AGO])))
    assert got == plain
    assert any(x is not None for x in plain)
