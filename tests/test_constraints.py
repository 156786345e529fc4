"""Every constraint a sticker names holds, or the instruction is refused with the reason.

A constructed page of a prospectus supplement with near-miss headings, few paragraphs and two
fee paragraphs alike: the locator must not take a near miss for the heading named, count past the
paragraphs there are, or let a text that resembles two places choose between them.
"""

from __future__ import annotations

import pytest

from tracker.models import Amendment, Instruction, Ordinal, Target
from tracker.locate import resolve_amendment
from tracker.segment import segment

PAGE = """\
                       DESCRIPTION OF THE CERTIFICATES

Servicing Fee

The servicer will be paid a monthly servicing fee equal to one-twelfth of 0.50%
per annum of the aggregate principal balance of the mortgage loans.

Trustee Fee

The trustee will be paid a monthly trustee fee equal to one-twelfth of 0.01% per
annum of the aggregate principal balance of the mortgage loans.

Reports to Holders

The trustee will make a monthly statement available to each certificateholder.

Payments on the certificates will be made on the 25th day of each month.

Payments on the certificates will be made on the 25th day of each month.

                                     S-8

<PAGE>

Optional Termination

The servicer may purchase all of the mortgage loans when their principal
balance is less than 10% of their balance on the cut-off date.

                                     S-9
"""

SEG = segment(PAGE)


def resolve(op: str, target: Target, new: str | None = None):
    (r,) = resolve_amendment(Amendment((Instruction(1, op, target, new, "", (0, 0)),)), SEG)
    return r


def test_a_near_miss_heading_is_not_the_heading_named():
    r = resolve("replace", Target("paragraph", page="S-8", heading=("Servicing Fees",)),
                "The servicer will be paid a monthly servicing fee of 0.55% per annum.")
    assert r.status == "unresolved", r
    assert "Servicing Fees" in r.reason


def test_an_ordinal_past_the_count_is_unresolved():
    r = resolve("replace", Target("paragraph", page="S-8", heading=("Trustee Fee",), ordinal=Ordinal(paragraph=5)),
                "The trustee will be paid a monthly trustee fee of 0.02% per annum.")
    assert r.status == "unresolved", r
    assert r.start is None


def test_the_ordinal_named_is_the_one_taken():
    r = resolve("replace", Target("paragraph", page="S-8", heading=("Reports to Holders",), ordinal=Ordinal(paragraph=1)),
                "Payments on the certificates will be made on the 20th day of each month.")
    # the new text is far more like the second and third paragraphs, but the first is named
    assert r.status == "applied", r
    assert PAGE[r.start:r.end].startswith("The trustee will make a monthly statement")


def test_twins_on_one_page_are_ambiguous_with_both_shown():
    r = resolve("replace", Target("paragraph", page="S-8", heading=("Reports to Holders",)),
                "Payments on the certificates will be made on the 20th day of each month.")
    assert r.status == "ambiguous", r
    spans = {PAGE[c.start:c.end] for c in r.candidates}
    assert "Payments on the certificates will be made on the 25th day of each month." in spans
    assert len([c for c in r.candidates if PAGE[c.start:c.end].startswith("Payments")]) == 2


def test_a_vague_locator_with_close_candidates_is_ambiguous():
    # "The paragraph on page S-8" names six paragraphs; the new text is like two fee paragraphs
    new = ("The servicer and the trustee will each be paid a monthly fee equal to one-twelfth of 0.51% "
           "per annum of the aggregate principal balance of the mortgage loans.")
    r = resolve("replace", Target("paragraph", page="S-8"), new)
    assert r.status == "ambiguous", r
    shown = [PAGE[c.start:c.end].split()[1] for c in r.candidates[:2]]
    assert sorted(shown) == ["servicer", "trustee"]


def test_a_decisive_new_text_chooses_among_places_the_locator_cannot_tell_apart():
    new = ("The servicer will be paid a monthly servicing fee equal to one-twelfth of 0.55% per annum of "
           "the aggregate principal balance of the mortgage loans.")
    r = resolve("replace", Target("paragraph", page="S-8"), new)
    assert r.status == "applied", r
    assert PAGE[r.start:r.end].startswith("The servicer will be paid")


