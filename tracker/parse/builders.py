"""The builders of the action grammar: one matched form and its locator make a clause.

Each builder takes the match, the subject (the header before the action's words), the whole header,
the target of the instruction before (for "that heading") and the offset of ``whole`` in the header,
and returns a clause, several, or None when the pair makes no sense."""

from __future__ import annotations

import dataclasses
import re

from ..models import Ordinal, Target
from ..text import split_heading_path
from .clause import (
    _VALUE_KINDS,
    _Clause,
    _clean_value,
    _make_target,
    _old_text,
    _scope,
    _top_level,
    _trailing_locator,
    per_name,
)
from .fold import _CLOSE, _OPEN
from .locator import (
    _Locator,
    _main_subject,
    _parse_locator,
    element_list,
    named_list,
    ordinal_list,
    postfix_ordinals,
)
from .vocabulary import (
    _DOCUMENT_SUBJECT,
    _FIGURE_OR_QUOTED,
    _NOUN_KIND,
    _ORD_WORD,
    _Q,
    _ordinal,
)

_POSITION = re.compile(
    r"^\s*(?P<pos>immediately after|immediately following|directly after|after|following|immediately before|"
    r"immediately preceding|before|preceding|prior to|at the end of|to the end of|at the beginning of|to the beginning of|"
    r"at the end thereof|at the end|at the beginning thereof|at the beginning|"
    rf"as (?:the|a|an)(?: new| additional)? (?P<ord>{_ORD_WORD}|last|final) (?P<noun>[\w ]+?)(?= (?:in|of|under|to)\b|$)(?: (?:in|of|under|to))?|"
    r"as (?:a |an )?(?:new )?(?:reference|entry) (?:to|in)|as (?:a |an )?(?:new )?footnote(?:s)?(?: to)?|"
    r"as (?:a |an )?new|to|in|into|under)\b(?P<loc>.*)$",
    re.I,
)


_INNER_POSITION = re.compile(
    r",? \b(?:immediately |directly )?(?:after|following|before|preceding|prior to) (?=the\b)", re.I
)


# A row or a column replaced whole is restated in its table
_REPLACE_OP = {"column": "replace_column", "row": "replace_rows"}


def _kind_of(loc: _Locator, what: str, default: str = "value") -> str:
    return loc.kind or _NOUN_KIND.get(what) or default


def _build_following_replaces(m, subject, whole, context, offset):
    """'The following table replaces the table entitled «X» on page S-32:'"""
    loc = _parse_locator(m.group("loc"), m.group("loc"))
    kind = _kind_of(loc, (m.group("what") or "").strip().lower())
    return _Clause(_REPLACE_OP.get(kind, "replace"), _make_target(kind, loc, context=context), None, True, loc.rows, 0, 0)


def _build_replace(m, subject, whole, context, offset, *, inline: bool = False):
    """The whole element anew (see ``_build_replace_one``); several named elements each anew, their new
    texts split per name when the instruction is assembled."""
    c = _build_replace_one(m, subject, whole, context, offset, inline=inline)
    named = named_list(subject)
    if not named or not isinstance(c, _Clause) or c.op != "replace":
        return c
    kind, names = named
    targets = per_name(dataclasses.replace(c.target, kind=kind) if c.target.kind == "value" else c.target, names)
    if targets is None:
        return None
    return dataclasses.replace(c, target=targets[0], names=targets)


