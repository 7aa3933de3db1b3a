"""Live Reddit collection through praw, incremental per query, and the deletion re-sync."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..models import Comment, Meta, Thread
from . import ingest_threads
from .store import IngestResult


def _state_key(subreddits: Sequence[str], query: str | None, time_filter: str) -> str:
    spec = json.dumps([sorted(s.lower() for s in subreddits), query, time_filter])
    return "reddit.since." + hashlib.sha256(spec.encode()).hexdigest()[:16]


def collect_reddit(engine: Engine, db_file: Path, *, subreddits: Sequence[str], query: str | None,
                   time_filter: str, limit: int, more_limit: int, submissions: Sequence[str],
                   site: str | None, say: Callable[[str], None],
                   requestor_kwargs: dict | None = None,
                   progress: Callable[[int], None] | None = None) -> IngestResult:
    """Search subreddits (and fetch named submissions) and store what is new since the last run of
    the same search. Credentials come from praw.ini or praw_* variables, never from or into the db."""
    from .reddit import fetch_submissions, make_reddit, search_threads
    reddit = make_reddit(site, requestor_kwargs)
    state = _state_key(subreddits, query, time_filter)
    with Session(engine) as session:
        row = session.get(Meta, state)
        since = float(row.value) if row else None
    threads = []
    if subreddits:
        threads += list(search_threads(reddit, subreddits, query, time_filter, limit, since,
                                       more_limit, progress))
    if submissions:
        threads += list(fetch_submissions(reddit, submissions, more_limit))
    say(f"fetched {len(threads)} thread(s)" + (" new since the last run" if since else ""))
    locator = "reddit " + " ".join(
        [f"r/{s}" for s in subreddits] + ([f"query={query!r}"] if query else [])
        + [f"time={time_filter}"] + list(submissions))
    result = ingest_threads(engine, db_file, "reddit", locator, threads)
    created = [c.created for t in threads for c in t.comments if c.kind == "submission" and c.created]
    if created and subreddits:
        from datetime import datetime
        newest = max(datetime.fromisoformat(c.replace("Z", "+00:00")).timestamp() for c in created)
        with Session(engine) as session:
            session.merge(Meta(key=state, value=str(max(newest, since or 0))))
            session.commit()
    return result


def resync_reddit(engine: Engine, site: str | None, requestor_kwargs: dict | None = None) -> int:
    """Ask Reddit which stored comments were deleted or removed since and withdraw them at once, for
    good (`moderation.withdraw_deleted`). Returns how many were withdrawn."""
    from ..moderation import withdraw_deleted
    from .reddit import make_reddit, removed_ids
    with Session(engine) as session:
        stored = session.exec(select(Comment).join(Thread, Thread.id == Comment.thread_id).where(
            Thread.source_kind.in_(("reddit", "reddit_json")), Comment.deleted.is_(False))).all()
        if not stored:
            return 0
        gone = removed_ids(make_reddit(site, requestor_kwargs), [c.native_id for c in stored])
        withdrawn = withdraw_deleted(session, [c.id for c in stored if c.native_id in gone])
        session.commit()
    return withdrawn
