"""Crisis wording (rhizo_voices.crisis through screening): recall first, idioms not held. Own sentences."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from rhizo_voices import screening
from rhizo_voices.crisis import find_crisis
from rhizo_voices.screening import Flag, ScreenInput

# The crisis rules alone: the learned complement (policy [model] crisis) is tested at the end of this file.
POLICY = dataclasses.replace(screening.load_policy(), model_crisis=None)
CRISIS_SET = Path(__file__).resolve().parent / "data" / "screening_crisis.jsonl"


def crisis(body: str) -> str | None:
    """The crisis flag's evidence when one comment screened alone is held for crisis, else None."""
    flags = screening.screen_thread([ScreenInput("1", None, "someone", body)], POLICY)["1"]
    found = [f for f in flags if f.rule == "crisis"]
    if found:
        assert screening.decide(flags, POLICY)[0] == "pending"
    return found[0].evidence if found else None


@pytest.mark.parametrize("body, evidence", [
    # explicit
    ("Six months after the RFA I keep thinking about killing myself.", "thinking about killing"),
    ("I have thoughts of ending my life most nights now.", "thoughts of ending"),
    ("Honestly I want to die, the burning never stops.", "I want to die"),
    # not wanting to be around
    ("I don't want to be around anymore, the rhizotomy made everything worse.", "don't want to be around"),
    ("Sometimes I think I won't be around much longer and I'm fine with that.", "won't be around much longer"),
    # a burden
    ("Since the burn failed I feel like such a burden on my husband.", "feel like such a burden"),
    ("My kids would be better off without me.", "better off without me"),
    # giving things away
    ("I've been giving away my fishing rods, won't be needing them.", "giving away my"),
    # no point going on
    ("Third failed ablation. What's the point of going on like this.", "What's the point of going on"),
    ("I can't do this anymore.", "can't do this anymore"),
    # wishing not to wake up
    ("Every night I hope I don't wake up.", "hope I don't wake up"),
    # goodbyes and planning
    ("Thank you all for the kindness here. Goodbye everyone.", "Goodbye everyone"),
    ("I've written letters to my children and sorted out my paperwork.", "written letters to my children"),
    ("I keep counting the pills in the drawer.", "counting the pills"),
    # typos and no apostrophes
    ("i dont want to live anymore, the rf did nothing", "dont want to live"),
    ("sometimes i think about killin myself tbh", "killin myself"),
    ("im just a burden to evryone now", "im just a burden"),
])
def test_crisis_wording_is_held(body: str, evidence: str) -> None:
    assert crisis(body) == evidence


@pytest.mark.parametrize("body", [
    "This pain is killing me today, the RFA wore off after nine months.",
    "I could kill for a proper night's sleep before the burn on Tuesday.",
    "Two weeks after my rhizotomy I'm dying to get back to golf.",
    "The needle part nearly killed me but the relief has been worth it.",
    "I'd rather die than do that diagnostic block again without sedation.",
    "Shoot me now, they want another MRI before booking the repeat.",
    "I thought I was going to die on that table, but I'm walking better now.",
    "I can't go on long walks yet, my legs still feel weak.",
    "Goodbye sciatica! Eight months pain free after the facet RFA.",
    "I'm so done with waiting rooms, four months for an RFA appointment.",
    "I don't want to live on painkillers forever, so I'm trying the burn.",
    "Bored to death on bed rest, but my back feels great.",
])
def test_idioms_and_everyday_frustration_are_not_held(body: str) -> None:
    assert crisis(body) is None


def test_crisis_holds_whatever_else_fired() -> None:
    flags = screening.screen_thread([ScreenInput("1", None, "Spine Clinic Team", "I can't do this anymore.")],
                                    POLICY)["1"]
    assert sorted(f.rule for f in flags) == ["crisis", "provider"]
    assert screening.decide(flags, POLICY)[0] == "pending"
    assert screening.decide([Flag("crisis", "r", "e"), Flag("duplicate", "r", "e")], POLICY)[0] == "pending"


def test_crisis_evidence_comes_from_the_original_text_after_idioms_are_masked() -> None:
    text = "The burn is killing me and honestly I want to disappear."
    assert find_crisis(text, POLICY.lexicon) == "I want to disappear"


def test_crisis_phrasing_set_in_sample() -> None:
    """tests/data/screening_crisis.jsonl (written for the patterns, so in-sample): every crisis held."""
    rows = [json.loads(line) for line in CRISIS_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    missed = [r["text"] for r in rows if r["crisis"] and not find_crisis(r["text"], POLICY.lexicon)]
    extra = [r["text"] for r in rows if not r["crisis"] and find_crisis(r["text"], POLICY.lexicon)]
    assert (len(rows), sum(r["crisis"] for r in rows)) == (221, 85)
    assert missed == []
    # held although not crisis: recall comes first, a moderator reads these in a minute
    assert extra == [
        "I gave away my old back brace, I don't need it since the ablation.",
        "I'm losing hope that the NHS will ever call me back.",
        "I felt depressed before the procedure, now I'm much brighter.",
        "I feel like a burden when my wife has to help me put my socks on, but it's temporary.",
        "I hit rock bottom two years ago and the RFA was the start of my recovery.",
        "I was in a dark place before I found this forum.",
    ]


def test_the_crisis_model_holds_quiet_wording_the_rules_miss_and_only_adds_holds() -> None:
    quiet = ("honestly the rfa was my last hope and now i just want to go to sleep and not deal with any of it "
             "again")
    assert crisis(quiet) is None  # the rules alone let it through
    flags = screening.screen_thread([ScreenInput("1", None, "someone", quiet)], screening.load_policy())["1"]
    assert [f.rule for f in flags] == ["crisis"] and flags[0].evidence.startswith("crisis model p ")
    assert screening.decide(flags, screening.load_policy())[0] == "pending"
    plain = "Two weeks after the RFA my lower back is better and I walked the dog twice today."
    assert screening.screen_thread([ScreenInput("1", None, "someone", plain)], screening.load_policy())["1"] == []
