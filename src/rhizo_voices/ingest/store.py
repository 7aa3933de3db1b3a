"""Writing parsed threads into the raw tables: idempotent, one transaction per input."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..db import now, pseudonym, reporter_key, safe_label
from ..errors import InputError
from ..models import Comment, Source, Thread
from .base import ParsedThread, read_bytes


@dataclass
class IngestResult:
    locator: str
    threads: int
    new: int
    updated: int
    seen: int
    withdrawn: int = 0  # comments now deleted at the source, withdrawn for good


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def read_text(path: Path) -> tuple[str, str]:
    """A file's text and content hash; an unreadable or binary file is an InputError naming it."""
    data = read_bytes(path)
    if b"\0" in data[:8192]:
        raise InputError(f"{path}: binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 (byte {exc.start})") from None
    return text, sha256(data)


def reporter_scope(source_kind: str, thread_key: str) -> str:
    """Who is the same person: on Reddit and in JSONL exports an author name is an account, shared
    across threads; on a blog it is a name typed into a form, meaningful only within its thread."""
    return source_kind if source_kind in ("reddit", "reddit_json", "jsonl") else thread_key


def store_threads(engine: Engine, db_file: Path, threads: list[ParsedThread], *, kind: str,
                  locator: str, content_hash: str) -> IngestResult:
    """Store threads from one input. Comments already stored (same thread, same native id) are kept,
    or updated when their text changed. A comment deleted at the source is withdrawn at once and keeps
    no raw text (`moderation.withdraw_deleted`)."""
    from ..moderation import withdraw_deleted
    key = reporter_key(db_file)
    scope_kind = "reddit" if kind.startswith("reddit") else kind
    new = updated = seen = 0
    stamp = now()
    gone: list[int] = []  # comment ids deleted at the source
    with Session(engine) as session:
        source = Source(kind=kind, locator=locator, content_hash=content_hash, fetched_at=stamp)
        session.add(source)
        session.flush()
        for parsed in threads:
            thread = session.exec(select(Thread).where(Thread.key == parsed.key)).first()
            if thread is None:
                thread = Thread(key=parsed.key, label=safe_label(key, parsed.key), title=parsed.title,
                                url=parsed.url, source_kind=kind)
                session.add(thread)
                session.flush()
            conn = session.connection()
            existing = {row[0]: row[1:] for row in conn.execute(
                select(Comment.native_id, Comment.id, Comment.deleted, Comment.body_hash,
                       Comment.body.is_(None)).where(Comment.thread_id == thread.id))}
            position = len(existing)
            scope = reporter_scope(scope_kind, parsed.key)
            rows: list[dict] = []  # new comments, inserted with one Core statement per thread
            for raw in parsed.comments:
                seen += 1
                body_hash = sha256(raw.body)
                old = existing.get(raw.native_id)
                if old is not None:
                    cid, deleted, old_hash, purged = old
                    if raw.deleted and not deleted:
                        gone.append(cid)
                        updated += 1
                    elif not raw.deleted and not purged and old_hash != body_hash:
                        conn.execute(update(Comment).where(Comment.id == cid)
                                     .values(body=raw.body, body_hash=body_hash))
                        updated += 1
                    continue
                position += 1
                rows.append(dict(
                    thread_id=thread.id, source_id=source.id, native_id=raw.native_id,
                    parent_native_id=raw.parent_id, parent_id=None, position=position, kind=raw.kind,
                    author=None if raw.deleted else raw.author,
                    reporter=pseudonym(key, scope, raw.author, f"{parsed.key}/{raw.native_id}"),
                    body=None if raw.deleted else raw.body, body_hash=body_hash, created_at=raw.created, score=raw.score,
                    permalink=raw.permalink, deleted=raw.deleted, post_author=raw.post_author,
                    ingested_at=stamp))
                existing[raw.native_id] = (None, raw.deleted, body_hash, False)
                new += 1
            if rows:
                conn.execute(insert(Comment.__table__), rows)
                born_gone = [r["native_id"] for r in rows if r["deleted"]]
                if born_gone:
                    gone += conn.execute(select(Comment.id).where(
                        Comment.thread_id == thread.id, Comment.native_id.in_(born_gone))).scalars().all()
            _link_parents(session, thread.id)
        withdrawn = withdraw_deleted(session, gone)
        source.comments_new, source.comments_seen = new, seen
        if new or updated:
            session.commit()
        else:
            session.rollback()  # nothing came of it: leave no trace, not even a source row
    return IngestResult(locator, len(threads), new, updated, seen, withdrawn)


def _link_parents(session: Session, thread_id: int) -> None:
    """Resolve parent native ids to comment ids in one statement (the unique index makes it fast)."""
    session.connection().exec_driver_sql(
        """UPDATE comment SET parent_id = (
               SELECT p.id FROM comment p
               WHERE p.thread_id = comment.thread_id AND p.native_id = comment.parent_native_id)
           WHERE thread_id = ? AND parent_id IS NULL AND parent_native_id IS NOT NULL""",
        (thread_id,))


def purge_raw(engine: Engine) -> int:
    """Drop raw author names and bodies (and user-authored thread titles) of analysed comments and of
    comments deleted at the source, for good. Counts, views and reports keep working from the
    redacted text. Returns comments purged."""
    from ..models import Analysis
    from ..moderation import withdraw_deleted
    with Session(engine) as session:
        analysed = select(Analysis.comment_id)
        deleted = session.exec(select(Comment.id).where(Comment.deleted.is_(True),
                                                        Comment.body.is_not(None))).all()
        withdraw_deleted(session, deleted)  # older databases kept their text
        purged = len(deleted) + session.exec(update(Comment).where(
            Comment.id.in_(analysed), Comment.body.is_not(None)).values(author=None, body=None)).rowcount
        session.exec(update(Thread).where(~Thread.key.startswith("blog:")).values(title=Thread.label))
        session.commit()
    return purged


def list_sources(engine: Engine) -> list[Source]:
    """Every ingest run, oldest first."""
    with Session(engine) as session:
        return list(session.exec(select(Source).order_by(Source.id)).all())
