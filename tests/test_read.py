"""Reading filings (SGML, text, HTML, encodings, refusals) and classifying their documents."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.read import classify, html_to_text, parse_date_text, read_filing
from tracker.errors import InputError
from tracker.models import Header, Metadata, RawDocument

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
D = dt.date


def _classify_file(path: Path) -> Metadata:
    filing = read_filing(path.read_bytes())
    return classify(filing.documents[0], filing.header)


def _shared(pattern: str) -> list[Path]:
    return sorted(SHARED.glob(pattern)) if SHARED.is_dir() else []


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("November 25, 2003", D(2003, 11, 25)),
        ("Nov. 25, 2003", D(2003, 11, 25)),
        ("Sept. 5, 2005", D(2005, 9, 5)),
        ("MARCH 30, 2006", D(2006, 3, 30)),
        ("Date:   12-08-2003", D(2003, 12, 8)),
        ("12/08/2003", D(2003, 12, 8)),
        ("January 9, 2004", D(2004, 1, 9)),
        ("2003-12-22", D(2003, 12, 22)),
        ("to Prospectus dated October 23,\n2006)", D(2006, 10, 23)),
        ("February 30, 2004", None),
        ("February 30, 2004 or March 1, 2004", D(2004, 3, 1)),
        ("13/45/2003", None),
        ("Series 2003-HE2", None),
        ("no date here", None),
        ("", None),
    ],
)
def test_parse_date_text(text: str, expected: dt.date | None) -> None:
    assert parse_date_text(text) == expected


# --- the seeds -------------------------------------------------------------------------------

SEED_METADATA = [
    (
        "citigroup-mlt-2003-he2-form-8k-2003-12-08.txt",
        Metadata(
            kind="8-K",
            title="Form 8-K dated November 25, 2003",
            registrant="CITIGROUP MORTGAGE LOAN TRUST, INC.",
            series="2003-HE2",
            file_number="333-107958",
            irs_ein="01-0791848",
            document_date=D(2003, 12, 8),
            report_date=D(2003, 11, 25),
            signature_date=D(2003, 12, 8),
        ),
    ),
    (
        "citigroup-mlt-2003-he2-exhibit-5-1-opinion-2003-11-05.txt",
        Metadata(
            kind="exhibit",
            title="Exhibit 5.1 dated November 5, 2003",
            registrant="Citigroup Mortgage Loan Trust Inc.",
            series="2003-HE2",
            document_date=D(2003, 11, 5),
            exhibit="5.1",
        ),
    ),
    (
        "citigroup-mlt-2003-he3-sticker-2004-01-09.txt",
        Metadata(
            kind="sticker",
            title="Supplement dated January 9, 2004 to Prospectus Supplement dated December 22, 2003",
            registrant="CITIGROUP MORTGAGE LOAN TRUST INC.",
            series="2003-HE3",
            document_date=D(2004, 1, 9),
            amends_supplement_date=D(2003, 12, 22),
            amends_kind="prospectus_supplement",
            amends_prospectus_date=D(2003, 11, 4),
            amount="$457,959,000",
        ),
    ),
]


@pytest.mark.parametrize(("name", "expected"), SEED_METADATA, ids=[n for n, _ in SEED_METADATA])
def test_seed_metadata(name: str, expected: Metadata) -> None:
    filing = read_filing((SEEDS / name).read_bytes())
    assert (filing.format, filing.encoding, filing.header) == ("text", "utf-8", Header())
    assert len(filing.documents) == 1
    assert classify(filing.documents[0], filing.header) == expected


def test_constructed_base_supplement() -> None:
    path = SEEDS / "citigroup-mlt-2003-he3-prospectus-supplement-2003-12-22.txt"
    if not path.exists():
        pytest.skip("constructed base not written yet")
    meta = _classify_file(path)
    found = (meta.kind, meta.series, meta.document_date)
    assert found == ("prospectus_supplement", "2003-HE3", D(2003, 12, 22))


# --- the shared corpus -----------------------------------------------------------------------


def _full_date(text: str | None) -> dt.date | None:
    """A date the answer file gives in full ("2004-01-09", "... dated June 3, 2004"), else None."""
    return parse_date_text(text or "")


def _sticker_classified(path: Path) -> bool:
    """Read as a sticker, with the dates its answer gives (the amended supplement's, its own)."""
    answer = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    meta = _classify_file(path)
    amends = _full_date(answer["amends"])
    sticker_date = _full_date(answer["sticker_date"])
    return (
        meta.kind == "sticker"
        and (amends is None or meta.amends_supplement_date == amends)
        and (sticker_date is None or meta.document_date == sticker_date)
    )


# Stickers classified right, with their dates: 42 of 50 when the corpus grew (2026-12-07), before any
# change for the new ones; 49 with the cover grammar of today's filings (the 50th prints no date of
# its own in the retrieved text). Raise it as classification improves; never lower it.
STICKERS_CLASSIFIED_FLOOR = 49


def test_shared_stickers_classified() -> None:
    paths = _shared("stickers/*.txt")
    if not paths:
        pytest.skip("shared corpus absent")
    wrong = [p.stem for p in paths if not _sticker_classified(p)]
    assert len(paths) - len(wrong) >= STICKERS_CLASSIFIED_FLOOR, wrong


@pytest.mark.parametrize("path", _shared("cases/*/base.txt"), ids=lambda p: p.parent.name)
def test_shared_case_base(path: Path) -> None:
    case = json.loads((path.parent / "case.json").read_text(encoding="utf-8"))
    meta = _classify_file(path)
    assert meta.kind == "prospectus_supplement"
    assert meta.document_date == _full_date(case.get("base_date"))


def test_shared_corpus_present_or_skipped() -> None:
    if not SHARED.is_dir():
        pytest.skip("shared corpus absent")
    assert _shared("stickers/*.txt") and _shared("cases/*/base.txt")


# --- classification of short covers ----------------------------------------------------------

COVERS = [
    (
        "Supplement dated March 8, 2005\nTo Prospectus Supplement dated March 1, 2005\n"
        "To Prospectus dated February 1, 2005\n$689,421,000\n(Approximate)\n"
        "Asset Backed Securities Corporation\nDepositor\nAsset Backed Pass-Through Certificates,\n"
        "Series 2005-HE2\n",
        Metadata(
            kind="sticker",
            title="Supplement dated March 8, 2005 to Prospectus Supplement dated March 1, 2005",
            registrant="Asset Backed Securities Corporation",
            series="2005-HE2",
            document_date=D(2005, 3, 8),
            amends_supplement_date=D(2005, 3, 1),
            amends_kind="prospectus_supplement",
            amends_prospectus_date=D(2005, 2, 1),
            amount="$689,421,000",
        ),
    ),
    (
        "SEC File No. 333-109318-03\nSupplement to Prospectus Supplement dated August 18, 2004\n"
        "(To Prospectus dated February 10, 2004)\nLONG BEACH MORTGAGE LOAN TRUST 2004\u20115\n"
        "LONG BEACH SECURITIES CORP.\nDepositor\nThe risk factor on page S-12 is amended and restated:\n"
        "Text.\nThe date of this supplement is February 30, 2004.\n",
        Metadata(
            kind="sticker",
            title="Supplement to Prospectus Supplement dated August 18, 2004",
            registrant="LONG BEACH SECURITIES CORP.",
            series="2004-5",
            file_number="333-109318-03",
            amends_supplement_date=D(2004, 8, 18),
            amends_kind="prospectus_supplement",
            impossible_date="February 30, 2004",
            amends_prospectus_date=D(2004, 2, 10),
        ),
    ),
    (
        "PROSPECTUS SUPPLEMENT\n(To Prospectus dated November 4, 2003)\n\n$457,959,000 (APPROXIMATE)\n\n"
        "CITIGROUP MORTGAGE LOAN TRUST INC.\nDEPOSITOR\n\nASSET BACKED PASS\u2010THROUGH CERTIFICATES, "
        "SERIES 2003\u2010HE3\n\nThe date of this prospectus supplement is December 22, 2003.\n",
        Metadata(
            kind="prospectus_supplement",
            title="Prospectus Supplement dated December 22, 2003",
            registrant="CITIGROUP MORTGAGE LOAN TRUST INC.",
            series="2003-HE3",
            document_date=D(2003, 12, 22),
            amends_prospectus_date=D(2003, 11, 4),
            amount="$457,959,000",
        ),
    ),
    (
        "Prospectus Supplement dated June 1, 2006 (To Prospectus dated May 3, 2006)\n"
        "Mortgage Pass-Through Certificates, Series 2006-A\n",
        Metadata(
            kind="prospectus_supplement",
            title="Prospectus Supplement dated June 1, 2006",
            series="2006-A",
            document_date=D(2006, 6, 1),
            amends_prospectus_date=D(2006, 5, 3),
        ),
    ),
    (
        "PROSPECTUS\n\nSTRUCTURED ASSET SECURITIES CORPORATION\nDepositor\n\n"
        "The date of this prospectus is June 25, 2003.\n",
        Metadata(
            kind="prospectus",
            title="Prospectus dated June 25, 2003",
            registrant="STRUCTURED ASSET SECURITIES CORPORATION",
            document_date=D(2003, 6, 25),
        ),
    ),
    (
        "PROSPECTUS SUPPLEMENT\n(To Prospectus dated March 20, 2003)\n\n<PAGE>\n\nPROSPECTUS\n\n"
        "The date of this prospectus is March 20, 2003.\n\n"
        "The date of this prospectus supplement is June 25, 2003.\n",
        Metadata(
            kind="prospectus_supplement",
            title="Prospectus Supplement dated June 25, 2003",
            document_date=D(2003, 6, 25),
            amends_prospectus_date=D(2003, 3, 20),
        ),
    ),
    (
        "SUPPLEMENT\n(To Prospectus Supplement dated June 25, 2003)\n"
        "As reported on Form 8-K filed June 30, 2003, the table on page S-97 is replaced as follows:\n",
        Metadata(
            kind="sticker",
            title="Supplement to Prospectus Supplement dated June 25, 2003",
            amends_supplement_date=D(2003, 6, 25),
            amends_kind="prospectus_supplement",
        ),
    ),
    (
        "FORM 8-K\n\nCURRENT REPORT\n\nACME ABS TRUST 2004-1\n\n"
        "(Exact name of registrant as specified in its charter)\n\nDate:  12/08/2003\n",
        Metadata(
            kind="8-K",
            title="Form 8-K",
            registrant="ACME ABS TRUST 2004-1",
            series="2004-1",
            document_date=D(2003, 12, 8),
            signature_date=D(2003, 12, 8),
        ),
    ),
    (
        "Minutes of the annual meeting held Nov. 2, 2003.\n",
        Metadata(kind="other"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), COVERS, ids=[m.title or m.kind for _, m in COVERS])
def test_classify_cover(text: str, expected: Metadata) -> None:
    assert classify(RawDocument(text=text), Header()) == expected


# --- SGML ------------------------------------------------------------------------------------

SUPPLEMENT_TEXT = (
    "PROSPECTUS SUPPLEMENT\n"
    "(To Prospectus dated November 4, 2003)\n"
    "\n"
    "                      $457,959,000 (APPROXIMATE)\n"
    "\n"
    "               CITIGROUP MORTGAGE LOAN TRUST INC.\n"
    "                           DEPOSITOR\n"
    "\n"
    "     ASSET BACKED PASS-THROUGH CERTIFICATES, SERIES 2003-HE3\n"
    "\n"
    "     The date of this prospectus supplement is December 22, 2003.\n"
)

SGML = (
    "<SEC-DOCUMENT>0001056404-03-001234.txt : 20031222\n"
    "<SEC-HEADER>0001056404-03-001234.hdr.sgml : 20031222\n"
    "ACCESSION NUMBER:\t\t0001056404-03-001234\n"
    "CONFORMED SUBMISSION TYPE:\t424B5\n"
    "PUBLIC DOCUMENT COUNT:\t\t2\n"
    "FILED AS OF DATE:\t\t20031222\n"
    "\n"
    "FILER:\n"
    "\n"
    "\tCOMPANY DATA:\t\n"
    "\t\tCOMPANY CONFORMED NAME:\t\t\tCITIGROUP MORTGAGE LOAN TRUST INC\n"
    "\t\tCENTRAL INDEX KEY:\t\t\t0001257102\n"
    "\t\tIRS NUMBER:\t\t\t\t010791848\n"
    "\n"
    "\tFILING VALUES:\n"
    "\t\tFORM TYPE:\t\t424B5\n"
    "\t\tSEC ACT:\t\t1933 Act\n"
    "\t\tSEC FILE NUMBER:\t333-107958\n"
    "</SEC-HEADER>\n"
    "<DOCUMENT>\n"
    "<TYPE>424B5\n"
    "<SEQUENCE>1\n"
    "<FILENAME>d12345.txt\n"
    "<DESCRIPTION>PROSPECTUS SUPPLEMENT\n"
    "<TEXT>\n" + SUPPLEMENT_TEXT + "</TEXT>\n"
    "</DOCUMENT>\n"
    "<DOCUMENT>\n"
    "<TYPE>EX-99\n"
    "<SEQUENCE>2\n"
    "<FILENAME>ex99.htm\n"
    "<DESCRIPTION>COMPUTATIONAL MATERIALS\n"
    "<TEXT>\n"
    "<html><body><p align=center><b>EXHIBIT 99</b></p>\n"
    "<p>Computational materials &amp; collateral\n   tables.</p></body></html>\n"
    "</TEXT>\n"
    "</DOCUMENT>\n"
    "</SEC-DOCUMENT>\n"
)

SGML_HEADER = Header(
    accession="0001056404-03-001234",
    form_type="424B5",
    filed=D(2003, 12, 22),
    period=None,
    company="CITIGROUP MORTGAGE LOAN TRUST INC",
    cik="0001257102",
    file_number="333-107958",
    irs_ein="01-0791848",
)


def test_sgml_header_and_documents() -> None:
    filing = read_filing(SGML.replace("\n", "\r\n").encode("ascii"))
    assert (filing.format, filing.encoding) == ("sgml", "utf-8")
    assert filing.header == SGML_HEADER
    assert filing.documents == (
        RawDocument(
            text=SUPPLEMENT_TEXT,
            type="424B5",
            sequence=1,
            filename="d12345.txt",
            description="PROSPECTUS SUPPLEMENT",
        ),
        RawDocument(
            text="                                  EXHIBIT 99\n\nComputational materials & collateral tables.\n",
            type="EX-99",
            sequence=2,
            filename="ex99.htm",
            description="COMPUTATIONAL MATERIALS",
            is_html=True,
        ),
    )


def test_sgml_documents_classify() -> None:
    filing = read_filing(SGML.encode("ascii"))
    supplement, exhibit = (classify(doc, filing.header) for doc in filing.documents)
    assert supplement == Metadata(
        kind="prospectus_supplement",
        title="Prospectus Supplement dated December 22, 2003",
        registrant="CITIGROUP MORTGAGE LOAN TRUST INC.",
        series="2003-HE3",
        file_number="333-107958",
        irs_ein="01-0791848",
        form_type="424B5",
        document_date=D(2003, 12, 22),
        amends_prospectus_date=D(2003, 11, 4),
        amount="$457,959,000",
    )
    assert exhibit == Metadata(
        kind="exhibit",
        title="Exhibit 99",
        registrant="CITIGROUP MORTGAGE LOAN TRUST INC",
        file_number="333-107958",
        irs_ein="01-0791848",
        form_type="EX-99",
        exhibit="99",
    )


def test_old_submission_header() -> None:
    text = (
        "<SUBMISSION>\n<ACCESSION-NUMBER>0000912057-97-000123\n<TYPE>424B3\n"
        "<FILING-DATE>19970115\n<FILER>\n<COMPANY-DATA>\n<CONFORMED-NAME>SOME DEPOSITOR CORP\n"
        "<CIK>0000912345\n<IRS-NUMBER>133320910\n</COMPANY-DATA>\n<FILING-VALUES>\n"
        "<FORM-TYPE>424B3\n<FILE-NUMBER>333-12345\n</FILING-VALUES>\n</FILER>\n"
        "<DOCUMENT>\n<TYPE>424B3\n<TEXT>\nSupplement to Prospectus Supplement dated January 2, 1997\n"
        "</TEXT>\n</DOCUMENT>\n</SUBMISSION>\n"
    )
    filing = read_filing(text.encode("ascii"))
    assert filing.header == Header(
        accession="0000912057-97-000123",
        form_type="424B3",
        filed=D(1997, 1, 15),
        company="SOME DEPOSITOR CORP",
        cik="0000912345",
        file_number="333-12345",
        irs_ein="13-3320910",
    )
    assert filing.documents == (
        RawDocument(text="Supplement to Prospectus Supplement dated January 2, 1997\n", type="424B3"),
    )
    assert classify(filing.documents[0], filing.header).kind == "sticker"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SGML[: SGML.index("</TEXT>") - 40], "truncated"),
        (SGML[: SGML.index("<TEXT>")], "truncated"),
        ("<DOCUMENT>\n<TYPE>424B5\n</DOCUMENT>\n", "no <TEXT>"),
        ("<SEC-HEADER>\nACCESSION NUMBER: 0001056404-03-001234\n</SEC-HEADER>\n", "no <DOCUMENT>"),
    ],
    ids=["text-cut", "header-cut", "no-text", "no-document"],
)
def test_sgml_refused(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_filing(text.encode("ascii"))


def test_sgml_text_closed_only_by_document() -> None:
    text = "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nFORM 8-K\nbody\n</DOCUMENT>\n"
    assert read_filing(text.encode("ascii")).documents == (RawDocument(text="FORM 8-K\nbody\n", type="8-K"),)


# --- encodings and refusals ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (
            b"The \x93Depositor\x94 \x97 Series 2003-HE3\r\n",
            "cp1252",
            "The \u201cDepositor\u201d \u2014 Series 2003-HE3\n",
        ),
        # 0x81 has no cp1252 character, so only latin-1 reads these bytes.
        (b"Soci\xe9t\xe9 G\xe9n\xe9rale\x81\rnext\n", "latin-1", "Soci\xe9t\xe9 G\xe9n\xe9rale\x81\nnext\n"),
        ("Supplement \u2014 dated\r\n".encode("utf-16"), "utf-16", "Supplement \u2014 dated\n"),
        ("\ufeffSupplement \u2014 dated\n".encode("utf-8"), "utf-8-sig", "Supplement \u2014 dated\n"),
        ("Supplement \u2014 dated\n".encode("utf-8"), "utf-8", "Supplement \u2014 dated\n"),
    ],
    ids=["cp1252", "latin-1", "utf-16-bom", "utf-8-bom", "utf-8"],
)
def test_encodings(data: bytes, encoding: str, text: str) -> None:
    filing = read_filing(data)
    assert (filing.encoding, filing.format, filing.documents) == (encoding, "text", (RawDocument(text=text),))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b" \r\n\t \n", "white space"),
        (" \n".encode("utf-16"), "white space"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"Series\x00\x01\x02 text", "NUL"),
        (bytes(range(1, 9)) * 40 + b"some words", "control characters"),
        (b"1234 5678\n-- 90 --\n", "no letters"),
        (b"<html><body><p>&nbsp;</p><p>12</p></body></html>", "no text"),
    ],
    ids=[
        "empty", "blank", "blank-utf16", "pdf", "zip", "png", "gif", "jpeg", "nul", "controls",
        "no-letters", "empty-html",
    ],  # fmt: skip
)
def test_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_filing(data)
    assert "\n" not in str(info.value)


