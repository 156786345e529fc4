"""The locator grammar: where an instruction acts, read from a clause in any order.

What belongs here: reading the parts of a locator (element noun, ordinal, page or pages, heading path
with any separator, defined term or title, annex, cover page, table rows) into a ``Locator``, and the
target it makes. The parts are found wherever they stand in the clause, so parts combined in a new
order read the same."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..models import Ordinal
from ..text import split_heading_path
from .fold import _CLOSE, _OPEN
from .vocabulary import (
    _FIGURE,
    _LOCUS_RE,
    _NOUN,
    _NOUN_KIND,
    _NOUN_RE,
    _ORD,
    _ORD_RE,
    _ORD_WORD,
    _PREPOSITIONS,
    _Q,
    _ordinal,
    _pages,
)

# --- the locator grammar ---------------------------------------------------------------------


@dataclass
class _Locator:
    kind: str | None = None  # the head noun's kind; None when the subject names no element
    page: str | None = None
    pages: tuple[str, ...] = ()
    heading: tuple[str, ...] = ()
    ordinal: Ordinal | None = None
    term: str | None = None
    locus: str | None = None
    rows: tuple[str, ...] = ()
    title_term: str | None = None  # a Title Case head noun phrase ("the Interest Rate Formula")
    table_named: bool = False
    refers_back: bool = False  # "under that heading"
    refers_to_paragraph: bool = False  # "the third sentence of that paragraph": the paragraph the clause before named
    refers_to_table: bool = False  # "the row for Class X-B in that table": the table the clause before named
    term_quote_spans: list[tuple[int, int]] = field(default_factory=list)
    footnote: str | None = None  # "footnote (2) to the table": its mark
    clause: str | None = None  # "clause (ii) of the definition of «X»": its mark
    contains: str | None = None  # "the sentence containing the words «X»": words it holds
    beginning: str | None = None  # "the sentence beginning «X»": its first words
    table_title: str | None = None  # "the table entitled «X»"
    column: str | None = None  # "the column headed «X»", or "the Price to Public" for a class in a table
    row: str | None = None  # "for the Class B-1 Certificates", "the row for ..."

    @property
    def cell(self) -> bool:
        """A row named in a table, with its column or not: words in one cell."""
        return bool(self.row and self.table_named and self.kind not in ("column", "row", "table"))


_TERM_AFTER = re.compile(
    rf"\b(?P<what>definitions? of(?: the terms?)?|defined terms?|(?:risk factor|table|chart|column|row|"
    rf"column heading|bullet point|paragraph)s? (?:entitled|titled|captioned|headed|named|called)|"
    rf"risk factors?|tables?|columns?|"
    rf"(?:tables?|charts?) (?:(?:appearing|set forth|shown|presented|located|that appears|which appears) )?"
    rf"(?:under|below|beneath) the (?:caption|title)(?: (?:entitled|titled))?)\s+{_Q}",
    re.I,
)
_HEADING_BEFORE = re.compile(
    r"(?:\b(?:under|in|within|of|beneath|below)\s+(?:the\s+)?(?:(?:heading|caption|section|subsection|sub-heading|"
    r"subheading|headings|captions|part)s?\s*)?(?:(?:entitled|titled|captioned|headed|called)\s+)?"
    r"|(?<!column )\b(?:heading|caption|section|subsection|subheading)s?\s+"
    r"(?:(?:of|in) the (?:\w+ )?(?:prospectus supplement|prospectus|supplement)\s+)?(?:entitled|titled|captioned|headed|called)\s+"
    r"|\b(?:under|in|within|beneath|below)\s+the\s+(?:[\w'’-]+\s+){1,3}(?:heading|caption|section|subsection|sub-heading|"
    r"subheading)s?\s*(?:(?:entitled|titled|captioned|headed|called)\s+)?"
    r"|(?<!column )\b(?:section|subsection)\s+)$",  # "the section «X»": a section by its heading
    re.I,
)
# A heading named as the place another stands in: "under the heading", "in the section" (not a sub-heading).
_ENCLOSING = re.compile(r"(?:under|in|within|of|beneath|below)\s+(?!(?:the\s+)?sub)", re.I)
_UNQUOTED_DEFINITION = re.compile(
    r"\bdefinition of (?:the term )?(?P<t>[A-Z][\w'’()-]*(?: (?:[A-Z0-9][\w'’()-]*|of|and|the|in|for|to|on))*)"
)
_ANNEX = re.compile(
    r"(?:\b(?:of|in) the |^(?:[Tt]he )?)(?P<part>[A-Z][\w'’()-]*(?: (?:[A-Z0-9][\w'’()-]*|of|and|the|in|for))*?)"
    r"(?: for [\w ,-]*?)? (?:in|of) "
    r"(?P<annex>(?:Annex|Appendix|Schedule|Exhibit) [A-Z0-9]+(?:-[A-Z0-9]+)?)\b"
)
_ANNEX_ONLY = re.compile(r"\b(?:in|of|to) (?P<annex>(?:Annex|Appendix|Schedule|Exhibit) [A-Z0-9]+(?:-[A-Z0-9]+)?)\b")
_ORD_NOUN = re.compile(
    rf"\b{_ORD}(?: (?:full|complete|entire|numbered|indented))? (?P<n>sentences?|paragraphs?|bullet points?|bullets?|bulleted items?)\b",
    re.I,
)
# "the second and third paragraphs", "the first, second and fourth bullet points"
_ORDINAL_LIST = re.compile(
    rf"\b(?P<list>{_ORD}(?:, {_ORD})*,? and {_ORD}) (?P<n>sentences|paragraphs|bullet points|bullets|bulleted items)\b".replace(
        "(?P<back>", "(?:").replace("(?P<fwd>", "(?:"), re.I)


# "the last sentence of the second paragraph ... and the first sentence of the third paragraph ...": two elements
_TWO_ELEMENTS = re.compile(rf"^(?P<a>the .+?) and (?P<b>the (?:{_ORD} )?(?:full )?{_NOUN}.*)$", re.I)


# "the definitions of «A» and «B»", "the risk factors entitled «A», «B» and «C»": several elements of one
# kind, each named; a plural noun says there are several
_NAMED_LIST = re.compile(
    rf"\b(?P<noun>definitions|defined terms|risk factors|sections|subsections|captions|headings|subheadings)\b"
    rf"(?:\s+(?:of|for|entitled|captioned|titled|headed|called|named|under)"
    rf"(?:\s+the\s+(?:terms|defined terms|captions|headings))?)?\s+"
    rf"(?P<list>{_OPEN}[^{_OPEN}{_CLOSE}]+{_CLOSE}(?:\s*,\s*{_OPEN}[^{_OPEN}{_CLOSE}]+{_CLOSE})*,?\s+and\s+"
    rf"{_OPEN}[^{_OPEN}{_CLOSE}]+{_CLOSE})",
    re.I,
)


_NAMED_KIND = {"definitions": "definition", "defined terms": "definition", "risk factors": "risk_factor"}


def named_list(subject: str) -> tuple[str, list[str]] | None:
    """The kind and the names of a subject that names several elements of one kind by their terms or
    titles ("the definitions of «A» and «B»"), in order; None when it names one."""
    m = _NAMED_LIST.search(subject)
    if not m:
        return None
    names = [n.strip() for n in re.findall(rf"{_OPEN}([^{_OPEN}{_CLOSE}]+){_CLOSE}", m.group("list"))]
    return _NAMED_KIND.get(m.group("noun").lower(), "section"), names


def element_list(subject: str) -> list[str] | None:
    """The element phrases of a subject that names several ("A and B"), each with its own locator; None
    when it names one."""
    m = _TWO_ELEMENTS.match(subject.strip())
    if not m or not _top_level_and(subject, m.start("b")):
        return None
    first, second = m.group("a"), m.group("b")
    if not (_NOUN_RE.search(first) and _head_kind(first)):
        return None
    return [first, second]


def _top_level_and(s: str, at: int) -> bool:
    """Whether the " and " before offset ``at`` stands outside quotation marks."""
    return s[:at].count(_OPEN) == s[:at].count(_CLOSE)


# "paragraph 2", "sentences 2 and 3": elements numbered after their noun
_POSTFIX = re.compile(
    r"\b(?P<noun>paragraph|sentence|bullet point|bullet)(?P<pl>s?) (?P<list>\d{1,2}(?:(?:,? and |, )\d{1,2})*)"
    r"(?![\d.,%]*\d)(?!\s*%)\b", re.I)


def _nth(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def postfix_ordinals(s: str) -> str:
    """Elements numbered after their noun read as ordinals: "paragraph 2" as "2nd paragraph",
    "sentences 2 and 3" as "2nd and 3rd sentences"."""
    return _POSTFIX.sub(lambda m: re.sub(r"\d+", lambda d: _nth(int(d.group())), m.group("list"))
                        + f" {m.group('noun')}{m.group('pl')}", s)


def ordinal_list(s: str) -> tuple[str, list[tuple[int, bool]]] | None:
    """The element noun and each (count, from_end) of "the second and third paragraphs", or None."""
    s = postfix_ordinals(s)
    m = _ORDINAL_LIST.search(s)
    if not m:
        return None
    words = re.split(r",? and |, ", m.group("list"))
    noun = m.group("n").lower()
    key = "sentence" if noun.startswith("sentence") else "paragraph" if noun.startswith("paragraph") else "bullet"
    return key, [_ordinal(w.strip()) for w in words]


# "the sentence beginning «The Servicer will not»": a sentence named by its first words
_BEGINNING = re.compile(rf"\b(?:sentence|paragraph)\b(?:[^:;]{{0,120}}? |\s)(?:that |which )?(?:beginning|begins|starting|starts|commencing|commences)"
                        rf"(?: with)? {_Q}", re.I)
_CONTAINING = re.compile(rf"\b(?:sentence|paragraph|bullet(?: point)?)\b[^{_OPEN}{_CLOSE}]{{0,60}}? (?:that |which )?"
                         rf"(?:containing|contains|including|includes)(?: the (?:words?|phrase|text|language))? {_Q}", re.I)
_AFTER_ANCHOR = re.compile(r"\b(?:following|after|below) (?:the|those|these|such|said|that) "
                           r"(?P<a>table|chart|bullet points?|bullets|heading|caption)\b", re.I)
_CLASS_ROWS = re.compile(r"\bClass(?:es)? (?P<c>[A-Z0-9]{1,4}(?:-[A-Za-z0-9]{1,4})*)\b")
_ORDINAL_ROWS = re.compile(
    r"\b(?:the )?(?P<list>\d{1,3}(?:st|nd|rd|th)(?:(?:,? and|,| through| to|,? and the) \d{1,3}(?:st|nd|rd|th))*)"
    r" (?:mortgage loans?|loans?|rows?|lines?|entries|receivables|classes)\b",
    re.I,
)


# An unquoted section name: "the definition of «X» in the Glossary", "under the Risk Factors section".
_SECTION_NAME = re.compile(
    r"\b(?i:in|under|within|of) (?i:the) (?P<h>[A-Z][\w'’&-]*(?: (?:[A-Z][\w'’&-]*|of the|of|and|for|to|&))*)"
)
# Capitalised phrases after "in the" that name a document, an agreement, a class or a date, not a heading.
_NOT_SECTION_LAST = {
    "prospectus", "supplement", "supplements", "agreement", "agreements", "indenture", "memorandum", "circular",
    "sheet", "statement", "act", "code", "regulation", "regulations", "contents", "filing", "report",
}
_NOT_SECTION_FIRST = {
    "class", "classes", "series", "tranche", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "annex", "appendix", "schedule", "exhibit", "page",
    "pages", "state", "states", "united", "u.s", "company", "trust", "issuer", "depositor", "sponsor", "seller",
    "trustee", "servicer", "master", "underwriter", "underwriters", "securities", "certificates", "notes", "bonds",
}


def _unquoted_section(s: str) -> str | None:
    """A capitalised section name the locator gives without quotes ("in the Glossary"), or None."""
    masked = re.sub(_Q, lambda m: _OPEN + "x" * len(m.group("q")) + _CLOSE, s)
    for m in _SECTION_NAME.finditer(masked):
        name = re.sub(r"(?: (?:of the|of|and|for|to|&))+$", "", m.group("h"))
        words = name.split()
        if not words or words[0].lower().rstrip(".") in _NOT_SECTION_FIRST:
            continue
        if words[-1].lower() in _NOT_SECTION_LAST or any(w.lower() in ("prospectus", "agreement") for w in words):
            continue
        if words[-1].lower() in ("certificates", "notes", "bonds", "securities") and " of " not in f" {name} ":
            continue  # "the Class A Notes", "the Offered Certificates": securities, not a heading
        if len(words) == 1 and _NOUN_RE.fullmatch(words[0]):
            continue  # "in the Table entitled «X»": an element noun that introduces a quoted name
        after = masked[m.start("h") + len(name) :]
        if re.match(rf"\s*(?:(?:entitled|titled|captioned|headed|called|named)\b|{_OPEN})", after, re.I):
            continue
        if m.group(0).lower().startswith("of the") and not re.match(
            r"\s*(?:section|heading|caption|subsection|portion|part)\b", after, re.I
        ):
            continue  # "the second paragraph of the Summary section" only with its noun
        return name
    return None


def _main_subject(s: str) -> str:
    """The subject's last top-level clause: 'On page S-8, the second paragraph' => 'the second paragraph'."""
    depth = 0
    quote = False
    cut = 0
    for i, c in enumerate(s):
        if c == _OPEN:
            quote = True
        elif c == _CLOSE:
            quote = False
        elif c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == "," and depth == 0 and not quote and _CLAUSE_START.match(s, i):
            cut = i + 1
    return s[cut:].strip()