def test_the_page_named_must_hold_within_one_page():
    r = resolve("replace", Target("paragraph", page="S-12", heading=("Optional Termination",)),
                "The servicer may purchase all of the mortgage loans below 5% of their balance.")
    assert r.status == "unresolved", r


@pytest.mark.parametrize("title", ["Trustee Fees", "Trust Fee", "Reports to Holder"])
def test_a_heading_line_is_named_by_its_own_words(title):
    r = resolve("replace", Target("heading", page="S-8", heading=(title,)), "Fees of the Trustee")
    assert r.status == "unresolved", r


BOTH_ENDS = """\
                              THE POOLING AGREEMENT

Advances

First paragraph, first sentence. First paragraph, second sentence. First paragraph, last sentence.

Second paragraph, first sentence. Second paragraph, second sentence. Second paragraph, last sentence.

Third paragraph, first sentence. Third paragraph, second sentence. Third paragraph, last sentence.

                                     S-20
"""


@pytest.mark.parametrize("ordinal, words", [
    (Ordinal(sentence=1, paragraph=1, from_end=True, paragraph_from_end=False), "First paragraph, last sentence."),
    (Ordinal(sentence=1, paragraph=1, paragraph_from_end=True), "Third paragraph, first sentence."),
    (Ordinal(sentence=2, paragraph=2, from_end=True, paragraph_from_end=False), "Second paragraph, second sentence."),
    (Ordinal(sentence=1, paragraph=1, from_end=True), "Third paragraph, last sentence."),
])
def test_ordinals_from_both_ends(ordinal, words):
    seg = segment(BOTH_ENDS)
    target = Target("sentence", page="S-20", heading=("Advances",), ordinal=ordinal)
    (r,) = resolve_amendment(Amendment((Instruction(1, "replace", target, "A new sentence.", "", (0, 0)),)), seg)
    assert r.status == "applied", r
    assert BOTH_ENDS[r.start:r.end] == words


LIST = """\
                              RISK FACTORS

The Yield on Your Certificates Is Uncertain

The yield will depend on:

   o   the rate of principal payments;

   o   the timing of defaults; and

   o   the price you paid.

Prepayment Periods

The prepayment period is the calendar month before the distribution date.

                                     S-12
"""


@pytest.mark.parametrize("n, after", [(1, "The yield will depend on:"), (2, "the rate of principal payments;"),
                                      (4, "the price you paid.")])
def test_a_counted_position_in_a_risk_factor(n, after):
    seg = segment(LIST)
    target = Target("risk_factor", page="S-12", term="The Yield on Your Certificates Is Uncertain",
                    ordinal=Ordinal(bullet=n))
    (r,) = resolve_amendment(Amendment((Instruction(1, "insert_at", target, "the servicer's ratings;", "", (0, 0)),)), seg)
    assert r.status == "applied", r
    assert LIST[: r.start].rstrip().endswith(after)


def test_a_counted_position_past_one_after_the_last_is_refused():
    seg = segment(LIST)
    target = Target("risk_factor", page="S-12", term="The Yield on Your Certificates Is Uncertain",
                    ordinal=Ordinal(bullet=6))
    (r,) = resolve_amendment(Amendment((Instruction(1, "insert_at", target, "the servicer's ratings;", "", (0, 0)),)), seg)
    assert r.status == "unresolved", r


TABLE = """\
                          THE OFFERED CERTIFICATES

Offered Certificates

                     Initial Class        Price to      Pass-Through
   Class           Principal Balance       Public           Rate
   ---------       -----------------    ----------    ------------
   Class A-1          $100,000,000       99.99752%          5.25%
   Class B-1           $20,000,000       99.99752%          6.00%

                                     S-67
"""


def resolve_in(text: str, op: str, target: Target, new: str | None = None):
    (r,) = resolve_amendment(Amendment((Instruction(1, op, target, new, "", (0, 0)),)), segment(text))
    return r


def test_a_cell_by_its_column_and_row():
    target = Target("cell", page="S-67", old_text="99.99752%", column="Price to Public", row="Class B-1")
    r = resolve_in(TABLE, "substitute", target, "99.98127%")
    assert r.status == "applied", r
    line = TABLE[TABLE.rfind("\n", 0, r.start) + 1 : TABLE.find("\n", r.end)]
    assert line.split()[:2] == ["Class", "B-1"] and TABLE[r.start:r.end] == "99.99752%"


