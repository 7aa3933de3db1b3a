"""Anchoring's shortcut: a text with no duration unit after a space skips the timing patterns, and
gives the same Anchor as the full search would."""
from __future__ import annotations

import pytest

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
