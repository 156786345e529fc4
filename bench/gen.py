"""Realistic inputs for the benchmark: prospectus-supplement-like texts and chains of stickers.

Everything is deterministic (seeded), so two runs measure the same bytes. A document is a cover,
then pages (``<PAGE>`` breaks, printed ``S-n`` labels), with a SUMMARY, RISK FACTORS, DESCRIPTION
OF THE CERTIFICATES, THE MORTGAGE POOL and a GLOSSARY: headings, paragraphs with the abbreviations
of the era, bullet lists, tables with a title and a rule, risk factor titles and definitions. Every
heading, table title and defined term is unique, so each sticker instruction names one place.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import textwrap
from pathlib import Path
from dataclasses import dataclass, field

SERIES_PREFIX = "2005-BM"
SUPPLEMENT_DATE = dt.date(2005, 3, 1)

_SUBJECTS = [
    "The servicer", "The trustee", "The depositor", "The master servicer", "Each originator",
    "The securities administrator", "The NIMS insurer", "Wells Fargo Bank, N.A.",
    "The seller", "The custodian",
]
_VERBS = [
    "will be required to advance", "may withdraw from the collection account",
    "is entitled to retain", "will remit to the distribution account",
    "will be obligated to deposit", "will not be required to reimburse",
]
_OBJECTS = [
    "delinquent payments of principal and interest on the mortgage loans",
    "the servicing fee for the related Due Period",
    "any prepayment charges collected on the mortgage loans",
    "amounts received under the interest rate swap agreement",
    "all Net Monthly Excess Cashflow remaining after distributions to the Class M certificates",
    "the aggregate of all payments of principal received by the related Determination Date",
    "insurance proceeds and liquidation proceeds, net of expenses",
]
_TAILS = [
    "subject to the limitations described under \"Description of the Certificates--Advances\" "
    "in this prospectus supplement",
    "to the extent that it determines those amounts will be recoverable",
    "on or before the 18th day of each month (or, if that day is not a business day, the next "
    "business day)",
    "as described in the pooling and servicing agreement dated as of February 1, 2005",
    "in the amount of approximately 5.96% of the aggregate principal balance as of the cut-off date",
    "in accordance with the customary practices of U.S. mortgage lenders",
    "until the certificate principal balance of that class has been reduced to zero",
]
_EXTRA = [
    "See \"Risk Factors\" in this prospectus supplement and \"The Trust Fund\" in the prospectus.",
    "No assurance can be given as to the rate of principal payments on the mortgage loans.",
    "Any such amounts will be paid to Citigroup Global Markets Inc. as underwriter.",
    "The ratings on the offered certificates do not address the likelihood of these payments.",
    "For the purposes of this paragraph, a business day is any day other than a Saturday or Sunday.",
]
_TOPICS = [
    "Advances", "Servicing Compensation", "Optional Termination", "Distributions of Interest",
    "Distributions of Principal", "Allocation of Losses", "Overcollateralization Provisions",
    "Prepayment Interest Shortfalls", "Collection Account", "Reports to Certificateholders",
    "Events of Default", "Amendment", "Termination", "Book-Entry Registration", "Net WAC Rate",
]
_GROUPS = [
    "Loan Group", "Pool", "Sub-Pool", "Subgroup", "Collateral Group", "Transaction Tranche",
]
_RISK_TITLES = [
    "THE YIELD ON YOUR CERTIFICATES WILL BE AFFECTED BY PREPAYMENTS ON POOL {n} MORTGAGE LOANS",
    "DELINQUENCIES IN COLLATERAL GROUP {n} MAY REDUCE DISTRIBUTIONS ON YOUR CERTIFICATES",
    "THE INTEREST RATE CAP FOR TRANCHE {n} MAY NOT BE SUFFICIENT TO COVER BASIS RISK",
]
_COLUMNS = ("Class", "Moody's", "S&P", "Fitch", "Balance")
_CLASSES = ["A-1", "A-2", "A-3", "M-1", "M-2", "M-3", "M-4", "B-1", "B-2"]
_RATINGS = ["Aaa/AAA", "Aa2/AA", "A2/A", "Baa1/BBB+", "Baa3/BBB-"]


def _name(n: int) -> str:
    """A unique Title Case heading for section ``n``."""
    topic = _TOPICS[n % len(_TOPICS)]
    group = _GROUPS[(n // len(_TOPICS)) % len(_GROUPS)]
    return f"{topic} for {group} {_roman(n + 1)}"


def _roman(n: int) -> str:
    out = []
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _term(n: int) -> str:
    words = ["Determination", "Prepayment", "Accrual", "Remittance", "Cut-off", "Stepdown",
             "Trigger", "Carryover", "Realized Loss", "Excess Spread", "Swap Payment"]
    return f"{words[n % len(words)]} Amount {_roman(n + 1)}"


def _template_sentence(r: random.Random) -> str:
    s = f"{r.choice(_SUBJECTS)} {r.choice(_VERBS)} {r.choice(_OBJECTS)}, {r.choice(_TAILS)}."
    if r.random() < 0.3:
        s += " " + r.choice(_EXTRA)
    return s


# Prose with the vocabulary and rhythm of a real prospectus supplement: an order-2 Markov chain
# over the words of the bundled one, so that the text compresses like the real thing (about 4:1)
# rather than like a handful of templates repeated.
_CORPUS = Path(__file__).resolve().parents[1] / "corpus"
_AVOID = re.compile(r"(?i:replaced|deleted|amend|supplement|following|<|>|:|\bpage\b|\bS-\d)|[A-Z]{2,}\W+[A-Z]{2,}\W+[A-Z]{2,}")
_chain: dict[tuple[str, str], list[str]] | None = None
_starts: list[tuple[str, str]] = []


def _markov() -> dict[tuple[str, str], list[str]]:
    global _chain
    if _chain is None:
        _chain = {}
        for f in sorted(_CORPUS.glob("*prospectus-supplement*.txt")):
            words = f.read_text(encoding="utf-8", errors="replace").split()
            for a, b, c in zip(words, words[1:], words[2:]):
                _chain.setdefault((a, b), []).append(c)
                if a.endswith(".") and b[:1].isupper() and b.isalpha():
                    _starts.append((b, c))
    return _chain


def _sentence(r: random.Random) -> str:
    chain = _markov()
    if not chain or r.random() < 0.25:
        return _template_sentence(r)
    for _ in range(20):
        a, b = r.choice(_starts)
        out = [a, b]
        while len(out) < 70:
            nxt = chain.get((a, b))
            if not nxt:
                break
            c = r.choice(nxt)
            out.append(c)
            a, b = b, c
            if c.endswith(".") and len(out) >= 12 and not c[:-1].isupper():
                s = " ".join(out)
                if not _AVOID.search(s) and s.count('"') % 2 == 0 and s.count("(") == s.count(")"):
                    return s
                break
    return _template_sentence(r)


def _paragraph(r: random.Random, sentences: int | None = None, keep: list | None = None) -> str:
    k = sentences or r.randint(2, 5)
    parts = [_sentence(r) for _ in range(k)]
    if keep is not None:
        # The paragraph a sticker names opens with a sentence unlike its others, so that "the
        # first sentence" has one answer whatever the replacement's wording.
        parts[0] = _template_sentence(r)
        keep.extend(parts)
    return textwrap.fill(" ".join(parts), 80)


def _bullets(r: random.Random) -> str:
    lead = textwrap.fill(f"{r.choice(_SUBJECTS)} will distribute {r.choice(_OBJECTS)} in the following "
                         "order of priority:", 80)
    items = []
    for word in ("first", "second", "third"):
        body = textwrap.fill(f"{word}, to the Class {r.choice(_CLASSES)} certificates, {r.choice(_OBJECTS)};",
                             76, subsequent_indent="    ")
        items.append("o   " + body)
    return lead + "\n\n" + "\n\n".join(items)


def _table(r: random.Random, title: str, rows: int = 6, bump: int = 0) -> str:
    head = "    " + "".join(f"{c:<16}" for c in _COLUMNS).rstrip()
    rule = "    " + "".join(f"{'-' * (len(c) + 2):<16}" for c in _COLUMNS).rstrip()
    body = []
    for i in range(rows):
        cls = _CLASSES[(i + bump) % len(_CLASSES)]
        m, s = r.choice(_RATINGS).split("/")
        bal = f"${r.randint(5, 400) * 1000 + bump:,}"
        body.append("    " + "".join(f"{v:<16}" for v in (f"Class {cls}", m, s, s, bal)).rstrip())
    return "\n".join([" " * 24 + title, "", head, rule, *body])


@dataclass
class Place:
    """One thing a sticker can name: a heading's first paragraph, a table, or a definition."""

    kind: str  # "paragraph" | "sentence" | "table" | "definition"
    page: str  # printed label of the page it is on
    name: str  # heading, table title or defined term
    old: list[str] = field(default_factory=list)  # the sentences of the paragraph named


