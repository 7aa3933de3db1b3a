"""The decision log: append-only events, human decisions beat automatic ones, undo is an event."""
from __future__ import annotations

import pytest
from sqlmodel import Session, select

from conftest import SEED_THREAD
from rhizo_voices import moderation
from rhizo_voices.errors import NotFoundError
from rhizo_voices.ingest import ingest_files
from rhizo_voices.models import CommentStatus, ModerationEvent


@pytest.fixture
def seeded(engine, db_file):
    ingest_files(engine, db_file, "thread", [SEED_THREAD])
    return engine


def auto(engine, cid, status, reason="policy"):
    with Session(engine) as s:
        wrote = moderation.record(s, cid, status, actor=moderation.AUTO, reason=reason, policy_version="p1")
        s.commit()
    return wrote


def status_of(engine, cid):
    with Session(engine) as s:
        return s.get(CommentStatus, cid).status


def test_automatic_rerun_keeps_a_human_decision(seeded):
    assert auto(seeded, 4, "pending", "crisis") is True
    assert auto(seeded, 4, "pending", "crisis") is False  # the same decision again writes nothing
    assert moderation.decide(seeded, [4], "approved", actor="ana", reason="read it") == 1
    assert auto(seeded, 4, "pending", "crisis") is False
    assert status_of(seeded, 4) == "approved"
    assert [(e.status, e.actor) for e in moderation.log(seeded)] == [("pending", "auto"), ("approved", "ana")]


def test_undo_appends_an_event_and_restores_the_automatic_decision(seeded):
    auto(seeded, 4, "pending", "crisis")
    moderation.decide(seeded, [4], "rejected", actor="ana", reason="spam")
    assert moderation.undo(seeded, [4], actor="bo") == moderation.UndoResult([4], {})
    assert status_of(seeded, 4) == "pending"
    events = moderation.log(seeded, comment_id=4)
    assert [(e.status, e.actor, e.reason) for e in events] == [
        ("pending", "auto", "crisis"), ("rejected", "ana", "spam"),
        ("pending", "bo", "undo: back to the automatic decision (pending)")]
    assert auto(seeded, 4, "approved") is True  # automatic decisions apply again after undo


def test_decisions_on_unknown_ids_change_nothing(seeded):
    with pytest.raises(NotFoundError, match="^no comment with id 999$"):
        moderation.decide(seeded, [1, 999], "approved", actor="ana", reason="x")
    with Session(seeded) as s:
        assert s.exec(select(ModerationEvent)).all() == []


def test_queue_puts_crisis_first(seeded):
    from rhizo_voices.models import Flag
    for cid in (2, 3, 5):
        auto(seeded, cid, "pending")
    with Session(seeded) as s:
        s.add(Flag(comment_id=5, rule="crisis", reason="hopelessness", evidence="no hope"))
        s.add(Flag(comment_id=2, rule="off_topic", reason="knee", evidence="knee"))
        s.commit()
    assert [it.comment_id for it in moderation.queue(seeded)] == [5, 2, 3]
