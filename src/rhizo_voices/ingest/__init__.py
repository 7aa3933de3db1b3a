"""Ingest: read inputs of each kind into ParsedThreads, then store them (one module per source).

Every input named on the command line is read and parsed before anything is written, so a bad file
among several leaves the database as it was.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.engine import Engine

from ..errors import InputError
from .base import ParsedThread
from .store import IngestResult, read_text, sha256, store_threads

__all__ = ["ingest_files", "IngestResult", "PARSERS"]


def _thread(path: Path) -> tuple[str, list[ParsedThread], str]:
    text, digest = read_text(path)
    head = text.lstrip()[:2000].lower()
    if head.startswith("<") and ("<html" in head or "<!doctype" in head or "<body" in head):
        from .html import parse_thread_html
        return "html", [parse_thread_html(text, str(path))], digest
    from .thread_text import parse_thread_text
    return "thread", [parse_thread_text(text, str(path))], digest


def _reddit_json(path: Path) -> tuple[str, list[ParsedThread], str]:
    from .reddit import load_reddit_json
    _, digest = read_text(path)
    return "reddit_json", [load_reddit_json(path)], digest


def _jsonl(path: Path) -> tuple[str, list[ParsedThread], str]:
    from .jsonl import parse_jsonl
    _, digest = read_text(path)
    return "jsonl", parse_jsonl(path), digest


PARSERS: dict[str, Callable[[Path], tuple[str, list[ParsedThread], str]]] = {
    "thread": _thread, "reddit-json": _reddit_json, "jsonl": _jsonl,
}


# Far above any forum's own limit (Reddit: 10,000 characters a comment, 40,000 a post); a longer
# "comment" is a pasted document or a broken export, and would stall analysis for minutes.
MAX_COMMENT_CHARS = 100_000


def _check_sizes(path: Path, threads: list[ParsedThread]) -> None:
    for thread in threads:
        for c in thread.comments:
            if len(c.body) > MAX_COMMENT_CHARS:
                raise InputError(f"{path}: comment {c.native_id} is {len(c.body):,} characters, over the "
                                 f"limit of {MAX_COMMENT_CHARS:,}; shorten or split it")


def ingest_files(engine: Engine, db_file: Path, fmt: str, paths: Sequence[Path]) -> list[IngestResult]:
    """Parse every file of format ``fmt`` and check it, then store each (a transaction per file)."""
    parsed = [(path, *PARSERS[fmt](path)) for path in paths]
    for path, _, threads, _ in parsed:
        _check_sizes(path, threads)
    return [store_threads(engine, db_file, threads, kind=kind, locator=str(path), content_hash=digest)
            for path, kind, threads, digest in parsed]


def ingest_threads(engine: Engine, db_file: Path, kind: str, locator: str,
                   threads: Sequence[ParsedThread]) -> IngestResult:
    """Store threads that came from a live source (``locator`` names the query, never credentials)."""
    return store_threads(engine, db_file, list(threads), kind=kind, locator=locator,
                         content_hash=sha256(locator))
