"""A smoke test of scripts/bench.py: one small size, the hashed stand-in embedder, the table's shape."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from conftest import hashed_embedder

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench.py"
_spec = importlib.util.spec_from_file_location("bench", SCRIPT)
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench"] = bench  # dataclasses look their module up while the script loads
_spec.loader.exec_module(bench)

STAGES = ["generate corpus", "ingest", "analyze", "ingest +1,000", "analyze +1,000", "topics cold",
          "topics cached", "topics unchanged", "report", "baseline: BERTopic default, no cache",
          "baseline: our redactor alone", "baseline: presidio pattern recognizers", "backend: hashed-bow-64",
          "backend: hashed-bow-32"]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[list, str]:
    out = tmp_path_factory.mktemp("bench") / "results.md"
    rows = bench.run([200], seed=3, embedder=hashed_embedder(), model_name="hashed-bow-64",
                     presidio=out.parent / "no-such-python", out=out, header="## Bench test",
                     backends={"hashed-bow-64": hashed_embedder, "hashed-bow-32": lambda: hashed_embedder(32)})
    return rows, out.read_text(encoding="utf-8")


def test_one_row_per_stage_in_order(results: tuple[list, str]) -> None:
    rows, _ = results
    assert [r.stage for r in rows] == STAGES
    assert {r.size for r in rows} == {200}
    by = {r.stage: r for r in rows}
    assert [by[s].items for s in ("generate corpus", "ingest", "analyze", "report")] == [200] * 4
    assert by["ingest +1,000"].items == by["analyze +1,000"].items == 1000
    for stage in (s for s in STAGES if "presidio" not in s):
        assert by[stage].wall > 0 and by[stage].peak_mb > 10, stage
    cold_docs = int(by["topics cold"].notes.split(" docs")[0])
    assert by["topics cached"].notes == f"{cold_docs} docs, 0 embedded, refitted (force=True)"
    assert by["topics unchanged"].notes == f"{cold_docs} docs, 0 embedded, nothing new: no refit"
    assert by["baseline: BERTopic default, no cache"].items == cold_docs  # the same texts topics saw
    assert " of the full analyze (target < 0.1)" in by["analyze +1,000"].notes


def test_missing_presidio_is_said_and_skipped(results: tuple[list, str]) -> None:
    rows, _ = results
    row = next(r for r in rows if r.stage == "baseline: presidio pattern recognizers")
    assert (row.wall, row.items) == (0.0, 0)
    assert row.notes.startswith("skipped: ") and row.notes.endswith("no-such-python not found")


def test_markdown_table_columns_and_targets(results: tuple[list, str]) -> None:
    rows, text = results
    lines = text.splitlines()
    start = lines.index("| size | stage | wall s | comments/s | peak RSS MB | notes |")
    assert lines[start + 1] == "|---|---|---|---|---|---|"
    body = lines[start + 2:start + 2 + len(rows)]
    assert [line.split(" | ")[1] for line in body] == STAGES
    assert all(line.startswith("| 200 | ") and line.count(" | ") == 5 for line in body)
    assert lines[0] == "## Bench test" and "Run complete." in text
    assert "Against the issue 8 and 15 targets (which are for 100,000 comments), at 200:" in text
    assert "- report: " in text and "target < 10 s: met" in text


def test_bad_sizes_are_a_usage_error() -> None:
    for sizes in ("", "1000,x", "0"):
        with pytest.raises(SystemExit) as exc:
            bench.main(["--sizes", sizes, "--fake-embedder"])
        assert exc.value.code == 2


def test_backends_are_compared_on_the_same_texts_with_ratios(results: tuple[list, str]) -> None:
    rows, text = results
    by = {r.stage: r for r in rows}
    first, second = by["backend: hashed-bow-64"], by["backend: hashed-bow-32"]
    assert first.items == second.items == min(bench.COMPARE_DOCS, int(by["topics cold"].notes.split(" docs")[0]))
    assert first.notes.startswith("1.00x the speed of hashed-bow-64; load ")
    assert "kNN symptom agreement " in second.notes and "topics NMI " in second.notes
    assert "cosine to hashed" not in second.notes  # 32 dimensions against 64: no cosine
    lines = text.splitlines()
    assert "Ratios (same run, same machine):" in lines
    assert any(line.startswith("- 200: BERTopic default / our topics cold: ") for line in lines)
    assert any(line.startswith("- 200: hashed-bow-32 embeds ") and "as fast as hashed-bow-64" in line
               for line in lines)


def test_knn_agreement_counts_neighbours_with_the_same_label() -> None:
    import numpy as np

    import bench_backends
    vectors = np.array([[1, 0], [0.99, 0.1], [0.98, 0.2], [0, 1], [0.1, 0.99], [0.2, 0.98]], dtype=np.float32)
    truth = np.array(["a", "a", "a", "b", "b", "a"])
    # k=2: a0 -> a1,a2 (2/2); a1 -> a0,a2 (2/2); a2 -> a1,a0 (2/2); b3 -> b4,a5 (1/2); b4 -> a5,b3 (1/2);
    # a5 -> b4,b3 (0/2): 4.0 of 6
    assert bench_backends.knn_agreement(vectors, truth, k=2) == round(4.0 / 6, 3)