def _build_replace_one(m, subject, whole, context, offset, *, inline: bool = False):
    """The whole element anew: '... deleted in its entirety and replaced with the following:', '... should read:'.

    With ``inline`` (a form that may give the new words in quotation marks: "... should read «X»").
    """
    g = m.groupdict()
    loc = _parse_locator(subject)
    kind = loc.kind
    if g.get("del"):
        # "... is hereby amended by deleting the last sentence thereof and replacing it with the following:"
        inner = _parse_locator(g["del"], g["del"])
        if inner.kind and (kind is None or _DOCUMENT_SUBJECT.match(_main_subject(subject).strip())):
            # "The prospectus supplement is amended by replacing the sentence on page S-21 containing ...": the
            # element named after the verb is the place
            loc = dataclasses.replace(inner, page=inner.page or loc.page, pages=inner.pages or loc.pages,
                                      heading=inner.heading or loc.heading, term=inner.term or loc.term)
            kind = inner.kind
        elif inner.kind and inner.kind != kind and inner.ordinal:
            kind = inner.kind
            outer = loc.ordinal
            loc.ordinal = inner.ordinal
            if outer is not None and outer.paragraph is not None and inner.ordinal.paragraph is None \
                    and inner.ordinal.sentence is not None:
                # "The first paragraph ... is amended by deleting the last sentence thereof": of that paragraph
                loc.ordinal = dataclasses.replace(inner.ordinal, paragraph=outer.paragraph,
                                                  paragraph_from_end=outer.paragraph_from_end)
        elif inner.kind == "row" and inner.rows and kind in ("table", None):
            # "the table ... is amended by deleting the rows relating to the Class A-2 Notes and the Class A-3
            # Notes and substituting therefor the following:": those rows anew
            kind, loc.rows = "row", inner.rows
    what = (g.get("what") or "").strip().lower()
    if kind is None:
        kind = _NOUN_KIND.get(what, "value") if what else "value"
    op = _REPLACE_OP.get(kind, "replace")
    after = whole[m.end("act") :].lstrip(" :")
    text_from = None
    if inline and after.startswith(_OPEN):
        q = re.match(_Q, after)
        rest = after[q.end() :] if q else ""
        if q and (not rest.strip(" .,;:") or _trailing_locator(rest)):
            # the quotation marks wrap the whole replacement: «X». (or «X» in each place it appears)
            old = _old_text(subject, loc)
            if loc.cell and loc.kind is None and (old is None or old == loc.column):
                # "In the column headed «Rating» ..., the entry for the Class M-1 Certificates should read
                # «AA»": the whole cell anew
                target = _make_target("value", loc, context=context)
                return _Clause("replace", target, _clean_value(q.group("q")), False, (), 0, 0)
            if old and (kind == "column" or loc.kind is None):
                # "the reference to «X» is amended to read «Y»": a substitution
                k = "column" if kind == "column" else "value"
                where = f"{subject} {_trailing_locator(rest)}".strip()
                target = _make_target(k, loc, old_text=old, term=None if k == "column" else loc.term,
                                      context=context, scope=_scope(where, loc))
                return _Clause("substitute", target, _clean_value(q.group("q")), False, loc.rows, 0, 0)
            return _Clause(op, _make_target(kind, loc, context=context), q.group("q"), False, loc.rows, 0, 0)
        # a quotation opens the replacement but does not close at its end ("«Term» means ...")
        text_from = offset + len(whole) - len(after)
    if kind == "definition" and loc.term is None:
        return None
    c = _Clause(op, _make_target(kind, loc, context=context), None, True, loc.rows, 0, 0)
    c.text_from = text_from
    return c


