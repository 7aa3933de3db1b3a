"""A fake Reddit for tests: a ``requests.Session`` stand-in that praw drives through its real code.

Pass it as ``praw.Reddit(..., requestor_kwargs={"session": site})``. It answers the OAuth token POST
and the endpoints praw calls for search / new listings, comment trees, ``morechildren`` and
``api/info``, in Reddit's JSON shapes, with ``x-ratelimit-*`` headers on every API answer. Every
request is recorded in ``calls``. All data is synthetic.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.structures import CaseInsensitiveDict

TOKEN = "fake-token-not-a-secret"


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, Any]
    data: dict[str, Any]
    headers: dict[str, str]


@dataclass
class FakeRedditSite:
    """Submissions and comments of a fake Reddit, served the way Reddit serves them."""

    token_status: int = 200
    token_error: str | None = None  # e.g. "invalid_grant": Reddit's 200 answer to a wrong password
    submissions: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> t3 data
    comments: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> t1 data
    order: dict[str, list[str]] = field(default_factory=dict)  # parent fullname -> child ids
    collapsed: set[str] = field(default_factory=set)  # ids served only through morechildren
    listings: dict[str, list[str]] = field(default_factory=dict)  # subreddit -> ids, newest first
    ratelimit: dict[int, tuple[float, int, int]] = field(default_factory=dict)  # API call no. -> hdrs
    calls: list[Call] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # prawcore sets the User-Agent here

    # ------------------------------------------------------------------------------- building
    def add_submission(self, subreddit: str, sid: str, title: str, selftext: str = "",
                       author: str | None = "op_user", created_utc: float = 1_700_000_000.0,
                       score: int = 5) -> None:
        self.submissions[sid] = {
            "id": sid, "name": f"t3_{sid}", "title": title, "selftext": selftext,
            "author": author or "[deleted]", "created_utc": created_utc, "score": score,
            "subreddit": subreddit, "permalink": f"/r/{subreddit}/comments/{sid}/{title[:20]}/",
            "num_comments": 0, "url": f"https://www.reddit.com/r/{subreddit}/comments/{sid}/",
            "removed_by_category": None, "is_self": True,
        }
        self.listings.setdefault(subreddit, []).insert(0, sid)  # added later = newer
        self.order.setdefault(f"t3_{sid}", [])

    def add_comment(self, sid: str, cid: str, parent: str, body: str, author: str | None = "someone",
                    created_utc: float = 1_700_000_100.0, collapsed: bool = False) -> None:
        """``parent`` is a fullname (``t3_<sid>`` or ``t1_<id>``)."""
        sub = self.submissions[sid]
        self.comments[cid] = {
            "id": cid, "name": f"t1_{cid}", "parent_id": parent, "link_id": f"t3_{sid}",
            "author": author or "[deleted]", "body": body, "created_utc": created_utc, "score": 1,
            "subreddit": sub["subreddit"], "permalink": f"{sub['permalink']}{cid}/", "replies": "",
            "is_submitter": False, "depth": 0,
        }
        self.order.setdefault(parent, []).append(cid)
        self.order.setdefault(f"t1_{cid}", [])
        sub["num_comments"] += 1
        if collapsed:
            self.collapsed.add(cid)

    def delete_comment(self, cid: str, how: str = "[deleted]") -> None:
        """The author deleted it (``[deleted]``) or a moderator removed it (``[removed]``)."""
        self.comments[cid]["body"] = how
        if how == "[deleted]":
            self.comments[cid]["author"] = "[deleted]"

    # ------------------------------------------------------------------------------- serving
    def _descendants(self, fullname: str) -> int:
        return sum(1 + self._descendants(f"t1_{k}") for k in self.order.get(fullname, []))

    def _t1(self, cid: str, expand: bool) -> dict[str, Any]:
        data = dict(self.comments[cid])
        kids = self._children(f"t1_{cid}") if expand else []
        data["replies"] = ({"kind": "Listing", "data": {"children": kids, "after": None, "before": None}}
                           if kids else "")
        return {"kind": "t1", "data": data}

    def _children(self, parent: str) -> list[dict[str, Any]]:
        kids = self.order.get(parent, [])
        shown = [self._t1(k, True) for k in kids if k not in self.collapsed]
        hidden = [k for k in kids if k in self.collapsed]
        if hidden:
            count = sum(1 + self._descendants(f"t1_{k}") for k in hidden)
            shown.append({"kind": "more", "data": {
                "count": count, "name": f"t1_{hidden[0]}", "id": hidden[0], "parent_id": parent,
                "depth": 0, "children": hidden}})
        return shown

    def _flat(self, cid: str) -> list[dict[str, Any]]:
        out = [self._t1(cid, False)]
        for k in self.order.get(f"t1_{cid}", []):
            out += self._flat(k)
        return out

    @staticmethod
    def _listing(children: list[dict[str, Any]], after: str | None = None) -> dict[str, Any]:
        return {"kind": "Listing", "data": {"children": children, "after": after, "before": None,
                                            "dist": len(children)}}

    def _route(self, method: str, path: str, params: dict[str, Any], data: dict[str, Any]) -> Any:
        parts = [p for p in path.split("/") if p]
        if method == "GET" and len(parts) == 3 and parts[0] == "r" and parts[2] in ("search", "new"):
            ids = self.listings.get(parts[1])
            if ids is None:
                return 404, {"message": "Not Found", "error": 404}
            if parts[2] == "search":
                words = str(params.get("q", "")).lower().split()
                ids = [i for i in ids if all(w in (self.submissions[i]["title"] + " "
                                                   + self.submissions[i]["selftext"]).lower() for w in words)]
            if params.get("after"):
                ids = ids[ids.index(params["after"].removeprefix("t3_")) + 1:]
            page = ids[: int(params.get("limit", 25))]
            after = f"t3_{page[-1]}" if page and len(page) < len(ids) else None
            return 200, self._listing([{"kind": "t3", "data": self.submissions[i]} for i in page], after)
        if method == "GET" and len(parts) == 2 and parts[0] == "comments":
            sid = parts[1]
            if sid not in self.submissions:
                return 404, {"message": "Not Found", "error": 404}
            return 200, [self._listing([{"kind": "t3", "data": self.submissions[sid]}]),
                         self._listing(self._children(f"t3_{sid}"))]
        if method == "POST" and parts == ["api", "morechildren"]:
            things = [t for cid in str(data["children"]).split(",") for t in self._flat(cid)]
            return 200, {"json": {"errors": [], "data": {"things": things}}}
        if method == "GET" and parts == ["api", "info"]:
            found = []
            for name in str(params.get("id", "")).split(","):
                kind, _, tid = name.partition("_")
                if kind == "t1" and tid in self.comments:
                    found.append(self._t1(tid, False))
                elif kind == "t3" and tid in self.submissions:
                    found.append({"kind": "t3", "data": self.submissions[tid]})
            return 200, self._listing(found)
        return 404, {"message": "Not Found", "error": 404}

    def request(self, method: str, url: str, params: Any = None, data: Any = None,
                headers: dict[str, str] | None = None, **_: Any) -> requests.Response:
        """What ``requests.Session.request`` does, for the URLs praw asks for."""
        method = method.upper()
        parts = urlsplit(url)
        params = dict(params or {})
        data = dict(data or {})
        self.calls.append(Call(method, parts.path, params, data, dict(headers or {})))
        if parts.path == "/api/v1/access_token":
            if self.token_status != 200:
                return _response(self.token_status, {"message": "Unauthorized", "error": 401}, url, {})
            if self.token_error:
                return _response(200, {"error": self.token_error}, url, {})
            return _response(200, {"access_token": TOKEN, "token_type": "bearer", "expires_in": 86400,
                                   "scope": "*"}, url, {})
        if (headers or {}).get("Authorization") != f"bearer {TOKEN}":
            return _response(401, {"message": "Unauthorized", "error": 401}, url, {})
        number = sum(1 for c in self.calls if c.path != "/api/v1/access_token")
        remaining, used, reset = self.ratelimit.get(number, (600.0 - number, number, 600 - number))
        status, payload = self._route(method, parts.path, params, data)
        return _response(status, payload, url, {"x-ratelimit-remaining": str(remaining),
                                                "x-ratelimit-used": str(used),
                                                "x-ratelimit-reset": str(reset)})

    def close(self) -> None:
        """Nothing to close."""

    def api_calls(self) -> list[str]:
        """``METHOD /path`` of every call but the token POST, in order."""
        return [f"{c.method} {c.path}" for c in self.calls if c.path != "/api/v1/access_token"]


def _response(status: int, payload: Any, url: str, headers: dict[str, str]) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(payload).encode()
    response.headers = CaseInsensitiveDict({"content-type": "application/json; charset=UTF-8", **headers})
    response.url = url
    response.encoding = "utf-8"
    return response


def offline_praw(monkeypatch: Any) -> None:
    """Credentials for the fake site only, none of the machine's own, and no real sleeping on rate limits."""
    import time

    monkeypatch.setattr(time, "sleep", lambda s: None)
    for var in ("praw_user_agent", "praw_site", "praw_username", "praw_password"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("praw_client_id", "fake-client-id")
    monkeypatch.setenv("praw_client_secret", "fake-secret")
