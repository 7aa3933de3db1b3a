"""`analyze`: screen, redact, tag and score every comment not yet analysed with the current stages.

Work is done a thread at a time, because screening needs the thread (duplicates, deletion requests,
who wrote the article) and redaction needs every author name of the thread. A thread is analysed again
when any of its comments is new or changed, or when a stage's version (codebook, policy, this module)
changed. Each thread is written in one transaction, so an interrupted run leaves whole threads behind.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from . import moderation, privacy, screening, sentiment, symptoms
from .db import now
from .markup import strip_markup
from .models import Analysis, Comment, Meta

PIPELINE_VERSION = "3"  # 3: mention evidence without markup; decisions carry their rules
DELETED_REASON = moderation.DELETED_REASON
UNSURE_KINDS = ("NAME", "PLACE")
PARALLEL_FROM = 2000  # comments: below this, starting worker processes costs more than it saves
CHUNK_THREADS = 8  # threads a worker takes at a time (their identifiers found in one batch)
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


def comment_count(engine: Engine) -> int:
    """How many comments the database holds."""
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Comment)).one()


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


@dataclass(frozen=True)
class Row:
    """What analysis needs of one stored comment (plain data: it crosses process boundaries)."""

    id: int
    native_id: str
    parent_native_id: str | None
    author: str | None
    body: str | None
    body_hash: str
    deleted: bool
    post_author: bool
    kind: str


@dataclass
class ThreadResult:
    thread_id: int
    ids: list[int]
    analyses: list[tuple]  # in ANALYSIS_COLUMNS
    flags: list[tuple]  # in FLAG_COLUMNS
    mentions: list[tuple]  # in MENTION_COLUMNS
    decisions: list[moderation.Decision]


def analyze(engine: Engine, *, policy: screening.Policy | None = None,
            progress: Callable[[int], None] | None = None, workers: int | None = None,
            planned: Callable[[int], None] | None = None) -> AnalyzeResult:
    """Analyse every stale thread. ``planned`` hears how many comments will be analysed (once the
    stale threads are known), ``progress`` the number done after each thread.

    The language work of a thread is a pure function of its comments, so on a large run it is spread
    over ``workers`` processes (default: one per core, env RHIZO_WORKERS); this process alone writes,
    one transaction per thread."""
    policy = policy or screening.load_policy()
    versions = _versions(policy)
    result = AnalyzeResult()
    with Session(engine) as session:
        threads = stale_threads(session, versions)
        comments = _load(session, threads)
    pending = sum(map(len, comments))
    if planned:
        planned(pending)

    workers = workers or int(os.environ.get("RHIZO_WORKERS", 0)) or os.cpu_count() or 1
    compute = partial(_compute, policy=policy, versions=versions)
    pool = None
    if workers > 1 and pending >= PARALLEL_FROM and len(threads) > 1:
        _warm_up(policy, versions)  # the forked workers share these models instead of each loading its own
        gc.freeze()  # and the objects made so far: collections in a worker would copy their pages
        # the workers inherit the policy with the process (a pickled policy costs ~4 ms a task to load)
        _FORKED[:] = [policy, versions]
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        if pool:
            pairs = list(zip(threads, comments))
            chunks = [pairs[i:i + CHUNK_THREADS] for i in range(0, len(pairs), CHUNK_THREADS)]
            outcomes: Iterator[ThreadResult] = (done for batch in pool.map(_compute_chunk, chunks) for done in batch)
        else:
            outcomes = map(compute, threads, comments)
        with Session(engine) as session:
            for done in outcomes:
                _write(session, done, policy.version)
                session.commit()
                result.threads += 1
                result.comments += len(done.analyses)
                if progress:
                    progress(len(done.analyses))
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
            gc.unfreeze()
            _FORKED.clear()
    with Session(engine) as session:
        for key, value in (("analysis.policy_version", policy.version),
                           ("analysis.codebook_version", symptoms.CODEBOOK_VERSION),
                           ("analysis.pipeline_version", versions)):
            session.merge(Meta(key=key, value=value))
        session.commit()
    result.by_status = moderation.counts(engine)
    return result


# A made-up thread whose analysis loads every model analysis uses: the spaCy pipeline (a capitalised
# word after a link), the symptom tagger and model, screening's models, VADER.
WARM_UP = (Row(-1, "w1", None, "warm_up_a", "Had my second RFA on the left side three weeks ago and the burning "
               "pain in my thigh started two days later, not sure it was worth it!", "", False, False, "comment"),
           Row(-2, "w2", "w1", "warm_up_b", "We can help, details are on www.example.org/rfa Book a visit any "
               "weekday. And please delete my earlier comment, thanks", "", False, False, "comment"))


def _warm_up(policy: screening.Policy, versions: str) -> None:
    """Analyse ``WARM_UP`` (no database), so that the models are loaded in this process."""
    _compute(0, list(WARM_UP), policy=policy, versions=versions)


LOAD_CHUNK = 500  # thread ids per query (SQLite's limit on bound parameters)


def _load(session: Session, threads: list[int]) -> list[list[Row]]:
    """The comments of ``threads``, in thread order then source order, one query per chunk of threads."""
    by_thread: dict[int, list[Row]] = {t: [] for t in threads}
    for start in range(0, len(threads), LOAD_CHUNK):
        for thread_id, *fields in session.exec(
                select(Comment.thread_id, Comment.id, Comment.native_id, Comment.parent_native_id, Comment.author,
                       Comment.body, Comment.body_hash, Comment.deleted, Comment.post_author, Comment.kind)
                .where(Comment.thread_id.in_(threads[start:start + LOAD_CHUNK]))
                .order_by(Comment.thread_id, Comment.position)):
            by_thread[thread_id].append(Row(*fields))
    return [by_thread[t] for t in threads]


_FORKED: list[Any] = []  # [policy, versions] of the analyze run whose forked workers are running


def _compute_chunk(chunk: list[tuple[int, list[Row]]]) -> list[ThreadResult]:
    """``_compute`` of several threads in a forked worker, with the policy it inherited; their
    identifiers are found together (one call of the NER model for all of them)."""
    policy, versions = _FORKED
    inputs = [_redaction_input(comments) for _, comments in chunk]
    found = privacy.find_identifiers_groups(inputs)
    return [_compute(thread_id, comments, policy=policy, versions=versions, found=spans)
            for (thread_id, comments), spans in zip(chunk, found)]


def _redaction_input(comments: list[Row]) -> tuple[list[str], tuple[str, ...]]:
    """A thread's distinct comment bodies and its authors' names (what the redactor needs)."""
    return (list(dict.fromkeys(c.body for c in comments if c.body is not None)),
            tuple(sorted({c.author for c in comments if c.author})))


def _compute(thread_id: int, comments: list[Row], *, policy: screening.Policy, versions: str,
             found: list[list[privacy.Span]] | None = None) -> ThreadResult:
    """Screen, redact, tag and score one thread's comments (no database access). ``found``: the
    identifiers of its distinct bodies, when they were found with other threads' (``_compute_chunk``)."""
    bodies, known = _redaction_input(comments)
    names_hash = _names_hash(set(known))
    by_native = {c.native_id: c for c in comments}
    live = [c for c in comments if c.body is not None]
    spans = dict(zip(bodies, found if found is not None else privacy.find_identifiers_many(bodies, known)))

    def count_identifiers(text: str) -> tuple[int, int]:
        found = spans[text] if text in spans else privacy.find_identifiers(text, known)
        # A guessed month or phone is redacted all the same; a guessed name or place hints at
        # others the redactor may have missed, so only those count as uncertain.
        return len(found), sum(not s.confident and s.kind in UNSURE_KINDS for s in found)

    flags_by_native = screening.screen_thread(
        [screening.ScreenInput(native_id=c.native_id, parent_id=c.parent_native_id, author=c.author,
                               body=c.body, post_author=c.post_author, kind=c.kind) for c in live],
        policy, count_identifiers)
    stamp = now()
    out = ThreadResult(thread_id, [c.id for c in comments], [], [], [], [])
    for c in live:
        text = privacy.apply(c.body, spans[c.body])
        flags = flags_by_native.get(c.native_id, [])
        for flag in flags:
            target = by_native.get(flag.target) if flag.target else None
            # a quote is redacted as the comment was, then clipped (never clipped raw)
            evidence = privacy.redact_excerpt(c.body, spans[c.body], flag.evidence, known) if flag.quoted \
                else flag.evidence
            out.flags.append((c.id, flag.rule, flag.reason, evidence, target.id if target else None))
        for m in symptoms.find_mentions(text):
            out.mentions.append((c.id, m.category, m.assertion, m.experiencer, strip_markup(m.evidence),
                                 sentiment.compound(sentiment.sentence_around(text, m.start, m.end))))
        anchor = symptoms.anchor(text)
        out.analyses.append((c.id, _input_hash(c.body_hash, c.deleted, names_hash, versions),
                             screening.role_for(flags), text, sentiment.compound(text), len(spans[c.body]),
                             *(getattr(anchor, name) for name in ANCHOR_FIELDS), stamp))
        if c.deleted:
            out.decisions.append((c.id, "withdrawn", DELETED_REASON, moderation.DELETED_RULES))
        else:
            out.decisions.append((c.id, *screening.decide(flags, policy), _rules(flags, policy)))
    for target, reason in screening.withdrawals(flags_by_native).items():
        if target in by_native:
            out.decisions.append((by_native[target].id, "withdrawn", reason, WITHDRAW_REQUESTED))
    return out