@pytest.mark.parametrize("column, row", [("Price to Public", "Class C"), ("Servicing Fee", "Class B-1")])
def test_a_cell_not_in_the_table_is_unresolved(column, row):
    target = Target("cell", page="S-67", old_text="99.99752%", column=column, row=row)
    assert resolve_in(TABLE, "substitute", target, "99.98127%").status == "unresolved"


def test_a_cell_that_does_not_hold_the_old_words_is_unresolved():
    target = Target("cell", page="S-67", old_text="6.00%", column="Price to Public", row="Class B-1")
    r = resolve_in(TABLE, "substitute", target, "6.25%")
    assert r.status == "unresolved" and "does not hold" in r.reason


def test_every_occurrence_within_the_element_named():
    text = ("Stepdown Date\n\nThe Stepdown Date is the later of November 2005 and the date on which the\n"
            "balance falls to half; if November 2005 has passed, the first distribution date.\n\n"
            "Until November 2005 no principal is paid to the subordinate classes.\n\n                S-66\n")
    target = Target("value", page="S-66", heading=("Stepdown Date",), ordinal=Ordinal(paragraph=1),
                    old_text="November 2005", scope="all occurrences in the paragraph")
    (r,) = resolve_amendment(Amendment((Instruction(1, "substitute", target, "October 2005", "", (0, 0)),)),
                             segment(text))
    assert r.status == "applied", r
    out = text[: r.start] + r.replacement + text[r.end :]
    assert out.count("October 2005") == 2 and "Until November 2005" in out


def test_a_whole_cell_anew():
    target = Target("cell", page="S-67", column="Pass-Through Rate", row="Class A-1")
    r = resolve_in(TABLE, "replace", target, "5.30%")
    assert r.status == "applied", r
    assert TABLE[r.start:r.end] == "5.25%" and r.replacement == "5.30%"


def test_a_row_deleted_by_its_class():
    ins = Instruction(1, "delete", Target("row", page="S-67"), None, "", (0, 0), rows=("Class A-1",))
    (r,) = resolve_amendment(Amendment((ins,)), segment(TABLE))
    assert r.status == "applied", r
    out = TABLE[: r.start] + r.replacement + TABLE[r.end :]
    assert "Class A-1" not in out and "Class B-1           $20,000,000" in out


def test_a_row_not_in_the_table_is_unresolved():
    ins = Instruction(1, "delete", Target("row", page="S-67"), None, "", (0, 0), rows=("Class C",))
    (r,) = resolve_amendment(Amendment((ins,)), segment(TABLE))
    assert r.status == "unresolved" and "Class C" in r.reason


@pytest.mark.parametrize("op, new, reads", [
    ("insert_after", ", as amended,", "the Pooling Agreement, as amended, the trustee"),
    ("insert_before", "amended", "the amended Pooling Agreement the trustee"),
])
def test_words_put_next_to_words(op, new, reads):
    text = "Fees\n\nUnder the Pooling Agreement the trustee is paid monthly.\n\n                 S-9\n"
    target = Target("value", page="S-9", heading=("Fees",), old_text="Pooling Agreement")
    r = resolve_in(text, op, target, new)
    assert r.status == "applied", r
    assert reads in text[: r.start] + r.replacement + text[r.end :]


FOOTNOTES = """\
Loss Severity

   Class        Severity
   -------      --------
   Class A        10%(1)
   Class B        25%(2)

__________
(1) Before the Stepdown Date.

(2) Estimated.

                                     S-17
"""


def test_a_footnote_by_its_mark():
    target = Target("paragraph", page="S-17", footnote="(2)")
    r = resolve_in(FOOTNOTES, "replace", target, "(2) Estimated by the servicer.")
    assert r.status == "applied", r
    assert FOOTNOTES[r.start:r.end] == "(2) Estimated."


def test_a_footnote_that_is_not_there_is_unresolved():
    r = resolve_in(FOOTNOTES, "replace", Target("paragraph", page="S-17", footnote="(3)"), "(3) New.")
    assert r.status == "unresolved", r


def test_a_sentence_named_by_its_first_words():
    text = ("Advances\n\nThe servicer will advance interest. The Servicer will not be required to advance\n"
            "principal. Advances are repaid from collections.\n\n                S-60\n")
    target = Target("sentence", page="S-60", heading=("Advances",), old_text="The Servicer will not be required")
    r = resolve_in(text, "delete", target)
    assert r.status == "applied", r
    out = text[: r.start] + r.replacement + text[r.end :]
    assert "not be required" not in out and "The servicer will advance interest." in out