def _build_substitution(m, subject, whole, context, offset, *, changed_to: bool = False):
    """Old words for new: '«1.05%» ... is deleted and replaced with «1.10%»', '... changed from «A» to «B»'.

    With ``changed_to`` ("... is changed to «X»"), the old words or an element must be named.
    """
    g = m.groupdict()
    if g.get("new") is None:
        return None
    loc_text = g.get("loc") or subject
    loc = _parse_locator(loc_text, loc_text)
    old = g.get("old") or _old_text(loc_text, loc)
    new = g["new"]
    trailing = _trailing_locator(whole[m.end() :]) if offset == 0 and not g.get("loc") else ""
    if trailing:
        # "«0.18%» is replaced with «0.21%» in the second sentence of ...": the place follows the action
        loc_text = f"{loc_text} {trailing}"
        more = _parse_locator(loc_text, subject)
        more.term_quote_spans = loc.term_quote_spans
        loc = more
    if old is not None and g.get("old") is None and loc.cell and loc.kind is None and old == loc.column:
        # "The entry for the Class M-3 Certificates in the column headed «Balance» ... is changed to «$72,000,000»":
        # the quotation names the column; the cell anew
        return _Clause("replace", _make_target("value", loc, context=context), _clean_value(new), False, (), 0, 0)
    if old is not None:
        kind = loc.kind if loc.kind in ("column", "heading") else "value"
        term = None if kind == "column" else loc.term
        target = _make_target(kind, loc, old_text=old.strip(), term=term, context=context, scope=_scope(loc_text, loc))
        return _Clause("substitute", target, _clean_value(new), False, loc.rows, 0, 0)
    if changed_to and loc.kind is None:
        return None  # "the rate is changed to «X»" names neither an element nor the old words
    rest = whole[m.end() :] if offset == 0 else ""
    if rest.strip(" .,;:") and not trailing:
        # "... is replaced with «Term» means ...": the quotation opens the new text but does not wrap it
        if changed_to or loc.kind is None or loc.kind in _VALUE_KINDS:
            return None
        c = _Clause("replace", _make_target(loc.kind, loc, context=context), None, True, loc.rows, 0, 0)
        c.text_from = m.start("new") - 1
        return c
    kind = loc.kind or "value"
    new = _clean_value(new) if kind in _VALUE_KINDS else new.strip()
    op = "replace_column" if kind == "column" else "replace"
    return _Clause(op, _make_target(kind, loc, context=context), new, False, loc.rows, 0, 0)


def _build_cell_change(m, subject, whole, context, offset):
    """'The table ... is amended by changing the entry for the Class A-3 Notes in the column headed «Interest
    Rate» to 5.21%': the cell of the row and column named, in a table named, anew; None unless a cell is named."""
    if m.group("del") and re.search(r"\b(?:from|to)\b", re.sub(_Q, " ", m.group("del")), re.I):
        return None  # "changing the entries ... from A to B and ...": another form, or none
    place = f"{subject} {m.group('del') or ''}".strip()
    loc = _parse_locator(place, place)
    if loc.kind == "table" and loc.row and loc.column:
        loc.kind = None  # "the table ... is amended by changing the entry for ...": a cell of that table
    if loc.heading == (loc.column,):
        loc.heading = ()  # "the entry in the «Rating» column": the column's name, not a heading
    if not loc.cell or not loc.column:
        return None
    new = m.group("new") if m.group("new") is not None else m.group("fig")
    return _Clause("replace", _make_target("value", loc, context=context), _clean_value(new), False, (), 0, 0)


_ROW_FROM_TO = re.compile(
    rf"(?:,? and |, )?for (?:the )?(?P<row>Class(?:es)? [A-Z0-9]{{1,4}}(?:-[A-Z0-9]{{1,4}})*)(?: [a-z]+)? "
    rf"from (?P<old>{_FIGURE_OR_QUOTED}) to (?P<new>{_FIGURE_OR_QUOTED})", re.I)


def _build_cell_rows(m, subject, whole, context, offset):
    """'... by changing the entries in the column headed «X» for the Class A-2-A notes from A to B and for the
    Class A-2-B notes from C to D': one substitution per row, in the column named; None unless every
    piece reads."""
    pairs, pos, out = m.group("pairs"), 0, []
    for p in _ROW_FROM_TO.finditer(pairs):
        if p.start() != pos:
            return None
        pos = p.end()
        place = f"{subject} {m.group('col') or ''} for the {p.group('row')}".strip()
        loc = _parse_locator(place, place)
        if loc.kind == "table":
            loc.kind = None
        if not loc.cell or not loc.column:
            return None
        old, new = (_clean_value(g.strip(_OPEN + _CLOSE)) for g in (p.group("old"), p.group("new")))
        out.append(_Clause("substitute", _make_target("value", loc, old_text=old, context=context), new,
                           False, (), 0, 0))
    return out if out and pos == len(pairs) else None


