"""What `reported_symptoms` counts as "after the procedure": a spinal RFA or rhizotomy, said or leaned on.

Three readings of the whole text, each with its counter-example (the same symptoms, the procedure named):
another procedure, people in general, and a long story that never names a procedure.
"""
from __future__ import annotations

import pytest

from rhizo_voices.symptoms import find_mentions, reported_symptoms
from rhizo_voices.symptoms.context import unanchored
from rhizo_voices.symptoms.tagger import about_other_procedure, get_tagger

DESIGN_IDS = {"leg_burning", "numbness", "falls", "recurrence", "tingling", "weakness", "increased_pain"}
WINTER = ("Honestly the worst thing about this winter has been my back. {had}I slipped on the ice outside the shop "
          "in January and went down hard, and ever since then the pain shoots down my left leg and my foot goes "
          "numb if I sit too long. The physio thinks it is a disc. My husband has been brilliant, doing all the "
          "lifting and the school runs while I lie on the floor with a heat pad.")


@pytest.mark.parametrize("text", [
    "Had my cardiac ablation for afib back in the spring. Since then my right leg goes numb down to the knee "
    "and the groin site still burns when I walk the dog.",
    "Knee genicular RFA three weeks ago. The skin on my shin is numb and I fell on the stairs when the knee "
    "gave way.",
    "The fusion was L4-S1 in May. Now my left foot is numb and the outside of my calf tingles all day.",
])
def test_another_procedure_reports_nothing(text: str) -> None:
    assert about_other_procedure(text)
    assert reported_symptoms(text) == set()
    # the mentions are still found, with their assertions: screening reads the comment as `other`
    assert "numbness" in {m.category for m in find_mentions(text) if m.assertion == "affirmed"}


def test_the_same_symptoms_after_a_spinal_rfa_are_reported() -> None:
    text = ("Had my lumbar RFA back in the spring. Since then my right leg goes numb down to the knee and the "
            "outside of my thigh burns when I walk the dog.")
    assert not about_other_procedure(text)
    assert reported_symptoms(text) == {"leg_burning", "numbness"}


def test_people_in_general_report_nothing() -> None:
    text = ("Your nerves regenerate, they always do. Most people who let a clinic cook them end up back on the "
            "table every year, since once the fibres regrow the ache returns too. Ask them how many repeat "
            "customers they have.")
    assert reported_symptoms(text) == set()
    assert {m.assertion for m in find_mentions(text)} <= {"hypothetical", "negated"}


def test_one_writer_among_people_in_general_still_reports() -> None:
    text = ("Your nerves grow back, they always do. Mine did: the pain came back eight months after my RFA. "
            "Most people I know from the group have had it redone.")
    assert reported_symptoms(text) == {"recurrence"}


def test_a_case_report_about_one_patient_is_not_general() -> None:
    text = "Two weeks after the ablation the patient complained of numbness over the left buttock and the thigh."
    assert reported_symptoms(text) == {"numbness"}


def test_a_long_story_that_names_no_procedure_reports_nothing() -> None:
    text = WINTER.format(had="")
    assert len(text.split()) >= get_tagger().rules.self_contained_words
    assert unanchored(text, get_tagger().rules)
    assert reported_symptoms(text) == set()


def test_the_same_story_with_the_rfa_in_it_reports() -> None:
    text = WINTER.format(had="I had the RFA in November and it helped for a while, but ")
    assert not unanchored(text, get_tagger().rules)
    assert {"falls", "numbness"} <= reported_symptoms(text)


@pytest.mark.parametrize("text, expected", [
    # short replies lean on their thread
    ("yep numb outer thigh here too, four months and counting", {"numbness"}),
    # a long one that names a side effect or a post-procedure timeline is anchored
    ("It is going on 7 months now and I still suffer a lot. The doctor has tried gabapentin and then lyrica and "
     "nothing has helped as of yet. In the last two months my right leg is tingling and numb right down to my "
     "toes. I have seen a neurologist and he thinks it is nerve damage. Has anyone heard of this happening, "
     "and if so how long did it last and what helped?", {"numbness", "tingling"}),
])
def test_replies_and_timelines_are_read_as_written(text: str, expected: set[str]) -> None:
    assert reported_symptoms(text) & DESIGN_IDS == expected


@pytest.mark.parametrize("text, expected", [
    # the day's ups and downs are no increase
    ("Since the RFA it's mostly good, though on some mornings, first thing, my back feels worse and the ache "
     "runs down to my knees.", set()),
    ("Had the rhizotomy in May. Some days are worse than others, mornings mostly.", set()),
    ("Two months out from the ablation. Worse in the mornings, fine by lunch.", set()),
    # compared with before, or getting worse since: an increase
    ("My pain is worse in the mornings since the RFA than it ever was before it.", {"increased_pain"}),
    ("The RFA made my back worse, it hurts more at night now.", {"increased_pain"}),
    ("Six weeks since the ablation and honestly my back is getting worse, not better.", {"increased_pain"}),
])
def test_fluctuation_is_not_increased_pain(text: str, expected: set[str]) -> None:
    assert reported_symptoms(text) & {"increased_pain"} == expected


@pytest.mark.parametrize("text, expected", [
    # the sensory test during the procedure: the patient says when the probe makes something tingle or numb
    ("During the RFA they zapped each level and I had to tell them when my leg tingled, which meant they were "
     "close to the nerve.", set()),
    ("On the table the doc asked me to say if I felt buzzing or my foot went numb, then they burned it.", set()),
    # telling someone about a symptom is still a report
    ("Since the RFA my foot has been numb, I told my doctor when I saw him.", {"numbness"}),
    ("I told him that since the ablation my toes tingle whenever I sit.", {"tingling"}),
])
def test_the_sensory_test_on_the_table_is_no_symptom(text: str, expected: set[str]) -> None:
    assert reported_symptoms(text) & DESIGN_IDS == expected


def test_hard_wrapped_lines_are_one_sentence() -> None:
    """A line that goes on in lower case continues the sentence above it (text pasted from an email or an
    old blog, wrapped at 70 characters): the sensory test reads as one sentence, and negation reaches over
    the wrap; a line starting a new sentence still ends the one above."""
    wrapped = ("The doctor sent a current down the needle and I had to tell them when it\n"
               "made the outside of my leg numb, that is how they found the spot.")
    assert reported_symptoms(wrapped) == set()
    assert reported_symptoms("Since the RFA I have had no\nnumbness at all in my leg.") == set()
    assert reported_symptoms("No falls since the RFA.\nMy left thigh has been numb for weeks.") == {"numbness"}
