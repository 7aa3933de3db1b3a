"""Screening rules and the moderation policy: pure functions over one thread's comments.

`screen_thread` attaches flags (rule, reason, evidence) to every comment of a thread; `decide` turns a
comment's flags into an automatic status through the policy; `role_for` says whether the comment is a
patient's, a provider's or another's; `withdrawals` lists the earlier posts their authors asked to delete.
The word lists and the rule -> action map live in the policy TOML (packaged default: policy.toml), not
here. Storage, events and the `rhizo moderate` commands are elsewhere (moderation.py, pipeline.py).
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

RULES = ("provider", "no_experience", "duplicate", "deletion_request", "crisis", "heavy_identifiers",
         "off_topic")
ACTIONS = ("approve", "hold", "reject")
DEFAULT_POLICY = Path(__file__).with_name("policy.toml")
_EVIDENCE_MAX = 80


@dataclass(frozen=True)
class ScreenInput:
    """One comment (or a Reddit submission) as screening sees it, in thread order."""

    native_id: str
    parent_id: str | None
    author: str | None
    body: str
    post_author: bool = False  # the source marked this author as the article's author
    kind: str = "comment"      # or "submission"


@dataclass(frozen=True)
class Flag:
    """A rule that fired on a comment: why, on what text, and (duplicate/deletion) which earlier post."""

    rule: str
    reason: str
    evidence: str
    target: str | None = None
    # deletion_request only: True when the comment carries more than the request (a report that stands).
    remainder: bool = False


@dataclass(frozen=True)
class _Lexicon:
    """The policy's compiled patterns (built once by `load_policy`)."""

    deletion: tuple[re.Pattern[str], ...]
    request_cue: re.Pattern[str]
    crisis: tuple[re.Pattern[str], ...]
    provider_author: tuple[re.Pattern[str], ...]
    signature: re.Pattern[str]
    promo: tuple[re.Pattern[str], ...]
    not_had: tuple[re.Pattern[str], ...]
    experience: re.Pattern[str]  # one alternation: searched on every comment, 6x faster than one by one
    first_person: re.Pattern[str]
    decisive: tuple[re.Pattern[str], ...]
    other_procedure: tuple[re.Pattern[str], ...]
    other_sites: re.Pattern[str]
    spinal_sites: re.Pattern[str]


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
    lexicon: _Lexicon = field(repr=False, compare=False)


# ---------------------------------------------------------------- policy loading

