"""Storage: migrations, WAL, idempotent ingest, parent links, pseudonyms, all-or-nothing input."""
from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from conftest import SEED_DIR, SEED_THREAD
from rhizo_voices.db import MIGRATIONS, key_path, open_db
from rhizo_voices.errors import InputError
from rhizo_voices.ingest import ingest_files


def rows(engine, sql):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_open_applies_migrations_once_in_wal_mode(engine, db_file):
    assert rows(engine, "SELECT name FROM migration ORDER BY name") == [(m.__name__,) for m in MIGRATIONS]
    assert rows(engine, "PRAGMA journal_mode") == [("wal",)]
    again = open_db(db_file)
    assert rows(again, "SELECT count(*) FROM migration") == [(len(MIGRATIONS),)]
    again.dispose()


def test_views_have_exactly_the_design_columns(engine):
    def cols(view):
        return [r[1] for r in rows(engine, f"PRAGMA table_info({view})")]
    assert cols("v_comments") == ["comment_id", "source", "thread", "parent_id", "reporter", "role",
                                  "status", "created_at", "text"]
    assert cols("v_symptom_mentions") == ["comment_id", "reporter", "category", "assertion",
                                          "experiencer", "evidence"]
    assert cols("v_symptom_reporters") == ["category", "reporters", "comments"]


def test_seed_ingest_is_idempotent_with_parent_links(engine, db_file):
    [first] = ingest_files(engine, db_file, "thread", [SEED_THREAD])
    assert (first.new, first.updated, first.seen) == (25, 0, 25)
    [second] = ingest_files(engine, db_file, "thread", [SEED_THREAD])
    assert (second.new, second.updated, second.seen) == (0, 0, 25)
    assert rows(engine, "SELECT count(*) FROM comment") == [(25,)]
    assert rows(engine, "SELECT count(*) FROM source") == [(1,)]  # the re-ingest left no trace
    links = rows(engine, """SELECT c.native_id, p.native_id FROM comment c
                            LEFT JOIN comment p ON p.id = c.parent_id ORDER BY c.position""")
    assert links[:3] == [("1", None), ("1.1", "1"), ("1.2", "1")]
    assert ("6.1.1.1", "6.1.1") in links and ("13.1", "13") in links
    assert sum(1 for _, parent in links if parent is None) == 13


def test_one_reporter_per_author_and_key_kept_apart(engine, db_file):
    ingest_files(engine, db_file, "thread", [SEED_THREAD])
    per_author = rows(engine, "SELECT author, count(DISTINCT reporter), count(*) FROM comment "
                              "GROUP BY author ORDER BY author")
    assert ("Melissa", 1, 3) in per_author and ("Regenexx Team", 1, 10) in per_author
    assert rows(engine, "SELECT count(DISTINCT reporter) FROM comment") == [(14,)]  # 12 commenters, the clinic team, the post author
    names = {r[0] for r in rows(engine, "SELECT DISTINCT reporter FROM comment")}
    assert all(n.startswith("r") and len(n) == 11 for n in names)
    key = key_path(db_file)
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert key.read_text() not in db_file.read_bytes().decode("latin-1")


def test_articles_add_no_comments_and_no_error(engine, db_file):
    results = ingest_files(engine, db_file, "thread", sorted(SEED_DIR.glob("00[0234]_*.txt")))
    assert [(r.new, r.seen) for r in results] == [(0, 0)] * 4
    assert rows(engine, "SELECT count(*) FROM comment") == [(0,)]


def test_a_bad_file_among_several_writes_nothing(engine, db_file, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(InputError, match=f"^{empty}: empty file, nothing to ingest$"):
        ingest_files(engine, db_file, "thread", [SEED_THREAD, empty])
    assert rows(engine, "SELECT count(*) FROM comment") == [(0,)]


@pytest.mark.parametrize("content, message", [
    (None, "{p}: no such file"),
    (b"\x00\x01\x02binary", "{p}: binary file, not text"),
    (b"ok line\n\xff\xfe bad", "{p}:2: not valid UTF-8 (byte 8)"),
])
def test_unreadable_files(engine, db_file, tmp_path, content, message):
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as err:
        ingest_files(engine, db_file, "thread", [path])
    assert str(err.value) == message.format(p=path)


def test_edited_comment_is_updated_not_duplicated(engine, db_file, tmp_path):
    thread = tmp_path / "t.txt"
    thread.write_text("Title\n\n1 thought on “Title”\n\n  1. Ann\n\n    First words.\n")
    ingest_files(engine, db_file, "thread", [thread])
    thread.write_text("Title\n\n1 thought on “Title”\n\n  1. Ann\n\n    Edited words.\n")
    [r] = ingest_files(engine, db_file, "thread", [thread])
    assert (r.new, r.updated) == (0, 1)
    assert rows(engine, "SELECT body FROM comment") == [("Edited words.",)]
