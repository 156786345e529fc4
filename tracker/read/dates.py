"""Dates as filings print them: "November 25, 2003", "Nov. 25, 2003", "12/08/2003", "2003-12-22".

What belongs here: reading a date from text (an impossible one, "February 30, 2004", is none) and
writing one back as the filings do."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


_MONTH_NAME = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)


# Embeddable (no groups): "November 25, 2003", "Nov. 25, 2003", "12-08-2003", "12/08/2003",
# "2003-12-22". White space may be a line break: covers wrap "October 23,\n2006".
DATE = (
    rf"(?:{_MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)"
    r"|\b\d{1,2}[-/]\d{1,2}[-/]\d{4}(?!\d)"
    r"|\b\d{4}-\d{2}-\d{2}(?!\d))"
)


_DATE_PARTS = re.compile(
    rf"(?P<month>{_MONTH_NAME})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)"
    r"|\b(?P<m>\d{1,2})(?P<sep>[-/])(?P<d>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)"
    r"|\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?!\d)",
    re.IGNORECASE,
)


def parse_date_text(text: str) -> dt.date | None:
    """Return the first real date written in ``text`` (US formats of the era), else None.

    An impossible date such as "February 30, 2004" is not a date: it is skipped, never raised.
    """
    for m in _DATE_PARTS.finditer(text):
        try:
            if m.group("month"):
                month = _MONTHS[m.group("month").lower().rstrip(".")[:3]]
                return dt.date(int(m.group("year")), month, int(m.group("day")))
            if m.group("m"):
                return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            return dt.date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        except ValueError:
            continue
    return None


def impossible_date(text: str) -> str | None:
    """The first date written in ``text`` that no calendar has ("February 30, 2004"), as written; None
    when every date there is real (so that a filing's impossible date is reported, never guessed)."""
    for m in _DATE_PARTS.finditer(text):
        if parse_date_text(m.group(0)) is None:
            return " ".join(m.group(0).split())
    return None


def _long_date(d: dt.date) -> str:
    return f"{d:%B} {d.day}, {d.year}"
