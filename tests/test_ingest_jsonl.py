"""JSON Lines in DESIGN's shape, with errors that name the file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from rhizo_voices.errors import InputError
from rhizo_voices.ingest.jsonl import parse_jsonl

DATA = Path(__file__).parent / "data"


def test_two_threads_exact():
    threads = parse_jsonl(DATA / "comments_ok.jsonl")
    assert [(t.key, t.title, t.url) for t in threads] == [
        ("jsonl:forum-7", "forum-7", None), ("jsonl:forum-8", "forum-8", None)]
    assert [[(c.native_id, c.parent_id, c.author, c.created, c.body, c.deleted) for c in t.comments]
            for t in threads] == [
        [("a1", None, "ann_example", "2024-01-02T10:00:00+00:00", "Had RFA in December.", False),
         ("a3", "a2", None, None, "[removed]", True),
         ("a2", "a1", "bo_example", "2024-01-03T09:30:00+01:00", "Same here,\nlegs burning.", False)],
        [("b1", None, None, "2024-01-02T10:00:00+00:00", "Different thread.", False),
         ("7", "b1", "cy", "2024-01-04T00:00:00", "", False)],
    ]


GOOD = '{"id": "x", "thread": "t", "author": "a", "created": null, "parent": null, "body": "b"}'


@pytest.mark.parametrize("lines, message", [
    ([GOOD, '{"id": "y", "thread": "t",'], "{f}:2: not valid JSON (Expecting property name enclosed in "
                                           "double quotes, column 27)"),
    (['["not", "an", "object"]'], "{f}:1: expected a JSON object, found list"),
    (['{"id": "x", "thread": "t", "body": "b"}'], "{f}:1: missing keys 'author', 'created', 'parent'"),
    (['{"id": "x", "thread": "t", "author": null, "created": null, "body": "b"}'],
     "{f}:1: missing key 'parent'"),
    ([GOOD.replace('"id": "x"', '"id": true')], "{f}:1: 'id' must be a string or integer, not true"),
    ([GOOD.replace('"id": "x"', '"id": ""')], "{f}:1: 'id' must be a string or integer, not \"\""),
    ([GOOD.replace('"thread": "t"', '"thread": null')],
     "{f}:1: 'thread' must be a string or integer, not null"),
    ([GOOD.replace('"parent": null', '"parent": 1.5')],
     "{f}:1: 'parent' must be a string or integer or null, not 1.5"),
    ([GOOD.replace('"body": "b"', '"body": null')], "{f}:1: 'body' must be a string"),
    ([GOOD.replace('"author": "a"', '"author": 3')], "{f}:1: 'author' must be a string or null"),
    ([GOOD.replace('"created": null', '"created": "last tuesday"')],
     "{f}:1: 'created' 'last tuesday' is not an ISO 8601 date"),
    ([GOOD.replace('"created": null', '"created": [2024]')],
     "{f}:1: 'created' must be an ISO 8601 string, a Unix timestamp or null"),
    ([GOOD, "", GOOD], "{f}:3: duplicate id 'x' (first on line 1)"),
    ([GOOD, GOOD.replace('"x"', '"y"').replace('"parent": null', '"parent": "zz"')],
     "{f}:2: parent 'zz' is not an id in this file"),
    ([GOOD, GOOD.replace('"x"', '"y"').replace('"parent": null', '"parent": "x"').replace('"t"', '"u"')],
     "{f}:2: parent 'x' belongs to thread 't', not 'u'"),
    ([GOOD.replace('"parent": null', '"parent": "x"')], "{f}:1: comment 'x' is its own parent"),
    ([GOOD.replace('"parent": null', '"parent": "y"'),
      GOOD.replace('"x"', '"y"').replace('"parent": null', '"parent": "x"')],
     "{f}:1: comment 'x' is its own ancestor (parents form a loop)"),
    ([], "{f}: empty file, no comments"),
    (["", "   "], "{f}: empty file, no comments"),
])
def test_errors_name_file_and_line(tmp_path, lines, message):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_jsonl(path)
    assert str(info.value) == message.format(f=path)


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(GOOD.encode() + b"\n" + GOOD.replace('"b"', '"caf\xe9"').encode("latin-1") + b"\n")
    with pytest.raises(InputError) as info:
        parse_jsonl(path)
    assert str(info.value) == f"{path}:2: not valid UTF-8 (byte 87 of the line)"


def test_bom_and_crlf_are_fine(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode() + b"\r\n")
    [thread] = parse_jsonl(path)
    assert [(c.native_id, c.body) for c in thread.comments] == [("x", "b")]


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"none\.jsonl: no such file$"):
        parse_jsonl(tmp_path / "none.jsonl")
