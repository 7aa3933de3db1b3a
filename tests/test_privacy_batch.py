"""find_identifiers_many: the same spans as find_identifiers text by text, with one model call."""
from __future__ import annotations

from rhizo_voices import privacy
from rhizo_voices.privacy import ner

THREAD = [
    "My pain doc, Dr Wojciechowski, did the left side at Kettering and Marguerite drove me home after.",
    "no names here, just a sore back and a lot of pins and needles in the left foot since tuesday",
    "Quilliam Pharmacy had the patches in stock, which was a relief after the week I'd had.",
    "Thanks Ngozi! Ask for Bartlomiej Nowak at the front desk, he sorted out my prior auth in a day.",
    "",
    "Had mine done in Dayton by Okonkwo, email me at sue [at] fastmail [dot] fm if you want his office.",
    "Brightwater Spine did my burn, Quorvell Imaging did the MRI before it.",
]


def test_batch_matches_one_by_one(monkeypatch) -> None:
    one_by_one = [privacy.find_identifiers(text, ("Marguerite",)) for text in THREAD]
    nlp, calls = ner.model(), []

    class Counting:
        def pipe(self, texts):
            texts = list(texts)
            calls.append(len(texts))
            return nlp.pipe(texts)

    monkeypatch.setattr(ner, "model", lambda: Counting())
    batched = privacy.find_identifiers_many(THREAD, ("Marguerite",))
    assert batched == one_by_one
    assert len(calls) == 1 and calls[0] >= 2  # one model call reads the windows of several comments
    assert [s.text for s in batched[3]] == ["Ngozi", "Bartlomiej", "Nowak"]
    assert batched[4] == []
    assert [s.text for s in batched[2]] == ["Quilliam", "Pharmacy"]  # the model's alone


def test_batch_of_none_and_bad_input() -> None:
    assert privacy.find_identifiers_many([]) == []
    try:
        privacy.find_identifiers_many(["fine", 3])  # type: ignore[list-item]
    except privacy.InputError as exc:
        assert str(exc) == "redaction needs text, got int"
    else:
        raise AssertionError("no error for a number")
