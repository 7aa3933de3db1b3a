"""Numbered schema migrations, each with its own frozen SQL, recorded in the `migration` table.

A migration states the change it makes as it was on the day it was written and is never edited
afterwards: a database made by any release replays exactly the steps it lacks. (Building tables from
today's models would give an old database nothing and a new one everything, and both would be
recorded as the same step.) Views hold no data: `db.ensure_views` recreates any whose definition
changed, on every open.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlite3 import Connection

# m001: the tables of the first release (31f9e69), as it created them.
M001_DDL = (
    "CREATE TABLE source (id INTEGER NOT NULL, kind VARCHAR NOT NULL, locator VARCHAR NOT NULL, "
    "content_hash VARCHAR NOT NULL, fetched_at VARCHAR NOT NULL, comments_new INTEGER NOT NULL, "
    "comments_seen INTEGER NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE thread (id INTEGER NOT NULL, \"key\" VARCHAR NOT NULL, label VARCHAR NOT NULL, "
    "title VARCHAR NOT NULL, url VARCHAR, source_kind VARCHAR NOT NULL, PRIMARY KEY (id), UNIQUE (\"key\"))",
    "CREATE TABLE topic (id INTEGER NOT NULL, label VARCHAR NOT NULL, size INTEGER NOT NULL, "
    "words VARCHAR NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE embedding (text_hash VARCHAR NOT NULL, model VARCHAR NOT NULL, vector BLOB NOT NULL, "
    "PRIMARY KEY (text_hash, model))",
    "CREATE TABLE meta (\"key\" VARCHAR NOT NULL, value VARCHAR NOT NULL, PRIMARY KEY (\"key\"))",
    "CREATE TABLE comment (id INTEGER NOT NULL, thread_id INTEGER NOT NULL, source_id INTEGER NOT NULL, "
    "native_id VARCHAR NOT NULL, parent_native_id VARCHAR, parent_id INTEGER, position INTEGER NOT NULL, "
    "kind VARCHAR NOT NULL, author VARCHAR, reporter VARCHAR NOT NULL, body VARCHAR, "
    "body_hash VARCHAR NOT NULL, created_at VARCHAR, score INTEGER, permalink VARCHAR, "
    "deleted BOOLEAN NOT NULL, post_author BOOLEAN NOT NULL, ingested_at VARCHAR NOT NULL, "
    "PRIMARY KEY (id), UNIQUE (thread_id, native_id), FOREIGN KEY(thread_id) REFERENCES thread (id), "
    "FOREIGN KEY(source_id) REFERENCES source (id))",
    "CREATE INDEX ix_comment_thread_id ON comment (thread_id)",
    "CREATE INDEX ix_comment_parent_id ON comment (parent_id)",
    "CREATE TABLE analysis (comment_id INTEGER NOT NULL, input_hash VARCHAR NOT NULL, role VARCHAR NOT NULL, "
    "text VARCHAR NOT NULL, sentiment FLOAT NOT NULL, identifiers INTEGER NOT NULL, onset_days FLOAT, "
    "since_days FLOAT, relief_days FLOAT, procedures INTEGER, region VARCHAR, side VARCHAR, "
    "analyzed_at VARCHAR NOT NULL, PRIMARY KEY (comment_id), FOREIGN KEY(comment_id) REFERENCES comment (id))",
    "CREATE TABLE flag (id INTEGER NOT NULL, comment_id INTEGER NOT NULL, rule VARCHAR NOT NULL, "
    "reason VARCHAR NOT NULL, evidence VARCHAR NOT NULL, target_id INTEGER, PRIMARY KEY (id), "
    "FOREIGN KEY(comment_id) REFERENCES comment (id))",
    "CREATE INDEX ix_flag_comment_id ON flag (comment_id)",
    "CREATE TABLE moderation_event (id INTEGER NOT NULL, comment_id INTEGER NOT NULL, status VARCHAR NOT NULL, "
    "actor VARCHAR NOT NULL, reason VARCHAR NOT NULL, policy_version VARCHAR NOT NULL, at VARCHAR NOT NULL, "
    "PRIMARY KEY (id), FOREIGN KEY(comment_id) REFERENCES comment (id))",
    "CREATE INDEX ix_moderation_event_comment_id ON moderation_event (comment_id)",
    "CREATE TABLE comment_status (comment_id INTEGER NOT NULL, status VARCHAR NOT NULL, event_id INTEGER NOT NULL, "
    "human BOOLEAN NOT NULL, PRIMARY KEY (comment_id), FOREIGN KEY(comment_id) REFERENCES comment (id))",
    "CREATE TABLE mention (id INTEGER NOT NULL, comment_id INTEGER NOT NULL, category VARCHAR NOT NULL, "
    "assertion VARCHAR NOT NULL, experiencer VARCHAR NOT NULL, evidence VARCHAR NOT NULL, "
    "sentiment FLOAT NOT NULL, PRIMARY KEY (id), FOREIGN KEY(comment_id) REFERENCES comment (id))",
    "CREATE INDEX ix_mention_category ON mention (category)",
    "CREATE INDEX ix_mention_comment_id ON mention (comment_id)",
    "CREATE TABLE topic_assignment (comment_id INTEGER NOT NULL, topic_id INTEGER NOT NULL, "
    "PRIMARY KEY (comment_id), FOREIGN KEY(comment_id) REFERENCES comment (id))",
    "CREATE INDEX ix_topic_assignment_topic_id ON topic_assignment (topic_id)",
)


def _columns(conn: Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _add_columns(conn: Connection, table: str, columns: tuple[tuple[str, str], ...]) -> None:
    """Add the columns a table lacks. Databases made between two releases by code that built tables
    from the models may hold some of them already."""
    have = _columns(conn, table)
    for name, ddl in columns:
        if name not in have:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}")


def m001_initial(conn: Connection) -> None:
    for statement in M001_DDL:
        conn.execute(statement.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1)
                             .replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))


def m002_views(conn: Connection) -> None:
    """The first release's views (today's come from `db.ensure_views`, run after every migration)."""
    conn.execute(
        "CREATE VIEW IF NOT EXISTS v_comments AS SELECT c.id AS comment_id, t.source_kind AS source, "
        "t.label AS thread, c.parent_id, c.reporter, a.role, COALESCE(s.status, 'pending') AS status, "
        "substr(c.created_at, 1, 4) AS created_at, a.text FROM comment c JOIN thread t ON t.id = c.thread_id "
        "LEFT JOIN analysis a ON a.comment_id = c.id LEFT JOIN comment_status s ON s.comment_id = c.id")
    conn.execute(
        "CREATE VIEW IF NOT EXISTS v_symptom_mentions AS SELECT m.comment_id, c.reporter, m.category, "
        "m.assertion, m.experiencer, m.evidence FROM mention m JOIN comment c ON c.id = m.comment_id")
    conn.execute(
        "CREATE VIEW IF NOT EXISTS v_symptom_reporters AS SELECT m.category, "
        "COUNT(DISTINCT c.reporter) AS reporters, COUNT(DISTINCT m.comment_id) AS comments FROM mention m "
        "JOIN comment c ON c.id = m.comment_id JOIN analysis a ON a.comment_id = m.comment_id "
        "JOIN comment_status s ON s.comment_id = m.comment_id "
        "WHERE m.assertion = 'affirmed' AND a.role = 'patient' AND s.status = 'approved' GROUP BY m.category")


def m003_topic_details(conn: Connection) -> None:
    """Topics carry their dominant symptoms, distinct reporters, mean sentiment and an excerpt."""
    _add_columns(conn, "topic", (("symptoms", "VARCHAR NOT NULL DEFAULT '[]'"),
                                 ("reporters", "INTEGER NOT NULL DEFAULT 0"),
                                 ("sentiment", "FLOAT NOT NULL DEFAULT 0.0"),
                                 ("excerpt", "VARCHAR NOT NULL DEFAULT ''")))


def m004_deletion_final(conn: Connection) -> None:
    """Comments deleted at the source keep no text: earlier releases kept raw and redacted text of
    them until `purge-raw`, and let a moderator approve them back."""
    conn.execute("UPDATE comment SET body = NULL, author = NULL WHERE deleted")
    gone = "(SELECT id FROM comment WHERE deleted)"
    conn.execute(f"UPDATE analysis SET text = '' WHERE comment_id IN {gone}")
    for table in ("mention", "flag", "topic_assignment"):
        conn.execute(f"DELETE FROM {table} WHERE comment_id IN {gone}")
    conn.execute(
        "INSERT INTO moderation_event (comment_id, status, actor, reason, policy_version, at) "
        "SELECT c.id, 'withdrawn', 'auto', 'deleted or removed at the source', 'source', "
        "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now') FROM comment c "
        "LEFT JOIN comment_status s ON s.comment_id = c.id "
        "WHERE c.deleted AND COALESCE(s.status, '') <> 'withdrawn'")
    conn.execute(
        "INSERT OR REPLACE INTO comment_status (comment_id, status, event_id, human) "
        "SELECT c.id, 'withdrawn', (SELECT max(e.id) FROM moderation_event e WHERE e.comment_id = c.id), 0 "
        "FROM comment c WHERE c.deleted")


def _legacy_rules(reason: str) -> list[dict[str, str]]:
    """The rules of an automatic event written before events stored them (m005 only: reasons were
    then "rule -> action; ... (policy V)"). Nothing else ever reads a reason back."""
    import re
    if reason.startswith("the author asked for it to be deleted"):
        return [{"rule": "deletion_request", "action": "withdraw"}]
    if reason == "deleted or removed at the source":
        return [{"rule": "deleted_at_source", "action": "withdraw"}]
    m = re.fullmatch(r"(\w+ -> \w+(?:; \w+ -> \w+)*) \(policy [^)]*\)", reason)
    if not m:
        return []
    return [{"rule": rule, "action": action} for rule, action in (p.split(" -> ") for p in m[1].split("; "))]


def m005_event_rules(conn: Connection) -> None:
    """Decisions store the rules that fired as data (a JSON list of {"rule", "action"})."""
    import json
    _add_columns(conn, "moderation_event", (("rules", "VARCHAR NOT NULL DEFAULT '[]'"),))
    rows = conn.execute("SELECT id, reason FROM moderation_event WHERE actor = 'auto'").fetchall()
    conn.executemany("UPDATE moderation_event SET rules = ? WHERE id = ?",
                     [(json.dumps(_legacy_rules(reason)), eid) for eid, reason in rows])


MIGRATIONS: list[Callable[[Connection], None]] = [m001_initial, m002_views, m003_topic_details,
                                                  m004_deletion_final, m005_event_rules]
