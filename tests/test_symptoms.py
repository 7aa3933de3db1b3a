"""Symptom tagger: traps, assertion and experiencer rules, the seed thread's readings, codebook, dev-set F1."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from rhizo_voices.errors import ConfigError
from rhizo_voices.symptoms import (CODEBOOK_VERSION, Anchor, anchor, categories, find_mentions, is_negated,
                                   load_codebook, reported_symptoms)
from rhizo_voices.symptoms.tagger import Tagger
from rhizo_voices.symptoms.context import load_rules

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "threads" / "001_087c61cad95e7533.txt"
DEV = ROOT / "tests" / "data" / "tagging_dev.jsonl"
DESIGN_IDS = ["leg_burning", "numbness", "falls", "recurrence", "tingling", "weakness", "increased_pain"]


RULES_ONLY = Tagger(load_codebook(), load_rules(), use_model=False)


def assertions(text: str, category: str) -> list[str]:
    """The context rules' reading of the codebook pattern matches (the learned step is tested in
    test_symptom_model.py)."""
    return [m.assertion for m in RULES_ONLY.find(text) if m.category == category]


def rules_affirmed(text: str) -> set[str]:
    return {m.category for m in RULES_ONLY.find(text) if m.assertion == "affirmed"}


# --- traps: procedure acts and idioms are not mentions -------------------------------------------------
@pytest.mark.parametrize("text", [
    "They numbed the skin first and then did the procedure.",
    "The doc numbed the area really well.",
    "They used a numbing shot before the needle.",
    "They burned the nerves at three levels.",
    "Nerve burning is how RFA works.",
    "I would never recommend anyone burn out nerves in your body.",
    "I fell asleep during the procedure.",
    "Got my first rhizotomy in the fall of 2021.",
    "Fall is my favorite season but my back hates the cold.",
    "It all fell apart when insurance denied it.",
    "Going in for RFA number two next week.",
    "like burning nerves to destroy them in Radio frequency Ablation",
])
def test_procedure_acts_and_idioms_are_not_mentions(text: str) -> None:
    assert find_mentions(text) == []


def test_burning_needs_a_leg_body_part_for_leg_burning() -> None:
    assert reported_symptoms("My left leg burns since the RFA.") == {"leg_burning"}
    assert reported_symptoms("The skin over my lower back feels sunburned since the RFA.") == {"burning_other"}
    assert reported_symptoms("The burning is awful since the RFA.") == set()
    # the body part may be in the previous sentence when this one names none
    assert reported_symptoms("I'm in pain down my leg. It feels like it's on fire.") == {"leg_burning"}
    assert reported_symptoms("Burning down the back of my right leg since the RFA.") == {"leg_burning"}


def test_near_falls_and_asleep_limbs() -> None:
    assert reported_symptoms("I almost fell in the shower since the RFA.") == {"instability"}
    assert reported_symptoms("My leg keeps falling asleep since the ablation.") == {"numbness"}
    assert reported_symptoms("numbb and tinglng in my foot since the rhitzo") == {"numbness", "tingling"}


def test_url_text_is_not_a_mention() -> None:
    text = "Please see: https://example.com/blog/holes-burned-in-legs-numbness/"
    assert find_mentions(text) == []


# --- assertion rules ----------------------------------------------------------------------------------
def test_negated_list_with_but() -> None:
    text = "No falls, no weakness, but tingling in both feet."
    assert assertions(text, "falls") == ["negated"]
    assert assertions(text, "weakness") == ["negated"]
    assert assertions(text, "tingling") == ["affirmed"]
    assert rules_affirmed(text) == {"tingling"}


@pytest.mark.parametrize("text,category", [
    ("No numbness at all.", "numbness"),
    ("I don't have any numbness, tingling or weakness.", "weakness"),
    ("Haven't had a single fall since the procedure.", "falls"),
    ("Numbness: none.", "numbness"),
    ("Numbness? none.", "numbness"),
    ("In two years I have never fallen.", "falls"),
])
def test_negated(text: str, category: str) -> None:
    assert assertions(text, category) == ["negated"]
    assert category not in reported_symptoms(text)


def test_is_negated_on_spans() -> None:
    text = "No numbness, but my leg is numb now."
    first, second = [m.start() for m in re.finditer("numb", text)]
    assert is_negated(text, first, first + 9) is True
    assert is_negated(text, second, second + 4) is False
    assert is_negated(text, 5, 2) is False


def test_pseudo_negation_is_not_negation() -> None:
    assert assertions("The RFA didn't stop the burning in my leg.", "leg_burning") == ["affirmed"]
    assert assertions("Not only numbness in my foot, also pain.", "numbness") == ["affirmed"]


@pytest.mark.parametrize("text,category", [
    ("I'm worried I'll get numbness like some people here.", "numbness"),
    ("Will I get numbness after a lumbar RFA?", "numbness"),
    ("If it causes falls I'm not doing it.", "falls"),
    ("What are the chances of weakness after a rhizotomy?", "weakness"),
    ("Has anyone had numbness after an RFA?", "numbness"),
    ("The consent form listed falls as a risk.", "falls"),
])
def test_hypothetical(text: str, category: str) -> None:
    assert assertions(text, category) == ["hypothetical"]
    assert reported_symptoms(text) == set()


def test_question_that_reports_is_affirmed() -> None:
    assert rules_affirmed("Has anyone else had numbness after an RFA?") == {"numbness"}
    assert reported_symptoms("Is it normal to have burning in my legs 10 days after RFA?") == {"leg_burning"}


def test_fear_of_an_existing_symptom_is_affirmed() -> None:
    assert rules_affirmed("I'm worried the numbness in my foot won't go away.") == {"numbness"}


@pytest.mark.parametrize("text", [
    "My toes were numb from diabetes before the RFA.",
    "Before the RFA I had numbness in my foot.",
    "My right side has been numb ever since my brain surgery in 1997.",
    "I'm supposed to have this done on the 12th. My legs are numb and weak.",
    "I'm considering a rhizotomy. My hands tingle sometimes.",
])
def test_before_procedure(text: str) -> None:
    asserted = {m.assertion for m in find_mentions(text)}
    assert asserted == {"before_procedure"}
    assert reported_symptoms(text) == set()


def test_comparative_before_is_not_before_procedure() -> None:
    assert reported_symptoms("I am in more pain than before the procedure.") == {"increased_pain"}


# --- experiencer --------------------------------------------------------------------------------------
def test_experiencer_other_still_counts() -> None:
    text = "My mom fell twice after her RFA."
    [m] = find_mentions(text)
    assert (m.category, m.assertion, m.experiencer) == ("falls", "affirmed", "other")
    assert reported_symptoms(text) == {"falls"}


def test_experiencer_carried_by_pronoun() -> None:
    [m] = find_mentions("My wife had the RFA. Her leg has been numb ever since.")
    assert (m.category, m.experiencer) == ("numbness", "other")


def test_experiencer_self_when_writer_speaks_of_self() -> None:
    [m] = find_mentions("My husband noticed my leg was numb after the RFA.")
    assert (m.category, m.experiencer) == ("numbness", "self")


# --- mention shape ------------------------------------------------------------------------------------
def test_mention_fields() -> None:
    text = "Had the RFA in May. Since then my right calf is burning all day and night, and I hate it."
    [m] = find_mentions(text)
    assert m.category == "leg_burning"
    assert text[m.start:m.end] == m.text == "burning"
    assert m.evidence == "Since then my right calf is burning all day and night, and I hate it."
    assert len(m.evidence) <= 90


def test_evidence_is_short_and_from_the_sentence() -> None:
    text = "First sentence here. " + "word " * 40 + "numbness " + "word " * 40 + ". Other sentence."
    [m] = RULES_ONLY.find(text)
    assert len(m.evidence) <= 80 and "numbness" in m.evidence and "sentence" not in m.evidence


def test_empty_text() -> None:
    assert find_mentions("") == [] and reported_symptoms("") == set()


# --- the seed thread, read as issue 2 says ------------------------------------------------------------
def seed_comments() -> list[tuple[str, str]]:
    """(author, body) for each comment of the seed thread, split by its numbered, indented lines."""
    text = SEED.read_text(encoding="utf-8")
    body = text.split("thoughts on", 1)[1].split("Is Regenexx Right For You?", 1)[0]
    out: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        m = re.match(r"^\s*\d+\.\s+(.*)$", line)
        if m:
            out.append((m.group(1).strip(), []))
        elif out and line.strip():
            out[-1][1].append(line.strip())
    return [(a, " ".join(b)) for a, b in out]


@pytest.fixture(scope="module")
def seed() -> list[tuple[str, set[str]]]:
    return [(author, reported_symptoms(body)) for author, body in seed_comments()]


def test_seed_has_25_comments(seed) -> None:
    assert len(seed) == 25


def test_seed_patient_readings(seed) -> None:
    by = {}
    for author, found in seed:
        by.setdefault(author.split()[0], []).append(found)
    mel1, mel2, mel3 = by["Melissa"]
    assert {"leg_burning", "numbness", "tingling", "muscle_spasm"} <= mel1
    assert {"numbness", "tingling"} <= mel2
    assert {"disability", "increased_pain"} <= mel3
    assert "falls" in by["Theresa"][0]
    assert {"increased_pain", "recurrence"} <= by["Ayisha"][0]
    assert {"no_relief", "weakness"} <= by["Robert"][0]
    assert by["Helen"] == [set()]
    assert by["Tracie"] == [set()]
    assert by["BL"] == [set()] and by["Wolfgang"] == [set()] and by["ronald"] == [set()]
    assert by["Lisa"] == [{"procedural_pain", "recurrence"}]  # "getting this done ... Every 6 months"
    assert by["Carol"] == [{"odd_sensations"}]
    assert by["Stacy"] == [{"numbness"}]


def test_seed_exact_sets(seed) -> None:
    patients = [(a.split()[0], sorted(s)) for a, s in seed if "Regenexx" not in a and "Post author" not in a]
    assert patients == [
        ("BL", []), ("Helen", []), ("Tracie", []), ("Stacy", ["numbness"]), ("Theresa", ["falls"]),
        ("Melissa", ["leg_burning", "muscle_spasm", "numbness", "tingling"]),
        ("Melissa", ["no_relief", "numbness", "tingling"]), ("Lisa", ["procedural_pain", "recurrence"]),
        ("Melissa", ["disability", "increased_pain", "tingling"]), ("ronald", []),
        ("Robert", ["no_relief", "weakness"]), ("Ayisha", ["increased_pain", "recurrence", "weakness"]),
        ("Carol", ["odd_sensations"]), ("Wolfgang", []),
    ]


def test_seed_clinic_replies_have_no_leg_burning(seed) -> None:
    replies = [s for a, s in seed if "Regenexx" in a or "Post author" in a]
    assert len(replies) == 11
    assert all("leg_burning" not in s and "burning_other" not in s for s in replies)


def test_seed_stacy_numbness_before_and_after() -> None:
    body = dict(seed_comments())["Stacy"]
    numb = [(m.assertion, m.text, m.evidence) for m in find_mentions(body) if m.category == "numbness"]
    assert [(a, t) for a, t, _ in numb] == [("before_procedure", "numb"), ("affirmed", "numb"),
                                            ("affirmed", "feel nothing")]
    assert "brain surgery" in numb[0][2] and "majorly numb" in numb[1][2]


# --- anchoring ----------------------------------------------------------------------------------------
def test_anchor_seed_melissa() -> None:
    bodies = [b for a, b in seed_comments() if a == "Melissa"]
    assert anchor(bodies[0]) == Anchor(onset_days=8.0, since_days=8.0)
    assert anchor(bodies[1]).since_days == 212.8
    assert anchor(bodies[2]) == Anchor(since_days=456.0, region="lumbar", side="right")


def test_anchor_seed_others() -> None:
    bodies = dict(seed_comments())
    theresa = anchor(bodies["Theresa Mass"])
    assert (theresa.procedures, theresa.region, theresa.side) == (8, "lumbar", "bilateral")
    ayisha = anchor(bodies["Ayisha M"])
    assert (ayisha.relief_days, ayisha.procedures, ayisha.region, ayisha.side) == (365.0, 2, "lumbar", "bilateral")


@pytest.mark.parametrize("text,field,value", [
    ("Second round was worse.", "procedures", 2),
    ("RFA #3 done in May.", "procedures", 3),
    ("Burning started about 5 days after the RFA.", "onset_days", 5.0),
    ("two weeks later the tingling began", "onset_days", 14.0),
    ("It only lasted 3 months.", "relief_days", 91.2),
    ("Cervical RFA on the left side.", "region", "cervical"),
    ("SI joint ablation last year.", "region", "sacroiliac"),
    ("Neck RFA on the left side.", "side", "left"),
    ("Nothing about any procedure here.", "since_days", None),
])
def test_anchor_fields(text: str, field: str, value) -> None:
    assert getattr(anchor(text), field) == value


# --- codebook -----------------------------------------------------------------------------------------
def test_codebook_version_and_categories() -> None:
    assert CODEBOOK_VERSION == load_codebook().version == "1.2.0"
    ids = [c["id"] for c in categories()]
    assert set(DESIGN_IDS) <= set(ids)
    assert {"burning_other", "muscle_spasm", "instability", "muscle_wasting", "procedural_pain", "no_relief",
            "odd_sensations", "disability"} <= set(ids)
    assert all(set(c) == {"id", "label", "definition", "code"} for c in categories())


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("body,message", [
    ('version = "1"\n[[category]\nid = "x"', "not valid TOML"),
    ('[[category]]\nid = "x"\nlabel = "X"\ndefinition = "d"\npatterns = ["x"]', "missing top-level string 'version'"),
    ('version = "1"', "no [[category]] tables"),
    ('version = "1"\n[[category]]\nid = "x"\nlabel = "X"\npatterns = ["x"]', "missing or empty string field 'definition'"),
    ('version = "1"\n[[category]]\nid = "x"\nlabel = "X"\ndefinition = "d"\npatterns = ["(unclosed"]', "bad regex"),
    ('version = "1"\n[[category]]\nid = "x"\nlabel = "X"\ndefinition = "d"\npatterns = []', "needs at least one pattern"),
    ('version = "1"\n[[category]]\nid = "x"\nlabel = "X"\ndefinition = "d"\npatterns = ["x"]\n'
     '[[category]]\nid = "x"\nlabel = "Y"\ndefinition = "d"\npatterns = ["y"]', "duplicate category id 'x'"),
])
def test_malformed_codebook_raises_config_error(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_codebook(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_missing_codebook_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_codebook(tmp_path / "nope.toml")


def test_user_can_add_a_category_by_editing_toml(tmp_path: Path) -> None:
    base = (ROOT / "src" / "rhizo_voices" / "symptoms" / "codebook.toml").read_text(encoding="utf-8")
    extra = '\n[[category]]\nid = "headache"\nlabel = "Headache"\ndefinition = "Head pain."\n' \
            "patterns = ['''\\bheadaches?\\b''']\n"
    tagger = Tagger(load_codebook(write(tmp_path, base + extra)), load_rules())
    found = {(m.category, m.assertion) for m in tagger.find("Terrible headaches since the RFA, no numbness.")}
    assert found == {("headache", "affirmed"), ("numbness", "negated")}


# --- the development set: a regression in any DESIGN category fails here ------------------------------
def test_dev_set_f1() -> None:
    spec = importlib.util.spec_from_file_location("eval_tagging", ROOT / "scripts" / "eval_tagging.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.load(DEV)
    assert len(rows) >= 200
    res = module.evaluate(rows)
    f1 = {cat: round(v[2], 3) for cat, v in res["per_category"].items()}
    # this set is the project's own short sentences; the learned step (issue 12) trades a little of it
    # for text written by others, so the floor is 0.85 rather than the rules-only 0.90
    assert {c: f1[c] for c in DESIGN_IDS if f1[c] < 0.85} == {}
    assert res["negation"][2] >= 0.90


def test_keywords_never_hide_a_pattern_match() -> None:
    """The keyword prefilter is a speed device only: every pattern match on the dev set contains a keyword."""
    texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [body for _, body in seed_comments()]
    hidden = []
    for cat in load_codebook().categories:
        for text in texts:
            low = text.replace("\u2019", "'").lower()
            for pattern in cat.patterns:
                for m in pattern.finditer(text.replace("\u2019", "'")):
                    if cat.keywords and not any(k in low[m.start():m.end()] for k in cat.keywords):
                        hidden.append((cat.id, m.group()))
    assert hidden == []


# Regressions from samples/forum_synthetic.jsonl (codebook 1.0.1; rules only since 1.1.0)
@pytest.mark.parametrize("text, category, assertion", [
    ("Will it cause falls?", "falls", "hypothetical"),
    ("Does RFA cause numbness?", "numbness", "hypothetical"),
    ("Yes, mine returned after 4 months the second time.", "recurrence", "affirmed"),
])
def test_sample_regressions(text, category, assertion):
    assert [(m.category, m.assertion) for m in RULES_ONLY.find(text)] == [(category, assertion)]


@pytest.mark.parametrize("text", [
    "When the soreness from the procedure wore off a day later, I went for a short walk and felt fine.",
    "Post-op soreness wore off by Thursday and I was fine.",
    "Once the soreness from the needles wore off I was back at my desk.",
    "The steroid shot wore off after three weeks, so the RFA is booked for June.",
    "The test block wore off by dinner, which apparently means I'm a candidate.",
    "Strength came back in my left leg over six weeks after the ablation.",
    "After my RFA the buzzing in my calf lasted about a month then settled.",
])
def test_what_wears_off_or_returns_is_no_recurrence(text: str) -> None:
    assert "recurrence" not in reported_symptoms(text)


@pytest.mark.parametrize("text", [
    "Four months after the RFA the relief wore off and the ache is back.",
    "Relief lasted about eight months after my rhizotomy, then the pain came back.",
])
def test_relief_wearing_off_is_recurrence(text: str) -> None:
    assert "recurrence" in reported_symptoms(text)
