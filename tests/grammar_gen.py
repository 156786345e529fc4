"""Generated stickers with known answers: the vocabularies of amendment language, combined.

The vocabularies are tables below: element nouns, ordinals, locators, actions, quotation styles,
line layouts and table-cell marks. Builders combine them into English instruction sentences, wrap
each in a short sticker (cover, optional lead-in, the instruction and its new text, closing words),
and state the answer in the corpus schema (corpus/README.md): op, target (kind, page, heading,
ordinal, term, old_text, scope) and new text. ``examples()`` yields every example, deterministically.

Only combinations the corpus conventions settle are generated: ``CONVENTION_GAPS`` lists what is left
out, ``INFERRED`` the readings the conventions imply without stating them.

    python -m tests.grammar_gen --report                      # pass rate per tag, worst first
    python -m tests.grammar_gen --failures action=should_read  # failing examples with that tag
    python -m tests.grammar_gen --show <id>                   # one example: text, answer, parse
    python -m tests.grammar_gen --report --key action         # one vocabulary only
    python -m tests.grammar_gen --must-parse                  # MUST_PARSE for the test file, anew
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import re
import sys
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterator

# --- the vocabularies ------------------------------------------------------------------------

ORDINAL_WORDS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth",
]

# how an ordinal is said: (tag, from_end)
ORDINAL_FORMS = [
    ("word", False),  # "the third"
    ("numeral", False),  # "the 3rd"
    ("full", False),  # "the third full"
    ("last", True),  # "the last", "the final"
    ("second_to_last", True),
    ("next_to_last", True),
    ("penultimate", True),
    ("n_to_last", True),  # "the third to last"
]

QUOTES = {
    "curly": ("“", "”"),
    "straight": ('"', '"'),
    "single_curly": ("‘", "’"),
    "tex": ("``", "''"),
}

# separators of a quoted heading path
HEADING_SEPARATORS = {
    "emdash": "—",
    "emdash_spaced": " — ",
    "endash": "–",
    "double_hyphen": "--",
    "spaced_hyphen": " - ",
}

HEADINGS = [
    "Advances", "Credit Enhancement", "Optional Termination", "The Servicer", "Fees and Expenses of the Trust",
    "Interest Payments", "Principal Payments", "Overcollateralization Provisions", "Pass-Through Rates",
    "Allocation of Realized Losses", "The Swap Agreement", "Yield on the Certificates", "Servicing Compensation",
    "Delinquency and Loss Information", "The Sponsor", "Ratings", "Legal Investment", "Method of Distribution",
    "Static Pool Information", "Prepayment Considerations", "The Trustee", "Distributions of Interest",
]
HEADING_PATHS = [
    ("Summary", "Advances"),
    ("Summary of Terms", "Credit Enhancement"),
    ("Summary", "Optional Termination"),
    ("Description of the Certificates", "Distributions of Interest"),
    ("Description of the Notes", "Payments of Principal"),
    ("The Mortgage Pool", "General"),
    ("Risk Factors", "Risks Related to the Mortgage Loans"),
    ("Servicing of the Mortgage Loans", "Servicing Fees and Other Compensation"),
    ("Description of the Certificates", "Distributions", "Interest Distributions"),
    ("Summary", "The Mortgage Loans", "Loan Group II"),
    ("The Issuing Entity", "The Indenture Trustee"),
    ("Yield, Prepayment and Maturity Considerations", "Weighted Average Lives"),
]
GLOSSARY_HEADINGS = ["Glossary", "Glossary of Terms", "Glossary of Defined Terms", "Index of Defined Terms"]
RISK_HEADINGS = ["Risk Factors", "Additional Risk Factors"]

DEFINED_TERMS = [
    "Due Period", "Prepayment Period", "Stepdown Date", "Trigger Event", "Servicing Fee Rate", "Net WAC Rate",
    "Overcollateralization Target Amount", "Senior Enhancement Percentage", "Cut-off Date Principal Balance",
    "Determination Date", "Interest Accrual Period", "Record Date", "Available Funds", "Realized Loss",
    "Cumulative Loss Trigger Event", "Monthly Excess Cashflow",
]
RISK_FACTOR_TITLES = [
    "Mortgage Loans With Interest-Only Payments May Have Higher Delinquency Rates",
    "The Certificates May Not Be Suitable Investments for All Investors",
    "Geographic Concentration May Increase Risk of Loss",
    "Violation of Consumer Protection Laws May Result in Losses",
    "The Swap Provider May Fail to Make Payments",
    "Recent Developments in the Residential Mortgage Market May Affect Your Investment",
    "Prepayments Will Affect the Yield on Your Certificates",
    "Limited Obligations of the Sponsor",
]
TABLE_TITLES = [
    "Mortgage Rates of the Mortgage Loans", "Original Principal Balances of the Group I Mortgage Loans",
    "Credit Scores of the Mortgage Loans", "Geographic Distribution of the Mortgaged Properties",
    "Percentage of Initial Class Principal Balance Outstanding", "Pass-Through Margins",
    "Assumed Mortgage Loan Characteristics", "Delinquency Experience", "Expected Ratings",
]
# column titles, each with the old and new values of one of its cells
COLUMN_VALUES = {
    "Pass-Through Rate": [("5.25%", "5.50%"), ("LIBOR + 0.30%", "LIBOR + 0.32%")],
    "Initial Class Principal Balance": [("$250,000,000", "$245,500,000"), ("$22,500,000", "$24,750,000")],
    "Expected Rating": [("Aaa/AAA", "Aa1/AA+"), ("A2", "A3")],
    "Margin": [("0.85%", "0.90%"), ("1.25%", "1.40%")],
    "Price to Public": [("99.99752%", "99.98127%"), ("100.00000%", "99.75000%")],
    "Final Scheduled Distribution Date": [("March 25, 2036", "April 25, 2036"), ("June 2035", "July 2035")],
    "Underwriting Discount": [("0.250%", "0.275%"), ("$1,125,000", "$1,237,500")],
    "Original Certificate Principal Balance": [("$75,000,000", "$72,000,000"), ("$6,125,000", "$6,250,000")],
}
COLUMNS = list(COLUMN_VALUES)
CLASSES = ["Class A-1", "Class A-2A", "Class A-3", "Class M-1", "Class M-2", "Class M-3", "Class B-1", "Class M-10"]

# old and new values of a substitution; the first ones may also be written without quotation marks
VALUES = [
    ("1.05%", "1.10%"), ("0.50%", "0.375%"), ("$457,959,000", "$462,100,000"), ("18.50%", "19.25%"),
    ("$1,000", "$5,000"), ("2.25%", "2.40%"), ("$22,500,000", "$24,750,000"), ("0.85%", "0.90%"),
    ("March 25, 2036", "April 25, 2036"), ("Aaa", "Aa1"), ("the Trustee", "the Securities Administrator"),
    ("10th", "15th"), ("one-month LIBOR", "one-month Term SOFR"), ("thirty days", "sixty days"),
    ("Wells Fargo Bank, N.A.", "U.S. Bank National Association"), ("monthly", "quarterly"),
    ("February 28, 2006", "March 3, 2006"), ("AAA", "AA+"),
]
UNQUOTABLE = 8  # VALUES[:UNQUOTABLE] read unambiguously without quotation marks (amounts and rates)
DELETED_WORDS = ["and", "or", "and the Servicer", "(other than the Class A-IO Certificates)", "approximately",
                 "on a monthly basis", "in its sole discretion", "or the Trustee"]

SENTENCES = [
    "The Servicer will be entitled to a monthly fee equal to one-twelfth of the Servicing Fee Rate multiplied by "
    "the Stated Principal Balance of each Mortgage Loan.",
    "The Trustee will make distributions on the certificates on the 25th day of each month or, if that day is not a "
    "business day, on the next business day.",
    "Advances will be made only to the extent the Servicer believes they are recoverable from future payments on the "
    "related Mortgage Loan.",
    "Interest on the offered certificates will accrue on the basis of a 360-day year and the actual number of days in "
    "the related Interest Accrual Period.",
    "The Pass-Through Rate for each class of offered certificates will be subject to the Net WAC Rate.",
    "On the Closing Date, the Depositor will deposit $1,000 into the Reserve Fund.",
    "Approximately 42.17% of the Mortgage Loans are secured by properties located in California.",
    "None of the Mortgage Loans was more than 30 days delinquent as of the Cut-off Date.",
    "The Swap Provider will pay to the Supplemental Interest Trust a floating amount based on one-month LIBOR.",
    "Realized Losses will be allocated first to Monthly Excess Cashflow and then to overcollateralization.",
    "The weighted average remaining term to maturity of the Mortgage Loans is approximately 354 months.",
    "The Master Servicer may purchase all of the Mortgage Loans when their aggregate principal balance is less than "
    "10% of the aggregate principal balance as of the Cut-off Date.",
    "Each Mortgage Loan has a first payment date no later than June 1, 2006.",
    "The credit enhancement for the offered certificates consists of excess interest, overcollateralization and "
    "subordination.",
    "The Securities Administrator will calculate the Pass-Through Rate for each Interest Accrual Period.",
    "Payments on the Class A-1 Certificates will be made before payments on the subordinate certificates.",
    "The ratings assigned to the offered certificates address the likelihood of the receipt of all distributions to "
    "which the holders are entitled.",
    "Borrowers under interest-only loans may face substantially higher monthly payments once the interest-only period "
    "ends.",
    "The Sponsor has originated residential mortgage loans since 1998.",
    "The Originator will repurchase any Mortgage Loan that breaches a representation in a way that materially "
    "affects the interests of the certificateholders.",
]
BULLETS = [
    "the Servicer fails to deposit any required amount into the Collection Account within two Business Days;",
    "the aggregate Realized Losses exceed the applicable percentage of the Cut-off Date Pool Balance;",
    "any Mortgage Loan that is 60 days or more delinquent will be excluded from the calculation;",
    "the Class M-1 Certificates will receive interest only after the senior certificates are paid in full;",
    "the Stepdown Date has occurred and no Trigger Event is in effect.",
    "amounts on deposit in the Reserve Fund will be released to the holders of the Class X Certificates;",
    "the rating of the Swap Provider is reduced below the levels set forth in the Swap Agreement; and",
    "the Enhancement Percentage is greater than 38.50% of the Senior Enhancement Percentage.",
]
DEFINITION_TAILS = [
    "with respect to any Distribution Date, the period beginning on the second day of the calendar month preceding "
    "the month in which that Distribution Date occurs and ending on the first day of the month in which that "
    "Distribution Date occurs.",
    "with respect to any Distribution Date, the later to occur of the Distribution Date in April 2009 and the first "
    "Distribution Date on which the Senior Enhancement Percentage is at least 44.20%.",
    "for any Distribution Date, the aggregate of all amounts received on the Mortgage Loans during the related Due "
    "Period, net of the Servicing Fee and the Trustee Fee.",
    "as to any Mortgage Loan, the per annum rate of 0.50% for each Distribution Date.",
]
NOTICE_STATEMENTS = [
    ("notwithstanding_contrary", "Notwithstanding anything to the contrary in the Prospectus Supplement, the "
     "Pass-Through Margin for the {cls} Certificates will be {pct} per annum."),
    ("notwithstanding_statement", "Notwithstanding any statement to the contrary in the Prospectus Supplement, the "
     "Closing Date is expected to be on or about {date}."),
    ("notwithstanding_in_ps", "Notwithstanding anything in the Prospectus Supplement to the contrary, the initial "
     "Overcollateralization Target Amount is {money}."),
    ("notwithstanding_information", "Notwithstanding any information to the contrary in the Prospectus Supplement, "
     "the {cls} Certificates will not be offered by the Underwriter."),
    ("will_be_increased_to", "The aggregate Class Principal Balance of the {cls} Certificates will be increased to "
     "{money}."),
    ("revised_to_refer_to", "All references in the Prospectus Supplement to the Master Servicer are revised to refer "
     "to the Securities Administrator."),
]

# covers: (tag, lines); {d1} the sticker's date, {d0} the supplement's, {dp} the base prospectus's
COVERS = [
    ("caps", ["SUPPLEMENT DATED {D1}", "TO PROSPECTUS SUPPLEMENT DATED {D0}", "(To Prospectus dated {dp})", "",
              "{amount} (Approximate)", "", "{issuer}", "{title}", "", "{depositor}", "Depositor"]),
    ("preliminary", ["Supplement dated {d1} to Preliminary Prospectus dated {d0}", "", "{issuer}", "Issuing Entity",
                     "", "{title}"]),
    ("rule_424", ["Filed pursuant to Rule 424(b)(3)", "Registration No. 333-131374", "",
                  "SUPPLEMENT DATED {D1}", "TO PROSPECTUS SUPPLEMENT DATED {D0}", "", "{issuer}", "{title}"]),
    ("mirror_header", ["{issuer} - 424B5", "Previous | Next", "", "Supplement dated {d1}",
                       "to Prospectus Supplement dated {d0}", "", "{amount}", "{issuer}", "{title}"]),
]
ISSUERS = ["Example Home Equity Loan Trust 2006-2", "Sample Mortgage Loan Trust, Series 2005-HE4",
           "Illustrative Asset-Backed Securities Trust 2007-1", "Model Auto Receivables Trust 2004-B"]
TITLES = ["Asset-Backed Pass-Through Certificates, Series 2006-2", "Mortgage Pass-Through Certificates",
          "Asset-Backed Notes, Series 2007-1", "Home Equity Loan Asset-Backed Certificates"]
DATES = [("March 9, 2006", "February 24, 2006", "January 30, 2006"),
         ("July 15, 2024", "July 11, 2024", "June 28, 2024"),
         ("December 12, 2003", "December 5, 2003", "November 18, 2003"),
         ("May 2, 2005", "April 20, 2005", "March 31, 2005")]
PREAMBLES = [
    ("none", None),
    ("hereby_amended", "The Prospectus Supplement is hereby amended as follows:"),
    ("supplemented_amended", "The Prospectus Supplement is hereby supplemented and amended as follows:"),
    ("preliminary_updated", "The Preliminary Prospectus is updated as follows:"),
]
CLOSINGS = [
    ("remains_unchanged", ["All other information in the Prospectus Supplement remains unchanged."]),
    ("except_as_described", ["Except as described above, the Preliminary Prospectus remains unchanged."]),
    ("capitalized_terms", ["Capitalized terms used in this supplement and not defined herein have the meanings "
                           "assigned to them in the Prospectus Supplement."]),
    ("underwriter_date", ["Lehman Brothers", "The date of this Supplement is {d1}."]),
]

# layouts: (wrap, cells). Cells ('|' at the start of each table cell's line) come from HTML filings,
# where a cell is one line.
LAYOUTS = [("one_line", "no"), ("wrapped", "no"), ("no_blank", "no"), ("one_word", "no"),
           ("one_line", "yes"), ("no_blank", "yes")]
MARKERS = ["none", "number", "bullet"]
ITEM_NUMBERS = ["1.", "(ii)", "(a)", "A.", "(3)", "Second,"]

# combinations the corpus conventions (corpus/README.md) do not settle: not generated
CONVENTION_GAPS = [
    "an ordinal counted from the start for one element and from the end for another ('the last sentence of the "
    "first paragraph'): one from_end flag cannot state it",
    "a heading or caption line as the target ('the heading \"X\" is amended to read \"Y\"'): term or old_text?",
    "a printed page as the element ('page S-8 is replaced in its entirety'): no target kind for a page",
    "the Nth table, risk factor, definition or footnote ('the second table on page S-8'): the ordinal has slots "
    "for sentence, paragraph and bullet only (cells alone have the extra key 'table')",
    "a whole cell replaced without its old value ('the cell ... should read \"X\"'): substitute or replace?",
    "'Notwithstanding ... as follows:' followed by new text: an edit, but of which op and target",
    "a risk factor or definition inserted at a numbered position ('as the fifth risk factor'): no ordinal slot",
    "'X will be increased to Y' naming a located element with quoted values: notice or substitution",
]
# readings the conventions imply without stating them; generated, and named here so they can be argued
INFERRED = [
    "insert_at under a heading ('as the new third bullet point under X'): kind section, the container, as the "
    "corpus answers an append there; inside a named risk factor: kind risk_factor with its title as term",
    "a heading path named level by level ('the subheading B under the heading A'): outer level first, [A, B]",
    "an ordinal counted from a named element ('the first paragraph after the table'): the count in the schema's "
    "slot; the anchor only as the extra ordinal key 'after'",
    "a table title is the term of the table, of a row or cell in it, and of a value substituted in it",
    "a row restated by any replacing verb: op replace_rows, kind row, the class in the extra key 'rows'",
    "a notice's new text: the whole statement",
]

# --- a compact, seeded builder context -------------------------------------------------------


class Ctx:
    """One example being built: its random source, its quotation style and the tags it collects."""

    def __init__(self, rng: random.Random, quotes: str):
        self.rng = rng
        self.quotes = quotes
        self.qo, self.qc = QUOTES[quotes]
        self.tags: dict[str, str] = {}
        self.quoted = False

    def q(self, s: str) -> str:
        self.quoted = True
        return f"{self.qo}{s}{self.qc}"

    def tag(self, key: str, value: str) -> None:
        self.tags.setdefault(key, value)

    def choice(self, seq):
        return self.rng.choice(seq)

    def page(self) -> str:
        return f"S-{self.rng.randint(1, 140)}"


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def numeral(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ordinal_json(sentence=None, paragraph=None, bullet=None, from_end=False, **extra) -> dict:
    out = {"sentence": sentence, "paragraph": paragraph, "bullet": bullet, "from_end": from_end}
    out.update(extra)
    return out


def pick_ordinal(c: Ctx, direction: bool | None = None, allow_full: bool = False,
                 key: str = "ordinal") -> tuple[str, int, bool]:
    """(words, count, from_end) of an ordinal; ``direction`` forces counting from the end (True) or start."""
    forms = [f for f in ORDINAL_FORMS if (direction is None or f[1] == direction) and (allow_full or f[0] != "full")]
    tag, back = c.choice(forms)
    c.tag(key, tag)
    if key == "ordinal":
        c.tag("direction", "from_end" if back else "from_start")
    if tag == "word":
        n = c.rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 7]) if c.rng.random() < 0.7 else c.rng.randint(1, 20)
        return ORDINAL_WORDS[n - 1], n, False
    if tag == "numeral":
        n = c.rng.randint(1, 20)
        return numeral(n), n, False
    if tag == "full":
        n = c.rng.randint(1, 6)
        return f"{ORDINAL_WORDS[n - 1]} full", n, False
    if tag == "last":
        return c.choice(["last", "final"]), 1, True
    if tag == "second_to_last":
        return c.choice(["second to last", "second-to-last"]), 2, True
    if tag == "next_to_last":
        return c.choice(["next to last", "next-to-last"]), 2, True
    if tag == "penultimate":
        return "penultimate", 2, True
    n = c.rng.randint(3, 5)
    return f"{ORDINAL_WORDS[n - 1]} to last", n, True


# --- elements: what an instruction names -----------------------------------------------------


@dataclass
class El:
    """An element phrase ('the second paragraph') and what it contributes to the answer's target."""

    phrase: str
    kind: str
    ordinal: dict | None = None
    term: str | None = None
    heading: list[str] | None = None  # a heading the element phrase itself names (a section)
    extra: dict = field(default_factory=dict)
    locators: tuple[str, ...] = ("page", "heading", "heading_page")
    new_noun: str = "paragraph"  # what "the following ..." calls new text of this kind
    new_kind: str = "paragraph"


