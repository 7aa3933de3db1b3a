"""The aggregate report: `render(engine, fmt, min_cell)` gives markdown, JSON or CSV text."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy.engine import Engine

from . import data, markdown

FORMATS = ("md", "json", "csv")
CSV_COLUMNS = ("category", "label", "reporters", "comments", "share", "median_onset_days",
               "mean_sentiment", "suppressed")


def render(engine: Engine, fmt: str = "md", min_cell: int = 5) -> str:
    report = data.build(engine, min_cell)
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return to_csv(report)
    return markdown.render(report)


def to_csv(report: dict[str, Any]) -> str:
    """The symptom table: one row per category; suppressed cells are empty."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in report["symptoms"]:
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in CSV_COLUMNS})
    return buf.getvalue()