# Where the subject's last clause starts: "..., the second paragraph", "..., footnote (1) to the table"
_CLAUSE_START = re.compile(r",\s+(?:the|all|each|any|" + _NOUN.replace("(?P<noun>", "(?:") + "|"
                           + _ORD.replace("(?P<back>", "(?:").replace("(?P<fwd>", "(?:") + r"\b)", re.I)


# "The language immediately following the fifth bullet point": the words of that item
_TEXT_OF_ITEM = re.compile(
    rf"^(?:the )?(?:language|text|words|wording) (?:immediately |directly )?(?:following|after) (?:the )?{_ORD} "
    r"(?:bullet points?|bullets?|bulleted items?)\b", re.I)


# an entry named in a table of contents: "the entry «X» in the Table of Contents", "the reference to «X» in the
# table of contents"
_TOC_ENTRY = re.compile(rf"\b(?:the )?(?:entry|entries|line|listing|reference) (?:for |to |captioned |titled |entitled )?"
                        rf"{_Q}[^{_OPEN}]*?\b(?:in|of|from) the table of contents\b", re.I)


def _head_kind(subject: str) -> str | None:
    """Kind of the subject's head noun, or None when the subject names no element ('The total amount')."""
    if _TEXT_OF_ITEM.match(subject):
        return "bullet"
    # a noun inside a quoted name is part of the name ("the entry «Static Pool Information»")
    subject = re.sub(_Q, lambda q: " " * len(q.group()), subject)
    m = _NOUN_RE.search(subject)
    if not m:
        return None
    before = subject[: m.start()]
    before = re.sub(_Q, " ", before)
    before = _ORD_RE.sub(" ", before)  # "the second to last sentence": "to" is part of the ordinal
    if _PREPOSITIONS.search(before):
        return None
    return _NOUN_KIND[m.group("noun").lower()]