@dataclass
class Document:
    text: str
    places: list[Place] = field(default_factory=list)


def document(size: int, seed: int = 1, series: str | None = None) -> Document:
    """A prospectus supplement of about ``size`` characters."""
    r = random.Random(seed)
    series = series or f"{SERIES_PREFIX}{seed}"
    cover = f"""PROSPECTUS SUPPLEMENT dated {SUPPLEMENT_DATE:%B} {SUPPLEMENT_DATE.day}, {SUPPLEMENT_DATE.year}
(To Prospectus dated January 20, 2005)

$1,250,000,000 (APPROXIMATE)

BENCHMARK MORTGAGE LOAN TRUST INC.
ASSET BACKED PASS-THROUGH CERTIFICATES, SERIES {series}

BENCHMARK MORTGAGE LOAN TRUST INC.
DEPOSITOR

WELLS FARGO BANK, N.A.
SERVICER
"""
    parts = [cover]
    places: list[Place] = []
    page_no = 1
    page: list[str] = []
    used = 0
    section_no = table_no = term_no = risk_no = 0

    def flush_page() -> None:
        nonlocal page_no, used, page
        parts.append("\n<PAGE>\n\n" + "\n\n".join(page) + f"\n\n{' ' * 37}S-{page_no}\n")
        used += sum(len(p) + 2 for p in page) + 50
        page_no += 1
        page = []

    def label() -> str:
        return f"S-{page_no}"

    # The share of the text each major section takes.
    plan = [("SUMMARY OF TERMS", 0.15), ("RISK FACTORS", 0.15), ("DESCRIPTION OF THE CERTIFICATES", 0.35),
            ("THE MORTGAGE POOL", 0.2), ("GLOSSARY OF TERMS", 0.15)]
    budget_done = 0.0
    for title, share in plan:
        budget_done += share
        if page:
            flush_page()
        page.append(title)
        while used < size * budget_done:
            page_len = sum(len(p) for p in page)
            if page_len > 3000:
                flush_page()
                continue
            if title == "RISK FACTORS":
                page.append(_RISK_TITLES[risk_no % len(_RISK_TITLES)].format(n=_roman(risk_no + 1)))
                page.append(_paragraph(r))
                page.append(_paragraph(r))
                risk_no += 1
            elif title == "GLOSSARY OF TERMS":
                term = _term(term_no)
                body = textwrap.fill(f"\"{term}\": With respect to any distribution date, "
                                     + " ".join(_sentence(r) for _ in range(2)), 80)
                page.append(body)
                places.append(Place("definition", label(), term))
                term_no += 1
            elif title == "THE MORTGAGE POOL" and section_no % 3 == 0:
                name = f"Mortgage Rates of the {_name(section_no)} Mortgage Loans"
                page.append(_table(r, name))
                places.append(Place("table", label(), name))
                page.append(_paragraph(r))
                section_no += 1
                table_no += 1
            else:
                name = _name(section_no)
                page.append(name)
                first: list[str] = []
                page.append(_paragraph(r, 4, first))
                if section_no % 4 == 1:
                    page.append(_bullets(r))
                else:
                    page.append(_paragraph(r))
                places.append(Place("sentence" if section_no % 2 else "paragraph", label(), name, first))
                section_no += 1
    if page:
        flush_page()
    return Document("".join(parts), places)


