"""Negation and its scope (symptoms/negation.py): one test per construction, on sentences written for them."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rhizo_voices.errors import ConfigError
from rhizo_voices.symptoms import find_mentions, is_negated
from rhizo_voices.symptoms.codebook import DEFAULT_RULES, read_toml
from rhizo_voices.symptoms.negation import Negation, find_negation, load_negation_rules

FORUM = Path(__file__).resolve().parent / "data" / "negation_forum.jsonl"


def span(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    starts = [m.start() for m in re.finditer(re.escape(word), text)]
    return starts[nth], starts[nth] + len(word)


def neg(text: str, word: str, nth: int = 0) -> bool:
    """Whether the nth occurrence of `word` is negated, through the public is_negated."""
    return is_negated(text, *span(text, word, nth))


def kind(text: str, word: str, nth: int = 0) -> str | None:
    found = find_negation(text, *span(text, word, nth))
    return found.kind if found else None


# --- scope across conjunctions and lists ---------------------------------------------------------------
def test_list_then_but() -> None:
    text = "no falls, no weakness, but tingling in my toes every night"
    assert [neg(text, w) for w in ("falls", "weakness", "tingling")] == [True, True, False]


@pytest.mark.parametrize("text", [
    "I don't get numbness however the burning in my calf is constant",
    "didnt have numbness though the burning was brutal for a week",
    "No numbness, although my burning started on day three",
    "never any numbness, just burning",
    "No numbness, only burning at night",
    "no numbness but I do have burning",
])
def test_scope_ends_at_a_conjunction(text: str) -> None:
    assert neg(text, "numbness") is True
    assert neg(text, "burning") is False


def test_a_list_without_repeated_triggers_is_all_negated() -> None:
    text = "I haven't had any numbness, tingling, weakness or falls since the ablation"
    assert [neg(text, w) for w in ("numbness", "tingling", "weakness", "falls")] == [True] * 4


def test_a_new_clause_after_a_comma_ends_the_scope() -> None:
    assert neg("no numbness, my legs burn all day though", "burn") is False
    assert neg("No falls so far, the leg weakness is what bugs me", "weakness") is False
    assert neg("no numbness and the burning is worse at night", "burning") is False
    assert neg("not numb, just sore from the needles", "sore") is False


def test_scope_is_a_window_of_words() -> None:
    assert neg("I did not expect after eight long weeks of waiting to still have this burning", "burning") is False
    assert neg("never had a single moment of numbness in my left foot", "numbness") is True


# --- questions -----------------------------------------------------------------------------------------
def test_questions_ask_rather_than_deny() -> None:
    assert neg("Did you get any numbness after yours?", "numbness") is False
    assert neg("Didn't you say you had numbness after the first one?", "numbness") is False
    assert neg("Doesn't burning usually mean the nerve is healing?", "burning") is False
    assert neg("Has anyone else not had numbness at all?", "numbness") is False
    # a question that states an absence still negates it
    assert neg("Why don't I have any numbness like everyone says?", "numbness") is True
    assert neg("Is it bad that I have no tingling at all?", "tingling") is True


def test_a_short_negative_answer_after_a_question() -> None:
    assert neg("Numbness? Nope.", "Numbness") is True
    assert neg("Any weakness in the legs? Not really, just tired.", "weakness") is True
    assert neg("Any weakness in the legs? Some, mostly on stairs.", "weakness") is False
    assert neg("Leg cramps? Not since the second burn.", "Leg cramps") is True


# --- the words people use --------------------------------------------------------------------------------
@pytest.mark.parametrize("text,word", [
    ("I've never fallen, not once, since the procedure", "fallen"),
    ("never got the tingling my neighbour had", "tingling"),
    ("Nothing like the burning I read about on here", "burning"),
    ("havent had any numbness whatsoever", "numbness"),
    ("I haven't had any falls this year", "falls"),
    ("finally free of the leg weakness after PT", "weakness"),
    ("She's been free from falls since the spring", "falls"),
    ("Without any numbness I was back at work Monday", "numbness"),
    ("zero tingling so far", "tingling"),
    ("She denies numbness in both feet", "numbness"),
    ("The scan was negative for any nerve damage", "nerve damage"),
    ("none of the weakness the leaflet mentioned", "weakness"),
    ("neither numbness nor tingling", "tingling"),
])
def test_negation_words(text: str, word: str) -> None:
    assert neg(text, word) is True


@pytest.mark.parametrize("text,word", [
    ("i dont have numbness anywhere", "numbness"),
    ("didnt fall once all winter", "fall"),
    ("havent noticed any tingling yet", "tingling"),
    ("cant say my legs feel weak", "weak"),
    ("I cant feel any numbness at all", "numbness"),
    ("he doesnt get burning in his legs", "burning"),
    ("wasnt numb after the second round", "numb"),
    ("I don\u2019t have tingling (curly apostrophe)", "tingling"),
    ("isnt any weakness that I can tell", "weakness"),
])
def test_contractions_with_and_without_apostrophes(text: str, word: str) -> None:
    assert neg(text, word) is True


# --- resolved: negated now, but it was there ---------------------------------------------------------------
@pytest.mark.parametrize("text,word", [
    ("My foot is no longer numb", "numb"),
    ("no more falls since June", "falls"),
    ("The numbness is gone now", "numbness"),
    ("the tingling went away after a month", "tingling"),
    ("her weakness has resolved completely", "weakness"),
    ("I don't have the burning anymore", "burning"),
    ("He stopped falling after the second one", "falling"),
    ("burning? gone.", "burning"),
    ("I'm pain free for the first time in years", "pain"),
])
def test_resolved_is_negated_with_its_kind(text: str, word: str) -> None:
    assert neg(text, word) is True
    assert kind(text, word) == "resolved"


def test_absent_kind_and_cue() -> None:
    text = "Honestly, no numbness at all."
    found = find_negation(text, *span(text, "numbness"))
    assert found == Negation("absent", "no", 10, 12)
    assert find_negation("Numbness: none", 0, 8) == Negation("absent", ": none", 8, 14)
    assert find_negation("the numbness is long gone", 4, 12) == Negation("resolved", "is long gone", 13, 25)


@pytest.mark.parametrize("text,word", [
    ("The numbness never went away", "numbness"),
    ("the tingling hasnt gone away at all", "tingling"),
    ("Why hasn't the numbness gone away yet?", "numbness"),
    ("My weakness isn't improving", "weakness"),
    ("the burning is not completely gone", "burning"),
    ("The numbness should be gone in a few weeks", "numbness"),
    ("once the numbness wears off you feel better", "numbness"),
    ("if the weakness goes away I'll be thrilled", "weakness"),
    ("I never had numbness until the second burn", "numbness"),
    ("no tingling at all until week three", "tingling"),
    ("im not falling as much as before", "falling"),
])
def test_persisting_or_not_yet_resolved_is_not_negated(text: str, word: str) -> None:
    assert neg(text, word) is False


# --- pseudo-negations ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,word", [
    ("No doubt the burning comes from the procedure", "burning"),
    ("Not only numbness but also a weird buzzing", "numbness"),
    ("Not only numbness but also a weird buzzing", "buzzing"),
    ("There's been no change in the numbness since week two", "numbness"),
    ("no improvement in the tingling at all", "tingling"),
    ("nothing but burning for a month", "burning"),
    ("I can't tell you how much the tingling bothers me", "tingling"),
    ("The RFA didnt stop the burning", "burning"),
    ("nothing helps the numbness", "numbness"),
    ("Nobody warned me about the weakness", "weakness"),
    ("I had no idea the burning would last", "burning"),
    ("I can't stand the tingling", "tingling"),
    ("dont get me wrong the numbness is annoying", "numbness"),
    ("It's not the numbness that bothers me", "numbness"),
    ("not a day goes by without numbness", "numbness"),
    ("I can't walk to the car without falling", "falling"),
    ("Oh no, the tingling is back", "tingling"),
    ("No, the weakness lasted about a week", "weakness"),
    ("I haven't been able to shake the numbness", "numbness"),
    ("I can't imagine going through the weakness again", "weakness"),
    ("no burning at all, maybe a bit of soreness", "soreness"),
])
def test_pseudo_negation_is_not_negation(text: str, word: str) -> None:
    assert neg(text, word) is False


@pytest.mark.parametrize("text", [
    "I can't say I haven't had numbness",
    "I'm not saying there's no numbness",
    "It's not that I don't have numbness",
    "i wouldnt say i have no numbness",
    "not gonna pretend the numbness wasnt scary",
])
def test_double_negation_affirms(text: str) -> None:
    assert neg(text, "numbness") is False


# --- post-negation ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,word,negated", [
    ("Numbness: none. Tingling: some.", "Numbness", True),
    ("Numbness: none. Tingling: some.", "Tingling", False),
    ("Numbness, tingling, weakness: none of the above", "tingling", True),
    ("Pain 3/10, numbness: none", "Pain", False),
    ("Weakness was never an issue for me", "Weakness", True),
    ("Falls? none", "Falls", True),
    ("Numbness still there, weakness gone", "Numbness", False),
    ("Numbness still there, weakness gone", "weakness", True),
    ("The numbness in my shin is annoying and the tingling went away", "numbness", False),
    ("The numbness in my shin is annoying and the tingling went away", "tingling", True),
])
def test_post_negation(text: str, word: str, negated: bool) -> None:
    assert neg(text, word) is negated


# --- spans, masks and the tagger --------------------------------------------------------------------------
def test_a_span_with_its_own_negator_is_not_negated_by_an_earlier_one() -> None:
    text = "can't sit long, can't feel my toes"
    assert neg(text, "can't feel my toes") is False


def test_masked_words_are_not_triggers() -> None:
    text = "no feeling in my foot and tingling up the shin"
    s, e = span(text, "tingling")
    assert find_negation(text, s, e) is not None
    assert find_negation(text, s, e, masks=[(0, 20)]) is None


def test_bad_spans_are_not_negated() -> None:
    assert is_negated("no numbness", 5, 2) is False
    assert is_negated("no numbness", 3, 99) is False
    assert find_negation("", 0, 0) is None


def test_the_tagger_reads_negation_through_context() -> None:
    found = {(m.category, m.assertion) for m in find_mentions("No falls, no weakness, but tingling in both feet.")}
    assert found == {("falls", "negated"), ("weakness", "negated"), ("tingling", "affirmed")}


def test_clinical_style_sentences() -> None:
    assert neg("The patient denied any headache, neck pain, weakness or numbness.", "numbness") is True
    assert neg("Chest x-ray was negative for infiltrate or effusion.", "effusion") is True
    assert neg("Her nausea and vomiting resolved.", "nausea") is True
    assert neg("The fecal occult blood was negative.", "fecal occult blood") is True
    assert neg("He was admitted to rule out infection.", "infection") is False


# --- data --------------------------------------------------------------------------------------------------
def test_forum_set_f1() -> None:
    rows = [json.loads(line) for line in FORUM.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 150
    tp = fp = fn = 0
    for r in rows:
        assert r["text"][r["span"][0]:r["span"][1]] == r["target"]
        pred = is_negated(r["text"], *r["span"])
        tp += r["negated"] and pred
        fp += pred and not r["negated"]
        fn += r["negated"] and not pred
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, (f1, tp, fp, fn)


def _rules_file(tmp_path: Path, edit) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(edit(DEFAULT_RULES.read_text(encoding="utf-8")), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit,message", [
    (lambda t: t.replace("[negation]", "[negation_old]"), "missing table [negation]"),
    (lambda t: t.replace("post_window = 6", "post_window = -1"), "'post_window' must be a non-negative integer"),
    (lambda t: t.replace("until = ['''\\b(?:until|till|til|untill)\\b''']", "until = ['''(''']"), "bad regex"),
    (lambda t: t.replace("until = ['''\\b(?:until|till|til|untill)\\b''']", "until = []"), "until must list"),
])
def test_malformed_negation_rules_raise_config_error(tmp_path: Path, edit, message: str) -> None:
    path = _rules_file(tmp_path, edit)
    with pytest.raises(ConfigError) as err:
        load_negation_rules(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_rules_are_compiled_once() -> None:
    assert load_negation_rules() is load_negation_rules()


def test_cue_words_cover_every_trigger() -> None:
    """The cue-word prefilters are a speed device only: every trigger match in labelled text contains a cue."""
    table = read_toml(DEFAULT_RULES)["negation"]
    rules = load_negation_rules()
    texts = [json.loads(line)["text"] for line in FORUM.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["The patient denied any headache and was negative for DVT; lack of reflexes, free of pain, -ve for TB",
              "w/o numbness, rather than tingling, fails to reveal a bleed, unremarkable for masses, got rid of it",
              "her nausea resolved and the rash cleared up; numbness is history, falls never happened",
              "pain not present"]
    missed = []
    for keys, cues in ((("negators", "pre", "pre_resolved", "pre_resolved_near"), rules.cues),
                       (("post", "post_resolved"), rules.post_cues)):
        for key in keys:
            for pattern in table[key]:
                for text in texts:
                    for m in re.finditer(pattern, text.replace("\u2019", "'"), re.IGNORECASE):
                        words = [x.lower() for x in re.findall(r"[\w']+", m.group(0))]
                        if words and not any(x in cues or x.endswith(("n't", "nt")) for x in words):
                            missed.append((key, m.group(0)))
    assert missed == []
