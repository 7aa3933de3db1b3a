"""The moderation policy file: load and validate it, compile its word lists once.

`load_policy` reads the TOML (packaged default: policy.toml) into a `Policy`: its version, the rule ->
action map, the counts the rules use, and a `Lexicon` of compiled patterns that screening.py, roles.py
and crisis.py read. Nothing here looks at a comment.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .gated_re import GatedAny, GatedPattern

RULES = ("provider", "no_experience", "duplicate", "deletion_request", "crisis", "heavy_identifiers",
         "off_topic")
ACTIONS = ("approve", "hold", "reject")
DEFAULT_POLICY = Path(__file__).with_name("policy.toml")


Pattern = GatedPattern | GatedAny  # re.Pattern's search/finditer/sub, with a literal gate in front


@dataclass(frozen=True)
class Lexicon:
    """The policy's compiled patterns (built once by `load_policy`)."""

    deletion: tuple[Pattern, ...]
    request_cue: Pattern
    crisis: Pattern            # one alternation of [crisis] patterns
    crisis_idioms: Pattern     # masked before crisis is searched
    provider_author: tuple[Pattern, ...]
    staff_author: Pattern      # a trade in the author's name: provider unless the writer's own procedure shows
    signature: Pattern
    promo: Pattern             # one alternation, each alternative behind its own gate
    staff_self: Pattern        # a clinician naming their trade
    clinical_report: Pattern   # case reports, news, testimonials
    clinic_voice: tuple[Pattern, ...]  # weak cues: two kinds, no first person
    own_procedure: Pattern     # the writer's own procedure or relative
    sympathy: Pattern
    not_had: Pattern
    prospective: Pattern
    experience: Pattern  # one alternation: searched on every comment, 6x faster than one by one
    first_person: Pattern
    decisive: tuple[Pattern, ...]
    other_procedure: tuple[Pattern, ...]
    other_named: Pattern       # another procedure named: other unless a spinal RFA is named too
    spine_other: Pattern       # spine operations, stimulators: other unless an RFA is named
    injection_only: Pattern    # injections alone: other unless an RFA is named
    not_rfa: Pattern           # an RFA named only to say it was not one ("not RFA but PRP"): masked
    rfa_terms: Pattern
    other_sites: Pattern
    spinal_sites: Pattern


@dataclass(frozen=True)
class Policy:
    """A loaded policy file: its version, rule -> action, and the settings the rules use."""

    version: str
    actions: dict[str, str]
    provider_names: tuple[str, ...]
    clinic_domains: tuple[str, ...]
    request_with_report_action: str
    min_remainder_words: int
    max_identifiers: int
    min_site_mentions: int
    lexicon: Lexicon = field(repr=False, compare=False)
    # the learned complement (screening_model.py): None switches a check off
    model_crisis: float | None = 0.7     # hold as crisis from this probability on (the rules hold too)
    model_provider: float | None = None  # clinic/staff from this probability on (the rules' provider too)
    model_patient: float | None = None   # a comment the rules read as a patient's counts only from here on


