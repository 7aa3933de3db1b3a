"""The text thread parser, on the seed and on small synthetic threads."""
from __future__ import annotations

import pytest

from rhizo_voices.errors import InputError
from rhizo_voices.ingest.thread_text import parse_thread_text

from conftest import SEED_DIR, SEED_THREAD

EXPECTED_SEED = [
    ("1", None, "BL"), ("1.1", "1", "Regenexx Team"), ("1.2", "1", "Regenexx Team"),
    ("2", None, "Helen"), ("2.1", "2", "Regenexx Team"),
    ("3", None, "Tracie Byers"), ("3.1", "3", "Regenexx Team"),
    ("4", None, "Stacy"), ("4.1", "4", "Regenexx Team"),
    ("5", None, "Theresa Mass"), ("5.1", "5", "Regenexx Team"),
    ("6", None, "Melissa"), ("6.1", "6", "Regenexx Team"), ("6.1.1", "6.1", "Melissa"),
    ("6.1.1.1", "6.1.1", "Regenexx Team"),
    ("7", None, "Lisa"), ("7.1", "7", "Regenexx Team"),
    ("8", None, "Melissa"),
    ("9", None, "ronald letourneau"), ("9.1", "9", "Regenexx Team"),
    ("10", None, "Robert T. Tillotson"), ("11", None, "Ayisha M"), ("12", None, "Carol A. Morales"),
    ("13", None, "Wolfgang Dahnert"), ("13.1", "13", "Chris Centeno, MD"),
]


def seed():
    return parse_thread_text(SEED_THREAD.read_text(encoding="utf-8"), str(SEED_THREAD))


def test_seed_thread_structure():
    thread = seed()
    assert thread.key == "blog:rhizotomy-side-effects-killing-off-important-stabilizers"
    assert [(c.native_id, c.parent_id, c.author) for c in thread.comments] == EXPECTED_SEED
    assert [c.author for c in thread.comments if c.post_author] == ["Chris Centeno, MD"]


def test_seed_bodies_are_whole_and_stop_at_the_page_footer():
    comments = {c.native_id: c for c in seed().comments}
    assert comments["1"].body.startswith("I spoke to a rep for “Coolief”")
    assert comments["7.1"].body.startswith("Hi Lisa,\nBecause this procedure")
    assert comments["10"].body.endswith("I would never recommend anyone burn out nerves in your body.")
    assert comments["13.1"].body == ("In an MRI axial image, the left side of the image is the "
                                     "patient’s right side.")


@pytest.mark.parametrize("name", ["000_3a2ca112807ce32e.txt", "002_eab90ddfc94d779d.txt",
                                  "003_35a6f581c26e4c08.txt", "004_40e21f082e732d88.txt"])
def test_articles_without_comments_give_zero_comments(name):
    thread = parse_thread_text((SEED_DIR / name).read_text(encoding="utf-8"), name)
    assert thread.comments == []


def test_numbered_list_inside_a_body_is_not_a_reply():
    text = ("Title\n\n3 thoughts on “Title”\n\n  1. Ann\n\n    My list:\n    1. first\n    2. second\n\n"
            "    1. Bob\n\n      Reply to Ann.\n\n  2. Cy\n\n    Top level again.\n\nFooter\n")
    got = [(c.native_id, c.parent_id, c.author, c.body) for c in parse_thread_text(text, "t").comments]
    assert got == [("1", None, "Ann", "My list:\n1. first\n2. second"),
                   ("1.1", "1", "Bob", "Reply to Ann."), ("2", None, "Cy", "Top level again.")]


@pytest.mark.parametrize("text, message", [
    ("", "t.txt: empty file, nothing to ingest"),
    ("   \n\n", "t.txt: empty file, nothing to ingest"),
    ('{"a": 1}', "t.txt:1: this is JSON, not a comment thread (use `rhizo ingest reddit-json` or `jsonl`)"),
    ("a,b,c\n1,2,3\n", "t.txt: not a comment thread: no 'N thoughts on ...' header and no article text"),
    ("Title\n\n2 thoughts on “Title”\n\nno numbered comments here\n",
     "t.txt:3: header announces 2 comments but no numbered comment follows"),
])
def test_bad_input_is_a_clear_error(text, message):
    with pytest.raises(InputError) as err:
        parse_thread_text(text, "t.txt")
    assert str(err.value) == message