def el_paragraph(c: Ctx) -> El:
    c.tag("element", "paragraph")
    r = c.rng.random()
    if r < 0.1:
        c.tag("ordinal", "none")
        return El("the paragraph", "paragraph", None, locators=("page", "heading_page"))
    if r < 0.22:
        c.tag("ordinal", "after_anchor")
        n = c.rng.randint(1, 3)
        words = ORDINAL_WORDS[n - 1]
        anchor, after = c.choice([("table", "table"), ("chart", "table"), ("bullet points", "bullet"),
                                  ("heading", "heading")])
        prep = c.choice(["following", "after", "immediately following"])
        return El(f"the {words} paragraph {prep} the {anchor}", "paragraph",
                  ordinal_json(paragraph=n, after=after), locators=("page", "heading", "heading_page"))
    words, n, back = pick_ordinal(c, allow_full=True)
    return El(f"the {words} paragraph", "paragraph", ordinal_json(paragraph=n, from_end=back),
              locators=("page", "heading", "heading_page", "pages", "cover"))


def el_sentence(c: Ctx) -> El:
    words, n, back = pick_ordinal(c, allow_full=c.rng.random() < 0.3)
    if c.rng.random() < 0.5:
        c.tag("element", "sentence_of_paragraph")
        pwords, pn, _ = pick_ordinal(c, direction=back, key="ordinal2")
        return El(f"the {words} sentence of the {pwords} paragraph", "sentence",
                  ordinal_json(sentence=n, paragraph=pn, from_end=back),
                  locators=("page", "heading", "heading_page", "cover"), new_noun="sentence", new_kind="sentence")
    c.tag("element", "sentence")
    return El(f"the {words} sentence", "sentence", ordinal_json(sentence=n, from_end=back),
              locators=("page", "heading", "heading_page", "pages"), new_noun="sentence", new_kind="sentence")


def el_bullet(c: Ctx) -> El:
    words, n, back = pick_ordinal(c)
    noun = c.choice(["bullet point", "bullet", "bulleted item", "bullet point"])
    c.tag("element", "bullet")
    c.tag("noun", noun.replace(" ", "_"))
    return El(f"the {words} {noun}", "bullet", ordinal_json(bullet=n, from_end=back),
              locators=("page", "heading", "heading_page"), new_noun="bullet point", new_kind="bullet")


