"""Report charts: files, sizes, privacy of suppressed cells, empty inputs, determinism."""
from __future__ import annotations

import copy
import json
import re
import struct
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from rhizo_voices.errors import InputError
from rhizo_voices.report import charts

REPORT = Path(__file__).parent / "data" / "charts_report.json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def report() -> dict:
    return json.loads(REPORT.read_text())


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def texts(fig: Figure, ticks: bool = True) -> list[str]:
    """Every visible text on the figure after layout; tick labels left out when `ticks` is False."""
    fig.draw_without_rendering()
    tick_texts = set()
    if not ticks:
        for ax in fig.axes:
            tick_texts |= {id(t) for t in ax.get_xticklabels() + ax.get_yticklabels()}
    return [t.get_text() for t in fig.findobj(Text)
            if t.get_text() and t.get_visible() and id(t) not in tick_texts]


def ticks(fig: Figure, axis: str) -> list[str]:
    fig.draw_without_rendering()
    ax = fig.axes[0]
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    lo, hi = sorted(ax.get_xlim())
    if axis == "x":
        return [t.get_text() for t, v in zip(labels, ax.get_xticks()) if lo <= v <= hi]
    return [t.get_text() for t in labels]


def test_writes_each_chart_as_a_1200x700_png(report, tmp_path):
    written = charts.render_charts(report, tmp_path / "out", prefix="r1_")
    assert list(written) == ["symptom_reporters", "onset", "sentiment", "topics"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "r1_onset.png", "r1_sentiment.png", "r1_symptom_reporters.png", "r1_topics.png"]
    for name, path in written.items():
        assert path == tmp_path / "out" / f"r1_{name}.png"
        assert png_size(path) == (1200, 700)


def test_symptom_bars_sorted_and_suppressed_rows_have_no_bar(report):
    """A hidden count is not a bar of length K (it would read as a real K): no bar, "<K (hidden)"."""
    fig = charts.build_symptom_reporters(report)
    assert ticks(fig, "y") == ["Recurrence of pain", "Leg burning", "Numbness", "Falls", "Tingling"]
    bars = fig.axes[0].patches
    assert [b.get_width() for b in bars] == [14.0, 9.0, 6.0]
    assert [b.get_hatch() for b in bars] == [None, None, None]
    labels = texts(fig, ticks=False)
    assert labels[:5] == ["14 (47%)", "9 (30%)", "6 (20%)", "<5  (hidden)", "<5  (hidden)"]
    assert '"<5" without a bar: fewer than 5 reporters; the count is hidden' in labels[-1]
    assert fig.axes[0].get_title() == "" and fig.get_suptitle() == (
        "Symptoms reported after the procedure, by distinct reporters")


def test_suppressed_true_values_reach_no_chart(report):
    """"Falls" carries its true values (3 reporters, 4 comments, 10%, -0.90, onset 11 and 13 days)
    as a careless caller might leave them; only the `suppressed` flag may be used."""
    figs = charts.build_charts(report)
    leaked = {"3", "4", "10%", "−0.90", "-0.90", "11", "13"}
    for name, fig in figs.items():
        tokens = {tok for text in texts(fig, ticks=False) for tok in re.split(r"[\s()=,]+", text)}
        tokens |= {tok for text in ticks(fig, "y") for tok in re.split(r"[\s()=,]+", text)}
        assert not tokens & leaked, name
        if name != "symptom_reporters":
            assert not any("Falls" in t or "Tingling" in t for t in texts(fig)), name
    assert ticks(figs["symptom_reporters"], "x") == ["0", "2", "4", "6", "8", "10", "12", "14", "16"]


def test_onset_rows_ordered_by_median_and_ticks_in_time_units(report):
    fig = charts.build_onset(report)
    assert ticks(fig, "y") == ["Leg burning (n=5)", "Recurrence of pain (n=6)"]
    assert ticks(fig, "x") == ["same day", "1 day", "1 week", "1 month", "3 mo"]
    assert fig.axes[0].get_xscale() == "symlog"
    # onset only: relief durations are another quantity (the timeline table gives them)
    assert fig.axes[0].get_legend() is None
    assert [len(c.get_offsets()) for c in fig.axes[0].collections] == [5, 6]
    assert len(fig.axes[0].lines) == 2  # one median bar per row


