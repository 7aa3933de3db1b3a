"""Screening rules and the moderation policy (rhizo_voices.screening): pure functions, no database."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from rhizo_voices import screening
from rhizo_voices.errors import ConfigError
from rhizo_voices.screening import Flag, ScreenInput

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "threads" / "001_087c61cad95e7533.txt"
LABELLED = ROOT / "tests" / "data" / "screening_labelled.jsonl"
POLICY = screening.load_policy()


def rules_of(body: str, author: str | None = "Pat", **kw) -> list[str]:
    """Rules that fire on one comment screened alone."""
    flags = screening.screen_thread([ScreenInput("1", None, author, body, **kw)], POLICY)["1"]
    return [f.rule for f in flags]


def thread(*items: tuple[str, str | None, str]) -> list[ScreenInput]:
    """(author, parent native_id, body) in order; native ids are "1", "2", ..."""
    return [ScreenInput(str(i), parent, author, body) for i, (author, parent, body) in enumerate(items, 1)]


# ------------------------------------------------------------------------------------------ provider

@pytest.mark.parametrize("author, body, post_author", [
    ("Regenexx Team", "This is a question for one of our Physicians.", False),
    ("Chris Centeno, MD", "In an MRI axial image, the left side is the patient's right side.", False),
    ("Jane", "The image is mirrored.", True),
    ("Dr. Alan Weiss", "Medial branch neurotomy lasts 6 to 12 months.", False),
    ("Front Desk Staff", "Sorry to hear that.", False),
    ("Anon", "We treat many patients with this.\n\nDr. Sarah Cole", False),
    ("Ken", "Please see: https://example.org/rfa for why we avoid RFA.", False),
    ("Ken", "More at https://regenexx.com/blog/x/", False),
    ("Ken", "Struggling? Book your free consultation today!", False),
    ("Ken", "If you'd like, please submit the Candidate form.", False),
    ("Ken", "Give us a call at 1-800-555-0123.", False),
])
def test_provider_fires(author: str, body: str, post_author: bool) -> None:
    assert rules_of(body, author, post_author=post_author) == ["provider"]


@pytest.mark.parametrize("body", [
    "I had RFA last May. My Dr. said the burning would fade in a month, it has not.",
    "I went to Dr. Smith for my rhizotomy and the numbness lasted 3 months.",
    "I called the spine clinic to schedule an appointment after my RFA; they said 3 months.",
    "I had my ablation at the Mayo clinic and it worked for a year.",
    "I had the procedure done twice.\nDr. Patel did both.",
    "Found this study: https://pubmed.ncbi.nlm.nih.gov/1/ . My own RFA gave me 9 months.",
])
def test_provider_does_not_fire_for_patients_naming_doctors_or_clinics(body: str) -> None:
    assert "provider" not in rules_of(body)


@pytest.mark.parametrize("author", ["Linh Do", "Md Rahman", "Doris", "ronald letourneau", "Carol A. Morales"])
def test_provider_does_not_fire_for_names_that_look_like_credentials(author: str) -> None:
    assert rules_of("I had RFA in May and my leg burns.", author) == []


# ------------------------------------------------------------------------------------ no_experience

@pytest.mark.parametrize("body, evidence", [
    ("Never had it done myself, but my sister swears by acupuncture for her neck.", "Never had"),
    ("So sorry to hear that, hope you feel better soon!", "So sorry to hear"),
    ("Hang in there, sending good vibes from Ohio x", "Hang in there"),
    ("The photo caption is wrong, that is a sagittal view.", "The photo caption is wrong, that is a sagittal view."),
    ("I spoke to a rep and asked whether it affects motor function. Do you think that is correct??",
     "I spoke to a rep and asked whether it affects motor function."),
])
def test_no_experience_fires(body: str, evidence: str) -> None:
    flags = screening.screen_thread([ScreenInput("1", None, "Pat", body)], POLICY)["1"]
    assert [(f.rule, f.evidence) for f in flags] == [("no_experience", evidence)]
    assert screening.role_for(flags) == "other"


@pytest.mark.parametrize("body", [
    "I had this procedure done 8 days ago. I'm in so much pain down my leg. Is this normal?",
    "I've had at least 8 rhitzos on both sides. Can it be related to procedures?",
    "I haven't had any relief since my RFA in May.",  # "haven't had" but an experience
    "Four weeks post RFA. Numb skin on my lower back.",
    "I had it done last year and I'm supposed to have it again in April.",
])
def test_no_experience_does_not_fire_for_patients_asking(body: str) -> None:
    assert rules_of(body) == []


def test_no_experience_counts_experience_from_the_authors_earlier_comment() -> None:
    flags = screening.screen_thread(thread(
        ("Mel", None, "I had this procedure done 8 days ago. It feels like it's on fire."),
        ("Clinic Team", "1", "Please contact your doctor."),
        ("Mel", "2", "Its going on 7 months now. Has anyone heard of this?"),
        ("Bo", None, "Its going on 7 months now. Has anyone heard of this?"),
    ), POLICY)
    assert [f.rule for f in flags["3"]] == []
    assert [f.rule for f in flags["4"]] == ["no_experience"]


# ---------------------------------------------------------------------------------------- duplicate

def test_duplicate_later_copy_is_flagged_with_the_first_as_target() -> None:
    flags = screening.screen_thread(thread(
        ("Ann", None, "Had RFA in June.  It burned!"),
        ("Bea", None, "had rfa in june it burned"),           # another author: not a duplicate
        ("ann", None, "HAD RFA in June, it burned."),           # same author, normalised
        ("Ann", None, "Had RFA in June. It burned a lot."),    # different text
    ), POLICY)
    assert {k: [(f.rule, f.target) for f in v] for k, v in flags.items()} == {
        "1": [], "2": [], "3": [("duplicate", "1")], "4": []}
    assert screening.decide(flags["3"], POLICY)[0] == "rejected"


def test_duplicate_needs_an_author() -> None:
    flags = screening.screen_thread(thread((None, None, "Had RFA, it burned."), (None, None, "Had RFA, it burned.")),
                                    POLICY)
    assert flags == {"1": [], "2": []}


# -------------------------------------------------------------------------------- deletion_request

def test_request_only_rejected_and_its_target_withdrawn() -> None:
    flags = screening.screen_thread(thread(
        ("Cara", None, "Had my neck done last spring, zero pain since."),
        ("Cara", None, "Had my neck done last spring, zero pain since."),
        ("Cara", None, "Oops posted twice, please delete the duplicate."),
    ), POLICY)
    request = flags["3"]
    assert [(f.rule, f.target, f.remainder) for f in request] == [("deletion_request", "2", False)]
    assert screening.decide(request, POLICY) == (
        "rejected", f"deletion_request -> reject (policy {POLICY.version})")
    assert screening.role_for(request) == "other"
    assert screening.withdrawals(flags) == {"2": "the author asked for it to be deleted (in comment 3)"}


def test_request_with_a_report_stands_and_first_means_earliest() -> None:
    flags = screening.screen_thread(thread(
        ("Bri", None, "I had lumbar RFA in June. By August the pain was back."),
        ("Bri", None, "I had lumbar RFA in June. The pain was back by August, worse."),
        ("Bri", None, "Post this and delete the first one please:\nI had bilateral lumbar RFA in June. By August "
                      "the pain was back and my left foot drags when I walk, which scares me."),
    ), POLICY)
    (flag,) = flags["3"]
    assert (flag.rule, flag.target, flag.remainder) == ("deletion_request", "1", True)
    assert screening.decide([flag], POLICY)[0] == "approved"
    assert screening.role_for([flag]) == "patient"
    assert screening.withdrawals(flags) == {"1": "the author asked for it to be deleted (in comment 3)"}


def test_request_in_reply_to_own_post_targets_it_and_other_wording_does_not_fire() -> None:
    flags = screening.screen_thread(thread(
        ("Gabe", None, "Had lumbar RFA in March, burning thigh since."),
        ("Gabe", None, "Had lumbar RFA in March, burning thigh ever since."),
        ("Gabe", "1", "Admin, can you remove this one? Wrong month."),
        ("Cal", None, "They removed the first one of my two screws, then did RFA on the facets."),
        ("Cy", None, "Please delete this thread, it scares people away."),
    ), POLICY)
    assert [(f.rule, f.target) for f in flags["3"]] == [("deletion_request", "1")]
    assert "deletion_request" not in [f.rule for f in flags["4"] + flags["5"]]


def test_request_without_an_earlier_post_has_no_target() -> None:
    flags = screening.screen_thread(thread(("Ayo", None, "Please remove my earlier comment.")), POLICY)
    assert [(f.rule, f.target) for f in flags["1"]] == [("deletion_request", None)]
    assert screening.withdrawals(flags) == {}


# ------------------------------------------------------------------------------------------- crisis

@pytest.mark.parametrize("body, evidence", [
    ("I'm feeling like there's no hope at the end of my pain tunnel.", "no hope"),
    ("I can't go on like this. Two rhizotomies and no relief.", "can't go on"),
    ("Some days I just want to die, the pain after the ablation is that bad.", "I just want to die"),
    ("Three failed ablations and I want to end it all.", "end it all"),
    ("There is no reason to live like this anymore.", "no reason to live"),
    ("Since my rhizotomy there is no hope of ever getting better.", "no hope of ever"),
    ("Eleven months after my RFA. What's the point of living like this?", "What's the point of living"),
    ("I wish I was dead some mornings, three years after my RFA.", "I wish I was dead"),
])
def test_crisis_fires_and_is_held(body: str, evidence: str) -> None:
    flags = screening.screen_thread([ScreenInput("1", None, "Pat", body)], POLICY)["1"]
    assert [(f.rule, f.evidence) for f in flags if f.rule == "crisis"] == [("crisis", evidence)]
    assert screening.decide(flags, POLICY)[0] == "pending"


@pytest.mark.parametrize("body", [
    "My pain is killing me today, the rhizotomy wore off after 8 months.",
    "I was awake while they did the left side and it killed me.",
    "I could die of embarrassment, I cried in recovery after my RFA.",
    "I had my RFA in 2019. No hope of getting an appointment soon for the next one though.",
    "My back ablation helped but I can't go on long walks yet.",
    "I don't want to die on the table, I had RFA before and it was fine.",
    "It's been 15 months since my RFA. How can I live the rest of my life in pain?",
    "I can't take this pain anymore, my RFA wore off after 3 months.",
])
def test_crisis_does_not_fire(body: str) -> None:
    assert "crisis" not in rules_of(body)


def test_crisis_holds_whatever_else_fired_and_whatever_the_policy_object_says() -> None:
    flags = [Flag("provider", "r", "e"), Flag("duplicate", "r", "e", "1"), Flag("crisis", "r", "no hope")]
    lax = screening.Policy(**{**POLICY.__dict__, "actions": {**POLICY.actions, "crisis": "approve"}})
    assert screening.decide(flags, lax) == (
        "pending", f"provider -> approve; duplicate -> reject; crisis -> hold (policy {POLICY.version})")


# -------------------------------------------------------------------------------- heavy_identifiers

def test_heavy_identifiers_threshold_and_uncertain() -> None:
    counts = {"a": (5, 0), "b": (6, 0), "c": (1, 1), "d": (0, 0)}
    flags = screening.screen_thread(
        [ScreenInput(k, None, f"P{k}", f"I had RFA {k}.") for k in counts], POLICY,
        count_identifiers=lambda text: counts[text[-2]])
    assert {k: [(f.rule, f.evidence) for f in v] for k, v in flags.items()} == {
        "a": [], "b": [("heavy_identifiers", "identifiers found: 6, uncertain: 0")],
        "c": [("heavy_identifiers", "identifiers found: 1, uncertain: 1")], "d": []}
    assert screening.decide(flags["b"], POLICY)[0] == "pending"


def test_heavy_identifiers_never_fires_without_a_counter() -> None:
    assert rules_of("I had RFA. Call Jane Doe at 303-555-0100, 12 Elm St, Boulder, jane@x.org, @jd, 1/2/2020.") == []


# ---------------------------------------------------------------------------------------- off_topic

@pytest.mark.parametrize("body", [
    "After my genicular nerve ablation my knee still clicks. Anyone else?",
    "I had coolief on both knees, it worked for a year.",
    "I messed up my left foot and ankle in a fall. He recommended killing that nerve.",
    "I had endometrial ablation and have had cramping since.",
    "My daughter had selective dorsal rhizotomy for cerebral palsy; her back is fine.",
    "I had a rhizotomy for trigeminal neuralgia and half my face is numb.",
])
def test_off_topic_fires(body: str) -> None:
    flags = screening.screen_thread([ScreenInput("1", None, "Pat", body)], POLICY)["1"]
    assert "off_topic" in [f.rule for f in flags]
    assert screening.role_for(flags) == "other"


@pytest.mark.parametrize("body", [
    "I had this procedure done 8 days ago. It hurts to touch from my knee down.",
    "My hip and knee hurt more since the lumbar rhizotomy.",
    "The heart ablation I had was nothing like the back RFA I had last month.",
])
def test_off_topic_does_not_fire_for_spinal_rfa(body: str) -> None:
    assert "off_topic" not in rules_of(body)


# -------------------------------------------------------------------------------- decide / role_for

def test_decide_and_role_for_combinations() -> None:
    assert screening.decide([], POLICY) == ("approved", f"no rule fired (policy {POLICY.version})")
    assert screening.role_for([]) == "patient"
    assert screening.decide([Flag("provider", "r", "e")], POLICY)[0] == "approved"
    assert screening.decide([Flag("off_topic", "r", "e"), Flag("duplicate", "r", "e")], POLICY)[0] == "rejected"
    assert screening.decide([Flag("no_experience", "r", "e")], POLICY)[0] == "pending"
    assert screening.role_for([Flag("provider", "r", "e"), Flag("off_topic", "r", "e")]) == "provider"


# ------------------------------------------------------------------------------------------- policy

def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def default_text() -> str:
    return screening.DEFAULT_POLICY.read_text(encoding="utf-8")


def test_default_policy_loads() -> None:
    assert POLICY.version == "2026-12-02.3"
    assert (POLICY.model_crisis, POLICY.model_provider, POLICY.model_patient) == (0.7, None, None)
    assert POLICY.actions == {"provider": "approve", "no_experience": "hold", "off_topic": "hold",
                              "duplicate": "reject", "deletion_request": "reject", "crisis": "hold",
                              "heavy_identifiers": "hold"}
    assert POLICY.provider_names == ("Regenexx", "Chris Centeno")
    assert (POLICY.max_identifiers, POLICY.min_remainder_words, POLICY.request_with_report_action) == (5, 12, "approve")


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace('crisis = "hold"', 'crisis = "approve"'), "crisis must be 'hold'"),
    (lambda t: t.replace('crisis = "hold"', 'crisis = "reject"'), "crisis must be 'hold'"),
    (lambda t: t.replace('duplicate = "reject"', 'duplicate = "delete"'), "duplicate = 'delete'"),
    (lambda t: t.replace('duplicate = "reject"', ''), "missing rules ['duplicate']"),
    (lambda t: t.replace('version = "2026-12-02.3"', ''), "'version' must be a non-empty string"),
    (lambda t: t.replace("crisis = 0.7 ", "crisis = 1.5 "), "[model]: 'crisis' must be a probability in (0, 1] or false"),
    (lambda t: t + "\n[[[broken", "not valid TOML"),
    (lambda t: t.replace("max_identifiers = 5", 'max_identifiers = "five"'), "'max_identifiers' must be of type int"),
    (lambda t: t.replace("min_site_mentions = 2", "min_site_mentions = -1"), "must not be negative"),
    (lambda t: t.replace('''names = ["Regenexx"''', '''names = ["Regenexx", "(("'''), None),
    (lambda t: t.replace("[crisis]\n", "[crisis]\n").replace(r"'''\bno\s+hope\b(?!", r"'''\bno\s+hope\b((?!", 1),
     "bad pattern"),
])
def test_bad_policy_files_raise_config_error(tmp_path: Path, edit, message: str | None) -> None:
    path = write(tmp_path, edit(default_text()))
    if message is None:  # provider names are plain text, not patterns: "((" is fine
        assert "((" in screening.load_policy(path).provider_names
        return
    with pytest.raises(ConfigError, match=re.escape(message)):
        screening.load_policy(path)


def test_missing_policy_file_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read policy"):
        screening.load_policy(tmp_path / "nope.toml")


def test_policy_changes_actions(tmp_path: Path) -> None:
    strict = screening.load_policy(write(tmp_path, default_text().replace('provider = "approve"', 'provider = "hold"')))
    assert screening.decide([Flag("provider", "r", "e")], strict)[0] == "pending"


# -------------------------------------------------------------------------------------- seed thread

def parse_seed(path: Path) -> list[ScreenInput]:
    """Just enough of the seed's shape: numbered entries, nesting by indentation, 'Post author'."""
    text = path.read_text(encoding="utf-8").split("thoughts on", 1)[1].split("Is Regenexx Right For You?")[0]
    rows: list[dict] = []
    stack: list[tuple[int, str]] = []
    for line in text.splitlines()[1:]:
        m = re.match(r"^(\s*)\d+\.\s+(.*)$", line)
        if m:
            indent, author = len(m.group(1)), m.group(2).strip()
            while stack and stack[-1][0] >= indent:
                stack.pop()
            post_author = author.endswith("Post author")
            rows.append({"native_id": f"c{len(rows) + 1}", "parent_id": stack[-1][1] if stack else None,
                         "author": author.removesuffix("Post author").strip(), "post_author": post_author,
                         "body": []})
            stack.append((indent, rows[-1]["native_id"]))
        elif rows and line.strip():
            rows[-1]["body"].append(line.strip())
    return [ScreenInput(**{**r, "body": "\n".join(r["body"])}) for r in rows]


