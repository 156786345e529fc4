"""Segmenting: pages and labels, heading paths, tables, bullets, definitions, risk factors, sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.segment import (
    blocks_under,
    bullet_body,
    continues_previous,
    normalise_heading,
    segment,
    sentences,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

DOC = """\
                               PROSPECTUS SUPPLEMENT

                                 $650,000,000

<PAGE>

                       SUMMARY OF PROSPECTUS SUPPLEMENT

Advances

The servicer will make advances of delinquent payments.

Description of the Certificates

General

The trust will issue the certificates.

                                     S-1

<page>

                                 RISK FACTORS

Balloon Loans May Have Higher Default Risk

Some loans are balloon loans.

The ability to pay depends on refinancing.

THE CERTIFICATES ARE NOT GUARANTEED

No one guarantees the certificates.

                       DESCRIPTION OF THE CERTIFICATES

Advances

Subject to the limits below, the servicer will advance. The amount
advanced will be reimbursed.

   o  Reserve account, with an initial deposit of at least $1,701,588.51
      and subject to adjustment.
   o  Excess interest.

“Record Date” means the last business day of the month.

                      Credit Grade of the Mortgage Loans

                          Number of        Principal
Credit Grade            Mortgage Loans      Balance
----------------------  --------------  ----------------
AA                               2,131   $176,447,110.25
Total:                           3,796   $296,348,616.91

                                     S-2
