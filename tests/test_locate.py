"""Locating and applying: distractors, refusals, conflicts, overrides, the shared cases, a property."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.errors import PatchError
from tracker.locate import apply_resolutions, resolve_amendment
from tracker.models import Amendment, Instruction, Ordinal, Resolution, Target
from tracker.segment import segment

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

BASE = """\
                              PROSPECTUS SUPPLEMENT

                                  $650,000,000

<PAGE>

                       SUMMARY OF PROSPECTUS SUPPLEMENT

Advances

The servicer will advance delinquent payments of principal and interest on
the mortgage loans, subject to the limits described herein.

                                     S-7

<PAGE>

Record Date

The record date is the last business day before a distribution date.

                                     S-8

<PAGE>

                       DESCRIPTION OF THE CERTIFICATES

Advances

The servicer will advance delinquent payments of principal and interest on
the mortgage loans, to the extent it deems them recoverable from later
collections.

Advances are reimbursed from late collections on the related loan.

General

The certificates will be issued in book-entry form. Receivables were bought
from dealers in the U.S. and sold to the trust. The “Record Date” for each
distribution date is the last business day of the preceding month. Payments
are made monthly.

Payments on the certificates will be made monthly on the distribution date.

Payments on the certificates will be made monthly on the distribution date.

                                     S-9

<PAGE>

                                    GLOSSARY

Business Day: Any day other than a Saturday, a Sunday or a bank holiday in New
York.

Prepayment Period: The calendar month before the month of the distribution
date.

                                     S-10