def test_seed_thread_comes_out_as_read() -> None:
    comments = parse_seed(SEED)
    flags = screening.screen_thread(comments, POLICY)
    got = {}
    for c in comments:
        status, _ = screening.decide(flags[c.native_id], POLICY)
        got.setdefault((c.author, screening.role_for(flags[c.native_id]), status), []).append(
            sorted(f.rule for f in flags[c.native_id]))
    assert len(comments) == 25
    assert got == {
        ("Regenexx Team", "provider", "approved"): [["provider"]] * 10,
        ("Chris Centeno, MD", "provider", "approved"): [["provider"]],
        # BL's question about a knee device is off topic; it says "I was told", a first-person remark
        ("BL", "other", "pending"): [["off_topic"]],
        # Helen is booked for the procedure: a prospective patient is a patient (policy 2026-12-02.1);
        # her pain before it is not a symptom of it (tests/test_symptoms.py keeps her mentions empty)
        # ... and held since policy 2026-12-02.2: the crisis model reads her fear of losing mobility as
        # hopelessness (p >= 0.7). A false hold, the price of recall: a moderator approves her in a minute.
        ("Helen", "patient", "pending"): [["crisis"]],
        ("Tracie Byers", "other", "pending"): [["off_topic"]],
        ("Wolfgang Dahnert", "other", "pending"): [["no_experience"]],
        ("Melissa", "patient", "approved"): [[], []],
        ("Melissa", "patient", "pending"): [["crisis"]],
        ("Ayisha M", "patient", "approved"): [["deletion_request"]],
        ("Stacy", "patient", "approved"): [[]],
        ("Theresa Mass", "patient", "approved"): [[]],
        ("Lisa", "patient", "approved"): [[]],
        ("ronald letourneau", "patient", "approved"): [[]],
        ("Robert T. Tillotson", "patient", "approved"): [[]],
        ("Carol A. Morales", "patient", "approved"): [[]],
    }
    assert [c.author for c in comments if any(f.rule == "crisis" for f in flags[c.native_id])] == ["Helen", "Melissa"]
    assert screening.withdrawals(flags) == {}