def _build_more_from(m, subject, whole, context, offset):
    """'..., the rate for the Class B certificates from 2.29% to 2.24%': the change before, its verb left out, in
    the same place or in the row it names; None when it names another kind of place."""
    if context is None:
        return None
    old, new = (_clean_value(g.strip(_OPEN + _CLOSE)) for g in (m.group("old"), m.group("new")))
    target = dataclasses.replace(context, old_text=old)
    place = (m.group("loc") or "").strip()
    if place:
        loc = _parse_locator(place, place)
        if loc.page or loc.heading or loc.ordinal or loc.locus or (loc.kind and loc.kind not in ("row", "column")):
            return None  # a new place: read as its own edit, or not at all
        if loc.row and context.kind != "cell":
            return None
        if loc.row:
            target = dataclasses.replace(target, row=loc.row, column=loc.column or context.column)
    return _Clause("substitute", target, new, False, (), 0, 0)


def _build_retitled(m, subject, whole, context, offset):
    """'The subheading «X» ... is retitled «Y»', 'the risk factor entitled «X» is renamed «Y»': the heading line
    anew, never the element under it; None for anything else named."""
    q = re.match(rf"\s*{_Q}", whole[m.end("act"):])
    if not q:
        return None
    loc = _parse_locator(subject)
    if loc.kind in (None, "heading", "section"):
        target = _make_target("heading", loc, context=context)
    elif loc.kind in ("risk_factor", "table") and loc.term:
        target = _make_target("heading", loc, term=loc.term, context=context)  # its caption
    else:
        return None
    return _Clause("replace", target, _clean_value(q.group("q")), False, (), 0, 0)


# "... in the Prospectus Supplement" after a name: where it is, not part of it
_DOCUMENT_TAIL = re.compile(r"\s+(?:in|of|throughout) the (?:\w+ )?(?:prospectus supplement|prospectus|supplement|memorandum)$", re.I)


_PARENTHETICAL = re.compile(rf"^(?P<name>.*?)\s*\(\s*(?:the\s+)?{_OPEN}?(?P<short>[^{_OPEN}{_CLOSE}()]+?){_CLOSE}?\s*\)$")


def _build_references(m, subject, whole, context, offset):
    """Names without quotation marks: 'References in the Prospectus to A, Inc. («A») are replaced by references
    to B, Inc. («B»)': every occurrence, and the short forms in parentheses too."""
    loc = _parse_locator(subject + " " + (m.group("where") or ""))
    if loc.kind or loc.ordinal:
        return None
    scope = None if (loc.page or loc.heading or loc.locus) else "all"
    old, new = (_DOCUMENT_TAIL.sub("", g.strip(" ,")) for g in (m.group("old"), m.group("new")))
    new = _clean_value(new)
    old = _described_value(old, new)
    pairs = [(old, new)]
    po, pn = _PARENTHETICAL.match(old), _PARENTHETICAL.match(new)
    if po and pn:
        pairs = [(po.group("name").strip(" ,"), pn.group("name").strip(" ,")), (po.group("short").strip(), pn.group("short").strip())]
    clauses = [_Clause("substitute", _make_target("value", loc, old_text=o, context=context, scope=scope), n, False, (), 0, 0)
               for o, n in pairs if o and n]
    return clauses or None


# A figure a user would write alone: a date, an amount of money, a rate
_VALUE_SHAPES = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)(?: \d{1,2},)? \d{4}",
    r"\$ ?\d[\d,]*(?:\.\d+)?(?: (?:million|billion))?",
    r"\d+(?:\.\d+)?(?: ?%| percent| basis points)",
)


def _described_value(old: str, new: str) -> str:
    """'references to the closing date of May 26, 2005 are changed to May 31, 2005': the old words are
    the figure the phrase ends with, when the new words are a figure of the same shape; else unchanged."""
    for shape in _VALUE_SHAPES:
        if re.fullmatch(shape, new):
            m = re.search(rf"\s(?:of|on|at|in|from|to)\s+(?P<v>{shape})$", old)
            return m.group("v") if m else old
    return old


