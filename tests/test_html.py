"""Reading HTML: printers' layouts to text, and the structure the segmenter reads back from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.read import classify, read_filing
from tracker.read.html import html_to_text
from tracker.segment import segment
from tracker.text import fold_space

from .conftest import SHARED_CORPUS

HERE = Path(__file__).resolve().parent / "html"
AMEX = SHARED_CORPUS / "cases" / "real-amex-para-trustee" / "base.htm"


def _read(path: Path) -> str:
    return read_filing(path.read_bytes()).documents[0].text


def _headings(text: str) -> list[tuple[str | None, str]]:
    """Each heading as (page label, its path joined by " > ")."""
    seg = segment(text)
    return [(seg.page_label(b), " > ".join(b.heading)) for b in seg.blocks if b.kind == "heading"]


def _kinds(text: str, kind: str) -> list[tuple[str | None, str]]:
    """Each block of ``kind`` as (page label, its first 40 characters)."""
    seg = segment(text)
    return [(seg.page_label(b), fold_space(text[b.start : b.end])[:40].rstrip()) for b in seg.blocks if b.kind == kind]


# --- a real Donnelley layout: pages 1-5 of a 424H ---------------------------------------------

AMEX_HEADINGS = [
    ("1", "Summary of Series Terms"),
    ("1", "Summary of Series Terms > Risk Factors"),
    ("1", "Summary of Series Terms > Risk Factors > Business Risks Relating to AENB’s Revolving Credit Business"),
    ("1", "Summary of Series Terms > Risk Factors > Insolvency and Security Interest Risks"),
    ("2", "Summary of Series Terms > Risk Factors > Other Legal and Regulatory Risks"),
    ("2", "Summary of Series Terms > Risk Factors > Transaction Structure Risks"),
    ("2", "Summary of Series Terms > Risk Factors > Risks Related to an Investment in the Certificates"),
    ("3", "Summary of Series Terms > The Issuing Entity"),
    ("3", "Summary of Series Terms > Account Owner and Sponsor"),
    ("3", "Summary of Series Terms > Depositor and Transferor"),
    ("3", "Summary of Series Terms > Servicer"),
    ("4", "Summary of Series Terms > Trustee"),
    ("5", "Key Parties and Operating Documents"),
]


@pytest.fixture
def amex() -> str:
    if not AMEX.is_file():
        pytest.skip("shared corpus absent")
    return _read(AMEX)


def test_amex_pages_and_headings(amex):
    seg = segment(amex)
    assert [p.label for p in seg.pages] == ["1", "2", "3", "4", "5"]
    assert _headings(amex) == AMEX_HEADINGS
    assert "Table of Contents" not in amex  # the back-link on every page is furniture


def test_amex_italic_lines_are_paragraphs(amex):
    seg = segment(amex)
    refer = [b for b in seg.blocks if amex[b.start : b.end].startswith("We refer to")]
    assert [(b.kind, seg.page_label(b), b.heading[-1]) for b in refer] == [
        ("paragraph", "3", "The Issuing Entity"),
        ("paragraph", "3", "Account Owner and Sponsor"),
        ("paragraph", "3", "Depositor and Transferor"),
        ("paragraph", "4", "Servicer"),
    ]


def test_amex_bullets_and_footnote(amex):
    bullets = _kinds(amex, "bullet")
    assert len(bullets) == 32 and all(text.startswith("• ") for _, text in bullets)
    assert [label for label, _ in bullets].count("2") == 18
    # The page 5 footnote under its short rule is a paragraph; the chart is an image: no table.
    assert ("5", "* The Class B certificates are not being") in _kinds(amex, "paragraph")
    assert _kinds(amex, "table") == []


def test_amex_words_survive():
    """Every case's old words read in the text as the case gives them."""
    if not AMEX.is_file():
        pytest.skip("shared corpus absent")
    folded = fold_space(_read(AMEX))
    for case in sorted(AMEX.parent.parent.glob("real-amex-*/case.json")):
        for ins in json.loads(case.read_text(encoding="utf-8"))["instructions"]:
            assert fold_space(ins.get("old_text_words") or "") in folded, (case.parent.name, ins["n"])


