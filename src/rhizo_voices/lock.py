"""One writer at a time: `analyze`, `demo`, `resync` and `purge-raw` hold an exclusive lock on a file
beside the database (``<db>-writer``) for as long as they run.

The lock is an advisory `flock`, so the operating system releases it when its holder exits, however
it exits: a killed run never leaves a stale lock. The file names its holder (command, pid, since) so a
second run can say who it waits for. Moderation does not take it: SQLite's own locking keeps a
moderator's decisions and a running analysis apart.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .db import now
from .errors import BusyError


def lock_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + "-writer")


def holder(path: Path) -> dict:
    """Who holds the lock, as its holder wrote it (empty while it is being written)."""
    for _ in range(20):
        try:
            text = path.read_text()
        except OSError:
            return {}
        if text:
            try:
                return json.loads(text)
            except ValueError:
                pass
        time.sleep(0.05)
    return {}


def describe(info: dict) -> str:
    if not info:
        return "another rhizo process"
    return f"`rhizo {info.get('command', '?')}` (pid {info.get('pid', '?')}, since {info.get('since', '?')})"


@contextlib.contextmanager
def writer_lock(db_file: Path, command: str, *, wait: bool = False,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the database's writer lock while the block runs. Busy: `BusyError` naming the holder, or
    with ``wait`` block until it is free (``on_wait`` hears whom we wait for)."""
    path = lock_path(db_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = describe(holder(path))
            if not wait:
                raise BusyError(f"{db_file} is being written by {who}; wait for it to finish, or "
                                "run again with --wait") from None
            if on_wait:
                on_wait(f"waiting for {who} to finish writing {db_file} ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"command": command, "pid": os.getpid(), "since": now()}).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