def el_table(c: Ctx) -> El:
    noun = c.choice(["table", "chart"])
    c.tag("element", noun)
    if c.rng.random() < 0.6:
        title = c.choice(TABLE_TITLES)
        verb = c.choice(["entitled", "titled", "captioned", "headed"])
        return El(f"the {noun} {verb} {c.q(title)}", "table", term=title, locators=("page", "none", "pages"),
                  new_noun=noun, new_kind="table")
    # a bare table: a heading locator says "heading", never "caption" (a caption may be the table's title)
    return El(f"the {noun}", "table", locators=("page", "pages", "heading_nocaption", "cover"),
              new_noun=noun, new_kind="table")


def el_definition(c: Ctx) -> El:
    c.tag("element", "definition")
    term = c.choice(DEFINED_TERMS)
    r = c.rng.random()
    if r < 0.15:
        c.tag("term", "unquoted")
        phrase = f"the definition of {term}"
    elif r < 0.5:
        phrase = f"the definition of the term {c.q(term)}"
    else:
        phrase = f"the definition of {c.q(term)}"
    return El(phrase, "definition", term=term, locators=("page", "glossary", "glossary_page", "none"),
              new_noun="definition", new_kind="definition")


def el_risk_factor(c: Ctx) -> El:
    c.tag("element", "risk_factor")
    title = c.choice(RISK_FACTOR_TITLES)
    verb = c.choice(["entitled", "captioned", "titled"])
    return El(f"the risk factor {verb} {c.q(title)}", "risk_factor", term=title,
              locators=("page", "risk_heading", "risk_heading_page", "none", "pages"),
              new_noun="risk factor", new_kind="risk_factor")


def el_section(c: Ctx) -> El:
    c.tag("element", "section")
    path = heading_choice(c)
    quoted = render_heading(c, path)
    phrase = c.choice([
        f"the section entitled {quoted}",
        f"the section of the Prospectus Supplement entitled {quoted}",
        f"the information under the heading {quoted}",
        f"the disclosure under the caption {quoted}",
        f"the discussion under the heading {quoted}",
    ])
    return El(phrase, "section", heading=list(path), locators=("page", "none"))


def el_column(c: Ctx) -> El:
    c.tag("element", "column")
    col = c.choice(COLUMNS)
    phrase = c.choice([
        f"the column entitled {c.q(col)} in the table",
        f"the column headed {c.q(col)} in the table",
        f"the {c.q(col)} column of the table",
    ])
    return El(phrase, "column", term=col, locators=("page", "heading_nocaption", "cover"),
              new_noun="column", new_kind="column")


def el_row(c: Ctx) -> El:
    c.tag("element", "row")
    cls = c.choice(CLASSES)
    if c.rng.random() < 0.35:
        title = c.choice(TABLE_TITLES)
        return El(f"the row for the {cls} Certificates in the table entitled {c.q(title)}", "row", term=title,
                  extra={"rows": [cls]}, locators=("page", "none"), new_noun="row", new_kind="row")
    phrase = c.choice([f"the row for the {cls} Certificates in the table", f"the {cls} row of the table"])
    return El(phrase, "row", extra={"rows": [cls]}, locators=("page", "heading_nocaption", "cover"),
              new_noun="row", new_kind="row")


def el_footnote(c: Ctx) -> El:
    c.tag("element", "footnote")
    k = c.rng.randint(1, 9)
    phrase = c.choice([f"footnote ({k}) to the table", f"the footnote ({k}) to the table",
                       f"footnote ({k}) to the chart"])
    return El(phrase, "paragraph", extra={"footnote": f"({k})"}, locators=("page", "heading_nocaption"),
              new_noun="footnote", new_kind="footnote")


def el_sentence_containing(c: Ctx) -> El:
    """'the sentence containing the words «X»': a sentence named by words it holds."""
    c.tag("element", "sentence_containing")
    noun = c.choice(["sentence", "paragraph"])
    words = c.choice(["subject to the consent of the rating agencies", "on a monthly basis", "the related collection period",
                      "in its sole discretion", "the final scheduled distribution date"])
    verb = c.choice(["containing the words", "that contains", "which includes the phrase", "containing"])
    return El(f"the {noun} {verb} {c.q(words)}", noun, None, extra={"contains": words},
              locators=("page", "heading", "heading_page"), new_noun=noun, new_kind=noun)


def el_clause(c: Ctx) -> El:
    """'clause (ii) of the definition of «X»': a clause inside a definition."""
    c.tag("element", "clause")
    mark = c.choice(["(i)", "(ii)", "(iii)", "(a)", "(b)", "(c)", "(1)", "(2)"])
    term = c.choice(DEFINED_TERMS)
    return El(f"clause {mark} of the definition of {c.q(term)}", "text", term=term, extra={"clause": mark},
              locators=("page", "glossary", "glossary_page", "none"), new_noun="text", new_kind="text")


ELEMENTS: dict[str, Callable[[Ctx], El]] = {
    "paragraph": el_paragraph, "sentence": el_sentence, "bullet": el_bullet, "table": el_table,
    "definition": el_definition, "risk_factor": el_risk_factor, "section": el_section, "column": el_column,
    "row": el_row, "footnote": el_footnote, "sentence_containing": el_sentence_containing, "clause": el_clause,
}

# --- locators: where it is -------------------------------------------------------------------


def heading_choice(c: Ctx) -> tuple[str, ...]:
    return c.choice(HEADING_PATHS) if c.rng.random() < 0.55 else (c.choice(HEADINGS),)


def render_heading(c: Ctx, path: tuple[str, ...]) -> str:
    if len(path) == 1:
        return c.q(path[0])
    sep_tag = c.choice(list(HEADING_SEPARATORS))
    c.tag("heading_sep", sep_tag)
    return c.q(HEADING_SEPARATORS[sep_tag].join(path))


@dataclass
class Loc:
    parts: list[str]
    page: str | None = None
    pages: list[str] | None = None
    heading: list[str] | None = None
    locus: str | None = None


def page_part(c: Ctx, multi: bool = False) -> tuple[str, str, list[str] | None]:
    """('on page S-8 of the Prospectus Supplement', first page, all pages or None)."""
    if multi:
        a = c.rng.randint(2, 120)
        form = c.choice(["and", "through", "comma"])
        if form == "and" and c.rng.random() < 0.3:
            # one element running over a page break
            c.tag("locator_page", "pages_continuing")
            words = c.choice([f"beginning on page S-{a} and continuing on page S-{a + 1}",
                              f"on page S-{a} and continuing onto page S-{a + 1}"])
            return words, f"S-{a}", [f"S-{a}", f"S-{a + 1}"]
        c.tag("locator_page", f"pages_{form}")
        if form == "and":
            pages = [f"S-{a}", f"S-{a + 1}"]
            words = f"on pages S-{a} and S-{a + 1}"
        elif form == "through":
            pages = [f"S-{k}" for k in range(a, a + 3)]
            words = f"on pages S-{a} through S-{a + 2}"
        else:
            pages = [f"S-{k}" for k in range(a, a + 3)]
            words = f"on pages S-{a}, S-{a + 1} and S-{a + 2}"
        return words + suffix_ps(c), pages[0], pages
    if c.rng.random() < 0.08:
        c.tag("locator_page", "roman")
        p = c.choice(["ii", "iii", "iv", "v"])
    else:
        c.tag("locator_page", "page")
        p = c.page()
    return f"on page {p}" + suffix_ps(c), p, None


def suffix_ps(c: Ctx) -> str:
    r = c.rng.random()
    if r < 0.3:
        c.tag("of_ps", "yes")
        return c.choice([" of the Prospectus Supplement", " of the prospectus supplement"])
    c.tag("of_ps", "no")
    return ""


HEADING_INTROS = [
    ("heading", "under the heading {h}"),
    ("caption", "under the caption {h}"),
    ("heading_entitled", "under the heading entitled {h}"),
    ("section_entitled", "in the section entitled {h}"),
    ("caption_titled", "under the caption titled {h}"),
    ("bare_under", "under {h}"),
]


def heading_part(c: Ctx, no_caption: bool = False, fixed: tuple[str, ...] | None = None) -> tuple[str, list[str]]:
    intros = [i for i in HEADING_INTROS if not (no_caption and "caption" in i[0])]
    if fixed is None and c.rng.random() < 0.15:
        outer, inner = c.choice(HEADING_PATHS)[:2]
        c.tag("locator_heading", "nested")
        words = c.choice([
            f"under the subheading {c.q(inner)} under the heading {c.q(outer)}",
            f"in the subsection entitled {c.q(inner)} of the section entitled {c.q(outer)}",
        ])
        return words, [outer, inner]
    path = fixed or heading_choice(c)
    tag, form = c.choice(intros)
    c.tag("locator_heading", tag if len(path) == 1 else f"path_{tag}")
    return form.format(h=render_heading(c, path)), list(path)


def pick_locator(c: Ctx, el: El) -> Loc:
    """A locator the element allows; tags name its parts."""
    fam = c.choice(el.locators)
    c.tag("locator", fam)
    if fam == "none":
        return Loc([])
    if fam in ("page", "pages"):
        words, p, pages = page_part(c, multi=fam == "pages")
        return Loc([words], page=p, pages=pages)
    if fam == "cover":
        words = c.choice(["on the cover page of the Prospectus Supplement", "on the front cover page",
                          "on the cover page"])
        return Loc([words], locus="front cover page")
    if fam in ("heading", "heading_nocaption"):
        words, h = heading_part(c, no_caption=fam == "heading_nocaption")
        return Loc([words], heading=h)
    if fam == "heading_page":
        hw, h = heading_part(c)
        pw, p, _ = page_part(c)
        parts = [hw, pw] if c.rng.random() < 0.5 else [pw, hw]
        return Loc(parts, page=p, heading=h)
    if fam in ("glossary", "glossary_page", "risk_heading", "risk_heading_page"):
        fixed = (c.choice(GLOSSARY_HEADINGS),) if fam.startswith("glossary") else (c.choice(RISK_HEADINGS),)
        hw, h = heading_part(c, fixed=fixed)
        if fam.endswith("_page"):
            pw, p, _ = page_part(c)
            return Loc([hw, pw] if c.rng.random() < 0.5 else [pw, hw], page=p, heading=h)
        return Loc([hw], heading=h)
    raise ValueError(fam)


def target_json(el: El | None, loc: Loc, kind: str | None = None, old_text: str | None = None,
                term: str | None | object = ..., scope: str | None = None, **extra) -> dict:
    heading = (el.heading if el and el.heading else []) + (loc.heading or [])
    t = {
        "kind": kind or el.kind,
        "page": loc.page,
        "heading": heading or None,
        "ordinal": (el.ordinal if el else None),
        "term": (el.term if el else None) if term is ... else term,
        "old_text": old_text,
    }
    if scope:
        t["scope"] = scope
    if loc.pages:
        t["pages"] = loc.pages
    if loc.locus:
        t["locus"] = loc.locus
    if el:
        t.update(el.extra)
    t.update(extra)
    return t