WITHDRAW_REQUESTED = ({"rule": "deletion_request", "action": "withdraw"},)


def _rules(flags: list[screening.Flag], policy: screening.Policy) -> list[dict[str, str]]:
    """The rules that fired and the action each asked for, as the decision's data."""
    # screening.decide gives the status; the action per rule is the policy's (screening.action_for is
    # the one place that knows the crisis and deletion-request exceptions)
    last_per_rule = {f.rule: f for f in flags}  # as screening.decide reads them
    return [{"rule": rule, "action": screening.action_for(f, policy)} for rule, f in last_per_rule.items()]


# Rows as _compute makes them (tuples: they cross process boundaries), in these columns.
ANALYSIS_COLUMNS = ("comment_id", "input_hash", "role", "text", "sentiment", "identifiers", *ANCHOR_FIELDS,
                    "analyzed_at")
FLAG_COLUMNS = ("comment_id", "rule", "reason", "evidence", "target_id")
MENTION_COLUMNS = ("comment_id", "category", "assertion", "experiencer", "evidence", "sentiment")
_INSERTS = [(field, f"{verb} INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})")
            for field, verb, table, cols in (("analyses", "INSERT OR REPLACE", "analysis", ANALYSIS_COLUMNS),
                                             ("flags", "INSERT", "flag", FLAG_COLUMNS),
                                             ("mentions", "INSERT", "mention", MENTION_COLUMNS))]


def _write(session: Session, done: ThreadResult, policy_version: str) -> None:
    """Replace a thread's derived rows, with plain sqlite3 (ORM objects and SQL compilation cost more
    than the NLP here)."""
    conn = session.connection().connection.driver_connection
    for start in range(0, len(done.ids), LOAD_CHUNK):  # SQLite's limit on bound parameters
        chunk = done.ids[start:start + LOAD_CHUNK]
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM flag WHERE comment_id IN ({marks})", chunk)
        conn.execute(f"DELETE FROM mention WHERE comment_id IN ({marks})", chunk)
    for field, sql in _INSERTS:
        if rows := getattr(done, field):
            conn.executemany(sql, rows)
    moderation.record_many(session, done.decisions, actor=moderation.AUTO, policy_version=policy_version)
