"""The one exception tree of the project.

Every error a user can cause is a ``TrackerError`` whose message is one line; the CLI turns it into
``Error: <message>`` and the exit code the class names.
"""


class TrackerError(Exception):
    """Base of every error the project raises on purpose."""

    exit_code = 1


class UsageError(TrackerError):
    """The command was called wrongly (a bad option value, a malformed date)."""

    exit_code = 2


class InputError(TrackerError):
    """A file cannot be read as a filing: missing, empty, binary, truncated, unknown format."""


class NotFound(TrackerError):
    """A document, filing or version named by the user does not exist."""


class AmbiguousKey(TrackerError):
    """A short document key matches more than one document."""


class StoreError(TrackerError):
    """The database cannot be opened, read or written: read-only, full, damaged, or not tracker's."""


class Busy(StoreError):
    """Another writer holds the database, or changed what a write was built on: try again."""


class PatchError(TrackerError):
    """A stored patch does not apply exactly, or its result has the wrong hash."""


class IntegrityError(TrackerError):
    """The store fails verification: a hash, a replay or the event chain does not hold."""


class NeedsReview(TrackerError):
    """An amendment could not be applied in full; its statuses are recorded for review.

    ``result`` is what the apply found (statuses, candidates, why no version), when it got that far,
    so that it is shown as it was computed, not computed again.
    """

    exit_code = 3

    def __init__(self, message: str, result=None):
        super().__init__(message)
        self.result = result