_COUNTED = re.compile(r"\bthe (" + "|".join(ORDINAL_WORDS[:10]) + r") (paragraph|sentence|bullet point)\b")


def numbered(c: Ctx, phrase: str) -> str:
    """Sometimes the elements numbered after their noun: 'the second paragraph' as 'paragraph 2'."""
    if not _COUNTED.search(phrase) or c.rng.random() >= 0.15:
        return phrase
    c.tag("count", "numbered")
    return _COUNTED.sub(lambda m: f"{m.group(2)} {ORDINAL_WORDS.index(m.group(1)) + 1}", phrase)


def subject(c: Ctx, el: El, loc: Loc, allow_front: bool = True) -> tuple[str, str]:
    """(subject at a sentence start, subject inside a sentence); the locator may come first: after a
    comma, as 'Page S-8 – ...', or with the comma printed inside a closing quotation mark."""
    phrase = numbered(c, el.phrase)
    if allow_front and loc.parts and c.rng.random() < 0.25:
        front = loc.parts[0]
        rest = " ".join([phrase, *loc.parts[1:]])
        r = c.rng.random()
        if re.fullmatch(r"on page \S+", front) and r < 0.3:
            c.tag("order", "page_lead")
            return f"Page {front[8:]} {c.choice(['–', '-', '—', ':'])} {cap(rest)}", rest
        close = next((q for q in ("''", "”", '"', "’") if front.endswith(q)), None)
        if close and r < 0.6:
            c.tag("order", "fronted_comma_inside")
            return f"{cap(front[: -len(close)])},{close} {rest}", rest
        c.tag("order", "fronted")
        return f"{cap(front)}, {rest}", rest  # inside a sentence the fronted form is not used
    c.tag("order", "trailing")
    s = " ".join([phrase, *loc.parts])
    return cap(s), s


# --- new text ---------------------------------------------------------------------------------


@dataclass
class Block:
    """New text as segments: ('para', text) | ('bullet', text) | ('table', rows) | ('line', text)."""

    segments: list[tuple[str, object]]
    wrap_quotes: bool = False


def new_paragraph(c: Ctx, k: int | None = None) -> str:
    return " ".join(c.rng.sample(SENTENCES, k or c.rng.randint(2, 3)))


def new_table(c: Ctx) -> list[list[str]]:
    cols = c.rng.sample(COLUMNS[:4], 2)
    rows = [["Class", *cols]]
    for cls in c.rng.sample(CLASSES, 3):
        rows.append([cls] + [c.choice(["$250,000,000", "$75,000,000", "$22,500,000", "1.25%", "0.85%", "Aaa/AAA",
                                       "Aa2/AA", "May 2036"]) for _ in cols])
    return rows


def new_block(c: Ctx, kind: str, title: str | None = None) -> Block:
    """New text of an element of ``kind`` (paragraph, sentence, bullet, table, definition, ...)."""
    if kind == "sentence":
        return Block([("para", c.choice(SENTENCES))])
    if kind == "bullet":
        return Block([("bullet", c.choice(BULLETS))])
    if kind == "table":
        segs: list[tuple[str, object]] = []
        if c.rng.random() < 0.3:
            segs.append(("line", title or c.choice(TABLE_TITLES)))
        segs.append(("table", new_table(c)))
        return Block(segs)
    if kind == "definition":
        term = title or c.choice(DEFINED_TERMS)
        lead = c.choice([f"{c.q(term)} means, ", f"{c.q(term)}: With respect to the Certificates, "])
        return Block([("para", lead + c.choice(DEFINITION_TAILS))])
    if kind == "risk_factor":
        return Block([("line", title or c.choice(RISK_FACTOR_TITLES)), ("para", new_paragraph(c))])
    if kind == "section":
        return Block([("para", new_paragraph(c)), ("para", new_paragraph(c, 2))])
    if kind == "column":
        col = title or c.choice(COLUMNS)
        values = [c.choice(COLUMN_VALUES[col])[1] for _ in range(4)]
        return Block([("table", [[col], *[[v] for v in values]])])
    if kind == "row":
        cls = c.choice(CLASSES)
        return Block([("table", [[cls, "$22,500,000", "0.85%", "Aa2/AA"]])])
    if kind == "footnote":
        return Block([("para", f"{title or f'({c.rng.randint(1, 9)})'} " + c.choice(SENTENCES))])
    return Block([("para", new_paragraph(c))])


# --- actions -----------------------------------------------------------------------------------


@dataclass
class Spec:
    """One instruction sentence (or a few lines of one) with its answers and the new text after it."""

    header: str | list[str]  # a list: lines laid out one per line (a list of deletions)
    items: list[dict]  # answers in order; the last one takes ``block`` as its new text
    block: Block | None = None


def answer(op: str, target: dict, new_text: str | None = None) -> dict:
    return {"op": op, "target": target, "new_text": new_text}


REPLACE_ACTIONS = [
    ("deleted_replaced", "{S} is hereby deleted in its entirety and replaced with the following:"),
    ("should_be_deleted_replaced", "{S} should be deleted in its entirety and replaced with the following:"),
    ("deleted_replaced_plain", "{S} is deleted and replaced with the following:"),
    ("replaced_with_following", "{S} is hereby replaced in its entirety with the following:"),
    ("replaced_by_following", "{S} is replaced by the following:"),
    ("amended_replaced", "{S} is amended and replaced as follows:"),
    ("amended_restated", "{S} is hereby amended and restated in its entirety to read as follows:"),
    ("amended_restated_superseded", "{S} is amended, restated and superseded in its entirety by the following:"),
    ("revised_to_read", "{S} is revised to read as follows:"),
    ("should_read", "{S} should read as follows:"),
    ("should_read_bare", "{S} should read:"),
    ("shall_be_amended_to_read", "{S} shall be amended to read as follows:"),
    ("amended_to_read_entirety", "{S} is hereby amended to read in its entirety as follows:"),
    ("corrected_to_read", "{S} is corrected to read as follows:"),
    ("deleted_substituted", "{S} is hereby deleted and the following is substituted therefor:"),
    ("following_replaces", "The following {noun} replaces {s}:"),
    ("following_replaces_entirety", "The following {noun} hereby replaces in its entirety {s}:"),
    ("imperative_replace", "Replace {s} with the following:"),
]
INLINE_REPLACE_ACTIONS = [
    ("should_read_inline", "{S} should read {N}"),
    ("revised_to_read_inline", "{S} is revised to read {N}"),
    ("amended_to_read_inline", "{S} is hereby amended to read as follows: {N}"),
    ("replaced_with_inline", "{S} is hereby deleted and replaced with {N}"),
]
SUBSTITUTE_ACTIONS = [
    ("reference_changed_to", "In {s}, the reference to {O} is hereby changed to {N}."),
    ("quoted_replaced_with", "In {s}, {O} is replaced with {N}."),
    ("words_deleted_replaced", "In {s}, the words {O} are deleted and replaced with {N}."),
    ("amended_by_replacing", "{S} is amended by replacing {O} with {N}."),
    ("amended_by_deleting_inserting", "{S} is hereby amended by deleting {O} and inserting {N} in its place."),
    ("amended_by_substituting", "{S} is hereby amended by substituting {N} for {O}."),
    ("changed_from_to", "In {s}, the {what} is changed from {O} to {N}."),
    ("replaced_in_place_after", "{O} is replaced with {N} in {s}."),
    ("reference_revised_to_read", "In {s}, the reference to {O} is revised to read {N}."),
    ("reference_should_be_changed", "In {s}, the reference to {O} should be changed to {N}."),
    ("imperative_strike_insert", "In {s}, strike {O} and insert {N} in lieu thereof."),
    ("imperative_delete_substitute", "In {s}, delete the words {O} and substitute {N}."),
    ("amended_by_deleting_in_lieu", "{S} is amended by deleting the words {O} and inserting in lieu thereof the words {N}."),
    ("amended_by_striking_inserting", "{S} is hereby amended by striking {O} and inserting {N} in lieu thereof."),
]
UNQUOTED_OK = ("reference_changed_to", "changed_from_to", "reference_should_be_changed", "imperative_strike_insert")
GLOBAL_ACTIONS = [
    ("all_references_changed_to", "All references to {O} in the Prospectus Supplement are hereby changed to {N}."),
    ("all_references_replaced", "All references in the Prospectus Supplement to {O} are hereby replaced with {N}."),
    ("each_reference_replaced", "Each reference to {O} in the Prospectus Supplement is replaced by a reference to {N}."),
    ("wherever_it_appears", "{O} is hereby replaced with {N} wherever it appears in the Prospectus Supplement."),
    ("throughout", "Throughout the Prospectus Supplement, all references to {O} are changed to {N}."),
    ("each_place", "The term {O} is replaced with {N} in each place it appears in the Prospectus Supplement."),
    ("all_references_deleted_replaced", "All references to {O} in the Prospectus Supplement should be deleted and "
     "replaced with {N}."),
]
CELL_ACTIONS = [
    ("cell_prose_changed_from", "In the table{T} {P}, the {col} for the {cls} Certificates is changed from {O} to {N}."),
    ("cell_column_titled", "In the column titled {C} for the {cls} Certificates in the table{T} {P}, {O} is replaced "
     "with {N}."),
    ("cell_entry_changed_from", "The entry in the column headed {C} for the {cls} Certificates in the table{T} {P} is "
     "changed from {O} to {N}."),
    ("cell_row_column", "In the row for the {cls} Certificates in the table{T} {P}, the entry {O} in the column {C} is "
     "replaced with {N}."),
]
# one cell anew, its old figure not given
CELL_REPLACE_ACTIONS = [
    ("cell_amended_by_changing_entry", "The table{T} {P} is amended by changing the entry for the {cls} Certificates in "
     "the column headed {C} to {N}."),
    ("cell_entry_should_read", "In the table{T} {P}, the entry in the column headed {C} for the {cls} Certificates "
     "should read {N}."),
    ("cell_entry_changed_to", "The entry for the {cls} Certificates in the column headed {C} in the table{T} {P} is "
     "changed to {N}."),
]
INSERT_ACTIONS = [
    ("inserted_after", "The following {new} is hereby inserted after {s}:", "insert_after"),
    ("inserted_immediately_following", "The following {new} is inserted immediately following {s}:", "insert_after"),
    ("added_after", "The following {new} is added after {s}:", "insert_after"),
    ("imperative_insert_after", "Insert the following {new} immediately after {s}:", "insert_after"),
    ("inserted_before", "The following {new} is hereby inserted immediately before {s}:", "insert_before"),
    ("added_preceding", "The following {new} is added immediately preceding {s}:", "insert_before"),
    ("imperative_insert_before", "Insert the following {new} before {s}:", "insert_before"),
]
INSERT_AT_ACTIONS = [
    ("inserted_as_new_nth", "The following is hereby inserted as the new {ord} {noun} {H}:"),
    ("imperative_insert_as_nth", "Insert the following as the {ord} {noun} {H}:"),
    ("added_as_nth", "The following {noun} is added as the {ord} {noun} {H}:"),
    ("added_as_new_nth", "The following is added as a new {ord} {noun} {H}:"),
]
APPEND_ACTIONS = [
    ("added_at_end", "The following {new} is added at the end of {s}:"),
    ("following_added_at_end", "The following is hereby added at the end of {s}:"),
    ("amended_by_adding_at_end", "{S} is hereby amended by adding the following at the end thereof:"),
    ("amended_to_add_at_end", "{S} is amended to add the following {new} at the end:"),
    ("supplemented_by_adding", "{S} is hereby supplemented by adding the following:"),
    ("imperative_add_at_end", "Add the following {new} at the end of {s}:"),
    ("revised_by_adding_at_end", "{S} is revised by adding the following at the end thereof:"),
]
APPEND_LAST_ACTIONS = [
    ("added_as_new_last", "The following is added as a new last {noun} {H}:"),
    ("inserted_as_last", "The following {noun} is inserted as the last {noun} {H}:"),
]
DELETE_ACTIONS = [
    ("deleted_entirety", "{S} is hereby deleted in its entirety."),
    ("deleted", "{S} is deleted."),
    ("shall_be_deleted", "{S} shall be deleted in its entirety."),
    ("should_be_deleted", "{S} should be deleted."),
    ("removed", "{S} is hereby removed."),
    ("struck", "{S} is hereby struck in its entirety."),
    ("imperative_delete", "Delete {s}."),
    ("imperative_delete_entirety", "Delete {s} in its entirety."),
]
DELETE_WORDS_ACTIONS = [
    ("words_deleted", "The words {W} in {s} are hereby deleted."),
    ("in_x_words_deleted", "In {s}, the words {W} are deleted."),
    ("amended_by_deleting_words", "{S} is amended by deleting the words {W}."),
    ("word_deleted_from_end", "The word {W} is deleted from the end of {s}."),
    ("phrase_struck", "In {s}, the phrase {W} is hereby struck."),
    ("imperative_delete_words", "Delete the words {W} from {s}."),
]

