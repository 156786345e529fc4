"""Two dates, blame and search on a small deal whose filings carry EDGAR headers."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import row
from tracker import service
from tracker.errors import NotFound, UsageError

D = dt.date.fromisoformat

BASE = """PROSPECTUS SUPPLEMENT dated December 22, 2003
(To Prospectus dated November 4, 2003)

$100,000,000 (Approximate)

EXAMPLE MORTGAGE TRUST INC.
Depositor

ASSET BACKED CERTIFICATES, SERIES 2003-ZZ1

<PAGE>

SUMMARY

Advances

The servicer will advance delinquent payments of principal and interest on
the mortgage loans, subject to the limitations described in this prospectus
supplement.

Optional Termination

The servicer may purchase all of the mortgage loans when their aggregate
principal balance is less than 10% of the cut-off date balance.

                                     S-1

<PAGE>

RISK FACTORS

SIMPLE INTEREST LOANS MAY REDUCE YOUR YIELD

Approximately 40.00% of the mortgage loans are simple interest loans. Interest
on them accrues daily on the outstanding principal balance.

Prepayment Period

Each prepayment period runs through the last day of the calendar month
preceding the distribution date.

                                     S-2
"""


def filing(accession: str, filed: str, form: str, text: str) -> bytes:
    return f"""<SEC-DOCUMENT>{accession}.txt : {filed}
<SEC-HEADER>{accession}.hdr.sgml : {filed}
ACCESSION NUMBER:\t\t{accession}
CONFORMED SUBMISSION TYPE:\t{form}
PUBLIC DOCUMENT COUNT:\t\t1
FILED AS OF DATE:\t\t{filed}

FILER:
\tCOMPANY DATA:
\t\tCOMPANY CONFORMED NAME:\t\t\tEXAMPLE MORTGAGE TRUST INC
\t\tCENTRAL INDEX KEY:\t\t\t0009999999
</SEC-HEADER>
<DOCUMENT>
<TYPE>{form}
<SEQUENCE>1
<FILENAME>doc.txt
<TEXT>
{text}
</TEXT>
</DOCUMENT>
</SEC-DOCUMENT>
""".encode()


def sticker(date: str, body: str) -> str:
    return f"""Supplement dated {date} to Prospectus Supplement dated December 22, 2003
(To Prospectus dated November 4, 2003)

EXAMPLE MORTGAGE TRUST INC.
ASSET BACKED CERTIFICATES, SERIES 2003-ZZ1

{body}

The date of this supplement is {date}.
"""


STICKER_A = sticker("January 9, 2004", """The paragraph on page S-1 under the heading "Advances" should be deleted in its
entirety and replaced with the following:

The servicer will advance delinquent payments of interest only on simple
interest mortgage loans, subject to the limitations described in this
prospectus supplement.""")

# filed later (February 1) but effective earlier (January 5): a correction
STICKER_B = sticker("January 5, 2004", """The paragraph on page S-1 under the heading "Optional Termination" should be
deleted in its entirety and replaced with the following:

The servicer may purchase all of the mortgage loans when their aggregate
principal balance is less than 5% of the cut-off date balance.""")

KEY = "2003-ZZ1/prospectus-supplement"


@pytest.fixture
def deal(store):
    for acc, filed, form, text in [
        ("0000999999-03-000001", "20031223", "424B5", BASE),
        ("0000999999-04-000002", "20040112", "424B3", STICKER_A),
        ("0000999999-04-000003", "20040201", "424B3", STICKER_B),
    ]:
        service.ingest_bytes(store, filing(acc, filed, form, text), source_name=f"{acc}.txt")
    results = service.link_and_apply_pending(store)
    assert [r["state"] for r in results] == ["applied", "applied"], results
    return store


def text_as_of(store, when, known=None):
    return " ".join(service.show(store, KEY, D(when), D(known) if known else None).text.split())


def test_recorded_dates_come_from_the_edgar_header(deal):
    versions = deal.versions_of(service.find_document(deal, KEY).id)
    assert [(v.number, v.effective_date, v.recorded_date) for v in versions] == [
        (1, "2003-12-22", "2003-12-23"),
        (2, "2004-01-09", "2004-01-12"),
        (3, "2004-01-05", "2004-02-01"),
        (4, "2004-01-09", "2004-02-01"),  # sticker A re-applied on top of the correction
    ]


@pytest.mark.parametrize(
    "when, known, has_a, has_b",
    [
        ("2003-12-31", None, False, False),
        ("2004-01-06", "2004-01-20", False, False),  # the correction was not known yet
        ("2004-01-06", "2004-02-01", False, True),  # known on its filing date
        ("2004-01-06", None, False, True),
        ("2004-01-10", "2004-01-20", True, False),
        ("2004-01-10", None, True, True),  # later text carries the earlier-effective correction
    ],
)
def test_as_of_and_known_at(deal, when, known, has_a, has_b):
    text = text_as_of(deal, when, known)
    assert ("interest only on simple interest" in text) is has_a
    assert ("less than 5% of the cut-off" in text) is has_b
    assert ("less than 10% of the cut-off" in text) is (not has_b)


def test_as_of_before_the_document_existed_is_an_error(deal):
    with pytest.raises(NotFound, match="did not exist on 2003-01-01"):
        service.show(deal, KEY, D("2003-01-01"))


def test_currency_statement_lists_applied_filings_and_later_versions(deal):
    view = service.show(deal, KEY, D("2004-01-06"), D("2004-01-20"))
    assert view.currency["version"] == 1 and view.currency["applied"] == []
    # in force order: the correction (effective January 5) comes before sticker A
    assert [v["version"] for v in view.currency["later_versions"]] == [3, 2, 4]


def test_blame_names_the_filing_and_instruction(deal):
    result = service.blame(deal, KEY, D("2004-01-09"), D("2004-01-12"))
    by_start = {b["first_words"].split()[0:3] and " ".join(b["first_words"].split()[:4]): b for b in result["blocks"]}
    changed = by_start["The servicer will advance"]["changed_by"]
    assert (changed["version"], changed["n"], changed["filing"]) == (2, 1, "0000999999-04-000002")
    assert by_start["The servicer may purchase"]["changed_by"] is None
    assert by_start["Approximately 40.00% of the"]["changed_by"] is None
    deleted = result["deleted"]
    assert len(deleted) == 1 and "principal and interest" in deleted[0]["deleted"]
    assert "interest only" in deleted[0]["replaced_by"]


def test_search_as_of_a_date(deal):
    before = service.search(deal, "principal and interest", as_of=D("2003-12-31"))
    assert [(h["document"], h["page"]) for h in before] == [(KEY, "S-1")]
    after = service.search(deal, "principal and interest", as_of=D("2004-01-10"), document=KEY)
    assert after == []
    hits = service.search(deal, "simple interest", as_of=D("2004-01-10"), document=KEY)
    assert {h["heading"] for h in hits} >= {"SUMMARY > Advances"}


def test_search_text_cannot_inject_fts_or_sql(deal):
    for q in ['"OR 1=1" --', "interest'; DROP TABLE versions; --", "NEAR(x y)", "a* OR b"]:
        service.search(deal, q)
    with pytest.raises(UsageError, match="not closed"):  # refused with the reason, nothing run
        service.search(deal, '" OR 1=1 --')
    assert row(deal, "SELECT COUNT(*) AS n FROM versions")["n"] == 6