def _title_term(subject: str) -> str | None:
    """A Title Case head noun phrase taken as a defined term: 'the Interest Rate Formula of ...'."""
    m = re.match(r"(?:the |The )?(?P<t>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)+)(?= of | for | as | in | on | set |$|,)", subject)
    if not m:
        return None
    return m.group("t")


class _Unreadable(Exception):
    """A locator the target model cannot state exactly; its instruction is reported, not guessed."""


def _parse_locator(s: str, subject: str | None = None) -> _Locator:
    """Read the locator parts of one clause (folded text), wherever they stand in it.

    ``subject`` is where the head noun is (the clause itself by default). Each part has its reader:
    the element noun, terms and titles, the heading path, pages and cover, the ordinal, rows, a cell,
    a footnote.
    """
    loc = _Locator()
    s = postfix_ordinals(s)
    subject = s if subject is None else postfix_ordinals(subject)
    main = _main_subject(subject)
    loc.kind = _head_kind(main)
    toc = _TOC_ENTRY.search(main) if loc.kind is None else None
    if toc:
        loc.kind = "toc_entry"  # "the entry «Year 2000 Compliance» in the Table of Contents"
    claimed: list[tuple[int, int]] = []  # quotations already read as a term or a title
    m = _REFERENCE_VALUE.search(s)
    if m:
        claimed.append(m.span("q"))  # "references ... to a Participation Rate of «150%»": the words referred to
    m = _CONTAINING.search(s)
    if m:
        # "the sentence containing the words «X»": words it holds, not a name
        loc.contains = m.group("q").strip()
        claimed.append(m.span("q"))
        loc.term_quote_spans.append(m.span("q"))
    _read_terms(s, loc, claimed)
    own_heading = _read_own_heading(subject, main, loc, claimed)
    loc.heading = tuple(_read_heading_path(s, claimed, own_heading))
    if toc:
        loc.term, loc.heading = toc.group("q").strip(), ()
    back = re.search(r"\b(?:that|such|the same|this|those|these|said) (?:heading|caption|section|"
                     r"bullet points|bullets|bulleted items|list)\b", s, re.I)
    # "In the section «X» ..., «A» is replaced ... in that section": the one just named, not the edit before's
    loc.refers_back = bool(back) and not (loc.heading and _OPEN in s[: back.start()])
    loc.refers_to_paragraph = bool(re.search(r"\b(?:of|in|from|to) (?:that|such|the same|said) paragraph\b", s, re.I))
    loc.refers_to_table = bool(re.search(r"\b(?:of|in|from|to|under) (?:that|such|the same|said) (?:table|chart)\b", s, re.I))
    pages = _pages(s)
    if pages:
        loc.page = pages[0]
        loc.pages = pages if len(pages) > 1 else ()
    m = _LOCUS_RE.search(s)
    if m:
        loc.locus = f"{(m.group('side') or 'front').lower()} cover page"
    loc.ordinal = _read_ordinal(s, main, loc.kind)
    line = _LINE_COUNT.search(s)
    if line:
        # "in the fourth line of the paragraph ...": the printed line of the element the words are on
        n, back = _ordinal(line.group("n")) if line.group("n") else (int(line.group("num")), False)
        if back:
            raise _Unreadable("a line counted from the end")
        loc.ordinal = replace(loc.ordinal or Ordinal(), line=n)
    loc.rows = _read_rows(s, main)
    loc.title_term = _title_term(main)
    _read_cell(s, main, loc)
    m = _BEGINNING.search(s)
    if m:
        loc.beginning = m.group("q").strip()
        claimed.append(m.span("q"))
        loc.term_quote_spans.append(m.span("q"))
    if loc.kind == "row" and not loc.rows and loc.row:
        loc.rows = (loc.row,)  # "the row for «80.01% to 85.00%»"
    # "Footnote (2) to the chart ...", or words in one: "In footnote (3) to that table, the words «X» ..."
    m = _FOOTNOTE_MARK.search(main) if loc.kind == "paragraph" else _FOOTNOTE_MARK.search(s) if loc.kind is None else None
    if m:
        loc.footnote = m.group("mark") or m.group("q")  # "Footnote (2) to the chart", "the footnote marked «*»"
    if loc.kind == "column" and loc.term is None and loc.column:
        loc.term = loc.column  # "the «Margin» column of the table": the column named
    m = _CLAUSE_MARK.search(s)
    if m:
        loc.clause = f"({m.group('mark')})"  # "clause (ii) of the definition of «X»"
    return loc