_DATE_TOKEN = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?: \d{1,2},)? \d{4}|\S+")


def _words_and_dates(phrase: str) -> list[str]:
    """A phrase's words, a date ("June 2010", "May 25, 2012") kept as one."""
    return _DATE_TOKEN.findall(phrase)


def _build_phrases(m, subject, whole, context, offset):
    """'The reference to «Mandatory Auction Date» ... shall be changed from the date in June 2010 to the date in
    February 2010': the words where the two phrases differ, in the entry the quotation names."""
    old, new = _words_and_dates(m.group("old")), _words_and_dates(_clean_value(m.group("new")))
    while old and new and old[0] == new[0]:
        old, new = old[1:], new[1:]
    while old and new and old[-1] == new[-1]:
        old, new = old[:-1], new[:-1]
    if not old or not new or len(old) > 6:
        return None
    loc = _parse_locator(subject)
    entry = _old_text(subject, loc)
    target = _make_target("value", loc, old_text=" ".join(old), term=entry or loc.term, context=context)
    return _Clause("substitute", target, " ".join(new), False, (), 0, 0)


def _build_imperative_replace(m, subject, whole, context, offset):
    """'Replace the second paragraph ... with the following:' (or «X» with «Y» in the third paragraph ...)."""
    if m.group("new") is not None:
        # the place may stand before the verb too: "In the first paragraph under «X», replace «A» with «B»"
        place = f"{subject.strip(' ,')} {m.group('loc')} {m.group('trail') or ''}".strip()
        loc = _parse_locator(place, place)
        old = _old_text(m.group("loc"), loc)
        if old is None:
            return _build_substitution(m, subject, whole, context, offset)
        kind = loc.kind if loc.kind in ("column", "heading") else "value"
        target = _make_target(kind, loc, old_text=old, term=None if kind == "column" else loc.term, context=context,
                              scope=_scope(place, loc))
        return _Clause("substitute", target, _clean_value(m.group("new")), False, (), 0, 0)
    loc = _parse_locator(m.group("loc"), m.group("loc"))
    kind = loc.kind or "value"
    return _Clause(_REPLACE_OP.get(kind, "replace"), _make_target(kind, loc, context=context), None, True, loc.rows, 0, 0)


def _build_delete(m, subject, whole, context, offset):
    """'... is hereby deleted in its entirety.', 'Delete the last sentence of ...'; 'the second and third
    paragraphs ... are deleted': one deletion each."""
    text = m.groupdict().get("loc") or subject
    named = named_list(text)
    if named:
        # "the definitions of «A» and «B» are deleted": one deletion each
        kind, names = named
        loc = _parse_locator(text, text)
        targets = per_name(_make_target(loc.kind or kind, loc, context=context), names)
        return [_Clause("delete", t, None, False, (), 0, 0) for t in targets] if targets else None
    parts = element_list(_main_subject(text))
    if parts:
        # "the last sentence of ... and the first sentence of ... are deleted": one deletion each
        out = []
        for part in parts:
            loc = _parse_locator(part, part)
            if loc.kind is None:
                return None
            out.append(_Clause("delete", _make_target(loc.kind, loc, context=context), None, False, loc.rows, 0, 0))
        return out
    listed = ordinal_list(text)
    if listed:
        # "the second and third paragraphs are deleted": one deletion each, of one element each
        text = postfix_ordinals(text)
        key, counts = listed
        one = re.sub(r"\b(?:\w+(?:[ -]\w+)*?)(?:, \w+(?: \w+)*?)*,? and \w+(?:[ -]\w+)*? (" + key + r")s\b",
                     r"the \1", text, count=1, flags=re.I)
        loc = _parse_locator(one, one)
        if loc.kind is None:
            return None
        return [_Clause("delete", _make_target(loc.kind, dataclasses.replace(
                    loc, ordinal=dataclasses.replace(loc.ordinal or Ordinal(), **{key: n}, from_end=back, run=None)),
                    context=context),
                        None, False, loc.rows, 0, 0) for n, back in counts]
    loc = _parse_locator(text, text)
    if loc.kind is None:
        old = _old_text(text, loc)
        if old is None:
            return None
        # "the words «and the Servicer» in the second sentence ... are deleted": words, not an element ("all
        # references to «X» ... are deleted": wherever they stand)
        return _Clause("delete", _make_target("value", loc, old_text=old, context=context, scope=_scope(text, loc)),
                       None, False, (), 0, 0)
    return _Clause("delete", _make_target(loc.kind, loc, context=context), None, False, loc.rows, 0, 0)


