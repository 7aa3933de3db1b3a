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


def _count_model_calls(monkeypatch) -> list[int]:
    """From now on in this test, the NER model counts its calls: how many sentences each call reads."""
    nlp, calls = ner.model(), []

    class Counting:
        def pipe(self, texts):
            texts = list(texts)
            calls.append(len(texts))
            return nlp.pipe(texts)

    monkeypatch.setattr(ner, "model", lambda: Counting())
    return calls


def test_batch_matches_one_by_one(monkeypatch) -> None:
    one_by_one = [privacy.find_identifiers(text, ("Marguerite",)) for text in THREAD]
    calls = _count_model_calls(monkeypatch)
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


def test_evidence_quoted_with_straightened_quotes_is_found_in_the_comment() -> None:
    """Screening quotes the comment with its quotes straightened: the excerpt is still found in it, so
    it is redacted with the comment's own spans (a thread author's name among them) and keeps the
    writer's own quote marks."""
    body = "Marguerite\u2019s right, I didn\u2019t have it done in the end. Ask Marguerite at the desk."
    spans = privacy.find_identifiers(body, ("Marguerite",))
    evidence = "Marguerite's right, I didn't have it done in the end."
    assert privacy.redact_excerpt(body, spans, evidence) == \
        "[NAME]\u2019s right, I didn\u2019t have it done in the end."


def test_evidence_the_screener_wrote_is_not_redacted(tmp_path, monkeypatch) -> None:
    """A flag whose evidence is a count or a model's score (Flag.quoted False) is stored as written,
    without a redaction pass; a quoting flag's evidence is redacted."""
    from rhizo_voices import pipeline, screening

    policy = screening.load_policy()
    calls = []
    real = privacy.redact_excerpt
    monkeypatch.setattr(privacy, "redact_excerpt", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    body = ("Email sue.r@example.org or ring 0161 496 0066, my diary is on www.rfa-diary.net, I live at 14 Acacia "
            "Road and my sister Imogen Castellanos drove me. I had my RFA on 3 May 2021 and the burning in my "
            "thigh started a week later.")
    row = pipeline.Row(1, "c1", None, "sue_r", body, "h", False, None, "comment")
    result = pipeline._compute(1, [row], policy=policy, versions="v")
    evidence = {rule: ev for _, rule, _, ev, _ in result.flags}
    assert evidence == {"heavy_identifiers": "identifiers found: 7, uncertain: 0"}
    assert calls == []  # nothing quoted the comment: no redaction pass ran for the evidence
    crisis = [f for f in screening._model_flags("I'm done, everyone would be better off without me", "", [], policy)
              if f.rule == "crisis"]
    assert crisis and not crisis[0].quoted and crisis[0].evidence.startswith("crisis model p ")


def test_groups_of_threads_share_one_model_call(monkeypatch) -> None:
    """Two threads with their own author names: the same spans as thread by thread, one model call."""
    other = ["Penhallow Ortho called back about the burn, Okonkwo says the nerves regrow.",
             "Quorvell Imaging lost my MRI twice, Bartlomiej at reception found it."]
    expected = [privacy.find_identifiers_many(THREAD, ("Marguerite",)),
                privacy.find_identifiers_many(other, ("Okonkwo",))]
    calls = _count_model_calls(monkeypatch)
    assert privacy.find_identifiers_groups([(THREAD, ("Marguerite",)), (other, ("Okonkwo",))]) == expected
    assert len(calls) == 1
    assert [s.text for s in expected[1][0] if s.kind == "NAME"][-1] == "Okonkwo"  # a known name of its own thread
    assert privacy.find_identifiers_groups([]) == [] and privacy.find_identifiers_groups([([], ())]) == [[]]
