"""Roles read from the content (rhizo_voices.roles through screening.screen_thread): own sentences."""
from __future__ import annotations

import pytest

from rhizo_voices import screening
from rhizo_voices.screening import ScreenInput

POLICY = screening.load_policy()


def read(body: str, author: str | None = "someone") -> tuple[str, list[str]]:
    """(role, rules) of one comment screened alone."""
    flags = screening.screen_thread([ScreenInput("1", None, author, body)], POLICY)["1"]
    return screening.role_for(flags), sorted(f.rule for f in flags)


@pytest.mark.parametrize("body", [
    # clinic pages and instructions
    "You will be asked to lie on your front for about forty minutes. Most patients go home the same afternoon.",
    "Our team will call you the day before to go over the fasting rules.",
    "Risks include infection, bleeding and a temporary flare of pain. Complications are rare.",
    "How long does it last? Most people get nine months to a year, and it can be repeated.",
    "Radiofrequency denervation is performed under local anaesthetic as an outpatient procedure. "
    "Relief typically begins after two weeks.",
    # clinicians writing, on forums too
    "PA here, that burning usually settles within a month, mention it at your follow up.",
    "Anesthesiologist here. We use light sedation for these, most people doze through it.",
    "As a pain physician I get this question every week: the nerve regrows in six to twelve months.",
    "In my practice we repeat it no sooner than six months after the last one.",
    "I perform these weekly and the sunburn feeling is the commonest complaint I hear.",
    "Physio here - gentle walking from day two, core work from week three.",
    "As a chiropractor I would rather restore the joint's motion than silence its nerves.",
    # written about a patient from outside
    "A 55-year-old woman presented with anterior thigh numbness two weeks after lumbar medial branch "
    "radiofrequency neurotomy.",
    "Janet had struggled with back pain for years. \"I can garden again,\" she says. Her consultant "
    "performed radiofrequency denervation at our day unit in March.",
    "\"I was back at work within a week,\" said Morales, one of forty patients in the trial.",
])
def test_clinic_and_staff_voices_are_providers(body: str) -> None:
    assert read(body) == ("provider", ["provider"])


@pytest.mark.parametrize("body", [
    "Nurse here, but I had my own lumbar RFA in May and the burning down my leg lasted weeks.",
    "My doctor said you may feel sore for a few days. Mine lasted two weeks after the RFA on my L4.",
    "I'm a retired surgeon and my facet ablation last spring was the best thing I did for my back.",
    # policy 2026-12-02.3: "I'm a nurse" alone is staff voice; these say they are the patient
    "I'm a nurse and also a patient - three weeks out from my left-sided L4-L5 burn and the skin is still touchy.",
    "I'm a nurse, two weeks post rhizotomy, and the thigh burning is easing.",
])
def test_clinicians_and_advice_with_their_own_procedure_stay_patients(body: str) -> None:
    assert read(body) == ("patient", [])


@pytest.mark.parametrize("body, rule", [
    ("My AF ablation was three weeks ago and the groin site is still bruised.", "off_topic"),
    ("Catheter ablation for SVT last year, no palpitations since.", "off_topic"),
    ("Endometrial ablation for heavy periods, cramps for two days then fine.", "off_topic"),
    ("My thyroid nodule ablation went smoothly, bit of a sore neck for a day.", "off_topic"),
    ("They ablated two spots on my liver last month, recovery was quick.", "off_topic"),
    ("Genicular nerve RFA on my left knee helped for eight months.", "off_topic"),
    ("Had Coolief on both knees, the right one is still good.", "off_topic"),
    ("My spinal cord stimulator trial went well, permanent implant next month.", "off_topic"),
    ("Had an L4-L5 fusion in 2018 and the screws still ache in the cold.", "off_topic"),
    ("Microdiscectomy at L5-S1, the leg pain went the same day.", "off_topic"),
    ("Our son had selective dorsal rhizotomy for cerebral palsy when he was six.", "off_topic"),
    ("Trigeminal rhizotomy left my cheek numb for a year but the face pain stopped.", "off_topic"),
    ("The spinal block for my knee surgery wore off after four hours.", "off_topic"),
    ("Hope you feel better soon, sending hugs!", "no_experience"),
    ("Never had it done myself but my cousin swears by swimming for his back.", "no_experience"),
    ("The trials comparing it with sham show small benefits at best.", "no_experience"),
])
def test_other_procedures_and_no_experience_are_other(body: str, rule: str) -> None:
    role, rules = read(body)
    assert role == "other" and rule in rules and set(rules) <= {"off_topic", "no_experience"}


@pytest.mark.parametrize("body", [
    "Had my L3-L5 facets burned on Tuesday, back is sore but the leg pain is gone.",
    "My husband had his neck done last month and he is finally sleeping through the night.",
    "My RFA is booked for the 12th, should I take the day after off work?",
    "The medial branch block numbed everything for six hours, so the burn is next.",
    "SI joint ablation on the left, two weeks out and walking better already.",
    "Heart ablation for AF in 2019 and a lumbar RFA last month; the back one hurt more.",
    "Had a fusion at L5 years ago and now RFA on the facets above it, so far so good.",
    "Mum (81) had hers done at L4-L5, she's back to her garden.",
])
def test_patients_carers_and_prospective_patients_are_patients(body: str) -> None:
    assert read(body) == ("patient", [])