_REFERENCE_VALUE = re.compile(rf"\breferences? (?:[^{_OPEN}{_CLOSE}]*? )?to (?:a|an|the) [^{_OPEN}{_CLOSE}]{{1,60}}? (?:of|at|equal to) {_Q}",
                              re.I)
# "clause (ii) of", "subclause (b) in", "clause (3) of the first sentence of"
_CLAUSE_MARK = re.compile(r"\b(?:sub)?clause \((?P<mark>[ivx]{1,5}|[a-z]|\d{1,2})\) (?:of|in)\b", re.I)


def _read_terms(s: str, loc: _Locator, claimed: list[tuple[int, int]]) -> None:
    """Terms and titles: "definition of «X»", "the risk factor entitled «X»", "the table entitled «X»"."""
    for m in _TERM_AFTER.finditer(s):
        what = m.group("what").lower()
        if re.search(r"\b(?:caption|title)\b", what) and len(split_heading_path(m.group("q"))) > 1:
            continue  # "the table under the caption «Summary—Fees»": a heading path, not the table's title
        if loc.term is None:
            loc.term = m.group("q").strip().rstrip(",.;:")
        if what.startswith("table") or what.startswith("chart"):
            loc.table_named = True
            loc.table_title = loc.table_title or m.group("q").strip().rstrip(",.;:")
        claimed.append(m.span("q"))
        if not what.startswith("column"):
            loc.term_quote_spans.append(m.span("q"))
    if loc.term is None:
        m = _UNQUOTED_DEFINITION.search(s)
        if m:
            # "the definition of Due Period in the Glossary": the term stops before its place
            t = re.split(r" (?:in|on|under|within) (?:the )?(?=[A-Z])", m.group("t"))[0]
            loc.term = re.sub(r"(?: (?:of|and|the|in|for|to|on))+$", "", t)


