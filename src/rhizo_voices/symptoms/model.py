"""The learned step of the tagger: is this candidate a report of the symptom, after the procedure?

A static embedding model (model2vec, distilled offline from the packaged all-MiniLM-L6-v2 by
`scripts/train_symptoms.py`) embeds the words around a candidate, its sentence and the neighbouring
sentences; hashed words of the first two and a few cheap context flags (procedure named, another procedure named,
time words, clinic voice) are added; one logistic-regression head per category and one shared head (the
category as a one-hot input) score the result, and the mean of their probabilities is compared with the
category's threshold.
The heads are plain numpy arrays (`model/heads.npz`), so inference needs numpy and model2vec only.
Loaded once, lazily, on the first candidate; a category without a head is left to the rules alone.
"""
from __future__ import annotations

import re
import threading
import zlib
from bisect import bisect_left, bisect_right
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ConfigError
from .. import fastre

if TYPE_CHECKING:
    from .context import Doc

MODEL_DIR = Path(__file__).resolve().parent / "model"
EMBEDDINGS_DIR = MODEL_DIR / "static"
HEADS_FILE = MODEL_DIR / "heads.npz"
LOCAL_WORDS = 6  # words each side of the candidate for the local view
DOC_CHARS = 2000  # the comment-level flags read at most this much
LEX_DIM = 2048  # hashed word features
PATTERN_THRESHOLD = 0.3  # a codebook pattern is evidence already: the model only vetoes clear non-reports
_I = re.IGNORECASE
_WORD = fastre.compile(r"[\w']+")
_PIECE = fastre.compile(r"\w+|[^\w\s]")  # how the word-piece tokeniser pre-splits text
WORD_CACHE = 200_000

# cheap context flags, one column each (order is part of the trained model: append only)
_PROC = fastre.compile(r"\b(?:rfa|rfas|rhiz\w*|rhitz\w*|ablat\w*|radio ?frequency|procedures?|medial branch|facet|"
                       r"the burn|burn(?:ed|t|ing)? (?:the |my |his |her )?nerves?)\b", _I)
_OTHER_PROC = fastre.compile(r"\b(?:cardiac|heart|afib|a-fib|atrial|genicular|knee (?:replacement|rfa|ablation|surgery|"
                             r"procedure|one)|trigeminal|cheek|face|jaw|fusion|"
                             r"stimulator|decompression|laminectomy|discectomy|selective dorsal|spasticity|cerebral palsy|"
                             r"myelitis|ms|multiple sclerosis|stroke|diabet\w*|endometrial|thyroid|varicose|vein)\b", _I)
_AFTER = fastre.compile(r"\b(?:since|after|afterwards?|post|later|now|ever since|weeks?|wks?|months?|mos?|years?|"
                        r"days?|update|still)\b", _I)
_BEFORE = fastre.compile(r"\b(?:before|prior|used to|years ago|for years|candidate|diagnostic|test (?:block|injection)|"
                         r"blocks?|steroid|epidural|lidocaine|scheduled|booked|next week|considering)\b", _I)
_GENERAL = fastre.compile(r"\b(?:may|might|can(?!['\u2019]t)|could|risks?|patients?|some people|most people|usually|typically|"
                          r"normally|common|rare|you|your|expect\w*|possible|side effects?|percent|%)\b", _I)
_DURING = fastre.compile(r"\b(?:during|while (?:he|she|they|the doc\w*|dr\.? \w+) (?:was|were|did)|on the table|halfway through|needle|probe|stimulat\w*|sedation|local|zap\w*|"
                         r"current|x-?ray)\b", _I)
_BLOCK = fastre.compile(r"\b(?:test (?:block|injection)s?|diagnostic|(?:medial branch|nerve|facet) blocks?|lidocaine|"
                        r"steroid|cortisone|epidural|candidate)\b", _I)
_FIRST = fastre.compile(r"\b(?:i|i'm|im|i've|ive|me|my|mine)\b", _I)
_CARER = fastre.compile(r"\b(?:my (?:\w+ )?(?:mom|mum|mother|dad|father|husband|hubby|wife|son|daughter|partner|"
                        r"sister|brother|friend|nan|gran\w*)|he|she|his|her)\b", _I)
_RELIEF = fastre.compile(r"\b(?:pain[- ]free|relief|great|amazing|better|fine|no pain|happy|miracle|good)\b", _I)
FLAG_NAMES = ("proc_doc", "other_proc_doc", "proc_sentence", "after_sentence", "before_sentence",
              "general_sentence", "during_sentence", "first_person", "carer", "question", "relief_sentence",
              "other_proc_sentence", "block_doc")


@dataclass(frozen=True)
class Views:
    """What the model reads of one candidate: spans of the comment's text, their words, and flags."""

    local: str
    sentence: str
    local_span: tuple[int, int]
    sentence_span: tuple[int, int]
    neighbour_spans: tuple[tuple[int, int], ...]
    flags: tuple[float, ...]


