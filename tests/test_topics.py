"""Topics: size-aware strategy, determinism, and the embedding cache (fast stand-in embedder)."""
from __future__ import annotations

import dataclasses
import json
import random

import pytest
from sqlmodel import Session, select

from rhizo_voices.db import now
from rhizo_voices.ingest.base import ParsedThread, RawComment
from rhizo_voices.ingest.store import store_threads
from rhizo_voices import topics as topics_module
from rhizo_voices.models import Analysis, CommentStatus, Mention, Topic, TopicAssignment
from rhizo_voices.topics import update_topics

THEMES = [
    "my leg burns like fire and the burning in my calf and foot never stops",
    "I keep falling, I fell twice on the stairs and my balance is gone",
    "the pain came back after a year of relief, the relief wore off and pain returned",
]


FILLER = "today again really still very quite also maybe often mostly".split()


def corpus(engine, db_file, n):
    rng = random.Random(n)
    approved(engine, db_file, [f"{THEMES[i % 3]} {' '.join(rng.sample(FILLER, 3))}" for i in range(n)],
             authors=max(1, n // 2))


def approved(engine, db_file, bodies, authors=None):
    """One thread of approved patient comments with these bodies (``authors`` distinct writers)."""
    n = len(bodies)
    comments = [RawComment(native_id=str(i), parent_id=None, author=f"a{i % (authors or n)}", body=body)
                for i, body in enumerate(bodies)]
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


@pytest.mark.parametrize("n, k", [(5, 2), (50, 5), (500, 12)])
def test_kmeans_regime_grows_k_and_leaves_no_outlier(engine, db_file, fake_embedder, n, k):
    corpus(engine, db_file, n)
    run = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    assert (run.documents, run.strategy, run.topics, run.outliers) == (n, "kmeans", k, 0)
    topics, assigned = stored(engine)
    assert len(assigned) == n and sum(size for _, size, _ in topics) == n
    assert 0.0 <= run.stability <= 1.0


def test_large_regime_uses_umap_hdbscan_and_reduces_outliers(engine, db_file, fake_embedder, monkeypatch):
    monkeypatch.setattr(topics_module, "KMEANS_MAX_DOCS", 100)  # 500 comments count as "large" here
    corpus(engine, db_file, 500)
    run = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    assert (run.documents, run.strategy) == (500, "umap+hdbscan")
    assert run.topics >= 2 and run.outliers <= 0.2 * 500
    topics, assigned = stored(engine)
    assert len(assigned) == 500 and sum(size for _, size, _ in topics) == 500


def test_topics_carry_symptoms_sentiment_and_a_central_excerpt(engine, db_file, fake_embedder):
    corpus(engine, db_file, 30)
    with Session(engine) as s:
        for i in range(1, 31, 3):  # the leg-burning theme
            s.add(Mention(comment_id=i, category="leg_burning", assertion="affirmed", experiencer="self",
                          evidence="leg burns", sentiment=-0.5))
        s.commit()
    update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    with Session(engine) as s:
        burning = [t for t in s.exec(select(Topic)) if "leg_burning" in json.loads(t.symptoms)]
    # authors repeat every 15 comments: 10 comments of the theme come from 5 distinct reporters
    assert len(burning) == 1 and burning[0].size == 10 and burning[0].reporters == 5
    assert burning[0].excerpt.startswith("my leg burns like fire")


def test_same_seed_same_topics_and_cache_hit_on_second_run(engine, db_file, fake_embedder):
    corpus(engine, db_file, 30)
    first = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    before = stored(engine)
    same = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    assert same == dataclasses.replace(first, embedded=0)  # unchanged input: the last fit, not refitted
    second = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake", force=True)
    assert (first.embedded, same.embedded, second.embedded) == (30, 0, 0)
    assert first.stability == second.stability
    assert fake_embedder.calls == [30]  # the second run embedded nothing
    assert stored(engine) == before


def test_interrupted_embedding_keeps_the_chunks_done(engine, db_file, fake_embedder, monkeypatch):
    corpus(engine, db_file, 30)
    monkeypatch.setattr(topics_module, "EMBED_CHUNK", 8)

    def failing_third_chunk(texts):
        if len(fake_embedder.calls) == 2:
            raise KeyboardInterrupt
        return fake_embedder(texts)
    seen: list[tuple[int, int]] = []
    with pytest.raises(KeyboardInterrupt):
        update_topics(engine, embedder=lambda: failing_third_chunk, model_name="fake",
                      progress=lambda done, total: seen.append((done, total)))
    with Session(engine) as s:
        assert len(s.exec(select(topics_module.Embedding)).all()) == 16
    assert seen == [(8, 30), (16, 30)]
    seen.clear()
    run = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake",
                        progress=lambda done, total: seen.append((done, total)))
    assert (run.embedded, fake_embedder.calls, seen) == (14, [8, 8, 8, 6], [(8, 14), (14, 14)])


def test_topic_words_have_no_padding_and_outliers_are_not_quoted_as_small(engine, db_file, fake_embedder):
    from rhizo_voices.report import data as report_data
    from rhizo_voices.report.markdown import render
    approved(engine, db_file, ["so helpful, thanks" if i % 3 == 0 else THEMES[i % 3] for i in range(30)])
    update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    words = [json.loads(t.words) for t in Session(engine).exec(select(Topic)).all()]
    assert ["helpful", "thanks"] in words  # fewer than 8 words: BERTopic pads the list with ''
    assert all(w for ws in words for w in ws)
    with Session(engine) as s:
        s.add(Topic(id=-1, label="outliers", size=12, words='["pain"]', symptoms="[]", reporters=12,
                    sentiment=0.0, excerpt="My rfa was 8 days ago."))
        s.commit()
    report = render(report_data.build(engine, min_cell=5))
    assert "| outliers | 12 | – | +0.00 | pain | (outliers: not quoted) |" in report.splitlines()
