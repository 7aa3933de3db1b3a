"""Moderation decisions: an append-only event log and the decision in force per comment.

Automatic decisions come from the screening policy during `analyze`; human ones from `rhizo moderate`.
A human decision is never overwritten by an automatic one; `undo` hands a comment back to the
automatic decision by appending another event, never by editing history.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from .db import now
from .errors import DeletedError, NotFoundError, RhizoError
from .models import Analysis, Comment, CommentStatus, Flag, ModerationEvent

STATUSES = ("approved", "pending", "rejected", "withdrawn")
AUTO = "auto"
HUMAN_POLICY = "human"
SOURCE_POLICY = "source"  # the policy version of a withdrawal because the source deleted the comment


DELETED_REASON = "deleted or removed at the source"
DELETED_RULES = ({"rule": "deleted_at_source", "action": "withdraw"},)
# A decision: (comment_id, status, reason for people, rules as data [{"rule", "action"}, ...]).
Decision = tuple[int, str, str, Sequence[dict[str, str]]]


def record(session: Session, comment_id: int, status: str, *, actor: str, reason: str,
           policy_version: str, rules: Sequence[dict[str, str]] = ()) -> bool:
    """Append one decision (see `record_many`). Returns whether an event was written."""
    return record_many(session, [(comment_id, status, reason, rules)], actor=actor,
                       policy_version=policy_version) == 1


def record_many(session: Session, decisions: Sequence[Decision], *, actor: str,
                policy_version: str, final: bool = False) -> int:
    """Append decisions ``(comment_id, status, reason, rules)``, in order, each becoming the one in force,
    except an automatic decision over a human one (unless ``final``: a deletion at the source), or
    one that repeats the decision in force. Returns how many events were written."""
    for _, status, _, _ in decisions:
        if status not in STATUSES:
            raise RhizoError(f"unknown status {status!r}")
    ids = sorted({cid for cid, _, _, _ in decisions})
    if not ids:
        return 0
    human = actor != AUTO
    session.flush()  # pending ORM changes first: the statements below bypass the ORM
    conn = session.connection().connection.driver_connection  # plain sqlite3: ORM objects cost more here
    # Take the write lock before reading the decisions in force: a moderator and `analyze` working
    # at the same time then see each other's decisions instead of racing to insert the same row.
    conn.executemany("INSERT OR IGNORE INTO comment_status (comment_id, status, event_id, human) "
                     "VALUES (?, 'pending', 0, 0)", [(cid,) for cid in ids])
    current: dict[int, tuple[str, int, bool]] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        chunk = ids[start:start + 500]
        current.update((cid, (status, event_id, bool(was_human))) for cid, status, event_id, was_human
                       in conn.execute("SELECT comment_id, status, event_id, human FROM comment_status "
                                       f"WHERE comment_id IN ({','.join('?' * len(chunk))})", chunk))
    stamp, written = now(), 0
    for cid, status, reason, rules in decisions:  # in order: the last event of a comment is the one in force
        old_status, event_id, was_human = current[cid]
        if not human and was_human and not (final and old_status != status):
            continue
        if event_id != 0 and not human and not was_human and old_status == status:
            continue
        event_id = conn.execute("INSERT INTO moderation_event (comment_id, status, actor, reason, policy_version, "
                                "at, rules) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (cid, status, actor, reason, policy_version, stamp,
                                 json.dumps(list(rules)))).lastrowid
        conn.execute("UPDATE comment_status SET status = ?, event_id = ?, human = ? WHERE comment_id = ?",
                     (status, event_id, human, cid))
        current[cid] = (status, event_id, human)
        written += 1
    session.expire_all()  # CommentStatus objects loaded earlier in this session are stale now
    return written


def _check_ids(session: Session, ids: list[int]) -> None:
    found = set(session.exec(select(Comment.id).where(Comment.id.in_(ids))).all())
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"no comment with id {', '.join(map(str, missing))}")


def withdraw_deleted(session: Session, ids: Sequence[int]) -> int:
    """Comments deleted or removed at their source, for good: raw text and name dropped, derived text,
    mentions, flags and topic membership removed, status withdrawn over any decision (a human one
    too). Returns how many were newly withdrawn."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    session.flush()
    conn = session.connection()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(f"UPDATE comment SET deleted = 1, body = NULL, author = NULL WHERE id IN ({marks})",
                             tuple(chunk))
        # a deleted submission's title is its author's text too (blog titles are the blog's)
        conn.exec_driver_sql(f"UPDATE thread SET title = label WHERE key NOT LIKE 'blog:%' AND id IN (SELECT "
                             f"thread_id FROM comment WHERE kind = 'submission' AND id IN ({marks}))", tuple(chunk))
        conn.exec_driver_sql(f"UPDATE analysis SET text = '' WHERE comment_id IN ({marks})", tuple(chunk))
        for table in ("mention", "flag"):
            conn.exec_driver_sql(f"DELETE FROM {table} WHERE comment_id IN ({marks})", tuple(chunk))
        # a topic may quote its most central comment: no quote from a topic that held a deleted one
        conn.exec_driver_sql(f"UPDATE topic SET excerpt = '' WHERE id IN (SELECT topic_id FROM "
                             f"topic_assignment WHERE comment_id IN ({marks}))", tuple(chunk))
        conn.exec_driver_sql(f"DELETE FROM topic_assignment WHERE comment_id IN ({marks})", tuple(chunk))
    return record_many(session, [(cid, "withdrawn", DELETED_REASON, DELETED_RULES) for cid in ids], actor=AUTO,
                       policy_version=SOURCE_POLICY, final=True)