def _read_own_heading(subject: str, main: str, loc: _Locator, claimed: list[tuple[int, int]]) -> str | None:
    """The heading line itself as the target ("the heading «X» on page S-12", "before the caption «X»"):
    named by its words; a heading quoted after "under" is a place, not the target."""
    if loc.kind != "heading" or loc.term is not None:
        return None
    hm = _NOUN_RE.search(main)
    q = re.match(rf" ?(?:(?:entitled|titled|captioned|headed|named|called) )?{_Q}", main[hm.end():], re.I) if hm else None
    if not q:
        return None
    off = len(subject.rstrip()) - len(main) + hm.end()
    span = (off + q.start("q"), off + q.end("q"))
    claimed.append(span)
    loc.term_quote_spans.append(span)
    return q.group("q").strip().rstrip(",.;:")


def _read_heading_path(s: str, claimed: list[tuple[int, int]], own_heading: str | None) -> list[str]:
    """The heading path: an annex outside, then quoted headings after "under", "in the section entitled",
    each split on its dashes; an unquoted section name; the heading that is the target itself last."""
    heading: list[str] = []
    m = _ANNEX.search(s)
    if m:
        heading += [m.group("annex"), m.group("part")]
    else:
        m = _ANNEX_ONLY.search(s)
        if m:
            heading.append(m.group("annex"))
            titled = re.match(rf"\s*(?:(?:entitled|titled|captioned) )?{_Q}", s[m.end():])
            if titled:
                # "in Annex C-2 «Principal Amount Decrement Tables»": the annex and its title
                heading += list(split_heading_path(titled.group("q")))
                claimed.append((m.end() + titled.start("q"), m.end() + titled.end("q")))
    quoted_heading = False
    for m in re.finditer(_Q, s):
        if any(a <= m.start("q") < b for a, b in claimed):
            continue
        before = _HEADING_BEFORE.search(s[max(0, m.start() - 60) : m.start()])
        if before:
            parts = list(split_heading_path(m.group("q")))
            if quoted_heading and _ENCLOSING.match(before.group(0)):
                # "the section entitled «X» under the heading «Y»": a heading named after another,
                # as the place it stands in, is its parent
                heading[:0] = parts
            else:
                heading.extend(parts)
            quoted_heading = True
            claimed.append(m.span("q"))
    section = _unquoted_section(s)
    if section and section.lower() not in (h.lower() for h in heading):
        heading.insert(1 if heading and _ANNEX_ONLY.match(f"in {heading[0]}") else 0, section)
    if own_heading is not None:
        # the heading line itself is the target: it stands last in the path, under the headings named
        heading = [h for h in heading if h != own_heading] + [own_heading]
    return heading


