"""Loading and validating the symptom codebook and the context rules (TOML data files in this package)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .. import fastre

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_CODEBOOK = PACKAGE_DIR / "codebook.toml"
DEFAULT_RULES = PACKAGE_DIR / "context_rules.toml"
FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class Category:
    """One codebook category with its compiled patterns."""

    id: str
    label: str
    definition: str
    include: str
    exclude: str
    code: str
    patterns: tuple[re.Pattern[str], ...]
    exclude_patterns: tuple[re.Pattern[str], ...]
    body_parts: re.Pattern[str] | None
    keywords: tuple[str, ...] = ()  # prefilter: patterns run only on texts containing one of these
    cue_keywords: tuple[str, ...] = ()  # the same prefilter for the cues
    cues: tuple[re.Pattern[str], ...] = ()  # broad recall cues, as one alternation: a mention only if the model agrees


@dataclass(frozen=True)
class Codebook:
    """A loaded codebook: its version, source path and categories in file order."""

    version: str
    path: Path
    categories: tuple[Category, ...]


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning every failure into a ConfigError naming the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def compile_regex(pattern: Any, where: str) -> re.Pattern[str]:
    """Compile one case-insensitive pattern; `where` names the file and field for error messages."""
    if not isinstance(pattern, str) or not pattern:
        raise ConfigError(f"{where}: pattern must be a non-empty string, got {pattern!r}")
    try:
        return fastre.compile(pattern, FLAGS)
    except re.error as exc:
        raise ConfigError(f"{where}: bad regex {pattern!r}: {exc}") from None


def compile_list(items: Any, where: str) -> tuple[re.Pattern[str], ...]:
    """Compile a list of patterns (a missing list is empty)."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise ConfigError(f"{where}: expected a list of regex strings")
    return tuple(compile_regex(p, f"{where}[{i}]") for i, p in enumerate(items))


def union(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One alternation regex from several compiled patterns (None when there are none)."""
    if not patterns:
        return None
    return fastre.compile("|".join(f"(?:{p.pattern})" for p in patterns), FLAGS)


def _category(raw: Any, index: int, path: Path, seen: set[str]) -> Category:
    where = f"{path}: category #{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a table")
    for key in ("id", "label", "definition"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"{where}: missing or empty string field '{key}'")
    cid = raw["id"]
    if not re.fullmatch(r"[a-z][a-z0-9_]*", cid):
        raise ConfigError(f"{where}: id {cid!r} must be lower_snake_case")
    if cid in seen:
        raise ConfigError(f"{path}: duplicate category id {cid!r}")
    seen.add(cid)
    where = f"{path}: category {cid!r}"
    patterns = compile_list(raw.get("patterns"), f"{where} patterns")
    if not patterns:
        raise ConfigError(f"{where}: needs at least one pattern")
    keywords, cue_keywords = raw.get("keywords", []), raw.get("cue_keywords", [])
    for name, value in (("keywords", keywords), ("cue_keywords", cue_keywords)):
        if not isinstance(value, list) or not all(isinstance(k, str) and k for k in value):
            raise ConfigError(f"{where}: '{name}' must be a list of non-empty strings")
    for key in ("include", "exclude", "code"):
        if not isinstance(raw.get(key, ""), str):
            raise ConfigError(f"{where}: field '{key}' must be a string")
    return Category(
        id=cid, label=raw["label"], definition=raw["definition"], include=raw.get("include", ""),
        exclude=raw.get("exclude", ""), code=raw.get("code", ""), patterns=patterns,
        exclude_patterns=compile_list(raw.get("exclude_patterns"), f"{where} exclude_patterns"),
        body_parts=union(compile_list(raw.get("body_parts"), f"{where} body_parts")),
        keywords=tuple(k.lower() for k in keywords), cue_keywords=tuple(k.lower() for k in cue_keywords),
        cues=tuple(u for u in [union(compile_list(raw.get("cues"), f"{where} cues"))] if u is not None),
    )


@lru_cache(maxsize=8)
def _load(path: Path) -> Codebook:
    data = read_toml(path)
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise ConfigError(f"{path}: missing top-level string 'version'")
    raw = data.get("category")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{path}: no [[category]] tables")
    seen: set[str] = set()
    return Codebook(version, path, tuple(_category(c, i, path, seen) for i, c in enumerate(raw)))


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load (once per path, cached) the codebook; the packaged one when `path` is None."""
    return _load(Path(path).resolve() if path is not None else DEFAULT_CODEBOOK)
