"""Topics: size-aware strategy, reproducibility, readable labels and the embedding cache (fast stand-in
embedder; the real model is checked by hand, see scripts/bench_results.md)."""
from __future__ import annotations

import dataclasses
import json
import random

import pytest
from sqlmodel import Session, select

from rhizo_voices.db import now
from rhizo_voices.ingest.base import ParsedThread, RawComment
from rhizo_voices.ingest.store import store_threads
from rhizo_voices import topic_model
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


def test_large_regime_fits_a_sample_and_assigns_every_comment(engine, db_file, fake_embedder, monkeypatch):
    monkeypatch.setattr(topic_model, "KMEANS_MAX_DOCS", 100)  # 500 comments count as "large" here
    monkeypatch.setattr(topic_model, "FIT_SAMPLE", 300)
    corpus(engine, db_file, 500)
    run = update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    assert (run.documents, run.strategy, run.fitted_on, run.outliers) == (500, "pca+kmeans", 300, 0)
    assert 2 <= run.topics <= topic_model.MAX_TOPICS
    topics, assigned = stored(engine)
    assert len(assigned) == 500 and sum(size for _, size, _ in topics) == 500 and -1 not in assigned


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
    with Session(engine) as s:
        docs = set(s.exec(select(Analysis.text)).all())
    texts: list[str] = []

    def recording(batch):
        texts.extend(batch)
        return fake_embedder(batch)
    first = update_topics(engine, embedder=lambda: recording, model_name="fake")
    before = stored(engine)
    same = update_topics(engine, embedder=lambda: recording, model_name="fake")
    assert same == dataclasses.replace(first, embedded=0)  # unchanged input: the last fit, not refitted
    second = update_topics(engine, embedder=lambda: recording, model_name="fake", force=True)
    assert (first.embedded, same.embedded, second.embedded) == (30, 0, 0)
    assert first.stability == second.stability
    # each comment embedded once, by the first run; the other calls embed label phrases only
    assert fake_embedder.calls[0] == 30 and len(docs) == 30
    assert sorted(t for t in texts if t in docs) == sorted(docs)
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
    assert (run.embedded, fake_embedder.calls[:4], seen) == (14, [8, 8, 8, 6], [(8, 14), (14, 14)])


def test_topic_words_have_no_padding_and_outliers_are_not_quoted_as_small(engine, db_file, fake_embedder):
    from rhizo_voices.report import data as report_data
    from rhizo_voices.report.markdown import render
    approved(engine, db_file, ["so helpful, thanks" if i % 3 == 0 else THEMES[i % 3] for i in range(30)])
    update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    words = [json.loads(t.words) for t in Session(engine).exec(select(Topic)).all()]
    assert ["helpful"] in words  # fewer words than asked for: BERTopic pads the list with ''
    assert all(w for ws in words for w in ws)
    with Session(engine) as s:
        s.add(Topic(id=-1, label="outliers", size=12, words='["pain"]', symptoms="[]", reporters=12,
                    sentiment=0.0, excerpt="My rfa was 8 days ago."))
        s.commit()
    report = render(report_data.build(engine, min_cell=5))
    assert "| outliers | 12 | – | +0.00 | (outliers: not quoted) |" in report.splitlines()


def test_words_and_labels_hold_no_placeholder_handle_or_domain_stop_word(engine, db_file, fake_embedder):
    bodies = [f"[NAME] said my legs were burning after the rfa procedure, /u/helper{i} too. "
              f"Burning legs at night [PLACE] every night since" if i % 2 else
              f"u/walker{i} fell twice on the stairs at [PLACE], my balance is gone having had the pain"
              for i in range(40)]
    approved(engine, db_file, bodies)
    update_topics(engine, embedder=lambda: fake_embedder, model_name="fake")
    with Session(engine) as s:
        topics = s.exec(select(Topic).order_by(Topic.size.desc(), Topic.id)).all()
    terms = [w for t in topics for w in json.loads(t.words)] + [t.label for t in topics]
    assert terms and all(not any(bad in w.split() for bad in ("name", "place", "u", "rfa", "procedure",
                                                               "pain", "having", "helper1", "walker0"))
                         for w in terms)
    assert not any("helper" in w or "walker" in w or "[" in w for w in terms)
    labels = sorted(t.label for t in topics)
    assert labels == ["balance is gone; fell twice; stairs", "legs at night; legs were burning; burning legs"]


