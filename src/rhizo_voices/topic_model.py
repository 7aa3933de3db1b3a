"""Fitting topics: the clustering regimes, reproducibility, the number of topics and stability.

- up to ``KMEANS_MAX_DOCS`` comments: BERTopic with no dimension reduction and KMeans, k from the
  corpus size (at most ``MAX_TOPICS``); every comment gets a topic.
- more: BERTopic fitted on a seeded sample of ``FIT_SAMPLE`` comments with PCA (``PCA_DIMS``
  dimensions) and KMeans (``MAX_TOPICS``), the rest assigned by the fitted model (``transform``: a
  projection and the nearest centre). Fitting UMAP costs a minute of numba compilation in every new
  process and UMAP + HDBSCAN was both slower and less stable on 13,000 generated comments (see
  scripts/bench_results.md), so the large regime does without it.
Reproducible: the same texts, embeddings and seed give the same assignments whatever the load of the
machine: the sample is drawn from a seeded generator, KMeans has a fixed seed and ``N_INIT``, and the
native thread pools (BLAS, OpenMP) are held at ``THREADS`` while fitting (a different thread count
may change floating-point sums, and so a tie, but a busy machine no longer changes the count).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import topic_labels

KMEANS_MAX_DOCS = 2000
FIT_SAMPLE = 5000
MAX_TOPICS = 12
PCA_DIMS = 50
N_INIT = 4
THREADS = 2
TOP_WORDS = 10
CANDIDATES = 30  # c-TF-IDF phrases per topic offered to MMR
DIVERSITY = 0.3
Embedder = Callable[[Sequence[str]], np.ndarray]


@dataclass
class Fit:
    labels: list[int]
    strategy: str  # "kmeans" | "pca+kmeans"
    fitted_on: int  # how many comments the model was fitted on (the rest assigned by it)
    words: dict[int, list[str]]  # topic -> ranked words and phrases (c-TF-IDF, then MMR)


@contextmanager
def fixed_threads(threads: int = THREADS) -> Iterator[None]:
    """Native thread pools (BLAS, OpenMP) held at ``threads`` while fitting."""
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=threads):
        yield


def n_topics(n_docs: int, distinct: int) -> int:
    """k grows with the corpus (about sqrt(n/2)), at most ``MAX_TOPICS``, never above the distinct points."""
    return max(2, min(MAX_TOPICS, round(math.sqrt(n_docs / 2)), distinct))


def _parts(n_docs: int, seed: int, distinct: int) -> tuple[Any, Any]:
    """The dimension reduction and the clusterer for ``n_docs`` documents (``distinct`` different rows)."""
    from bertopic.dimensionality import BaseDimensionalityReduction
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    large = n_docs > KMEANS_MAX_DOCS
    reduce = (PCA(n_components=min(PCA_DIMS, distinct - 1), svd_solver="covariance_eigh")
              if large else BaseDimensionalityReduction())
    k = MAX_TOPICS if large else n_topics(n_docs, distinct)
    return reduce, KMeans(n_clusters=min(k, distinct), random_state=seed, n_init=N_INIT)


def build_model(n_docs: int, seed: int, distinct: int):  # noqa: ANN201  (a BERTopic)
    """A BERTopic instance for ``n_docs`` documents (``distinct`` different embeddings)."""
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    reduce, cluster = _parts(n_docs, seed, distinct)
    return BERTopic(umap_model=reduce, hdbscan_model=cluster, vectorizer_model=topic_labels.vectorizer(n_docs),
                    ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True), top_n_words=CANDIDATES)


def _sample(n: int, seed: int) -> np.ndarray:
    """Indices the model is fitted on: all, or in the large regime a seeded sample of ``FIT_SAMPLE``."""
    if n > KMEANS_MAX_DOCS and n > FIT_SAMPLE:
        return np.sort(np.random.default_rng(seed).choice(n, FIT_SAMPLE, replace=False))
    return np.arange(n)


def _distinct(vectors: np.ndarray) -> int:
    return len({row.tobytes() for row in vectors.round(6)})


def fit(docs: list[str], vectors: np.ndarray, seed: int, embedder: Callable[[], Embedder] | None = None) -> Fit:
    """Fit topics over ``docs``; in the large regime on a seeded sample, the rest assigned by the model."""
    n = len(docs)
    pick = _sample(n, seed)
    model = build_model(n, seed, _distinct(vectors[pick]))
    with fixed_threads():
        fitted, _ = model.fit_transform([docs[i] for i in pick], embeddings=vectors[pick])
        if len(pick) < n:
            labels, _ = model.transform(docs, embeddings=vectors)
        else:
            labels = fitted
    fitted = np.asarray(fitted)
    candidates = {}
    for t in sorted(set(int(x) for x in fitted)):
        ranked = [w for w, _ in (model.get_topic(t) or []) if w]  # BERTopic pads with ''
        candidates[t] = topic_labels.shared(ranked, [docs[i] for i in pick[fitted == t]])
    words = _rerank(candidates, {t: vectors[pick[fitted == t]].mean(axis=0) for t in candidates}, embedder)
    return Fit([int(t) for t in labels], "pca+kmeans" if n > KMEANS_MAX_DOCS else "kmeans", len(pick), words)


def partition(vectors: np.ndarray, seed: int) -> np.ndarray:
    """The clustering of ``fit`` alone (no words): the same partition up to the topic numbers, faster."""
    pick = _sample(len(vectors), seed)
    reduce, cluster = _parts(len(vectors), seed, _distinct(vectors[pick]))
    with fixed_threads():
        reduce.fit(vectors[pick])
        cluster.fit(reduce.transform(vectors[pick]))
        return cluster.predict(reduce.transform(vectors)) if len(pick) < len(vectors) else cluster.labels_


def _rerank(candidates: dict[int, list[str]], centres: dict[int, np.ndarray],
            embedder: Callable[[], Embedder] | None) -> dict[int, list[str]]:
    """Each topic's shared phrases re-ranked by BERTopic's MaximalMarginalRelevance: close to the
    centre of the topic's comments, and not all saying the same thing (one batch of phrase embeddings)."""
    if embedder is None:
        return {t: c[:TOP_WORDS] for t, c in candidates.items()}
    from bertopic.representation._mmr import mmr
    phrases = sorted({p for c in candidates.values() for p in c})
    if not phrases:
        return {t: [] for t in candidates}
    vecs = dict(zip(phrases, np.asarray(embedder()(phrases), dtype=np.float32)))
    return {t: mmr(centres[t].reshape(1, -1), np.vstack([vecs[p] for p in c]), c, diversity=DIVERSITY,
                   top_n=min(TOP_WORDS, len(c))) if len(c) > 1 else c for t, c in candidates.items()}


def stability(vectors: np.ndarray, labels: list[int], seed: int) -> float:
    """Agreement (adjusted Rand index) of the topics with a refit under another seed (another sample,
    other KMeans starts), over every comment: 1 is the same partition, 0 is chance."""
    from sklearn.metrics import adjusted_rand_score
    return round(float(adjusted_rand_score(labels, partition(vectors, seed + 1))), 3)
