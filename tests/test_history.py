"""As-of selection over versions: effective and recorded dates, ties, errors."""

import datetime as dt

import pytest

from tracker.errors import NotFound
from tracker.history import as_of, later_versions
from tracker.records import Version

D = dt.date.fromisoformat


def v(number, effective, recorded, accession=""):
    return Version(id=number, document_id=1, number=number, parent_id=None if number == 1 else number - 1,
                   filing_id=number, effective_date=effective, recorded_date=recorded, text_sha256="0" * 64,
                   snapshot=True, delta=None, patch=None, partial=False, created_at="", accession=accession,
                   source_name="")


VERSIONS = [
    v(1, "2003-12-22", "2003-12-23"),
    v(2, "2004-01-09", "2004-01-12"),
    # a correction filed later but effective earlier
    v(3, "2004-01-05", "2004-02-01"),
]


@pytest.mark.parametrize(
    "when, known, expected",
    [
        (None, None, 2),
        ("2003-12-31", None, 1),
        ("2004-01-06", None, 3),
        ("2004-01-06", "2004-01-20", 1),
        ("2004-01-09", "2004-01-12", 2),
        ("2004-01-09", None, 2),
        ("2004-01-09", "2004-01-11", 1),
    ],
)
def test_as_of_table(when, known, expected):
    got = as_of(VERSIONS, D(when) if when else None, D(known) if known else None)
    assert got.number == expected


def test_before_the_document_existed_is_an_error():
    with pytest.raises(NotFound, match="did not exist on 2003-01-01"):
        as_of(VERSIONS, D("2003-01-01"))


def test_known_before_anything_recorded_is_an_error():
    with pytest.raises(NotFound, match="nothing was known"):
        as_of(VERSIONS, None, D("2003-01-01"))


def test_same_day_ties_break_by_accession_then_number():
    same = [v(1, "2004-01-09", "2004-01-09", "0000000002-04-000001"), v(2, "2004-01-09", "2004-01-09", "0000000001-04-000001")]
    assert as_of(same, D("2004-01-09")).number == 1


def test_later_versions_lists_what_comes_after():
    chosen = as_of(VERSIONS, D("2003-12-31"))
    assert [x.number for x in later_versions(VERSIONS, chosen)] == [3, 2]