def test_a_thread_about_another_procedure_carries_its_short_replies() -> None:
    flags = screening.screen_thread([
        ScreenInput("1", None, "ann", "Four weeks after my cardiac ablation and the palpitations are back."),
        ScreenInput("2", "1", "bo", "Same here, mine took about six weeks to settle down."),
        ScreenInput("3", None, "cy", "My EP says the blanking period is three months, don't panic."),
        ScreenInput("4", None, "di", "Mine took two months to settle too."),
    ], POLICY)
    assert {k: screening.role_for(v) for k, v in flags.items()} == dict.fromkeys("1234", "other")
    topic = {k: next(f for f in v if f.rule == "off_topic") for k, v in flags.items()}
    assert topic["2"].reason == "a reply to a comment about another procedure"
    assert topic["4"].reason.startswith("the thread is about another procedure")


def test_a_spinal_thread_keeps_its_short_replies() -> None:
    flags = screening.screen_thread([
        ScreenInput("1", None, "ann", "Three weeks after my lumbar RFA the burning in my thigh is fading."),
        ScreenInput("2", "1", "bo", "Same here, mine took about six weeks to settle down."),
        ScreenInput("3", None, "cy", "I had a cardiac ablation years ago, nothing like my lumbar RFA."),
        ScreenInput("4", None, "di", "Facet RFA at L5 for me, the first week was rough."),
    ], POLICY)
    assert [screening.role_for(flags[k]) for k in "1234"] == ["patient", "patient", "patient", "patient"]


def test_a_prospective_patient_s_later_comment_counts_as_theirs() -> None:
    flags = screening.screen_thread([
        ScreenInput("1", None, "eve", "My first rhizotomy is booked for Monday, bit nervous."),
        ScreenInput("2", "1", "eve", "Update: done, sore, walked out fine."),
    ], POLICY)
    assert [(screening.role_for(flags[k]), flags[k]) for k in "12"] == [("patient", []), ("patient", [])]


def test_a_policy_file_without_the_2026_12_02_lists_still_loads(tmp_path) -> None:
    """Lists added in policy 2026-12-02.1 are optional: an older custom policy keeps working."""
    import re as _re
    text = screening.DEFAULT_POLICY.read_text(encoding="utf-8")
    for key in ("idioms", "staff_self", "clinical_report", "clinic_voice", "sympathy", "prospective",
                "other_named", "spine_other", "staff_author", "injection_only", "not_rfa"):
        text, n = _re.subn(rf"(?ms)^{key} = \[\n.*?^\]\n", "", text)
        assert n == 1, key
    for key in ("own_procedure", "rfa_terms"):
        text, n = _re.subn(rf"(?m)^{key} = '''.*'''\n", "", text)
        assert n == 1, key
    path = tmp_path / "old.toml"
    path.write_text(text, encoding="utf-8")
    old = screening.load_policy(path)
    flags = screening.screen_thread([ScreenInput("1", None, "x", "I had RFA on L4 and I want to die.")], old)["1"]
    assert [f.rule for f in flags] == ["crisis"]


# ---------------------------------------------------------------- policy 2026-12-02.3: the kinds of role error
# found on the held-out sets (sentences written here, none copied from them)

@pytest.mark.parametrize("body", [
    # staff naming their job without "here"
    "I'm the scheduling coordinator at a spine practice, and honestly the first fortnight is the rough bit for "
    "most people.",
    "I work in an interventional pain clinic and we hear about that thigh burning every week; it fades.",
    "Nurse practitioner at a small spine practice. The numb patch over the skin usually shrinks by spring.",
    "I've been an RN in a pain unit for eleven years and that flare in week one is normal.",
    "We test the motor response before lesioning, so the leg muscles are left alone.",
    # the business answering a review, a consent form, news of a service, a published testimonial
    "Thanks so much for choosing us, Denise! We've passed your note on to the nurses.",
    "I understand that the risks include but are not limited to bruising, infection and a flare of pain.",
    "Meadowbank Hospital now offers radiofrequency ablation for facet joint pain; referrals can be sent by your GP.",
    "Albert had not slept a full night in years. 'It gave me my mornings back,' Albert says. Individual results "
    "may vary.",    # "my clients had RFA" is not the writer's own procedure
    "Osteopath here. Two of my clients had RFA last year and both said the first fortnight was the worst.",    # another procedure named beside a spinal-pain RFA that is not its own: still staff speaking about RFA
    "PA here. RFA is fine with a pacemaker as long as the cardiology team is told beforehand; most patients "
    "feel nothing odd.",
])
def test_staff_and_the_business_speaking_are_providers(body: str) -> None:
    assert read(body) == ("provider", ["provider"])


