"""Parsing amendment language: phrasing variants, new-text boundaries, notices, the sample sticker."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.instructions import parse_amendment, render_instruction
from tracker.models import Instruction, Ordinal, Target

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SAMPLE = ROOT / "corpus" / "citigroup-mlt-2003-he3-sticker-2004-01-09.txt"

COVER = """Supplement dated May 2, 2005
to Prospectus Supplement dated April 20, 2005

$412,000,000 (Approximate)
Example Home Equity Trust 2005-1

The prospectus supplement dated April 20, 2005 is hereby amended as follows:

"""


def one(text: str) -> Instruction:
    """The single instruction of a sticker made of a cover and ``text``."""
    amendment = parse_amendment(COVER + text)
    assert len(amendment.instructions) == 1, amendment.instructions
    return amendment.instructions[0]


def shape(ins: Instruction) -> tuple:
    return ins.op, ins.target, ins.new_text


# (sticker words, op, target, new text)
VARIANTS = [
    (
        "The paragraph on page S-8 under \"Advances\" should be deleted in its entirety and replaced "
        "with the following:\n\nThe servicer will advance interest only.\n",
        "replace", Target("paragraph", page="S-8", heading=("Advances",)), "The servicer will advance interest only.",
    ),
    (
        "On page S-10, the second paragraph under the caption “Summary—Interest Payments” shall be "
        "deleted in its entirety and replaced with the following:\n\nInterest accrues monthly.\n",
        "replace",
        Target("paragraph", page="S-10", heading=("Summary", "Interest Payments"), ordinal=Ordinal(paragraph=2)),
        "Interest accrues monthly.",
    ),
    (
        "The second sentence of the first paragraph on page S-8 under the heading \"Summary -- Advances\" "
        "is replaced with the following:\n\nAdvances are made monthly.\n",
        "replace",
        Target("sentence", page="S-8", heading=("Summary", "Advances"), ordinal=Ordinal(sentence=2, paragraph=1)),
        "Advances are made monthly.",
    ),
    (
        "The second to last full sentence under “Description of the Certificates–General” is replaced "
        "by the following:\n\nThe record date is the last business day.\n",
        "replace",
        Target("sentence", heading=("Description of the Certificates", "General"), ordinal=Ordinal(sentence=2, from_end=True)),
        "The record date is the last business day.",
    ),
    (
        "The last paragraph under the heading “Servicing—Recent Developments” on page S-38 should read as follows:\n\n"
        "See “Risk Factors” in this prospectus supplement.\n",
        "replace",
        Target("paragraph", page="S-38", heading=("Servicing", "Recent Developments"), ordinal=Ordinal(paragraph=1, from_end=True)),
        "See “Risk Factors” in this prospectus supplement.",
    ),
    (
        "The chart on pages S-6 and S-7 shall be deleted in its entirety and replaced with the following:\n\n"
        "Class     Rating\n-----     ------\nA         AAA\n",
        "replace", Target("table", page="S-6", pages=("S-6", "S-7")), "Class     Rating\n-----     ------\nA         AAA",
    ),
    (
        "The following table replaces the table entitled “Loan Purpose” on page S-33:\n\nPurpose   Count\nPurchase  12\n",
        "replace", Target("table", page="S-33", term="Loan Purpose"), "Purpose   Count\nPurchase  12",
    ),
    (
        "The risk factor entitled \"Prepayments Are Unpredictable\" under the heading “Risk Factors” on page S-12 "
        "is amended and restated in its entirety as follows:\n\nPREPAYMENTS ARE UNPREDICTABLE\n\nBorrowers may prepay.\n",
        "replace",
        Target("risk_factor", page="S-12", heading=("Risk Factors",), term="Prepayments Are Unpredictable"),
        "PREPAYMENTS ARE UNPREDICTABLE\n\nBorrowers may prepay.",
    ),
    (
        "The definition of “Due Period” on page S-60 is deleted in its entirety and replaced with the following:\n\n"
        "“Due Period” means the calendar month.\n",
        "replace", Target("definition", page="S-60", term="Due Period"), "“Due Period” means the calendar month.",
    ),
    (
        "The definition of Record Date on page S-61 is hereby amended by deleting the last sentence thereof "
        "and replacing it with the following:\n\nThe record date is the 25th.\n",
        "replace",
        Target("sentence", page="S-61", term="Record Date", ordinal=Ordinal(sentence=1, from_end=True)),
        "The record date is the 25th.",
    ),
    (
        "The third bullet point on page S-14 should read: “Cash reserve of $1,000,000.”\n",
        "replace", Target("bullet", page="S-14", ordinal=Ordinal(bullet=3)), "Cash reserve of $1,000,000.",
    ),
    (
        "The first paragraph following the table under “Summary—Pool” should be deleted in its entirety and "
        "replaced with the following:\n\nThe pool holds 2,000 loans.\n",
        "replace",
        Target("paragraph", heading=("Summary", "Pool"), ordinal=Ordinal(paragraph=1, after="table")),
        "The pool holds 2,000 loans.",
    ),
    (
        "The aggregate principal amount indicated on the top of the front cover page should read: $412,000,000.\n",
        "replace", Target("value", locus="front cover page"), "$412,000,000",
    ),
    (
        "The column titled “Class Balance” should read:\n|Class Balance\n|$100\n|$200\n",
        "replace_column", Target("column", term="Class Balance"), "Class Balance\n|$100\n|$200",
    ),
    (
        "The rating of the Class A Certificates in the table on page S-9 is changed from “Aaa” to “(1)”.\n",
        "substitute", Target("cell", page="S-9", old_text="Aaa", row="Class A"), "(1)",  # in the class's row
    ),
    (
        "In the third paragraph under the heading “Interest” on page S-25, the reference to “1.05%” is deleted "
        "and replaced with “1.10%.”\n",
        "substitute",
        Target("value", page="S-25", heading=("Interest",), ordinal=Ordinal(paragraph=3), old_text="1.05%"),
        "1.10%",
    ),
    (
        "On page S-40, the column heading entitled “Net Rate (%)” is deleted and replaced with “Net WAC (%).”\n",
        "substitute", Target("column", page="S-40", old_text="Net Rate (%)"), "Net WAC (%)",
    ),
    (
        "The following paragraphs are inserted after the second paragraph under “The Servicer” on page S-44:\n\n"
        "The servicer was founded in 1990.\n",
        "insert_after",
        Target("paragraph", page="S-44", heading=("The Servicer",), ordinal=Ordinal(paragraph=2)),
        "The servicer was founded in 1990.",
    ),
    (
        "The following paragraph is inserted before the first paragraph under “The Trustee”:\n\nThe trustee is a bank.\n",
        "insert_before", Target("paragraph", heading=("The Trustee",), ordinal=Ordinal(paragraph=1)), "The trustee is a bank.",
    ),
    (
        "The following risk factor shall be added as the first Risk Factor in the section “Risk Factors” "
        "on page S-11:\n\nTHE SERVICER IS NEW\n\nIt has little history.\n",
        "insert_before", Target("risk_factor", page="S-11", heading=("Risk Factors",)), "THE SERVICER IS NEW\n\nIt has little history.",
    ),
    (
        "The definition of “Servicing Fee” on page S-70 is hereby amended to add the following sentence at the "
        "end thereof:\n\nThe fee is paid monthly.\n",
        "append", Target("definition", page="S-70", term="Servicing Fee"), "The fee is paid monthly.",
    ),
    (
        "The following sentence is added to the second paragraph under “Advances” on page S-9:\n\n"
        "Advances are reimbursable.\n",
        "append", Target("paragraph", page="S-9", heading=("Advances",), ordinal=Ordinal(paragraph=2)),
        "Advances are reimbursable.",
    ),
    (
        "The third sentence of the second paragraph under “Fees” on page S-30 is deleted in its entirety.\n",
        "delete", Target("sentence", page="S-30", heading=("Fees",), ordinal=Ordinal(sentence=3, paragraph=2)), None,
    ),
    (
        "The information under the heading “The Trustee” on page S-50 is replaced with the following:\n\nNew words.\n",
        "replace", Target("section", page="S-50", heading=("The Trustee",)), "New words.",
    ),
    (
        "The following is added as the last sentence of the second paragraph under “Fees”:\n\nNew words.\n",
        "append", Target("paragraph", heading=("Fees",), ordinal=Ordinal(paragraph=2)), "New words.",
    ),
    (
        "The second paragraph under “Fees” is hereby deleted and the following is substituted therefor:\n\nNew words.\n",
        "replace", Target("paragraph", heading=("Fees",), ordinal=Ordinal(paragraph=2)), "New words.",
    ),
    (
        "All references to “Wells Fargo” in the Prospectus Supplement are replaced with “Wells Fargo Bank, N.A.”\n",
        "substitute", Target("value", old_text="Wells Fargo", scope="all"), "Wells Fargo Bank, N.A.",
    ),
    (
        "Replace the first paragraph under “The Originator” on page S-20 with the following:\n\n"
        "The originator is a savings bank.\n",
        "replace", Target("paragraph", page="S-20", heading=("The Originator",), ordinal=Ordinal(paragraph=1)),
        "The originator is a savings bank.",
    ),
]


@pytest.mark.parametrize("words, op, target, new_text", VARIANTS)
def test_phrasing_variants(words, op, target, new_text):
    assert shape(one(words)) == (op, target, new_text)


def test_rows_restated_for_named_classes():
    ins = one(
        "The certificate margins in the table on page S-8 for the Class M5, Class M6 and Class M7 "
        "Certificates is hereby amended as follows:\nClass\nMargin\nClass M5\n1.25%\n"
    )
    assert (ins.op, ins.target, ins.rows) == (
        "replace_rows", Target("row", page="S-8"), ("Class M5", "Class M6", "Class M7"),
    )
    assert ins.new_text == "Class\nMargin\nClass M5\n1.25%"


def test_two_substitutions_in_one_sentence():
    amendment = parse_amendment(
        COVER + "Notwithstanding the description of the rate in the second paragraph under the heading "
        "“Interest—Margins” on page S-25 of the Prospectus Supplement, the reference in that paragraph to "
        "“0.45%” is deleted and replaced with “0.50%” and the reference to “0.90%” in the third paragraph "
        "under that heading (which appears on page S-26) is deleted and replaced with “1.00%.”\n"
    )
    got = [shape(i) for i in amendment.instructions]
    heading = ("Interest", "Margins")
    assert got == [
        ("substitute", Target("value", page="S-25", heading=heading, ordinal=Ordinal(paragraph=2), old_text="0.45%"), "0.50%"),
        ("substitute", Target("value", page="S-26", heading=heading, ordinal=Ordinal(paragraph=3), old_text="0.90%"), "1.00%"),
    ]
    assert amendment.notices == ()


# --- substitutions: the ways of saying "the words X become Y" ----------------------------------

P2 = Ordinal(paragraph=2)
SUBSTITUTIONS = [
    ("On page S-12, in the first paragraph under the caption “Fees”, the reference to “0.40%” is changed to “0.45%”.",
     Target("value", page="S-12", heading=("Fees",), ordinal=Ordinal(paragraph=1), old_text="0.40%"), "0.45%"),
    ("In the fourth bullet under “Summary—Reserve Fund” on page S-3, the reference to “$2,000,000” is increased to "
     "“$2,500,000”.",
     Target("value", page="S-3", heading=("Summary", "Reserve Fund"), ordinal=Ordinal(bullet=4), old_text="$2,000,000"),
     "$2,500,000"),
    ("In the second paragraph under “Fees”, the reference to “0.40%” is amended to read “0.45%”.",
     Target("value", heading=("Fees",), ordinal=P2, old_text="0.40%"), "0.45%"),
    ("In the second paragraph under “Fees”, the reference to “0.40%” shall be replaced with “0.45%”.",
     Target("value", heading=("Fees",), ordinal=P2, old_text="0.40%"), "0.45%"),
    ("In the second paragraph under “Fees”, the reference to “Bank One” is replaced by a reference to “Chase”.",
     Target("value", heading=("Fees",), ordinal=P2, old_text="Bank One"), "Chase"),
    # the quoted old words are the whole main clause
    ("In the third sentence of the second paragraph under “Interest” on page S-20, “LIBOR” is replaced with “SOFR”.",
     Target("value", page="S-20", heading=("Interest",), ordinal=Ordinal(sentence=3, paragraph=2), old_text="LIBOR"),
     "SOFR"),
    ("In the last sentence under “The Trustee”, “Bank One” is changed to “Chase”.",
     Target("value", heading=("The Trustee",), ordinal=Ordinal(sentence=1, from_end=True), old_text="Bank One"), "Chase"),
    # the place follows the action
    ("“Bank One” is replaced with “Chase” in the second paragraph under “The Trustee” on page S-40.",
     Target("value", page="S-40", heading=("The Trustee",), ordinal=P2, old_text="Bank One"), "Chase"),
    # "amended by replacing ..." and its relatives
    ("The second sentence of the first paragraph under “Fees” on page S-6 is amended by replacing “0.50%” with “0.55%”.",
     Target("value", page="S-6", heading=("Fees",), ordinal=Ordinal(sentence=2, paragraph=1), old_text="0.50%"), "0.55%"),
    ("The second paragraph under “Fees” is hereby amended by substituting “0.55%” for “0.50%”.",
     Target("value", heading=("Fees",), ordinal=P2, old_text="0.50%"), "0.55%"),
    ("The second paragraph under “Fees” is amended by deleting “monthly” and inserting “quarterly” in its place.",
     Target("value", heading=("Fees",), ordinal=P2, old_text="monthly"), "quarterly"),
    ("In the second paragraph under “Fees”, the word “monthly” is deleted and “quarterly” is inserted in its place.",
     Target("value", heading=("Fees",), ordinal=P2, old_text="monthly"), "quarterly"),
    # every occurrence
    ("Each reference to “Bank One” in the prospectus supplement shall be replaced with “Chase”.",
     Target("value", old_text="Bank One", scope="all"), "Chase"),
    ("All references in the Prospectus Supplement to “May 5, 2005” are hereby changed to “May 9, 2005”.",
     Target("value", old_text="May 5, 2005", scope="all"), "May 9, 2005"),
    ("The reference to “Bank One” is replaced by a reference to “Chase” wherever it appears in the prospectus supplement.",
     Target("value", old_text="Bank One", scope="all"), "Chase"),
    ("“Bank One” is replaced with “Chase” throughout the prospectus supplement.",
     Target("value", old_text="Bank One", scope="all"), "Chase"),
]


@pytest.mark.parametrize("words, target, new_text", SUBSTITUTIONS)
def test_substitution_phrasings(words, target, new_text):
    assert shape(one(words + "\n")) == ("substitute", target, new_text)


def test_changed_to_without_old_words_or_element_is_refused():
    # neither the old words nor an element: no guess, but never dropped either
    ins = one("The Closing Date is changed to “March 3, 2005.”\n")
    assert (ins.op, ins.target) == ("unsupported", Target("text"))


def test_element_changed_to_quoted_text_is_a_replacement():
    ins = one("The third bullet point under “Summary—Fees” is changed to “Fees are paid monthly.”\n")
    assert shape(ins) == ("replace", Target("bullet", heading=("Summary", "Fees"), ordinal=Ordinal(bullet=3)),
                          "Fees are paid monthly.")


def test_further_substitutions_in_one_sentence_share_its_place():
    amendment = parse_amendment(
        COVER + "The last bullet point under \"Fees\" on page S-5 is amended by replacing \"monthly\" with "
        "\"quarterly\" and by replacing \"0.50%\" with \"0.55%\".\n"
        "In the second paragraph on page S-9 under the heading “Rates”, the number “12” is changed to “14” and "
        "the number “15” is changed to “18”.\n"
    )
    last = Ordinal(bullet=1, from_end=True)
    assert [shape(i) for i in amendment.instructions] == [
        ("substitute", Target("value", page="S-5", heading=("Fees",), ordinal=last, old_text="monthly"), "quarterly"),
        ("substitute", Target("value", page="S-5", heading=("Fees",), ordinal=last, old_text="0.50%"), "0.55%"),
        ("substitute", Target("value", page="S-9", heading=("Rates",), ordinal=P2, old_text="12"), "14"),
        ("substitute", Target("value", page="S-9", heading=("Rates",), ordinal=P2, old_text="15"), "18"),
    ]


def test_old_words_are_the_quoted_entry_not_the_column_that_holds_it():
    ins = one("In the table entitled “Fees” on page S-5, the entry “1.0%” in the column headed “Rate” is changed "
              "to “1.5%”.\n")
    assert shape(ins) == ("substitute", Target("value", page="S-5", term="Fees", old_text="1.0%"), "1.5%")


@pytest.mark.parametrize("ordinals, ordinal", [
    ("The first sentence of the last paragraph", Ordinal(sentence=1, paragraph=1, paragraph_from_end=True)),
    ("The last sentence of the second paragraph", Ordinal(sentence=1, paragraph=2, from_end=True, paragraph_from_end=False)),
    ("The second to last sentence of the third paragraph",
     Ordinal(sentence=2, paragraph=3, from_end=True, paragraph_from_end=False)),
])
def test_counts_from_both_ends(ordinals, ordinal):
    ins = one(f"{ordinals} on page S-12 is deleted and replaced with the following:\n\nThe servicer will advance.\n")
    assert ins.target.ordinal == ordinal


def test_a_bullet_counted_one_way_in_a_paragraph_counted_the_other_is_refused():
    # a bullet is not counted within a paragraph: the paragraph's count could not be held to
    ins = one("The second to last bullet point of the first paragraph on page S-12 is deleted and replaced with the "
              "following:\n\nThe servicer will advance.\n")
    assert ins.op == "unsupported"


@pytest.mark.parametrize("ordinals, ordinal", [
    ("The last sentence of the final paragraph", Ordinal(sentence=1, paragraph=1, from_end=True)),
    ("The final sentence of the last paragraph", Ordinal(sentence=1, paragraph=1, from_end=True)),
    ("The second to last sentence of the last paragraph", Ordinal(sentence=2, paragraph=1, from_end=True)),
    ("The last sentence of the penultimate paragraph", Ordinal(sentence=1, paragraph=2, from_end=True)),
])
def test_both_counts_from_the_end(ordinals, ordinal):
    ins = one(f"{ordinals} under the heading \"The Originator and Servicer--Credit Approval Process\" on page S-5 "
              "is deleted and replaced with the following:\n\nCredits above $10 million need the board.\n")
    assert shape(ins) == ("replace", Target("sentence", page="S-5", heading=("The Originator and Servicer", "Credit Approval Process"),
                                            ordinal=ordinal), "Credits above $10 million need the board.")


# --- the heading line itself as the target: the last part of its path, as the corpus answers give it ----

HEADING_TARGETS = [
    ("The heading “Servicer Termination Events” on page S-12 is replaced with “Servicer Events of Default”.\n",
     ("replace", Target("heading", page="S-12", heading=("Servicer Termination Events",)), "Servicer Events of Default")),
    ("The caption entitled “Fees” under “Summary” should read “Fees and Expenses”.\n",
     ("replace", Target("heading", heading=("Summary", "Fees")), "Fees and Expenses")),
    ("The subheading “Advances” on page S-30 is deleted in its entirety.\n",
     ("delete", Target("heading", page="S-30", heading=("Advances",)), None)),
    ("The following paragraph is inserted immediately before the heading \"Prepayment Premiums\" on page S-6:\n\n"
     "None of the mortgage loans was delinquent.\n",
     ("insert_before", Target("heading", page="S-6", heading=("Prepayment Premiums",)), "None of the mortgage loans was delinquent.")),
    ("The following paragraph is added immediately after the caption “Fees” under “Summary”:\n\nFees are paid monthly.\n",
     ("insert_after", Target("heading", heading=("Summary", "Fees")), "Fees are paid monthly.")),
]


@pytest.mark.parametrize("words, expected", HEADING_TARGETS)
def test_heading_line_as_target_ends_its_path(words, expected):
    assert shape(one(words)) == expected


def test_a_heading_after_under_is_a_place_not_the_target():
    ins = one("The second paragraph under the heading “Fees” on page S-5 is deleted in its entirety.\n")
    assert ins.target == Target("paragraph", page="S-5", heading=("Fees",), ordinal=Ordinal(paragraph=2))


# --- a table named by its caption ----------------------------------------------------------------

TABLE = "Type        Number\n----        ------\nMedical      2,961\n"


@pytest.mark.parametrize("words, target", [
    ("The table appearing under the caption \"Composition of the Lease Pool by\nEquipment Type\" on page S-11",
     Target("table", page="S-11", term="Composition of the Lease Pool by Equipment Type")),
    ("The chart below the title “Loan Types”", Target("table", term="Loan Types")),
    ("The table set forth under the caption “Loan Types” on page S-9", Target("table", page="S-9", term="Loan Types")),
    # a heading path under "caption" is a place, not the table's own title
    ("The table under the caption “Summary—Fees”", Target("table", heading=("Summary", "Fees"))),
])
def test_table_named_by_its_caption(words, target):
    assert shape(one(f"{words} is amended and restated as follows:\n\n{TABLE}")) == ("replace", target, TABLE.rstrip())


# --- "amended from «X» to «Y»" ---------------------------------------------------------------------

@pytest.mark.parametrize("words, target, new_text", [
    ("The percentage set forth in the fourth bullet under \"The Mortgage Pool--Underwriting Standards\" on page S-7 "
     "is hereby amended from \"10.00%\" to \"12.50%\".",
     Target("value", page="S-7", heading=("The Mortgage Pool", "Underwriting Standards"), ordinal=Ordinal(bullet=4),
            old_text="10.00%"), "12.50%"),
    ("In the table entitled “Ten Largest Mortgage Loans” on page S-7, the Cut-off Date LTV for the Ridgeline Office "
     "Portfolio is amended from “74.8%” to “71.2%”.",
     Target("value", page="S-7", term="Ten Largest Mortgage Loans", old_text="74.8%"), "71.2%"),
    ("The rate in the second paragraph under “Fees” is revised from “0.50%” to “0.55%”.",
     Target("value", heading=("Fees",), ordinal=Ordinal(paragraph=2), old_text="0.50%"), "0.55%"),
    ("The minimum denomination on page S-3 is increased from “$1,000” to “$25,000”.",
     Target("value", page="S-3", old_text="$1,000"), "$25,000"),
])
def test_amended_from_to_is_a_substitution(words, target, new_text):
    assert shape(one(words + "\n")) == ("substitute", target, new_text)


# --- a new bullet item's marker is the list's, not the new text's -----------------------------------

BULLET_AFTER = "The following bullet is added immediately after the fourth bullet under “Events” on page S-14:"
EVENTS = Target("bullet", page="S-14", heading=("Events",), ordinal=Ordinal(bullet=4))


@pytest.mark.parametrize("item", [
    "\n\n•\tthe servicer fails to report;\n",
    "\n|•\n|the servicer fails to report;\n",
    "\n\n·  the servicer fails to report;\n",
    "\n\no the servicer fails to report;\n",
    "\n\n“the servicer fails to report;”\n",
])
def test_new_bullet_item_loses_its_marker(item):
    assert shape(one(BULLET_AFTER + item)) == ("insert_after", EVENTS, "the servicer fails to report;")


def test_several_new_bullet_items_keep_their_markers():
    ins = one(BULLET_AFTER.replace("bullet is", "bullets are") + "\n\n• the servicer fails to report;\n\n• the trustee resigns.\n")
    assert ins.new_text == "• the servicer fails to report;\n\n• the trustee resigns."


# --- the place first, then the position: "inserted in the Glossary immediately after ..." -------------

@pytest.mark.parametrize("words, op, target", [
    ("The following definition is inserted in the Glossary on page S-16 immediately after the definition of "
     "“Appraisal Reduction Amount”:",
     "insert_after", Target("definition", page="S-16", heading=("Glossary",), term="Appraisal Reduction Amount")),
    ("The following definition is added to the Glossary immediately before the definition of “Cut-off Date”:",
     "insert_before", Target("definition", heading=("Glossary",), term="Cut-off Date")),
    ("The following paragraph is added under “Fees”, immediately after the second paragraph:",
     "insert_after", Target("paragraph", heading=("Fees",), ordinal=Ordinal(paragraph=2))),
])
def test_place_then_position(words, op, target):
    assert shape(one(words + "\n\n“Appraised Value” means its value.\n")) == (op, target, "“Appraised Value” means its value.")


def test_new_text_ends_before_the_underwriters_and_the_date():
    amendment = parse_amendment(COVER + "The first paragraph on page S-9 is replaced with the following:\n\n"
                                "The servicer will advance.\n\nTremaine Gardner Securities LLC\nOrsini Brothers & Co.\n"
                                "March 9, 2007\n")
    assert [i.new_text for i in amendment.instructions] == ["The servicer will advance."]


# --- changes to the transaction agreements: stated, no text changed ----------------------------------

@pytest.mark.parametrize("words", [
    "The Depositor and the Servicer have amended the Sale and Servicing Agreement to permit the Servicer, in "
    "accordance with its customary servicing procedures, to grant a lessee a payment deferral.",
    "The Trustee has entered into an amendment to the Indenture to extend the term.",
    "The Master Servicer and the Trustee have agreed to amend the Pooling and Servicing Agreement to permit advances.",
])
def test_a_party_amending_an_agreement_is_a_notice(words):
    amendment = parse_amendment(COVER + words + "\n")
    assert amendment.instructions == ()
    assert [n.text for n in amendment.notices] == [words]


@pytest.mark.parametrize("words", [
    "We have amended the prospectus supplement to reflect the new Pooling Agreement.",
    "The Servicer has amended its servicing procedures.",
])
def test_other_statements_are_not_agreement_notices(words):
    assert parse_amendment(COVER + words + "\n").notices == ()


# --- where new text goes: "as the Nth ..." ------------------------------------------------------

# A position named by ordinal is an insert_at of the container, counted there (the corpus's convention);
# the last position appends to it.
POSITIONS = [
    ("The following paragraph is inserted as the third paragraph under “Fees” on page S-5:",
     "insert_at", Target("section", page="S-5", heading=("Fees",), ordinal=Ordinal(paragraph=3))),
    ("The following sentence is added as the second sentence of the first paragraph under “Fees”:",
     "insert_at", Target("paragraph", heading=("Fees",), ordinal=Ordinal(sentence=2, paragraph=1))),
    ("The following paragraph is added as the first paragraph under “Fees”:",
     "insert_at", Target("section", heading=("Fees",), ordinal=Ordinal(paragraph=1))),
    ("The following bullet point is added as the fourth bullet point under “Summary—Fees”:",
     "insert_at", Target("section", heading=("Summary", "Fees"), ordinal=Ordinal(bullet=4))),
    ("The following sentence is added as the last sentence of the second paragraph under “Fees”:",
     "append", Target("paragraph", heading=("Fees",), ordinal=Ordinal(paragraph=2))),
]


@pytest.mark.parametrize("words, op, target", POSITIONS)
def test_inserted_as_the_nth_element(words, op, target):
    assert shape(one(words + "\n\nNew words.\n")) == (op, target, "New words.")


# --- page headers over instructions -------------------------------------------------------------

def test_page_header_lines_locate_what_follows_and_are_not_new_text():
    amendment = parse_amendment(
        COVER + "Page S-5\n\nThe second paragraph under “Fees” is replaced with the following:\n\nFirst.\n\n"
        "On page S-7:\n\nThe third paragraph under “Fees” is replaced with the following:\n\nSecond.\n\n"
        "The last paragraph on page S-9 is replaced with the following:\n\nThird.\n\n"
        "All references to “Bank One” are replaced with “Chase”.\n"
    )
    assert [(i.target.page, i.target.scope, i.new_text) for i in amendment.instructions] == [
        ("S-5", None, "First."), ("S-7", None, "Second."), ("S-9", None, "Third."), (None, "all", "Chase"),
    ]


def test_page_header_of_a_numbered_item_ends_with_the_item():
    amendment = parse_amendment(
        COVER + "1. Page S-5. The second paragraph under “Fees” is replaced with the following:\n\nFirst.\n\n"
        "2. Page S-7. The third paragraph under “Fees” is replaced with the following:\n\nSecond.\n\n"
        "3. The last paragraph under “Fees” is replaced with the following:\n\nThird.\n"
    )
    assert [(i.target.page, i.new_text) for i in amendment.instructions] == [
        ("S-5", "First."), ("S-7", "Second."), (None, "Third."),
    ]


# --- section names given without quotes --------------------------------------------------------

SECTIONS = [
    ("The definition of “Due Period” in the Glossary on page S-61 is replaced in its entirety by the following:\n\n"
     "“Due Period” means the calendar month.\n", ("Glossary",), "Due Period"),
    ("The definition of Due Period in the Glossary of Defined Terms is replaced in its entirety by the following:\n\n"
     "“Due Period” means the calendar month.\n", ("Glossary of Defined Terms",), "Due Period"),
    ("The third paragraph under “Interest” in the Description of the Notes is deleted and replaced with the "
     "following:\n\nInterest accrues monthly.\n", ("Description of the Notes", "Interest"), None),
    ("In the Summary, the second paragraph under “Fees” is deleted and replaced with the following:\n\nNew words.\n",
     ("Summary", "Fees"), None),
    ("The last risk factor under the Risk Factors section is deleted and replaced with the following:\n\nNew words.\n",
     ("Risk Factors",), None),
    ("The third sentence under the Summary heading “Closing Date” is deleted and replaced with the following:\n\n"
     "New words.\n", ("Summary", "Closing Date"), None),
]


@pytest.mark.parametrize("words, heading, term", SECTIONS)
def test_unquoted_section_name_is_a_heading(words, heading, term):
    ins = one(words)
    assert (ins.target.heading, ins.target.term) == (heading, term)


@pytest.mark.parametrize(
    "words",
    [
        "The definition of “Due Period” in the Prospectus Supplement is replaced in its entirety by the following:",
        "The definition of “Due Period” in the Pooling and Servicing Agreement is replaced by the following:",
        "The second paragraph on page S-9 relating to the interest rate in the Class A Notes is replaced by the following:",
        "The second paragraph on page S-9 in the table is replaced by the following:",
        "The second paragraph on page S-9 in the January 2006 report is replaced by the following:",
        "The table in the Table entitled “Fees” on page S-9 is replaced by the following:",
    ],
)
def test_capitalised_names_that_are_not_sections(words):
    assert one(words + "\n\nNew words.\n").target.heading is None


# --- quotation marks: delimiters only when they wrap the whole replacement ----------------------

WRAPPING = [
    # a definition that starts with its quoted term is not wrapped
    ("|•\n|The definition of “Net Rate” under “Glossary” should read: “Net Rate” means the rate less the fee rate.\n"
     "|•\n|The paragraph on page S-9 should read: “X.”\n", "“Net Rate” means the rate less the fee rate."),
    ("The definition of “Net Rate” on page S-30 is replaced with “Net Rate” means the rate less the fee rate.\n",
     "“Net Rate” means the rate less the fee rate."),
    ("The definition of “Net Rate” on page S-30 is deleted and replaced with the following: “Net Rate” means the rate "
     "less the fee rate. It is computed monthly.\n", "“Net Rate” means the rate less the fee rate. It is computed monthly."),
    # wrapped: the closing quote ends the text
    ("The definition of “Net Rate” on page S-30 should read: “Net Rate means the rate less the fee rate.”\n",
     "Net Rate means the rate less the fee rate."),
    ("The definition of “Net Rate” on page S-30 is deleted and replaced with the following: “The rate less the fee.”\n",
     "The rate less the fee."),
]


@pytest.mark.parametrize("words, new_text", WRAPPING)
def test_quotes_wrap_only_the_whole_replacement(words, new_text):
    assert parse_amendment(COVER + words).instructions[0].new_text == new_text


# --- new text ends where the next instruction begins -------------------------------------------

def test_quoted_indented_new_text_ends_at_a_following_instruction_without_a_blank_line():
    amendment = parse_amendment(
        COVER + "     The second paragraph under \"Yield\" on page S-4 is deleted in its entirety and\nreplaced "
        "with the following:\n\n     \"Prepayments are measured against a model. Rates vary,\nand so on.\"\n"
        "     In the first paragraph under \"Fees\" on page S-7, the reference to \"0.40%\" is changed\nto \"0.45%\".\n"
        "     The following paragraph is added at the end of the section entitled\n\"Servicing--Fees\" on page S-8:\n\n"
        "     The servicer may resign.\n"
    )
    assert [(i.op, i.target.kind, i.target.page, i.new_text) for i in amendment.instructions] == [
        ("replace", "paragraph", "S-4", "Prepayments are measured against a model. Rates vary,\nand so on."),
        ("substitute", "value", "S-7", "0.45%"),
        ("append", "section", "S-8", "The servicer may resign."),
    ]
    assert amendment.instructions[2].target.heading == ("Servicing", "Fees")


def test_new_text_ends_at_an_instruction_no_form_reads():
    amendment = parse_amendment(
        COVER + "The third paragraph under “Yield” on page S-4 is replaced with the following:\n\n"
        "“Prepayments are measured against a model.”\n"
        "On page S-3, the second paragraph under “Fees” is hereby revised by transposing “annual” and “fee”.\n"
    )
    assert [(i.op, i.new_text) for i in amendment.instructions] == [
        ("replace", "Prepayments are measured against a model."),
        ("unsupported", None),
    ]


@pytest.mark.parametrize(
    "prose",
    [
        "The table on page S-10 shows the loans whose terms were modified.",
        "See “Risk Factors” on page S-10; the agreement may be amended without your consent.",
        "In the event the servicer is replaced, the successor described under “The Servicer” on page S-40 will act.",
    ],
)
def test_prose_that_mentions_pages_stays_in_the_new_text(prose):
    ins = one("The third paragraph under “Yield” on page S-4 is replaced with the following:\n\n"
              f"Prepayments vary.\n{prose}\n")
    assert ins.new_text == f"Prepayments vary.\n{prose}"


# --- boundaries of the new text --------------------------------------------------------------

BOUNDARIES = [
    # closing boilerplate
    ("The paragraph on page S-8 should read as follows:\n\nNew words.\n\n"
     "All other portions of the Prospectus Supplement shall remain unchanged.\n", "New words."),
    ("The paragraph on page S-8 should read as follows:\n\nNew words.\n\nCapitalized terms used but not "
     "defined herein have the meanings given in the Prospectus Supplement.\n", "New words."),
    ("The paragraph on page S-8 should read as follows:\n\nNew words.\n\n UNTIL 90 DAYS AFTER THE DATE OF THIS "
     "PROSPECTUS SUPPLEMENT, ALL DEALERS MAY BE REQUIRED TO DELIVER A PROSPECTUS.\n", "New words."),
    ("The paragraph on page S-8 should read as follows:\n\nNew words.\n_______\nThe date of this supplement is "
     "May 2, 2005.\n", "New words."),
    # an underwriter's name at the very end
    ("The paragraph on page S-8 should read as follows:\n\nNew words.\n\nLehman Brothers\n", "New words."),
    # <PAGE> lines inside the new text are dropped, the line breaks around them kept
    ("The paragraph on page S-8 should read as follows:\n\nFirst part.\n<PAGE>\nSecond part.\n", "First part.\nSecond part."),
    # quotes that wrap the whole replacement are delimiters
    ("The paragraph on page S-8 should read as follows:\n\n“New words, with “inner” quotes.”\n",
     "New words, with “inner” quotes."),
    ('The paragraph on page S-8 should read as follows:\n\n"New words."\n', "New words."),
    # quotes that do not wrap the whole replacement stay
    ('The paragraph on page S-8 should read as follows:\n\n"Term": the words.\n', '"Term": the words.'),
    # table cells of a sticker filed as HTML
    ("|•\n|The table on page S-8 should read:\n|Class\n|Balance\n|•\n|The paragraph on page S-9 should read: “X.”\n",
     "Class\n|Balance"),
]


@pytest.mark.parametrize("words, new_text", BOUNDARIES)
def test_new_text_boundaries(words, new_text):
    assert parse_amendment(COVER + words).instructions[0].new_text == new_text


def test_new_text_ends_at_the_next_instruction_and_numbered_item():
    amendment = parse_amendment(
        COVER + "1.\nThe table on page S-8 should read:\nClass\nA\n2.\nThe paragraph on page S-9 should read as follows:\n"
        "Second text.\nThe sentence on page S-10 should read as follows:\nThird text.\n"
    )
    assert [(i.n, i.target.page, i.new_text) for i in amendment.instructions] == [
        (1, "S-8", "Class\nA"),
        (2, "S-9", "Second text."),
        (3, "S-10", "Third text."),
    ]


def test_group_header_names_the_cover_and_is_not_new_text():
    amendment = parse_amendment(
        COVER + "|•\n|The column titled “Balance” should read:\n|Balance\n|$100\nFront Cover Page:\n"
        "|•\n|The column titled “Rate” should read:\n|Rate\n|5%\n"
    )
    assert [(i.target, i.new_text) for i in amendment.instructions] == [
        (Target("column", term="Balance"), "Balance\n|$100"),
        (Target("column", term="Rate", locus="front cover page"), "Rate\n|5%"),
    ]


def test_spans_and_source_text():
    text = COVER + "The paragraph on page S-8 should read as follows:\n\nNew words.\n\nLehman Brothers\n"
    ins = parse_amendment(text).instructions[0]
    assert ins.source_text == "The paragraph on page S-8 should read as follows:"
    assert text[ins.span[0] : ins.span[1]] == "The paragraph on page S-8 should read as follows:\n\nNew words."


def test_cover_lead_in_is_not_an_instruction():
    assert parse_amendment(COVER).instructions == ()


# --- unsupported and notices -----------------------------------------------------------------


def test_unsupported_sentence_is_reported():
    amendment = parse_amendment(
        COVER + "The paragraph on page S-8 should read as follows:\n\nNew words.\n\n"
        "All other portions of the Prospectus Supplement shall remain unchanged.\n\n"
        "The table on page S-12 is hereby incorporated by reference and deemed revised where inconsistent.\n"
    )
    assert [i.op for i in amendment.instructions] == ["replace", "unsupported"]
    bad = amendment.instructions[1]
    assert (bad.n, bad.target, bad.new_text) == (2, Target("text"), None)
    assert bad.source_text == "The table on page S-12 is hereby incorporated by reference and deemed revised where inconsistent."
    assert bad.reason


def test_unsupported_header_keeps_its_block_out_of_other_instructions():
    amendment = parse_amendment(
        COVER + "The table under “Summary of Terms” on page S-3 should be supplemented in part by the rows below:\n"
        "Class A-5\n$10,000\n"
    )
    assert [(i.op, i.new_text) for i in amendment.instructions] == [("unsupported", None)]


def test_notice_is_not_an_edit():
    amendment = parse_amendment(
        COVER + "Reference is made to the tables on page S-97.\nNotwithstanding anything to the contrary in the "
        "Prospectus Supplement, the weighted average life of the Class B1\nCertificates is 5.96.\n\n"
        "All other portions of the Prospectus Supplement shall remain unchanged.\n"
    )
    assert amendment.instructions == ()
    assert [(n.n, n.text) for n in amendment.notices] == [
        (1, "Notwithstanding anything to the contrary in the Prospectus Supplement, the weighted average "
            "life of the Class B1 Certificates is 5.96."),
    ]


def test_notice_numbers_share_the_filing_order():
    amendment = parse_amendment(
        COVER + "The paragraph on page S-8 should read as follows:\nNew words.\n"
        "Notwithstanding anything to the contrary in the Prospectus Supplement, the rate is 5%.\n"
        "The paragraph on page S-9 should read as follows:\nMore words.\n"
    )
    assert [i.n for i in amendment.instructions] == [1, 3]
    assert [n.n for n in amendment.notices] == [2]


# --- the project's sample sticker ------------------------------------------------------------


def test_sample_sticker():
    text = SAMPLE.read_text(encoding="utf-8")
    amendment = parse_amendment(text)
    assert [(i.n, i.op, i.target) for i in amendment.instructions] == [
        (1, "replace", Target("paragraph", page="S-8", heading=("Advances",))),
        (2, "replace", Target("table", page="S-9")),
        (3, "replace", Target("risk_factor", page="S-19")),
        (4, "replace", Target("definition", page="S-56", term="Prepayment Period")),
        (5, "replace", Target("paragraph", page="S-69", heading=("Advances",))),
    ]
    assert amendment.notices == ()
    ins = amendment.instructions
    assert ins[0].new_text.startswith("The servicer is required to advance delinquent payments of interest and\n")
    assert ins[0].new_text.endswith('in the\nprospectus.')
    assert ins[1].new_text.splitlines()[-1] == "Class M-4                       Baa3               BBB+"
    assert ins[2].new_text.startswith("NO ADVANCES OF PRINCIPAL WILL BE MADE")
    assert "\n\nThe servicer will not make any advances" in ins[2].new_text
    assert ins[3].new_text.startswith('"Prepayment Period": The Prepayment Period is')
    assert "<PAGE>" not in ins[3].new_text
    assert ins[4].new_text.endswith("referred to in this prospectus supplement as Advances.")
    for i in ins:
        assert text[i.span[0] : i.span[1]].startswith(i.source_text.split()[0])
        assert text[i.span[0] : i.span[1]].rstrip().endswith(i.new_text.splitlines()[-1].strip())


# --- the shared corpus -----------------------------------------------------------------------

# The level reached on the shared corpus; a change that lowers it is a regression. Measured 66/107
# when the corpus grew to 50 stickers and the real HTML cases (2026-12-07), before any change for them;
# 89/107 with the action grammar composed from its vocabularies; 101/107 with cells, lists and notices.
CORPUS_ACCURACY = 0.97


def test_corpus_parse_accuracy():
    if not SHARED_CORPUS.is_dir():
        pytest.skip("shared corpus not present")
    spec = importlib.util.spec_from_file_location("measure_parse", ROOT / "scripts" / "measure_parse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    matched, expected, lines = module.measure(SHARED_CORPUS)
    assert expected > 0
    assert matched / expected >= CORPUS_ACCURACY, "\n".join(lines)


# --- render and parse back -------------------------------------------------------------------

WORDS = ["Advances", "Servicing", "Fees", "Interest", "Payments", "Record", "Date", "Pool", "Trustee", "Margins"]
title = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
sentence = st.lists(st.sampled_from(["the", "servicer", "will", "advance", "interest", "monthly", "on", "loans"]),
                    min_size=2, max_size=8).map(lambda ws: " ".join(ws).capitalize() + ".")
new_text = st.lists(sentence, min_size=1, max_size=3).map(" ".join)
page = st.integers(1, 150).map(lambda k: f"S-{k}")
heading = st.one_of(st.none(), st.lists(title, min_size=1, max_size=3).map(tuple))
count = st.integers(1, 6)


@st.composite
def instructions(draw):
    op = draw(st.sampled_from(["replace", "substitute", "insert_after", "notice"]))
    if op == "notice":
        text = "Notwithstanding anything to the contrary in the Prospectus Supplement, " + draw(new_text).lower()
        return Instruction(1, "notice", Target("value"), text, "", (0, 0))
    kind = draw(st.sampled_from(["paragraph", "sentence", "definition", "risk_factor", "table", "bullet"]))
    pg = draw(st.one_of(st.none(), page))
    hd = draw(heading)
    ordinal = None
    term = None
    if kind == "paragraph" and draw(st.booleans()):
        ordinal = Ordinal(paragraph=draw(count), from_end=draw(st.booleans()))
    elif kind == "sentence":
        ordinal = Ordinal(sentence=draw(count), paragraph=draw(st.one_of(st.none(), count)), from_end=draw(st.booleans()))
    elif kind == "bullet":
        ordinal = Ordinal(bullet=draw(count))
    elif kind == "definition":
        term = draw(title)
    elif kind in ("risk_factor", "table") and draw(st.booleans()):
        term = draw(title)
    if op == "substitute":
        old = draw(st.sampled_from(["1.05%", "Aaa", "0.250%", "$1,000,000"]))
        ordinal = Ordinal(paragraph=draw(count)) if draw(st.booleans()) else None
        target = Target("value", page=pg, heading=hd, ordinal=ordinal, old_text=old)
        return Instruction(1, "substitute", target, draw(st.sampled_from(["1.10%", "(1)", "0.375%"])), "", (0, 0))
    target = Target(kind, page=pg, heading=hd, ordinal=ordinal, term=term)
    return Instruction(1, op, target, draw(new_text), "", (0, 0))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instructions())
def test_render_then_parse_gives_the_same_instruction(ins):
    words = render_instruction(ins)
    amendment = parse_amendment(words)
    if ins.op == "notice":
        assert amendment.instructions == ()
        assert [n.text for n in amendment.notices] == [ins.new_text]
        return
    assert len(amendment.instructions) == 1, words
    got = amendment.instructions[0]
    assert dataclasses.replace(got, source_text="", span=(0, 0)) == ins, words


def test_render_example():
    ins = Instruction(
        1, "replace",
        Target("sentence", page="S-8", heading=("Summary", "Advances"), ordinal=Ordinal(sentence=2, paragraph=1)),
        "New words.", "", (0, 0),
    )
    assert render_instruction(ins) == (
        "The second sentence of the first paragraph on page S-8 under the heading “Summary—Advances” should be "
        "deleted in its entirety and replaced with the following:\n\nNew words."
    )


def test_render_a_global_substitution_and_read_it_back():
    ins = Instruction(1, "substitute", Target("value", old_text="Bank One", scope="all"), "Chase", "", (0, 0))
    words = render_instruction(ins)
    assert words == "All references to “Bank One” are deleted and replaced with “Chase”."
    got = parse_amendment(words).instructions[0]
    assert dataclasses.replace(got, source_text="", span=(0, 0)) == ins


@pytest.mark.parametrize("op, new", [("replace", "Servicer Events of Default"), ("insert_before", "New words."),
                                     ("insert_after", "New words."), ("delete", None)])
def test_render_a_heading_target_and_read_it_back(op, new):
    ins = Instruction(1, op, Target("heading", page="S-12", heading=("Summary", "Servicer Termination Events")),
                      new, "", (0, 0))
    got = parse_amendment(render_instruction(ins)).instructions
    assert [dataclasses.replace(g, source_text="", span=(0, 0)) for g in got] == [ins]


def test_edgar_table_tags_and_the_stickers_own_folio_are_not_new_text():
    amendment = parse_amendment(
        COVER + '1.   The table entitled "Ratings" on page S-9 is deleted in its entirety and replaced with the '
        "following:\n\n<TABLE>\n<CAPTION>\n          Class             Moody's          S&P\n"
        "<S>                         <C>              <C>\n          A-1               Aaa              AAA\n"
        "</TABLE>\n\n                                       2\n<PAGE>\n\n"
        '2.   The second sentence under "Advances" on page S-60 is deleted and replaced with the following:\n\n'
        '          "The servicer will not advance principal."\n'
    )
    first, second = amendment.instructions
    assert first.new_text.split("\n") == ["Class             Moody's          S&P",
                                          "          A-1               Aaa              AAA"]
    assert second.new_text == "The servicer will not advance principal."


@pytest.mark.parametrize("prose", [
    "On the Step-Up Date, the margin will be increased from 0.50% to 1.00%.",
    "References to the Trustee are replaced by references to the successor trustee.",
    "If the rating falls, 0.25% shall be deleted and replaced with 0.35% for later periods.",
])
def test_new_text_that_reads_like_an_edit_stays_new_text(prose):
    ins = one("The third paragraph under “Yield” on page S-4 is replaced with the following:\n\n"
              f"Prepayments vary.\n{prose}\n")
    assert ins.new_text.endswith(prose)


# --- several elements named in one subject ------------------------------------------------------

_TERMS = ["Stepdown Date", "Trigger Event", "Net WAC Rate", "Senior Enhancement Percentage", "Prepayment Period"]
_TITLES = ["Limited Obligations of the Sponsor", "Geographic Concentration May Increase Risk of Loss",
           "Prepayments Will Affect the Yield on Your Certificates"]
_QUOTES = [("“", "”"), ('"', '"')]


def _listed(names: list[str], q: tuple[str, str], serial: bool) -> str:
    quoted = [f"{q[0]}{n}{q[1]}" for n in names]
    return ", ".join(quoted[:-1]) + ("," if serial and len(names) > 2 else "") + " and " + quoted[-1]


@given(st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_several_named_elements_replaced_are_one_instruction_each(data):
    kind = data.draw(st.sampled_from(["definition", "risk_factor"]))
    pool = _TERMS if kind == "definition" else _TITLES
    names = data.draw(st.lists(st.sampled_from(pool), min_size=2, max_size=3, unique=True))
    q = data.draw(st.sampled_from(_QUOTES))
    noun = data.draw(st.sampled_from(
        ["The definitions of", "The definitions of the terms", "The defined terms"] if kind == "definition"
        else ["The risk factors entitled", "The risk factors captioned"]))
    place = data.draw(st.sampled_from(["", " on page S-12", " in the Glossary", " under the heading “Risk Factors”"]))
    action = data.draw(st.sampled_from(["are deleted in their entirety and replaced with the following:",
                                        "are amended and restated in their entirety to read as follows:"]))
    indent = data.draw(st.sampled_from(["", "     "]))
    bodies = [f"{indent}{q[0]}{n}{q[1]} means the amount set forth for it in the pooling agreement, as\n"
              f"{indent}amended from time to time." if kind == "definition"
              else f"{indent}{n}\n\n{indent}The certificates may be affected by this risk in ways not now foreseen."
              for n in names]
    text = f"1. {noun} {_listed(names, q, data.draw(st.booleans()))}{place} {action}\n\n" + "\n\n".join(bodies) + "\n"
    got = parse_amendment(COVER + text).instructions
    assert [(i.n, i.op, i.target.kind, i.target.term) for i in got] == [
        (k, "replace", kind, n) for k, n in enumerate(names, 1)]
    for ins, n in zip(got, names):
        assert ins.new_text.lstrip(q[0]).startswith(n)
        assert sum(other in ins.new_text for other in names if other != n and other not in n) == 0


@pytest.mark.parametrize("bodies", [
    # one new definition for two named: which one it replaces is not said
    ["“Stepdown Date” means the later of the two dates."],
    # the new definitions in another order than named
    ["“Trigger Event” means a breach of the loss test.", "“Stepdown Date” means the later of the two dates."],
    # words before the first definition
    ["As revised, the terms read:", "“Stepdown Date” means the later of the two dates.",
     "“Trigger Event” means a breach of the loss test."],
])
def test_several_named_elements_without_one_new_text_each_are_refused(bodies):
    text = ("1. The definitions of “Stepdown Date” and “Trigger Event” on page S-12 are deleted in their entirety "
            "and replaced with the following:\n\n" + "\n\n".join(bodies) + "\n")
    [ins] = parse_amendment(COVER + text).instructions
    assert ins.op == "unsupported" and "does not give one for each" in ins.reason


def test_several_named_elements_deleted_are_one_deletion_each():
    text = "1. The definitions of “Stepdown Date”, “Trigger Event”, and “Net WAC Rate” in the Glossary are deleted.\n"
    got = parse_amendment(COVER + text).instructions
    assert [(i.op, i.target.kind, i.target.term, i.target.heading) for i in got] == [
        ("delete", "definition", n, ("Glossary",)) for n in ("Stepdown Date", "Trigger Event", "Net WAC Rate")]


# --- a block of new text ends at the sticker's next item --------------------------------------

@given(st.data())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_next_item_with_the_same_marker_ends_the_new_text(data):
    marker = data.draw(st.sampled_from(["o ", "• ", "- ", "(a) "]))
    second = {"o ": "o ", "• ": "• ", "- ": "- ", "(a) ": "(b) "}[marker]
    indent = data.draw(st.sampled_from(["     ", "  "]))
    old, new = data.draw(st.sampled_from([("May 26, 2005", "May 31, 2005"), ("$2,500,000", "$2,750,000"),
                                          ("0.50%", "0.55%")]))
    what = data.draw(st.sampled_from(["the closing date of", "the amount of", "the rate of", ""]))
    text = (f"{marker}The second paragraph under “Advances” on page S-8 is revised to read as follows:\n\n"
            f"{indent}The servicer will advance delinquent payments of principal and interest\n"
            f"{indent}unless it deems them nonrecoverable.\n\n"
            f"{second}All references to {what + ' ' if what else ''}{old} are changed to {new}.\n")
    got = parse_amendment(COVER + text).instructions
    assert [i.op for i in got] == ["replace", "substitute"]
    assert got[0].new_text.endswith("deems them nonrecoverable.")
    assert (got[1].target.old_text, got[1].new_text, got[1].target.scope) == (old, new, "all")


def test_a_marker_inside_the_new_text_at_another_column_stays_in_it():
    text = ("o The second paragraph under “Advances” on page S-8 is revised to read as follows:\n\n"
            "     The servicer will advance delinquent payments:\n\n"
            "          o All references to the rate of 0.50% in the servicing agreement are changed to 0.55%.\n")
    [ins] = parse_amendment(COVER + text).instructions
    assert ins.op == "replace" and ins.new_text.rstrip().endswith("changed to 0.55%.")


# --- leads, punctuation and markers around an instruction ------------------------------------

_PLACE = "the heading “Summary of Terms—Credit Enhancement”"
_ACTIONS = {
    "delete": "is deleted.",
    "replace": "is revised in its entirety to read as follows:\n\n     The reserve account will be funded on the closing date.\n",
}


@pytest.mark.parametrize("lead", ["Page S-4 – ", "Page S-4 - ", "Page S-4: ", "Page S-4 -- ", "On page S-4 — "])
@pytest.mark.parametrize("op", sorted(_ACTIONS))
def test_a_page_named_before_the_instruction_places_it(lead, op):
    ins = one(f"{lead}The second paragraph under {_PLACE} {_ACTIONS[op]}\n")
    assert (ins.op, ins.target.kind, ins.target.page, ins.target.heading, ins.target.ordinal.paragraph) == (
        op, "paragraph", "S-4", ("Summary of Terms", "Credit Enhancement"), 2)
    assert ins.source_text.startswith(lead.strip()[:4])


@pytest.mark.parametrize("punct", [","])
@pytest.mark.parametrize("element, kind, key", [("the third bullet point", "bullet", "bullet"),
                                                ("the second sentence", "sentence", "sentence")])
def test_a_comma_printed_inside_the_closing_quote_is_not_part_of_the_heading(punct, element, kind, key):
    ins = one(f"On page 2 of the Preliminary Prospectus, under “Summary of Terms—Credit Enhancement{punct}” "
              f"{element} is deleted.\n")
    assert (ins.op, ins.target.kind, ins.target.heading) == ("delete", kind, ("Summary of Terms", "Credit Enhancement"))
    assert getattr(ins.target.ordinal, key) in (2, 3)


@pytest.mark.parametrize("listed, first, run, back", [
    ("second and third", 2, 2, False), ("first, second and third", 1, 3, False),
    ("second to last and last", 2, 2, True), ("third and fourth", 3, 2, False)])
def test_consecutive_elements_listed_are_one_run(listed, first, run, back):
    ins = one(f"The {listed} sentences of the paragraph under “Advances” on page S-8 are deleted and replaced "
              "with the following:\n\n     The servicer will advance what it expects to recover.\n")
    o = ins.target.ordinal
    assert (ins.op, ins.target.kind, o.sentence, o.run, o.from_end) == ("replace", "sentence", first, run, back)


def test_elements_listed_apart_are_not_one_replacement():
    text = ("The first and third sentences of the paragraph under “Advances” on page S-8 are deleted and replaced "
            "with the following:\n\n     The servicer will advance what it expects to recover.\n")
    assert parse_amendment(COVER + text).instructions[0].op == "unsupported"


@pytest.mark.parametrize("markers", [("A.", "B."), ("(A)", "(B)"), ("a.", "b.")])
def test_lettered_items_end_the_new_text_before_them(markers):
    text = (f"{markers[0]} The table captioned “Pool Balances” on page S-12 is replaced with the following:\n\n"
            "     Texas      2,318    $74,115,880\n     Georgia    1,212    $38,092,411\n\n"
            f"{markers[1]} In the first sentence under the heading “The Contract Pool--Contract Rates”\n"
            "on page S-10, “9.50%” is replaced with “9.25%”.\n")
    got = parse_amendment(COVER + text).instructions
    assert [i.op for i in got] == ["replace", "substitute"]
    assert got[0].new_text.rstrip().endswith("$38,092,411")
    assert (got[1].target.old_text, got[1].new_text, got[1].target.heading) == (
        "9.50%", "9.25%", ("The Contract Pool", "Contract Rates"))


@pytest.mark.parametrize("phrase, key, counts", [
    ("paragraph 2 under “Advances”", "paragraph", [2]),
    ("the second and third sentences of the paragraph under “Advances”", "sentence", [2, 3]),
    ("sentences 2 and 3 of the paragraph under “Advances”", "sentence", [2, 3]),
    ("the first, third and fourth paragraphs under “Advances”", "paragraph", [1, 3, 4]),
    ("bullet points 1 and 2 under “Advances”", "bullet", [1, 2]),
])
@pytest.mark.parametrize("front", ["", "On page S-8, "])
def test_elements_listed_for_deletion_are_one_element_each(phrase, key, counts, front):
    subject = front + phrase if front else phrase[0].upper() + phrase[1:]
    got = parse_amendment(COVER + f"{subject} {'is' if len(counts) == 1 else 'are'} deleted.\n").instructions
    assert [(i.op, getattr(i.target.ordinal, key), i.target.ordinal.run) for i in got] == [
        ("delete", n, None) for n in counts]
    assert all(i.target.heading == ("Advances",) for i in got)


@pytest.mark.parametrize("old, new", [("$45,000,000", "$52,500,000"), ("1,250", "1,500"), ("0.50%", "0.55%")])
def test_a_figure_is_read_whole_before_another_edit(old, new):
    got = parse_amendment(COVER + f"In the table under “Underwriting” on page S-12, the amount for Eastlake is changed "
                                  f"from {old} to {new} and the amount for Halvorsen is changed from 7 to 8.\n").instructions
    assert [(i.target.old_text, i.new_text) for i in got] == [(old, new), ("7", "8")]


@pytest.mark.parametrize("lead", ["(ii) ", "(c) ", "3. ", "B. ", "Second, ", "Finally, "])
def test_the_number_of_an_item_is_not_part_of_its_edit(lead):
    body = "the following paragraph is inserted after the second paragraph under “Advances” on page S-8:"
    text = lead + (body if lead.endswith(", ") else body[0].upper() + body[1:])
    got = parse_amendment(COVER + text + "\n\n     The servicer will advance what it expects to recover.\n").instructions
    assert [(i.op, i.target.kind, i.target.page, i.target.heading) for i in got] == [
        ("insert_after", "paragraph", "S-8", ("Advances",))]
    assert got[0].new_text.strip() == "The servicer will advance what it expects to recover."


@pytest.mark.parametrize("verbs", [
    "strike {o} and insert {n} in lieu thereof", "strike out {o} and insert in its place {n}",
    "delete the figure {o} and substitute {n}", "delete {o} and replace it with {n}", "remove {o} and add {n}"])
@pytest.mark.parametrize("quoted", [True, False])
def test_imperative_strike_and_insert_is_a_substitution(verbs, quoted):
    o, n = ("“1.30%”", "“1.50%”") if quoted else ("1.30%", "1.50%")
    got = parse_amendment(COVER + f"On page S-21, in the second paragraph under “Prepayments”, "
                                  f"{verbs.format(o=o, n=n)}.\n").instructions
    assert [(i.op, i.target.old_text, i.new_text, i.target.page, i.target.heading, i.target.ordinal.paragraph)
            for i in got] == [("substitute", "1.30%", "1.50%", "S-21", ("Prepayments",), 2)]


@pytest.mark.parametrize("inserting", ["inserting in lieu thereof the words", "inserting in its place",
                                       "substituting therefor", "inserting"])
def test_deleting_words_and_inserting_others_in_their_place(inserting):
    got = parse_amendment(COVER + f"The first paragraph under “Servicer Defaults” on page S-22 is amended by deleting "
                                  f"the words “thirty days” and {inserting} “sixty days”.\n").instructions
    assert [(i.op, i.target.old_text, i.new_text, i.target.ordinal.paragraph) for i in got] == [
        ("substitute", "thirty days", "sixty days", 1)]


@pytest.mark.parametrize("form", [
    "The table captioned “Summary of the Notes” on page S-3 is amended by changing the entry for the Class A-3 Notes "
    "in the column headed “Interest Rate” to {v}.",
    "In the table captioned “Summary of the Notes” on page S-3, the entry for the Class A-3 Notes in the column headed "
    "“Interest Rate” is changed to {v}.",
    "In the table captioned “Summary of the Notes” on page S-3, the entry in the column headed “Interest Rate” for the "
    "Class A-3 Notes should read {v}.",
])
@pytest.mark.parametrize("value", ["5.21%", "“5.21%”"])
def test_a_cell_named_by_row_and_column_is_given_anew(form, value):
    got = parse_amendment(COVER + form.format(v=value) + "\n").instructions
    assert [(i.op, i.target.kind, i.target.term, i.target.column, i.target.row, i.target.page, i.new_text)
            for i in got] == [("replace", "cell", "Summary of the Notes", "Interest Rate", "Class A-3", "S-3", "5.21%")]


def test_a_figure_changed_without_a_table_or_its_old_words_stays_a_notice():
    a = parse_amendment(COVER + "The initial balance of the Class A-3 Notes will be increased to $230,000,000.\n")
    assert not a.instructions and len(a.notices) == 1


def test_entries_of_several_rows_changed_from_and_to_are_one_substitution_each():
    got = parse_amendment(COVER + "The table under the heading “Notes” on page 4 is amended by changing the entries in "
                                  "the column headed “Initial Principal Amount” for the Class A-2-A notes from "
                                  "$150,000,000 to $125,000,000 and for the Class A-2-B notes from $150,000,000 to "
                                  "$175,000,000.\n").instructions
    assert [(i.op, i.target.kind, i.target.row, i.target.column, i.target.old_text, i.new_text) for i in got] == [
        ("substitute", "cell", "Class A-2-A", "Initial Principal Amount", "$150,000,000", "$125,000,000"),
        ("substitute", "cell", "Class A-2-B", "Initial Principal Amount", "$150,000,000", "$175,000,000")]


@pytest.mark.parametrize("anaphor", ["that paragraph", "such paragraph", "the same paragraph"])
def test_that_paragraph_is_the_one_the_edit_before_named(anaphor):
    got = parse_amendment(COVER + "The first sentence of the second paragraph under the heading “Controlled "
                                  "Accumulation Period” on page S-22 is amended by replacing “twelve” with “nine”, and "
                                  f"the third sentence of {anaphor} is deleted.\n").instructions
    assert [(i.op, i.target.kind, i.target.page, i.target.heading, i.target.ordinal.sentence,
             i.target.ordinal.paragraph) for i in got] == [
        ("substitute", "value", "S-22", ("Controlled Accumulation Period",), 1, 2),
        ("delete", "sentence", "S-22", ("Controlled Accumulation Period",), 3, 2)]


@pytest.mark.parametrize("anaphor", ["such caption", "that caption", "that heading"])
def test_under_such_caption_is_the_titled_element_the_edit_before_named(anaphor):
    got = parse_amendment(COVER + "The caption of the risk factor “Ratings May Fall” on page S-16 is revised to read "
                                  "“Ratings Are Not Recommendations”, and the following sentence is added at the end of "
                                  f"the first paragraph under {anaphor}: “A rating may be placed on watch.”\n").instructions
    assert [(i.op, i.target.kind, i.target.term, i.target.page) for i in got] == [
        ("replace", "heading", "Ratings May Fall", "S-16"), ("append", "paragraph", "Ratings May Fall", "S-16")]


def test_rows_deleted_and_others_substituted_are_rows_restated():
    got = parse_amendment(COVER + "The table under the heading “The Notes” on page S-1 is amended by deleting the rows "
                                  "relating to the Class A-2 Notes and the Class A-3 Notes and substituting therefor the "
                                  "following:\n\nClass A-2 Notes    $398,500,000\nClass A-3 Notes    $268,100,000\n"
                          ).instructions
    assert [(i.op, i.target.kind, i.target.page) for i in got] == [("replace_rows", "row", "S-1")]
    assert "$268,100,000" in got[0].new_text


@pytest.mark.parametrize("sep", [", ", "; ", " and ", ", and "])
def test_a_change_with_its_verb_left_out_goes_on_in_the_row_it_names(sep):
    got = parse_amendment(COVER + "In the table under the heading “Interest Rates” on page S-3, the certificate rate for "
                                  "the Class A certificates is changed from 1.94% to 1.89%" + sep + "the certificate rate "
                                  "for the Class B certificates from 2.29% to 2.24%.\n").instructions
    assert [(i.op, i.target.kind, i.target.row, i.target.old_text, i.new_text, i.target.page) for i in got] == [
        ("substitute", "cell", "Class A", "1.94%", "1.89%", "S-3"), ("substitute", "cell", "Class B", "2.29%", "2.24%", "S-3")]
    assert {i.target.column.lower() for i in got} == {"certificate rate"}


def test_a_change_with_its_verb_left_out_in_another_kind_of_place_is_not_read_as_the_same_place():
    got = parse_amendment(COVER + "In the second paragraph under “Advances” on page S-8, the fee is changed from 0.50% to "
                                  "0.55%, and the third paragraph on page S-9 from 1.00% to 1.10%.\n").instructions
    assert ("substitute", "1.00%") not in [(i.op, i.target.old_text) for i in got if i.target.page == "S-8"]


@pytest.mark.parametrize("run_over", ["which begins on page S-6 and continues on page S-7",
                                      "on page S-6, continuing onto page S-7", "beginning on page S-6 and continuing on page S-7"])
def test_an_element_running_over_a_page_break_names_both_pages(run_over):
    got = parse_amendment(COVER + f"The last sentence of the second paragraph under the heading “Eligible Contracts”, "
                                  f"{run_over}, is deleted.\n").instructions
    assert [(i.op, i.target.kind, i.target.page, i.target.pages) for i in got] == [
        ("delete", "sentence", "S-6", ("S-6", "S-7"))]


@pytest.mark.parametrize("quotes", [("‘", "’"), ("``", "''"), ("“", "”")])
def test_a_quoted_name_with_abbreviations_does_not_end_the_sentence(quotes):
    o, c = quotes
    got = parse_amendment(COVER + f"In the fourth to last paragraph on page S-29, {o}Wells Fargo Bank, N.A.{c} is replaced "
                                  f"with {o}U.S. Bank National Association{c}.\n").instructions
    assert [(i.op, i.target.old_text, i.new_text, i.target.page) for i in got] == [
        ("substitute", "Wells Fargo Bank, N.A.", "U.S. Bank National Association", "S-29")]


def test_an_apostrophe_inside_single_quotation_marks_is_not_their_end():
    got = parse_amendment(COVER + "In the first paragraph on page S-4, ‘Moody’s Investors Service, Inc.’ is replaced with "
                                  "‘S&P Global Ratings’.\n").instructions
    assert [(i.target.old_text, i.new_text) for i in got] == [("Moody’s Investors Service, Inc.", "S&P Global Ratings")]


@pytest.mark.parametrize("marks", [("(1)", "(2)", "(3)"), ("(a)", "(b)", "(c)"), ("(i)", "(ii)", "(iii)")])
def test_edits_numbered_inside_one_sentence_are_one_instruction_each(marks):
    a, b, c = marks
    got = parse_amendment(COVER + f"The first sentence of the paragraph under the heading “Reserve Account” on page S-3 is "
                                  f"amended by {a} replacing “0.50%” with “0.75%”, {b} replacing “$5,012,345” with "
                                  f"“$7,518,518” and {c} deleting the words “, subject to the floor”.\n").instructions
    assert [(i.op, i.target.old_text, i.new_text, i.target.page, i.target.ordinal.sentence) for i in got] == [
        ("substitute", "0.50%", "0.75%", "S-3", 1), ("substitute", "$5,012,345", "$7,518,518", "S-3", 1),
        ("delete", ", subject to the floor", None, "S-3", 1)]


def test_a_row_added_after_the_row_it_names():
    got = parse_amendment(COVER + "The table under “Offered Certificates” on page S-1 is amended by adding the following "
                                  "row after the row for Class B:\n\nC     $12,569,000     9.250%\n")
    assert [(i.op, i.target.kind, i.rows) for i in got.instructions] == [("insert_after", "row", ("Class B",))]


def test_the_row_in_that_table_is_in_the_table_the_edit_before_named():
    got = parse_amendment(COVER + "The table under “Offered Certificates” on page S-1 is amended by adding the following "
                                  "row after the row for Class B:\n\nC     $12,569,000     9.250%\n\n"
                                  "The row for the Class X-B certificates in that table is deleted.\n").instructions
    assert [(i.op, i.target.kind, i.target.page, i.target.heading) for i in got] == [
        ("insert_after", "row", "S-1", ("Offered Certificates",)), ("delete", "row", "S-1", ("Offered Certificates",))]


@pytest.mark.parametrize("verb", ["are deleted", "are hereby deleted", "shall be deleted"])
def test_all_references_deleted_are_deleted_wherever_they_stand(verb):
    got = parse_amendment(COVER + f"All references to “and Class X-B” in the Prospectus Supplement {verb}.\n").instructions
    assert [(i.op, i.target.kind, i.target.old_text, i.target.scope) for i in got] == [
        ("delete", "value", "and Class X-B", "all")]


@pytest.mark.parametrize("old, new, want", [("page S-45", "page S-47", ("S-45", "S-47")),
                                            ("Section 3.05 of the Indenture", "Section 3.06 of the Indenture",
                                             ("3.05", "3.06"))])
@pytest.mark.parametrize("verb", ["is corrected to read", "is changed to", "should be revised to read"])
def test_a_numbered_reference_corrected_without_quotation_marks(old, new, want, verb):
    got = parse_amendment(COVER + f"In the first paragraph under “Summary” on page S-3, the reference to {old} {verb} "
                                  f"{new}.\n").instructions
    assert [(i.op, i.target.old_text, i.new_text, i.target.page) for i in got] == [("substitute", *want, "S-3")]


def test_a_reference_revised_to_refer_to_a_party_stays_a_notice():
    a = parse_amendment(COVER + "The reference to the servicer in the first paragraph on page S-4 is revised to refer to "
                                "the master servicer.\n")
    assert not a.instructions and len(a.notices) == 1


def test_a_number_after_an_abbreviation_does_not_start_a_sentence():
    got = parse_amendment(COVER + "Annex A-1 is amended by deleting the row for Mortgage Loan No. 12 (Briarwood Self "
                                  "Storage) in its entirety.\n").instructions
    assert [(i.op, i.target.kind, i.rows) for i in got] == [("delete", "row", ("12",))]


def test_a_caption_after_a_quoted_replacement_is_not_part_of_it():
    got = parse_amendment(COVER + "The second sentence of the third paragraph under “The Property” on page A-3 is amended "
                                  "to read as follows:\n\n“The second tenant occupies 9.7% of the area.”\n\nANNEX A-1 UPDATE"
                                  "\n\nAnnex A-1 is amended by deleting the row for Mortgage Loan No. 12.\n").instructions
    assert [i.op for i in got] == ["replace", "delete"]
    assert got[0].new_text == "The second tenant occupies 9.7% of the area."


@pytest.mark.parametrize("clause", ["(ii)", "(b)", "(3)"])
def test_a_clause_of_a_definition_is_its_own_target(clause):
    got = parse_amendment(COVER + f"Clause {clause} of the definition of “Specified Reserve Account Balance” in the "
                                  f"Glossary is amended to read as follows:\n\n{clause} $1,578,700,\n").instructions
    assert [(i.op, i.target.kind, i.target.term, i.target.clause) for i in got] == [
        ("replace", "text", "Specified Reserve Account Balance", clause)]


@pytest.mark.parametrize("place", ["In the fourth line of the paragraph under “Optional Redemption” on page PS-3",
                                   "On line 4 of the paragraph under “Optional Redemption” on page PS-3"])
def test_a_printed_line_counted_narrows_where_the_words_are(place):
    got = parse_amendment(COVER + f"{place}, replace “March 15, 2020” with “March 15, 2021”.\n").instructions
    assert [(i.op, i.target.old_text, i.new_text, i.target.ordinal.line) for i in got] == [
        ("substitute", "March 15, 2020", "March 15, 2021", 4)]


def test_a_column_deleted_and_its_footnote_in_one_sentence_are_two_edits():
    got = parse_amendment(COVER + "The column headed “Expected Ratings” in the table under “Offered Notes” on page S-1 is "
                                  "deleted, and footnote (2) to that table is deleted in its entirety.\n").instructions
    assert [(i.op, i.target.kind, i.target.term, i.target.footnote, i.target.page) for i in got] == [
        ("delete", "column", "Expected Ratings", None, "S-1"), ("delete", "paragraph", "Expected Ratings", "(2)", "S-1")]


@pytest.mark.parametrize("verb", ["is corrected to refer to", "is changed to", "should be revised to read"])
def test_a_quoted_reference_corrected(verb):
    got = parse_amendment(COVER + f"In the first sentence under the heading “Static Pool Information” on page S-30, the "
                                  f"reference to “Annex I” {verb} “Annex II”.\n").instructions
    assert [(i.op, i.target.old_text, i.new_text) for i in got] == [("substitute", "Annex I", "Annex II")]


def test_the_entry_of_a_row_named_by_its_caption_is_a_cell():
    got = parse_amendment(COVER + "In Annex I, the entry in the row captioned “Weighted average FICO score” is amended to "
                                  "read “742”.\n").instructions
    assert [(i.op, i.target.kind, i.target.row, i.target.term, i.new_text) for i in got] == [
        ("replace", "cell", "Weighted average FICO score", None, "742")]


@pytest.mark.parametrize("entry", ["The entry “Year 2000 Compliance” in the Table of Contents",
                                   "The reference to “Year 2000 Compliance” in the table of contents",
                                   "The line for “Year 2000 Compliance” in the Table of Contents"])
def test_an_entry_of_the_table_of_contents_is_named_by_its_title(entry):
    got = parse_amendment(COVER + f"{entry} on page S-2 is deleted.\n").instructions
    assert [(i.op, i.target.kind, i.target.term, i.target.page) for i in got] == [
        ("delete", "toc_entry", "Year 2000 Compliance", "S-2")]


@pytest.mark.parametrize("holding", ["containing the words", "that contains", "which includes the phrase"])
def test_an_element_named_by_words_it_holds(holding):
    got = parse_amendment(COVER + f"The prospectus supplement is amended by replacing the sentence on page S-21 {holding} "
                                  f"“subject to the consent of the rating agencies” with the following sentence:\n\n"
                                  f"     “Any addition will be made only with the consent of the rating agencies.”\n"
                                  ).instructions
    assert [(i.op, i.target.kind, i.target.page, i.target.contains, i.target.ordinal) for i in got] == [
        ("replace", "sentence", "S-21", "subject to the consent of the rating agencies", None)]
    assert got[0].new_text == "Any addition will be made only with the consent of the rating agencies."


@pytest.mark.parametrize("closing", ["The Prospectus Supplement is not otherwise amended hereby.",
                                     "The prospectus supplement is not amended in any other respect."])
def test_closing_words_and_an_underwriter_in_capitals_end_the_new_text(closing):
    got = parse_amendment(COVER + "The fourth paragraph on page S-25 shall be revised to read as follows:\n\n"
                                  "     “As of June 30, 2002, the Master Servicer serviced 214,600 loans.”\n\n"
                                  f"     {closing}\n\n                       DRUMMOND & VAIL SECURITIES, INC.\n").instructions
    assert [i.new_text for i in got] == ["As of June 30, 2002, the Master Servicer serviced 214,600 loans."]


@pytest.mark.parametrize("order", ["in alphabetical order", "in its proper alphabetical order", "alphabetically"])
def test_a_definition_added_to_the_glossary_in_alphabetical_order(order):
    got = parse_amendment(COVER + f"The following definition is added to the Glossary {order}:\n\n"
                                  "     “Lease Event of Default” means the failure to pay rent.\n").instructions
    assert [(i.op, i.target.kind, i.target.ordinal) for i in got] == [("insert_at", "definition", None)]


def test_a_row_named_by_the_figure_that_labels_it():
    got = parse_amendment(COVER + "The table under “Hypothetical Payment at Maturity” on page PS-4 is amended by adding the "
                                  "following row immediately after the row for a Hypothetical Final Index Value of "
                                  "1,216.32:\n\n1,064.28    -30.00%    $875.00    -12.50%\n").instructions
    assert [(i.op, i.target.kind, i.rows) for i in got] == [("insert_after", "row", ("1,216.32",))]


def test_what_an_edit_leaves_unchanged_is_no_part_of_it():
    got = parse_amendment(COVER + "The second sentence of the second paragraph under “Advances” is deleted, and the "
                                  "remaining sentences of that paragraph are unchanged.\n").instructions
    assert [(i.op, i.target.kind, i.target.ordinal.sentence, i.target.ordinal.paragraph) for i in got] == [
        ("delete", "sentence", 2, 2)]


@pytest.mark.parametrize("lead, op", [("At the end of the section “Geographic Concentration” on page S-41", "append"),
                                      ("Immediately after the second paragraph under “Advances” on page S-8",
                                       "insert_after")])
def test_an_imperative_insertion_with_its_place_first(lead, op):
    got = parse_amendment(COVER + f"{lead}, add the following paragraph:\n\n     The servicer will advance.\n"
                          ).instructions
    assert [(i.op, i.new_text) for i in got] == [(op, "The servicer will advance.")]
    assert got[0].target.heading in (("Geographic Concentration",), ("Advances",))


def test_a_figure_before_a_comma_is_read_without_it():
    got = parse_amendment(COVER + "The amount set forth opposite “Class A-2” in the table on page S-1 is increased from "
                                  "$142,000,000 to $148,500,000, and the amount set forth opposite “Total” in that table is "
                                  "increased from $500,000,000 to $506,500,000.\n").instructions
    assert [(i.target.old_text, i.new_text) for i in got] == [("$142,000,000", "$148,500,000"),
                                                               ("$500,000,000", "$506,500,000")]


@pytest.mark.parametrize("words", ["On page S-41, add the following sentence to the fourth bullet point thereunder:",
                                   "On page S-9, strike the parenthetical in the second paragraph."])
def test_an_imperative_the_grammar_does_not_read_is_reported_never_dropped(words):
    a = parse_amendment(COVER + words + "\n\n     More text.\n")
    assert a.instructions and all(i.op in ("unsupported", "append", "insert_at", "insert_after", "delete")
                                  for i in a.instructions)


@pytest.mark.parametrize("verb", ["amended and restated to read in full as follows:", "amended and restated in its entirety:",
                                  "restated to read in its entirety as follows:"])
def test_restated_to_read_in_full(verb):
    got = parse_amendment(COVER + f"Under “Description of the Notes—Amortization—Cash Trap Condition”, the first paragraph "
                                  f"is {verb}\n\n     “A Cash Trap Condition will occur.”\n").instructions
    assert [(i.op, i.target.kind, i.target.heading, i.target.ordinal.paragraph, i.new_text) for i in got] == [
        ("replace", "paragraph", ("Description of the Notes", "Amortization", "Cash Trap Condition"), 1,
         "A Cash Trap Condition will occur.")]


@pytest.mark.parametrize("described", ["a Participation Rate of", "the fee rate of", "a rate equal to"])
def test_references_to_a_figure_described_before_it(described):
    got = parse_amendment(COVER + f"All references in the pricing supplement to {described} “150%” are replaced with "
                                  "“145%”.\n").instructions
    assert [(i.op, i.target.old_text, i.new_text, i.target.scope, i.target.heading) for i in got] == [
        ("substitute", "150%", "145%", "all", None)]


def test_words_in_a_footnote_keep_its_mark():
    got = parse_amendment(COVER + "In footnote (3) to the table on page S-3, the words “the Class B-1 Certificates” are "
                                  "replaced with “the Class B-2 Certificates”.\n").instructions
    assert [(i.op, i.target.footnote, i.target.old_text) for i in got] == [
        ("substitute", "(3)", "the Class B-1 Certificates")]


def test_a_noun_inside_a_quoted_name_is_not_the_element():
    got = parse_amendment(COVER + "The entry “Static Pool Information” in the Table of Contents on page S-41 is deleted.\n"
                          ).instructions
    assert [(i.op, i.target.kind, i.target.term) for i in got] == [("delete", "toc_entry", "Static Pool Information")]


@pytest.mark.parametrize("verb", ["is retitled", "is renamed", "is hereby re-titled as"])
def test_a_heading_retitled_is_given_a_new_title_never_its_element_replaced(verb):
    got = parse_amendment(COVER + f"The subheading “Credit and Collection Policies” under “The Originator and Servicer” on "
                                  f"page S-15 {verb} “Underwriting and Credit Approval”.\n").instructions
    assert [(i.op, i.target.kind, i.target.heading, i.new_text) for i in got] == [
        ("replace", "heading", ("The Originator and Servicer", "Credit and Collection Policies"),
         "Underwriting and Credit Approval")]
    got = parse_amendment(COVER + f"The risk factor entitled “Ratings May Fall” {verb} “Ratings Are Not "
                                  "Recommendations”.\n").instructions
    assert [(i.op, i.target.kind, i.target.term) for i in got] == [("replace", "heading", "Ratings May Fall")]


def test_the_first_words_of_a_sentence_named_after_its_place():
    got = parse_amendment(COVER + "The sentence in the first paragraph under the heading “Servicing Procedures” on page "
                                  "S-44 that begins “The Servicer will” is deleted.\n").instructions
    assert [(i.op, i.target.kind, i.target.old_text, i.target.ordinal.sentence) for i in got] == [
        ("delete", "sentence", "The Servicer will", None)]


def test_the_paragraph_following_those_bullet_points():
    got = parse_amendment(COVER + "The second bullet point under “Selection Criteria” on page S-27 is deleted.\n\n"
                                  "The second sentence of the paragraph immediately following those bullet points is "
                                  "deleted.\n").instructions
    t = got[1].target
    assert (t.kind, t.heading, t.ordinal.sentence, t.ordinal.paragraph, t.ordinal.after) == (
        "sentence", ("Selection Criteria",), 2, 1, "bullet")


def test_a_figure_opposite_a_row_label_in_a_counted_table():
    got = parse_amendment(COVER + "In the second table on page S-5, the figure set forth in the column headed “1.8% ABS” "
                                  "opposite “Class A-3 Notes” is hereby changed from “2.41” to “2.36”.\n").instructions
    assert [(i.op, i.target.kind, i.target.column, i.target.row, i.target.ordinal.paragraph, i.target.old_text)
            for i in got] == [("substitute", "cell", "1.8% ABS", "Class A-3 Notes", 2, "2.41")]


def test_a_class_with_a_lower_case_letter_and_a_date_cell_after_the_row():
    got = parse_amendment(COVER + "In the table under “Summary—The Notes” on page 1, the following row is added immediately "
                                  "after the row for the Class A-2b notes:\n\n|Class A-2c\n|$25,000,000\n|One-month LIBOR + "
                                  "0.52%\n|April 15, 2019\n\nExcept as described above, the Preliminary Prospectus "
                                  "remains unchanged.\n").instructions
    assert [(i.op, i.rows) for i in got] == [("insert_after", ("Class A-2b",))]
    assert got[0].new_text.rstrip().endswith("April 15, 2019")


def test_a_quoted_phrase_that_opens_with_a_comma_keeps_the_one_it_ends_with():
    got = parse_amendment(COVER + "In the second paragraph under “The Westbrook Plaza Loan”, the phrase “, subject to a "
                                  "cap of $1,250,000,” is deleted.\n").instructions
    assert [i.target.old_text for i in got] == [", subject to a cap of $1,250,000,"]


def test_a_place_before_the_verb_of_a_passive_insertion():
    got = parse_amendment(COVER + "Immediately preceding the risk factor captioned “Geographic Concentration May Increase "
                                  "the Risk of Loss” on page S-10, the following new risk factor is added:\n\n"
                                  "     Hurricanes May Affect the Loans\n\n     Text of it.\n").instructions
    assert [(i.op, i.target.kind, i.target.term, i.target.page) for i in got] == [
        ("insert_before", "risk_factor", "Geographic Concentration May Increase the Risk of Loss", "S-10")]


def test_that_section_after_a_section_named_in_the_same_sentence_is_that_one():
    got = parse_amendment(COVER + "Under “Eligibility Criteria” on page S-17, the third bullet point is deleted.\n\n"
                                  "In the section “Servicing the Trust Student Loans--Servicer Default” on page S-31, “60 "
                                  "days” is replaced by “90 days” each place it appears in that section.\n").instructions
    assert got[1].target.heading == ("Servicing the Trust Student Loans", "Servicer Default")


def test_a_column_named_in_prose_with_a_parenthesis():
    got = parse_amendment(COVER + "In the table under “Summary of Certificates” on page 3, the Weighted Average Life "
                                  "(Years) for the Class A-2 certificates is revised to read 4.81.\n").instructions
    assert [(i.op, i.target.kind, i.target.column, i.target.row, i.new_text) for i in got] == [
        ("replace", "cell", "Weighted Average Life (Years)", "Class A-2", "4.81")]


def test_a_notice_numbered_in_words_is_told_without_its_number():
    a = parse_amendment(COVER + "Second, notwithstanding any statement to the contrary in the Prospectus Supplement, the "
                                "Closing Date is expected to be on or about July 25, 2024.\n")
    assert [n.text for n in a.notices] == ["Notwithstanding any statement to the contrary in the Prospectus Supplement, "
                                           "the Closing Date is expected to be on or about July 25, 2024."]


def test_a_date_that_ends_new_cells_is_theirs_and_one_under_the_underwriters_is_the_filings():
    got = parse_amendment(COVER + "The “Final Scheduled Distribution Date” column of the table on page S-5 is amended to "
                                  "read as follows:\n\nFinal Scheduled Distribution Date\nJuly 2035\nApril 25, 2036\n\n"
                                  "LEHMAN BROTHERS\n\nMarch 9, 2006\n").instructions
    assert got[0].new_text.split("\n")[-1] == "April 25, 2036"


@pytest.mark.parametrize("words", [
    "The sentence on page S-21 containing the words “subject to the consent” is deleted.",
    "Footnote (2) to the table under “Offered Notes” on page S-1 is deleted in its entirety.",
    "Clause (ii) of the definition of “Specified Reserve Account Balance” in the Glossary is amended to read as "
    "follows:\n\n(ii) $1,578,700,",
    "In the fourth line of the paragraph under “Optional Redemption” on page PS-3, replace “2020” with “2021”.",
])
def test_the_parts_of_a_place_are_written_back_and_read_the_same(words):
    first = parse_amendment(COVER + words + "\n").instructions[0]
    again = parse_amendment(COVER + render_instruction(first) + "\n").instructions[0]
    assert again.target == first.target and again.op == first.op


def test_an_item_counted_in_words_starts_its_own_sentence_after_a_cover_line():
    got = parse_amendment(COVER + "Example Depositor Corp.\nDepositor\nSecond, the following risk factor is inserted "
                                  "immediately before the risk factor entitled “Geographic Concentration” on page S-96:\n"
                                  "The Swap Provider May Fail\nThe swap provider may fail to pay.\n").instructions
    assert [(i.op, i.target.kind, i.target.term) for i in got] == [("insert_before", "risk_factor", "Geographic Concentration")]
