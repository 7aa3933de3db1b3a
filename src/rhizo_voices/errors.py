"""The project's own exceptions. The CLI turns each into a one-line error, once, at its boundary."""


class RhizoError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""


class InputError(RhizoError):
    """Input that cannot be read as the format asked for (message names the file and line)."""


class ConfigError(RhizoError):
    """A configuration, codebook or policy file that is missing or malformed."""


class CredentialsError(RhizoError):
    """Missing or rejected credentials for a live source."""


class NotFoundError(RhizoError):
    """An id named on the command line that is not in the database."""


class DeletedError(RhizoError):
    """A decision asked for a comment its author or the source deleted: deletion is final."""


class BusyError(RhizoError):
    """Another rhizo process is writing to the same database (the message names it)."""


class ReadOnlyError(RhizoError):
    """The database file (or its folder) cannot be written."""
