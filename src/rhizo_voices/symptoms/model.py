"""The learned step of the tagger: is this candidate a report of the symptom, after the procedure?

A static embedding model (model2vec, distilled offline from the packaged all-MiniLM-L6-v2 by
`scripts/train_symptoms.py`) embeds the words around a candidate, its sentence, the neighbouring
sentences and the whole comment; a few cheap context flags (procedure named, another procedure named,
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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ConfigError

if TYPE_CHECKING:
    from .context import Doc

MODEL_DIR = Path(__file__).resolve().parent / "model"
EMBEDDINGS_DIR = MODEL_DIR / "static"
HEADS_FILE = MODEL_DIR / "heads.npz"
LOCAL_WORDS = 6  # words each side of the candidate for the local view
DOC_CHARS = 2000  # the comment view reads at most this much
LEX_DIM = 2048  # hashed word features
PATTERN_THRESHOLD = 0.3  # a codebook pattern is evidence already: the model only vetoes clear non-reports
_I = re.IGNORECASE
_WORD = re.compile(r"[\w']+")

# cheap context flags, one column each (order is part of the trained model: append only)
_PROC = re.compile(r"\b(?:rfa|rfas|rhiz\w*|rhitz\w*|ablat\w*|radio ?frequency|procedures?|medial branch|facet|"
                   r"the burn|burn(?:ed|t|ing)? (?:the |my |his |her )?nerves?)\b", _I)
_OTHER_PROC = re.compile(r"\b(?:cardiac|heart|afib|a-fib|atrial|knee|genicular|trigeminal|cheek|face|jaw|fusion|"
                         r"stimulator|decompression|laminectomy|discectomy|selective dorsal|spasticity|cerebral palsy|"
                         r"myelitis|ms|multiple sclerosis|stroke|diabet\w*|endometrial|thyroid|varicose|vein)\b", _I)
_AFTER = re.compile(r"\b(?:since|after|afterwards?|post|later|now|ever since|weeks?|wks?|months?|mos?|years?|"
                    r"days?|update|still)\b", _I)
_BEFORE = re.compile(r"\b(?:before|prior|used to|years ago|for years|candidate|diagnostic|test (?:block|injection)|"
                     r"blocks?|steroid|epidural|lidocaine|scheduled|booked|next week|considering)\b", _I)
_GENERAL = re.compile(r"\b(?:may|might|can|could|risks?|patients?|some people|most people|usually|typically|"
                      r"normally|common|rare|you|your|expect\w*|possible|side effects?|percent|%)\b", _I)
_DURING = re.compile(r"\b(?:during|while (?:he|she|they|the doc\w*|dr\.? \w+) (?:was|were|did)|on the table|halfway through|needle|probe|stimulat\w*|sedation|local|zap\w*|"
                     r"current|x-?ray)\b", _I)
_FIRST = re.compile(r"\b(?:i|i'm|im|i've|ive|me|my|mine)\b", _I)
_CARER = re.compile(r"\b(?:my (?:\w+ )?(?:mom|mum|mother|dad|father|husband|hubby|wife|son|daughter|partner|"
                    r"sister|brother|friend|nan|gran\w*)|he|she|his|her)\b", _I)
_RELIEF = re.compile(r"\b(?:pain[- ]free|relief|great|amazing|better|fine|no pain|happy|miracle|good)\b", _I)
FLAG_NAMES = ("proc_doc", "other_proc_doc", "proc_sentence", "after_sentence", "before_sentence",
              "general_sentence", "during_sentence", "first_person", "carer", "question", "relief_sentence",
              "other_proc_sentence")


@dataclass(frozen=True)
class Views:
    """The texts and flags the model reads for one candidate."""

    local: str
    sentence: str
    neighbours: str
    flags: tuple[float, ...]


def views(doc: Doc, start: int, end: int) -> Views:
    """What the model sees of the candidate text[start:end] in `doc`."""
    text = doc.text
    si = doc.sentence_index(start)
    ss, se = doc.sentences[si]
    sentence = text[ss:se]
    prev = text[slice(*doc.sentences[si - 1])] if si > 0 else ""
    nxt = text[slice(*doc.sentences[si + 1])] if si + 1 < len(doc.sentences) else ""
    before = [m.start() for m in _WORD.finditer(text, max(ss, start - 80), start)]
    after = [m.end() for m in _WORD.finditer(text, end, min(se, end + 80))]
    a = before[-LOCAL_WORDS] if len(before) >= LOCAL_WORDS else (before[0] if before else start)
    b = after[LOCAL_WORDS - 1] if len(after) >= LOCAL_WORDS else (after[-1] if after else end)
    head = text[:DOC_CHARS]
    flags = (_PROC.search(head), _OTHER_PROC.search(head), _PROC.search(sentence), _AFTER.search(sentence),
             _BEFORE.search(sentence), _GENERAL.search(sentence), _DURING.search(sentence),
             _FIRST.search(sentence), _CARER.search(sentence), sentence.rstrip().endswith("?"),
             _RELIEF.search(sentence), _OTHER_PROC.search(sentence))
    return Views(text[a:b], sentence, f"{prev} {nxt}".strip(), tuple(float(bool(f)) for f in flags))


def lexical(v: Views) -> np.ndarray:
    """Hashed word unigrams and bigrams of the local view and unigrams of the sentence (crc32, so the
    same on every machine), L2-normalised per view."""
    out = np.zeros(LEX_DIM, dtype=np.float32)
    for prefix, text, bigrams in (("l", v.local, True), ("s", v.sentence, False)):
        words = _WORD.findall(text.lower())
        grams = [f"{prefix}:{w}" for w in words]
        if bigrams:
            grams += [f"{prefix}:{a}_{b}" for a, b in zip(words, words[1:])]
        if not grams:
            continue
        idx = np.fromiter((zlib.crc32(g.encode()) % LEX_DIM for g in grams), dtype=np.int64, count=len(grams))
        part = np.zeros(LEX_DIM, dtype=np.float32)
        np.add.at(part, idx, 1.0)
        out += part / np.linalg.norm(part)
    return out


def featurize(embedder: Any, doc_text: str, items: list[Views]) -> np.ndarray:
    """Rows of [local, sentence, neighbours, comment embeddings, flags, hashed words], one per
    candidate."""
    texts = [doc_text[:DOC_CHARS] or " "]
    for v in items:
        texts += [v.local or " ", v.sentence or " ", v.neighbours or " "]
    emb = np.nan_to_num(np.asarray(embedder.encode(texts, use_multiprocessing=False), dtype=np.float32))
    rows = [np.concatenate([*emb[1 + 3 * i: 4 + 3 * i], emb[0], np.asarray(v.flags, dtype=np.float32),
                            lexical(v)]) for i, v in enumerate(items)]
    return np.vstack(rows) if rows else np.zeros((0, 4 * emb.shape[1] + len(FLAG_NAMES) + LEX_DIM), np.float32)


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
        self.embedder = StaticModel.from_pretrained(str(model_dir / "static"))
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
        own = rows @ self.coef.T  # (rows, categories): cheap, the heads are tiny
        z = own[np.arange(len(idx)), idx] + self.intercept[idx]
        n = rows.shape[1]
        zs = rows @ self.shared_coef[:n] + self.shared_coef[n + idx] + self.shared_intercept
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