SUBSTITUTE_ELEMENTS = ("paragraph", "sentence", "bullet", "definition", "risk_factor", "table", "section")
REPLACE_ELEMENTS = ("paragraph", "sentence", "bullet", "table", "definition", "risk_factor", "section", "column",
                    "row", "footnote", "sentence_containing", "clause")
INSERT_ELEMENTS = ("paragraph", "sentence", "bullet", "table", "definition", "risk_factor", "row")
APPEND_ELEMENTS = ("paragraph", "section", "risk_factor", "definition", "bullet")
DELETE_ELEMENTS = ("paragraph", "sentence", "bullet", "table", "definition", "risk_factor", "section", "row",
                   "footnote", "column", "sentence_containing")
DELETE_WORDS_ELEMENTS = ("paragraph", "sentence", "bullet", "definition", "risk_factor")


def replace_op(kind: str) -> str:
    return {"column": "replace_column", "row": "replace_rows"}.get(kind, "replace")


def b_replace(c: Ctx, element: str, action: tuple) -> Spec:
    tag, form = action
    c.tag("family", "replace")
    c.tag("action", tag)
    el = ELEMENTS[element](c)
    loc = pick_locator(c, el)
    S, s = subject(c, el, loc, allow_front=form.startswith("{S}"))
    block = new_block(c, el.new_kind if el.kind != "section" else "section",
                      title=el.extra.get("footnote") or el.term)
    header = form.format(S=S, s=s, noun=el.new_noun if el.kind != "section" else "text")
    return Spec(header, [answer(replace_op(el.kind), target_json(el, loc))], block)


def b_replace_inline(c: Ctx, element: str, action: tuple) -> Spec:
    tag, form = action
    c.tag("family", "replace")
    c.tag("action", tag)
    c.tag("newtext", "inline")
    el = ELEMENTS[element](c)
    loc = pick_locator(c, el)
    S, s = subject(c, el, loc)
    new = c.choice(SENTENCES)
    header = form.format(S=S, s=s, N=c.q(new))
    return Spec(header, [answer("replace", target_json(el, loc), new)])


def value_pair(c: Ctx, unquoted: bool) -> tuple[str, str, str, str]:
    """(old, new, old as written, new as written)."""
    old, new = c.choice(VALUES[:UNQUOTABLE] if unquoted else VALUES)
    if unquoted:
        c.tag("values", "unquoted")
        return old, new, old, new
    c.tag("values", "quoted")
    return old, new, c.q(old), c.q(new)


def value_noun(v: str) -> str:
    if v.endswith("%"):
        return "percentage"
    if v.startswith("$"):
        return "amount"
    if v[:1].isupper() and v.split()[0] in ("January", "February", "March", "April", "May", "June", "July"):
        return "date"
    return "wording"


def b_substitute(c: Ctx, element: str, action: tuple) -> Spec:
    tag, form = action
    c.tag("family", "substitute")
    c.tag("action", tag)
    el = ELEMENTS[element](c)
    loc = pick_locator(c, el)
    S, s = subject(c, el, loc, allow_front=False)
    unquoted = tag in UNQUOTED_OK and c.rng.random() < 0.35
    old, new, O, N = value_pair(c, unquoted)
    header = form.format(S=S, s=s, O=O, N=N, what=value_noun(old))
    return Spec(header, [answer("substitute", target_json(el, loc, kind="value", old_text=old), new)])


def b_substitute_global(c: Ctx, action: tuple) -> Spec:
    tag, form = action
    c.tag("family", "substitute_global")
    c.tag("action", tag)
    c.tag("locator", "scope_all")
    unquoted = tag in ("all_references_changed_to", "throughout") and c.rng.random() < 0.35
    old, new, O, N = value_pair(c, unquoted)
    header = form.format(O=O, N=N)
    t = target_json(None, Loc([]), kind="value", old_text=old, term=None, scope="all")
    return Spec(header, [answer("substitute", t, new)])


def b_cell(c: Ctx, action: tuple) -> Spec:
    tag, form = action
    c.tag("family", "cell")
    c.tag("action", tag)
    c.tag("element", "cell")
    c.tag("locator", "column_prose" if "{C}" not in form else "column_for_class")
    col, cls = c.choice(COLUMNS), c.choice(CLASSES)
    title = c.choice(TABLE_TITLES) if c.rng.random() < 0.4 else None
    T = f" entitled {c.q(title)}" if title else ""
    if c.rng.random() < 0.15:
        c.tag("locator_page", "cover")
        P, loc = "on the cover page", Loc([], locus="front cover page")
    else:
        P, p, pages = page_part(c)
        loc = Loc([], page=p)
    old, new = c.choice(COLUMN_VALUES[col])
    c.tag("values", "quoted")
    O, N = c.q(old), c.q(new)
    header = form.format(T=T, P=P, col=col, cls=cls, C=c.q(col), O=O, N=N)
    t = target_json(None, loc, kind="cell", old_text=old, term=title, column=col, row=cls)
    return Spec(header, [answer("substitute", t, new)])


def _cell_place(c: Ctx) -> tuple[str | None, str, str, Loc]:
    """A table's title (or none), its words, and where it is."""
    title = c.choice(TABLE_TITLES) if c.rng.random() < 0.4 else None
    T = f" entitled {c.q(title)}" if title else ""
    if c.rng.random() < 0.15:
        c.tag("locator_page", "cover")
        return title, T, "on the cover page", Loc([], locus="front cover page")
    P, p, _ = page_part(c)
    return title, T, P, Loc([], page=p)


def b_cell_replace(c: Ctx, action: tuple) -> Spec:
    """A cell anew: the row's class and the column's heading named, the new figure given alone."""
    tag, form = action
    c.tag("family", "cell_replace")
    c.tag("action", tag)
    c.tag("element", "cell")
    col, cls = c.choice(COLUMNS), c.choice(CLASSES)
    title, T, P, loc = _cell_place(c)
    _, new = c.choice(COLUMN_VALUES[col])
    unquoted = new[:1] in "$0123456789" and c.rng.random() < 0.5
    c.tag("values", "unquoted" if unquoted else "quoted")
    header = form.format(T=T, P=P, cls=cls, C=c.q(col), N=new if unquoted else c.q(new))
    t = target_json(None, loc, kind="cell", term=title, column=col, row=cls)
    return Spec(header, [answer("replace", t, new)])


def b_cell_rows(c: Ctx) -> Spec:
    """'... by changing the entries in the column headed X for the A Certificates from 1 to 2 and for the B
    Certificates from 3 to 4': one substitution in each row's cell."""
    c.tag("family", "cell_rows")
    c.tag("action", "cell_entries_from_to")
    c.tag("element", "cell")
    col = c.choice(COLUMNS)
    classes = c.rng.sample(CLASSES, 2)
    title, T, P, loc = _cell_place(c)
    pairs = [c.choice(COLUMN_VALUES[col]) for _ in classes]
    unquoted = all(v[:1] in "$0123456789" for pair in pairs for v in pair) and c.rng.random() < 0.5
    c.tag("values", "unquoted" if unquoted else "quoted")
    w = (lambda v: v) if unquoted else c.q
    rows = " and ".join(f"for the {cls} Certificates from {w(o)} to {w(n)}" for cls, (o, n) in zip(classes, pairs))
    header = f"The table{T} {P} is amended by changing the entries in the column headed {c.q(col)} {rows}."
    return Spec(header, [answer("substitute", target_json(None, loc, kind="cell", old_text=o, term=title, column=col,
                                                          row=cls), n) for cls, (o, n) in zip(classes, pairs)])


def b_insert(c: Ctx, element: str, action: tuple) -> Spec:
    tag, form, op = action
    c.tag("family", "insert")
    c.tag("action", tag)
    el = ELEMENTS[element](c)
    loc = pick_locator(c, el)
    s = " ".join([el.phrase, *loc.parts])
    new_kind = el.new_kind if el.kind not in ("table", "definition") else c.choice(["paragraph", el.new_kind])
    noun = {"paragraph": "paragraph", "sentence": "sentence", "bullet": "bullet point", "table": "table",
            "definition": "definition", "risk_factor": "risk factor", "row": "row", "footnote": "footnote"}[new_kind]
    new = noun
    if c.rng.random() < 0.2 and not tag.startswith("imperative"):
        new = ""
        c.tag("new_noun", "none")
    if loc.parts and not tag.startswith("imperative") and c.rng.random() < 0.2:
        # the place first: "On page S-8, the following paragraph is inserted after the second paragraph:"
        c.tag("order", "fronted")
        rest = " ".join([el.phrase, *loc.parts[1:]])
        sentence = form.format(new=new, s=rest)
        header = f"{cap(loc.parts[0])}, {sentence[0].lower()}{sentence[1:]}"
    else:
        c.tag("order", "trailing")
        header = form.format(new=new, s=s)
    t = target_json(el, loc, new_kind=new_kind)
    return Spec(" ".join(header.split()), [answer(op, t)], new_block(c, new_kind))