def _build_delete_from(m, subject, whole, context, offset):
    """'the word «and» is deleted from the second to last bullet point': words taken out of a named element."""
    words = _parse_locator(subject)
    old = _old_text(subject, words)
    if old is None:
        return None
    place = f"{m.group('loc')} {subject}"
    loc = _parse_locator(place, m.group("loc"))
    return _Clause("delete", _make_target("value", loc, old_text=old, context=context), None, False, (), 0, 0)


def _build_delete_element(m, subject, whole, context, offset):
    """'Page S-20 is amended by deleting the second full paragraph under «Advances»': the element named, in
    the place the subject names."""
    inner = _parse_locator(m.group("del"), m.group("del"))
    if inner.kind is None:
        return None
    loc = _parse_locator(f"{m.group('del')} {subject}", m.group("del"))
    return _Clause("delete", _make_target(loc.kind, loc, context=context), None, False, loc.rows, 0, 0)


def _build_insert_words(m, subject, whole, context, offset):
    """'... is amended by inserting the words «, as amended,» after the words «Pooling Agreement»'."""
    loc = _parse_locator(f"{subject} {whole[m.end():]}".strip(), subject)
    op = "insert_before" if re.match(r"(?:immediately )?(?:before|preceding)", m.group("pos"), re.I) else "insert_after"
    target = _make_target("value", loc, old_text=m.group("old"), term=loc.term, context=context)
    return _Clause(op, target, m.group("new"), False, (), 0, 0)


def _build_delete_words(m, subject, whole, context, offset):
    """'The next-to-last paragraph ... is amended by deleting the words «(other than ...)»': words out of it."""
    rest = whole[m.end():].strip(" .;:")
    loc = _parse_locator(f"{subject} {rest}".strip(), subject)
    return _Clause("delete", _make_target("value", loc, old_text=m.group("old"), context=context), None, False, (), 0, 0)


def _build_delete_rows(m, subject, whole, context, offset):
    """'... Characteristics ... are hereby amended by deleting the row containing ... number 14'."""
    loc = _parse_locator(subject)
    which = m.group("which")
    rows = tuple(re.findall(r"\b(?:number|no\.|#)\s*(\d{1,4})\b", which, re.I)) or _parse_locator(which, which).rows
    if not rows:
        return None
    target = _make_target("row", loc, term=None, context=context)
    return _Clause("delete", target, None, False, rows, 0, 0)


def _build_listed(m, subject, whole, context, offset):
    """'The following ... are deleted:': the places are the items that follow (see ``listed_deletions``)."""
    c = _Clause("delete", Target("text"), None, False, (), 0, 0)
    c.listed = True
    return c


_LIST_MARK = re.compile(r"\(\s*(?:[a-z]|[ivx]{1,4}|\d{1,2})\s*\)")


def listed_deletions(items_text: str, context: Target | None) -> list[_Clause] | None:
    """One deletion per item of '(a) the fifth paragraph on page S-5; (b) the definition of «X»; and (c) ...'
    (folded text); None when an item names no element or words to delete."""
    marks = list(_LIST_MARK.finditer(items_text))
    if not marks:
        return None
    out: list[_Clause] = []
    for a, b in zip(marks, marks[1:] + [None]):
        item = items_text[a.end() : b.start() if b else len(items_text)].strip()
        item = re.sub(r"(?:[;,.]|\s)*(?:\band)?\s*$", "", item).strip(" ;,.")
        loc = _parse_locator(item, item)
        if loc.kind is None:
            old = _old_text(item, loc)
            if old is None:
                return None
            out.append(_Clause("delete", _make_target("value", loc, old_text=old, context=context), None, False, (), 0, 0))
        else:
            out.append(_Clause("delete", _make_target(loc.kind, loc, context=context), None, False, loc.rows, 0, 0))
    return out


