"""Point-in-time selection over a document's versions: which one is in force on a date.

Pure: takes versions (``records.Version``, as the store returns them) and dates, returns one or raises.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from .errors import NotFound, UsageError
from .records import Version


def order_key(version: Version) -> tuple[str, str, str, int]:
    """Versions in force order: effective date, recorded date, accession, then number.

    Two versions with the same dates are ordered by their filing's accession number (or, with none,
    by content hash, which the store keeps in ``accession`` too), then by their number.
    """
    return (version.effective_date, version.recorded_date, version.accession or "", version.number)


def as_of(
    versions: Sequence[Version],
    as_of_date: dt.date | None = None,
    known_at: dt.date | None = None,
) -> Version:
    """The version in force on ``as_of_date`` as it was known on ``known_at`` (None = latest)."""
    if not versions:
        raise NotFound("the document has no versions")
    candidates = list(versions)
    if known_at is not None:
        candidates = [v for v in candidates if v.recorded_date <= known_at.isoformat()]
        if not candidates:
            first = min(v.recorded_date for v in versions)
            raise NotFound(f"nothing was known of this document on {known_at} (first recorded {first})")
    if as_of_date is not None:
        # A document exists from its original's date: nothing, amended or not, is in force before it.
        first = min(v.effective_date for v in versions if v.number == 1) if any(
            v.number == 1 for v in versions) else min(v.effective_date for v in candidates)
        in_force = [v for v in candidates if v.effective_date <= as_of_date.isoformat()]
        if not in_force or as_of_date.isoformat() < first:
            raise NotFound(f"the document did not exist on {as_of_date} (first effective {first})")
        candidates = in_force
    return max(candidates, key=order_key)


def later_versions(
    versions: Sequence[Version], chosen: Version, known_at: dt.date | None = None
) -> list[Version]:
    """Versions that come after ``chosen`` in force order (effective later, or not yet known)."""
    key = order_key(chosen)
    out = [v for v in versions if order_key(v) > key]
    if known_at is not None:
        out += [
            v
            for v in versions
            if v.recorded_date > known_at.isoformat() and order_key(v) <= key and v is not chosen
        ]
    return sorted(out, key=order_key)


def parse_date(text: str) -> dt.date:
    """Parse a user's date (``2004-01-09``); raise ``UsageError`` with one line otherwise."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError(text)
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"not a date (use YYYY-MM-DD): {text!r}") from None