# --- HTML ------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><title>d12345.htm</title>
<style>p { margin: 0 }</style><script>var x = "<p>no</p>";</script></head>
<body>
<h1>SUMMARY OF TERMS</h1>
<p>The servicer   will advance
   interest &amp; principal&nbsp;on the &ldquo;Mortgage Loans&rdquo;.</p>
<p>First line<br>second line</p>
<table>
<tr><th>Class</th><th>&nbsp;</th><th colspan=2>Amount</th><th colspan=2>Rate</th></tr>
<tr><td>A-1</td><td></td><td>$</td><td>124,000,000</td><td>5.25</td><td>%</td></tr>
<tr><td>M-1</td><td></td><td>$</td><td>9,000,000</td><td>6.00</td><td>%</td></tr>
</table>
<p align="center">S-1</p>
<p style="page-break-before: always">Advances</p>
<p>Second page.</p>
<div style="PAGE-BREAK-AFTER: always">S-2</div>
<pre>  Class    Amount
  A-1      $1</pre>
</body></html>
"""

HTML_TEXT = """SUMMARY OF TERMS

The servicer will advance interest & principal on the “Mortgage Loans”.

First line
second line

Class   Amount         Rate
-----   ------------   -----
A-1     $124,000,000   5.25%
M-1     $9,000,000     6.00%

                                     S-1