def views(doc: Doc, spans: list[tuple[int, int]]) -> list[Views]:
    """What the model sees of each candidate text[start:end] in `doc`."""
    text = doc.text
    head = text[:DOC_CHARS]
    doc_flags = (_PROC.search(head), _OTHER_PROC.search(head))
    block_doc = _BLOCK.search(head)
    out = []
    sentence_flags: dict[int, tuple[float, ...]] = {}
    for start, end in spans:
        si = doc.sentence_index(start)
        ss, se = doc.sentences[si]
        sentence = text[ss:se]
        if si not in sentence_flags:
            sentence_flags[si] = tuple(float(bool(f)) for f in (
                *doc_flags, _PROC.search(sentence), _AFTER.search(sentence), _BEFORE.search(sentence),
                _GENERAL.search(sentence), _DURING.search(sentence), _FIRST.search(sentence),
                _CARER.search(sentence), sentence.rstrip().endswith("?"), _RELIEF.search(sentence),
                _OTHER_PROC.search(sentence), block_doc))
        neighbours = tuple(doc.sentences[j] for j in (si - 1, si + 1) if 0 <= j < len(doc.sentences))
        before = [m.start() for m in _WORD.finditer(text, max(ss, start - 80), start)]
        after = [m.end() for m in _WORD.finditer(text, end, min(se, end + 80))]
        a = before[-LOCAL_WORDS] if len(before) >= LOCAL_WORDS else (before[0] if before else start)
        b = after[LOCAL_WORDS - 1] if len(after) >= LOCAL_WORDS else (after[-1] if after else end)
        out.append(Views(text[a:b], sentence, (a, b), (ss, se), neighbours, sentence_flags[si]))
    return out


class Embedder:
    """Mean static embeddings of spans of one text. The text is split as the word-piece tokeniser splits
    it (words and single punctuation marks: word pieces never cross them), each distinct word is
    tokenised once and its summed vector cached, and a span's mean comes from prefix sums over its
    words: the same vector as embedding the span on its own, at a fraction of the cost."""

    def __init__(self, static: Any) -> None:
        if static.weights is not None or static.token_mapping is not None:
            raise ConfigError("the symptom model expects a plain static model (no weights, no token mapping)")
        self.tokenizer = static.tokenizer
        self.matrix = np.asarray(static.embedding, dtype=np.float32)
        self.unk = static.unk_token_id
        self.dim = self.matrix.shape[1]
        self._row: dict[str, int] = {}  # word -> row of _sums/_counts
        self._sums = np.zeros((1024, self.dim), dtype=np.float32)
        self._counts = np.zeros(1024, dtype=np.float32)

    def _add(self, word: str) -> int:
        ids = [i for i in self.tokenizer.encode(word, add_special_tokens=False).ids if i != self.unk]
        if len(self._row) >= WORD_CACHE:  # a full table: overwrite row 0's slot for this one use
            self._sums[0] = self.matrix[ids].sum(axis=0) if ids else 0.0
            self._counts[0] = len(ids)
            return 0
        row = len(self._row) + 1
        if row >= len(self._counts):
            self._sums = np.vstack([self._sums, np.zeros_like(self._sums)])
            self._counts = np.concatenate([self._counts, np.zeros_like(self._counts)])
        self._sums[row] = self.matrix[ids].sum(axis=0) if ids else 0.0
        self._counts[row] = len(ids)
        self._row[word] = row
        return row

    def spans(self, text: str, views: list[list[tuple[int, int]]]) -> np.ndarray:
        """One unit vector per view (a view is a list of spans), zeros for a view without tokens."""
        bounds = [x for view in views for span in view for x in span]
        out = np.zeros((len(views), self.dim), dtype=np.float32)
        if not bounds:
            return out
        words = list(_PIECE.finditer(text, min(bounds), max(bounds)))  # only the words the views need
        if not words:
            return out
        get, rows = self._row.get, []
        for m in words:
            r = get(m.group())
            rows.append(r if r is not None else self._add(m.group()))
        idx = np.asarray(rows, dtype=np.int64)
        sums = np.zeros((len(words) + 1, self.dim), dtype=np.float64)
        np.cumsum(self._sums[idx], axis=0, out=sums[1:])
        counts = np.concatenate([[0.0], np.cumsum(self._counts[idx])])
        starts = [m.start() for m in words]
        ends = [m.end() for m in words]
        for i, view in enumerate(views):
            if len(view) == 1:  # the common case: one span
                (a, b), = view
                lo, hi = bisect_left(starts, a), bisect_right(ends, b)
                if hi > lo and counts[hi] > counts[lo]:
                    vec = sums[hi] - sums[lo]
                    out[i] = vec / (np.sqrt(vec @ vec) + 1e-32)
                continue
            vec, n = np.zeros(self.dim, dtype=np.float64), 0.0
            for a, b in view:
                lo, hi = bisect_left(starts, a), bisect_right(ends, b)
                if hi > lo:
                    vec += sums[hi] - sums[lo]
                    n += counts[hi] - counts[lo]
            if n:
                out[i] = vec / (np.sqrt(vec @ vec) + 1e-32)
        return out