def _refuse_deleted(session: Session, ids: list[int]) -> None:
    gone = session.exec(select(Comment.id).where(Comment.id.in_(ids), Comment.deleted.is_(True))
                        .order_by(Comment.id)).all()
    if gone:
        which = ", ".join(map(str, gone))
        raise DeletedError(f"comment{'s' if len(gone) > 1 else ''} {which} {'were' if len(gone) > 1 else 'was'} "
                           "deleted at its source; a deleted comment cannot be approved, rejected or "
                           "counted again")


def decide(engine: Engine, ids: list[int], status: str, *, actor: str, reason: str) -> int:
    """A moderator's decision on several comments, all or none. Returns how many changed.
    Comments deleted at their source are refused (`DeletedError`): deletion is final."""
    with Session(engine) as session:
        _check_ids(session, ids)
        _refuse_deleted(session, ids)
        written = record_many(session, [(i, status, reason, ()) for i in ids], actor=actor,
                              policy_version=HUMAN_POLICY)
        session.commit()
    return written


@dataclass
class UndoResult:
    undone: list[int]  # comments handed back to the automatic decision
    not_human: dict[int, str]  # comments whose decision in force was automatic already: their status


def undo(engine: Engine, ids: list[int], *, actor: str) -> UndoResult:
    """Hand comments back to the automatic decision: the last automatic event's status is in force
    again, and later automatic runs may change it. A comment with no human decision in force is
    left as it is (and named in the result)."""
    result = UndoResult([], {})
    with Session(engine) as session:
        _check_ids(session, ids)
        for cid in ids:
            current = session.get(CommentStatus, cid)
            if current is None or not current.human:
                result.not_human[cid] = current.status if current else "pending"
                continue
            last_auto = session.exec(
                select(ModerationEvent).where(ModerationEvent.comment_id == cid,
                                              ModerationEvent.actor == AUTO)
                .order_by(ModerationEvent.id.desc())).first()
            status = last_auto.status if last_auto else "pending"
            event = ModerationEvent(comment_id=cid, status=status, actor=actor,
                                    reason=f"undo: back to the automatic decision ({status})",
                                    rules=last_auto.rules if last_auto else "[]",
                                    policy_version=last_auto.policy_version if last_auto else HUMAN_POLICY,
                                    at=now())
            session.add(event)
            session.flush()
            current.status, current.event_id, current.human = status, event.id, False
            session.add(current)
            result.undone.append(cid)
        session.commit()
    return result


@dataclass
class QueueItem:
    comment_id: int
    role: str | None
    flags: list[Flag]
    text: str | None
    deleted: bool = False  # deleted at its source: no text is kept


def queue(engine: Engine) -> list[QueueItem]:
    """Pending comments, those flagged `crisis` first, then in ingest order."""
    with Session(engine) as session:
        pending = session.exec(
            select(CommentStatus.comment_id).where(CommentStatus.status == "pending")
            .order_by(CommentStatus.comment_id)).all()
        items = [item(session, cid) for cid in pending]
    return sorted(items, key=lambda it: (not any(f.rule == "crisis" for f in it.flags), it.comment_id))


def item(session: Session, comment_id: int) -> QueueItem:
    analysis = session.get(Analysis, comment_id)
    deleted = bool(session.exec(select(Comment.deleted).where(Comment.id == comment_id)).first())
    flags = list(session.exec(select(Flag).where(Flag.comment_id == comment_id).order_by(Flag.id)).all())
    return QueueItem(comment_id, analysis.role if analysis else None, flags,
                     None if deleted or not analysis else analysis.text, deleted)


def show(engine: Engine, comment_id: int) -> tuple[QueueItem, str, list[ModerationEvent]]:
    """One comment as a moderator sees it: redacted text, flags, status and its events."""
    with Session(engine) as session:
        _check_ids(session, [comment_id])
        status = session.get(CommentStatus, comment_id)
        events = list(session.exec(select(ModerationEvent).where(
            ModerationEvent.comment_id == comment_id).order_by(ModerationEvent.id)).all())
        return item(session, comment_id), status.status if status else "pending", events


def log(engine: Engine, limit: int | None = None, comment_id: int | None = None) -> list[ModerationEvent]:
    """The audit trail, oldest first (the last ``limit`` events)."""
    with Session(engine) as session:
        query = select(ModerationEvent)
        if comment_id is not None:
            query = query.where(ModerationEvent.comment_id == comment_id)
        events = list(session.exec(query.order_by(ModerationEvent.id.desc()).limit(limit)).all())
    return events[::-1]


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        rows = session.exec(select(CommentStatus.status, func.count()).group_by(CommentStatus.status)).all()
    return dict(rows)