def b_insert_at(c: Ctx, action: tuple) -> Spec:
    """'as the new third bullet point under the heading X': insert_at the section, counted position."""
    tag, form = action
    c.tag("family", "insert_at")
    c.tag("action", tag)
    noun, slot, new_kind = c.choice([("bullet point", "bullet", "bullet"), ("paragraph", "paragraph", "paragraph"),
                                     ("bullet", "bullet", "bullet")])
    c.tag("element", slot)
    words, n, _ = pick_ordinal(c, direction=False)
    if slot == "bullet" and c.rng.random() < 0.3:
        # inside a named risk factor (its bullet list)
        title = c.choice(RISK_FACTOR_TITLES)
        c.tag("container", "risk_factor")
        pw, p, pages = page_part(c)
        H = f"in the risk factor entitled {c.q(title)} {pw}"
        t = target_json(None, Loc([], page=p, pages=pages), kind="risk_factor", term=title,
                        new_kind=new_kind)
    else:
        c.tag("container", "section")
        hw, h = heading_part(c)
        if c.rng.random() < 0.5:
            pw, p, _ = page_part(c)
            H, loc = f"{hw} {pw}", Loc([], page=p, heading=h)
        else:
            H, loc = hw, Loc([], heading=h)
        t = target_json(None, loc, kind="section", term=None, new_kind=new_kind)
    t["ordinal"] = ordinal_json(**{slot: n})
    header = form.format(ord=words, noun=noun, H=H)
    return Spec(header, [answer("insert_at", t)], new_block(c, new_kind))


def b_append(c: Ctx, element: str, action: tuple) -> Spec:
    tag, form = action
    c.tag("family", "append")
    c.tag("action", tag)
    el = ELEMENTS[element](c)
    loc = pick_locator(c, el)
    S, s = subject(c, el, loc, allow_front=form.startswith("{S}"))
    new_kind = {"paragraph": "sentence", "section": c.choice(["paragraph", "risk_factor"]),
                "risk_factor": "paragraph", "definition": "sentence", "bullet": "sentence"}[el.kind]
    noun = {"sentence": "sentence", "paragraph": "paragraph", "risk_factor": "risk factor"}[new_kind]
    header = form.format(S=S, s=s, new=noun)
    return Spec(header, [answer("append", target_json(el, loc, new_kind=new_kind))], new_block(c, new_kind))


def b_append_last(c: Ctx, action: tuple) -> Spec:
    """'The following is added as a new last bullet point under X': append to the section."""
    tag, form = action
    c.tag("family", "append")
    c.tag("action", tag)
    noun, new_kind = c.choice([("bullet point", "bullet"), ("paragraph", "paragraph"), ("bullet", "bullet")])
    c.tag("element", "section")
    hw, h = heading_part(c)
    if c.rng.random() < 0.5:
        pw, p, _ = page_part(c)
        H, loc = f"{hw} {pw}", Loc([], page=p, heading=h)
    else:
        H, loc = hw, Loc([], heading=h)
    header = form.format(noun=noun, H=H)
    return Spec(header, [answer("append", target_json(None, loc, kind="section", term=None, new_kind=new_kind))],
                new_block(c, new_kind))


ALPHABETICAL_ACTIONS = [
    ("added_in_alphabetical_order", "The following definition is added to the {G} in alphabetical order:"),
    ("inserted_in_proper_order", "The following definition is hereby inserted in the {G} in its proper alphabetical order:"),
    ("imperative_add_alphabetically", "Add the following definition to the {G} in alphabetical order:"),
]


def b_definition_alphabetical(c: Ctx, action: tuple) -> Spec:
    """A new definition added to the glossary where its term sorts."""
    tag, form = action
    c.tag("family", "insert_at")
    c.tag("action", tag)
    c.tag("element", "definition")
    g = c.choice(GLOSSARY_HEADINGS)
    t = target_json(None, Loc([], heading=[g]), kind="definition", term=None, new_kind="definition")
    return Spec(form.format(G=g), [answer("insert_at", t)], new_block(c, "definition"))


TOC_ACTIONS = [
    ("toc_entry_deleted", "The entry {T} in the Table of Contents {P} is deleted."),
    ("toc_reference_deleted", "The reference to {T} in the table of contents {P} is hereby deleted."),
    ("toc_line_amended", "The line for {T} in the Table of Contents {P} is amended to read {N}."),
]


def b_toc(c: Ctx, action: tuple) -> Spec:
    """An entry of the table of contents, named by its title."""
    tag, form = action
    c.tag("family", "toc_entry")
    c.tag("action", tag)
    title = c.choice(HEADINGS)
    P, p, _ = page_part(c)
    new = f"{title}, as amended ........ {p}"
    header = form.format(T=c.q(title), P=P, N=c.q(new))
    t = target_json(None, Loc([], page=p), kind="toc_entry", term=title)
    return Spec(header, [answer("replace", t, new) if "amended" in tag else answer("delete", t, "")])


def b_delete(c: Ctx, element: str, action: tuple) -> Spec:
    tag, form = action
    c.tag("family", "delete")
    c.tag("action", tag)
    el = ELEMENTS[element](c)
    loc = pick_locator(c, el)
    S, s = subject(c, el, loc, allow_front=form.startswith("{S}"))
    return Spec(form.format(S=S, s=s), [answer("delete", target_json(el, loc), "")])


NAMED_DELETE_ACTIONS = [
    ("deleted_entirety", "{S} are hereby deleted in their entirety."),
    ("deleted", "{S} are deleted."),
    ("shall_be_deleted", "{S} shall be deleted in their entirety."),
    ("removed", "{S} are hereby removed."),
    ("imperative_delete", "Delete {s}."),
]


def b_delete_named(c: Ctx, element: str, action: tuple) -> Spec:
    """'The definitions of «A» and «B» ... are deleted': several elements of one kind, each named; one
    deletion each."""
    tag, form = action
    c.tag("family", "delete_named")
    c.tag("action", tag)
    k = c.rng.randint(2, 3)
    if element == "definition":
        names = c.rng.sample(DEFINED_TERMS, k)
        noun = c.choice(["the definitions of", "the definitions of the terms", "the defined terms"])
        el = El("", "definition", locators=("page", "glossary", "glossary_page", "none"))
    else:
        names = c.rng.sample(RISK_FACTOR_TITLES, k)
        noun = "the risk factors " + c.choice(["entitled", "captioned", "titled"])
        el = El("", "risk_factor", locators=("page", "risk_heading", "risk_heading_page", "none"))
    c.tag("element", element)
    quoted = [c.q(n) for n in names]
    listed = (", ".join(quoted[:-1]) + c.choice([",", ""]) + " and " + quoted[-1]) if k > 2 else " and ".join(quoted)
    loc = pick_locator(c, el)
    s = " ".join([f"{noun} {listed}", *loc.parts])
    header = form.format(S=cap(s), s=s)
    return Spec(header, [answer("delete", target_json(el, loc, term=n), "") for n in names])


def b_delete_words(c: Ctx, element: str, action: tuple) -> Spec:
    tag, form = action
    c.tag("family", "delete_words")
    c.tag("action", tag)
    el = ELEMENTS[element](c)
    loc = pick_locator(c, el)
    S, s = subject(c, el, loc, allow_front=False)
    w = c.choice(DELETED_WORDS)
    if tag == "word_deleted_from_end":
        w = c.choice(["and", "or"])
    header = form.format(S=S, s=s, W=c.q(w))
    return Spec(header, [answer("delete", target_json(el, loc, kind="value", old_text=w), "")])


def b_delete_list(c: Ctx, layout: str) -> Spec:
    """'The following are deleted: (a) ...; (b) ...; and (c) ...': one deletion per item."""
    c.tag("family", "delete_list")
    c.tag("action", f"delete_list_{layout}")
    k = c.rng.randint(2, 4)
    items, phrases = [], []
    for _ in range(k):
        sub = Ctx(c.rng, c.quotes)  # the items' own vocabulary tags are not the example's
        el = ELEMENTS[c.choice(("paragraph", "sentence", "bullet", "definition", "risk_factor"))](sub)
        loc = pick_locator(sub, el)
        c.quoted = c.quoted or sub.quoted
        phrases.append(" ".join([el.phrase, *loc.parts]))
        items.append(answer("delete", target_json(el, loc), ""))
    labels = [f"({chr(97 + i)})" for i in range(k)]
    lead = c.choice(["The following are hereby deleted from the Prospectus Supplement in their entirety:",
                     "The following provisions of the Prospectus Supplement are deleted:"])
    parts = [f"{labels[i]} {p}" + (";" if i < k - 2 else "; and" if i == k - 2 else ".") for i, p in enumerate(phrases)]
    if layout == "inline":
        return Spec(lead + " " + " ".join(parts), items)
    return Spec([lead, *parts], items)