"""


def _kinds(seg):
    return [(b.kind, seg.text[b.start : b.end].split("\n")[0].strip(), b.heading) for b in seg.blocks]


def test_pages_and_labels():
    seg = segment(DOC)
    assert [(p.index, p.label) for p in seg.pages] == [(0, None), (1, "S-1"), (2, "S-2")]
    # The label line and the <PAGE> line belong to no block.
    for b in seg.blocks:
        body = seg.text[b.start : b.end]
        assert "<PAGE>" not in body.upper()
        assert body.strip() not in ("S-1", "S-2")


def test_no_page_marker_is_one_page():
    seg = segment("Heading\n\nOne paragraph.\n")
    assert [(p.label, p.start, p.end) for p in seg.pages] == [(None, 0, len(seg.text))]


def test_block_spans_are_exact():
    seg = segment(DOC)
    for b in seg.blocks:
        body = seg.text[b.start : b.end]
        assert body == body.rstrip() and body.strip()
        if b.kind not in ("table", "toc"):
            assert body == body.strip()


def test_heading_paths_and_levels():
    seg = segment(DOC)
    heads = [(seg.text[b.start : b.end], b.level, b.heading) for b in seg.blocks if b.kind == "heading"]
    assert heads[:6] == [
        ("PROSPECTUS SUPPLEMENT", 1, ("PROSPECTUS SUPPLEMENT",)),
        ("SUMMARY OF PROSPECTUS SUPPLEMENT", 1, ("SUMMARY OF PROSPECTUS SUPPLEMENT",)),
        ("Advances", 2, ("SUMMARY OF PROSPECTUS SUPPLEMENT", "Advances")),
        # A heading directly followed by a heading opens a deeper level.
        ("Description of the Certificates", 2,
         ("SUMMARY OF PROSPECTUS SUPPLEMENT", "Description of the Certificates")),
        ("General", 3,
         ("SUMMARY OF PROSPECTUS SUPPLEMENT", "Description of the Certificates", "General")),
        ("RISK FACTORS", 1, ("RISK FACTORS",)),
    ]


def test_risk_factors_whole_and_parts():
    seg = segment(DOC)
    risks = [b for b in seg.blocks if b.kind == "risk_factor"]
    assert [(b.term, seg.text[b.start : b.end]) for b in risks] == [
        ("Balloon Loans May Have Higher Default Risk",
         "Balloon Loans May Have Higher Default Risk\n\nSome loans are balloon loans.\n\n"
         "The ability to pay depends on refinancing."),
        # An ALL CAPS line flush left inside RISK FACTORS is a risk factor, not a section.
        ("THE CERTIFICATES ARE NOT GUARANTEED",
         "THE CERTIFICATES ARE NOT GUARANTEED\n\nNo one guarantees the certificates."),
    ]
    paras = blocks_under(seg, ["Risk Factors", "Balloon Loans May Have Higher Default Risk"],
                         kinds=["paragraph"])
    assert [seg.text[b.start : b.end] for b in paras] == [
        "Some loans are balloon loans.", "The ability to pay depends on refinancing."]


def test_body_section_after_risk_factors():
    seg = segment(DOC)
    under = blocks_under(seg, ["Description of the Certificates", "Advances"], kinds=["paragraph"])
    assert [b.heading for b in under] == [("DESCRIPTION OF THE CERTIFICATES", "Advances")]


def test_bullets_definitions_tables():
    seg = segment(DOC)
    bullets = [b for b in seg.blocks if b.kind == "bullet"]
    assert [seg.text[slice(*bullet_body(seg, b))] for b in bullets] == [
        "Reserve account, with an initial deposit of at least $1,701,588.51\n"
        "      and subject to adjustment.",
        "Excess interest.",
    ]
    defs = [(b.term, seg.text[b.start : b.end]) for b in seg.blocks if b.kind == "definition"]
    assert defs == [("Record Date", "“Record Date” means the last business day of the month.")]
    tables = [b for b in seg.blocks if b.kind == "table"]
    assert len(tables) == 1
    t = tables[0]
    assert t.term == "Credit Grade of the Mortgage Loans"
    assert seg.text[t.start : t.end].splitlines()[0].strip().startswith("Number of")
    assert seg.text[t.start : t.end].rstrip().endswith("$296,348,616.91")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Distributions of interest: the trustee pays monthly.", None),
        ("“Net Rate”: the rate less fees.", "Net Rate"),
        ('"Net Rate" shall mean the rate less fees.', "Net Rate"),
        ("Business Day: Any day other than a Saturday.", "Business Day"),
        ("The trustee will pay. It is what it is.", None),
    ],
)
def test_definition_terms(text, expected):
    seg = segment(text + "\n")
    b = seg.blocks[0]
    assert (b.kind, b.term) == (("definition", expected) if expected else ("paragraph", None))


def test_paragraph_cut_by_page_break_stays_two_blocks():
    text = "Heading\n\nThe servicer will advance\npayments as\n\n   S-1\n\n<PAGE>\n\ndescribed here.\n\n  S-2\n"
    seg = segment(text)
    paras = [b for b in seg.blocks if b.kind == "paragraph"]
    assert [seg.text[b.start : b.end] for b in paras] == [
        "The servicer will advance\npayments as", "described here."]
    assert [continues_previous(seg, b) for b in paras] == [False, True]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One. Two.", ["One.", "Two."]),
        ("Receivables from the U.S. Department of Housing are sold. Then more.",
         ["Receivables from the U.S. Department of Housing are sold.", "Then more."]),
        ("Paid through Cede & Co. as nominee of DTC. The “Record Date” is set.",
         ["Paid through Cede & Co. as nominee of DTC.", "The “Record Date” is set."]),
        ("The rate is 5.96% per annum. It may change.", ["The rate is 5.96% per annum.", "It may change."]),
        ("See page S-8. The table shows it.", ["See page S-8.", "The table shows it."]),
        ("Sold by J.P. Morgan Securities Inc. and others. Next.",
         ["Sold by J.P. Morgan Securities Inc. and others.", "Next."]),
        ("Loans, e.g. balloon loans, i.e. some. Next.", ["Loans, e.g. balloon loans, i.e. some.", "Next."]),
        ("The term is the “Record Date.” Then next.", ["The term is the “Record Date.”", "Then next."]),
        ("Fairbanks Capital Corp. (“Fairbanks”) will service. Done.",
         ["Fairbanks Capital Corp. (“Fairbanks”) will service.", "Done."]),
        ("Mr. Smith of No. 2 Main St. agreed. JPMorgan Chase Bank, N.A. acts.",
         ["Mr. Smith of No. 2 Main St. agreed.", "JPMorgan Chase Bank, N.A. acts."]),
        ("Is it due? Yes! Then pay.", ["Is it due?", "Yes!", "Then pay."]),
        ("A subsidiary of Gulfstream Holdings Corp. No. 2, a Delaware corporation. Next.",
         ["A subsidiary of Gulfstream Holdings Corp. No. 2, a Delaware corporation.", "Next."]),
        ("Owned by Acme Inc. No. 3 Trust and others. Next.",
         ["Owned by Acme Inc. No. 3 Trust and others.", "Next."]),
        ("Serviced by Acme Corp., a lender, and Beta Inc. which sells. Next.",
         ["Serviced by Acme Corp., a lender, and Beta Inc. which sells.", "Next."]),
        ("Loans were sold to Acme Corp. No loan was repurchased.",
         ["Loans were sold to Acme Corp.", "No loan was repurchased."]),
        ("Originated by Ashford Financial Group, Inc. Credits above $10 million need approval.",
         ["Originated by Ashford Financial Group, Inc.", "Credits above $10 million need approval."]),
        ("Ends without a stop", ["Ends without a stop"]),
    ],
)
def test_sentences(text, expected):
    spans = sentences(text, 0, len(text))
    assert [text[a:b] for a, b in spans] == expected


def test_sentences_respect_block_bounds():
    text = "xx One. Two. yy"
    assert [text[a:b] for a, b in sentences(text, 3, 12)] == ["One.", "Two."]


@pytest.mark.parametrize(
    "a, b",
    [
        ("Summary -- Certificates", "SUMMARY—Certificates"),
        ("Summary of Prospectus Supplement", "Summary"),
        ("SUMMARY OF TERMS", "summary"),
        ("The Trustee", "Trustee"),
        ("“Record Date”", '"record date"'),
        ("Description of the Certificates – Advances", "DESCRIPTION OF THE CERTIFICATES--ADVANCES"),
    ],
)
def test_normalise_heading_equal(a, b):
    assert normalise_heading(a) == normalise_heading(b)


def test_normalise_heading_keeps_words():
    assert normalise_heading("Summary -- Certificates") == "summary certificates"
    assert normalise_heading("Federal Income Tax Consequences") != normalise_heading("Summary")


def test_large_text_segments_every_page():
    para = ("The servicer will make advances of delinquent payments of principal and interest "
            "on the mortgage loans, to the extent recoverable.\n")
    page = "Advances\n\n" + (para + "\n") * 20 + "\n   S-1\n\n<PAGE>\n\n"
    count = 1_000_000 // len(page)
    text = "DESCRIPTION OF THE CERTIFICATES\n\n" + page * count
    seg = segment(text)
    assert len(seg.pages) == count  # nothing follows the last <PAGE> line
    assert sum(b.kind == "paragraph" for b in seg.blocks) == 20 * count


def _cases():
    if not (CORPUS / "cases").is_dir():
        return []
    return sorted(p.name for p in (CORPUS / "cases").iterdir() if (p / "base.txt").exists())


@pytest.mark.parametrize("name", _cases() or ["(corpus absent)"])
def test_shared_bases_segment_cleanly(name):
    if not (CORPUS / "cases").is_dir():
        pytest.skip("shared corpus absent")
    text = (CORPUS / "cases" / name / "base.txt").read_text()
    seg = segment(text)
    # Every page after the cover carries a printed label.
    assert seg.pages[0].label is None
    assert all(p.label for p in seg.pages[1:])
    # Blocks (other than risk factors, which hold their parts) do not overlap.
    flat = [b for b in seg.blocks if b.kind != "risk_factor"]
    for x, y in zip(flat, flat[1:]):
        assert x.end <= y.start
    # Every level-1 heading is in capitals and starts its own path.
    for b in seg.blocks:
        if b.kind == "heading" and b.level == 1 and b.page > 0:
            assert b.heading == (seg.text[b.start : b.end],)


def test_case_structures():
    if not (CORPUS / "cases").is_dir():
        pytest.skip("shared corpus absent")
    seg = segment((CORPUS / "cases" / "csfb-heat-2003-3" / "base.txt").read_text())
    under = blocks_under(seg, ["Servicing of Mortgage Loans", "Recent Developments Affecting Fairbanks"],
                         kinds=["paragraph"])
    assert [seg.page_label(b) for b in under] == ["S-37", "S-37", "S-37", "S-38", "S-38"]
    seg = segment((CORPUS / "cases" / "long-beach-2004-5" / "base.txt").read_text())
    risk = [b for b in seg.blocks if b.kind == "risk_factor" and b.term == "Simultaneous Second Lien Risk"]
    assert len(risk) == 1 and seg.page_label(risk[0]) == "S-13"
    assert seg.text[risk[0].start : risk[0].end].endswith("from the Seller\nor from any other lender.")


# --- layouts of the HTML era, as text ---------------------------------------------------------

# Pages without <PAGE> lines, each ending with its printed label; a running head on every page;
# Title Case sections (centred) with risk factors under them; tables without a rule of dashes,
# with a rule of short dash runs, indented; a caption wrapped short over two lines; a footnote.
HTML_ERA = """\
                    Harbor Point Receivables Trust 2009-A

                               Summary of Terms

