"""The saved-Reddit-JSON writer of scripts/make_corpus.py: one /comments/<id>.json file per thread.

Each thread of generated comments becomes the JSON Reddit serves at ``/comments/<id>.json``: a list of two
Listings, the submission (a post by a patient, or a question before the procedure) and the comment tree,
with nested ``replies``, ``[deleted]`` authors, ``[removed]`` bodies and "more" stubs. The comments are
the same as in the JSONL output of the same seed; the submission and the Reddit-only fields (scores,
titles, subreddits, stubs) come from a stream of their own, seeded by the seed and the thread id.
Used through ``make_corpus.write_reddit`` (``--format reddit-json``). Standard library only.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from make_corpus import (P_MORE_STUB, SUBREDDITS, TITLES, Comment, _cap, _int, _label, _make_author, _pick, _q,
                         _Slots, labels_path, make_comment)

_dumps = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps(**kw) builds one per call


def _listing(children: list[str], dist: str = "null") -> str:
    """A Listing around already-encoded children (strings are built directly: json.dumps is slower)."""
    return (f'{{"kind": "Listing", "data": {{"after": null, "dist": {dist}, "modhash": "", "geo_filter": "", '
            f'"children": [{", ".join(children)}], "before": null}}}}')


def reddit_thread(thread: list[Comment], seed: int) -> tuple[str, Comment]:
    """The JSON text of /comments/<id>.json for one thread, and its submission (a post by a patient)."""
    tid = thread[0].thread
    rng = random.Random(f"{seed}:{tid}")  # its own stream: the comments match the jsonl output
    first = thread[0].author
    op = first if first.first and thread[0].role == "patient" else _make_author(rng, _int(rng, 0, 10 ** 6))
    asks = op is not first and rng.random() < 0.3  # an OP who comments a report below has had it done
    sub = make_comment(rng, tid, tid, op, None, "no_experience" if asks else "report")
    title = _cap(_pick(rng, TITLES).format_map(_Slots(rng)))
    subreddit = _pick(rng, SUBREDDITS)
    link = f"/r/{subreddit}/comments/{tid}/{'_'.join(title.lower().split()[:6]).strip('?,')}/"
    sub.created = thread[0].created - _int(rng, 60, 7200)
    common = {"subreddit": subreddit, "subreddit_id": f"t5_2qhd{SUBREDDITS.index(subreddit)}",
              "edited": False, "distinguished": None, "stickied": False, "gilded": 0}
    post = {"kind": "t3", "data": {**common, "id": tid, "name": f"t3_{tid}", "title": title,
            "selftext": sub.body, "author": op.user, "created_utc": float(sub.created),
            "score": _int(rng, 1, 300), "upvote_ratio": 0.9, "num_comments": len(thread),
            "permalink": link, "url": f"https://www.reddit.com{link}", "is_self": True, "over_18": False,
            "link_flair_text": None}}
    shared = _dumps(common)[1:-1]
    depth = [0] * len(thread)
    for j, c in enumerate(thread):
        depth[j] = 0 if c.parent is None else depth[c.parent] + 1
    kids: list[list[str]] = [[] for _ in thread]
    top: list[str] = []
    for j in range(len(thread) - 1, -1, -1):  # children before parents: every parent is earlier
        c = thread[j]
        mine = kids[j][::-1]
        if mine and rng.random() < P_MORE_STUB:
            hidden = [f"{int(c.id, 16) + 0x1000000000:x}{i}" for i in range(_int(rng, 1, 4))]
            mine.append(_dumps({"kind": "more", "data": {"count": len(hidden), "name": f"t1_{hidden[0]}",
                        "id": hidden[0], "parent_id": f"t1_{c.id}", "depth": depth[j] + 1, "children": hidden}}))
        parent_id = f"t3_{tid}" if c.parent is None else f"t1_{thread[c.parent].id}"
        node = (f'{{"kind": "t1", "data": {{{shared}, "id": "{c.id}", "name": "t1_{c.id}", '
                f'"parent_id": "{parent_id}", "link_id": "t3_{tid}", "author": {_q(c.author.user)}, '
                f'"body": {_q(c.body)}, "created_utc": {float(c.created)!r}, "score": {_int(rng, -3, 60)}, '
                f'"depth": {depth[j]}, "permalink": {_q(f"{link}{c.id}/")}, '
                f'"is_submitter": {"true" if c.author is op else "false"}, '
                f'"replies": {_listing(mine) if mine else chr(34) * 2}}}}}')
        (top if c.parent is None else kids[c.parent]).append(node)
    return f"[{_listing([_dumps(post)], '1')}, {_listing(top[::-1])}]", sub


def write_reddit(threads: list[list[Comment]], out: Path, seed: int) -> None:
    """One <thread id>.json per thread in folder ``out``, and labels.jsonl (submissions included)."""
    out.mkdir(parents=True, exist_ok=True)
    with labels_path(out, "reddit-json").open("w", encoding="utf-8", newline="\n") as lab:
        for thread in threads:
            doc, sub = reddit_thread(thread, seed)
            (out / f"{sub.id}.json").write_text(doc, encoding="utf-8")
            lab.write(_label(sub) + "".join(map(_label, thread)))

