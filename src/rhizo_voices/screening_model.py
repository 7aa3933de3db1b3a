"""A learned complement to the screening rules: who is writing (role) and is the writer in crisis.

Two logistic-regression heads, trained offline by `scripts/train_screening_model.py` on
`tests/data/screening_train.jsonl` (plus the labelled screening sets), over
- the mean static embedding (the tagger's model2vec model, `symptoms/model/static`) of the comment
  and, for roles, of its thread context (the thread's first post or title), and
- hashed word unigrams and bigrams (crc32, so the same on every machine) of the comment and, for roles,
  of the thread context.
The heads are plain numpy arrays in `screening_model.npz`, so inference needs numpy and model2vec
only. Everything is loaded once, lazily, on the first call; distinct words are tokenised once and
their vectors cached, and the hashed features are scored sparsely, so a comment costs well under a
millisecond.

`role_scores` gives probabilities for "patient" (a patient or carer writing about their own or their
relative's spinal RFA / rhizotomy, prospective patients included), "provider" (clinic, staff, press,
case reports) and "other" (other procedures, sympathy replies, unrelated text). `crisis_score` gives
the probability that the writer expresses hopelessness or self-harm, explicit or quiet.
"""
from __future__ import annotations

import threading
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ConfigError
from . import fastre

HERE = Path(__file__).resolve().parent
MODEL_FILE = HERE / "screening_model.npz"
EMBEDDINGS_DIR = HERE / "symptoms" / "model" / "static"
ROLES = ("patient", "provider", "other")
TEXT_CHARS = 2000  # a comment is read up to this many characters
THREAD_CHARS = 600  # the thread context, up to this many
LEX_DIM = 8192  # hashed n-gram buckets per view (comment, thread)
WORD_CACHE = 200_000

# Recommended thresholds (chosen by the training script on out-of-fold scores; see its report).
# Crisis: recall first. At or above this the comment should be held for a moderator (out-of-fold recall
# 0.97, held-back 15/15). On real forum/blog passages it flags far more than on ours (about 4 in 10 of
# the real dev passages, and caught 1 of 2 crises there): OR it with the rules, and do not use it to
# release a comment the rules hold.
CRISIS_THRESHOLD = 0.15
# Provider: the model alone calls a comment clinic/staff voice at or above this (precision-leaning,
# meant to be OR-ed with the rules).
PROVIDER_THRESHOLD = 0.5
# Counted as a patient only if p(patient) is at least this (below it: provider or other).
PATIENT_THRESHOLD = 0.5

_PIECE = fastre.compile(r"\w+|[^\w\s]")  # how the word-piece tokeniser pre-splits text
_BIGRAM_MULT = np.uint64(0x9E3779B1)


class Embedder:
    """Reads a text once: the mean static embedding of its tokens and the hash buckets of its word
    unigrams and bigrams. Each distinct word is tokenised once; its summed token vector, token count
    and crc32 are cached, so a comment costs one regex split, dictionary look-ups and a few numpy calls."""

    def __init__(self, static: Any) -> None:
        if static.weights is not None or static.token_mapping is not None:
            raise ConfigError("the screening model expects a plain static model (no weights, no token mapping)")
        self.tokenizer = static.tokenizer
        self.matrix = np.asarray(static.embedding, dtype=np.float32)
        self.unk = static.unk_token_id
        self.dim = self.matrix.shape[1]
        self._row: dict[str, int] = {}
        self._sums = np.zeros((1024, self.dim), np.float32)
        self._counts = np.zeros(1024, np.float32)
        self._crc = np.zeros(1024, np.uint64)
        self._isword = np.zeros(1024, bool)

    def _add(self, word: str) -> int:
        ids = [i for i in self.tokenizer.encode(word, add_special_tokens=False).ids if i != self.unk]
        vec = self.matrix[ids].sum(axis=0) if ids else 0.0
        row = len(self._row) + 1
        if row > WORD_CACHE:  # full: row 0 is a scratch slot for this one use
            row = 0
        elif row >= len(self._counts):
            self._sums = np.vstack([self._sums, np.zeros_like(self._sums)])
            self._counts = np.concatenate([self._counts, np.zeros_like(self._counts)])
            self._crc = np.concatenate([self._crc, np.zeros_like(self._crc)])
            self._isword = np.concatenate([self._isword, np.zeros_like(self._isword)])
        self._sums[row], self._counts[row] = vec, len(ids)
        self._crc[row] = zlib.crc32(word.encode())
        self._isword[row] = word[0].isalnum() or word[0] == "_"
        if row:
            self._row[word] = row
        return row

    def analyse(self, text: str) -> tuple[np.ndarray, np.ndarray, float]:
        """(unit mean embedding or zeros, hash buckets of the word unigrams and bigrams, the weight of
        one n-gram: 1/sqrt(number of n-grams)). Lower-cased; punctuation embeds but is not a word."""
        get, rows = self._row.get, []
        for w in _PIECE.findall(text.lower()):
            r = get(w)
            rows.append(r if r is not None else self._add(w))
        if not rows:
            return np.zeros(self.dim, np.float32), np.zeros(0, np.int64), 0.0
        idx = np.asarray(rows, np.int64)
        v = self._sums[idx].sum(axis=0)
        n = float(np.sqrt(v @ v))
        vec = (v / n).astype(np.float32) if n > 0 else np.zeros(self.dim, np.float32)
        crc = self._crc[idx[self._isword[idx]]]
        grams = np.concatenate([crc, (crc[:-1] * _BIGRAM_MULT) ^ crc[1:]]) % np.uint64(LEX_DIM)
        return vec, grams.astype(np.int64), (1.0 / np.sqrt(len(grams)) if len(grams) else 0.0)

    def embed(self, text: str) -> np.ndarray:
        """Unit mean vector of the text's tokens (zeros if it has none)."""
        return self.analyse(text)[0]

    def lexical(self, text: str) -> np.ndarray:
        """The dense hashed n-gram vector of `text` (for training)."""
        _, grams, weight = self.analyse(text)
        return np.bincount(grams, minlength=LEX_DIM).astype(np.float32) * np.float32(weight)


