"""Shared fixtures: a fresh database per test, the seed thread, and a fast stand-in embedder."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SEED_THREAD = ROOT / "samples" / "threads" / "001_087c61cad95e7533.txt"
SEED_DIR = ROOT / "samples" / "threads"


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "rhizo.db"


@pytest.fixture
def engine(db_file: Path):
    from rhizo_voices.db import open_db
    eng = open_db(db_file)
    yield eng
    eng.dispose()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def hashed_embedder(dim: int = 64):
    """A deterministic bag-of-words embedder: words hashed into ``dim`` buckets, L2-normalised."""
    def embed(texts):
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % dim] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
        return out
    return embed


@pytest.fixture
def fake_embedder():
    calls: list[int] = []
    embed = hashed_embedder()

    def counting(texts):
        calls.append(len(texts))
        return embed(texts)
    counting.calls = calls
    return counting