def test_labels_prefer_phrases_and_stay_short():
    from rhizo_voices.topic_labels import analyzer, label
    assert label(["numb", "numb toes", "toes", "foot numb", "left foot numb"]) == "numb toes; foot numb"
    assert label(["gave", "legs"]) == "gave; legs"
    assert len(label(["a" * 30 + " b", "c" * 30 + " d", "e f"])) <= 60
    assert analyzer("Dr [NAME] burned my nerves. @walker leg gave way") == [
        "burned", "leg", "leg gave", "leg gave way", "gave", "gave way", "way"]  # "nerves": domain stop


def _fresh_run(folder, corpus_file):
    """Ingest and analyse ``corpus_file`` into a new database under ``folder``, fit topics (hashed
    embedder); returns the run and {comment native id: topic}, and the labels."""
    from conftest import hashed_embedder

    from rhizo_voices import pipeline
    from rhizo_voices.db import open_db
    from rhizo_voices.ingest import ingest_files
    from rhizo_voices.models import Comment
    folder.mkdir()
    db = folder / "rhizo.db"
    engine = open_db(db)
    try:
        ingest_files(engine, db, "jsonl", [corpus_file])
        pipeline.analyze(engine, workers=1)
        run = update_topics(engine, embedder=hashed_embedder, model_name="hashed")
        with Session(engine) as s:
            assigned = dict(s.exec(select(Comment.native_id, TopicAssignment.topic_id)
                                   .join(TopicAssignment, TopicAssignment.comment_id == Comment.id)).all())
            labels = sorted((t.id, t.label, t.size) for t in s.exec(select(Topic)))
    finally:
        engine.dispose()
    return run, assigned, labels


def test_two_fresh_runs_on_one_corpus_give_identical_topics_in_the_large_regime(tmp_path, monkeypatch):
    """The reproducibility pin: 2,000 generated comments, the large regime forced (a sample of 600
    fitted, the rest assigned), two fresh databases; the second run with the process's thread pools
    limited to one thread and a CPU burner beside it (a busy machine)."""
    import subprocess
    import sys

    from threadpoolctl import threadpool_limits
    sys.path.insert(0, str(topic_model.__file__).rsplit("/src/", 1)[0] + "/scripts")
    import make_corpus
    monkeypatch.setattr(topic_model, "KMEANS_MAX_DOCS", 500)
    monkeypatch.setattr(topic_model, "FIT_SAMPLE", 600)
    corpus_file = tmp_path / "corpus.jsonl"
    make_corpus.write_jsonl(make_corpus.generate(2000, 7), corpus_file)
    first = _fresh_run(tmp_path / "a", corpus_file)
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        with threadpool_limits(limits=1):
            second = _fresh_run(tmp_path / "b", corpus_file)
    finally:
        burner.kill()
        burner.wait()
    run, assigned, labels = first
    assert (run.strategy, run.fitted_on) == ("pca+kmeans", 600) and run.documents > 1000
    assert len(assigned) == run.documents and len(labels) == topic_model.MAX_TOPICS
    assert second == first  # same run facts (stability too), same topic of every comment, same labels


@pytest.mark.parametrize("n, large", [(60, False), (400, True)])
def test_the_stability_refit_clusters_exactly_as_the_fit_does(monkeypatch, n, large):
    """stability() refits the clustering alone (no words); with the same seed it must give the fit's
    partition (adjusted Rand index 1), in both regimes, or the figure would measure something else."""
    from sklearn.metrics import adjusted_rand_score

    from conftest import hashed_embedder
    monkeypatch.setattr(topic_model, "KMEANS_MAX_DOCS", 100)
    monkeypatch.setattr(topic_model, "FIT_SAMPLE", 250)
    rng = random.Random(n)
    docs = [f"{THEMES[i % 3]} {' '.join(rng.sample(FILLER, 4))}" for i in range(n)]
    vectors = hashed_embedder()(docs)
    fit = topic_model.fit(docs, vectors, 5)
    assert (fit.strategy, fit.fitted_on) == (("pca+kmeans", 250) if large else ("kmeans", n))
    assert adjusted_rand_score(fit.labels, topic_model.partition(vectors, 5)) == 1.0
    assert topic_model.stability(vectors, fit.labels, 4) == 1.0  # seed + 1 = 5: the same partition


def test_the_quote_is_a_sentence_holding_a_label_phrase():
    from rhizo_voices.topic_labels import excerpt
    texts = ["Had it done in May. Nothing much to say.", "It was fine. Then my knees buckle on the stairs! Odd."]
    assert excerpt(texts, ["knees buckle", "stairs"]) == "Then my knees buckle on the stairs!"
    assert excerpt(texts, ["no such phrase"]) == "Had it done in May."
    assert excerpt(["word " * 60], ["word"]) == ("word " * 28).strip() + " …"
