"""What every source parser returns: threads of raw comments, before anything is derived from them."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True)
class RawComment:
    """One comment (or Reddit submission) exactly as the source gave it."""

    native_id: str  # unique within its thread: "6.1.1" for text threads, "t1_abc" on Reddit
    parent_id: str | None  # native_id of the parent in the same thread; None for top level
    author: str | None  # raw author name as shown; None when deleted or unknown
    body: str
    created: str | None = None  # ISO 8601 when the source says
    kind: str = "comment"  # "comment" | "submission"
    score: int | None = None
    permalink: str | None = None
    deleted: bool = False  # the source shows "[deleted]" / "[removed]"
    post_author: bool = False  # the source marks this author as the article's author


@dataclass
class ParsedThread:
    """A thread: its stable key, its title and its comments in source order."""

    key: str  # stable across re-ingests: "blog:<slug>", "reddit:<submission id>", "jsonl:<thread>"
    title: str
    url: str | None = None
    comments: list[RawComment] = field(default_factory=list)


def read_bytes(path: Path) -> bytes:
    """A file's bytes; a missing or unreadable file is an InputError naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