def b_multi(c: Ctx, form: str) -> Spec:
    """Several edits in one sentence, split into consecutive instructions."""
    c.tag("family", "multi_edit")
    c.tag("action", form)
    if form in ("word_period_last_bullet", "word_new_nth_bullet"):
        hw, h = heading_part(c)
        pw, p, _ = page_part(c)
        loc = Loc([], page=p, heading=h)
        front = cap(f"{hw} {pw}" if c.rng.random() < 0.5 else f"{pw} {hw}")
        if form == "word_period_last_bullet":
            comma = c.choice(["", ","])
            penultimate = c.choice(["second to last", "next to last", "penultimate"])
            header = (f"{front}, the word {c.q('and')} at the end of the {penultimate} bullet point is deleted, the "
                      f"{c.q('.')} at the end of the last bullet point is replaced with {c.q('; and')}{comma} and the "
                      f"following is added as a new last bullet point:")
            items = [
                answer("delete", target_json(None, loc, kind="value", old_text="and", term=None) | {
                    "ordinal": ordinal_json(bullet=2, from_end=True)}, ""),
                answer("substitute", target_json(None, loc, kind="value", old_text=".", term=None) | {
                    "ordinal": ordinal_json(bullet=1, from_end=True)}, "; and"),
                answer("append", target_json(None, loc, kind="section", term=None, new_kind="bullet")),
            ]
            return Spec(header, items, new_block(c, "bullet"))
        k = c.rng.randint(2, 6)
        header = (f"{front}, the word {c.q('and')} is deleted from the end of the {ORDINAL_WORDS[k - 1]} bullet point "
                  f"and the following is added as a new {ORDINAL_WORDS[k]} bullet point:")
        items = [
            answer("delete", target_json(None, loc, kind="value", old_text="and", term=None) | {
                "ordinal": ordinal_json(bullet=k)}, ""),
            answer("insert_at", target_json(None, loc, kind="section", term=None, new_kind="bullet") | {
                "ordinal": ordinal_json(bullet=k + 1)}),
        ]
        return Spec(header, items, new_block(c, "bullet"))
    if form == "numbered_edits":
        # "... is amended by (1) replacing «A» with «B», (2) ... and (3) deleting the words «E»"
        el = ELEMENTS[c.choice(("paragraph", "sentence", "bullet", "definition"))](c)
        loc = pick_locator(c, el)
        S, _ = subject(c, el, loc, allow_front=False)
        marks = c.choice([("(1)", "(2)", "(3)"), ("(a)", "(b)", "(c)"), ("(i)", "(ii)", "(iii)")])
        (o1, n1), (o2, n2) = c.rng.sample(VALUES, 2)
        w = c.choice(DELETED_WORDS[1:])
        edits = [f"{marks[0]} replacing {c.q(o1)} with {c.q(n1)}", f"{marks[1]} replacing {c.q(o2)} with {c.q(n2)}",
                 f"{marks[2]} deleting the words {c.q(w)}"]
        header = f"{S} is amended by {edits[0]}, {edits[1]}{c.choice([',', ''])} and {edits[2]}."
        return Spec(header, [answer("substitute", target_json(el, loc, kind="value", old_text=o1), n1),
                             answer("substitute", target_json(el, loc, kind="value", old_text=o2), n2),
                             answer("delete", target_json(el, loc, kind="value", old_text=w), "")])
    if form == "words_deleted_everywhere":
        w = c.choice(DELETED_WORDS[1:])
        header = c.choice(["All references to {W} in the Prospectus Supplement are deleted.",
                           "All references to {W} in the Prospectus Supplement are hereby deleted.",
                           "Each reference to {W} in the Prospectus Supplement is deleted."]).format(W=c.q(w))
        t = target_json(None, Loc([]), kind="value", old_text=w, term=None, scope="all")
        return Spec(header, [answer("delete", t, "")])
    if form == "cells_changed_verb_left_out":
        # "..., the Margin for the Class A-1 Certificates is changed from X to Y, the Margin for the Class A-2
        # Certificates from Z to W and ...": the verb said once
        col = c.choice(COLUMNS)
        classes = c.rng.sample(CLASSES, c.rng.randint(2, 3))
        title, T, P, loc = _cell_place(c)
        pairs = [c.choice(COLUMN_VALUES[col]) for _ in classes]
        parts = [f"the {col} for the {cls} Certificates" + (" is changed" if k == 0 else "") + f" from {c.q(o)} to {c.q(n)}"
                 for k, (cls, (o, n)) in enumerate(zip(classes, pairs))]
        listed = ", ".join(parts[:-1]) + c.choice([",", ""]) + " and " + parts[-1] if len(parts) > 2 else " and ".join(parts)
        header = f"In the table{T} {P}, {listed}."
        return Spec(header, [answer("substitute", target_json(None, loc, kind="cell", old_text=o, term=title, column=col,
                                                              row=cls), n) for cls, (o, n) in zip(classes, pairs)])
    if form == "two_substitutions_same_place":
        el = ELEMENTS[c.choice(("paragraph", "sentence", "bullet", "definition"))](c)
        loc = pick_locator(c, el)
        s = " ".join([el.phrase, *loc.parts])
        (o1, n1), (o2, n2) = c.rng.sample(VALUES, 2)
        header = (f"In {s}, {c.q(o1)} is replaced with {c.q(n1)} and {c.q(o2)} is replaced with {c.q(n2)}.")
        return Spec(header, [answer("substitute", target_json(el, loc, kind="value", old_text=o1), n1),
                             answer("substitute", target_json(el, loc, kind="value", old_text=o2), n2)])
    # two substitutions in two places
    sub1, sub2 = Ctx(c.rng, c.quotes), Ctx(c.rng, c.quotes)
    el1 = ELEMENTS[c.choice(("paragraph", "sentence", "bullet"))](sub1)
    loc1 = pick_locator(sub1, el1)
    el2 = ELEMENTS[c.choice(("paragraph", "sentence", "bullet"))](sub2)
    loc2 = pick_locator(sub2, el2)
    c.quoted = True
    (o1, n1), (o2, n2) = c.rng.sample(VALUES, 2)
    s1, s2 = " ".join([el1.phrase, *loc1.parts]), " ".join([el2.phrase, *loc2.parts])
    header = (f"In {s1}, the reference to {c.q(o1)} is changed to {c.q(n1)}, and in {s2}, the reference to "
              f"{c.q(o2)} is changed to {c.q(n2)}.")
    return Spec(header, [answer("substitute", target_json(el1, loc1, kind="value", old_text=o1), n1),
                         answer("substitute", target_json(el2, loc2, kind="value", old_text=o2), n2)])


MULTI_FORMS = ["numbered_edits", "words_deleted_everywhere", "cells_changed_verb_left_out", "word_period_last_bullet", "word_new_nth_bullet", "two_substitutions_same_place",
               "two_substitutions_two_places"]


def b_notice(c: Ctx, action: tuple) -> Spec:
    tag, form = action
    c.tag("family", "notice")
    c.tag("action", tag)
    text = form.format(cls=c.choice(CLASSES), pct=c.choice(["0.85%", "1.25%", "2.10%"]),
                       date=c.choice(["March 30, 2006", "July 25, 2024"]),
                       money=c.choice(["$5,250,000", "$412,000,000", "$18,375,000"]))
    return Spec(text, [{"op": "notice", "target": {}, "new_text": text, "notice": True}])


# --- laying out a sticker ------------------------------------------------------------------------


def wrap_para(text: str, wrap: str, width: int) -> list[str]:
    if wrap == "wrapped":
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    if wrap == "one_word":
        return text.split() or [""]
    return [text]


