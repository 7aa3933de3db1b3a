"""Literal gates in front of the policy's regexes (rhizo_voices.gated_re): same answers, fewer searches."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rhizo_voices import screening
from rhizo_voices.gated_re import GatedAny, GatedPattern, required_literals

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("pattern, literals", [
    (r"\bno\s+hope\b", ("hope",)),
    (r"\b(can'?t|cannot)\s+go\s+on\b", ("can",)),
    (r"\b(feel|felt)\s+hopeless\b", ("hopeless",)),
    (r"\bwant\s+to\s+(die|disappear)\b", ("want",)),
    (r"\b(burden|goodbye)\b", ("burden", "goodbye")),
    (r"\b(i|me)\s+(so|to)\b", None),            # no literal of three letters every match needs
    (r"\b(x|burden)\b", None),                  # one branch has none: no gate
    (r"(?:rfa)?\s*done\b", ("done",)),           # an optional group gives nothing
    (r"\bsui\w*\b", ("sui",)),
])
def test_required_literals(pattern: str, literals: tuple[str, ...] | None) -> None:
    assert required_literals(pattern, re.IGNORECASE) == literals


def test_gated_patterns_answer_as_plain_regexes_on_every_policy_pattern() -> None:
    """Every pattern of the packaged policy, on every text of the test data: same match as plain `re`."""
    texts = []
    for name in ("screening_labelled.jsonl", "screening_heldback.jsonl", "screening_heldback2.jsonl"):
        texts += [json.loads(line)["body"] for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    texts += [json.loads(line)["text"] for line in (DATA / "screening_crisis.jsonl").read_text().splitlines()]
    texts += ["", "HOPELESS", "Goodbye Everyone."]
    lx = screening.load_policy().lexicon
    gated = 0
    for name in lx.__dataclass_fields__:
        value = getattr(lx, name)
        for part in value if isinstance(value, tuple) else (value,):
            for p in part.parts if isinstance(part, GatedAny) else (part,):
                assert isinstance(p, GatedPattern)
                gated += p.gates is not None
                for t in texts:
                    want, got = p.regex.search(t), p.search(t)
                    assert (want and want.span()) == (got and got.span()), (p.pattern, t)
    assert gated >= 100


def test_gated_any_is_the_leftmost_match_and_exists_agrees() -> None:
    any_ = GatedAny((GatedPattern(r"\bburden\b", re.I), GatedPattern(r"\bno\s+hope\b", re.I)))
    m = any_.search("There is no hope, I am a burden.")
    assert m is not None and m.group(0) == "no hope"
    assert any_.exists("a burden") and not any_.exists("a garden")
    assert [m.group(0) for m in any_.finditer("burden, no hope, burden")] == ["burden", "no hope", "burden"]
    assert any_.sub(lambda m: "#" * len(m.group(0)), "no hope burden") == "####### ######"


def test_literal_index_takes_patterns_compiled_after_it_was_built() -> None:
    first = GatedPattern(r"\bhopeless\b", re.IGNORECASE)
    assert first.search("Feeling HOPELESS today")  # the automaton is built here
    later = GatedPattern(r"\bzxqvlit\w*", re.IGNORECASE)  # a literal the automaton has not seen
    assert later.search("a zxqvliteral word").group(0) == "zxqvliteral"
    assert later.search("nothing of the sort") is None
    # literals that overlap in the text ("burden" inside "unburdened") are all found
    both = GatedAny.of_patterns((GatedPattern(r"unburden\w*", re.I), GatedPattern(r"\bburden", re.I)))
    assert both.search("I unburdened myself").group(0) == "unburdened"
    assert both.exists("a burden") and not both.exists("a bird")
