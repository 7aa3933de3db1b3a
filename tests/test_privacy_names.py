"""De-identification of names in the cues beyond greetings, kinship words and titles: lower-case full
names and lists, verbs of reporting and naming, a name closing a sentence, attributions, quoted
nicknames, a name alone on a line, form fields, short first names ("walt", "gus"), and a few other
leaks of the same kinds (exact outputs); and the words that must stay."""
from __future__ import annotations

import pytest

from rhizo_voices.privacy import redact


@pytest.mark.parametrize("text, expected", [
    # lower case: a listed first name, then a surname no dictionary knows (an initial between them too)
    ("had my consult with priscilla okonkwo last week and she was lovely",
     "had my consult with [NAME] [NAME] last week and she was lovely"),
    ("my surgeon was ignacio j whitcombe, ask for him", "my surgeon was [NAME] [NAME], ask for him"),
    ("the group meets with priscilla, beatriz, dominik and yolanda every week",
     "the group meets with [NAME], [NAME], [NAME] and [NAME] every week"),
    # verbs of reporting and of naming
    ('"Give it six weeks," says Brannigan.', '"Give it six weeks," says [NAME].'),
    ("everyone on the ward calls me Dotty", "everyone on the ward calls me [NAME]"),
    # a first name closing a sentence, after a comma or an imperative
    ("Hang in there, Marcus!", "Hang in there, [NAME]!"),
    ("Please don't give up Declan", "Please don't give up [NAME]"),
    # an attribution under a quote, with an age and a town
    ('"Six months pain-free and gardening again." - Bertha, 71, Tulsa',
     '"Six months pain-free and gardening again." - [NAME], 71, [PLACE]'),
    # a quoted nickname between a first name and a surname
    ('My physio, Tomasz "Tom-Tom" Wierzbicki, swears by ice.', 'My physio, [NAME] "[NAME]" [NAME], swears by ice.'),
    # a line that is only a name (a particle inside it)
    ("Contact for the group:\nLeontyne van Heerden\nthursdays at 7", "Contact for the group:\n[NAME]\nthursdays at 7"),
    # a form's field: the capitalised words after it, words or not
    ("Name: Hope Salinger", "Name: [NAME] [NAME]"),
    # a first name that is a month, after a greeting
    ("Hi June, my RFA was the same", "Hi [NAME], my RFA was the same"),
    # a reply opening with a name: lower case after "oh", or before an imperative
    ("oh ned that sounds awful", "oh [NAME] that sounds awful"),
    ("Rosa call the clinic back, that swelling needs a look", "[NAME] call the clinic back, that swelling needs a look"),
    # short forms the name lists lack
    ("my brother walt had the same buzzing", "my brother [NAME] had the same buzzing"),
    # a title's name right after another cue word ("nurse for Dr. X")
    ("the nurse for Dr. Halvorsen said wait", "the nurse for Dr. [NAME] said wait"),
    # an ID whose cue is in the sentence before; a one-word hospital before "in <town>"
    ("They asked for my policy number. It's 48201937 if that matters",
     "They asked for my policy number. It's [ID] if that matters"),
    ("Mercy in Toledo did my first RFA", "[PLACE] in [PLACE] did my first RFA"),
    # a web address with a path, whatever its top-level domain
    ("forms are at painclinic.example/referrals or stmarys.trust.zz/pain", "forms are at [URL] or [URL]"),
])
def test_name_cues(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_a_name_after_question_from_is_a_name_not_a_place() -> None:
    assert redact("re the question from Ingrid about the cost") == "re the question from [NAME] about the cost"


@pytest.mark.parametrize("text", [
    "the doctor says Lyrica helps, my PT said Monday.",
    "oh well, oh joy, another flare",
    "Will call you later, falls are my worry",
    "took gabapentin, tramadol and lyrica, nothing helped",
    "the nurse said they'd call and he's fine",
    "I stopped the Gabapentin, then Lyrica. Hang in there!",
    "Burns on my leg, Falls twice, Will it stop?",
    "Surgeon says saphenous nerve irritation, the doc said that's normal.",
    "I had a tad more burning, chuck the ice pack on it",
])
def test_words_that_stay(text: str) -> None:
    assert redact(text) == text
