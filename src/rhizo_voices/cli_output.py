"""Tab-separated output for the commands that list rows (sources, queue, log, --explain)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import click


def cell(value: object) -> str:
    """A value as one tab-separated cell: tabs, newlines and other control characters become spaces."""
    if value is None:
        return ""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(value)).split())


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Rows under a header line, each value kept to its own column."""
    click.echo("\t".join(header))
    for row in rows:
        click.echo("\t".join(cell(v) for v in row))
