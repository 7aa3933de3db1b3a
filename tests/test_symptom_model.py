"""The learned step of the symptom tagger (issue 12): the shipped model, and the kinds of phrasing real
writers use that it must read right (sentences written for this test, not taken from any real text)."""
from __future__ import annotations

import pytest

from rhizo_voices.symptoms import find_mentions, reported_symptoms
from rhizo_voices.symptoms.codebook import load_codebook
from rhizo_voices.symptoms.context import load_rules
from rhizo_voices.symptoms.model import FLAG_NAMES, LEX_DIM, MODEL_DIR, Model, get_model, views
from rhizo_voices.symptoms.tagger import Tagger

DESIGN_IDS = {"leg_burning", "numbness", "falls", "recurrence", "tingling", "weakness", "increased_pain"}


def design(text: str) -> set[str]:
    return reported_symptoms(text) & DESIGN_IDS


# --- the shipped model ----------------------------------------------------------------------------------
def test_shipped_model_shape_and_size() -> None:
    model = get_model()
    assert model is get_model()  # loaded once
    assert model.categories == ("leg_burning", "numbness", "falls", "recurrence", "tingling", "weakness",
                                "increased_pain")
    dims = model.embedder.dim
    assert dims == 64
    assert model.coef.shape == (7, 3 * dims + len(FLAG_NAMES) + LEX_DIM)
    assert model.shared_coef.shape == (3 * dims + len(FLAG_NAMES) + LEX_DIM + 7,)
    assert all(0.45 <= t <= 0.9 for t in model.threshold)
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 3_000_000


def score(text: str) -> list[tuple[str, str, bool, float]]:
    """(category, matched text, accepted as a cue match, probability) of each affirmed candidate."""
    tagger, model = Tagger(load_codebook(), load_rules(), use_model=False), get_model()
    cands = [(d, m) for d, m, _ in tagger.candidates(text) if model.has(m.category) and m.assertion == "affirmed"]
    rows = model.features(cands[0][0].text, views(cands[0][0], [(m.start, m.end) for _, m in cands]))
    probs = model.probabilities([m.category for _, m in cands], rows)
    accepted = model.accepts([m.category for _, m in cands], rows, [True] * len(cands))
    return [(m.category, m.text, ok, float(p)) for (_, m), ok, p in zip(cands, accepted, probs)]


def test_shipped_model_scores_known_sentences() -> None:
    [(cat, text, ok, p)] = score("Since my RFA in May my left calf burns all night.")
    assert (cat, text, ok) == ("leg_burning", "burns", True) and p > 0.8
    [(cat, text, ok, _)] = score("My relief only lasted four months after the RFA.")
    assert (cat, text, ok) == ("recurrence", "only lasted", True)
    found = score("Relief may wear off after a year because the nerves regrow.")
    assert [(c, t, ok) for c, t, ok, _ in found] == [("recurrence", "wear off", False), ("recurrence", "regrow", False)]
    assert all(p < 0.3 for *_, p in found)
    found = score("They check the needle with a small current and I felt pins and needles in my leg "
                  "during the ablation.")
    assert [(c, t, ok) for c, t, ok, _ in found] == [("tingling", "pins and needles", False)]


def test_model_missing_is_a_config_error(tmp_path) -> None:
    from rhizo_voices.errors import ConfigError
    with pytest.raises(ConfigError, match="no trained symptom model"):
        Model(tmp_path)