def test_amex_classified_as_preliminary(amex):
    filing = read_filing(AMEX.read_bytes())
    meta = classify(filing.documents[0], filing.header)
    assert (meta.kind, meta.form_type, meta.preliminary, meta.series) == ("prospectus", "424H", True, "2024-3")


def test_an_edit_segments_back_the_same(amex):
    """After a paragraph is replaced (wrapped another way), the structure around it is unchanged."""
    old = "The Bank of New York Mellon, a New York banking corporation, is the trustee"
    start = amex.index(old)
    end = amex.index("\n\n", start)
    new = "The Bank of New York Mellon is the trustee.\nIts telephone number is (212) 815-6400."
    edited = amex[:start] + new + amex[end:]
    assert _headings(edited) == AMEX_HEADINGS
    trustee = [b for b in segment(edited).blocks if b.heading[-1:] == ("Trustee",) and b.kind == "paragraph"]
    assert fold_space(edited[trustee[0].start : trustee[0].end]) == fold_space(new)


# --- constructed printers' layouts ------------------------------------------------------------


def test_toppan_like_layout():
    """Page breaks in a div's style, folios centred at the foot, a right-set back-link, bold
    italic subsections, a table with "$" and "%" cells and a footnote under a short rule, risk
    factors titled by bold italic sentences under a group."""
    text = html_to_text((HERE / "toppan-like.htm").read_text(encoding="utf-8"))
    assert [p.label for p in segment(text).pages] == [None, "S-1", "S-2"]
    assert _headings(text)[-6:] == [
        ("S-1", "SUMMARY > Issuing Entity"),
        ("S-1", "SUMMARY > The Notes"),
        ("S-2", "SUMMARY > Servicer"),
        ("S-2", "RISK FACTORS"),
        ("S-2", "RISK FACTORS > Risks Related to the Receivables"),
        ("S-2", "RISK FACTORS > Risks Related to the Receivables > Economic conditions may increase "
                "delinquencies and losses on the receivables, which may reduce payments on your notes."),
    ]
    assert ("S-1", "SUMMARY") in _headings(text)
    assert "Class   Principal Amount   Interest Rate\n-----   ----------------   -------------\n" \
           "A-1     $180,000,000       5.412%\n" in text
    assert _kinds(text, "table") == [("S-1", "Class Principal Amount Interest Rate ---")]
    assert ("S-1", "(1) The Class B notes are not offered by") in _kinds(text, "paragraph")
    assert _kinds(text, "bullet") == [("S-2", "• Used vehicle prices may fall, lowering"),
                                      ("S-2", "• Obligors may seek payment deferrals.")]
    risk = [b for b in segment(text).blocks if b.kind == "risk_factor"]
    assert len(risk) == 1 and text[risk[0].start : risk[0].end].endswith("seek payment deferrals.")
    assert "Table of Contents" not in text


def test_workiva_like_layout():
    """Breaks as <hr style="page-break-after">, folios in a footer div, a back-link in a header
    div, bold spans, a side-heading table, bullets set inline, inline XBRL."""
    text = html_to_text((HERE / "workiva-like.htm").read_text(encoding="utf-8"))
    assert [p.label for p in segment(text).pages] == [None, "S-1", "S-2"]
    assert _headings(text)[-8:] == [
        ("S-1", "Summary of Terms"),
        ("S-1", "Summary of Terms > Transaction Overview"),
        ("S-1", "Summary of Terms > Servicer"),
        ("S-1", "Summary of Terms > Indenture Trustee"),
        ("S-2", "Risk Factors"),
        ("S-2", "Risk Factors > Risks Related to the Leases"),
        ("S-2", "Risk Factors > Risks Related to the Leases > Lessee defaults could reduce the amounts "
                "available to pay your notes."),
        ("S-2", "Use of Proceeds"),
    ]
    assert _kinds(text, "table") == [("S-1", "Class Initial Note Balance Final Maturit")]
    assert "Class A   $412,000,000           July 2031\n" in text
    assert _kinds(text, "bullet") == [("S-2", "• Equipment values can fall quickly when"),
                                      ("S-2", "• Remarketing may take many months.")]
    # The hidden XBRL header is metadata; the tagged registrant name is printed text.
    assert "0009999999" not in text and "424B2" not in text
    assert "Northwind Equipment Lease Trust 2024-1" in text
    assert "Table of Contents" not in text