def _build_partial(m, subject, whole, context, offset):
    """'... is hereby amended as follows:': rows of a table restated, text added, or the element anew."""
    loc = _parse_locator(subject)
    if loc.kind is None and not (loc.rows or loc.page or loc.heading or loc.locus or loc.term or loc.title_term):
        return None
    if loc.rows or loc.kind == "table" or (loc.kind is None and loc.table_named):
        term = loc.term or loc.title_term
        return _Clause("replace_rows", _make_target("row", loc, term=term, context=context), None, True, loc.rows, 0, 0)
    if re.search(r"supplemented|by the following|with the following", m.group("act"), re.I):
        return _Clause("append", _make_target(loc.kind or "value", loc, context=context), None, True, loc.rows, 0, 0)
    kind = loc.kind or "value"
    term = loc.term or (loc.title_term if kind == "value" else None)
    op = "replace_column" if kind == "column" else "replace"
    return _Clause(op, _make_target(kind, loc, term=term, context=context), None, True, loc.rows, 0, 0)


_ALPHABETICAL = re.compile(r",?\s*(?:in (?:its |their |the )?(?:proper |correct |appropriate )?alphabetical order|alphabetically)\b",
                           re.I)


def _build_insert(m, subject, whole, context, offset, *, amended_to_add: bool = False, fronted: bool = False):
    """The following text put next to, or at a position in, a named element.

    With ``amended_to_add`` ("«X» is amended to add the following ... at the end"), the subject is the place;
    with ``fronted`` (an imperative), the position may stand before the verb ("At the end of ..., add ...").
    """
    what = (m.group("what") or "").strip().lower()
    rest = (m.groupdict().get("rest") or "").strip()
    if fronted and not rest and _POSITION.match(subject.strip()):
        rest, subject = subject.strip().rstrip(","), ""
    alpha = _ALPHABETICAL.search(rest)
    if alpha and (what.endswith("definition") or what.endswith("definitions") or what.endswith("defined term")):
        # "The following definition is added to the Glossary in alphabetical order:": its place is its term's
        where = re.sub(r"^(?:to|into)\b", "in", rest[: alpha.start()].strip())  # "added to the Glossary": in it
        place = _parse_locator((where + " " + subject).strip())
        return _Clause("insert_at", _make_target("definition", place, term=None, context=context), None, True, (), 0, 0)
    if amended_to_add:
        return _insert_in_subject(subject, rest, context)
    p = _POSITION.match(rest) if rest else None
    if p is None:
        return None
    pos = p.group("pos").lower()
    place = p.group("loc")
    if pos in ("to", "in", "into", "under"):
        # "inserted in the Glossary on page S-16 immediately after the definition of «X»": the place comes
        # first, the position names the element; read them as "after the definition of «X» in the Glossary ..."
        inner = _INNER_POSITION.search(place)
        if inner and _top_level(place, inner.start()):
            p2 = _POSITION.match(place[inner.start() :].lstrip(", "))
            if p2:
                outer = place[: inner.start()].strip().rstrip(",")
                within = "in" if pos in ("to", "into") else pos  # "added to the Glossary": a place in it
                pos, place = p2.group("pos").lower(), f"{p2.group('loc')} {within} {outer}"
    # a leading phrase ("On page II-2 of ..., under «X», the following footnote is added to ...") locates too
    target_text = (place + " " + subject).strip()
    loc = _parse_locator(target_text, target_text)
    new_kind = _NOUN_KIND.get(re.sub(r"^(?:new|additional) ", "", what))
    if p.group("ord"):
        return _insert_counted(p, new_kind, target_text, context)
    if "footnote" in pos:
        # "added as a footnote on page S-C-2-2": a note to the table(s) there, its place among them not stated
        return _Clause("insert_at", _make_target("table", loc, context=context), None, True, (), 0, 0)
    if "reference" in pos or "entry" in pos or (loc.kind == "toc_entry"):
        return _Clause("insert_at", _make_target("toc_entry", loc, context=context), None, True, (), 0, 0)
    if loc.rows and not loc.kind:
        return _Clause("insert_at", _make_target("row", loc, context=context), None, True, loc.rows, 0, 0)
    kind = loc.kind or ("section" if loc.heading else None)
    if kind is None:
        return None
    if re.match(r"(?:immediately )?(?:after|following)|directly after", pos):
        op = "insert_after"
    elif re.match(r"(?:immediately )?(?:before|preceding)|prior to|at the beginning|to the beginning", pos):
        op = "insert_before"
    else:
        op = "append"
    return _Clause(op, _make_target(kind, loc, context=context), None, True, loc.rows, 0, 0)