"""


def ins(n, op, kind, new=None, page=None, heading=None, ordinal=None, term=None, old=None, locus=None):
    return Instruction(n, op, Target(kind, page, tuple(heading) if heading else None, ordinal, term,
                                     old, locus=locus), new, source_text="", span=(0, 0))


def run(*instructions, text=BASE, overrides=None):
    seg = segment(text)
    res = resolve_amendment(Amendment(tuple(instructions)), seg, overrides)
    return res, apply_resolutions(text, res)


def fold(s):
    return " ".join(s.split())


def test_body_section_wins_over_summary_heading():
    new = ("The servicer will advance delinquent payments of principal and interest on the "
           "mortgage loans, to the extent it deems them recoverable from future collections.")
    (r,), out = run(ins(1, "replace", "paragraph", new, page="S-9",
                        heading=["Description of the Certificates--Advances"],
                        ordinal=Ordinal(paragraph=1)))
    assert r.status == "applied", r.reason
    assert BASE[r.start : r.end].endswith("recoverable from later\ncollections.")
    assert "future collections." in fold(out) and "subject to the limits described herein." in fold(out)
    assert r.candidates[0].heading == ("DESCRIPTION OF THE CERTIFICATES", "Advances")
    assert 0 < r.confidence <= 1 and r.reason


def test_page_drift_by_one_is_allowed_but_named_page_preferred():
    new = "Advances are reimbursed from later collections on the related mortgage loan."
    (r,), _ = run(ins(1, "replace", "paragraph", new, page="S-8", heading=["Advances"],
                      ordinal=Ordinal(paragraph=2)))
    assert r.status == "applied", r.reason
    assert BASE[r.start : r.end] == "Advances are reimbursed from late collections on the related loan."
    assert "one page off" in r.candidates[0].why


def test_unknown_page_or_heading_is_unresolved():
    res, out = run(
        ins(1, "replace", "paragraph", "Anything.", page="S-40", heading=["Advances"]),
        ins(2, "replace", "paragraph", "Anything.", heading=["Servicing Compensation"]),
    )
    assert [r.status for r in res] == ["unresolved", "unresolved"]
    assert all(r.reason.startswith("no paragraph") for r in res)
    assert out == BASE


def test_sentence_count_is_not_fooled_by_us():
    new = "The “Record Date” for each distribution date is the last business day of the month."
    (r,), out = run(ins(1, "replace", "sentence", new, page="S-9",
                        heading=["Description of the Certificates", "General"],
                        ordinal=Ordinal(sentence=3, paragraph=1)))
    assert r.status == "applied", r.reason
    assert fold(BASE[r.start : r.end]) == (
        "The “Record Date” for each distribution date is the last business day of the preceding month.")
    assert fold(out).count("Receivables were bought from dealers in the U.S. and sold to the trust.") == 1


def test_definition_by_term_not_the_other_uses():
    new = "Business Day: Any day other than a Saturday, a Sunday or a day on which banks in New York are closed."
    (r,), out = run(ins(1, "replace", "definition", new, term="Business Day"))
    assert r.status == "applied", r.reason
    assert BASE[r.start : r.end].startswith("Business Day: Any day")
    assert fold(out).endswith(
        "Business Day: Any day other than a Saturday, a Sunday or a day on which banks in New York are "
        "closed. Prepayment Period: The calendar month before the month of the distribution date. S-10")


def test_term_used_in_a_sentence():
    new = "The “Record Date” for each distribution date is the fifth business day of the month."
    (r,), _ = run(ins(1, "replace", "sentence", new, heading=["General"], term="Record Date"))
    assert r.status == "applied", r.reason
    assert "Record Date" in BASE[r.start : r.end]


def test_two_identical_paragraphs_are_ambiguous():
    new = "Payments on the certificates will be made monthly on each distribution date."
    (r,), out = run(ins(1, "replace", "paragraph", new, heading=["General"]))
    assert r.status == "ambiguous", r.reason
    assert r.start is None and out == BASE
    assert len(r.candidates) >= 2


def test_substitute_inside_the_target_only():
    (r,), out = run(ins(1, "substitute", "value", "future", page="S-9",
                        heading=["Description of the Certificates", "Advances"],
                        ordinal=Ordinal(paragraph=1), old="later"))
    assert r.status == "applied", r.reason
    assert BASE[r.start : r.end] == "later"
    assert out == BASE.replace("recoverable from later", "recoverable from future")


def test_substitute_refuses_when_old_text_is_absent():
    (r,), out = run(ins(1, "substitute", "value", "1.10%", heading=["Advances"], old="1.05%"))
    assert r.status == "unresolved" and out == BASE


def test_overlapping_instructions_conflict():
    new = ("The certificates will be issued in book-entry form only. Receivables were bought from "
           "dealers in the U.S. and sold to the trust.")
    res, out = run(
        ins(1, "replace", "paragraph", new, heading=["General"], ordinal=Ordinal(paragraph=1)),
        ins(2, "replace", "sentence", "Payments are made each month.", heading=["General"],
            ordinal=Ordinal(sentence=4, paragraph=1)),
    )
    assert [r.status for r in res] == ["conflict", "conflict"]
    assert "overlaps instruction 2" in res[0].reason
    assert out == BASE


def test_override_is_applied_as_chosen():
    a = BASE.index("Payments on the certificates")
    b = a + len("Payments on the certificates will be made monthly on the distribution date.")
    (r,), out = run(ins(1, "replace", "paragraph", "Payments are made monthly.", heading=["General"]),
                    overrides={1: (a, b)})
    assert (r.status, r.confidence, r.reason, r.start, r.end) == (
        "applied", 1.0, "chosen by reviewer", a, b)
    assert out == BASE[:a] + "Payments are made monthly." + BASE[b:]


def test_notice_and_unsupported():
    res, out = run(
        ins(1, "notice", "text", "Notwithstanding anything to the contrary, the rate is 5.96%."),
        ins(2, "replace_column", "column", None, term="Initial Margin"),
        Instruction(3, "unsupported", Target("text"), None, "", (0, 0), reason="no form matched"),
    )
    assert [(r.n, r.status) for r in res] == [(1, "notice"), (2, "unsupported"), (3, "unsupported")]
    assert res[2].reason == "no form matched"
    assert out == BASE


def test_insert_after_and_delete():
    res, out = run(
        ins(1, "insert_after", "paragraph", "A new paragraph about advances.", page="S-9",
            heading=["Description of the Certificates", "Advances"], ordinal=Ordinal(paragraph=2)),
        ins(2, "delete", "definition", None, term="Prepayment Period"),
    )
    assert [r.status for r in res] == ["applied", "applied"], [r.reason for r in res]
    assert "related loan.\n\nA new paragraph about advances.\n\nGeneral" in out
    assert "Prepayment Period" not in out


def test_front_cover_value_only_when_unique():
    (r,), out = run(ins(1, "replace", "value", "$600,000,000.", locus="front cover page"))
    assert r.status == "applied", r.reason
    assert "$600,000,000" in out and "$650,000,000" not in out


def test_apply_rejects_overlaps():
    r1 = Resolution(1, "applied", 1.0, 0, 10, "x")
    r2 = Resolution(2, "applied", 1.0, 5, 12, "y")
    with pytest.raises(PatchError):
        apply_resolutions("0123456789abcdef", [r1, r2])
    r3 = Resolution(3, "applied", 1.0, 12, 12, "!")
    assert apply_resolutions("0123456789abcdef", [r3, r1]) == "xab!cdef"


def test_long_one_line_replacement_is_wrapped():
    new = " ".join(["The servicer will advance delinquent payments of principal and interest."] * 4)
    (r,), out = run(ins(1, "replace", "paragraph", new, page="S-7", heading=["Summary", "Advances"]))
    assert r.status == "applied", r.reason
    assert all(len(line) <= 80 for line in r.replacement.splitlines())
    assert fold(r.replacement) == new


# --- the shared cases --------------------------------------------------------------------------


def _cases():
    if not (CORPUS / "cases").is_dir():
        return [pytest.param(None, id="corpus-absent")]
    return [pytest.param(cj.parent, id=cj.parent.name) for cj in sorted((CORPUS / "cases").glob("*/case.json"))]


@pytest.mark.parametrize("folder", _cases())
def test_shared_case_never_applies_wrongly(folder):
    """With the answers' own instructions, every applied edit lands exactly; refusals say why."""
    if folder is None:
        pytest.skip("shared corpus absent")
    from tracker.evaluate import run_case

    result = run_case(folder, use_answers=True)
    assert result.applied_wrong == 0, result.failures
    assert result.applied_exact + result.refused == result.expected