_ORDINAL_QUALIFIERS = (" full", " complete", " entire", " numbered", " indented")


# "the first two sentences", "the last three paragraphs": a run of elements counted from either end
_RUN = re.compile(
    r"\b(?:the )?(?P<end>first|last|final|initial) (?P<k>two|three|four|five|six|\d) (?:full )?"
    r"(?P<n>sentences|paragraphs|bullet points|bullets)\b", re.I)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _read_run(s: str) -> Ordinal | None:
    """The run a phrase names ("the first two sentences": sentence 1, run 2; "the second and third
    sentences": sentence 2, run 2), or None (elements listed apart are no run)."""
    m = _RUN.search(s)
    if not m:
        listed = ordinal_list(s)
        if not listed or len({back for _, back in listed[1]}) != 1:
            return None
        key, counts = listed
        ns, back = [n for n, _ in counts], counts[0][1]
        step = -1 if back else 1
        if ns != list(range(ns[0], ns[0] + step * len(ns), step)):
            return None
        return Ordinal(**{key: ns[0]}, from_end=back, run=len(ns))
    k = _SMALL.get(m.group("k").lower()) or int(m.group("k"))
    noun = m.group("n").lower()
    key = "sentence" if noun.startswith("sentence") else "paragraph" if noun.startswith("paragraph") else "bullet"
    back = m.group("end").lower() in ("last", "final")
    return Ordinal(**{key: k if back else 1}, from_end=back, run=k)