# --- stickers --------------------------------------------------------------------------------


def _replacement(r: random.Random, place: Place, k: int) -> str:
    if place.kind == "table":
        return _table(r, place.name, rows=7, bump=k + 1)
    if place.kind == "definition":
        return textwrap.fill(f"\"{place.name}\": With respect to any distribution date (as amended "
                             f"by supplement {k}), " + _sentence(r), 80)
    # A revision, as in real stickers: mostly the old words, some of them changed.
    if place.kind == "sentence":
        old = place.old[0]
        if ", " in old:
            return textwrap.fill(old.replace(", ", f" (as amended by supplement {k}), ", 1), 80)
        return textwrap.fill(old[:-1] + f" (as amended by supplement {k}).", 80)
    new = list(place.old)
    new[1] = _sentence(r)
    new.append(f"The servicer will report these amounts to the trustee within {k + 2} business days.")
    return textwrap.fill(" ".join(new), 80)


def _instruction(place: Place) -> str:
    if place.kind == "paragraph":
        return (f"The first paragraph on page {place.page} under the heading \"{place.name}\" should be "
                "deleted in its entirety and replaced with the following:")
    if place.kind == "sentence":
        return (f"The first sentence of the first paragraph under the heading \"{place.name}\" on page "
                f"{place.page} is replaced with the following:")
    if place.kind == "table":
        return (f"The table entitled \"{place.name}\" on page {place.page} is deleted in its entirety and "
                "replaced with the following:")
    return (f"The definition of \"{place.name}\" on page {place.page} shall be deleted in its entirety "
            "and replaced with the following:")


def sticker_date(k: int) -> dt.date:
    """The date of the ``k``-th sticker (1-based): one a week after the supplement."""
    return SUPPLEMENT_DATE + dt.timedelta(days=7 * k)