def lexical(v: Views) -> np.ndarray:
    """Hashed word unigrams and bigrams of the local view and unigrams of the sentence (crc32, so the
    same on every machine), L2-normalised per view."""
    out = np.zeros(LEX_DIM, dtype=np.float32)
    for prefix, text, bigrams in (("l", v.local, True), ("s", v.sentence, False)):
        words = _WORD.findall(text.lower())
        grams = [f"{prefix}:{w}" for w in words]
        if bigrams:
            grams += [f"{prefix}:{a}_{b}" for a, b in zip(words, words[1:])]
        if grams:
            part = np.bincount([_hash(g) for g in grams], minlength=LEX_DIM).astype(np.float32)
            out += part / np.sqrt(float((part * part).sum()))
    return out


@lru_cache(maxsize=200_000)
def _hash(gram: str) -> int:
    return zlib.crc32(gram.encode()) % LEX_DIM


def featurize(embedder: Embedder, doc_text: str, items: list[Views]) -> np.ndarray:
    """Rows of [local, sentence, neighbours embeddings, flags, hashed words], one per candidate."""
    wanted: list[list[tuple[int, int]]] = []
    for v in items:
        wanted += [[v.local_span], [v.sentence_span], list(v.neighbour_spans)]
    emb = embedder.spans(doc_text, wanted)
    rows = [np.concatenate([*emb[3 * i: 3 * i + 3], np.asarray(v.flags, dtype=np.float32), lexical(v)])
            for i, v in enumerate(items)]
    return np.vstack(rows) if rows else np.zeros((0, 3 * embedder.dim + len(FLAG_NAMES) + LEX_DIM), np.float32)


class Model:
    """The static embedding model and one linear head per category."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        try:
            from model2vec import StaticModel
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise ConfigError(f"the symptom model needs model2vec: {exc}") from None
        heads_file = model_dir / "heads.npz"
        if not heads_file.exists() or not (model_dir / "static").is_dir():
            raise ConfigError(f"{model_dir}: no trained symptom model (run scripts/train_symptoms.py)")
        self.static = StaticModel.from_pretrained(str(model_dir / "static"))
        self.embedder = Embedder(self.static)
        with np.load(heads_file, allow_pickle=False) as data:
            self.categories = tuple(str(c) for c in data["categories"])
            self.coef = data["coef"].astype(np.float32)  # (categories, features)
            self.intercept = data["intercept"].astype(np.float32)
            self.threshold = data["threshold"].astype(np.float32)
            self.shared_coef = data["shared_coef"].astype(np.float32)  # features + one-hot category
            self.shared_intercept = float(data["shared_intercept"])
        self._row = {c: i for i, c in enumerate(self.categories)}

    def has(self, category: str) -> bool:
        """Whether a head was trained for this category."""
        return category in self._row

    def features(self, doc_text: str, items: list[Views]) -> np.ndarray:
        """Feature rows for the candidates of one comment (one embedding call per comment)."""
        return featurize(self.embedder, doc_text, items)

    def probabilities(self, categories: list[str], rows: np.ndarray) -> np.ndarray:
        """P(report) of each row under its category's head."""
        idx = np.array([self._row[c] for c in categories])
        # einsum, not BLAS: tiny products, and no BLAS thread pool in the analyser's worker processes
        own = np.einsum("ij,kj->ik", rows, self.coef)  # (rows, categories)
        z = own[np.arange(len(idx)), idx] + self.intercept[idx]
        n = rows.shape[1]
        zs = np.einsum("ij,j->i", rows, self.shared_coef[:n]) + self.shared_coef[n + idx] + self.shared_intercept
        return 0.5 * (1.0 / (1.0 + np.exp(-z)) + 1.0 / (1.0 + np.exp(-zs)))

    def accepts(self, categories: list[str], rows: np.ndarray, from_cue: list[bool]) -> list[bool]:
        """Whether each row's probability reaches its bar: the category's threshold for a cue-only
        candidate, PATTERN_THRESHOLD for a match of the codebook's (precise) patterns."""
        p = self.probabilities(categories, rows)
        return [bool(x >= (self.threshold[self._row[c]] if cue else PATTERN_THRESHOLD))
                for x, c, cue in zip(p, categories, from_cue)]


_model: Model | None = None
_lock = threading.Lock()


def get_model() -> Model:
    """The packaged model, loaded on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = Model()
    return _model