def _insert_counted(p, new_kind, target_text, context):
    """«as the Nth X of/under …»: a position counted in its container; None when it cannot be held."""
    noun = _NOUN_KIND.get(p.group("noun").lower().strip())
    kind = noun or new_kind or "section"
    heading_loc = _parse_locator(target_text, target_text)
    if not heading_loc.heading and not heading_loc.term and target_text.strip():
        q = re.search(_Q, target_text)
        if q:
            heading_loc.heading = split_heading_path(q.group("q"))
    if heading_loc.kind == "heading":
        # "as the last bullet point under the heading «A—B»": the heading is the place, a path like any other
        heading_loc.heading = tuple(part for h in heading_loc.heading for part in split_heading_path(h))
    ordw = p.group("ord").lower()
    # the container whose Nth element the new text becomes: a named element ("the second
    # paragraph", "the risk factor entitled «X»"), else the section under the heading named
    container = heading_loc.kind if heading_loc.kind not in (None, "section", "heading", kind) else "section"
    if ordw == "last":
        # "as the last sentence of the second paragraph", "as a new last bullet point under «X»": appended
        return _Clause("append", _make_target(container, heading_loc, context=context), None, True, (), 0, 0)
    try:
        k, back = _ordinal(ordw)
    except ValueError:
        return None
    if back:
        return None
    if kind not in ("paragraph", "sentence", "bullet"):
        if k != 1:
            return None  # the Nth risk factor or table: no count to hold it to
        # "added as the first Risk Factor in the section «Risk Factors»": before the first there
        return _Clause("insert_before", _make_target(kind, heading_loc, context=context), None, True, (), 0, 0)
    # "as the new third bullet point under «X»", "as the first sentence of the second paragraph":
    # a position counted in the container
    heading_loc.ordinal = dataclasses.replace(heading_loc.ordinal or Ordinal(), **{kind: k})
    return _Clause("insert_at", _make_target(container, heading_loc, context=context), None, True, (), 0, 0)


def _insert_in_subject(subject, rest, context):
    """«X is amended to add the following … at the end / before …»: the subject is the place."""
    loc = _parse_locator(subject)
    kind = loc.kind or "value"
    if not rest or re.match(r"at the end", rest, re.I):
        return _Clause("append", _make_target(kind, loc, context=context), None, True, loc.rows, 0, 0)
    p = _POSITION.match(rest)
    op = "insert_before" if p and re.match(r"(?:immediately )?(?:before|preceding|prior)|at the beginning", p.group("pos"), re.I) else "insert_after"
    inner = _parse_locator(p.group("loc") if p else rest)
    if inner.ordinal:
        loc.ordinal = inner.ordinal
    kind = inner.kind or kind
    # "the table ... is amended by adding the following row after the row for Class B": the row it names
    return _Clause(op, _make_target(kind, loc, context=context), None, True, inner.rows or loc.rows, 0, 0)