# --- broken markup ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>one<p>two<div>three", "one\n\ntwo\n\nthree\n"),
        ("<p><b>bold <i>both</b> italic</i> plain</p>", "bold both italic plain\n"),
        ("</td></tr></table><p>stray ends</p></div>", "stray ends\n"),
        ("<P ALIGN=justify>UPPER case tags, unquoted values</P>", "UPPER case tags, unquoted values\n"),
        ("<p>a < b and c > d</p>", "a < b and c > d\n"),
        ("<p>before<!-- never closed <p>hidden</p>", "before\n"),
        ("<p>&#147;cp1252&#148; &#150; refs&#146;</p>", "\u201ccp1252\u201d \u2013 refs\u2019\n"),
        ("<table><tr><td>&#149;</td><td>one row bullet</td></tr></table>", "•  one row bullet\n"),
        ("<ul><li>first</li><li>second</ul><ol><li>a<li>b</ol>", "•  first\n\n•  second\n\n1.  a\n\n2.  b\n"),
        ("<p style='display:none'>hidden</p><p>shown</p>", "shown\n"),
        ("<p><a href='#toc'>Table of Contents</a></p><p>body</p>", "body\n"),
        ("<p><a href='http://x/'>Table of Contents</a></p>", "Table of Contents\n"),
    ],
    ids=[
        "unclosed", "misnested", "stray-ends", "upper-case", "angle-in-text", "open-comment",
        "cp1252-refs", "table-bullet", "lists", "hidden", "back-link", "outside-link",
    ],  # fmt: skip
)
def test_broken_markup(html: str, text: str):
    assert html_to_text(html) == text


def test_table_bomb_keeps_every_cell():
    """Tables left open inside each other's cells, as deep as the input goes."""
    html = "<html><body>" + "<table><tr><td><p>x</p>" * 20_000
    assert html_to_text(html).split() == ["x"] * 20_000


_TAGS = ["p", "div", "b", "i", "table", "tr", "td", "br", "hr", "span", "li", "ul", "h2", "center"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(["alpha", "beta", "gamma", "delta"]),
), max_size=60))
def test_any_tag_soup_keeps_its_words(parts: list[str]):
    """Whatever the nesting, every word of the text is kept, once; in order unless a table is open (a
    word inside a table but outside its cells stands before the table, as a browser shows it)."""
    html = " ".join(parts)
    words = [p for p in parts if not p.startswith("<")]
    out = html_to_text(html)
    found = re.findall(r"alpha|beta|gamma|delta", out)
    assert sorted(found) == sorted(words)
    if "<table>" not in parts:
        assert found == words
    segment(out)  # and the text segments


def test_contents_table_reads_as_a_table_of_contents():
    html = (
        "<p align=center><b><a name=toc>TABLE OF CONTENTS</a></b></p><table>"
        "<tr><td>Summary of Terms</td><td>S-1</td></tr><tr><td>Risk Factors</td><td>S-5</td></tr>"
        "<tr><td></td><td></td></tr><tr><td>Use of Proceeds</td><td>S-19</td></tr></table>"
    )
    text = html_to_text(html)
    assert "Risk Factors ......" in text and text.count("\n") == 5
    assert [b.kind for b in segment(text).blocks] == ["heading", "toc"]


@pytest.mark.parametrize("unit", ["<div>x ", "<ul><li>x<ol><li>x ", "<font><p>x ", "<b><div>x "])
def test_containers_left_open_keep_every_word(unit: str):
    """Thousands of blocks left open inside each other (the parser's own scopes would make them
    quadratic): every word is kept."""
    out = html_to_text("<html><body>" + unit * 5_000)
    assert out.count("x") == 5_000 * unit.count("x") and "xx" not in out


