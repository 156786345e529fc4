"""A clause: one instruction read from a header sentence, and the target it makes from a locator.

What belongs here: the clause value, building a ``Target`` from a ``Locator`` (a cell, a heading's own
words, "that heading"), and the readers shared by the action builders: the quoted old words of a
substitution, its scope (one place, one element, every occurrence), a short value's final period."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..models import Target
from ..text import is_abbreviation
from .fold import _CLOSE, _OPEN
from .locator import (
    _HEADING_BEFORE,
    _Locator,
    _main_subject,
)
from .vocabulary import (
    _Q,
)


@dataclass
class _Clause:
    """One parsed instruction inside a header sentence (a sentence may hold two substitutions)."""

    op: str
    target: Target
    new_text: str | None  # inline new text, else None (a block follows when ``block``)
    block: bool
    rows: tuple[str, ...]
    start: int  # folded offsets within the header
    end: int
    text_from: int | None = None  # folded offset where a block of new text begins inside the header
    listed: bool = False  # "The following are deleted: (a) ...; (b) ...": the items follow the header
    names: tuple[Target, ...] = ()  # "the definitions of «A» and «B» ...": one target per element named


_KEEP = object()  # "take the locator's own term"


def _make_target(kind: str, loc: _Locator, old_text: str | None = None, term=_KEEP,
                 locus: str | None = None, context: Target | None = None, scope: str | None = None) -> Target:
    heading = loc.heading
    if loc.refers_back and context is not None and context.heading:
        heading = tuple(context.heading) + tuple(h for h in heading if h not in context.heading)
    elif loc.refers_to_paragraph and context is not None and context.ordinal is not None \
            and context.ordinal.paragraph is not None and loc.ordinal is not None and loc.ordinal.paragraph is None:
        # "The first sentence of the second paragraph under «X» ... and the third sentence of that paragraph is
        # deleted": the same paragraph, in the same place
        heading = heading or tuple(context.heading or ())
        loc = dataclasses.replace(loc, page=loc.page or context.page, pages=loc.pages or context.pages,
                                  term=loc.term or context.term,
                                  ordinal=dataclasses.replace(loc.ordinal, paragraph=context.ordinal.paragraph,
                                                              paragraph_from_end=context.ordinal.paragraph_from_end))
    elif loc.refers_to_table and context is not None and not (loc.page or loc.heading or loc.term):
        # "The table ... is amended by adding ...; the row for Class X-B in that table is deleted": the same table
        heading = tuple(context.heading or ())
        loc = dataclasses.replace(loc, page=context.page, pages=context.pages,
                                  term=context.term if context.kind in ("table", "row", "column", "cell") else None)
    elif loc.refers_back and context is not None and context.term and context.kind in ("heading", "risk_factor") \
            and loc.term is None and term is _KEEP:
        # "... and the following sentence is added at the end of the first paragraph under such caption": the
        # titled element the clause before named, on its page
        term = context.term
        loc = dataclasses.replace(loc, page=loc.page or context.page, pages=loc.pages or context.pages)
    if old_text is None and loc.beginning and kind in ("sentence", "paragraph"):
        old_text = loc.beginning  # "the sentence beginning «X»": the element that opens with these words
    if loc.clause and kind in ("value", "text", "definition", "paragraph", "sentence", "bullet"):
        # "clause (ii) of the definition of «X»": the words of that clause, in the element named
        kind = "text"
    if kind == "value" and loc.cell:
        # words in one cell: the row named (and its column), in the table named by its title or by the
        # definition it stands in
        kind, term = "cell", loc.table_title or (loc.term if loc.term not in (loc.column, loc.row) else None)
    return Target(
        kind=kind,
        page=loc.page,
        heading=heading or None,
        ordinal=loc.ordinal,
        term=loc.term if term is _KEEP else term,
        old_text=old_text,
        locus=locus if locus is not None else loc.locus,
        pages=loc.pages,
        scope=scope,
        column=loc.column if kind == "cell" else None,
        row=loc.row if kind == "cell" else None,
        footnote=loc.footnote if kind in ("paragraph", "value") else None,
        clause=loc.clause if kind == "text" else None,
        contains=loc.contains if kind in ("sentence", "paragraph", "bullet", "value") else None,
    )


_OLD_QUOTE = re.compile(
    # "references ... to a Participation Rate of «150%»": the quoted figure, after what it is the figure of
    rf"(?:(?P<ref>\breferences? (?:.*? )?to(?: (?:a|an|the) [^{_OPEN}{_CLOSE}]{{1,60}}? (?:of|at|equal to))?)"
    rf"|\b(?:the )?(?:words?|phrase|number|figure|percentage|amount|date|rate|name|term|"
    rf"entry|entries|text|language|wording|value|sum)|^\s*(?:(?:and|or|,|;) )?(?:the )?)\s*{_Q}",
    re.I,
)


# a named quotation ("the column heading entitled «X»") is old wording only when nothing better is quoted
_OLD_NAMED = re.compile(rf"\b(?:entitled|titled|captioned|headed|named|called)\s*{_Q}", re.I)


def _old_text(s: str, loc: _Locator) -> str | None:
    """The quoted old wording of a substitution ('the reference to «1.05%»'), not a heading or term.

    A quotation that is the whole main clause of the subject ('In the second sentence ..., «0.18%» is
    replaced with ...') is the old wording too.
    """
    for m in _OLD_QUOTE.finditer(s):
        if any(a <= m.start("q") < b for a, b in loc.term_quote_spans):
            continue
        if not m.group("ref") and _HEADING_BEFORE.search(s[max(0, m.start("q") - 61) : m.start("q") - 1]):
            continue
        return m.group("q")
    m = re.search(rf",\s*(?:the )?{_Q}\s*$", s)
    if m and _top_level(s, m.start()) and not any(a <= m.start("q") < b for a, b in loc.term_quote_spans):
        return m.group("q")
    main = _main_subject(s)
    m = re.match(rf"(?:the )?{_Q}", main, re.I)
    if m and not re.match(r"\s*(?:heading|caption|section|subsection|table|chart|risk factor|definition)\b",
                          main[m.end():], re.I):
        # "..., the «.» at the end of the last bullet point is replaced with «; and»"
        return m.group("q")
    for m in _OLD_NAMED.finditer(s):
        if any(a <= m.start("q") < b for a, b in loc.term_quote_spans):
            continue
        if _HEADING_BEFORE.search(s[max(0, m.start("q") - 61) : m.start("q") - 1]):
            continue
        return m.group("q")
    return None


def _top_level(s: str, i: int) -> bool:
    """Whether offset ``i`` of a folded clause is outside quotes and parentheses."""
    depth = 0
    quote = False
    for c in s[:i]:
        if c == _OPEN:
            quote = True
        elif c == _CLOSE:
            quote = False
        elif c == "(" and not quote:
            depth += 1
        elif c == ")" and not quote:
            depth = max(0, depth - 1)
    return depth == 0 and not quote


# "All references ... to «X»", "each reference to", "wherever it appears": every occurrence, not one place
_SCOPE_ALL = re.compile(
    r"^(?:all|each|every|any)(?: of the)? (?:references?|occurrences?|instances?|mentions?|appearances?)\b"
    r"|\b(?:all|each|every) (?:references?|occurrences?|instances?|mentions?|appearances?) (?:in|of|to|throughout)\b"
    r"|\b(?:wherever|everywhere|each (?:place|time)|every (?:place|time)|in each place|in every place|in all places) "
    r"(?:(?:it|they|such \w+|the \w+|that \w+|this \w+) )?(?:appears?|occurs?|is used|are used)\b"
    r"|\bthroughout the (?:\w+ )?(?:prospectus supplement|prospectus|supplement|document)\b",
    re.I,
)


# "References in the third paragraph ... to «X»": every occurrence, but only in the element named
_PLURAL_REFERENCES = re.compile(r"^(?:(?:all|each|every|the) )?(?:references|occurrences|instances)\b", re.I)


def _scope(s: str, loc: _Locator | None = None) -> str | None:
    """'all' for every occurrence in the document; 'all occurrences in the paragraph' when the words are
    changed wherever they stand in one element named; None for one occurrence."""
    s = s.strip()
    everywhere = bool(_SCOPE_ALL.search(s))
    if loc is not None and (everywhere or _PLURAL_REFERENCES.match(s)):
        o = loc.ordinal
        element = loc.kind if loc.kind in ("paragraph", "sentence", "bullet", "definition", "table") else (
            "sentence" if o and o.sentence else "bullet" if o and o.bullet else "paragraph" if o and o.paragraph else None)
        if element:
            return f"all occurrences in the {element.replace('_', ' ')}"
    return "all" if everywhere else None


def _trailing_locator(rest: str) -> str:
    """Locator words after a substitution's action ('... with «0.21%» in the second paragraph ...')."""
    rest = rest.strip().rstrip(".;: ")
    if re.match(r"(?:in|on|under|within|of|wherever|everywhere|each|every|throughout|where)\b", rest, re.I):
        return rest
    return ""


def _clean_value(text: str) -> str:
    """A short value loses the sentence's final period: 'should read: $600,000,000.' => '$600,000,000'."""
    text = text.strip()
    if text.endswith(".") and not text.endswith(".."):
        word = re.search(r"([\w.]+)\.$", text)
        if not (word and is_abbreviation(word.group(1))):
            text = text[:-1].rstrip()
    return text


_VALUE_KINDS = ("value", "column", "heading", "cell", "toc_entry", "row")


# new text put next to an element (a paragraph before a heading) is not that element's value: kept whole
_INSERTS = ("insert_before", "insert_after", "append")


def per_name(target: Target, names: list[str]) -> tuple[Target, ...] | None:
    """One target per element named ("the definitions of «A» and «B»"): the same place, each name as the
    term of a definition or risk factor, or as the last heading of a section; None when the names cannot
    be put in the target."""
    if target.kind in ("definition", "risk_factor"):
        if target.term and target.term != names[0]:
            return None
        return tuple(dataclasses.replace(target, term=n) for n in names)
    if target.kind in ("section", "heading") and target.heading and target.heading[-1] == names[0]:
        return tuple(dataclasses.replace(target, heading=(*target.heading[:-1], n)) for n in names)
    return None


def name_of(target: Target) -> str:
    """The name a target of ``per_name`` carries: its term, else its last heading."""
    return target.term or (target.heading[-1] if target.heading else "")


def split_per_name(new_text: str, names: list[str]) -> list[str] | None:
    """The new text cut into one piece per name, each piece opening with its name (in quotation marks or
    not) at the start of a line, in the order named; None when the text is not laid out so."""
    starts = []
    pos = 0
    for name in names:
        words = r"\s+".join(re.escape(w) for w in name.split())
        m = re.compile(rf"(?:^|\n)[ \t]*[\"“‘']?{words}\b", re.I).search(new_text, pos)
        if m is None:
            return None
        at = m.start() + (new_text[m.start()] == "\n")
        starts.append(at)
        pos = m.end()
    if new_text[: starts[0]].strip():
        return None  # words before the first element: not one piece per name
    bounds = [*starts, len(new_text)]
    return [new_text[a:b].strip() for a, b in zip(bounds, bounds[1:])]
