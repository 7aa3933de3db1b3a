"""Crisis wording: hopelessness or self-harm language that a human must read.

Recall comes first (a missed crisis is the worst error; an extra hold costs a moderator a minute), so the
policy's [crisis] patterns cover quiet wording as well as explicit: not wanting to be around, feeling a
burden, giving things away, no point going on, hoping not to wake up, goodbyes, plans. Figures of speech
("this pain is killing me", "dying to get back to golf") are blanked out first by the policy's idioms.
"""
from __future__ import annotations

from .screening_policy import Lexicon


def find_crisis(text: str, lexicon: Lexicon) -> str | None:
    """The crisis wording found in ``text`` (its first match, from the original text), or None."""
    masked = lexicon.crisis_idioms.sub(lambda m: " " * len(m.group(0)), text)  # same length: offsets hold
    m = lexicon.crisis.search(masked)
    return text[m.start():m.end()] if m else None
