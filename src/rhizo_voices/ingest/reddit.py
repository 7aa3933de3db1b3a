"""Reddit threads: saved ``/comments/<id>.json`` files, and live collection through praw.

Both paths return :class:`RedditThread` (a :class:`ParsedThread` that also says how many comments
Reddit left behind "load more" stubs). The submission is the first comment of its thread
(``kind="submission"``, ``native_id="t3_<id>"``, body = title and self-text); every comment keeps its
Reddit fullname (``t1_<id>``) and its parent's fullname, so top-level comments point at ``t3_<id>``.

Credentials come from praw itself (a ``praw.ini`` site or the ``praw_client_id`` /
``praw_client_secret`` environment variables); they are never logged, stored or echoed.
"""
from __future__ import annotations

import configparser
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CredentialsError, InputError, RhizoError
from .base import ParsedThread, RawComment

if TYPE_CHECKING:  # praw is imported lazily: the saved-JSON path does not need it
    import praw

REDDIT = "https://www.reddit.com"
GONE_BODIES = frozenset({"[deleted]", "[removed]"})
INFO_BATCH = 100
TIME_FILTERS = ("all", "day", "hour", "month", "week", "year")
APP_ID = "rhizo-voices"
SETUP_HELP = (
    "create a 'script' app at https://www.reddit.com/prefs/apps, then set the environment variables "
    "praw_client_id and praw_client_secret (or put client_id / client_secret in a praw.ini site and "
    "pass its name); see the README section 'Reddit credentials'"
)


@dataclass
class RedditThread(ParsedThread):
    """A Reddit thread; ``unexpanded`` comments sat behind "load more" stubs that were not fetched."""

    unexpanded: int = 0  # comments Reddit reported behind stubs we did not (or could not) expand
    more_stubs: int = 0  # how many such stubs


# ---------------------------------------------------------------------------------------- helpers
def _iso(created_utc: Any) -> str | None:
    if isinstance(created_utc, bool) or not isinstance(created_utc, (int, float)):
        return None
    return datetime.fromtimestamp(created_utc, tz=timezone.utc).isoformat()


def _author(name: Any) -> str | None:
    name = None if name is None else str(name)
    return None if not name or name == "[deleted]" else name


def _link(permalink: Any) -> str | None:
    if not isinstance(permalink, str) or not permalink:
        return None
    return permalink if permalink.startswith("http") else REDDIT + permalink


