"""The report's charts as PNG files, drawn from the report dict built by `report.data.build`.

`render_charts(report, out_dir, prefix)` writes one PNG per chart that has something to show and
returns ``{chart name: path}``. Each ``build_*`` function returns the matplotlib `Figure` (or None
when there is nothing to draw), so tests can inspect every text on a chart before it is saved.

Privacy: chart texts come only from codebook category labels, topic labels (built from topic
words) and aggregate numbers. A suppressed category is drawn from its `suppressed` flag alone:
no bar at all, only the text "<K (hidden)" (K the report's `min_cell`), so it cannot be mistaken
for a real count of K. Suppressed categories and topics are left out of the other charts.

Determinism: figures are built without pyplot (no global state, no display), under a fixed set of
rc parameters, and saved with the PNG "Software" metadata removed, so a re-run writes identical
bytes. Colours are the Okabe-Ito colour-blind-safe palette.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

from ..errors import InputError

# Okabe-Ito palette (colour-blind safe) and neutral greys.
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREY = "#999999"
DARK = "#333333"

WIDTH_PX, HEIGHT_PX, DPI = 1200, 700, 100
MAX_TOPICS = 20
LABEL_CHARS = 45

# Fixed style: the look (and the bytes) must not depend on a user's matplotlibrc.
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 12,
    "axes.titlesize": 16,
    "axes.titleweight": "bold",
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "axes.edgecolor": DARK,
    "axes.labelcolor": DARK,
    "text.color": DARK,
    "xtick.color": DARK,
    "ytick.color": DARK,
    "hatch.color": "#555555",
    "hatch.linewidth": 1.0,
    "savefig.facecolor": "white",
    "figure.facecolor": "white",
    "path.simplify": True,
}

# Time ticks for the onset chart: (days, label).
TIME_TICKS: tuple[tuple[float, str], ...] = (
    (0, "same day"), (1, "1 day"), (7, "1 week"), (30, "1 month"), (91, "3 mo"),
    (182, "6 mo"), (365, "1 year"), (730, "2 years"), (1826, "5 years"), (3652, "10 years"),
)


def _figure(title: str, caption: str) -> tuple[Figure, Axes]:
    """A 1200x700 px figure with one axes, a left-aligned title and a caption at the bottom."""
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    fig.set_layout_engine("constrained", rect=(0, 0.06, 1, 0.94))
    fig.suptitle(title, x=0.01, ha="left", fontsize=16, fontweight="bold")
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.text(0.01, 0.015, caption, ha="left", va="bottom", fontsize=11, color="#555555", wrap=True)
    return fig, ax


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    """One line of at most `limit` characters, with "$" escaped so it is never read as math."""
    label = " ".join(str(label).split())
    label = label if len(label) <= limit else label[: limit - 1].rstrip(" ,") + "…"
    return label.replace("$", r"\$")


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = report.get("symptoms") or []
    if not isinstance(rows, list) or not all(isinstance(r, dict) and "category" in r for r in rows):
        raise InputError("report['symptoms'] must be a list of objects with a 'category'")
    return rows


def _min_cell(report: dict[str, Any]) -> int:
    k = report.get("min_cell")
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise InputError(f"report['min_cell'] must be a positive integer, not {k!r}")
    return k


def _label(row: dict[str, Any]) -> str:
    return _short(row.get("label") or row["category"])


def build_symptom_reporters(report: dict[str, Any]) -> Figure | None:
    """Horizontal bars of distinct reporters per symptom; a suppressed row has no bar, only "<K (hidden)"."""
    k = _min_cell(report)
    shown = [r for r in _rows(report) if not r.get("suppressed") and (r.get("reporters") or 0) > 0]
    hidden = [r for r in _rows(report) if r.get("suppressed")]
    if not shown and not hidden:
        return None
    shown.sort(key=lambda r: (-r["reporters"], _label(r)))
    hidden.sort(key=_label)
    ordered = shown + hidden
    caption = "Counting unit: a distinct patient (or carer) whose approved comment affirms the symptom."
    if hidden:
        caption += (f" \"<{k}\" without a bar: fewer than {k} reporters; the count is hidden, so no "
                    "length is drawn for it.")
    fig, ax = _figure("Symptoms reported after the procedure, by distinct reporters", caption)
    y = list(range(len(ordered)))
    widths = [float(r["reporters"]) for r in shown]
    ax.barh(y[:len(shown)], widths, height=0.7, color=BLUE, edgecolor=BLUE, linewidth=1)
    right = max(widths, default=float(k))
    pad = right * 0.01
    for yi, row in zip(y, ordered):
        if row.get("suppressed"):
            ax.text(pad, yi, f"<{k}  (hidden)", va="center", ha="left", fontsize=12, color="#555555",
                    fontstyle="italic")
            continue
        share = row.get("share")
        text = f"{row['reporters']}" + (f" ({share:.0%})" if isinstance(share, (int, float)) else "")
        ax.text(float(row["reporters"]) + pad, yi, text, va="center", ha="left", fontsize=12)
    ax.set_yticks(y, [_label(r) for r in ordered])
    ax.set_ylim(len(ordered) - 0.5, -0.5)  # every row, hidden ones too, gets a full row of space
    ax.set_xlim(0, right * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Distinct patient reporters (share of all patient reporters)")
    return fig


def _finite_days(values: Iterable[Any]) -> list[float]:
    out = []
    for v in values or []:
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0:
            out.append(float(v))
    return out


def _median(values: list[float]) -> float:
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def build_onset(report: dict[str, Any]) -> Figure | None:
    """Strip plot of days from procedure to onset per non-suppressed symptom (relief durations are
    another quantity: the report's timeline table gives them). The median is marked from two dates up."""
    timeline = report.get("timeline") or []
    if not isinstance(timeline, list):
        raise InputError("report['timeline'] must be a list")
    rows = _rows(report)
    hidden = {r["category"] for r in rows if r.get("suppressed")}
    labels = {r["category"]: _label(r) for r in rows}
    series = []
    for entry in timeline:
        if not isinstance(entry, dict) or entry.get("category") in hidden or "category" not in entry:
            continue
        onset = _finite_days(entry.get("onset_days"))
        if onset:
            label = labels.get(entry["category"]) or _short(entry.get("label") or entry["category"])
            series.append((label, onset))
    if not series:
        return None
    series.sort(key=lambda s: (_median(s[1]), s[0]))
    caption = ("Each dot is one comment that dates the symptom's onset; the black bar marks the median "
               "where at least two comments date it. Log-like time scale.")
    fig, ax = _figure("Time from the procedure to symptom onset", caption)
    jitter = np.random.default_rng(0)  # fixed seed: the same input draws the same dots
    every: list[float] = []
    for yi, (label, onset) in enumerate(series):
        many = len(onset) > 50
        ys = yi + jitter.uniform(-0.08, 0.08, len(onset))
        ax.scatter(onset, ys, s=20 if many else 60, marker="o", facecolor=BLUE, edgecolor="white",
                   linewidth=0.5 if many else 0.8, alpha=0.35 if many else 0.9, zorder=3)
        every.extend(onset)
        if len(onset) >= 2:
            med = _median(onset)
            ax.plot([med, med], [yi - 0.3, yi + 0.3], color="black", linewidth=2.5, zorder=4)
    ax.set_xscale("symlog", linthresh=1.0, linscale=0.5)
    right = max(max(every) * 1.6, 10)
    ticks = [(d, t) for d, t in TIME_TICKS if d <= right]
    ax.set_xlim(-0.2, right)
    ax.xaxis.set_major_locator(FixedLocator([d for d, _ in ticks]))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([t for _, t in ticks])
    ax.grid(axis="x", color="#E5E5E5", linewidth=1, zorder=0)
    ax.set_axisbelow(True)
    ax.set_yticks(range(len(series)), [f"{label} (n={len(onset)})" for label, onset in series])
    ax.set_ylim(len(series) - 0.5, -0.5)
    ax.set_xlabel("Time after the procedure")
    return fig


def _signed(value: float) -> str:
    """A score with an explicit sign and a true minus sign, "+0.12" / "−0.63"."""
    return f"{value:+.2f}".replace("-", "−")


def build_sentiment(report: dict[str, Any]) -> Figure | None:
    """Diverging bars of mean sentence sentiment per non-suppressed symptom on a -1..1 axis."""
    rows = [r for r in _rows(report) if not r.get("suppressed")
            and isinstance(r.get("mean_sentiment"), (int, float)) and (r.get("reporters") or 0) > 0]
    if not rows:
        return None
    rows.sort(key=lambda r: (r["mean_sentiment"], _label(r)))
    fig, ax = _figure("Sentiment of the sentences that mention each symptom",
                      "Mean VADER compound score of the sentences that mention each symptom "
                      "(−1 most negative, +1 most positive); lexicon scores miss clinical words.")
    y = list(range(len(rows)))
    values = [float(r["mean_sentiment"]) for r in rows]
    ax.barh(y, values, height=0.7, color=[VERMILLION if v < 0 else BLUE for v in values])
    for yi, v in zip(y, values):
        ax.text(v + (0.02 if v >= 0 else -0.02), yi, _signed(v), va="center",
                ha="left" if v >= 0 else "right", fontsize=12)
    ax.axvline(0, color=DARK, linewidth=1)
    ax.set_xlim(-1.08, 1.08)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["−1\nnegative", "−0.5", "0\nneutral", "+0.5", "+1\npositive"])
    ax.set_yticks(y, [f"{_label(r)} ({r['reporters']} reporters)" for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("Mean sentence sentiment")
    return fig


def build_topics(report: dict[str, Any]) -> Figure | None:
    """Bars of topic sizes, labelled by topic label; the outlier topic (-1) greyed at the bottom."""
    topics = (report.get("topics") or {}).get("topics") or []
    if not isinstance(topics, list) or not all(isinstance(t, dict) for t in topics):
        raise InputError("report['topics']['topics'] must be a list of objects")
    sized = [t for t in topics if isinstance(t.get("size"), int) and t["size"] > 0]
    if not sized:
        return None
    regular = sorted((t for t in sized if t.get("id") != -1), key=lambda t: (-t["size"], t.get("id", 0)))
    outliers = [t for t in sized if t.get("id") == -1]
    title = "Topics in the patient comments that count, by size"
    if len(regular) > MAX_TOPICS:
        title += f" (largest {MAX_TOPICS} of {len(regular)})"
        regular = regular[:MAX_TOPICS]
    ordered = regular + outliers
    caption = "Topics found by BERTopic; labels are phrases its own comments share."
    if outliers:
        caption += " Grey: comments that fit no topic (outliers)."
    fig, ax = _figure(title, caption)
    y = list(range(len(ordered)))
    sizes = [t["size"] for t in ordered]
    names = [_short(t.get("label") or ", ".join((t.get("words") or [])[:4]) or f"topic {t.get('id')}")
             for t in regular] + ["Outliers (no topic)"] * len(outliers)
    ax.barh(y, sizes, height=0.7, color=[BLUE] * len(regular) + [GREY] * len(outliers))
    for yi, size in zip(y, sizes):
        ax.text(size + max(sizes) * 0.01, yi, str(size), va="center", ha="left", fontsize=12)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, max(sizes) * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Comments in the topic")
    return fig


BUILDERS: dict[str, Callable[[dict[str, Any]], Figure | None]] = {
    "symptom_reporters": build_symptom_reporters,
    "onset": build_onset,
    "sentiment": build_sentiment,
    "topics": build_topics,
}


def build_charts(report: dict[str, Any]) -> dict[str, Figure]:
    """Every chart that has something to show, as unsaved figures keyed by chart name."""
    if not isinstance(report, dict):
        raise InputError("the report must be a dict built by report.data.build")
    with matplotlib.rc_context(STYLE):
        figures = {name: build(report) for name, build in BUILDERS.items()}
    return {name: fig for name, fig in figures.items() if fig is not None}


def save_figure(fig: Figure, path: Path) -> None:
    """Write `fig` as a PNG without a Software/timestamp chunk, so identical input gives identical bytes."""
    with matplotlib.rc_context(STYLE):
        fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})


def render_charts(report: dict[str, Any], out_dir: Path, prefix: str = "") -> dict[str, Path]:
    """Write a PNG per chart with something to show into `out_dir`; return {chart name: path}."""
    figures = build_charts(report)
    if not figures:
        return {}
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the chart directory {out_dir}: {exc}") from exc
    written: dict[str, Path] = {}
    for name, fig in figures.items():
        path = out_dir / f"{prefix}{name}.png"
        try:
            save_figure(fig, path)
        except OSError as exc:
            raise InputError(f"cannot write the chart {path}: {exc}") from exc
        written[name] = path
    return written