def _read_ordinal(s: str, main: str, kind: str | None) -> Ordinal | None:
    """Which one: "the second sentence of the penultimate paragraph", "the first paragraph after the table"."""
    run = _read_run(s)
    if run is not None:
        rest = _read_ordinal(_ORDINAL_LIST.sub(" ", _RUN.sub(" ", s)), main, None)
        if rest is not None and (rest.sentence and run.sentence or rest.bullet or (rest.paragraph and run.paragraph)):
            raise _Unreadable("a run of elements counted together with another count")
        if rest is not None and rest.paragraph:
            if rest.from_end != run.from_end:
                return replace(run, paragraph=rest.paragraph, paragraph_from_end=rest.from_end)
            return replace(run, paragraph=rest.paragraph)
        if run.sentence and re.search(r"\bsentences? (?:of|in) the paragraph\b", s, re.I):
            return replace(run, paragraph=1, paragraph_from_end=False if run.from_end else None)
        return run
    counts: dict[str, int] = {}
    from_end = False
    backward: set[str] = set()
    for m in _ORD_NOUN.finditer(s):
        noun = m.group("n").lower()
        key = "sentence" if noun.startswith("sentence") else "paragraph" if noun.startswith("paragraph") else "bullet"
        if key in counts:
            continue
        words = m.group(0)[: m.start("n") - m.start()].strip()
        for q in _ORDINAL_QUALIFIERS:
            words = words.removesuffix(q)
        counts[key], back = _ordinal(words)
        from_end = from_end or back
        if back:
            backward.add(key)
    if kind == "sentence" and "sentence" not in counts and re.match(r"(?:the|this|that) sentence\b", main, re.I) \
            and not _BEGINNING.search(main) and not _CONTAINING.search(main):
        counts["sentence"] = 1  # "The sentence under the caption «X»": the one sentence there, the first
    if kind == "paragraph" and not counts and re.match(
            r"(?:the|this) paragraph (?:immediately |directly )?(?:following|after|below) the (?:table|chart)\b", main, re.I):
        counts["paragraph"] = 1  # "the paragraph immediately following the table": the first after it
    if kind == "sentence" and "sentence" in counts and "paragraph" not in counts and \
            re.search(r"\bsentences? (?:of|in) the paragraph\b", main, re.I):
        counts["paragraph"] = 1  # "the last sentence of the paragraph under «X»": the one paragraph there
    if not counts:
        return None
    if element_list(main):
        raise _Unreadable("several elements named in one subject")
    if _ORDINAL_LIST.search(s):
        # "the second and third paragraphs": several elements, each its own instruction (see
        # ``ordinal_list``); a single ordinal cannot say them
        raise _Unreadable("several elements counted in one phrase")
    paragraph_from_end = None
    if backward and backward != set(counts):
        # "the first sentence of the last paragraph", "the last sentence of the second paragraph": the
        # element counted one way within a paragraph counted the other way
        if set(counts) != {"sentence", "paragraph"}:
            raise _Unreadable("an ordinal that counts one element from the start and another from the end")
        from_end, paragraph_from_end = "sentence" in backward, "paragraph" in backward
    m = _AFTER_ANCHOR.search(s)
    after = None
    if m:
        a = m.group("a").lower()
        after = "table" if a in ("table", "chart") else "bullet" if a.startswith("bullet") else "heading"
    return Ordinal(sentence=counts.get("sentence"), paragraph=counts.get("paragraph"), bullet=counts.get("bullet"),
                   from_end=from_end, after=after, paragraph_from_end=paragraph_from_end)


def _read_rows(s: str, main: str) -> tuple[str, ...]:
    """Rows: classes named in the subject, or "the 20th, 22nd, and 26th through 33rd mortgage loans"."""
    rows = [f"Class {c}" for c in _CLASS_ROWS.findall(re.sub(_Q, " ", main))]
    m = _ORDINAL_ROWS.search(s)
    if m:
        nums: list[int] = []
        through = False
        for tok in re.findall(r"\d+|through|to", m.group("list")):
            if tok in ("through", "to"):
                through = True
                continue
            k = int(tok)
            if through and nums:
                nums.extend(range(nums[-1] + 1, k + 1))
            else:
                nums.append(k)
            through = False
        rows = [str(k) for k in nums]
    return tuple(dict.fromkeys(rows))


# a footnote by its mark: "footnote (2)", "footnote 3", "the footnote marked «*»", "footnote number (1)"
_FOOTNOTE_MARK = re.compile(
    rf"\bfootnote (?:(?:number|no\.) )?(?:(?:marked|designated|indicated by) )?(?:{_OPEN}(?P<q>[^{_CLOSE}]{{1,4}}){_CLOSE}|"
    r"(?P<mark>\(\w{1,3}\)|\d{1,2}\b|[*†‡§]+))", re.I)
# "the column headed «Pass-Through Rate»", "the «Rating» column"
_COLUMN_NAMED = re.compile(
    rf"\bcolumns? (?:heading )?(?:(?:entitled|titled|headed|captioned|named|called) )?{_Q}"
    rf"|{_OPEN}(?P<q2>[^{_OPEN}{_CLOSE}]*){_CLOSE} column\b", re.I)