def _unescape(text: str) -> str:
    """Reddit's JSON (without ``raw_json=1``, as browsers save it) escapes exactly these three."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _submission_body(title: str, selftext: str) -> str:
    return f"{title}\n\n{selftext}" if selftext else title


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# ------------------------------------------------------------------------------------ saved JSON
def _listing_children(node: Any, where: str, name: str) -> list[Any]:
    if not (isinstance(node, dict) and node.get("kind") == "Listing" and isinstance(node.get("data"), dict)
            and isinstance(node["data"].get("children"), list)):
        raise InputError(f"{name}: not a saved Reddit thread: {where} is not a Listing")
    return node["data"]["children"]


def _thing(child: Any, where: str, name: str) -> tuple[str, dict[str, Any]]:
    if not (isinstance(child, dict) and isinstance(child.get("kind"), str)
            and isinstance(child.get("data"), dict)):
        raise InputError(f"{name}: not a saved Reddit thread: {where} is not a Reddit thing")
    return child["kind"], child["data"]


def _field(data: dict[str, Any], key: str, where: str, name: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise InputError(f"{name}: not a saved Reddit thread: {where} has no text field {key!r}")
    return value


def parse_reddit_json(data: Any, name: str) -> RedditThread:
    """Parse the decoded JSON of ``/comments/<id>.json`` (a list of two Listings).

    Comments come in display order (depth first). "more" stubs are skipped and counted in
    ``unexpanded`` / ``more_stubs``. A comment whose ``parent_id`` is not in the file (a thread saved
    from a single comment's permalink) is attached to the parent it is nested under, or to the
    submission. Wrong shape -> :class:`InputError` naming ``name``.
    """
    if not isinstance(data, list) or len(data) != 2:
        raise InputError(f"{name}: not a saved Reddit thread: expected a list of two Listings "
                         "(the JSON of /comments/<id>.json)")
    posts = _listing_children(data[0], "the first element", name)
    if not posts:
        raise InputError(f"{name}: not a saved Reddit thread: the first Listing holds no submission")
    kind, post = _thing(posts[0], "the submission", name)
    if kind != "t3":
        raise InputError(f"{name}: not a saved Reddit thread: the first Listing holds a {kind!r}, not a t3")
    sub_id = _field(post, "id", "the submission", name)
    title = _unescape(_field(post, "title", "the submission", name))
    selftext = _unescape(post.get("selftext") or "")
    link = _link(post.get("permalink"))
    root = f"t3_{sub_id}"
    thread = RedditThread(key=f"reddit:{sub_id}", title=title, url=link)
    thread.comments.append(RawComment(
        native_id=root, parent_id=None, author=_author(post.get("author")),
        body=_submission_body(title, selftext), created=_iso(post.get("created_utc")),
        kind="submission", score=_int(post.get("score")), permalink=link,
        deleted=selftext in GONE_BODIES or bool(post.get("removed_by_category")),
    ))
    seen = {root}
    # (thing, nesting parent fullname, where) in display order; an explicit stack, no recursion
    stack = [(c, root, f"top-level comment {i + 1}")
             for i, c in reversed(list(enumerate(_listing_children(data[1], "the second element", name))))]
    while stack:
        child, nest_parent, where = stack.pop()
        kind, item = _thing(child, where, name)
        if kind == "more":
            thread.more_stubs += 1
            count = _int(item.get("count")) or 0
            thread.unexpanded += count if count else len(item.get("children") or [])
            continue
        if kind != "t1":
            raise InputError(f"{name}: not a saved Reddit thread: {where} is a {kind!r}, not a comment")
        cid = _field(item, "id", where, name)
        fullname = f"t1_{cid}"
        if fullname in seen:
            raise InputError(f"{name}: comment {fullname} appears twice")
        seen.add(fullname)
        parent = item.get("parent_id")
        parent = parent if isinstance(parent, str) and parent in seen else nest_parent
        body = _unescape(_field(item, "body", fullname, name))
        thread.comments.append(RawComment(
            native_id=fullname, parent_id=parent, author=_author(item.get("author")), body=body,
            created=_iso(item.get("created_utc")), score=_int(item.get("score")),
            permalink=_link(item.get("permalink")), deleted=body.strip() in GONE_BODIES,
        ))
        replies = item.get("replies")
        if replies:  # "" when there are none
            kids = _listing_children(replies, f"the replies of {fullname}", name)
            stack.extend((c, fullname, f"reply {i + 1} to {fullname}")
                         for i, c in reversed(list(enumerate(kids))))
    return thread


def load_reddit_json(path: Path) -> RedditThread:
    """Read and parse a saved thread file; unreadable, non-UTF-8 or non-JSON -> InputError with line."""
    from .store import read_text
    text, _ = read_text(path)
    if not text.strip():
        raise InputError(f"{path}: empty file, nothing to ingest")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})") from None
    return parse_reddit_json(data, str(path))


# ------------------------------------------------------------------------------------------- live
def user_agent(username: str | None = None) -> str:
    """A user agent in Reddit's format ``<platform>:<app id>:<version> (by /u/<user>)``."""
    from .. import __version__ as version
    by = f" (by /u/{username})" if username else f" ({APP_ID} research tool)"
    return f"{sys.platform}:{APP_ID}:{version}{by}"


def make_reddit(site: str | None = None, requestor_kwargs: dict | None = None) -> praw.Reddit:
    """A read-only ``praw.Reddit``; credentials from the praw.ini ``site`` or ``praw_*`` env vars.

    Missing credentials raise :class:`CredentialsError` (saying how to set them up); a credential
    Reddit rejects surfaces as CredentialsError at the first request. No network here.
    """
    import praw
    from praw.config import Config
    from praw.exceptions import MissingRequiredAttributeException
    section = site or os.getenv("praw_site") or "DEFAULT"
    try:
        config = Config(section)
    except configparser.NoSectionError:
        raise CredentialsError(f"praw.ini has no site [{section}]; {SETUP_HELP}") from None
    unset = (Config.CONFIG_NOT_SET, None, "")
    for key in ("client_id", "client_secret"):
        if getattr(config, key) in unset:
            raise CredentialsError(f"no Reddit {key} configured (site [{section}]); {SETUP_HELP}")
    settings: dict[str, Any] = {"check_for_updates": False}  # no network call to PyPI
    if config.user_agent in unset:
        settings["user_agent"] = user_agent(config.username or None)
    try:
        return praw.Reddit(site_name=site, requestor_kwargs=requestor_kwargs, **settings)
    except MissingRequiredAttributeException as exc:
        raise CredentialsError(f"{str(exc).splitlines()[0]}; {SETUP_HELP}") from None


@contextmanager
def _api(what: str) -> Iterator[None]:
    """Turn praw/prawcore failures into the project's errors (never echoing credentials)."""
    import prawcore
    from praw.exceptions import ClientException, RedditAPIException
    try:
        yield
    except prawcore.OAuthException as exc:
        raise CredentialsError(f"Reddit rejected the credentials ({exc.error}); {SETUP_HELP}") from None
    except prawcore.ResponseException as exc:
        status = exc.response.status_code
        if status == 401:
            raise CredentialsError(f"Reddit rejected the credentials (HTTP 401); {SETUP_HELP}") from None
        if status in (302, 404):
            raise InputError(f"{what}: not found on Reddit") from None
        if status == 403:
            raise InputError(f"{what}: private, quarantined or banned (HTTP 403)") from None
        raise RhizoError(f"{what}: Reddit answered HTTP {status}") from None
    except prawcore.RequestException as exc:
        raise RhizoError(f"{what}: cannot reach Reddit ({exc.original_exception})") from None
    except (ClientException, RedditAPIException) as exc:
        raise InputError(f"{what}: {exc}") from None


def _from_praw(submission: Any, more_limit: int | None) -> RedditThread:
    """Expand a submission's comment tree (at most ``more_limit`` stubs) and flatten it."""
    skipped = submission.comments.replace_more(limit=more_limit)
    selftext = submission.selftext or ""
    link = _link(submission.permalink)
    root = submission.name
    thread = RedditThread(key=f"reddit:{submission.id}", title=submission.title, url=link,
                          unexpanded=sum(m.count or len(m.children) for m in skipped),
                          more_stubs=len(skipped))
    thread.comments.append(RawComment(
        native_id=root, parent_id=None, author=_author(submission.author),
        body=_submission_body(submission.title, selftext), created=_iso(submission.created_utc),
        kind="submission", score=_int(submission.score), permalink=link,
        deleted=selftext in GONE_BODIES or bool(getattr(submission, "removed_by_category", None)),
    ))
    stack = list(reversed(submission.comments))  # depth first: the order Reddit displays
    while stack:
        c = stack.pop()
        stack.extend(reversed(c.replies))
        body = c.body or ""
        thread.comments.append(RawComment(
            native_id=c.name, parent_id=c.parent_id, author=_author(c.author), body=body,
            created=_iso(c.created_utc), score=_int(c.score), permalink=_link(c.permalink),
            deleted=body.strip() in GONE_BODIES,
        ))
    return thread


def search_threads(reddit: praw.Reddit, subreddits: Sequence[str], query: str | None, time_filter: str,
                   limit: int, since_utc: float | None, more_limit: int | None,
                   progress: Callable[[int], None] | None = None) -> Iterator[RedditThread]:
    """Search each subreddit for ``query`` newest first (or list its new posts when ``query`` is
    None) and yield every submission created after ``since_utc`` with its whole comment tree.

    ``progress(1)`` is called after each submission looked at (tqdm ``update`` style). A submission
    found in two subreddits (a repeated name) is yielded once.
    """
    if time_filter not in TIME_FILTERS:
        raise InputError(f"time filter {time_filter!r} is not one of {', '.join(TIME_FILTERS)}")
    seen: set[str] = set()
    for name in subreddits:
        name = name.strip().removeprefix("r/").removeprefix("/r/")
        where = f"r/{name}"
        with _api(where):
            sub = reddit.subreddit(name)
            listing = (sub.search(query, sort="new", time_filter=time_filter, limit=limit) if query
                       else sub.new(limit=limit))
            for submission in listing:
                if progress:
                    progress(1)
                if submission.id in seen or (since_utc is not None and submission.created_utc <= since_utc):
                    continue
                seen.add(submission.id)
                yield _from_praw(submission, more_limit)


def _submission_id(ref: str) -> tuple[str, bool]:
    ref = ref.strip()
    if ref.startswith(("http://", "https://", "redd.it/", "www.reddit.com/", "reddit.com/")):
        return (ref if ref.startswith("http") else "https://" + ref), True
    return ref.removeprefix("t3_"), False


def fetch_submissions(reddit: praw.Reddit, ids_or_urls: Sequence[str],
                      more_limit: int | None) -> Iterator[RedditThread]:
    """Fetch named submissions (ids such as ``abc123`` / ``t3_abc123``, or URLs) with their trees."""
    for ref in ids_or_urls:
        value, is_url = _submission_id(ref)
        with _api(ref):
            submission = reddit.submission(url=value) if is_url else reddit.submission(id=value)
            submission.title  # noqa: B018 -- fetch now, so a bad id fails inside _api
            yield _from_praw(submission, more_limit)


def _gone(thing: Any) -> bool:
    from praw.models import Submission
    if isinstance(thing, Submission):
        return (thing.selftext or "") in GONE_BODIES or bool(getattr(thing, "removed_by_category", None))
    return (getattr(thing, "body", "") or "").strip() in GONE_BODIES


def removed_ids(reddit: praw.Reddit, fullnames: Sequence[str]) -> set[str]:
    """Of ``fullnames`` (``t1_``/``t3_`` ids), those Reddit now shows deleted, removed or not at all.

    Asks ``/api/info`` in batches of 100. Strings that are not comment or submission fullnames are
    ignored (never reported as removed).
    """
    wanted = list(dict.fromkeys(f for f in fullnames if f[:3] in ("t1_", "t3_") and f[3:].isalnum()))
    gone: set[str] = set()
    for start in range(0, len(wanted), INFO_BATCH):
        batch = wanted[start:start + INFO_BATCH]
        with _api("api/info"):
            found = {thing.fullname: thing for thing in reddit.info(fullnames=batch)}
        gone.update(f for f in batch if f not in found or _gone(found[f]))
    return gone
