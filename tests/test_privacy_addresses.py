"""De-identification of addresses in the shapes beyond the US one: the number after the street, street
words in other languages, building numbers, address cues, "the corner of", and the unit, town, region
and postal lines that follow; towns written in lower case; clubs (exact outputs)."""
from __future__ import annotations

import pytest

from rhizo_voices.privacy import redact


@pytest.mark.parametrize("text, expected", [
    # a street word that opens the name, the number after it (and a town after a comma)
    ("Mum's new flat is Rua das Flores 118, Porto, so the physio comes to her.",
     "Mum's new flat is [ADDRESS], so the physio comes to her."),
    ("my sister sends the boxes to ul. Lipowa 7, Krakow 30-001 because the pharmacy there has it",
     "my sister sends the boxes to [ADDRESS] because the pharmacy there has it"),
    # French: the number first, no number after
    ("the rehab centre is at 14 rue des Lilas, Lyon, ask for the pool sessions",
     "the rehab centre is at [ADDRESS], ask for the pool sessions"),
    ("her cousin lives on 8 avenue de Provence street and drives her to PT",
     "her cousin lives on [ADDRESS] street and drives her to PT"),
    # a street word that closes the name, a word of its own or the end of one
    ("we stayed at Hauptstrasse 12 near the clinic", "we stayed at [ADDRESS] near the clinic"),
    ("her flat on Kiraly u. 15. is up four flights, which my knees hate",
     "her flat on [ADDRESS] is up four flights, which my knees hate"),
    ("He lives on Bergvej 22 now and drives in for the RFA", "He lives on [ADDRESS] now and drives in for the RFA"),
    ("the physio is on C. Dorpstraat 41 if anyone in Belgium needs one",
     "the physio is on [ADDRESS] if anyone in Belgium needs one"),
    # a building number, a street name in any script, a house number
    ("my aunt in Cyprus, 10252 Μεγάλη Άμμος 184, had the same burning after hers",
     "my aunt in Cyprus, [ADDRESS], had the same burning after hers"),
    # UK and Australian shapes: a unit before the number, a postcode after the town
    ("my address is Flat 2, 19 Ashgrove Rise, Leeds LS6 2PU if you want the leaflet",
     "my address is [ADDRESS], [ADDRESS] if you want the leaflet"),
    ("Unit 5/14 Carrington Street, Lismore NSW 2480 is my mum's place", "[ADDRESS] is my mum's place"),
    # a PO box after a number, and its town lines
    ("post it to 0912 P.O. Box 287, Tallinn, Estonia and I'll pass it on",
     "post it to [ADDRESS] and I'll pass it on"),
    # a block quoted line by line: unit, town in capitals, postcode
    ("Send the forms to:\n> 4 Birch Close\n> Apt. 3\n> HEXHAM\n> NE46 1AA\nthanks",
     "Send the forms to:\n> [ADDRESS]\nthanks"),
    # the town lines go on to a country, not into the sentence
    ("The card came back from 6400 12 Timms Drive Suite 215 NUNGATTA Australia last night.",
     "The card came back from [ADDRESS] last night."),
    ("The leaflet says 50 Kiln Way Suite 8, Milford New Zealand and nothing else.",
     "The leaflet says [ADDRESS] and nothing else."),
    # the corner of two streets
    ("we meet at the corner of Maple Avenue and 3rd after PT", "we meet at [ADDRESS] after PT"),
    ("the clinic is at the corner of Dalbraut 99 and Kirkja Lane, ask at the desk",
     "the clinic is at [ADDRESS], ask at the desk"),
])
def test_street_shapes(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a listed town in lower case after a preposition, the longest name first
    ("i live in denver and my pain doc is in rochester", "i live in [PLACE] and my pain doc is in [PLACE]"),
    ("we drove to san antonio for the rfa", "we drove to [PLACE] for the rfa"),
    ("i went to mayo in rochester", "i went to [PLACE] in [PLACE]"),
    # a club named after a place
    ("our support group meets at Hollins Creek Country Club on Tuesdays", "our support group meets at [PLACE] on Tuesdays"),
])
def test_lower_case_towns_and_clubs(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    # words that are also towns stay words ("Reading", "Tours", "Worms"), and so do symptom words
    "stuck in bed, went to reading, back to normal, then in tours of the ward, in pain in may",
    # doses, levels, scores, counts: a word between two numbers is no street
    "I'm on Gabapentin 300 three times a day and Tramadol 50 at night.",
    "took 2 Advil 200 and 1 Tylenol 500, It's 2 Percocet 10 every 4 hours",
    "Level 3 Stage 2, 3 Weeks 2 days, Rated it 5 Stars 4 times, the 2 Kings 5 the",
    "Had my 2nd RFA 5 weeks ago, L4 L5 and S1 levels 3 4",
    # "via", "avenue" as English words; an address cue with no street after it
    "sent 2 via email, Via the portal 3 days ago, an avenue 5 of care",
    "my address is on file at 2 clinics and I sent it to my doctor 3 times",
    "I live at the corner of hell and misery lol",
    # after an address, the sentence goes on: no English word joins it
    "I live at [ADDRESS], my leg hurts and falls are my worry",
])
def test_numbers_and_words_that_are_no_address(text: str) -> None:
    assert redact(text) == text
