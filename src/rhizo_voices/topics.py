"""Topics over approved patient comments with BERTopic, robust from a handful of comments to many.

Fewer than ``MIN_TOPIC_DOCS`` comments: no model (said in the report). Otherwise topic_model.fit
(KMeans, on a seeded sample with PCA in the large regime; at most 12 topics, every comment assigned).
Each topic carries a readable label (phrases of its own redacted comments, topic_labels), its
dominant symptom categories, mean sentiment, distinct reporters and the redacted first sentence of
its most central comment (the report quotes it only above --min-cell). A stability figure (adjusted
Rand index against a refit with another seed) says how much to trust it.
Embeddings come from one of the backends in embed.py (all from the packaged MiniLM, offline) and are
cached per text hash and backend, so unchanged comments are never embedded twice.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import delete, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from . import embed, topic_labels, topic_model
from .config import MIN_TOPIC_DOCS, TOPIC_SEED, embedding_model_name
from .models import Analysis, Comment, CommentStatus, Embedding, Mention, Meta, Topic, TopicAssignment

EMBED_CHUNK = 1024  # texts embedded and committed at a time
QUOTE_POOL = 50  # the most central comments of a topic, searched for a sentence holding its label
Embedder = Callable[[Sequence[str]], np.ndarray]


@dataclass
class TopicRun:
    documents: int
    strategy: str  # "none" | "kmeans" | "pca+kmeans"
    topics: int
    outliers: int
    embedded: int  # how many texts were embedded (not found in the cache)
    outliers_before: int = 0  # outliers before reduction (KMeans leaves none)
    stability: float | None = None  # adjusted Rand index against a refit with another seed
    fitted_on: int = 0  # comments the model was fitted on (the large regime fits on a sample)


def load_embedder(name: str | None = None, db_file=None) -> Embedder:  # noqa: ANN001
    """The embedding backend ``name`` (embed.BACKENDS; default from config), derived models cached
    beside the database ``db_file``."""
    name = embed.canonical(name or embedding_model_name())
    return embed.load(name, embed.cache_dir(db_file) if db_file else None)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def cached_embeddings(engine: Engine, texts: Sequence[str], model: str, embedder: Callable[[], Embedder],
                      progress: Callable[[int, int], None] | None = None) -> tuple[np.ndarray, int]:
    """Embeddings of ``texts``, from the cache where present; the rest computed and stored in chunks of
    ``EMBED_CHUNK``, each committed, so an interrupted run keeps what it embedded.
    ``progress(done, total)`` is called after each chunk."""
    hashes = [text_hash(t) for t in texts]
    with Session(engine) as session:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), 900):
            for row in session.exec(select(Embedding).where(
                    Embedding.model == model, Embedding.text_hash.in_(unique[i:i + 900]))):
                found[row.text_hash] = np.frombuffer(row.vector, dtype=np.float32)
    missing = [(h, t) for h, t in dict(zip(hashes, texts)).items() if h not in found]
    run_embed = embedder() if missing else None
    for start in range(0, len(missing), EMBED_CHUNK):
        chunk = missing[start:start + EMBED_CHUNK]
        vectors = np.asarray(run_embed([t for _, t in chunk]), dtype=np.float32)
        with Session(engine) as session:
            session.connection().execute(insert(Embedding.__table__).prefix_with("OR REPLACE"), [
                {"text_hash": h, "model": model, "vector": vec.tobytes()} for (h, _), vec in zip(chunk, vectors)])
            session.commit()
        found.update((h, vec) for (h, _), vec in zip(chunk, vectors))
        if progress:
            progress(start + len(chunk), len(missing))
    return np.vstack([found[h] for h in hashes]), len(missing)


def update_topics(engine: Engine, *, embedder: Callable[[], Embedder] | None = None,
                  model_name: str | None = None, seed: int = TOPIC_SEED, force: bool = False,
                  progress: Callable[[int, int], None] | None = None) -> TopicRun:
    """Fit topics over the approved patient comments and store them (replacing the last run).
    Nothing is refitted when the counted comments, their texts, the model and the seed are those of
    the last fit (unless ``force``). ``model_name`` names the embeddings (the cache key and the
    provenance in the report): a backend of embed.py, loaded when ``embedder`` is not given."""
    model_name = model_name or embedding_model_name()
    model_name = embed.ALIASES.get(model_name, model_name)
    if embedder is None:
        db_file = Path(engine.url.database) if engine.url.database else None
        embedder = lambda: load_embedder(model_name, db_file)  # noqa: E731
    with Session(engine) as session:
        rows = session.exec(
            select(Analysis.comment_id, Analysis.text, Analysis.sentiment, Comment.reporter)
            .join(CommentStatus, CommentStatus.comment_id == Analysis.comment_id)
            .join(Comment, Comment.id == Analysis.comment_id)
            .where(Analysis.role == "patient", CommentStatus.status == "approved")
            .order_by(Analysis.comment_id)).all()
        affirmed = session.exec(select(Mention.comment_id, Mention.category)
                                .where(Mention.assertion == "affirmed")).all()
    ids, docs = [r[0] for r in rows], [r[1] for r in rows]
    fingerprint = text_hash(f"{model_name}|{seed}|" + "|".join(f"{i}:{text_hash(d)}" for i, d in zip(ids, docs)))
    with Session(engine) as session:
        last = session.get(Meta, "topics.input")
        if last is not None and last.value == fingerprint and not force:
            return _last_run(session)  # same comments, same texts, same model and seed
    if len(docs) < MIN_TOPIC_DOCS:
        run = TopicRun(len(docs), "none", 0, 0, 0)
        _store(engine, [], {}, run, seed, model_name, fingerprint)
        return run
    embedder = _once(embedder)
    vectors, embedded = cached_embeddings(engine, docs, model_name, embedder, progress)
    fit = topic_model.fit(docs, vectors, seed, embedder)
    labels = fit.labels
    cats: dict[int, set[str]] = {}
    for cid, category in affirmed:
        cats.setdefault(cid, set()).add(category)
    topics = []
    for topic_id in sorted(set(labels)):
        members = [i for i, t in enumerate(labels) if t == topic_id]
        words = fit.words.get(topic_id, [])
        counts = Counter(c for i in members for c in cats.get(ids[i], ()))
        symptoms = [c for c, n in counts.most_common(2) if n * 3 >= len(members)]  # in a third or more
        centroid = vectors[members].mean(axis=0)
        central = [members[i] for i in np.argsort(-(vectors[members] @ centroid), kind="stable")[:QUOTE_POOL]]
        label = "outliers" if topic_id == -1 else topic_labels.label(words) or f"topic {topic_id}"
        topics.append(Topic(id=topic_id, label=label, size=len(members), words=json.dumps(words),
                            symptoms=json.dumps(symptoms),
                            reporters=len({rows[i][3] for i in members}),
                            sentiment=round(float(np.mean([rows[i][2] for i in members])), 3),
                            excerpt=topic_labels.excerpt([docs[i] for i in central], label.split("; "))))
    run = TopicRun(len(docs), fit.strategy, sum(t.id != -1 for t in topics), labels.count(-1), embedded,
                   0, topic_model.stability(vectors, labels, seed), fit.fitted_on)
    _store(engine, topics, dict(zip(ids, labels)), run, seed, model_name, fingerprint)
    return run


def _once(factory: Callable[[], Embedder]) -> Callable[[], Embedder]:
    """``factory`` called at most once (the embedder is loaded for embedding and again for phrases)."""
    cache: list[Embedder] = []

    def get() -> Embedder:
        if not cache:
            cache.append(factory())
        return cache[0]
    return get


def _last_run(session: Session) -> TopicRun:
    meta = dict(session.exec(select(Meta.key, Meta.value).where(Meta.key.startswith("topics."))).all())
    n_topics = len(session.exec(select(Topic.id).where(Topic.id != -1)).all())
    return TopicRun(int(meta["topics.documents"]), meta["topics.strategy"], n_topics,
                    int(meta["topics.outliers"]), 0, int(meta.get("topics.outliers_before", 0)),
                    float(meta["topics.stability"]) if meta.get("topics.stability") else None,
                    int(meta.get("topics.fitted_on", 0)))


def _store(engine: Engine, topics: list[Topic], assignments: dict[int, int], run: TopicRun,
           seed: int, model_name: str, fingerprint: str) -> None:
    with Session(engine) as session:
        session.exec(delete(TopicAssignment))
        session.exec(delete(Topic))
        session.add_all(topics)
        session.add_all(TopicAssignment(comment_id=c, topic_id=t) for c, t in assignments.items())
        facts = {"topics.strategy": run.strategy, "topics.documents": str(run.documents),
                 "topics.outliers": str(run.outliers), "topics.outliers_before": str(run.outliers_before),
                 "topics.stability": "" if run.stability is None else str(run.stability),
                 "topics.seed": str(seed), "topics.model": model_name, "topics.input": fingerprint,
                 "topics.fitted_on": str(run.fitted_on)}
        for key, value in facts.items():
            session.merge(Meta(key=key, value=value))
        session.commit()
