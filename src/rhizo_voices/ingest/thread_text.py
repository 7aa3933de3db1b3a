"""Comment threads saved as text, shaped like the seed: an "N thoughts on" header, then numbered
comments whose replies are nested by indentation::

    25 thoughts on “Title”

      1. BL

        I spoke to a rep ...

        1. Regenexx Team

          This is a question ...

A header line is ``<indent><number>. <author>``; its body is indented two spaces deeper; its replies'
headers stand at its body's indent, numbered from 1. A numbered list inside a body is told apart from a
reply by that numbering and by the indented body that must follow a header. The comment section ends at
the first non-blank line indented less than the top-level comments. A page with no header and prose in
it is an article without comments: zero comments, no error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from .base import ParsedThread, RawComment

HEADER = re.compile(
    r"^\s*(?P<n>\d+|one|no)\s+(?:thoughts?|comments?|responses?|replies)\s+(?:on|to)\b\s*(?P<title>.*)$",
    re.IGNORECASE,
)
ITEM = re.compile(r"^(?P<indent> *)(?P<n>\d+)\.\s+(?P<author>\S.*?)\s*$")
POST_AUTHOR = re.compile(r"\s*\bPost author\s*$", re.IGNORECASE)
MIN_ARTICLE_WORDS = 40


@dataclass
class _Open:
    native_id: str
    indent: int  # the header's indent
    children: int = 0


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:80] or "untitled"


def _title(lines: list[str]) -> str:
    for line in lines:
        if line.strip():
            return line.strip().strip("“”\"")[:200]
    return "untitled"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _next_text_line(lines: list[str], i: int) -> str | None:
    for line in lines[i + 1:]:
        if line.strip():
            return line
    return None


def parse_thread_text(text: str, name: str) -> ParsedThread:
    """Parse a thread saved as text. ``name`` (the file) appears in error messages."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    if not text.strip():
        raise InputError(f"{name}: empty file, nothing to ingest")
    if text.lstrip().startswith(("{", "[")):
        raise InputError(
            f"{name}:1: this is JSON, not a comment thread (use `rhizo ingest reddit-json` or `jsonl`)"
        )
    lines = text.split("\n")
    title = _title(lines)
    thread = ParsedThread(key=f"blog:{slug(title)}", title=title)
    start = next((i for i, line in enumerate(lines) if HEADER.match(line)), None)
    if start is None:
        if len(re.findall(r"[A-Za-z]{2,}", text)) < MIN_ARTICLE_WORDS:
            raise InputError(
                f"{name}: not a comment thread: no 'N thoughts on ...' header and no article text"
            )
        return thread  # an article without comments
    declared = HEADER.match(lines[start]).group("n").casefold()
    thread.comments = _parse_comments(lines, start + 1, name)
    expected = {"one": 1, "no": 0}.get(declared)
    expected = int(declared) if expected is None else expected
    if expected and not thread.comments:
        raise InputError(
            f"{name}:{start + 1}: header announces {expected} comments but no numbered comment follows"
        )
    return thread


def _parse_comments(lines: list[str], first: int, name: str) -> list[RawComment]:
    comments: list[RawComment] = []
    stack: list[_Open] = []  # the open comments, outermost first
    top_children = 0
    top_indent: int | None = None
    current: dict | None = None

    def close_current() -> None:
        if current is not None:
            body = "\n".join(current["body"]).strip()
            comments.append(RawComment(
                native_id=current["id"], parent_id=current["parent"], author=current["author"],
                body=body, post_author=current["post_author"],
            ))

    for i in range(first, len(lines)):
        line = lines[i]
        if not line.strip():
            if current is not None:
                current["body"].append("")
            continue
        indent = _indent(line)
        if top_indent is not None and indent < top_indent:
            break  # the page goes on after the comment section
        match = ITEM.match(line)
        if match and _is_header(match, lines, i, stack, top_children, top_indent):
            header_indent = len(match.group("indent"))
            while stack and stack[-1].indent >= header_indent:
                stack.pop()
            close_current()
            if stack:
                parent = stack[-1]
                parent.children += 1
                native_id, parent_id = f"{parent.native_id}.{parent.children}", parent.native_id
            else:
                top_indent = header_indent if top_indent is None else top_indent
                top_children += 1
                native_id, parent_id = str(top_children), None
            author = match.group("author")
            post_author = bool(POST_AUTHOR.search(author))
            author = POST_AUTHOR.sub("", author).strip()
            stack.append(_Open(native_id, header_indent))
            current = {"id": native_id, "parent": parent_id, "author": author or None,
                       "post_author": post_author, "body": []}
            continue
        if current is None:
            if top_indent is None:
                continue  # text between the header and the first comment
            raise InputError(f"{name}:{i + 1}: text outside any comment")
        current["body"].append(line.strip())
    close_current()
    return comments


def _is_header(match: re.Match, lines: list[str], i: int, stack: list[_Open],
               top_children: int, top_indent: int | None) -> bool:
    """Whether a numbered line opens a comment (rather than being a list item inside a body)."""
    indent = len(match.group("indent"))
    number = int(match.group("n"))
    following = _next_text_line(lines, i)
    if following is None or _indent(following) <= indent:
        return False  # a header is always followed by its deeper-indented body
    if top_indent is None or indent == top_indent:
        return number == top_children + 1
    for open_ in reversed(stack):
        if open_.indent + 2 == indent:
            return number == open_.children + 1
    return False