# --- kinds of phrasing that are NOT reports -------------------------------------------------------------
@pytest.mark.parametrize("text", [
    # the procedure described as burning the nerves
    "They burned the nerves on both sides at L3, L4 and L5 and I went home an hour later.",
    "The doctor explained he'd be burning the nerve endings that carry the pain from the joint.",
    # sensations during the ablation
    "While he was doing the ablation I felt a hot zing run down my thigh, then it stopped.",
    "During the burn my leg went tingly for a second when he tested the needle.",
    # a diagnostic block or a steroid shot wearing off before the RFA
    "The numbing block they did first wore off by bedtime and the ache was back, so I qualified for the RFA.",
    "My cortisone injection lasted about two months before the pain returned, that's why I'm having an "
    "ablation now.",
    # pain or weakness before the procedure
    "Before the rhizotomy my legs were so weak I needed a stick, and the pain was getting worse every week.",
    # general statements, risks, expectations
    "Relief may wear off after a year or so because the nerves regrow.",
    "The nerves regenerate eventually, so the pain can come back and you may need a repeat.",
    # relief described
    "Honestly I don't feel anything back there anymore, the pain is just gone.",
    # brief expected soreness that resolves
    "I was a bit sore for a day or two after, like a bruise, and then it settled and I've been great.",
    # cardiac or other ablations
    "My cardiac ablation was last year and my legs have felt weak and numb since, the cardiologist is "
    "checking my circulation.",
    "After my genicular RFA the side of my knee went numb.",
])
def test_not_a_report(text: str) -> None:
    assert design(text) == set()


# --- kinds of phrasing that ARE reports -----------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("It's been about ten months since my RFA and I can tell it's wearing off, the ache is creeping back on "
     "the left.", {"recurrence"}),
    ("The relief only lasted a few months for me.", {"recurrence"}),
    ("I get it redone every year or so, it's the only thing that works.", {"recurrence"}),
    ("Had the ablation in spring and felt brilliant, but by autumn things started to backslide.", {"recurrence"}),
    ("Since the RFA there's a new pain beside my spine, the skin feels rubbed raw and my waistband is torture.",
     {"increased_pain"}),
    ("Since the ablation there's a numb area on my lower back the size of my hand.", {"numbness"}),
    ("Two weeks after the RFA my thigh started to feel like I was standing too close to a fire.",
     {"leg_burning"}),
    ("my leg gave out on the stairs last week and I landed on the floor, it's been a month since my rfa",
     {"falls", "weakness"}),
    # a carer
    ("My husband had his RFA in March. Since then his feet tingle every evening and he says it keeps him up.",
     {"tingling"}),
    ("Mum has fallen three times since her rhizotomy, the last time in the garden.", {"falls"}),
    # a long narrative, the symptom far from the procedure
    ("So much has happened. The RFA was in January, I went back to work in February, we moved house in April, "
     "and somewhere in all that my right calf started burning at night like a hot water bottle was strapped "
     "to it.", {"leg_burning"}),
    # typos
    ("since the rfa my legs r so weeak i cant climb the stairs without stopping", {"weakness"}),
])
def test_report(text: str, expected: set[str]) -> None:
    assert design(text) == expected


def test_cue_alone_is_never_a_mention_unless_affirmed_and_accepted() -> None:
    """A broad cue ("again", "heavy", "new pain") found in a negated or general sentence is no mention at
    all (a codebook pattern in the same place would still be listed, with its assertion)."""
    assert find_mentions("I'm lifting again, running again, sleeping again.") == []
    assert [(m.category, m.assertion) for m in find_mentions("No numbness at all.")] == [("numbness", "negated")]


@pytest.mark.parametrize("text, expected", [
    # indirect wording the candidate pass reads since codebook 1.2.0 (the model then accepts it)
    ("Three weeks after the RFA my left leg folded right under me on the stairs, I grabbed the rail just in time.",
     {"weakness"}),
    ("since his rhizotomy dad shuffles around the house and drags his right foot, the physio says the quads are "
     "weak", {"weakness"}),
    ("My legs have been like wet noodles since the RFA, I can't get back up off the floor without help.",
     {"weakness"}),
    ("Six months after my ablation the relief has run out and the old ache is making a comeback.", {"recurrence"}),
    ("The burn gave me a great summer but by November it had stopped working.", {"recurrence"}),
    ("In spring, about five months after the ablation, things started to backslide.", {"recurrence"}),
    ("Honestly the RFA set me way back, the pain in my hip is more intense than before I had it.",
     {"increased_pain"}),
    ("Since the rfa my outer thigh feels like im wearing a thick sock, patchy feeling down to the knee.",
     {"numbness"}),
])
def test_indirect_wording(text: str, expected: set[str]) -> None:
    assert design(text) == expected