<PAGE>

Advances

Second page.

                                     S-2

<PAGE>

  Class    Amount
  A-1      $1
"""


def test_html_to_text() -> None:
    assert html_to_text(HTML) == HTML_TEXT


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>one</p><hr><p>two</p><hr/><p>three</p><hr>", "one\n\n<PAGE>\n\ntwo\n\n<PAGE>\n\nthree\n"),
        ("<p>one</p><hr width='30%'><p>two</p>", "one\n\n__________\n\ntwo\n"),
        ("<p>a<hr style='page-break-after:always'>b</p><hr>", "a\n\n<PAGE>\n\nb\n"),
        ("<div><div><p>nested</p></div></div><div>next</div>", "nested\n\nnext\n"),
        ("<p>x &lt; y &#8212; z&#x2019;s</p>", "x < y \u2014 z\u2019s\n"),
        ("<table><tr><td><p>a</p><p>b</p></td><td>c<br>d</td></tr></table>", "---   ---\na b   c d\n"),
        ("<p>unclosed<p>next</p></i></b>", "unclosed\n\nnext\n"),
        ("<html><head><title>t</title><body><p>open head</p></body></html>", "open head\n"),
        ("<body><pre>\n  A   1\n\n  B   2\n</pre><p>after</p>", "  A   1\n\n  B   2\n\nafter\n"),
        ("<p>text</p><PAGE><p>more</p>", "text\n\n<PAGE>\n\nmore\n"),
        ("<table><caption>Title</caption><tr><td>a</td><td>b</td></tr></table>", "Title\n\n---   ---\na     b\n"),
    ],
    ids=[
        "hr-pages", "narrow-hr-is-a-footnote-rule", "break-style-wins", "nested-blocks", "entities", "cell-blocks",
        "stray-tags", "head-left-open", "pre", "page-tag", "caption",
    ],  # fmt: skip
)
def test_html_to_text_cases(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_read_html_document() -> None:
    html = (
        "<html><body><p>Supplement dated January 9, 2004<br>to Prospectus Supplement dated "
        "December 22, 2003<br>(to Prospectus dated November 4, 2003)</p>"
        "<p>Citigroup Mortgage Loan Trust Inc.</p><p>Depositor</p>"
        "<p>Asset Backed Pass&#8209;Through Certificates, Series 2003&#8209;HE3</p></body></html>"
    )
    filing = read_filing(html.encode("cp1252"))
    assert (filing.format, filing.header, len(filing.documents)) == ("html", Header(), 1)
    doc = filing.documents[0]
    assert doc.is_html
    assert classify(doc, filing.header) == Metadata(
        kind="sticker",
        title="Supplement dated January 9, 2004 to Prospectus Supplement dated December 22, 2003",
        registrant="Citigroup Mortgage Loan Trust Inc.",
        series="2003-HE3",
        document_date=D(2004, 1, 9),
        amends_supplement_date=D(2003, 12, 22),
        amends_kind="prospectus_supplement",
        amends_prospectus_date=D(2003, 11, 4),
    )


def test_edgar_text_markup_is_not_html() -> None:
    text = "<PAGE>\n<TABLE>\n<CAPTION>\n<S>      <C>\nClass A  $1,000\n</TABLE>\n"
    assert read_filing(text.encode("ascii")).format == "text"


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from([b"", b"<SEC-DOCUMENT>\n<DOCUMENT>\n<TEXT>\n", b"<html><p>", b"\xff\xfe"]),
    data=st.binary(max_size=400),
)
def test_any_bytes_read_or_refused(prefix: bytes, data: bytes) -> None:
    """Whatever the bytes, reading gives a filing whose documents classify, or an InputError."""
    try:
        filing = read_filing(prefix + data)
    except InputError as error:
        assert "\n" not in str(error)
        return
    for doc in filing.documents:
        assert classify(doc, filing.header).kind


# --- covers of today's amending filings, generated ---------------------------------------------
#
# Each cover combines a title, its own date, the way it turns to what it amends, the document it
# amends and that document's date, wrapped in several ways: every combination must read the same.

_OWN_TITLES = ["Supplement", "SUPPLEMENT", "Amendment No. 2", "Prospectus Supplement"]
_OWN_DATES = [("dated August 2, 2024", D(2024, 8, 2)), ("Dated as of August 2, 2024", D(2024, 8, 2)),
              ("", None)]
_TURNS = [" to ", "\n(To ", ",\nto ", "\nto\n"]
_AMENDED = [
    ("Prospectus Supplement", "prospectus_supplement"),
    ("Preliminary Prospectus", "preliminary_prospectus"),
    ("Prospectus", "prospectus"),
    ("Pricing Supplement", "pricing_supplement"),
    ("Private Placement Memorandum", "private_placement_memorandum"),
    ("Offering Memorandum", "offering_memorandum"),
    ("Supplement", "supplement"),
]
_AMENDED_DATES = ["dated June 1, 2024", "Dated June 1, 2024", "dated 06/01/2024"]


def _covers():
    for n, (title, (own, own_date), turn, (doc, kind), dated) in enumerate(itertools.product(
        _OWN_TITLES, _OWN_DATES, _TURNS, _AMENDED, _AMENDED_DATES
    )):
        if n % 5:  # a fifth of the combinations, every part still in many of them
            continue
        if title == "Prospectus Supplement" and not doc.endswith("Supplement"):
            continue  # a prospectus supplement "(To Prospectus dated ...)" amends nothing
        head = f"{title} {own}".strip() + turn + f"{doc} {dated}" + (")" if "(" in turn else "")
        date_line = "" if own_date else "\nThe date of this Supplement is August 2, 2024.\n"
        cover = (
            f"Filed Pursuant to Rule 424(b)(3)\nRegistration No. 333-271234\n\n{head}\n\n"
            "Lakeview Equipment Trust 2024-2\nIssuing Entity\n\n"
            f"The {doc.lower()} is amended as follows:\n{date_line}"
        )
        yield pytest.param(cover, kind, id=f"{n}")


@pytest.mark.parametrize(("cover", "amended_kind"), list(_covers()))
def test_generated_sticker_covers(cover: str, amended_kind: str):
    meta = classify(RawDocument(text=cover), Header())
    got = (meta.kind, meta.document_date, meta.amends_supplement_date, meta.amends_kind)
    assert got == ("sticker", D(2024, 8, 2), D(2024, 6, 1), amended_kind)


@pytest.mark.parametrize(
    ("cover", "expected"),
    [
        # What this supplement does, said in a sentence under a title without "to".
        ("SUPPLEMENT DATED AUGUST 2, 2024\n\nThis supplement (this \u201cSupplement\u201d) supplements "
         "and amends the preliminary prospectus dated June 1, 2024 (the \u201cPreliminary Prospectus\u201d).\n",
         ("sticker", D(2024, 8, 2), D(2024, 6, 1), "preliminary_prospectus")),
        ("SUPPLEMENT\n\nThis is a supplement to the prospectus dated June 1, 2024, as supplemented by the "
         "supplement dated July 9, 2024.\n\nThe date of this Supplement is August 2, 2024.\n",
         ("sticker", D(2024, 8, 2), D(2024, 6, 1), "prospectus")),
        # A note's amendment: a date alone on top, then an override of its pricing supplement.
        ("August 2, 2024\nRule 424(b)(3)\n\nNotwithstanding anything to the contrary set forth in the "
         "pricing supplement dated June 1, 2024, the Observation Dates are as set forth below:\n",
         ("sticker", D(2024, 8, 2), D(2024, 6, 1), "pricing_supplement")),
        # A chain: this supplement amends the supplement before it.
        ("Supplement dated August 2, 2024\nto Supplement dated July 9, 2024\nto Prospectus Supplement "
         "dated June 1, 2024\n", ("sticker", D(2024, 8, 2), D(2024, 7, 9), "supplement")),
        # Not amendments: a prospectus supplement, a preliminary prospectus, a memorandum.
        ("PROSPECTUS SUPPLEMENT\n(To Prospectus dated June 1, 2024)\n\nThe date of this prospectus "
         "supplement is August 2, 2024.\n", ("prospectus_supplement", D(2024, 8, 2), None, None)),
        ("SUBJECT TO COMPLETION, DATED JULY 11, 2024\n\nPRELIMINARY PROSPECTUS\n\n$500,000,000\n",
         ("prospectus", D(2024, 7, 11), None, None)),
        ("CONFIDENTIAL PRIVATE PLACEMENT MEMORANDUM\n\nLakeview Notes due 2031\n\nThe date of this "
         "prospectus is August 2, 2024.\n", ("prospectus", D(2024, 8, 2), None, None)),
    ],
    ids=["sentence", "chain-as-supplemented", "notwithstanding", "chain", "supplement", "preliminary",
         "memorandum"],
)
def test_cover_phrasings(cover: str, expected: tuple):
    meta = classify(RawDocument(text=cover), Header())
    assert (meta.kind, meta.document_date, meta.amends_supplement_date, meta.amends_kind) == expected


def test_preliminary_prospectus_facts():
    meta = classify(RawDocument(text="SUBJECT TO COMPLETION, DATED JULY 11, 2024\n\nPRELIMINARY PROSPECTUS\n"),
                    Header())
    assert (meta.preliminary, meta.title) == (True, "Preliminary Prospectus dated July 11, 2024")
    memo = classify(RawDocument(text="PRIVATE PLACEMENT MEMORANDUM\n\nNotes\n"), Header())
    assert (memo.kind, memo.title) == ("prospectus", "Private Placement Memorandum")


def test_form_424h_and_the_filing_date():
    """A 424H is preliminary; a document with no date of its own takes the header's filing date."""
    sgml = (
        "<SEC-DOCUMENT>0000950103-24-009999.txt : 20240711\n<SEC-HEADER>0000950103-24-009999.hdr.sgml\n"
        "ACCESSION NUMBER:\t\t0000950103-24-009999\nCONFORMED SUBMISSION TYPE:\t424H\n"
        "FILED AS OF DATE:\t\t20240711\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>424H\n<TEXT>\n"
        "<html><body><p><b>Summary of Terms</b></p><p>The notes are described below.</p></body></html>\n"
        "</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    )
    filing = read_filing(sgml.encode())
    meta = classify(filing.documents[0], filing.header)
    assert (meta.kind, meta.form_type, meta.preliminary, meta.document_date) == (
        "prospectus", "424H", True, D(2024, 7, 11))


def test_html_sticker_cover():
    """A supplement to a preliminary prospectus filed as HTML, its title centred in one line."""
    html = (
        "<html><body><p align=center><b>SUPPLEMENT DATED AUGUST 2, 2024 TO PRELIMINARY PROSPECTUS "
        "DATED JUNE 1, 2024</b></p><p align=center><b>Lakeview Equipment Trust 2024-2</b></p>"
        "<p>The Preliminary Prospectus is hereby amended as follows:</p></body></html>"
    )
    filing = read_filing(html.encode())
    meta = classify(filing.documents[0], filing.header)
    assert (meta.kind, meta.document_date, meta.amends_supplement_date, meta.amends_kind, meta.series) == (
        "sticker", D(2024, 8, 2), D(2024, 6, 1), "preliminary_prospectus", "2024-2")
