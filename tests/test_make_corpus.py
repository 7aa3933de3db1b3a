"""The synthetic corpus generator: determinism, exact counts, thread structure, the Reddit shape, speed."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "make_corpus.py"
_spec = importlib.util.spec_from_file_location("make_corpus", SCRIPT)
mc = importlib.util.module_from_spec(_spec)
sys.modules["make_corpus"] = mc  # dataclasses look their module up while the script loads
_spec.loader.exec_module(mc)

JSONL_KEYS = ["id", "thread", "author", "created", "parent", "body"]
LABEL_KEYS = ["id", "thread", "role", "symptoms", "identifiers", "flags", "target"]


def _run(tmp_path: Path, *args: str, name: str = "c.jsonl") -> Path:
    out = tmp_path / name
    assert mc.main(["--out", str(out), *args]) == 0
    return out


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _walk(children: list[dict]):
    """Every t1 / more node of a comment listing, depth first."""
    for node in children:
        yield node
        replies = node["data"].get("replies")
        if replies:
            assert replies["kind"] == "Listing"
            yield from _walk(replies["data"]["children"])


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    a = _run(tmp_path, "--size", "500", "--seed", "7", name="a.jsonl")
    b = _run(tmp_path, "--size", "500", "--seed", "7", name="b.jsonl")
    c = _run(tmp_path, "--size", "500", "--seed", "8", name="c.jsonl")
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a.labels.jsonl").read_bytes() == (tmp_path / "b.labels.jsonl").read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_same_bytes_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    digests = []
    for hash_seed in ("1", "12345"):
        out = tmp_path / f"h{hash_seed}.jsonl"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, str(SCRIPT), "--size", "800", "--seed", "42", "--out", str(out)],
                       check=True, env=env, capture_output=True)
        digests.append((out.read_bytes(), out.with_name(out.stem + ".labels.jsonl").read_bytes()))
    assert digests[0] == digests[1]


def test_reddit_output_is_deterministic(tmp_path: Path) -> None:
    for name in ("r1", "r2"):
        mc.main(["--size", "300", "--seed", "3", "--format", "reddit-json", "--out", str(tmp_path / name)])
    files = sorted(p.name for p in (tmp_path / "r1").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "r2").iterdir())
    for name in files:
        assert (tmp_path / "r1" / name).read_bytes() == (tmp_path / "r2" / name).read_bytes()


@pytest.mark.parametrize("size,threads", [(1, None), (37, None), (1000, None), (1000, 7), (5, 5)])
def test_exact_counts_and_keys(tmp_path: Path, size: int, threads: int | None) -> None:
    extra = ["--threads", str(threads)] if threads else []
    out = _run(tmp_path, "--size", str(size), "--seed", "1", *extra)
    rows, labels = _lines(out), _lines(tmp_path / "c.labels.jsonl")
    assert len(rows) == size and len(labels) == size
    assert all(list(r) == JSONL_KEYS for r in rows)
    assert all(list(lab) == LABEL_KEYS for lab in labels)
    assert [r["id"] for r in rows] == [lab["id"] for lab in labels]
    assert len({r["id"] for r in rows}) == size
    if threads:
        assert len({r["thread"] for r in rows}) == threads


def test_parents_earlier_in_same_thread_and_times_ordered(tmp_path: Path) -> None:
    rows = _lines(_run(tmp_path, "--size", "3000", "--seed", "11"))
    seen: dict[str, dict] = {}
    replies = 0
    for r in rows:
        if r["parent"] is not None:
            replies += 1
            parent = seen[r["parent"]]  # KeyError: parent not earlier in the file
            assert parent["thread"] == r["thread"]
            assert parent["created"] < r["created"]
        assert r["created"].endswith("Z") and len(r["created"]) == 20
        seen[r["id"]] = r
    assert replies > 500  # nested replies exist
    grandchildren = [r for r in rows if r["parent"] and seen[r["parent"]]["parent"]]
    assert grandchildren


def test_threads_vary_and_authors_post_across_threads(tmp_path: Path) -> None:
    rows = _lines(_run(tmp_path, "--size", "5000", "--seed", "2"))
    sizes: dict[str, int] = {}
    threads_by_author: dict[str, set[str]] = {}
    for r in rows:
        sizes[r["thread"]] = sizes.get(r["thread"], 0) + 1
        threads_by_author.setdefault(r["author"], set()).add(r["thread"])
    assert min(sizes.values()) <= 5 and max(sizes.values()) >= 100
    regulars = [a for a, ts in threads_by_author.items() if len(ts) >= 3 and a != "[deleted]"]
    assert len(regulars) >= 20


def test_labels_match_bodies(tmp_path: Path) -> None:
    out = _run(tmp_path, "--size", "4000", "--seed", "5")
    rows, labels = _lines(out), _lines(tmp_path / "c.labels.jsonl")
    by_id = {r["id"]: r for r in rows}
    kinds, roles, flags, cats = set(), set(), set(), set()
    for r, lab in zip(rows, labels):
        for ident in lab["identifiers"]:
            assert ident["text"] in r["body"], (ident, r["body"])
            kinds.add(ident["kind"])
        roles.add(lab["role"])
        flags.update(lab["flags"])
        cats.update(lab["symptoms"])
        assert set(lab["symptoms"]) <= set(mc.CATEGORIES)
        if "duplicate" in lab["flags"]:
            original = by_id[lab["target"]]
            assert original["body"] == r["body"] and original["author"] == r["author"]
        if "deletion_request" in lab["flags"]:
            assert by_id[lab["target"]]["author"] == r["author"]
        if lab["role"] == "provider":
            assert lab["symptoms"] == [] and "provider" in lab["flags"]
        if {"no_experience", "off_topic"} & set(lab["flags"]) or r["body"] == "[removed]":
            assert lab["role"] == "other"
    assert kinds == {"name", "place", "date", "user", "url", "email", "phone", "address"}
    assert roles == {"patient", "provider", "other"}
    assert {"provider", "off_topic", "no_experience", "duplicate", "deletion_request"} <= flags
    assert cats == set(mc.CATEGORIES)


def test_content_mix_includes_traps_and_negations(tmp_path: Path) -> None:
    rows = _lines(_run(tmp_path, "--size", "4000", "--seed", "9"))
    labels = {lab["id"]: lab for lab in _lines(tmp_path / "c.labels.jsonl")}
    text = "\n".join(r["body"] for r in rows).lower()
    for phrase in ("fell asleep", "burned the nerves", "numbed the skin", "no numbness", "worried",
                   "coolief", "heart ablation", "rhitzo", "[removed]", "delete", "weeks"):
        assert phrase in text, phrase
    trap_only = [r for r in rows if r["body"] == "They burned the nerves at L4-L5."]
    assert all(labels[r["id"]]["symptoms"] == [] for r in trap_only)
    asleep = [labels[r["id"]] for r in rows if "I fell asleep during the procedure." in r["body"]]
    assert any("falls" not in lab["symptoms"] for lab in asleep)
    denied = [labels[r["id"]] for r in rows if "No numbness or tingling at all" in r["body"]
              and "have been numb since" not in r["body"] and "tingling in both feet" not in r["body"]]
    assert denied and all({"numbness", "tingling"}.isdisjoint(lab["symptoms"]) for lab in denied)
    lengths = sorted(len(r["body"]) for r in rows)
    assert lengths[0] < 40 and lengths[-1] > 2000


def test_same_comments_in_both_formats(tmp_path: Path) -> None:
    _run(tmp_path, "--size", "400", "--seed", "4")
    mc.main(["--size", "400", "--seed", "4", "--format", "reddit-json", "--out", str(tmp_path / "r")])
    jsonl = {r["id"]: r for r in _lines(tmp_path / "c.jsonl")}
    reddit_labels = [lab for lab in _lines(tmp_path / "r" / "labels.jsonl") if lab["id"] in jsonl]
    assert len(reddit_labels) == 400
    assert reddit_labels == _lines(tmp_path / "c.labels.jsonl")


def test_reddit_shape(tmp_path: Path) -> None:
    out = tmp_path / "r"
    assert mc.main(["--size", "2000", "--seed", "6", "--format", "reddit-json", "--out", str(out)]) == 0
    files = sorted(out.glob("*.json"))
    jsonl_rows = {lab["id"]: lab for lab in _lines(out / "labels.jsonl")}
    total, deleted, removed, more = 0, 0, 0, 0
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(doc, list) and len(doc) == 2
        assert [d["kind"] for d in doc] == ["Listing", "Listing"]
        (post,) = doc[0]["data"]["children"]
        assert post["kind"] == "t3"
        p = post["data"]
        assert path.stem == p["id"] and p["name"] == f"t3_{p['id']}"
        for key in ("title", "selftext", "author", "created_utc", "score", "permalink", "subreddit",
                    "num_comments"):
            assert key in p, key
        ids, depth = {p["name"]}, {p["name"]: -1}
        count = 0
        for node in _walk(doc[1]["data"]["children"]):
            d = node["data"]
            if node["kind"] == "more":
                more += 1
                assert d["parent_id"] in ids and d["count"] == len(d["children"])
                continue
            assert node["kind"] == "t1"
            assert d["name"] == f"t1_{d['id']}" and d["link_id"] == p["name"]
            assert d["parent_id"] in ids  # parent already seen: nesting matches parent_id
            assert d["depth"] == depth[d["parent_id"]] + 1
            assert d["replies"] == "" or d["replies"]["kind"] == "Listing"
            assert d["created_utc"] > p["created_utc"] and d["id"] in jsonl_rows
            depth[d["name"]] = d["depth"]
            ids.add(d["name"])
            count += 1
            deleted += d["author"] == "[deleted]"
            removed += d["body"] == "[removed]"
        assert p["num_comments"] == count
        total += count
    assert total == 2000
    assert deleted > 0 and removed > 0 and more > 0
    assert len(_lines(out / "labels.jsonl")) == 2000 + len(files)


def test_bad_arguments_exit_with_usage_error(tmp_path: Path) -> None:
    for args in (["--size", "0"], ["--size", "5", "--threads", "6"]):
        with pytest.raises(SystemExit) as exc:
            mc.main([*args, "--out", str(tmp_path / "x.jsonl")])
        assert exc.value.code == 2


# sha256 of the output of size 300, seed 7, made before the template tables moved to corpus_templates.toml
# and the Reddit writer to corpus_reddit.py: reordering or editing a template changes these on purpose.
GOLDEN_JSONL = "04ea3b60b71ab5eeac3913952088741db60bc69420dc64bedc5ff7f9fb89ff7f"
GOLDEN_REDDIT = "d82f72b65ecba4f072e97f4d449745a188fb5f4994015be9915395e53c92b4e5"


def test_output_is_byte_identical_to_before_the_split(tmp_path: Path) -> None:
    out = _run(tmp_path, "--size", "300", "--seed", "7")
    jsonl = hashlib.sha256(out.read_bytes() + (tmp_path / "c.labels.jsonl").read_bytes()).hexdigest()
    mc.main(["--size", "300", "--seed", "7", "--format", "reddit-json", "--out", str(tmp_path / "r")])
    digest = hashlib.sha256()
    for path in sorted((tmp_path / "r").iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    assert (jsonl, digest.hexdigest()) == (GOLDEN_JSONL, GOLDEN_REDDIT)


def test_templates_file_has_every_table_as_tuples() -> None:
    tables = mc.load_templates()
    assert list(tables) == ["people", "slots", "affirmed", "templates"]
    assert list(tables["affirmed"]) == list(mc.CATEGORIES)
    assert mc.V["rel"][0] == ("mom", "her", "she") and mc.COMBOS[0][0] == ("weakness", "falls")
    assert mc.DELETE_WITH == "Post this one and delete the first one please:"
    assert len(mc.AFFIRMED) == sum(len(t) for t in tables["affirmed"].values()) == 34
