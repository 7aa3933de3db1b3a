"""Screening rules and the moderation policy: pure functions over one thread's comments.

`screen_thread` attaches flags (rule, reason, evidence) to every comment of a thread; `decide` turns a
comment's flags into an automatic status through the policy; `role_for` says whether the comment is a
patient's, a provider's or another's; `withdrawals` lists the earlier posts their authors asked to delete.
The word lists and the rule -> action map live in the policy TOML (packaged default: policy.toml), not
here; screening_policy.py loads it, roles.py reads who is writing from the content (clinic and staff
voice, other procedures, no experience, thread context), crisis.py finds crisis wording, gated_re.py
keeps the many patterns cheap. Storage, events and the `rhizo moderate` commands are elsewhere
(moderation.py, pipeline.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import roles, screening_model
from .crisis import find_crisis
from .errors import ConfigError
from .markup import straighten_quotes
from .screening_policy import ACTIONS, DEFAULT_POLICY, RULES, Policy, load_policy

__all__ = ["ACTIONS", "DEFAULT_POLICY", "RULES", "Flag", "Policy", "ScreenInput", "decide", "load_policy",
           "role_for", "screen_thread", "withdrawals"]
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
    # False when the screener wrote the evidence itself (counts, a model's score): nobody's words, nothing
    # to redact. True when it quotes the comment or its author.
    quoted: bool = True


# ---------------------------------------------------------------- text helpers

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
    if author and (_first(lx.provider_author, author) or _first(lx.provider_author, roles.split_name(author))):
        return Flag("provider", "author name is a clinic/staff account or carries a credential", _clip(author))
    if author and (cue := roles.staff_author(author, text, lx)):
        return Flag("provider", cue[0], _clip(cue[1]))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) > 1 and lx.signature.search(lines[-1].strip()):
        return Flag("provider", "the comment closes with a doctor's or clinic's signature", _clip(lines[-1]))
    for url in re.findall(r"https?://\S+|www\.\S+", text, re.IGNORECASE):
        if any(d in url.lower() for d in policy.clinic_domains):
            return Flag("provider", "links to a clinic's site", _clip(url))
    if m := lx.promo.search(text):
        return Flag("provider", "promotional text (the business speaking, a call to book or a form)",
                    _clip(m.group(0)))
    if cue := roles.provider_by_content(text, lx):
        return Flag("provider", cue[0], _clip(cue[1]))
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
    found = find_crisis(text, policy.lexicon)
    return Flag("crisis", "hopelessness or self-harm language: a human must read this",
                _clip(found)) if found is not None else None


def _cue_flag(rule: str, cue: tuple[str, str] | None) -> Flag | None:
    return Flag(rule, cue[0], _clip(cue[1])) if cue else None


def _heavy(text: str, policy: Policy, count: Callable[[str], tuple[int, int]] | None) -> Flag | None:
    if count is None:
        return None
    found, unsure = count(text)
    if found > policy.max_identifiers or unsure > 0:
        return Flag("heavy_identifiers",
                    f"identifiers found: {found}, uncertain: {unsure} (policy allows {policy.max_identifiers}, "
                    "none uncertain)", f"identifiers found: {found}, uncertain: {unsure}", quoted=False)
    return None


def screen_thread(comments: Sequence[ScreenInput], policy: Policy,
                  count_identifiers: Callable[[str], tuple[int, int]] | None = None) -> dict[str, list[Flag]]:
    """Flags for every comment of one thread, given in thread order: native_id -> flags ([] when clean).

    Duplicates and deletion requests look at the same author's earlier comments; no_experience counts
    experience shown in the author's earlier comments. Rules other than crisis, duplicate,
    deletion_request and heavy_identifiers read the comment with its deletion-request sentences removed;
    no_experience and off_topic are not applied to providers (their role already keeps them out). A
    comment naming no procedure and no spinal site is off topic when more of the thread's comments name
    another procedure than a spinal RFA, or when it replies to an off-topic comment.
    """
    out: dict[str, list[Flag]] = {}
    seen_text: dict[tuple[str, str], str] = {}
    dup_targets: set[str] = set()
    experienced: set[str] = set()
    off_topic: set[str] = set()
    by_author: dict[str, list[ScreenInput]] = {}
    lx = policy.lexicon
    texts = [straighten_quotes(c.body or "") for c in comments]
    leaning, cues = roles.thread_leaning(texts, lx, policy.min_site_mentions)
    for c, text, cue in zip(comments, texts, cues):
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
        if crisis := _crisis(text, policy):
            flags.append(crisis)
        provider = _provider(c, text, policy)
        if provider and not c.post_author and (other := roles.elsewhere(rest, lx, policy.min_site_mentions)):
            # a clinician on a knee, heart or vein procedure: not spinal RFA, so `other`, not a provider of it
            provider = None
            flags.append(Flag("off_topic", "a clinician or clinic writing about another procedure: " + other[0],
                              _clip(other[1])))
            off_topic.add(c.native_id)
        elif provider:
            flags.append(provider)
        elif not request or request.remainder:
            topic = cue if rest is text else roles.other_procedure(rest, lx, policy.min_site_mentions)
            if topic is None and roles.names_neither(rest, lx):
                if c.parent_id in off_topic:
                    topic = "a reply to a comment about another procedure", "in reply to " + c.parent_id
                elif leaning:
                    topic = "the thread is about another procedure, and this comment names no spinal RFA", leaning
            engaged = roles.engaged(rest, lx)
            if who and engaged:
                experienced.add(who)
            for flag in (_cue_flag("no_experience", roles.no_experience(rest, who in experienced or engaged, lx,
                                                                      crisis is not None)),
                         _cue_flag("off_topic", topic)):
                if flag:
                    flags.append(flag)
            if topic:
                off_topic.add(c.native_id)
        elif who and roles.engaged(rest, lx):
            experienced.add(who)
        if flag := _heavy(c.body or "", policy, count_identifiers):
            flags.append(flag)
        flags.extend(_model_flags(text, texts[0] if c is not comments[0] else "", flags, policy))
        out[c.native_id] = flags
        if who:
            by_author.setdefault(who, []).append(c)
    return out


def _model_flags(text: str, thread_text: str, flags: list[Flag], policy: Policy) -> list[Flag]:
    """What the learned complement adds to the rules' flags: only caution, never a release."""
    out: list[Flag] = []
    if not text.strip():
        return out
    if policy.model_crisis is not None and not any(f.rule == "crisis" for f in flags):
        p = screening_model.crisis_score(text)
        if p >= policy.model_crisis:
            out.append(Flag("crisis", f"the crisis model reads hopelessness or self-harm (p {p:.2f}, holds from "
                                      f"{policy.model_crisis:g})", f"crisis model p {p:.2f}", quoted=False))
    if role_for(flags) != "patient" or policy.model_provider is None and policy.model_patient is None:
        return out
    scores = screening_model.role_scores(text, thread_text)
    if policy.model_provider is not None and scores["provider"] >= policy.model_provider:
        out.append(Flag("provider", f"the role model reads clinic or staff writing (p {scores['provider']:.2f})",
                        f"role model p(provider) {scores['provider']:.2f}", quoted=False))
    elif policy.model_patient is not None and scores["patient"] < policy.model_patient:
        out.append(Flag("off_topic", "the role model does not read a patient's or carer's account of spinal RFA "
                                     f"(p {scores['patient']:.2f}, counts from {policy.model_patient:g})",
                        f"role model p(patient) {scores['patient']:.2f}", quoted=False))
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


def action_for(flag: Flag, policy: Policy) -> str:
    """The action the policy takes on one flag (crisis always holds; a request with a report has its own)."""
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
    actions = {f.rule: action_for(f, policy) for f in flags}
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
