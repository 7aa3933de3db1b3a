"""Train the screening model's role and crisis heads (src/rhizo_voices/screening_model.npz).

    PYTHONPATH=src python scripts/train_screening_model.py [--report] [--no-save]

Training data: tests/data/screening_train.jsonl (written for this model), tests/data/heldout_independent.jsonl
(gold.role / gold.crisis) and tests/data/screening_labelled.jsonl (flags -> role / crisis). The thread
context of a reply is its thread's first post (the root of its parent chain) or the title given in the row.
tests/data/screening_model_heldback.jsonl is never trained on: --report scores it, runs 5-fold
cross-validation on heldout_independent (grouped by thread; the other folds and the rest of the data train
each fold), computes out-of-fold scores on all training rows, and prints the thresholds they suggest.
Deterministic (lbfgs, fixed folds); needs scikit-learn, offline only.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from rhizo_voices import screening_model as sm

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
OWN, HELDBACK = DATA / "screening_train.jsonl", DATA / "screening_model_heldback.jsonl"
INDEPENDENT, LABELLED = DATA / "heldout_independent.jsonl", DATA / "screening_labelled.jsonl"
_PROCEDURE = re.compile(r"\b(?:rfa|rhizotom\w*|ablat\w*|radio ?frequency|neurotom\w*|burn\w*)\b", re.I)
C_ROLE, C_CRISIS = 8.0, 8.0
EMB_SCALE = 1.0  # weight of the (unit) embeddings against the (unit) n-gram vectors; 0.5-4 tried, 1 best in CV


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _with_roots(rows: list[dict]) -> dict[str, str]:
    """id -> body of the first post of its parent chain ('' for a first post)."""
    by_id = {r["id"]: r for r in rows}
    out = {}
    for r in rows:
        cur, seen = r, set()
        while cur.get("parent") in by_id and cur["id"] not in seen:
            seen.add(cur["id"])
            cur = by_id[cur["parent"]]
        out[r["id"]] = "" if cur is r else cur["body"]
    return out


def load_own(path: Path) -> list[dict]:
    return [{"id": r["id"], "body": r["body"], "thread": r.get("thread_text", ""), "role": r["role"],
             "crisis": bool(r["crisis"]), "group": r["id"]} for r in _read(path)]


def load_independent() -> list[dict]:
    rows = _read(INDEPENDENT)
    roots = _with_roots(rows)
    return [{"id": r["id"], "body": r["body"], "thread": roots[r["id"]], "role": r["gold"]["role"],
             "crisis": bool(r["gold"].get("crisis")), "group": r["thread"]} for r in rows]


def _labelled_role(r: dict) -> str:
    flags = set(r["flags"])
    if "provider" in flags:
        return "provider"
    if flags & {"off_topic", "no_experience"}:
        return "other"
    if "deletion_request" in flags and len(r["body"]) < 150:
        return "other"
    return "patient"


def load_labelled() -> list[dict]:
    """The rules' labelled set, less its 'no experience' rows that name the procedure: there a prospective
    patient is 'other', here 'patient', so those rows would teach the opposite."""
    rows = _read(LABELLED)
    roots = _with_roots(rows)
    return [{"id": r["id"], "body": r["body"], "thread": roots[r["id"]], "role": _labelled_role(r),
             "crisis": "crisis" in r["flags"], "group": "L" + r["thread"]} for r in rows
            if not ("no_experience" in r["flags"] and _PROCEDURE.search(r["body"]))]


def features(emb: sm.Embedder, rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """(role features, crisis features): [emb(text), emb(thread), lex(text), lex(thread)] and
    [emb(text), lex(text)]. Embeddings are scaled by EMB_SCALE here and in the saved weights."""
    role, crisis = [], []
    for r in rows:
        text, thread = r["body"][:sm.TEXT_CHARS], r["thread"][:sm.THREAD_CHARS]
        e = emb.embed(text) * EMB_SCALE
        has = bool(thread.strip())
        et = emb.embed(thread) * EMB_SCALE if has else np.zeros(emb.dim, np.float32)
        lt = emb.lexical(thread) if has else np.zeros(sm.LEX_DIM, np.float32)
        lx = emb.lexical(text)
        role.append(np.concatenate([e, et, lx, lt]))
        crisis.append(np.concatenate([e, lx]))
    return sparse.csr_matrix(np.vstack(role)), sparse.csr_matrix(np.vstack(crisis))


def fit(xr: np.ndarray, yr: np.ndarray, xc: np.ndarray, yc: np.ndarray) -> tuple[LogisticRegression, ...]:
    role = LogisticRegression(C=C_ROLE, max_iter=3000, class_weight="balanced").fit(xr, yr)
    crisis = LogisticRegression(C=C_CRISIS, max_iter=3000, class_weight="balanced").fit(xc, yc)
    return role, crisis


def predict(models: tuple, xr: np.ndarray, xc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    role, crisis = models
    pr = role.predict_proba(xr)[:, np.argsort(role.classes_)]  # columns in sm.ROLES order (0, 1, 2)
    return pr, crisis.predict_proba(xc)[:, 1]


def role_report(name: str, y: np.ndarray, pr: np.ndarray) -> None:
    pred = pr.argmax(axis=1)
    print(f"{name}: role accuracy {np.mean(pred == y):.3f} (n={len(y)})")
    for k, r in enumerate(sm.ROLES):
        tp = int(np.sum((pred == k) & (y == k)))
        p, g = int(np.sum(pred == k)), int(np.sum(y == k))
        print(f"  {r:9s} P {tp / p if p else 0:.2f} ({tp}/{p})  R {tp / g if g else 0:.2f} ({tp}/{g})")
    nonpat = y != 0
    counted = int(np.sum(nonpat & (pred == 0)))
    print(f"  non-patient counted as patient: {counted}/{int(nonpat.sum())}")


def crisis_report(name: str, y: np.ndarray, pc: np.ndarray, t: float) -> None:
    tp, g, p = int(np.sum((pc >= t) & y)), int(y.sum()), int(np.sum(pc >= t))
    print(f"{name}: crisis at t={t:.2f}: recall {tp / g if g else 1:.2f} ({tp}/{g}), "
          f"precision {tp / p if p else 0:.2f} ({tp}/{p})")


def recall_threshold(y: np.ndarray, pc: np.ndarray, recall: float = 0.95) -> float:
    """The highest threshold (2 decimals, rounded down) with at least `recall` on (y, pc)."""
    pos = np.sort(pc[y])[::-1]
    need = int(np.ceil(recall * len(pos)))
    return float(np.floor(pos[need - 1] * 100) / 100) if need else 0.5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", action="store_true", help="held-back scores, cross-validation, thresholds")
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--errors", action="store_true", help="with --report: list out-of-fold errors")
    args = ap.parse_args()
    emb = sm.load_embedder()
    own, ind, lab = load_own(OWN), load_independent(), load_labelled()
    rows = own + ind + lab
    xr, xc = features(emb, rows)
    yr = np.array([sm.ROLES.index(r["role"]) for r in rows])
    yc = np.array([r["crisis"] for r in rows])
    if args.report:
        held = load_own(HELDBACK)
        hr, hc = features(emb, held)
        hy, hyc = np.array([sm.ROLES.index(r["role"]) for r in held]), np.array([r["crisis"] for r in held])
        pr, pc = predict(fit(xr, yr, xc, yc), hr, hc)
        role_report("held-back (never trained on)", hy, pr)
        # out-of-fold scores on every training row, 5 folds grouped by thread
        groups = np.array([r["group"] for r in rows])
        oof_r, oof_c = np.zeros((len(rows), 3)), np.zeros(len(rows))
        for tr, te in GroupKFold(n_splits=5).split(xr, yr, groups):
            oof_r[te], oof_c[te] = predict(fit(xr[tr], yr[tr], xc[tr], yc[tr]), xr[te], xc[te])
        n_own, n_ind = len(own), len(ind)
        ind_sl = slice(n_own, n_own + n_ind)
        role_report("heldout_independent, 5-fold grouped CV", yr[ind_sl], oof_r[ind_sl])
        role_report("all training rows, out-of-fold", yr, oof_r)
        if args.errors:
            for i in np.flatnonzero((oof_r.argmax(axis=1) != yr) | (yc & (oof_c < sm.CRISIS_THRESHOLD))):
                print(f"  {rows[i]['id']} gold {sm.ROLES[yr[i]]}/{int(yc[i])} pred "
                      f"{sm.ROLES[oof_r[i].argmax()]} {oof_r[i].round(2)} crisis {oof_c[i]:.2f}: "
                      f"{rows[i]['body'][:110]!r}")
        t_oof = recall_threshold(yc, oof_c)
        t_held = recall_threshold(hyc, pc)
        print(f"crisis threshold for recall>=0.95: out-of-fold {t_oof:.2f}, held-back {t_held:.2f}")
        for t in sorted({t_oof, t_held, sm.CRISIS_THRESHOLD, 0.5}):
            crisis_report(" held-back", hyc, pc, t)
            crisis_report(" independent CV", yc[ind_sl], oof_c[ind_sl], t)
            crisis_report(" all out-of-fold", yc, oof_c, t)
        for t in (0.3, 0.4, 0.5, 0.6, 0.7):
            prov, nonpat = oof_r[:, 1] >= t, oof_r[:, 0] < t
            print(f"t={t:.1f} provider P {np.mean(yr[prov] == 1):.2f} R {np.mean(prov[yr == 1]):.2f} | "
                  f"p(patient)>=t: patient R {np.mean(~nonpat[yr == 0]):.2f}, "
                  f"non-patient counted {np.mean(~nonpat[yr != 0]):.2f} (out-of-fold)")
        print(f"held-back: provider p>={sm.PROVIDER_THRESHOLD} P/R "
              f"{np.mean(hy[pr[:, 1] >= sm.PROVIDER_THRESHOLD] == 1):.2f}/"
              f"{np.mean(pr[hy == 1, 1] >= sm.PROVIDER_THRESHOLD):.2f}; non-patient counted "
              f"{np.mean(pr[hy != 0, 0] >= sm.PATIENT_THRESHOLD):.2f}")
    if args.no_save:
        return
    role, crisis = fit(xr, yr, xc, yc)
    order = np.argsort(role.classes_)
    w, b = role.coef_[order], role.intercept_[order]
    d = emb.dim
    np.savez_compressed(
        sm.MODEL_FILE,
        role_emb=(np.concatenate([w[:, :d], w[:, d:2 * d]], axis=1) * EMB_SCALE).astype(np.float32),
        role_lex=w[:, 2 * d:].astype(np.float32), role_bias=b.astype(np.float32),
        crisis_emb=(crisis.coef_[0, :d] * EMB_SCALE).astype(np.float32),
        crisis_lex=crisis.coef_[0, d:].astype(np.float32), crisis_bias=np.float32(crisis.intercept_[0]),
        lex_dim=np.int64(sm.LEX_DIM), roles=np.array(sm.ROLES),
        thresholds=np.array([sm.CRISIS_THRESHOLD, sm.PROVIDER_THRESHOLD, sm.PATIENT_THRESHOLD], np.float32))
    print(f"wrote {sm.MODEL_FILE} ({sm.MODEL_FILE.stat().st_size} bytes; trained on {len(rows)} rows)")


if __name__ == "__main__":
    main()
