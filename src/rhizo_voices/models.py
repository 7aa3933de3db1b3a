"""Every table of the database, in one place.

Raw input (``source``, ``thread``, ``comment``) is kept apart from what is derived from it
(``analysis``, ``flag``, ``mention``, ``topic``, ``embedding``), so any stage can be re-run by deleting
its rows. Moderation decisions are an append-only log (``moderation_event``); ``comment_status`` is the
current decision per comment, rewritten only together with a new event.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class Migration(SQLModel, table=True):
    name: str = Field(primary_key=True)
    applied_at: str


class Source(SQLModel, table=True):
    """One ingest run of one input: a file, a saved page, a live query."""

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str  # thread | html | reddit_json | reddit | jsonl
    locator: str  # file path, URL or query; never credentials
    content_hash: str  # sha256 of the input (files) or of the query (live)
    fetched_at: str
    comments_new: int = 0
    comments_seen: int = 0


class Thread(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # "blog:<slug>", "reddit:<id>", "jsonl:<thread>"
    label: str  # the name views show: blog slugs as they are, user-authored threads as a keyed hash
    title: str
    url: Optional[str] = None
    source_kind: str


class Comment(SQLModel, table=True):
    """A comment (or Reddit submission) as ingested. Raw: ``author`` and ``body`` hold real words."""

    __table_args__ = (UniqueConstraint("thread_id", "native_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="thread.id", index=True)
    source_id: int = Field(foreign_key="source.id")
    native_id: str
    parent_native_id: Optional[str] = None
    parent_id: Optional[int] = Field(default=None, index=True)  # resolved comment.id of the parent
    position: int  # order in the source
    kind: str = "comment"  # comment | submission
    author: Optional[str] = None  # raw; dropped by purge-raw
    reporter: str  # keyed pseudonym of the author
    body: Optional[str] = None  # raw; dropped by purge-raw
    body_hash: str
    created_at: Optional[str] = None
    score: Optional[int] = None
    permalink: Optional[str] = None
    deleted: bool = False
    post_author: bool = False
    ingested_at: str


class Analysis(SQLModel, table=True):
    """What `analyze` derived from one comment; replaced when its input changes."""

    comment_id: int = Field(foreign_key="comment.id", primary_key=True)
    input_hash: str  # body hash + stage versions: a changed hash means analyse again
    role: str  # patient | provider | other
    text: str  # redacted body: the only text any view or report shows
    sentiment: float  # VADER compound of the redacted text
    identifiers: int = 0  # how many identifiers redaction removed
    # procedure anchoring, where the text says it
    onset_days: Optional[float] = None  # procedure -> onset of symptoms
    since_days: Optional[float] = None  # procedure -> time of writing
    relief_days: Optional[float] = None  # relief before pain returned
    procedures: Optional[int] = None
    region: Optional[str] = None  # lumbar | cervical | thoracic | sacroiliac
    side: Optional[str] = None  # left | right | bilateral
    analyzed_at: str


class Flag(SQLModel, table=True):
    """A screening rule that fired on a comment, with its reason and (redacted) evidence."""

    id: Optional[int] = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comment.id", index=True)
    rule: str
    reason: str
    evidence: str
    target_id: Optional[int] = None  # the comment a deletion request or duplicate points at


class ModerationEvent(SQLModel, table=True):
    """One decision, automatic or human. Append-only: undoing is a new event."""

    __tablename__ = "moderation_event"

    id: Optional[int] = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comment.id", index=True)
    status: str  # approved | pending | rejected | withdrawn
    actor: str  # "auto" or a moderator's name
    reason: str  # for people reading the log; programs read `rules`
    policy_version: str
    at: str
    rules: str = "[]"  # JSON list of {"rule", "action"}: the rules that fired and what each asked for


class CommentStatus(SQLModel, table=True):
    """The decision in force per comment: the latest human event, else the latest automatic one."""

    __tablename__ = "comment_status"

    comment_id: int = Field(foreign_key="comment.id", primary_key=True)
    status: str
    event_id: int
    human: bool = False


class Mention(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comment.id", index=True)
    category: str = Field(index=True)
    assertion: str  # affirmed | negated | hypothetical | before_procedure
    experiencer: str  # self | other
    evidence: str  # redacted phrase
    sentiment: float  # VADER compound of the sentence holding the mention


class Topic(SQLModel, table=True):
    id: int = Field(primary_key=True)  # BERTopic's topic number; -1 for outliers
    label: str
    size: int
    words: str  # JSON list of top words
    symptoms: str = "[]"  # JSON list of the categories affirmed in a third or more of its comments
    reporters: int = 0  # distinct reporters among its comments
    sentiment: float = 0.0  # mean VADER compound of its comments
    excerpt: str = ""  # redacted first sentence of its most central comment


class TopicAssignment(SQLModel, table=True):
    __tablename__ = "topic_assignment"
    comment_id: int = Field(foreign_key="comment.id", primary_key=True)
    topic_id: int = Field(index=True)


class Embedding(SQLModel, table=True):
    """Cache: a text's embedding under one model, so unchanged comments are never embedded twice."""

    text_hash: str = Field(primary_key=True)
    model: str = Field(primary_key=True)
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Meta(SQLModel, table=True):
    """Run facts the report states (topic model settings, last analysis time)."""

    key: str = Field(primary_key=True)
    value: str