def test_shared_cases_totals():
    """The locator's level on the shared cases does not fall below what it reached."""
    if not (CORPUS / "cases").is_dir():
        pytest.skip("shared corpus absent")
    from tracker.evaluate import evaluate

    report = evaluate(CORPUS / "cases", use_answers=True)["apply"]
    assert report["applied_wrongly"] == 0
    assert report["exact"] / report["instructions"] >= 0.9


# --- table edits -------------------------------------------------------------------------------

TABLES = """\
                                   SUMMARY

The Offered Notes

                           Principal
   Class                     Amount         Interest Rate     Final Maturity
   ----------------     ---------------   ---------------   ----------------
   Class A-1 Notes       $ 134,000,000          ____%        June 15, 2009
   Class A-2 Notes       $  95,000,000     LIBOR + ____%     April 15, 2011
   Class M5              $  12,000,000          1.10%        May 15, 2012
   Total                 $ 241,000,000

                                     S-2

<PAGE>

Class Amounts Before Any Prepayment

                           Principal
   Class                     Amount         Interest Rate     Final Maturity
   ----------------     ---------------   ---------------   ----------------
   Class A-1 Notes       $ 134,000,000          ____%        June 15, 2009
   Class A-2 Notes       $  95,000,000     LIBOR + ____%     April 15, 2011
   Class M5              $  12,000,000          1.10%        May 15, 2012
   Total                 $ 241,000,000

                                     S-3
"""

# The S-2 table as a sticker filed in HTML gives it: the column's cells one per line.
COLUMN_CELLS = """\
|Principal Amount
|
Class A-1 Notes
|$
|124,000,000
|
Class A-2 Notes
|$
|85,000,000
|
Class M5
|$
|12,500,000
|
Total
|$
|221,500,000"""


def _lines_of(text, first, last):
    lines = text.splitlines()
    a = next(i for i, ln in enumerate(lines) if ln.startswith(first))
    return lines[a : a + last]


def test_column_replaced_in_place_on_the_page_named():
    (r,), out = run(ins(1, "replace_column", "column", COLUMN_CELLS, page="S-2", term="Principal Amount"),
                    text=TABLES)
    assert r.status == "applied", r.reason
    assert _lines_of(out, "   Class A-1", 4) == [
        "   Class A-1 Notes       $ 124,000,000          ____%        June 15, 2009",
        "   Class A-2 Notes       $  85,000,000     LIBOR + ____%     April 15, 2011",
        "   Class M5              $  12,500,000          1.10%        May 15, 2012",
        "   Total                 $ 221,500,000",
    ]
    # The same table one page on is left alone.
    assert out.split("<PAGE>")[1] == TABLES.split("<PAGE>")[1]


def test_column_values_may_come_as_restated_rows():
    folded = ("Class A-1 Notes $ 124,000,000 ____% June 15, 2009 Class A-2 Notes $ 85,000,000 LIBOR + "
              "____% April 15, 2011 Class M5 $ 12,500,000 1.10% May 15, 2012 Total $ 221,500,000")
    (a,), out_a = run(ins(1, "replace_column", "column", COLUMN_CELLS, page="S-2", term="Principal Amount"),
                      text=TABLES)
    (b,), out_b = run(ins(1, "replace_column", "column", folded, page="S-2", term="Principal Amount"),
                      text=TABLES)
    assert (a.status, b.status) == ("applied", "applied")
    assert out_a == out_b


