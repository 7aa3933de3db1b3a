"""`report --explain CATEGORY`: every mention behind a count, and why each one counts or not."""
from __future__ import annotations

from sqlalchemy.engine import Engine

from .. import symptoms
from ..errors import NotFoundError

COLUMNS = ("comment_id", "reporter", "role", "status", "assertion", "experiencer", "counted", "evidence")


def why_not(role: str | None, status: str, assertion: str) -> str:
    """'yes', or the first reason the mention is left out of the counts."""
    if status != "approved":
        return f"no: comment {status}"
    if role != "patient":
        return f"no: role {role}"
    if assertion != "affirmed":
        return f"no: {assertion.replace('_', ' ')}"
    return "yes"


def explain(engine: Engine, category: str) -> list[tuple]:
    """Rows of COLUMNS for ``category``, counted ones first. Texts are the redacted evidence."""
    known = [c["id"] for c in symptoms.categories()]
    if category not in known:
        raise NotFoundError(f"no category {category!r}; known: {', '.join(known)}")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT m.comment_id, m.reporter, c.role, c.status, m.assertion, m.experiencer, m.evidence "
            "FROM v_symptom_mentions m JOIN v_comments c USING (comment_id) "
            "WHERE m.category = ? ORDER BY m.comment_id", (category,)).all()
    out = [(cid, rep, role, status, assertion, exp, why_not(role, status, assertion), evidence)
           for cid, rep, role, status, assertion, exp, evidence in rows]
    return sorted(out, key=lambda r: (r[6] != "yes", r[0]))
