"""Generate a synthetic saved Reddit thread (the JSON of ``/comments/<id>.json``) for tests.

Seeded and deterministic: the same seed writes the same bytes. Several hundred nested comments with
synthetic text and made-up usernames, some deleted or removed, and a few "load more" stubs, so the
parser is tested on Reddit's real shape without any real Reddit data.

    python scripts/make_reddit_fixture.py [-o tests/data/reddit_big.json] [--seed 6] [-n 500]
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

SUBREDDIT = "SyntheticPain"
SUBMISSION = "fx6big"
BASE_TIME = 1_700_000_000
WORDS = ("after the rhizotomy my lower back felt different for weeks and the doctor said it would "
         "settle the ablation helped a lot at first then the ache came back on the left side walking "
         "is easier now but sitting still hurts physical therapy twice a week made a difference").split()
ADJECTIVES = ["quiet", "amber", "steady", "lucky", "brisk", "calm", "tidy", "rusty"]
NOUNS = ["otter", "heron", "maple", "comet", "pebble", "lantern", "falcon", "willow"]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 18))
    return " ".join(words).capitalize() + rng.choice([".", "!", "?", "..."])


def _comment_id(i: int) -> str:
    return f"k{i:05x}"


def generate(seed: int = 6, n: int = 500) -> tuple[list, dict[str, str], dict[str, int]]:
    """The thread JSON, the true parent of every comment (fullname -> fullname), and counts.

    Counts: ``comments`` (t1 objects in the file), ``deleted``, ``removed``, ``more_stubs`` and
    ``unexpanded`` (the sum of the stubs' counts).
    """
    rng = random.Random(seed)
    root = f"t3_{SUBMISSION}"
    parents: dict[str, str] = {}
    depth: dict[str, int] = {root: -1}
    order: list[str] = []
    for i in range(n):
        fullname = f"t1_{_comment_id(i)}"
        candidates = [root] + [c for c in order[-40:] if depth[c] < 9]
        parent = root if rng.random() < 0.15 else rng.choice(candidates)
        parents[fullname] = parent
        depth[fullname] = depth[parent] + 1
        order.append(fullname)
    children: dict[str, list[str]] = {root: []}
    for fullname in order:
        children.setdefault(fullname, [])
        children[parents[fullname]].append(fullname)
    counts = {"comments": n, "deleted": 0, "removed": 0, "more_stubs": 0, "unexpanded": 0}
    permalink = f"/r/{SUBREDDIT}/comments/{SUBMISSION}/synthetic_thread_about_rfa/"

    def thing(fullname: str, index: int) -> dict:
        roll = rng.random()
        author = f"{rng.choice(ADJECTIVES)}_{rng.choice(NOUNS)}{rng.randint(1, 99)}"
        body = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
        if roll < 0.04:
            author, body = "[deleted]", "[deleted]"
            counts["deleted"] += 1
        elif roll < 0.07:
            body = "[removed]"
            counts["removed"] += 1
        elif roll < 0.10:
            body += " Tom &amp; Jerry &lt;3"
        kids = [thing(k, j) for j, k in enumerate(children[fullname])]
        cid = fullname[3:]
        data = {
            "id": cid, "name": fullname, "parent_id": parents[fullname], "link_id": root,
            "author": author, "body": body, "created_utc": float(BASE_TIME + 60 * int(cid[1:], 16)),
            "score": rng.randint(-3, 40), "subreddit": SUBREDDIT, "permalink": f"{permalink}{cid}/",
            "depth": depth[fullname], "is_submitter": False,
            "replies": {"kind": "Listing", "data": {"children": kids, "after": None, "before": None}}
            if kids else "",
        }
        return {"kind": "t1", "data": data}

    def more(parent: str, hidden: list[str]) -> dict:
        counts["more_stubs"] += 1
        counts["unexpanded"] += len(hidden)
        return {"kind": "more", "data": {"count": len(hidden), "name": hidden[0], "id": hidden[0][3:],
                                         "parent_id": parent, "depth": depth[parent] + 1,
                                         "children": [h[3:] for h in hidden]}}

    top = [thing(k, j) for j, k in enumerate(children[root])]
    # Stubs stand for comments Reddit did not send: they are not in `parents` (never in the file).
    top.append(more(root, [f"t1_{_comment_id(n + j)}" for j in range(7)]))
    first_reply_listing = next(t for t in top if t["data"].get("replies"))
    first_reply_listing["data"]["replies"]["data"]["children"].append(
        more(first_reply_listing["data"]["name"], [f"t1_{_comment_id(n + 7 + j)}" for j in range(3)]))
    submission = {
        "id": SUBMISSION, "name": root, "title": "Synthetic thread: how was your RFA recovery?",
        "selftext": "Made-up post for tests &amp; benchmarks. Tell me how it went.",
        "author": "synthetic_op", "created_utc": float(BASE_TIME - 3600), "score": 123,
        "subreddit": SUBREDDIT, "permalink": permalink, "num_comments": n + 10,
        "removed_by_category": None,
    }
    listing = [
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": submission}], "after": None}},
        {"kind": "Listing", "data": {"children": top, "after": None, "before": None}},
    ]
    return listing, parents, counts


def render(data: list) -> str:
    """The file's text: compact, key order kept, one trailing newline."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=Path("tests/data/reddit_big.json"))
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("-n", type=int, default=500)
    args = parser.parse_args()
    data, _, counts = generate(args.seed, args.n)
    args.out.write_text(render(data), encoding="utf-8")
    print(f"wrote {args.out}: {counts}")


if __name__ == "__main__":
    main()