def test_onset_draws_no_median_for_one_person(report):
    report["timeline"] = [{"category": "leg_burning", "onset_days": [7.0], "relief_days": []},
                          {"category": "recurrence", "onset_days": [30.0, 60.0], "relief_days": [200.0]}]
    fig = charts.build_onset(report)
    assert ticks(fig, "y") == ["Leg burning (n=1)", "Recurrence of pain (n=2)"]
    assert [list(line.get_xdata()) for line in fig.axes[0].lines] == [[45.0, 45.0]]
    assert "where at least two comments date it" in texts(fig, ticks=False)[-1]


def test_onset_absent_timeline_or_no_days_is_not_written(report, tmp_path):
    del report["timeline"]
    assert "onset" not in charts.render_charts(report, tmp_path)
    report["timeline"] = [{"category": "numbness", "onset_days": [], "relief_days": [float("nan"), -2]}]
    assert charts.build_onset(report) is None
    assert not (tmp_path / "onset.png").exists()


def test_sentiment_diverging_bars_on_fixed_axis(report):
    fig = charts.build_sentiment(report)
    ax = fig.axes[0]
    assert ticks(fig, "y") == ["Leg burning (9 reporters)", "Recurrence of pain (14 reporters)",
                               "Numbness (6 reporters)"]
    assert [round(b.get_width(), 3) for b in ax.patches] == [-0.63, -0.412, 0.12]
    assert [b.get_facecolor()[:3] for b in ax.patches][0] != ax.patches[2].get_facecolor()[:3]
    assert texts(fig, ticks=False)[:3] == ["−0.63", "−0.41", "+0.12"]
    assert ax.get_xlim() == (-1.08, 1.08)


def test_topics_sorted_with_outliers_grey_and_last(report):
    fig = charts.build_topics(report)
    assert ticks(fig, "y") == ["pain, back, months, returned", "burning, leg, nerve, weeks",
                               "Outliers (no topic)"]
    bars = fig.axes[0].patches
    assert [b.get_width() for b in bars] == [12, 8, 2]
    assert bars[2].get_facecolor() != bars[0].get_facecolor()


def test_topics_capped_at_twenty_and_title_says_so(report):
    report["topics"]["topics"] = [{"id": i, "label": f"word{i}", "size": 100 - i, "words": []}
                                  for i in range(25)]
    fig = charts.build_topics(report)
    assert len(fig.axes[0].patches) == 20
    assert fig.get_suptitle() == "Topics in the patient comments that count, by size (largest 20 of 25)"


def test_empty_report_writes_nothing(tmp_path):
    empty = {"min_cell": 5, "symptoms": [
        {"category": "numbness", "label": "Numbness", "reporters": 0, "comments": 0, "share": None,
         "mean_sentiment": None, "suppressed": False}],
        "timeline": [], "topics": {"topics": []}}
    assert charts.render_charts(empty, tmp_path / "charts") == {}
    assert not (tmp_path / "charts").exists()
    assert charts.render_charts({"min_cell": 5, "symptoms": []}, tmp_path / "charts") == {}


def test_same_report_gives_identical_bytes_without_software_chunk(report, tmp_path):
    first = charts.render_charts(report, tmp_path / "a")
    second = charts.render_charts(copy.deepcopy(report), tmp_path / "b")
    for name in first:
        data = first[name].read_bytes()
        assert data == second[name].read_bytes(), name
        assert b"Software" not in data and b"matplotlib" not in data


def test_bad_report_raises_input_error(report, tmp_path):
    with pytest.raises(InputError, match="min_cell"):
        charts.render_charts({**report, "min_cell": "5"}, tmp_path)
    with pytest.raises(InputError, match="symptoms"):
        charts.render_charts({**report, "symptoms": [{"label": "x"}]}, tmp_path)
    with pytest.raises(InputError, match="the report must be a dict"):
        charts.render_charts([], tmp_path)


def test_dollar_signs_in_labels_are_text_not_math(report, tmp_path):
    report["topics"]["topics"] = [{"id": 0, "label": "cost, $500, $insurance$", "size": 3, "words": []}]
    fig = charts.build_topics(report)
    assert ticks(fig, "y") == [r"cost, \$500, \$insurance\$"]
    assert "topics" in charts.render_charts(report, tmp_path)


def test_long_labels_are_shortened_to_one_line(report):
    report["symptoms"][0]["label"] = "A very long category label that goes on and on past the limit"
    fig = charts.build_symptom_reporters(report)
    assert ticks(fig, "y")[0] == "A very long category label that goes on and…"
