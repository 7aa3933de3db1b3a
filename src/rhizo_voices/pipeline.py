"""`analyze`: screen, redact, tag and score every comment not yet analysed with the current stages.

Work is done a thread at a time, because screening needs the thread (duplicates, deletion requests,
who wrote the article) and redaction needs every author name of the thread. A thread is analysed again
when any of its comments is new or changed, or when a stage's version (codebook, policy, this module)
changed. Each thread is written in one transaction, so an interrupted run leaves whole threads behind.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from . import moderation, privacy, screening, sentiment, symptoms
from .db import now
from .models import Analysis, Comment, Flag, Mention, Meta

PIPELINE_VERSION = "2"
DELETED_REASON = "deleted or removed at the source"
UNSURE_KINDS = ("NAME", "PLACE")
ANCHOR_FIELDS = ("onset_days", "since_days", "relief_days", "procedures", "region", "side")


@dataclass
class AnalyzeResult:
    threads: int = 0
    comments: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    topics: str = "not run"


def _versions(policy: screening.Policy) -> str:
    return f"{PIPELINE_VERSION}|{symptoms.CODEBOOK_VERSION}|{policy.version}|{privacy.REDACTOR_VERSION}"


def _input_hash(body_hash: str, deleted: bool, names_hash: str, versions: str) -> str:
    return hashlib.sha256(f"{body_hash}|{deleted}|{names_hash}|{versions}".encode()).hexdigest()


def _names_hash(names: set[str]) -> str:
    return hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest()


def stale_threads(session: Session, versions: str) -> list[int]:
    """Ids of threads with a comment that has no analysis, or one made from other input."""
    rows = session.exec(
        select(Comment.thread_id, Comment.author, Comment.body_hash, Comment.deleted,
               Analysis.input_hash, Comment.body.is_(None))
        .join(Analysis, Analysis.comment_id == Comment.id, isouter=True)
    ).all()
    names: dict[int, set[str]] = defaultdict(set)
    for thread_id, author, *_ in rows:
        if author:
            names[thread_id].add(author)
    stale = set()
    for thread_id, _, body_hash, deleted, input_hash, purged in rows:
        if thread_id in stale or purged:  # purged raw text cannot be analysed again
            continue
        if input_hash != _input_hash(body_hash, deleted, _names_hash(names[thread_id]), versions):
            stale.add(thread_id)
    return sorted(stale)


def analyze(engine: Engine, *, policy: screening.Policy | None = None,
            progress: Callable[[int], None] | None = None) -> AnalyzeResult:
    """Analyse every stale thread. ``progress`` is called with the number of comments done."""
    policy = policy or screening.load_policy()
    versions = _versions(policy)
    result = AnalyzeResult()
    with Session(engine) as session:
        threads = stale_threads(session, versions)
    for thread_id in threads:
        with Session(engine) as session:
            done = _analyze_thread(session, thread_id, policy, versions)
            session.commit()
        result.threads += 1
        result.comments += done
        if progress:
            progress(done)
    with Session(engine) as session:
        for key, value in (("analysis.policy_version", policy.version),
                           ("analysis.codebook_version", symptoms.CODEBOOK_VERSION),
                           ("analysis.pipeline_version", versions)):
            session.merge(Meta(key=key, value=value))
        session.commit()
    result.by_status = moderation.counts(engine)
    return result


def _analyze_thread(session: Session, thread_id: int, policy: screening.Policy, versions: str) -> int:
    comments = list(session.exec(
        select(Comment).where(Comment.thread_id == thread_id).order_by(Comment.position)).all())
    names = {c.author for c in comments if c.author}
    names_hash = _names_hash(names)
    known = tuple(sorted(names))
    by_native = {c.native_id: c for c in comments}
    live = [c for c in comments if c.body is not None]

    spans = {c.body: privacy.find_identifiers(c.body, known) for c in live}

    def count_identifiers(text: str) -> tuple[int, int]:
        found = spans[text] if text in spans else privacy.find_identifiers(text, known)
        # A guessed month or phone is redacted all the same; a guessed name or place hints at
        # others the redactor may have missed, so only those count as uncertain.
        return len(found), sum(not s.confident and s.kind in UNSURE_KINDS for s in found)

    flags_by_native = screening.screen_thread(
        [screening.ScreenInput(native_id=c.native_id, parent_id=c.parent_native_id, author=c.author,
                               body=c.body, post_author=c.post_author, kind=c.kind) for c in live],
        policy, count_identifiers)
    ids = [c.id for c in comments]
    session.exec(delete(Flag).where(Flag.comment_id.in_(ids)))
    session.exec(delete(Mention).where(Mention.comment_id.in_(ids)))
    stamp = now()
    for c in live:
        text = privacy.apply(c.body, spans[c.body])
        flags = flags_by_native.get(c.native_id, [])
        for flag in flags:
            target = by_native.get(flag.target) if flag.target else None
            session.add(Flag(comment_id=c.id, rule=flag.rule, reason=flag.reason,
                             evidence=privacy.redact(flag.evidence, known),
                             target_id=target.id if target else None))
        for m in symptoms.find_mentions(text):
            session.add(Mention(comment_id=c.id, category=m.category, assertion=m.assertion,
                                experiencer=m.experiencer, evidence=m.evidence,
                                sentiment=sentiment.compound(sentiment.sentence_around(text, m.start, m.end))))
        analysis = session.get(Analysis, c.id) or Analysis(comment_id=c.id, input_hash="", role="", text="",
                                                          sentiment=0.0, analyzed_at=stamp)
        analysis.input_hash = _input_hash(c.body_hash, c.deleted, names_hash, versions)
        analysis.role = screening.role_for(flags)
        analysis.text = text
        analysis.sentiment = sentiment.compound(text)
        analysis.identifiers = len(spans[c.body])
        anchor = symptoms.anchor(text)
        for name in ANCHOR_FIELDS:
            setattr(analysis, name, getattr(anchor, name))
        analysis.analyzed_at = stamp
        session.add(analysis)
        if c.deleted:
            status, reason = "withdrawn", DELETED_REASON
        else:
            status, reason = screening.decide(flags, policy)
        moderation.record(session, c.id, status, actor=moderation.AUTO, reason=reason,
                          policy_version=policy.version)
    for target, reason in screening.withdrawals(flags_by_native).items():
        if target in by_native:
            moderation.record(session, by_native[target].id, "withdrawn", actor=moderation.AUTO,
                              reason=reason, policy_version=policy.version)
    return len(live)
