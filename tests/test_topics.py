"""Topics: size-aware strategy, determinism, and the embedding cache (fast stand-in embedder)."""
from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from rhizo_voices.db import now
from rhizo_voices.ingest.base import ParsedThread, RawComment
from rhizo_voices.ingest.store import store_threads
from rhizo_voices.models import Analysis, CommentStatus, Topic, TopicAssignment
from rhizo_voices.topics import update_topics

THEMES = [
    "my leg burns like fire and the burning in my calf and foot never stops",
    "I keep falling, I fell twice on the stairs and my balance is gone",
    "the pain came back after a year of relief, the relief wore off and pain returned",
]


def corpus(engine, db_file, n):
    comments = [RawComment(native_id=str(i), parent_id=None, author=f"a{i}",
                           body=f"{THEMES[i % 3]} (note {i})") for i in range(n)]
    store_threads(engine, db_file, [ParsedThread(key="jsonl:t", title="t", comments=comments)],
                  kind="jsonl", locator="test", content_hash="x")
    with Session(engine) as s:
        for i in range(1, n + 1):
            s.add(Analysis(comment_id=i, input_hash="h", role="patient", text=comments[i - 1].body,
                           sentiment=0.0, analyzed_at=now()))
            s.add(CommentStatus(comment_id=i, status="approved", event_id=0))
        s.commit()


def stored(engine):
    with Session(engine) as s:
        topics = [(t.id, t.size, json.loads(t.words)[:3]) for t in s.exec(select(Topic).order_by(Topic.id))]
        assigned = [a.topic_id for a in s.exec(select(TopicAssignment).order_by(TopicAssignment.comment_id))]
    return topics, assigned


def test_too_few_comments_fit_no_model(engine, db_file, fake_embedder):
    corpus(engine, db_file, 4)
    run = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    assert (run.documents, run.strategy, run.topics) == (4, "none", 0)
    assert fake_embedder.calls == []
    assert stored(engine) == ([], [])


@pytest.mark.parametrize("n, k", [(6, 2), (30, 3), (60, 3)])  # 3 distinct texts: k <= 3
def test_small_corpora_use_kmeans_and_leave_no_outlier(engine, db_file, fake_embedder, n, k):
    corpus(engine, db_file, n)
    run = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    assert (run.documents, run.strategy, run.topics, run.outliers) == (n, "kmeans", k, 0)
    topics, assigned = stored(engine)
    assert len(assigned) == n and sum(size for _, size, _ in topics) == n


def test_same_seed_same_topics_and_cache_hit_on_second_run(engine, db_file, fake_embedder):
    corpus(engine, db_file, 30)
    first = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    before = stored(engine)
    second = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    assert (first.embedded, second.embedded) == (30, 0)
    assert fake_embedder.calls == [30]  # the second run embedded nothing
    assert stored(engine) == before