# a row by its class: "for the Class B-1 Certificates", "the row for Class A-3", "the Class M-2 row"
_CLASS_ROW = re.compile(r"\b(?:for|of) (?:the )?(?P<c>Class(?:es)? [A-Z0-9]{1,4}(?:-[A-Za-z0-9]{1,4})*)\b|"
                        r"\bthe (?P<c2>Class [A-Z0-9]{1,4}(?:-[A-Za-z0-9]{1,4})*) row\b")
# a row by its label: "in the row marked «December 2008 — November 2009»"
_ROW_NAMED = re.compile(rf"\brows? (?:(?:marked|for|entitled|titled|labeled|labelled|captioned|headed|named) )?{_Q}"
                        rf"|\b(?:set forth |shown |appearing )?(?:opposite|across from) (?:the (?:caption|label|heading) )?"
                        rf"{_OPEN}(?P<q2>[^{_OPEN}{_CLOSE}]*){_CLOSE}", re.I)
_TABLE_COUNTED = re.compile(rf"\b(?:in|of|from) the (?P<n>{_ORD}) (?:table|chart)\b", re.I)
# a row by the figure that labels it: "the row for a Hypothetical Final Index Value of 1,216.32"
_ROW_BY_VALUE = re.compile(rf"\brow (?:for|of|with|showing|beginning with|relating to) (?:a |an |the )?(?:[\w-]+ ){{0,8}}?"
                           rf"(?P<v>{_FIGURE})(?=\s*(?:[,:;.]|$|\band\b|\bin\b))", re.I)
# a column named in prose, before the row it is read for: "the Price to Public for the Class B-1 Certificates"
# ("the Moody's rating of the Class M-2 Certificates": the column of one agency's ratings)
_PROSE_COLUMN = re.compile(
    r"\b(?i:the) (?P<col>[A-Z][\w'’&()/-]*(?: (?:[A-Z(][\w'’&()/-]*|to|of|and|per|for the))*?)"
    r"(?: (?:ratings?|rates?|balances?|amounts?|prices?|percentages?|dates?))? (?:for|of) (?:the )?Class(?:es)? [A-Z0-9]"
    # in lower case, a figure's own noun last after what it is of: "the certificate rate for the Class A certificates"
    r"|\b(?i:the) (?P<low>(?:[a-z][\w-]* ){1,3}(?:rate|margin|balance|amount|price|percentage|rating|spread|coupon)s?)"
    r" (?:for|of) (?:the )?Class(?:es)? [A-Z0-9]")


# "in the fourth line of ...", "on line 4 of ..."
_LINE_COUNT = re.compile(rf"\b(?:in|on|at) (?:the )?(?:(?P<n>{_ORD_WORD}) line|line (?P<num>\d{{1,3}}))\b (?:of|in)\b", re.I)


def _read_cell(s: str, main: str, loc: _Locator) -> None:
    """The column and row a clause names inside a table, for a cell."""
    if re.search(r"\b(?:table|chart)\b", s, re.I):
        loc.table_named = True
    m = _COLUMN_NAMED.search(s)
    if m:
        loc.column = (m.group("q") if m.group("q") is not None else m.group("q2")).strip()
    r = _CLASS_ROW.search(re.sub(_Q, " ", s))
    if r:
        loc.row = r.group("c") or r.group("c2")
    r = _ROW_NAMED.search(s)
    if r:
        loc.row = (r.group("q") if r.group("q") is not None else r.group("q2")).strip()
        loc.table_named = True  # "the row captioned «X»": a row is a table's
    elif loc.row is None:
        r = _ROW_BY_VALUE.search(re.sub(_Q, " ", s))
        if r:
            loc.row = r.group("v")  # "the row for a Hypothetical Final Index Value of 1,216.32": the row it opens
    t = _TABLE_COUNTED.search(s) if loc.row and loc.ordinal is None else None
    if t:
        # "in the second table on page S-5, the figure ... opposite «Class A-3 Notes»": tables are counted as
        # the elements of their place are
        n, back = _ordinal(t.group("n"))
        loc.ordinal = Ordinal(paragraph=n, from_end=back)
    if loc.column is None and loc.row:
        p = _PROSE_COLUMN.search(main) or _PROSE_COLUMN.search(s)
        col = p and (p.group("col") or p.group("low"))
        if col and not _NOUN_RE.fullmatch(col):
            loc.column = col


