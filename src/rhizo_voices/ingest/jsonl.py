"""Comments as JSON Lines, one object a line, in the shape DESIGN fixes::

    {"id": "c1", "thread": "t1", "author": "ann", "created": "2024-01-02T10:00:00Z", "parent": null,
     "body": "text"}

``id`` and ``thread`` are strings or integers; ``author`` and ``created`` may be null; ``parent`` is
the ``id`` of another comment of the same thread in the same file (it may come later in the file) or
null; ``body`` is a string (``[deleted]`` / ``[removed]`` mark a deleted comment). ``created`` is ISO
8601 or a Unix timestamp in seconds. Other keys are ignored; blank lines are skipped. Every problem is
reported as ``FILE:LINE: what is wrong``.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import InputError
from .base import ParsedThread, RawComment, read_bytes

REQUIRED = ("id", "thread", "author", "created", "parent", "body")
GONE_BODIES = frozenset({"[deleted]", "[removed]"})


def _ident(value: Any, key: str, where: str, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        kind = "a string or integer" + (" or null" if nullable else "")
        raise InputError(f"{where}: {key!r} must be {kind}, not {json.dumps(value)[:40]}")
    return str(value)


def _created(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):
            raise InputError(f"{where}: 'created' {value} is not a usable Unix timestamp") from None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).isoformat()
        except ValueError:
            raise InputError(f"{where}: 'created' {value[:40]!r} is not an ISO 8601 date") from None
    raise InputError(f"{where}: 'created' must be an ISO 8601 string, a Unix timestamp or null")


def _record(line: bytes, where: str) -> dict[str, Any]:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not valid UTF-8 (byte {exc.start} of the line)") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object, found {type(obj).__name__}")
    missing = [k for k in REQUIRED if k not in obj]
    if missing:
        raise InputError(f"{where}: missing key{'s' if len(missing) > 1 else ''} "
                         + ", ".join(repr(k) for k in missing))
    return obj


def parse_jsonl(path: Path) -> list[ParsedThread]:
    """One :class:`ParsedThread` per distinct ``thread`` (key ``jsonl:<thread>``), in order of first
    appearance, comments in file order. Any bad line, duplicate id, unknown or cross-thread parent,
    or a parent cycle is an :class:`InputError` ``FILE:LINE: ...``; so is an empty file."""
    data = read_bytes(path).removeprefix(b"\xef\xbb\xbf")
    threads: dict[str, ParsedThread] = {}
    lines: dict[str, int] = {}  # comment id -> line number
    thread_of: dict[str, str] = {}
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        obj = _record(line.rstrip(b"\r"), where)
        cid = _ident(obj["id"], "id", where)
        thread = _ident(obj["thread"], "thread", where)
        parent = _ident(obj["parent"], "parent", where, nullable=True)
        author = obj["author"]
        if author is not None and not isinstance(author, str):
            raise InputError(f"{where}: 'author' must be a string or null")
        body = obj["body"]
        if not isinstance(body, str):
            raise InputError(f"{where}: 'body' must be a string")
        if cid in lines:
            raise InputError(f"{where}: duplicate id {cid!r} (first on line {lines[cid]})")
        if parent == cid:
            raise InputError(f"{where}: comment {cid!r} is its own parent")
        lines[cid] = number
        thread_of[cid] = thread
        target = threads.setdefault(thread, ParsedThread(key=f"jsonl:{thread}", title=thread))
        target.comments.append(RawComment(
            native_id=cid, parent_id=parent, author=(author.strip() or None) if author else None,
            body=body, created=_created(obj["created"], where), deleted=body.strip() in GONE_BODIES,
        ))
    if not threads:
        raise InputError(f"{path}: empty file, no comments")
    _check_parents(path, threads, lines, thread_of)
    return list(threads.values())


def _check_parents(path: Path, threads: dict[str, ParsedThread], lines: dict[str, int],
                   thread_of: dict[str, str]) -> None:
    """Every parent exists in the file, in the same thread, and no chain of parents loops."""
    parent_of: dict[str, str | None] = {}
    for key, thread in threads.items():
        for c in thread.comments:
            where = f"{path}:{lines[c.native_id]}"
            if c.parent_id is not None and c.parent_id not in lines:
                raise InputError(f"{where}: parent {c.parent_id!r} is not an id in this file")
            if c.parent_id is not None and thread_of[c.parent_id] != key:
                raise InputError(f"{where}: parent {c.parent_id!r} belongs to thread "
                                 f"{thread_of[c.parent_id]!r}, not {key!r}")
            parent_of[c.native_id] = c.parent_id
    settled: set[str] = set()  # ids whose chain of parents is known to reach the top
    for start in parent_of:
        chain: list[str] = []
        on_chain: set[str] = set()
        node: str | None = start
        while node is not None and node not in settled:
            if node in on_chain:
                raise InputError(f"{path}:{lines[node]}: comment {node!r} is its own ancestor "
                                 "(parents form a loop)")
            chain.append(node)
            on_chain.add(node)
            node = parent_of[node]
        settled.update(chain)
