"""The learned screening model: the shipped heads load, and our own sentences land where they should."""
from __future__ import annotations

import numpy as np
import pytest

from rhizo_voices import screening_model as sm


def top(text: str, thread: str = "") -> str:
    scores = sm.role_scores(text, thread)
    return max(scores, key=scores.get)


def test_shipped_model_loads_small_and_matches_the_constants() -> None:
    assert sm.MODEL_FILE.stat().st_size < 1_000_000
    heads = sm.Heads()
    assert heads.role_emb.shape == (3, 128)
    assert heads.role_lex.shape == (3, 2 * sm.LEX_DIM)
    assert heads.crisis_lex.shape == (sm.LEX_DIM,)
    with np.load(sm.MODEL_FILE) as z:
        assert z["thresholds"].tolist() == pytest.approx(
            [sm.CRISIS_THRESHOLD, sm.PROVIDER_THRESHOLD, sm.PATIENT_THRESHOLD])


def test_scores_are_probabilities() -> None:
    scores = sm.role_scores("Had my lumbar RFA last week, sore but okay.")
    assert set(scores) == {"patient", "provider", "other"}
    assert sum(scores.values()) == pytest.approx(1.0)
    assert 0.0 <= sm.crisis_score("") <= 1.0
    assert set(sm.role_scores("")) == {"patient", "provider", "other"}


@pytest.mark.parametrize("text", [
    "Our board-certified physicians offer radiofrequency ablation for chronic neck and back pain. "
    "Most patients go home the same day. Call today to book your consultation.",
    "Nurse practitioner here, I look after people after their ablations every week. The sore skin you "
    "describe is expected and usually fades in a few weeks; ring your clinic if it spreads.",
    "A 64-year-old woman underwent bilateral L4-L5 medial branch radiofrequency neurotomy and reported "
    "75% relief at six months, the authors write.",
])
def test_clinic_and_staff_voice_is_provider(text: str) -> None:
    assert top(text) == "provider"
    assert sm.role_scores(text)["provider"] >= sm.PROVIDER_THRESHOLD


@pytest.mark.parametrize("text", [
    "my mum had her rfa on tuesday, she's 81, says her back feels bruised but she slept through the "
    "night for the first time in ages",
    "Six weeks since the rhizotomy on my lower back and I can finally sit through a whole film.",
    "got my ablation booked for my lumbar facets next month after the test blocks worked, nervous!",
])
def test_patients_carers_and_prospective_patients_are_patient(text: str) -> None:
    assert top(text) == "patient"
    assert sm.role_scores(text)["patient"] >= sm.PATIENT_THRESHOLD


@pytest.mark.parametrize("text", [
    "Had my ablation for atrial fibrillation a month ago, the cardiologist says the odd skipped beat is normal.",
    "Genicular nerve RFA on my knee, now the skin below the kneecap is numb and I tripped on the stairs.",
    "Aww, sending you big hugs, hope tomorrow is a better day x",
])
def test_other_procedures_and_sympathy_are_other(text: str) -> None:
    assert top(text) == "other"


def test_thread_context_is_used() -> None:
    reply = "same here, mine lasted about ten months"
    spinal = sm.role_scores(reply, "How long did your lumbar RFA last?")
    cardiac = sm.role_scores(reply, "How long did your AFib ablation last before it came back?")
    assert spinal["patient"] > cardiac["patient"]


@pytest.mark.parametrize("text", [
    "I've started giving my things away, my sister has the dog now. The ablation didn't work and I'm so tired.",
    "My family would be better off without me, I'm just a burden since the rhizotomy failed.",
    "i can't do this anymore. i just want to go to sleep and not wake up.",
])
def test_quiet_and_explicit_crisis_is_above_the_threshold(text: str) -> None:
    assert sm.crisis_score(text) >= sm.CRISIS_THRESHOLD


@pytest.mark.parametrize("text", [
    "This pain is killing me, the RFA wore off at seven months, repeat booked.",
    "I could die for a coffee, still fasting before my ablation lol",
    "Had my RFA last Tuesday, sore for a few days and now much better.",
])
def test_idioms_and_ordinary_reports_are_below_the_threshold(text: str) -> None:
    assert sm.crisis_score(text) < sm.CRISIS_THRESHOLD