def _get(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = table.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{where}: '{key}' must be of type {kind.__name__}")
    return value


def _compile(pattern: Any, where: str, flags: int = re.IGNORECASE) -> GatedPattern:
    if not isinstance(pattern, str):
        raise ConfigError(f"{where}: patterns must be strings")
    try:
        return GatedPattern(pattern, flags)
    except re.error as exc:
        raise ConfigError(f"{where}: bad pattern {pattern!r}: {exc}") from None


def _compile_all(table: dict[str, Any], key: str, where: str) -> tuple[GatedPattern, ...]:
    return tuple(_compile(p, f"{where} {key}") for p in _get(table, key, list, where))


def _opt(table: dict[str, Any], key: str, default: Any) -> dict[str, Any]:
    """``table`` with ``key`` defaulted: lists added in policy 2026-12-02.1 and .3 may be absent from older files."""
    return table if key in table else {**table, key: default}


NEVER = "(?!)"  # a pattern that matches nothing: an absent optional pattern


def _one(table: dict[str, Any], key: str, where: str) -> GatedAny:
    """The patterns of one list searched as one alternation (leftmost match), each behind its gate."""
    return GatedAny.of_patterns(_compile_all(table, key, where))


def load_policy(path: str | Path | None = None) -> Policy:
    """Read and validate a policy TOML (default: the packaged policy.toml). ConfigError if malformed."""
    path = Path(path) if path is not None else DEFAULT_POLICY
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read policy: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    where = str(path)
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise ConfigError(f"{where}: 'version' must be a non-empty string")
    actions = _get(data, "actions", dict, where)
    unknown = sorted(set(actions) - set(RULES))
    missing = [r for r in RULES if r not in actions]
    if unknown or missing:
        raise ConfigError(f"{where}: [actions] unknown rules {unknown}, missing rules {missing}")
    for rule, action in actions.items():
        if action not in ACTIONS:
            raise ConfigError(f"{where}: [actions] {rule} = {action!r}; expected one of {', '.join(ACTIONS)}")
    if actions["crisis"] != "hold":
        raise ConfigError(f"{where}: [actions] crisis must be 'hold' (a crisis is always held for a human)")
    try:
        dr, cr, hi = data["deletion_request"], data["crisis"], data["heavy_identifiers"]
        pr, ne, ot = data["provider"], data["no_experience"], data["off_topic"]
    except KeyError as exc:
        raise ConfigError(f"{where}: missing table [{exc.args[0]}]") from None
    with_report = _get(dr, "with_report", str, f"{where} [deletion_request]")
    if with_report not in ACTIONS:
        raise ConfigError(f"{where}: [deletion_request] with_report must be one of {', '.join(ACTIONS)}")
    counts = {"min_remainder_words": (dr, "[deletion_request]"), "max_identifiers": (hi, "[heavy_identifiers]"),
              "min_site_mentions": (ot, "[off_topic]")}
    numbers = {k: _get(t, k, int, f"{where} {name}") for k, (t, name) in counts.items()}
    if any(n < 0 for n in numbers.values()):
        raise ConfigError(f"{where}: counts must not be negative")
    lexicon = Lexicon(
        deletion=_compile_all(dr, "patterns", where),
        request_cue=_compile(_get(dr, "request_cue", str, where), where),
        crisis=_one(cr, "patterns", where),
        crisis_idioms=_one(_opt(cr, "idioms", []), "idioms", where),
        provider_author=_compile_all(pr, "author_patterns", where),
        staff_author=_one(_opt(pr, "staff_author", []), "staff_author", where),
        signature=_compile(_get(pr, "signature", str, where), where, flags=0),
        promo=_one(pr, "promo_patterns", where),
        staff_self=_one(_opt(pr, "staff_self", []), "staff_self", where),
        clinical_report=_one(_opt(pr, "clinical_report", []), "clinical_report", where),
        clinic_voice=_compile_all(_opt(pr, "clinic_voice", []), "clinic_voice", where),
        own_procedure=_compile(_get(_opt(pr, "own_procedure", NEVER), "own_procedure", str, where), where),
        sympathy=_one(_opt(ne, "sympathy", []), "sympathy", where),
        not_had=_one(ne, "not_had", where),
        prospective=_one(_opt(ne, "prospective", []), "prospective", where),
        experience=_one(ne, "experience", where),
        first_person=_compile(_get(ne, "first_person_report", str, where), where),
        decisive=_compile_all(ot, "decisive", where),
        other_procedure=_compile_all(ot, "other_procedure", where),
        other_named=_one(_opt(ot, "other_named", []), "other_named", where),
        spine_other=_one(_opt(ot, "spine_other", []), "spine_other", where),
        injection_only=_one(_opt(ot, "injection_only", []), "injection_only", where),
        not_rfa=_one(_opt(ot, "not_rfa", []), "not_rfa", where),
        rfa_terms=_compile(_get(_opt(ot, "rfa_terms", NEVER), "rfa_terms", str, where), where),
        other_sites=_compile(_get(ot, "other_sites", str, where), where),
        spinal_sites=_compile(_get(ot, "spinal_sites", str, where), where),
    )
    thresholds = _model_thresholds(data.get("model", {}), f"{where} [model]")
    names = tuple(str(n) for n in _get(pr, "names", list, where))
    domains = tuple(str(d).lower() for d in _get(pr, "clinic_domains", list, where))
    return Policy(version=version.strip(), actions=dict(actions), provider_names=names, clinic_domains=domains,
                  request_with_report_action=with_report, lexicon=lexicon, **numbers, **thresholds)


def _model_thresholds(table: dict[str, Any], where: str) -> dict[str, float | None]:
    """[model] crisis/provider/patient: probabilities in (0, 1], or false to switch that check off."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    out: dict[str, float | None] = {}
    for key in ("crisis", "provider", "patient"):
        value = table.get(key, Policy.__dataclass_fields__[f"model_{key}"].default)
        if value is False or value is None:
            value = None
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
            raise ConfigError(f"{where}: '{key}' must be a probability in (0, 1] or false")
        out[f"model_{key}"] = None if value is None else float(value)
    return out