def test_column_value_count_must_match_the_rows():
    cells = COLUMN_CELLS.rsplit("\n|\nTotal", 1)[0]  # the total left out: 3 values for 4 rows
    (r,), out = run(ins(1, "replace_column", "column", cells, page="S-2", term="Principal Amount"),
                    text=TABLES)
    assert r.status == "unsupported"
    assert r.reason == ("page S-2, under SUMMARY > The Offered Notes: the sticker gives 3 values for "
                        "column 'Principal Amount', which holds 4")
    assert out == TABLES


def test_column_without_page_on_two_like_tables_is_ambiguous():
    (r,), out = run(ins(1, "replace_column", "column", COLUMN_CELLS, term="Principal Amount"), text=TABLES)
    assert r.status == "ambiguous"
    assert out == TABLES


def test_column_is_widened_when_a_value_does_not_fit():
    cells = COLUMN_CELLS.replace("221,500,000", "1,221,500,000")
    (r,), out = run(ins(1, "replace_column", "column", cells, page="S-2", term="Principal Amount"),
                    text=TABLES)
    assert r.status == "applied", r.reason
    assert _lines_of(out, "                             Principal", 8) == [
        "                             Principal",
        "   Class                       Amount         Interest Rate     Final Maturity",
        "   ----------------     -----------------   ---------------   ----------------",
        "   Class A-1 Notes       $   124,000,000          ____%        June 15, 2009",
        "   Class A-2 Notes       $    85,000,000     LIBOR + ____%     April 15, 2011",
        "   Class M5              $    12,500,000          1.10%        May 15, 2012",
        "   Total                 $ 1,221,500,000",
        "",
    ]


def test_rows_replaced_in_the_columns_their_headers_name():
    new = "Class of Certificates\nInterest Rate\nClass M5\n1.25%\nClass A-2 Notes\nLIBOR + 0.36%"
    rows = ins(1, "replace_rows", "row", new, page="S-3")
    rows = Instruction(1, "replace_rows", rows.target, new, "", (0, 0), rows=("Class M5", "Class A-2 Notes"))
    (r,), out = run(rows, text=TABLES)
    assert r.status == "applied", r.reason
    page = out.split("<PAGE>")[1]
    assert _lines_of(page, "   Class A-1", 3) == [
        "   Class A-1 Notes       $ 134,000,000          ____%        June 15, 2009",
        "   Class A-2 Notes       $  95,000,000     LIBOR + 0.36%     April 15, 2011",
        "   Class M5              $  12,000,000          1.25%        May 15, 2012",
    ]
    assert out.split("<PAGE>")[0] == TABLES.split("<PAGE>")[0]


def test_rows_given_whole_are_laid_out_by_position():
    # Headers that do not name the columns are fine when every column is given.
    new = ("Cls\nAmt\nRate\nMaturity\nClass M5\n$\n12,000,000\n2.20%\nMay 15, 2013")
    rows = Instruction(1, "replace_rows", Target("row", "S-2"), new, "", (0, 0), rows=("Class M5",))
    (r,), out = run(rows, text=TABLES)
    assert r.status == "applied", r.reason
    assert "   Class M5              $  12,000,000          2.20%        May 15, 2013\n" in out


def test_rows_refused_when_a_row_is_missing_or_a_value_is_not_a_number():
    missing = Instruction(1, "replace_rows", Target("row", "S-2"), "Class M7\n1.25%", "", (0, 0),
                          rows=("Class M7",))
    (r,), out = run(missing, text=TABLES)
    assert (r.status, out) == ("unresolved", TABLES)
    shapes = Instruction(1, "replace_rows", Target("row", "S-2"),
                         "Class M5\nto come\n1.25%\nMay 15, 2013", "", (0, 0), rows=("Class M5",))
    (r,), out = run(shapes, text=TABLES)
    assert r.status == "unsupported"
    assert r.reason.endswith("'to come' does not look like the values of column 'Principal Amount'")
    assert out == TABLES


def test_table_given_cell_per_line_is_laid_out_when_its_shape_is_certain():
    from tracker.locate import _layout_cells

    cells = ("|Class\n|Amount\n|Rate\n|\nClass A-1\n|$\n|90,000,000\n|5.10%\n"
             "|\nClass A-2\n|$\n|110,000,000\n|LIBOR + 0.25%")
    assert _layout_cells(cells) == (
        "Class              Amount   Rate\n"
        "---------   -------------   -------------\n"
        "Class A-1    $ 90,000,000   5.10%\n"
        "Class A-2   $ 110,000,000   LIBOR + 0.25%"
    )
    # A header stacked over two lines gives more cells than a row: kept as given.
    assert _layout_cells("|Principal\n|Final\n|Amount\n|Date\n|\nClass A-1\n|$\n|90,000,000\n|May 2009"
                         "\n|\nClass A-2\n|$\n|9,000,000\n|June 2009") is None