def _get(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = table.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{where}: '{key}' must be of type {kind.__name__}")
    return value


def _compile(pattern: Any, where: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise ConfigError(f"{where}: patterns must be strings")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise ConfigError(f"{where}: bad pattern {pattern!r}: {exc}") from None


def _compile_all(table: dict[str, Any], key: str, where: str) -> tuple[re.Pattern[str], ...]:
    return tuple(_compile(p, f"{where} {key}") for p in _get(table, key, list, where))


def _any(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One pattern matching where the first of ``patterns`` to match does (none has groups by number)."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


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
    lexicon = _Lexicon(
        deletion=_compile_all(dr, "patterns", where),
        request_cue=_compile(_get(dr, "request_cue", str, where), where),
        crisis=_compile_all(cr, "patterns", where),
        provider_author=_compile_all(pr, "author_patterns", where),
        signature=_compile(_get(pr, "signature", str, where), where, flags=0),
        promo=_compile_all(pr, "promo_patterns", where),
        not_had=_compile_all(ne, "not_had", where),
        experience=_any(_compile_all(ne, "experience", where)),
        first_person=_compile(_get(ne, "first_person_report", str, where), where),
        decisive=_compile_all(ot, "decisive", where),
        other_procedure=_compile_all(ot, "other_procedure", where),
        other_sites=_compile(_get(ot, "other_sites", str, where), where),
        spinal_sites=_compile(_get(ot, "spinal_sites", str, where), where),
    )
    names = tuple(str(n) for n in _get(pr, "names", list, where))
    domains = tuple(str(d).lower() for d in _get(pr, "clinic_domains", list, where))
    return Policy(version=version.strip(), actions=dict(actions), provider_names=names, clinic_domains=domains,
                  request_with_report_action=with_report, lexicon=lexicon, **numbers)


# ---------------------------------------------------------------- text helpers

def _straighten(text: str) -> str:
    """Typographic quotes to ASCII, same length, so match offsets stay valid for the original."""
    return text.translate(str.maketrans("’‘“”", "''\"\""))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE_MAX else text[: _EVIDENCE_MAX - 1] + "…"


def _first(patterns: Sequence[re.Pattern[str]], text: str) -> re.Match[str] | None:
    found = [m for p in patterns if (m := p.search(text))]
    return min(found, key=lambda m: m.start()) if found else None


def _sentences(text: str) -> list[str]:
    """Sentences and lines; a colon ends one ("delete first one please:" then a report)."""
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n+", text) if s.strip()]


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


# ---------------------------------------------------------------- the rules

def _provider(c: ScreenInput, text: str, policy: Policy) -> Flag | None:
    lx, author = policy.lexicon, (c.author or "").strip()
    if c.post_author:
        return Flag("provider", "the source marks this author as the article's author", _clip(author))
    for name in policy.provider_names:
        if name and name.lower() in author.lower():
            return Flag("provider", f"author is on the policy's provider list ({name})", _clip(author))
    if author and _first(lx.provider_author, author):
        return Flag("provider", "author name is a clinic/staff account or carries a credential", _clip(author))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) > 1 and lx.signature.search(lines[-1].strip()):
        return Flag("provider", "the comment closes with a doctor's or clinic's signature", _clip(lines[-1]))
    for url in re.findall(r"https?://\S+|www\.\S+", text, re.IGNORECASE):
        if any(d in url.lower() for d in policy.clinic_domains):
            return Flag("provider", "links to a clinic's site", _clip(url))
    if m := _first(lx.promo, text):
        return Flag("provider", "promotional text (the business speaking, a call to book or a form)",
                    _clip(m.group(0)))
    return None


def _is_request(sentence: str, policy: Policy) -> re.Match[str] | None:
    lx = policy.lexicon
    for p in lx.deletion:
        for m in p.finditer(sentence):
            cue = lx.request_cue.search(sentence[: m.start()])
            if cue or re.search(r"\bplease\b", sentence, re.IGNORECASE):
                return m
    return None


def _deletion(c: ScreenInput, text: str, mine: list[ScreenInput], dup_targets: set[str],
              policy: Policy) -> tuple[Flag | None, str]:
    """The deletion_request flag (or None) and the text left once request sentences are removed.

    ``mine`` is this author's earlier comments in thread order; ``dup_targets`` the ids of duplicate copies.
    """
    kept, evidence = [], None
    for sentence in _sentences(text):
        m = _is_request(sentence, policy)
        if m:
            evidence = evidence or sentence
        else:
            kept.append(sentence)
    if evidence is None:
        return None, text
    remainder = " ".join(kept)
    has_rest = len(re.findall(r"\w+", remainder)) >= policy.min_remainder_words
    copies = [e for e in mine if e.native_id in dup_targets]
    target = (None if not mine else c.parent_id if c.parent_id in {e.native_id for e in mine}
              else copies[-1].native_id if copies
              else mine[0].native_id if re.search(r"\b(first|1st|original|older)\b", evidence, re.I)
              else mine[-1].native_id)
    reason = ("asks to delete an earlier post; the rest of the comment stands" if has_rest
              else "only a request to delete an earlier post")
    return Flag("deletion_request", reason, _clip(evidence), target, remainder=has_rest), remainder


def _crisis(text: str, policy: Policy) -> Flag | None:
    m = _first(policy.lexicon.crisis, text)
    return Flag("crisis", "hopelessness or self-harm language: a human must read this",
                _clip(m.group(0))) if m else None


def _has_experience(text: str, policy: Policy) -> bool:
    lx = policy.lexicon
    for p in lx.not_had:  # "I haven't had it done" must not read as "had it done"
        text = p.sub("\n#\n", text)
    return lx.experience.search(text) is not None


def _no_experience(text: str, had_before: bool, policy: Policy) -> Flag | None:
    lx = policy.lexicon
    if had_before or _has_experience(text, policy):
        return None
    if m := _first(lx.not_had, text):
        return Flag("no_experience", "says the procedure has not been had (yet)", _clip(m.group(0)))
    if not lx.first_person.search(text):
        first = _sentences(text)[0] if text.strip() else ""
        return Flag("no_experience", "a question or remark with no experience of the procedure", _clip(first))
    return None


def _off_topic(text: str, policy: Policy) -> Flag | None:
    lx = policy.lexicon
    if m := _first(lx.decisive, text):
        return Flag("off_topic", "a different procedure (not a spinal pain rhizotomy/RFA)", _clip(m.group(0)))
    if lx.spinal_sites.search(text):
        return None
    if m := _first(lx.other_procedure, text):
        return Flag("off_topic", "another procedure or site, and no spinal site named", _clip(m.group(0)))
    sites = [m.group(0) for m in lx.other_sites.finditer(text)]
    if sites and len(sites) >= policy.min_site_mentions:
        return Flag("off_topic", "about another body site, and no spinal site named",
                    _clip(", ".join(dict.fromkeys(s.lower() for s in sites))))
    return None


def _heavy(text: str, policy: Policy, count: Callable[[str], tuple[int, int]] | None) -> Flag | None:
    if count is None:
        return None
    found, unsure = count(text)
    if found > policy.max_identifiers or unsure > 0:
        return Flag("heavy_identifiers",
                    f"identifiers found: {found}, uncertain: {unsure} (policy allows {policy.max_identifiers}, "
                    "none uncertain)", f"identifiers found: {found}, uncertain: {unsure}")
    return None


def screen_thread(comments: Sequence[ScreenInput], policy: Policy,
                  count_identifiers: Callable[[str], tuple[int, int]] | None = None) -> dict[str, list[Flag]]:
    """Flags for every comment of one thread, given in thread order: native_id -> flags ([] when clean).

    Duplicates and deletion requests look at the same author's earlier comments; no_experience counts
    experience shown in the author's earlier comments. Rules other than crisis, duplicate,
    deletion_request and heavy_identifiers read the comment with its deletion-request sentences removed;
    no_experience and off_topic are not applied to providers (their role already keeps them out).
    """
    out: dict[str, list[Flag]] = {}
    seen_text: dict[tuple[str, str], str] = {}
    dup_targets: set[str] = set()
    experienced: set[str] = set()
    by_author: dict[str, list[ScreenInput]] = {}
    for c in comments:
        text = _straighten(c.body or "")
        flags: list[Flag] = []
        norm, who = _normalise(text), _normalise(c.author or "")
        if norm and who and (who, norm) in seen_text:
            first = seen_text[(who, norm)]
            dup_targets.add(c.native_id)
            flags.append(Flag("duplicate", "the same text by the same author earlier in the thread",
                              _clip(text), first))
        elif norm and who:
            seen_text[(who, norm)] = c.native_id
        request, rest = _deletion(c, text, list(by_author.get(who, ())) if who else [], dup_targets, policy)
        if request:
            flags.append(request)
        if flag := _crisis(text, policy):
            flags.append(flag)
        provider = _provider(c, text, policy)
        if provider:
            flags.append(provider)
        elif not request or request.remainder:
            for flag in (_no_experience(rest, who in experienced, policy), _off_topic(rest, policy)):
                if flag:
                    flags.append(flag)
        if who and _has_experience(rest, policy):
            experienced.add(who)
        if flag := _heavy(c.body or "", policy, count_identifiers):
            flags.append(flag)
        out[c.native_id] = flags
        if who:
            by_author.setdefault(who, []).append(c)
    return out


# ---------------------------------------------------------------- decisions

def role_for(flags: Sequence[Flag]) -> str:
    """patient | provider | other: providers first; no experience, off topic or a bare request is other."""
    rules = {f.rule for f in flags}
    if "provider" in rules:
        return "provider"
    if rules & {"no_experience", "off_topic"}:
        return "other"
    if any(f.rule == "deletion_request" and not f.remainder for f in flags):
        return "other"
    return "patient"


def _action(flag: Flag, policy: Policy) -> str:
    if flag.rule == "crisis":
        return "hold"  # whatever the policy object says
    if flag.rule == "deletion_request" and flag.remainder:
        return policy.request_with_report_action
    action = policy.actions.get(flag.rule)
    if action not in ACTIONS:
        raise ConfigError(f"policy {policy.version}: no valid action for rule {flag.rule!r}")
    return action


def decide(flags: Sequence[Flag], policy: Policy) -> tuple[str, str]:
    """(status, reason) by the policy: crisis holds; else any reject rejects; else any hold holds."""
    if not flags:
        return "approved", f"no rule fired (policy {policy.version})"
    actions = {f.rule: _action(f, policy) for f in flags}
    named = "; ".join(f"{rule} -> {action}" for rule, action in actions.items())
    if "crisis" in actions:
        status = "pending"
    elif "reject" in actions.values():
        status = "rejected"
    elif "hold" in actions.values():
        status = "pending"
    else:
        status = "approved"
    return status, f"{named} (policy {policy.version})"


def withdrawals(flags_by_id: dict[str, list[Flag]]) -> dict[str, str]:
    """Earlier posts their authors asked to delete: target native_id -> reason."""
    out: dict[str, str] = {}
    for native_id, flags in flags_by_id.items():
        for f in flags:
            if f.rule == "deletion_request" and f.target and f.target != native_id:
                out.setdefault(f.target, f"the author asked for it to be deleted (in comment {native_id})")
    return out