@pytest.mark.parametrize("author, body, role", [
    ("nurse_pippa", "The sunburn feeling is common in the first month, keep an eye on it and ring if it spreads.",
     "provider"),
    ("SpineClinicOwen", "The sunburn feeling is common in the first month, keep an eye on it.", "provider"),
    ("Marisol_PA_C", "The sunburn feeling is common in the first month, keep an eye on it.", "provider"),
    # a state, a faith and a music taste are not trades
    ("Joe_from_PA", "The sunburn feeling is common in the first month, keep an eye on it.", "other"),
    ("orthodox_jane", "The sunburn feeling is common in the first month, keep an eye on it.", "other"),
    ("rnb_lover", "The sunburn feeling is common in the first month, keep an eye on it.", "other"),
    # a trade in the name, but the writer's own procedure: a patient
    ("nurse_pippa", "Had my own lumbar RFA in March and the sunburn feeling lasted five weeks.", "patient"),
])
def test_a_trade_in_the_author_name_is_a_provider_unless_their_own_procedure_shows(author: str, body: str,
                                                                                   role: str) -> None:
    assert read(body, author)[0] == role


@pytest.mark.parametrize("body, rules", [
    # a clinician on another procedure is `other`, not a provider of spinal RFA
    ("Physio here. After genicular RFA the quads switch off for a while; strengthening brings them back.",
     ["off_topic"]),
    # "came back" is not a back: the heart ablation stays another procedure
    ("My afib came back two weeks after the pulsed field ablation, cardiologist says give it time.", ["off_topic"]),
    ("Balloon rhizotomy for my TN last year, cheek still numb.", ["off_topic"]),
    # injections only, or an RFA named only to say it was not one
    ("Not RFA but PRP injections in my lower back, and they made the ache worse for a month.", ["off_topic"]),
    ("Third epidural steroid injection done, relief lasted three weeks again.", ["off_topic"]),
    # RFA at another joint
    ("They did my hip with RFA in spring and walking is easier.", ["off_topic"]),
    ("Hip RFA on the obturator and femoral branches left my thigh numb.", ["off_topic"]),
    ("My aunt's knee was done with the cooled RF last spring and she's walking the dog again.", ["off_topic"]),
    ("My stimulator lead migrated and it had to be explanted last winter.", ["no_experience", "off_topic"]),
    # bystanders who say so, and a reply pointing someone to crisis help
    ("I'm writing a novel where the main character has chronic pain - what does an RFA feel like?",
     ["no_experience"]),
    ("Student nurse here, not a patient, just reading for my assignment.", ["no_experience"]),
    ("Please call or text 988 tonight, or the Samaritans if you're in the UK. You don't have to face this alone.",
     ["no_experience"]),
])
def test_other_procedures_bystanders_and_helpers_are_other(body: str, rules: list[str]) -> None:
    assert read(body) == ("other", rules)


@pytest.mark.parametrize("body", [
    # the third occipital nerve is the C2-C3 medial branch: a cervical RFA
    "Third occipital nerve RFA at C2-C3 for my headaches, scalp numb but worth it.",
    # where symptoms are felt after an RFA is not where it was done
    "Since the RFA my knees buckle on the stairs and my left foot tingles at night.",
    # injections before the RFA: a prospective patient
    "The steroid shots did nothing so the RFA is booked for June.",
    # a knee done and a back done: the spinal one counts
    "My knee one was done under sedation, my back one awake.",
    # short replies that report the writer's own
    "lol mine only lasted four months the first time, the second one way longer",
    "Felt amazing for half a year. Round 2 booked for March.",
    # "never had" about a symptom, not the procedure
    "The weakness I never had though, just the sunburn feeling for six weeks after my L4 burn.",
])
def test_these_patients_stay_patients(body: str) -> None:
    assert read(body) == ("patient", [])


def test_replies_under_a_heart_ablation_and_crisis_helpers_are_not_counted() -> None:
    def roles_of(comments: list[ScreenInput]) -> dict[str, tuple[str, list[str]]]:
        flags = screening.screen_thread(comments, POLICY)
        return {k: (screening.role_for(v), sorted(f.rule for f in v)) for k, v in flags.items()}

    assert roles_of([
        ScreenInput("1", None, "ann", "Six weeks since my cardiac ablation and the palpitations have mostly settled."),
        ScreenInput("2", "1", "bo", "Mine was a cryo ablation too, the groin was sore for a week."),
    ]) == {"1": ("other", ["off_topic"]), "2": ("other", ["off_topic"])}
    assert roles_of([
        ScreenInput("3", None, "dee", "My lumbar RFA was a month ago and the pain is back already, honestly I don't "
                                      "want to be here anymore."),
        ScreenInput("4", "3", "mod_kit", "Please reach out right now: call or text 988, or go to your nearest ER."),
    ]) == {"3": ("patient", ["crisis"]), "4": ("other", ["no_experience"])}
