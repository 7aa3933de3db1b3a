"""Opening the database: SQLite in WAL mode, numbered migrations applied on open, the reporter key.

The pseudonym key lives in a file beside the database (``<db>.key``), not in it, so a copy of the
database alone cannot be used to test guesses of who wrote what.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from .migrations import MIGRATIONS
from .errors import ConfigError, ReadOnlyError

BUSY_TIMEOUT_MS = 30_000


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def is_read_only(exc: BaseException) -> bool:
    """Whether SQLite refused a write because the file or its folder is read-only."""
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text


def read_only_message(path: Path, upgrade: bool = False) -> str:
    why = " and needs upgrading by this version of rhizo" if upgrade else ""
    return (f"{path}: the database is read-only{why} (check the permissions of the file and its folder); "
            "nothing was written")


def open_db(path: Path) -> Engine:
    """An engine on ``path`` with every migration applied. Creates the file and its folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    try:
        migrate(engine)
    except Exception as exc:  # a file that is not a database, a read-only or a locked one
        engine.dispose()
        if is_read_only(exc):
            raise ReadOnlyError(read_only_message(path, upgrade=True)) from None
        raise ConfigError(f"{path}: cannot open as a rhizo database ({exc})") from exc
    return engine


# ---------------------------------------------------------------------------------------------
# Migrations (`migrations.py`): each runs once, in order, and is recorded in the `migration` table.
# Views: today's definitions, recreated on open wherever a database holds another.

VIEWS = {
    # Dates are cut to the year: a full date is an identifier under HIPAA Safe Harbor.
    "v_comments": """
        SELECT c.id AS comment_id, t.source_kind AS source, t.label AS thread, c.parent_id,
               c.reporter, a.role, COALESCE(s.status, 'pending') AS status,
               substr(c.created_at, 1, 4) AS created_at,
               CASE WHEN c.deleted THEN NULL ELSE a.text END AS text
        FROM comment c
        JOIN thread t ON t.id = c.thread_id
        LEFT JOIN analysis a ON a.comment_id = c.id
        LEFT JOIN comment_status s ON s.comment_id = c.id""",
    "v_symptom_mentions": """
        SELECT m.comment_id, c.reporter, m.category, m.assertion, m.experiencer, m.evidence
        FROM mention m JOIN comment c ON c.id = m.comment_id""",
    # The counting rule, written once: what counts is an approved comment of role patient that is
    # not deleted at the source (v_counted_comments), and in it an affirmed mention (v_counted_mentions).
    # Every reader (this view, the report, topics, --explain) counts through these two.
    "v_counted_comments": """
        SELECT c.id AS comment_id, c.reporter
        FROM comment c
        JOIN analysis a ON a.comment_id = c.id
        JOIN comment_status s ON s.comment_id = c.id
        WHERE s.status = 'approved' AND a.role = 'patient' AND NOT c.deleted""",
    "v_counted_mentions": """
        SELECT m.id AS mention_id, m.comment_id, k.reporter, m.category, m.experiencer, m.sentiment
        FROM mention m JOIN v_counted_comments k ON k.comment_id = m.comment_id
        WHERE m.assertion = 'affirmed'""",
    "v_symptom_reporters": """
        SELECT category, COUNT(DISTINCT reporter) AS reporters, COUNT(DISTINCT comment_id) AS comments
        FROM v_counted_mentions
        GROUP BY category""",
}


def _pending(conn: sqlite3.Connection) -> bool:
    """Whether a migration or a view is missing or out of date (read only: no lock taken)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migration'").fetchone():
        return True
    done = {row[0] for row in conn.execute("SELECT name FROM migration")}
    stored = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall())
    return (any(step.__name__ not in done for step in MIGRATIONS)
            or any(stored.get(name) != _view_sql(name) for name in VIEWS))


def migrate(engine: Engine) -> None:
    """Apply missing migrations and recreate changed views, all in one write transaction taken before
    looking (two processes opening a new database at once cannot both migrate it). A database that is
    up to date is only read, so a read-only file can still be reported on."""
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        if not _pending(conn):
            return
        saved, conn.isolation_level = conn.isolation_level, None  # our own BEGIN/COMMIT
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("CREATE TABLE IF NOT EXISTS migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
                done = {row[0] for row in conn.execute("SELECT name FROM migration")}
                for step in MIGRATIONS:
                    if step.__name__ not in done:
                        step(conn)
                        conn.execute("INSERT INTO migration (name, applied_at) VALUES (?, ?)", (step.__name__, now()))
                ensure_views(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.isolation_level = saved
    finally:
        raw.close()


def _view_sql(name: str) -> str:
    return f"CREATE VIEW {name} AS {VIEWS[name]}"


def ensure_views(conn: sqlite3.Connection) -> None:
    """Recreate each view whose stored definition is not today's (views carry no data)."""
    stored = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall())
    for name in VIEWS:
        if stored.get(name) != _view_sql(name):
            conn.execute(f"DROP VIEW IF EXISTS {name}")
            conn.execute(_view_sql(name))


# ---------------------------------------------------------------------------------------------
# Pseudonyms

def key_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".key")


def reporter_key(db_file: Path) -> bytes:
    """The database's secret pseudonym key, made on first use (file mode 0600)."""
    path = key_path(db_file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def pseudonym(key: bytes, scope: str, author: str | None, fallback: str) -> str:
    """A stable, irreversible reporter id for ``author`` within ``scope`` (a thread or a platform).

    An unknown or deleted author gets an id of their own per comment (``fallback``), so they are never
    merged with anyone.
    """
    name = " ".join(author.split()).casefold() if author else f"\0unknown\0{fallback}"
    digest = hmac.new(key, f"{scope}\0{name}".encode(), hashlib.sha256).hexdigest()
    return f"r{digest[:10]}"


def safe_label(key: bytes, thread_key: str) -> str:
    """A thread's name in views: blog article slugs as they are, anything user-authored hashed."""
    if thread_key.startswith("blog:"):
        return thread_key
    kind = thread_key.split(":", 1)[0]
    return f"{kind}:{hmac.new(key, thread_key.encode(), hashlib.sha256).hexdigest()[:10]}"