def stickers(doc: Document, count: int, per: int = 2, seed: int = 7, series: str | None = None) -> list[str]:
    """``count`` stickers, each with ``per`` instructions of mixed kinds on distinct places."""
    r = random.Random(seed)
    series = series or f"{SERIES_PREFIX}1"
    by_kind: dict[str, list[Place]] = {}
    for p in doc.places:
        by_kind.setdefault(p.kind, []).append(p)
    for v in by_kind.values():
        r.shuffle(v)
    order = ["paragraph", "sentence", "table", "definition"]
    out = []
    n = 0
    for k in range(1, count + 1):
        body = []
        for _ in range(per):
            kind = order[n % len(order)]
            n += 1
            place = by_kind[kind].pop()
            body.append(_instruction(place) + "\n\n" + _replacement(r, place, k))
        d = sticker_date(k)
        out.append(
            f"Supplement dated {d:%B} {d.day}, {d.year} to Prospectus Supplement dated "
            f"{SUPPLEMENT_DATE:%B} {SUPPLEMENT_DATE.day}, {SUPPLEMENT_DATE.year}\n"
            "(To Prospectus dated January 20, 2005)\n\n"
            "BENCHMARK MORTGAGE LOAN TRUST INC.\n"
            f"ASSET BACKED PASS-THROUGH CERTIFICATES, SERIES {series}\n\n"
            + "\n\n".join(body)
            + f"\n\nThe date of this supplement is {d:%B} {d.day}, {d.year}.\n"
        )
    return out


def sgml(accession: str, filed: dt.date, form: str, text: str, company: str = "BENCHMARK MORTGAGE LOAN TRUST INC") -> bytes:
    """An EDGAR full-submission file around ``text``."""
    f = filed.strftime("%Y%m%d")
    return f"""<SEC-DOCUMENT>{accession}.txt : {f}
<SEC-HEADER>{accession}.hdr.sgml : {f}
ACCESSION NUMBER:\t\t{accession}
CONFORMED SUBMISSION TYPE:\t{form}
PUBLIC DOCUMENT COUNT:\t\t1
FILED AS OF DATE:\t\t{f}

FILER:
\tCOMPANY DATA:
\t\tCOMPANY CONFORMED NAME:\t\t\t{company}
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


def accession(n: int) -> str:
    return f"0000999999-05-{n:06d}"


# --- HTML --------------------------------------------------------------------------------------

_HTML_PAGE_TOP = (
    '<p style="margin-top:1em; page-break-before:always"> </p>\n'
    '<hr size="3" width="100%">\n'
    '<h5 align="left" style="font-weight:bold"><a href="#toc">Table of Contents</a></h5>\n'
)
_HTML_BULLET = (
    '<table style="border-collapse:collapse" width="100%"><tr style="page-break-inside:avoid">'
    '<td width="5%">&nbsp;</td><td width="3%" valign="top"><p>&#149;</p></td><td width="1%">&nbsp;</td>'
    '<td valign="top"><p align="justify">{}</p></td></tr></table>\n'
)


def _html_table(r: random.Random) -> str:
    head = "".join(f'<td colspan="2" align="center"><b>{c}</b></td>' for c in ("Original Balance", "Rate"))
    rows = "".join(
        f"<tr><td>Class {c}</td><td>$</td><td align=right>{r.randint(5, 400) * 1_000_000:,}</td>"
        f"<td align=right>{r.randint(100, 900) / 100:.2f}</td><td>%</td></tr>"
        for c in _CLASSES[:6]
    )
    return f'<table width="100%"><tr><td><b>Class</b></td>{head}</tr>{rows}</table>\n'


def html_document(size: int, seed: int = 1) -> str:
    """A printer-style HTML prospectus of about ``size`` bytes: pages broken by a style, a
    back-link and a centred folio on each, bold headings, bullets as one-row tables, data tables."""
    r = random.Random(seed)
    parts = ['<html><head><title>424B5</title></head><body style="line-height:Normal">\n']
    total, page = 0, 0
    while total < size:
        page += 1
        chunk = [_HTML_PAGE_TOP, f'<p align="center"><b>Section {_roman(page)}</b></p>\n']
        for k in range(4):
            chunk.append(f'<p style="margin-top:12pt"><b>{_term(page * 10 + k)}</b></p>\n')
            chunk.append(f'<p style="text-indent:4%" align="justify">{html_escape(_paragraph(r))}</p>\n')
            chunk.append(_HTML_BULLET.format(html_escape(_sentence(r))))
        chunk.append(_html_table(r))
        chunk.append(f'<p align="center">S-{page}</p>\n')
        text = "".join(chunk)
        parts.append(text)
        total += len(text)
    parts.append("</body></html>\n")
    return "".join(parts)


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def table_bomb(size: int) -> str:
    """``size`` bytes of tables left open in each other's cells: the input a quadratic reader chokes on."""
    unit = "<table><tr><td><p>x</p>"
    return "<html><body>" + unit * (size // len(unit))