def test_side_headings_with_prose_running_on():
    """A row of prose alone under the prose column carries on the caption above it."""
    prose = "The servicer will service the leases and will be paid a monthly fee for doing so. " * 2
    html = (
        f"<table><tr><td><b>Servicer</b></td><td>{prose}</td></tr>"
        f"<tr><td></td><td>It may resign only if it can no longer act.</td></tr>"
        f"<tr><td><b>Trustee:</b></td><td>{prose}</td></tr></table>"
    )
    seg = segment(html_to_text(html))
    assert [(b.kind, b.heading) for b in seg.blocks] == [
        ("heading", ("Servicer",)), ("paragraph", ("Servicer",)), ("paragraph", ("Servicer",)),
        ("heading", ("Trustee",)), ("paragraph", ("Trustee",)),
    ]


@pytest.mark.parametrize(
    ("html", "heading"),
    [
        ('<p style="font: bold 10pt Times New Roman">Servicer</p><p>It services.</p>', True),
        ('<p style="font-weight:700">Servicer</p><p>It services.</p>', True),
        ('<p><b>Servicer <span style="font-weight:normal">and its duties</span></b></p><p>x.</p>', False),
        ('<p><i>We refer to it as the “servicer.”</i></p><p>It services.</p>', False),
        ('<p style="text-decoration:underline">Servicer</p><p>It services.</p>', True),
    ],
    ids=["font-shorthand", "weight-700", "weight-normal-inside-bold", "italic-sentence", "underline"],
)
def test_headings_from_styles(html: str, heading: bool):
    from tracker.read import html as reader

    first = reader._Reader(False)
    reader._walk(reader.LexborHTMLParser(html).root, first)
    first.flush()
    assert reader._is_heading(first.sinks[0][0]) is heading


def test_cli_ingest_and_outline(db_path):
    """The product path: ``tracker ingest base.htm`` then ``tracker outline`` shows the pages'
    heading paths."""
    if not AMEX.is_file():
        pytest.skip("shared corpus absent")
    from typer.testing import CliRunner

    from tracker.cli import app

    env = {"COLUMNS": "200", "TERM": "dumb"}
    runner = CliRunner()
    # the excerpt has no date of its own: the filing's, given as a user gives it
    ingest = runner.invoke(app, ["ingest", str(AMEX), "--date", "2024-07-11"], env=env)
    assert ingest.exit_code == 0, ingest.output
    outline = runner.invoke(app, ["outline", "2024-3 prospectus", "--page", "2"], env=env)
    assert outline.exit_code == 0, outline.output
    assert "<Summary of Series Terms > Risk Factors > Transaction Structure Risks>" in outline.stdout
    assert "Table of Contents" not in outline.stdout


def test_table_with_two_head_rows():
    html = (
        "<table><tr><td></td><td colspan=2 align=center>Principal</td><td colspan=2>Interest</td></tr>"
        "<tr><td>Class</td><td colspan=2>Amount</td><td colspan=2>Rate</td></tr>"
        "<tr><td>A-1</td><td>$</td><td>100,000</td><td>5.00</td><td>%</td></tr>"
        "<tr><td>A-2</td><td>$</td><td>50,000</td><td>5.25</td><td>%</td></tr></table>"
    )
    assert html_to_text(html) == (
        "        Principal   Interest\n"
        "Class   Amount      Rate\n"
        "-----   ---------   --------\n"
        "A-1     $100,000    5.00%\n"
        "A-2     $50,000     5.25%\n"
    )


def test_a_supplement_to_the_preliminary_prospectus_links_to_it_by_series_kind_and_date(db_path):
    """Without --amends: the sticker names a preliminary prospectus of its series and date."""
    if not AMEX.is_file():
        pytest.skip("shared corpus absent")
    from typer.testing import CliRunner

    from tracker.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(AMEX), "--date", "2024-07-11"]).exit_code == 0
    applied = runner.invoke(app, ["ingest", str(AMEX.parent / "sticker.txt")])
    assert applied.exit_code == 0, applied.output
    assert "2024-3/preliminary-prospectus" in runner.invoke(app, ["documents"]).stdout
    shown = runner.invoke(app, ["show", "2024-3/preliminary-prospectus"]).stdout
    assert "Floor 7 East" in shown and "Floor 7 West" not in shown
    refused = runner.invoke(app, ["ingest", str(AMEX.parent.parent / "real-amex-neg-missing-heading" / "sticker.txt")])
    assert refused.exit_code == 3, refused.output