def load_embedder(path: Path = EMBEDDINGS_DIR) -> Embedder:
    """The tagger's static model, wrapped (read-only)."""
    try:
        from model2vec import StaticModel
    except ImportError as exc:  # pragma: no cover - model2vec is a dependency
        raise ConfigError("the screening model needs model2vec") from exc
    if not path.is_dir():
        raise ConfigError(f"static embeddings missing: {path}")
    return Embedder(StaticModel.from_pretrained(str(path)))


class Heads:
    """The two trained heads: role (3 classes) and crisis (binary)."""

    def __init__(self, path: Path = MODEL_FILE) -> None:
        if not path.is_file():
            raise ConfigError(f"screening model missing: {path} (run scripts/train_screening_model.py)")
        with np.load(path) as z:
            self.role_emb = z["role_emb"]      # (3, 2*dim): comment and thread embeddings
            self.role_lex = z["role_lex"]      # (3, 2*LEX_DIM): comment and thread n-grams
            self.role_bias = z["role_bias"]    # (3,)
            self.crisis_emb = z["crisis_emb"]  # (dim,)
            self.crisis_lex = z["crisis_lex"]  # (LEX_DIM,)
            self.crisis_bias = float(z["crisis_bias"])
            if int(z["lex_dim"]) != LEX_DIM or tuple(str(r) for r in z["roles"]) != ROLES:
                raise ConfigError(f"{path} was trained with another layout; retrain")


_lock = threading.Lock()
_state: dict[str, Any] = {}


def _loaded() -> tuple[Embedder, Heads]:
    if "heads" not in _state:
        with _lock:
            if "heads" not in _state:
                _state["embedder"] = load_embedder()
                _state["heads"] = Heads()
    return _state["embedder"], _state["heads"]


@lru_cache(maxsize=4096)
def _read(text: str) -> tuple[np.ndarray, np.ndarray, float]:
    """A text's embedding and n-gram buckets (cached: a comment is read once for both heads, and a
    thread's context once for all its replies)."""
    return _loaded()[0].analyse(text)


def role_scores(text: str, thread_text: str = "") -> dict[str, float]:
    """Probabilities of "patient", "provider" and "other" for a comment (thread_text: optional context,
    e.g. the thread's first post or title; leave empty for the first post itself)."""
    emb, h = _loaded()
    vec, grams, weight = _read(text[:TEXT_CHARS])
    z = h.role_bias + h.role_emb[:, :emb.dim] @ vec + h.role_lex[:, grams].sum(axis=1) * weight
    thread_text = thread_text[:THREAD_CHARS]
    if thread_text.strip():
        vec, grams, weight = _read(thread_text)
        z = z + h.role_emb[:, emb.dim:] @ vec + h.role_lex[:, LEX_DIM + grams].sum(axis=1) * weight
    p = np.exp(z - z.max())
    p /= p.sum()
    return {r: float(x) for r, x in zip(ROLES, p)}


def crisis_score(text: str) -> float:
    """Probability that the writer expresses hopelessness or self-harm (compare with CRISIS_THRESHOLD)."""
    emb, h = _loaded()
    vec, grams, weight = _read(text[:TEXT_CHARS])
    z = h.crisis_bias + float(h.crisis_emb @ vec) + float(h.crisis_lex[grams].sum()) * weight
    return float(1.0 / (1.0 + np.exp(-z)))
