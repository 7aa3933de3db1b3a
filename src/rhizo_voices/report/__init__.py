"""The aggregate report: markdown (with PNG charts beside it), JSON or CSV."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from . import data, markdown

FORMATS = ("md", "json", "csv")
CSV_COLUMNS = ("category", "label", "reporters", "comments", "share", "median_onset_days",
               "mean_sentiment", "suppressed")


def format_for(output: Path | None) -> str:
    """The format a file name asks for: .json -> json, .csv -> csv, anything else markdown."""
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in ("json", "csv") else "md"


def render(engine: Engine, fmt: str = "md", min_cell: int = 5, charts: dict[str, str] | None = None) -> str:
    """The report as text. ``charts`` maps chart names to the paths markdown should link."""
    return _format(data.build(engine, min_cell), fmt, charts or {})


def write(engine: Engine, output: Path, fmt: str = "md", min_cell: int = 5) -> list[Path]:
    """Write the report to ``output`` (atomically); for markdown also its charts, beside it, named
    ``<stem>-<chart>.png``. Returns every file written."""
    report = data.build(engine, min_cell)
    output.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    links: dict[str, str] = {}
    if fmt == "md":
        from .charts import render_charts
        for name, path in render_charts(report, output.parent, prefix=f"{output.stem}-").items():
            links[name] = path.name
            written.append(path)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(_format(report, fmt, links), encoding="utf-8")
    tmp.replace(output)  # never a half-written report
    return [output, *written]


def _format(report: dict[str, Any], fmt: str, charts: dict[str, str]) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return to_csv(report)
    return markdown.render(report, charts)


def to_csv(report: dict[str, Any]) -> str:
    """The symptom table: one row per category; suppressed cells are empty."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in report["symptoms"]:
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in CSV_COLUMNS})
    return buf.getvalue()