def table_lines(rows: list[list[str]], cells: bool) -> list[str]:
    if cells:
        return [f"|{cell}" for row in rows for cell in row]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = ["    ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    if len(rows) > 1 and rows[0][0] == "Class":
        out.insert(1, "    ".join("-" * w for w in widths))
    return out


def block_paragraphs(block: Block, c: Ctx, wrap: str, cells: bool, width: int, glyph: str,
                     quotes: bool = True) -> list[list[str]]:
    """The new text as paragraphs of lines, as the sticker prints it."""
    paras: list[list[str]] = []
    segs = list(block.segments)
    for i, (kind, value) in enumerate(segs):
        if kind == "table":
            paras.append(table_lines(value, cells))
            continue
        text = str(value)
        if quotes and block.wrap_quotes and i == 0:
            text = c.qo + text
        if quotes and block.wrap_quotes and i == len(segs) - 1:
            text = text + c.qc
        if kind == "bullet" and glyph != "none":
            if cells:
                paras.append(["|•", f"|{text}"])
            elif glyph == "own_line":
                paras.append(["•", *wrap_para(text, wrap, width)])
            continue
        if cells:
            paras.append([f"|{text}"])
        else:
            paras.append(wrap_para(text, wrap, width))
    return paras


def expected_new_text(block: Block, c: Ctx, wrap: str, cells: bool, width: int) -> str:
    paras = block_paragraphs(block, c, "one_line", cells, width, glyph="none", quotes=False)
    return "\n\n".join("\n".join(p) for p in paras)


def render(spec: Spec, c: Ctx, idx: int) -> tuple[str, dict]:
    """The whole sticker and its answer."""
    rng = c.rng
    wrap, cells_s = LAYOUTS[idx % len(LAYOUTS)]
    cells = cells_s == "yes"
    c.tag("wrap", wrap)
    c.tag("cells", cells_s)
    width = rng.randint(70, 78)
    marker = MARKERS[(idx // len(LAYOUTS)) % len(MARKERS)]
    c.tag("marker", marker)
    cover_tag, cover = rng.choice(COVERS)
    pre_tag, pre = rng.choice(PREAMBLES)
    close_tag, closing = rng.choice(CLOSINGS)
    c.tag("cover", cover_tag)
    c.tag("preamble", pre_tag)
    c.tag("closing", close_tag)
    d1, d0, dp = rng.choice(DATES)
    fill = dict(d1=d1, d0=d0, dp=dp, D1=d1.upper(), D0=d0.upper(), amount=rng.choice(["$457,959,000", "$1,012,500,000"]),
                issuer=rng.choice(ISSUERS), title=rng.choice(TITLES), depositor="Example Depositor Corp.")

    paras: list[list[str]] = []  # paragraphs of lines; joined by a blank line unless no_blank
    cover_para: list[str] = []
    for line in cover:
        if not line:
            if cover_para:
                paras.append(cover_para)
            cover_para = []
        else:
            cover_para.append(line.format(**fill))
    if cover_para:
        paras.append(cover_para)
    if wrap == "one_word":
        paras = [[w for line in p for w in line.split()] for p in paras]
    if pre:
        paras.append(wrap_para(pre, wrap, width))

    header_lines = [spec.header] if isinstance(spec.header, str) else spec.header
    first = True
    for line in header_lines:
        prefix_cell: list[str] = []
        text = line
        if first and marker != "none":
            # the sticker numbers its items: "1.", "(ii)", "(a)", "A.", "(3)", or in words ("Second, ...")
            m = ITEM_NUMBERS[len(text) % len(ITEM_NUMBERS)] if marker == "number" else "•"
            if m.endswith(","):
                m = "2." if cells else m
            if m.endswith(","):
                text = f"{m} {text[0].lower()}{text[1:]}"
            elif cells:
                prefix_cell = [f"|{m}"]
            else:
                text = f"{m} {text}" if marker == "number" else f"•  {text}"
        first = False
        if cells:
            paras.append(prefix_cell + [f"|{text}"])
        else:
            paras.append(wrap_para(text, wrap, width))

    items = [dict(it) for it in spec.items]
    if spec.block is not None:
        block = spec.block
        only_text = all(k == "para" for k, _ in block.segments)
        glyph = rng.choice(["none", "own_line"])
        if any(k == "bullet" for k, _ in block.segments):
            c.tag("bullet_glyph", "cell" if cells else glyph)
        if only_text and rng.random() < 0.25:
            block.wrap_quotes = True
            c.tag("newtext", "wrapped_in_quotes")
        elif only_text and c.quotes == "straight" and rng.random() < 0.15 and items[-1]["op"] != "append":
            # a replacement in straight quotes that itself quotes a defined term in straight quotes
            term = rng.choice(DEFINED_TERMS)
            block.segments = [("para", f'The "{term}" is the date set forth above. ' + str(block.segments[0][1])),
                              *block.segments[1:]]
            block.wrap_quotes = True
            c.tag("newtext", "straight_quotes_nested")
        else:
            c.tag("newtext", "block")
        paras.extend(block_paragraphs(block, c, wrap, cells, width, glyph))
        items[-1]["new_text"] = expected_new_text(block, c, wrap, cells, width)
    else:
        c.tag("newtext", "notice" if items[-1].get("notice") else "none" if not items[-1]["new_text"] else "inline")

    for line in closing:
        paras.append(wrap_para(line.format(**fill), wrap, width))

    sep = "\n" if wrap == "no_blank" else "\n\n"
    text = sep.join("\n".join(p) for p in paras) + "\n"

    c.tag("quotes", c.quotes if c.quoted else "none")
    instructions, notices = [], []
    for n, it in enumerate(items, 1):
        new = it.get("new_text") or ""
        folded = " ".join(new.replace("|", " ").split())
        out = {"n": n, "op": it["op"], "target": it["target"], "new_text": new,
               "new_text_starts": folded[:40], "new_text_ends": folded[-40:]}
        (notices if it.get("notice") else instructions).append(out)
    return text, {"instructions": instructions, "notices": notices}


# --- the examples ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    answer: dict
    tags: tuple[str, ...]


def _plan() -> Iterator[tuple[str, Callable[[Ctx], Spec], int]]:
    """(family key, builder, how many) for every combination generated."""
    for element, action in itertools.product(REPLACE_ELEMENTS, REPLACE_ACTIONS):
        yield f"replace/{element}/{action[0]}", lambda c, e=element, a=action: b_replace(c, e, a), 5
    for element, action in itertools.product(("sentence", "bullet", "paragraph"), INLINE_REPLACE_ACTIONS):
        yield f"replace_inline/{element}/{action[0]}", lambda c, e=element, a=action: b_replace_inline(c, e, a), 8
    for element, action in itertools.product(SUBSTITUTE_ELEMENTS, SUBSTITUTE_ACTIONS):
        yield f"substitute/{element}/{action[0]}", lambda c, e=element, a=action: b_substitute(c, e, a), 6
    for action in GLOBAL_ACTIONS:
        yield f"global/{action[0]}", lambda c, a=action: b_substitute_global(c, a), 24
    for action in CELL_ACTIONS:
        yield f"cell/{action[0]}", lambda c, a=action: b_cell(c, a), 30
    for action in CELL_REPLACE_ACTIONS:
        yield f"cell_replace/{action[0]}", lambda c, a=action: b_cell_replace(c, a), 30
    yield "cell_rows/entries_from_to", b_cell_rows, 40
    for element, action in itertools.product(INSERT_ELEMENTS, INSERT_ACTIONS):
        yield f"insert/{element}/{action[0]}", lambda c, e=element, a=action: b_insert(c, e, a), 8
    for action in INSERT_AT_ACTIONS:
        yield f"insert_at/{action[0]}", lambda c, a=action: b_insert_at(c, a), 30
    for element, action in itertools.product(APPEND_ELEMENTS, APPEND_ACTIONS):
        yield f"append/{element}/{action[0]}", lambda c, e=element, a=action: b_append(c, e, a), 8
    for action in ALPHABETICAL_ACTIONS:
        yield f"alphabetical/{action[0]}", lambda c, a=action: b_definition_alphabetical(c, a), 24
    for action in TOC_ACTIONS:
        yield f"toc/{action[0]}", lambda c, a=action: b_toc(c, a), 24
    for action in APPEND_LAST_ACTIONS:
        yield f"append_last/{action[0]}", lambda c, a=action: b_append_last(c, a), 30
    for element, action in itertools.product(DELETE_ELEMENTS, DELETE_ACTIONS):
        yield f"delete/{element}/{action[0]}", lambda c, e=element, a=action: b_delete(c, e, a), 6
    for element, action in itertools.product(DELETE_WORDS_ELEMENTS, DELETE_WORDS_ACTIONS):
        yield f"delete_words/{element}/{action[0]}", lambda c, e=element, a=action: b_delete_words(c, e, a), 8
    for element, action in itertools.product(("definition", "risk_factor"), NAMED_DELETE_ACTIONS):
        yield f"delete_named/{element}/{action[0]}", lambda c, e=element, a=action: b_delete_named(c, e, a), 6
    for layout in ("inline", "lines"):
        yield f"delete_list/{layout}", lambda c, l=layout: b_delete_list(c, l), 60
    for form in MULTI_FORMS:
        yield f"multi/{form}", lambda c, f=form: b_multi(c, f), 60
    for action in NOTICE_STATEMENTS:
        yield f"notice/{action[0]}", lambda c, a=action: b_notice(c, a), 24


QUOTE_ORDER = list(QUOTES)


def examples(seed: int = 11) -> list[Example]:
    """Every generated example, in a fixed order; the same seed gives the same texts."""
    out: list[Example] = []
    for key, build, count in _plan():
        for i in range(count):
            rng = random.Random(f"{seed}/{key}/{i}")
            c = Ctx(rng, QUOTE_ORDER[i % len(QUOTE_ORDER)])
            spec = build(c)
            text, ans = render(spec, c, i // len(QUOTE_ORDER) + rng.randrange(len(LAYOUTS) * len(MARKERS)))
            tags = tuple(f"{k}={v}" for k, v in sorted(c.tags.items()))
            eid = hashlib.sha1(text.encode()).hexdigest()[:10]
            out.append(Example(eid, text, ans, tags))
    return out


# --- scoring and the report ------------------------------------------------------------------


def check(ex: Example) -> tuple[bool, list[str]]:
    """Whether the parser reads the example exactly as its answer; the mismatches when not."""
    from tracker.instructions import parse_amendment
    from tracker.scoring import score_parse

    try:
        got = parse_amendment(ex.text).to_json()
    except Exception as e:  # a crash is a failure of the example, reported like a mismatch
        return False, [f"parser raised {type(e).__name__}: {e}"]
    s = score_parse(got, ex.answer)
    ok = s.matched == s.expected and s.extra == 0
    return ok, list(s.mismatches)


@dataclass
class Results:
    total: int
    passed: int
    per_tag: dict[str, list[int]]  # tag -> [passed, total]
    failures: dict[str, list[tuple[Example, list[str]]]]  # tag -> failing examples

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


def run(exs: list[Example] | None = None) -> Results:
    exs = examples() if exs is None else exs
    per_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures: dict[str, list] = defaultdict(list)
    passed = 0
    for ex in exs:
        ok, why = check(ex)
        passed += ok
        for t in ex.tags:
            per_tag[t][1] += 1
            per_tag[t][0] += ok
            if not ok:
                failures[t].append((ex, why))
    return Results(len(exs), passed, dict(per_tag), dict(failures))


def tag_table(res: Results, min_count: int = 1, key: str | None = None) -> str:
    """The pass rate per tag, worst first; ``key`` keeps the tags of one vocabulary ('action')."""
    rows = sorted(((p / n, n, t, p) for t, (p, n) in res.per_tag.items()
                   if n >= min_count and (key is None or t.split("=")[0] == key)), key=lambda r: (r[0], -r[1], r[2]))
    lines = [f"{'tag':48} {'pass':>6} {'of':>6} {'rate':>7}"]
    for rate, n, t, p in rows:
        lines.append(f"{t:48} {p:6d} {n:6d} {rate:7.1%}")
    lines.append(f"{'OVERALL':48} {res.passed:6d} {res.total:6d} {res.rate:7.1%}")
    return "\n".join(lines)


def failure_samples(res: Results, per_tag: int = 2, tags: list[str] | None = None, show_text: bool = False,
                    max_tags: int | None = None) -> str:
    """Failing examples with their mismatches, for the given tags or the worst ``max_tags`` tags."""
    out = []
    keys = tags or sorted(res.failures, key=lambda t: res.per_tag[t][0] / res.per_tag[t][1])[:max_tags]
    for t in keys:
        for ex, why in res.failures.get(t, [])[:per_tag]:
            out.append(f"[{t}] {ex.id}: " + " | ".join(why)[:400])
            if show_text:
                out.append(textwrap.indent(ex.text.rstrip(), "    "))
    return "\n".join(out)


# tag keys whose values are vocabulary items (the rest describe the sticker around the instruction)
VOCABULARY_KEYS = ("family", "action", "element", "noun", "ordinal", "direction", "ordinal2", "locator", "locator_page",
                   "locator_heading", "heading_sep", "of_ps", "order", "term", "values", "container", "new_noun",
                   "quotes", "wrap", "cells", "marker", "bullet_glyph", "newtext", "cover", "preamble", "closing")


def pick_must_parse(res_exs: list[Example] | None = None, per_tag: int = 2) -> dict[str, list[str]]:
    """For each vocabulary tag, the ids of up to ``per_tag`` examples the parser reads exactly today.

    Examples are taken in generation order, preferring ones whose other tags are not yet chosen, so
    the picks spread over the other vocabularies.
    """
    exs = examples() if res_exs is None else res_exs
    passing = [e for e in exs if check(e)[0]]
    chosen: dict[str, list[str]] = {}
    seen: set[str] = set()
    tags = sorted({t for e in passing for t in e.tags if t.split("=")[0] in VOCABULARY_KEYS})
    for t in tags:
        cands = [e for e in passing if t in e.tags]
        cands.sort(key=lambda e: sum(x in seen for x in e.tags))
        picks = cands[:per_tag]
        chosen[t] = [e.id for e in picks]
        for e in picks:
            seen.update(e.tags)
    return chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.grammar_gen", description=__doc__.split("\n\n")[0])
    ap.add_argument("--report", action="store_true", help="pass rate per tag, worst first")
    ap.add_argument("--min-count", type=int, default=1, help="hide tags with fewer examples")
    ap.add_argument("--key", help="with --report: only the tags of one vocabulary (action, element, locator, ...)")
    ap.add_argument("--failures", metavar="TAG", help="failing examples with this tag (e.g. action=should_read)")
    ap.add_argument("--limit", type=int, default=5)
    ap.add_argument("--show", metavar="ID", help="one example: its text, answer and parse")
    ap.add_argument("--count", action="store_true", help="number of examples and of tags")
    ap.add_argument("--json", action="store_true", help="with --report: the table as JSON")
    ap.add_argument("--must-parse", action="store_true",
                    help="print MUST_PARSE for tests/test_grammar_generated.py: passing example ids per tag")
    args = ap.parse_args(argv)
    exs = examples()
    if args.count:
        tags = {t for e in exs for t in e.tags}
        print(f"{len(exs)} examples, {len(tags)} tags")
        return 0
    if args.show:
        from tracker.instructions import parse_amendment

        ex = next((e for e in exs if e.id.startswith(args.show)), None)
        if ex is None:
            print(f"no example {args.show}", file=sys.stderr)
            return 1
        ok, why = check(ex)
        print(ex.text)
        print("tags:", " ".join(ex.tags))
        print("answer:", json.dumps(ex.answer, indent=1, ensure_ascii=False))
        print("parse:", json.dumps(parse_amendment(ex.text).to_json(), indent=1, ensure_ascii=False))
        print("PASS" if ok else "FAIL: " + "\n  ".join(why))
        return 0
    if args.must_parse:
        picks = pick_must_parse(exs)
        print("MUST_PARSE = {")
        for t, ids in picks.items():
            print(f"    {t!r}: {ids!r},")
        print("}")
        return 0
    if args.failures:
        sel = [e for e in exs if args.failures in e.tags]
        res = run(sel)
        print(f"{args.failures}: {res.passed}/{res.total} pass")
        print(failure_samples(res, per_tag=args.limit, tags=[args.failures], show_text=True))
        return 0
    res = run(exs)
    if args.json:
        print(json.dumps({t: {"pass": p, "of": n} for t, (p, n) in sorted(res.per_tag.items())}, indent=1))
        return 0
    print(tag_table(res, args.min_count, args.key))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