def test_a_row_added_after_a_row_named():
    ins = Instruction(1, "insert_after", Target("row", page="S-67"), "Class A-2    $50,000,000    99.50000%    5.50%",
                      "", (0, 0), rows=("Class A-1",))
    (r,) = resolve_amendment(Amendment((ins,)), segment(TABLE))
    assert r.status == "applied", r
    out = TABLE[: r.start] + r.replacement + TABLE[r.end :]
    lines = out.split("\n")
    a1 = next(i for i, ln in enumerate(lines) if "Class A-1" in ln)
    assert lines[a1 + 1].split() == ["Class", "A-2", "$50,000,000", "99.50000%", "5.50%"]
    # the new cells stand in the table's columns: the rate flush right under the rates
    assert lines[a1 + 1].rstrip().endswith("5.50%") and len(lines[a1 + 1].rstrip()) == len(lines[a1].rstrip())


@pytest.mark.parametrize("op, ordinal, new, reads", [
    ("replace", Ordinal(sentence=1, paragraph=2, run=2), "A new sentence.",
     "First paragraph, last sentence. A new sentence. Second paragraph, last sentence. Third paragraph,"),
    ("delete", Ordinal(sentence=2, paragraph=3, from_end=True, run=2, paragraph_from_end=False), None,
     "Second paragraph, last sentence. Third paragraph, first sentence. S-20"),
    ("delete", Ordinal(paragraph=2, from_end=True, run=2), None, "First paragraph, last sentence. S-20"),
])
def test_a_run_of_elements(op, ordinal, new, reads):
    target = Target("paragraph" if ordinal.sentence is None else "sentence", page="S-20", heading=("Advances",),
                    ordinal=ordinal)
    r = resolve_in(BOTH_ENDS, op, target, new)
    assert r.status == "applied", r
    assert reads in " ".join((BOTH_ENDS[: r.start] + r.replacement + BOTH_ENDS[r.end :]).split())


def test_a_run_past_the_count_is_unresolved():
    target = Target("sentence", page="S-20", heading=("Advances",), ordinal=Ordinal(sentence=2, paragraph=1, run=3))
    assert resolve_in(BOTH_ENDS, "delete", target).status == "unresolved"


RISKS = """\
                                RISK FACTORS

Customer Behavior Could Reduce Payments on the Receivables.

Customers may stop paying when they upgrade their devices. Payments may slow in
a recession. In addition, customers who upgrade early may default more often.

Changes in Wireless Industry Practice Could Affect the Receivables.

Carriers may change their upgrade programs. Such changes could reduce payments.
In addition, new rules may limit the fees carriers charge.

                                     12
"""


@pytest.mark.parametrize("title, other", [
    ("Customer Behavior Could Reduce Payments on the Receivables.", "Changes in Wireless"),
    ("Changes in Wireless Industry Practice Could Affect the Receivables", "Customer Behavior"),
    ("Changes in Wireless Industry Practice", "Customer Behavior"),  # its first words
])
def test_a_sentence_of_the_risk_factor_titled_is_counted_there(title, other):
    seg = segment(RISKS)
    target = Target("sentence", page="12", term=title, ordinal=Ordinal(sentence=1, from_end=True))
    (r,) = resolve_amendment(Amendment((Instruction(1, "delete", target, None, "", (0, 0)),)), seg)
    assert r.status == "applied", r
    a, b = r.start, r.end
    assert RISKS[a:b].startswith("In addition,")
    title_at = RISKS.index(title.rstrip(".")[:30])
    other_at = RISKS.index(other)
    # the sentence taken is the last one after the title named, before the other risk factor (or after it)
    assert (title_at < a < other_at) if title_at < other_at else (a > title_at)


def test_a_sentence_of_a_title_that_is_not_there_is_refused():
    seg = segment(RISKS)
    target = Target("sentence", page="12", term="Servicer Insolvency Could Delay Payments",
                    ordinal=Ordinal(sentence=1, from_end=True))
    (r,) = resolve_amendment(Amendment((Instruction(1, "delete", target, None, "", (0, 0)),)), seg)
    assert r.status != "applied"
