"""scripts/bench_stages.py: every stage of analyze appears with its calls, and the shares add up."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench_stages.py"
_spec = importlib.util.spec_from_file_location("bench_stages", SCRIPT)
bench_stages = importlib.util.module_from_spec(_spec)
sys.modules["bench_stages"] = bench_stages
_spec.loader.exec_module(bench_stages)


def test_stage_table(capsys, monkeypatch) -> None:
    from rhizo_voices import pipeline, privacy, screening, sentiment, symptoms
    for module, name in ((privacy, "find_identifiers"), (privacy, "find_identifiers_many"), (privacy, "apply"),
                         (privacy, "redact_excerpt"),
                         (screening, "screen_thread"), (screening, "decide"), (symptoms, "find_mentions"),
                         (symptoms, "anchor"), (sentiment, "compound"), (sentiment, "sentence_around"),
                         (pipeline, "_write")):
        monkeypatch.setattr(module, name, getattr(module, name))  # the wrappers are undone after the test
    assert bench_stages.main(["--size", "60", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("analyze, one process: ")
    assert re.search(r"for 60 comments = [0-9.]+ ms per comment", out)
    rows = {line.split(" | ")[0][2:]: line.split(" | ")[1:] for line in out.splitlines()[4:]}
    assert set(rows) == {stage for _, _, stage in bench_stages.STAGES} | {"other"}
    assert rows["anchoring"][3].rstrip(" |") == "60"  # once per live comment
    assert rows["decision"][3].rstrip(" |") == "60"
    assert rows["symptom mentions"][3].rstrip(" |") == "60"
