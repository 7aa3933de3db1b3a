"""rhizo-voices: a moderated analyzer of patient reports after spinal rhizotomy / RFA."""

__version__ = "0.1.0"
