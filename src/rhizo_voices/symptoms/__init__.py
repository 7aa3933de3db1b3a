"""Symptom tagging driven by a versioned codebook (codebook.toml) and context rules (context_rules.toml).

Public API: `reported_symptoms`, `is_negated`, `find_mentions` (-> `Mention`), `anchor` (-> `Anchor`),
`categories`, `load_codebook`, `CODEBOOK_VERSION`.
"""
from __future__ import annotations

from .anchor import Anchor, anchor
from .codebook import Category, Codebook, load_codebook
from .tagger import Mention, Tagger, find_mentions, get_tagger, is_negated, reported_symptoms

CODEBOOK_VERSION: str = load_codebook().version


def categories() -> list[dict[str, str]]:
    """The packaged codebook's categories, for the report: id, label, definition, code."""
    return [{"id": c.id, "label": c.label, "definition": c.definition, "code": c.code}
            for c in load_codebook().categories]


__all__ = ["Anchor", "Category", "Codebook", "CODEBOOK_VERSION", "Mention", "Tagger", "anchor", "categories",
           "find_mentions", "get_tagger", "is_negated", "load_codebook", "reported_symptoms"]