# ---------------------------------------------------------------------------------- labelled set

FLOORS = {"provider": (0.9, 0.9), "no_experience": (0.85, 0.85), "duplicate": (1.0, 1.0),
          "deletion_request": (0.9, 0.9), "crisis": (0.9, 0.9), "off_topic": (0.85, 0.85)}


def test_labelled_set_per_rule_floors() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from eval_screening import evaluate
    finally:
        sys.path.pop(0)
    scores, total, target_errors = evaluate(LABELLED, POLICY)
    assert total >= 100
    assert target_errors == []
    below = {rule: (s.precision, s.recall) for rule, s in scores.items()
             if (s.precision or 0) < FLOORS[rule][0] or (s.recall or 0) < FLOORS[rule][1]}
    assert below == {}


def test_seed_providers_found_without_the_name_list(tmp_path: Path) -> None:
    bare = screening.load_policy(write(tmp_path, default_text().replace(
        'names = ["Regenexx", "Chris Centeno"]', "names = []")))
    comments = parse_seed(SEED)
    flags = screening.screen_thread(comments, bare)
    providers = [c.author for c in comments if screening.role_for(flags[c.native_id]) == "provider"]
    assert providers == ["Regenexx Team"] * 10 + ["Chris Centeno, MD"]


# Regressions found on samples/forum_synthetic.jsonl (policy 2026-11-21.2): outcomes only someone who
# had the procedure can report are experience; a symptom's place is not the procedure's site.
@pytest.mark.parametrize("body, expected", [
    ("Eight months of relief and now the pain is back, same spot. I'm booked for a repeat next month.", set()),
    ("Worse than before. The pain is worse than it was before the rhizotomy.", set()),
    ("Never got any relief at all from two rounds of RFA.", set()),
    ("Cervical RFA on the right side. Neck pain returned after 7 months.", set()),
    ("The relief lasted about a year, then the pain came back.", set()),
    ("Four months after my second RFA the outside of my foot is still numb.", set()),
    # a prospective patient is a patient (policy 2026-12-02.1; it was no_experience before)
    ("I'm worried I'll get numbness. Had my consult yesterday, procedure is in May.", set()),
    ("Radiofrequency to the nerve in my wrist for CRPS, hand numb since.", {"off_topic"}),
])
def test_sample_phrasings(body, expected):
    flags = screening.screen_thread([screening.ScreenInput("1", None, "Ann", body)], POLICY)["1"]
    assert {f.rule for f in flags} == expected
