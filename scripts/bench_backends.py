"""Embedding backends side by side for scripts/bench.py: speed, and topic quality on generated comments.

For each backend, on the same approved patient texts (redacted, as topics see them):
- speed: texts embedded per second (after loading), and as a ratio to the first backend (torch);
- kNN symptom agreement: among comments with exactly one generated symptom label, the share of each
  one's 10 nearest neighbours (cosine) carrying the same label: does the space put like reports together;
- topics NMI / ARI: our topic assignments (topic_model.fit) against that single label;
- stability: adjusted Rand index of the topics against a refit with another seed;
- cosine to the first backend's vectors, mean and minimum (same model, other runtime).
The generated corpus's symptom labels are ground truth for what each comment reports, but topics are
free to group by other things (tone, time since the procedure): these figures compare backends with one
another, they are not an accuracy of the topics.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Embedder = Callable[[Sequence[str]], np.ndarray]
NEIGHBOURS = 10


@dataclass
class Quality:
    backend: str
    load_s: float
    embed_s: float
    docs: int
    knn: float
    nmi: float
    ari: float
    stability: float
    cosine_mean: float | None = None
    cosine_min: float | None = None
    topics: int = 0

    @property
    def rate(self) -> float:
        return self.docs / self.embed_s if self.embed_s > 0 else 0.0


def single_labels(symptoms: Sequence[Sequence[str]]) -> np.ndarray:
    """The one symptom of each comment that has exactly one, else ''."""
    return np.array([s[0] if len(s) == 1 else "" for s in symptoms])


def knn_agreement(vectors: np.ndarray, truth: np.ndarray, k: int = NEIGHBOURS) -> float:
    """Mean share of a labelled comment's k nearest labelled neighbours with its label."""
    keep = truth != ""
    v, t = vectors[keep], truth[keep]
    if len(t) <= k:
        return float("nan")
    sims = v @ v.T
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argpartition(-sims, k, axis=1)[:, :k]
    return round(float((t[nearest] == t[:, None]).mean()), 3)


def compare(docs: list[str], symptoms: Sequence[Sequence[str]], backends: dict[str, Callable[[], Embedder]],
            seed: int = 42) -> list[Quality]:
    """Every backend on ``docs``; the first is the reference for speed ratios and cosines."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from rhizo_voices import topic_model
    truth = single_labels(symptoms)
    keep = truth != ""
    out: list[Quality] = []
    reference: np.ndarray | None = None
    for name, factory in backends.items():
        started = time.perf_counter()
        embed = factory()
        loaded = time.perf_counter()
        vectors = np.asarray(embed(docs), dtype=np.float32)
        embedded = time.perf_counter()
        fit = topic_model.fit(docs, vectors, seed)
        labels = np.asarray(fit.labels)
        q = Quality(name, loaded - started, embedded - loaded, len(docs), knn_agreement(vectors, truth),
                    round(float(normalized_mutual_info_score(truth[keep], labels[keep])), 3),
                    round(float(adjusted_rand_score(truth[keep], labels[keep])), 3),
                    topic_model.stability(vectors, fit.labels, seed), topics=len(set(fit.labels)))
        if reference is None:
            reference = vectors
        elif reference.shape == vectors.shape:
            cos = np.sum(reference * vectors, axis=1)
            q.cosine_mean, q.cosine_min = round(float(cos.mean()), 4), round(float(cos.min()), 4)
        out.append(q)
    return out


def notes(q: Quality, first: Quality) -> str:
    """One results-table note for a backend."""
    parts = [f"{q.rate / first.rate:.2f}x the speed of {first.backend}" if first.rate else "",
             f"load {q.load_s:.1f} s", f"kNN symptom agreement {q.knn:.3f}",
             f"topics NMI {q.nmi:.3f} / ARI {q.ari:.3f} ({q.topics} topics)", f"stability {q.stability:.3f}"]
    if q.cosine_mean is not None:
        parts.append(f"cosine to {first.backend} {q.cosine_mean:.4f} mean, {q.cosine_min:.4f} min")
    return "; ".join(p for p in parts if p)
