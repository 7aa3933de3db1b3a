"""`report --explain CATEGORY`: every mention behind a count, and why each one counts or not."""
from __future__ import annotations

from sqlalchemy.engine import Engine

from .. import symptoms
from ..errors import NotFoundError
from ..markup import strip_markup

COLUMNS = ("comment_id", "reporter", "role", "status", "assertion", "experiencer", "counted", "evidence")


def why_not(role: str | None, status: str, assertion: str) -> str:
    """The first reason a mention the counting views leave out is left out (for people to read)."""
    if status != "approved":
        return f"no: comment {status}"
    if role != "patient":
        return f"no: role {role}"
    if assertion != "affirmed":
        return f"no: {assertion.replace('_', ' ')}"
    return "no"


def category_id(name: str) -> str:
    """A category's id from its id or its label, in any case ("Numbness", "leg burning")."""
    categories = symptoms.categories()
    wanted = " ".join(name.replace("_", " ").split()).casefold()
    for c in categories:
        if wanted in (c["id"].replace("_", " ").casefold(), " ".join(c["label"].split()).casefold()):
            return c["id"]
    known = ", ".join(c["id"] for c in categories)
    raise NotFoundError(f"no category {name!r}; known: {known} (ids or labels, any case)")


def explain(engine: Engine, category: str) -> list[tuple]:
    """Rows of COLUMNS for ``category`` (an id or a label), counted ones first. Whether a mention counts
    is read from `v_counted_mentions`, the one place the counting rule is written; texts are the
    redacted evidence."""
    cat = category_id(category)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT m.comment_id, c.reporter, v.role, v.status, m.assertion, m.experiencer, "
            "k.mention_id IS NOT NULL, m.evidence "
            "FROM mention m JOIN comment c ON c.id = m.comment_id "
            "JOIN v_comments v ON v.comment_id = m.comment_id "
            "LEFT JOIN v_counted_mentions k ON k.mention_id = m.id "
            "WHERE m.category = ? ORDER BY m.comment_id, m.id", (cat,)).all()
    out = [(cid, rep, role, status, assertion, exp, "yes" if counted else why_not(role, status, assertion),
            strip_markup(evidence))
           for cid, rep, role, status, assertion, exp, counted, evidence in rows]
    return sorted(out, key=lambda r: (r[6] != "yes", r[0]))
