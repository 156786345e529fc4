"""Tables read into cells and compared cell by cell, in every redline format."""

from __future__ import annotations

import pytest

from tracker.errors import UsageError
from tracker.redline import compare, render_html, render_markdown, render_text, report_json, text_markers
from tracker.tablediff import cell_text, compare_tables, read_table

RATINGS_OLD = """SUMMARY

Ratings

      Certificates            Moody's              S&P
      ------------            -------              ---
Class A                          Aaa               AAA
Class M-1                        Aa2               AA
Class M-2                         A2                A
Class M-4                       Baa1              BBB+

The ratings are not a recommendation.
"""
# The seed sticker's chart: new figures, and the columns laid out anew.
RATINGS_NEW = """SUMMARY

Ratings

Certificates            Moody's              S&P
      ------------            -------              ---
Class A                          Aaa               AAA
Class M-1                        A3                AA-
Class M-2                       Baa1                A
Class M-4                       Baa3               BBB+

The ratings are not a recommendation.
"""


def test_read_table_rows_and_header():
    grid = read_table(RATINGS_OLD.split("\n\n")[2])
    assert grid == {
        "header_rows": 1,
        "rows": [
            ["Certificates", "Moody's", "S&P"],
            ["Class A", "Aaa", "AAA"],
            ["Class M-1", "Aa2", "AA"],
            ["Class M-2", "A2", "A"],
            ["Class M-4", "Baa1", "BBB+"],
        ],
    }


@pytest.mark.parametrize(
    "text, rows",
    [
        # a blank cell keeps its column
        ("Class   Amount   Rate\nA-1     $100     5.96%\nA-2              6.10%\n",
         [["Class", "Amount", "Rate"], ["A-1", "$100", "5.96%"], ["A-2", "", "6.10%"]]),
        # dot leaders part cells
        ("Cut-off Date ........ December 1, 2003\nClosing Date ........ December 23, 2003\n",
         [["Cut-off Date", "December 1, 2003"], ["Closing Date", "December 23, 2003"]]),
    ],
    ids=["blank-cell", "leaders"],
)
def test_read_table_cells(text, rows):
    assert read_table(text)["rows"] == rows


def test_prose_is_no_table():
    assert read_table("The certificates will bear interest at 5.96% per annum.\n") is None


def test_compare_tables_cell_by_cell():
    table = compare_tables(RATINGS_OLD.split("\n\n")[2], RATINGS_NEW.split("\n\n")[2])
    assert table["columns"] == 3 and table["header_rows"] == 1
    assert [r["status"] for r in table["rows"]] == ["kept", "kept", "changed", "changed", "changed"]
    assert table["rows"][2]["cells"] == [[[0, "Class M-1"]], [[-1, "Aa2"], [1, "A3"]], [[-1, "AA"], [1, "AA-"]]]
    assert table["rows"][3]["cells"][2] == [[0, "A"]]


def test_rows_added_and_removed_keep_their_places():
    old = "Class   Rate\nA-1     5.96%\nA-2     6.10%\nM-1     6.50%\n"
    new = "Class   Rate\nA-1     5.96%\nM-1     6.75%\nM-2     7.00%\n"
    table = compare_tables(old, new)
    got = [(r["status"], [cell_text(c, -1) for c in r["cells"]], [cell_text(c, 1) for c in r["cells"]])
           for r in table["rows"]]
    assert got == [
        ("kept", ["Class", "Rate"], ["Class", "Rate"]),
        ("kept", ["A-1", "5.96%"], ["A-1", "5.96%"]),
        ("deleted", ["A-2", "6.10%"], ["", ""]),
        ("changed", ["M-1", "6.50%"], ["M-1", "6.75%"]),
        ("inserted", ["", ""], ["M-2", "7.00%"]),
    ]


@pytest.fixture
def ratings_report():
    [change] = compare(RATINGS_OLD, RATINGS_NEW)
    return report_json({"document": {"key": "he3"}}, [change])


def test_a_changed_table_is_compared_by_cells_in_json(ratings_report):
    [c] = ratings_report["changes"]
    assert c["table"]["rows"][2]["cells"][1] == [[-1, "Aa2"], [1, "A3"]]


def test_text_keeps_columns_and_its_marks_cannot_be_read_as_ratings(ratings_report):
    text = render_text(ratings_report)
    lines = text.splitlines()
    m1 = next(x for x in lines if x.startswith("Class M-1"))
    assert m1.split() == ["Class", "M-1", "⟦-Aa2-⟧⟦+A3+⟧", "⟦-AA-⟧⟦+AA-+⟧"]
    header = next(x for x in lines if x.startswith("Certificates"))
    # each column starts at the same place on every row
    assert m1.index("⟦-Aa2") == header.index("Moody's")


def test_markers_that_occur_in_the_text_are_refused(ratings_report):
    # "[-" does not occur, but "-]" would be ambiguous beside "AA-": the check is on each mark
    with pytest.raises(UsageError, match="occurs in the text"):
        render_text(ratings_report, text_markers("A- -A + +"))
    assert "[-Aa2-]{+A3+}" in render_text(ratings_report, text_markers("wdiff"))


@pytest.mark.parametrize("spec", ["two marks", "nonsense"])
def test_bad_marker_spec_is_a_usage_error(spec):
    with pytest.raises(UsageError):
        text_markers(spec)


def test_markdown_table_rows_and_columns(ratings_report):
    md = render_markdown(ratings_report)
    assert "| Certificates | Moody's | S&P |\n|---|---|---|\n| Class A | Aaa | AAA |\n" in md
    assert "| Class M-1 | ~~Aa2~~**A3** | ~~AA~~**AA-** |" in md


def test_html_table_has_cells_with_marks(ratings_report):
    page = render_html(ratings_report)
    assert '<table class="cells">' in page
    assert "<tr class=\"row-changed\"><td>Class M-1</td><td><del>Aa2</del><ins>A3</ins></td>" in page
    assert "<th>Certificates</th>" in page
