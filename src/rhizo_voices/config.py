"""Settings that more than one stage needs, with their defaults."""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = Path("db") / "rhizo.db"
DB_ENV = "RHIZO_DB"

# Topic modelling
EMBEDDING_MODEL_ENV = "RHIZO_EMBEDDING_MODEL"
DEFAULT_EMBEDDING_MODEL = "minilm-onnx-int8"  # built from the packaged MiniLM at first use (embed.py)
TOPIC_SEED = 42
MIN_TOPIC_DOCS = 5  # below this, no topic model is fitted (said in the report)

# Reporting
DEFAULT_MIN_CELL = 5


def db_path(value: str | os.PathLike[str] | None) -> Path:
    """The database path: an explicit value, else $RHIZO_DB, else db/rhizo.db."""
    return Path(value or os.environ.get(DB_ENV) or DEFAULT_DB)


def embedding_model_name() -> str:
    return os.environ.get(EMBEDDING_MODEL_ENV, DEFAULT_EMBEDDING_MODEL)