The Notes

The trust will issue the notes shown below.

   Class         Principal Amount       Interest Rate
   A-1           $150,000,000           2.15%
   A-2           $95,000,000            3.40%
   B*            $20,000,000            5.00%

__________

*  The Class B notes are not offered by this prospectus supplement.

                                     S-1

                    Harbor Point Receivables Trust 2009-A

Weighted average lives of the
notes at the prepayment speeds shown

      Scenario      0%      1.5%     2.0%
      --------      --      ----     ----
      A-1           1.90    1.12     0.95
      A-2           3.80    2.41     2.02

                                 Risk Factors

Prepayments May Reduce the Yield on Your Notes

Obligors may prepay their receivables at any time. Faster prepayments
shorten the notes.

The Notes Are Not Insured

No one guarantees payments on the notes.

                                     S-2

                    Harbor Point Receivables Trust 2009-A

                       Description of the Receivables

General

The receivables are retail installment contracts.

                                     S-3
"""


def test_pages_end_with_their_labels_without_page_lines():
    seg = segment(HTML_ERA)
    assert [p.label for p in seg.pages] == ["S-1", "S-2", "S-3"]
    # The running head is page furniture: no block, no heading path.
    assert not [b for b in seg.blocks if "Harbor Point" in HTML_ERA[b.start : b.end]]


def test_title_case_sections_with_risk_factors_under_them():
    seg = segment(HTML_ERA)
    assert [(seg.page_label(b), " > ".join(b.heading)) for b in seg.blocks if b.kind == "heading"] == [
        ("S-1", "Summary of Terms"),
        ("S-1", "Summary of Terms > The Notes"),
        ("S-2", "Summary of Terms > Weighted average lives of the notes at the prepayment speeds shown"),
        ("S-2", "Risk Factors"),
        ("S-2", "Risk Factors > Prepayments May Reduce the Yield on Your Notes"),
        ("S-2", "Risk Factors > The Notes Are Not Insured"),
        ("S-3", "Description of the Receivables"),
        ("S-3", "Description of the Receivables > General"),
    ]
    risks = [b.term for b in seg.blocks if b.kind == "risk_factor"]
    assert risks == ["Prepayments May Reduce the Yield on Your Notes", "The Notes Are Not Insured"]


def test_tables_as_printers_set_them():
    seg = segment(HTML_ERA)
    tables = [(seg.page_label(b), b.term, HTML_ERA[b.start : b.end].split("\n")[0].split()) for b in seg.blocks
              if b.kind == "table"]
    assert tables == [
        ("S-1", None, ["Class", "Principal", "Amount", "Interest", "Rate"]),  # no rule of dashes
        # a rule of short dash runs, indented, under a caption wrapped over two lines
        ("S-2", "Weighted average lives of the notes at the prepayment speeds shown", ["Scenario", "0%", "1.5%", "2.0%"]),
    ]
    table = [b for b in seg.blocks if b.kind == "table"][1]
    assert HTML_ERA[table.start : table.end].endswith("A-2           3.80    2.41     2.02")


def test_footnotes_are_not_bullets():
    seg = segment(HTML_ERA)
    note = [b for b in seg.blocks if HTML_ERA[b.start : b.end].startswith("*  The Class B")]
    assert [b.kind for b in note] == ["paragraph"]
    assert not [b for b in seg.blocks if b.kind == "bullet"]
    # A footnote marking a word above it on its page is one without a rule too.
    text = "Class A(1)   $100\nClass B      $50\n\n(1)  Approximate.\n"
    assert [b.kind for b in segment(text).blocks] == ["table", "paragraph"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # Justified prose with wide gaps at different places is not a table.
        ("The servicer  will  advance   interest on the loans,   subject to\n"
         "recoverability,  and   the trustee will   act as  successor servicer\n"
         "if the servicer   fails to  do so.\n", ["paragraph"]),
        # Bullets with their marker apart from the text are bullets, not columns.
        ("o   first, to the Class A notes, interest at the\n    note rate;\n\n"
         "o   second, to the Class B notes.\n", ["bullet", "bullet"]),
        # A line of two hyphens in prose is no rule.
        ("The rate -- as adjusted -- is fixed.\n", ["paragraph"]),
    ],
    ids=["justified-prose", "bullets", "dashes-in-prose"],
)
def test_not_tables(text: str, kinds: list[str]):
    assert [b.kind for b in segment(text).blocks] == kinds


def test_one_line_italic_sentence_is_no_heading():
    text = "Servicer\n\nThe servicer services the loans.\n\nWe refer to the servicer as \u201cTRS.\u201d\n\nTrustee\n\nThe trustee.\n"
    seg = segment(text)
    assert [(b.kind, b.heading[-1]) for b in seg.blocks] == [
        ("heading", "Servicer"), ("paragraph", "Servicer"), ("paragraph", "Servicer"),
        ("heading", "Trustee"), ("paragraph", "Trustee"),
    ]


def test_running_foot_is_furniture():
    text = "".join(
        f"Body of page {n}.\n\nHarbor Point Receivables Trust 2009-A\n\n{' ' * 30}S-{n}\n<PAGE>\n" for n in (1, 2, 3)
    )
    seg = segment(text)
    assert [p.label for p in seg.pages] == ["S-1", "S-2", "S-3"]
    assert [text[b.start : b.end] for b in seg.blocks] == ["Body of page 1.", "Body of page 2.", "Body of page 3."]


def test_a_table_ending_each_page_keeps_its_last_row():
    """The same last row on every page is the table's, not a running foot."""
    page = "   Class      Amount\n   -----      ------\n   A-1        $100\n   Total      $100\n\n{}\n<PAGE>\n"
    text = "".join(page.format(f"S-{n}") for n in (1, 2, 3, 4))
    seg = segment(text)
    assert all(text[b.start : b.end].endswith("Total      $100") for b in seg.blocks)
    assert len(seg.blocks) == 4
