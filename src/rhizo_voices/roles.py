"""Who is writing, read from the content: a clinic or clinician, someone writing about another procedure,
a supportive reader with no experience, or a patient (or carer) writing about a spinal RFA / rhizotomy.

Each function returns ``(reason, evidence)`` when its cue is found, or None; screening.py turns them into
flags (`provider`, `off_topic`, `no_experience`) and `role_for` into a role. The word lists live in the
policy TOML ([provider], [no_experience], [off_topic]); this module holds the way they are weighed:

- provider: a clinician naming their trade ("PA here", "in my practice", "I work in a pain clinic",
  "CRNA in an interventional suite") or a case report, news item or hospital testimonial, unless the
  comment shows the writer's own procedure; or two kinds of clinic voice ("you may feel", "most patients",
  "success rate", "your doctor") with no "I/my" outside quotation marks; or a narrative about a patient in
  the third person with no first person at all; or a trade in the author's name (`staff_author`, with the
  same own-procedure veto). A clinician writing about another procedure is `other` (screening.py).
- off_topic: another procedure named (heart rhythm ablation, stimulator, fusion, knee or hip RFA,
  trigeminal, spinal anaesthesia...) without a spinal site and an RFA word in the same comment, or
  injections only; an RFA named only to say it was not one ("not RFA but PRP") is masked first; or a
  comment naming neither in a thread that leans to another procedure, or in reply to a comment that is off
  topic. Other body sites count only when no RFA word is named (where symptoms are felt after an RFA is
  not where it was done).
- no_experience: nothing of the writer's own and not a prospective patient, and "never had it", a
  supportive reply, or no first-person report at all in a short remark or in talk about studies (a long
  passage with no "I" and no clinic voice is read as part of its writer's story: blog passages).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .gated_re import GatedAny
from .screening_policy import Lexicon
from . import fastre

Cue = tuple[str, str]  # (reason, evidence)

_QUOTED = fastre.compile(r'"[^"]{0,800}("|\Z)')  # an excerpt may end inside its quotation
# the writer or their own relative ("Dad (79) had his back done" is a carer writing)
_SINGULAR = fastre.compile(r"\b(i|i'm|im|i've|ive|i'd|i'll|me|my|mine|myself)\b|(^|[.!?]\s+)(dad|mum|mom|mam|nan|nana|"
                           r"grandma|grandpa|hubby)\b", re.IGNORECASE)
_THIRD = fastre.compile(r"\b(she|he|her|his|him|hers)\b", re.IGNORECASE)
_WORDS = fastre.compile(r"\w+")
_QUESTION = fastre.compile(r"[^.!?\n]*\?")
_CARE_WORDS = fastre.compile(r"\b(pain|injections?|procedures?|treatments?|ablation|rfa|rhizotomy|back|spine|neck|nerves?)\b",
                             re.IGNORECASE)
_MIN_NARRATIVE_WORDS = 25
_NEAR = 60
_OWNER = 25
_ASKING = fastre.compile(r"\b(any\s*one|any\s*body|some\s*one|people|others|who|patients\s+who)\s+(here\s+|else\s+)?(has|have|ever|had|got)\b"
                         r"[^.!?\n]{0,60}", re.IGNORECASE)
_MAX_REMARK_WORDS = 40
_EVIDENCE_TALK = fastre.compile(r"\b(review|meta-?analys[ie]s|trials?|studies|study|evidence|rcts?|"
                                r"randomi[sz]ed|sham)\b",
                                re.IGNORECASE)


def unquoted(text: str) -> str:
    """The text without what it quotes (a testimonial quotes the patient's "I")."""
    return _QUOTED.sub(" ", text)


def has_experience(text: str, lx: Lexicon) -> bool:
    """Whether the text reports the procedure as had (by the writer or someone they describe)."""
    text = lx.not_had.sub("\n#\n", text)  # "I haven't had it done" must not read as "had it done"
    text = _ASKING.sub("\n#\n", text)    # nor "has anyone had RFA?"
    return lx.experience.exists(text)


_WHOLE: dict[int, tuple[object, re.Pattern[str]]] = {}


def _whole(patterns: GatedAny) -> re.Pattern[str]:
    """A GatedAny as one compiled alternation, for a window of a few words (where checking each part's
    gate costs more than the search)."""
    got = _WHOLE.get(id(patterns))
    if got is None or got[0] is not patterns:
        got = _WHOLE[id(patterns)] = (patterns, fastre.compile(patterns.pattern, re.IGNORECASE))
    return got[1]


def names_spinal_rfa(text: str, lx: Lexicon) -> bool:
    """An RFA/rhizotomy word with a spinal site near it ("lumbar RFA", "ablation on my L4 facet")."""
    owner = _whole(lx.other_named)
    for m in lx.rfa_terms.finditer(text):  # windows are sliced: a few words, not the text
        if owner.search(text, max(0, m.start() - _OWNER), m.start()):
            continue  # "thyroid nodule ablation", "cardiac ablation": that ablation belongs elsewhere
        if lx.spinal_sites.search(text, max(0, m.start() - _NEAR), m.end() + _NEAR):
            return True
    return False


def elsewhere(text: str, lx: Lexicon, min_site_mentions: int) -> Cue | None:
    """A clinician's or clinic's comment about another procedure only: `other_procedure` without spine
    operations and injections, and every RFA word it has belongs to that procedure ("genicular RFA"), so a
    nurse saying "RFA is fine with a pacemaker" still speaks about spinal RFA."""
    cue = other_procedure(text, lx, min_site_mentions, spine=False)
    if cue is None:
        return None
    owner = _whole(lx.other_named)
    for m in lx.rfa_terms.finditer(mask_not_rfa(text, lx)):
        if not owner.search(text, max(0, m.start() - _OWNER), m.start()):
            return None
    return cue


def provider_by_content(text: str, lx: Lexicon) -> Cue | None:
    """A clinic's or clinician's voice, or writing about a patient from outside."""
    outside = unquoted(text)
    stated = _QUESTION.sub(" ", outside)  # an FAQ heading says "When can I drive?"
    singular = _SINGULAR.search(stated) is not None
    own = lx.own_procedure.search(outside) is not None
    if not own and (m := lx.staff_self.search(text)):
        return "a clinician writing (names their trade or their patients)", m.group(0)
    if not singular and (m := lx.clinical_report.search(text)):
        return "writes about a patient from outside (case report, news or testimonial)", m.group(0)
    kinds = [m.group(0) for p in lx.clinic_voice if (m := p.search(outside))]
    if len(kinds) >= 2 and not singular or len(kinds) >= 3 and not own:
        return "a clinic's or clinician's voice (instructions, rates, 'your doctor')", " / ".join(kinds[:3])
    if (not singular and len(_WORDS.findall(outside)) >= _MIN_NARRATIVE_WORDS
            and len(_THIRD.findall(outside)) >= 3 and _CARE_WORDS.search(text) and not lx.sympathy.exists(text)
            and not lx.other_named.exists(text) and not any(p.search(text) for p in lx.decisive)):
        first = _THIRD.search(outside)
        return "a patient's story told in the third person with no first person (testimonial or news)", \
            outside[max(0, first.start() - 30):first.end() + 30] if first else ""
    return None


def mask_not_rfa(text: str, lx: Lexicon) -> str:
    """The text with "not RFA but ...", "instead of an ablation" blanked out (same length)."""
    return lx.not_rfa.sub(lambda m: " " * len(m.group(0)), text)


def other_procedure(text: str, lx: Lexicon, min_site_mentions: int, spine: bool = True) -> Cue | None:
    """Another procedure or site, not a spinal pain RFA/rhizotomy (an RFA named only to say it was not
    one does not count). ``spine=False`` leaves out spine operations, stimulators and injections (a clinic
    offering them instead of RFA still speaks about the spine)."""
    text = mask_not_rfa(text, lx)
    for p in lx.decisive:
        if m := p.search(text):
            return "a different procedure (not a spinal pain rhizotomy/RFA)", m.group(0)
    if (m := lx.other_named.search(text)) and not names_spinal_rfa(text, lx):
        return "another procedure named, and no spinal RFA/rhizotomy", m.group(0)
    if spine and (m := lx.spine_other.search(text)) and not lx.rfa_terms.search(text):
        return "a spine operation or stimulator, and no RFA/rhizotomy named", m.group(0)
    if spine and (m := lx.injection_only.search(text)) and not lx.rfa_terms.search(text):
        return "injections only, and no RFA/rhizotomy named", m.group(0)
    if lx.spinal_sites.search(text):
        return None
    for p in lx.other_procedure:
        if m := p.search(text):
            return "another procedure or site, and no spinal site named", m.group(0)
    if lx.rfa_terms.search(text):
        return None  # "my knees buckle since the RFA": where a symptom is felt is not where the RFA was done
    sites = [m.group(0) for m in lx.other_sites.finditer(text)]
    if sites and len(sites) >= min_site_mentions:
        return "about another body site, and no spinal site named", ", ".join(dict.fromkeys(s.lower() for s in sites))
    return None


def names_neither(text: str, lx: Lexicon) -> bool:
    """The text names no spinal site, no RFA word and no other procedure (it leans on its thread)."""
    return not (lx.spinal_sites.exists(text) or lx.rfa_terms.exists(text) or lx.other_named.exists(text)
                or lx.spine_other.exists(text))


def staff_author(author: str, text: str, lx: Lexicon) -> Cue | None:
    """A clinical trade in the author's name ("nursejen", "PT_Ola"), unless the comment shows the
    writer's own procedure."""
    if (lx.staff_author.search(author) or lx.staff_author.search(split_name(author))) \
            and not lx.own_procedure.search(unquoted(text)):
        return "the author's name carries a clinical trade, and no procedure of their own", author
    return None


_CAMEL = fastre.compile(r"(?<=[a-z])(?=[A-Z])|_+")


def split_name(author: str) -> str:
    """An author name with camelCase and underscores split ("PainClinicSue" -> "Pain Clinic Sue")."""
    return _CAMEL.sub(" ", author)


def thread_leaning(texts: Sequence[str], lx: Lexicon, min_site_mentions: int
                   ) -> tuple[str | None, list[Cue | None]]:
    """(evidence of the other procedure when more comments of a thread name it than name a spinal RFA,
    or None; each text's `other_procedure` cue, for the caller to reuse)."""
    others, spinal, evidence, cues = 0, 0, None, []
    for text in texts:
        cue = other_procedure(text, lx, min_site_mentions)
        cues.append(cue)
        if names_spinal_rfa(text, lx):
            spinal += 1
        elif cue:
            others += 1
            evidence = evidence or cue[1]
    return (evidence if others > spinal else None), cues


def engaged(text: str, lx: Lexicon) -> bool:
    """The writer has had the procedure or is about to (their later comments in the thread lean on it)."""
    return has_experience(text, lx) or lx.prospective.exists(text)


def no_experience(text: str, engaged_author: bool, lx: Lexicon, crisis: bool = False) -> Cue | None:
    """Nothing of the writer's own: never had it, a supportive reply, or no first-person report.

    ``engaged_author``: this comment or the author's earlier ones show the procedure had or booked
    (`engaged`). Crisis wording is itself a first-person report of how the writer is: the last test is
    skipped.
    """
    if engaged_author:
        return None
    if m := lx.not_had.search(text):
        return "says the writer has never had the procedure", m.group(0)
    if m := lx.sympathy.search(text):
        return "a supportive reply with no experience of the writer's own", m.group(0)
    if not crisis and not lx.first_person.search(text) and (len(_WORDS.findall(text)) < _MAX_REMARK_WORDS
                                             or _EVIDENCE_TALK.search(text)):
        first = re.split(r"(?<=[.!?:])\s+|\n+", text.strip(), maxsplit=1)[0] if text.strip() else ""
        return "a question or remark with no experience of the procedure", first
    return None
