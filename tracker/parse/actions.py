"""The action grammar: what an instruction does, and the clause it makes with its locator."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..models import Ordinal, Target
from ..text import is_abbreviation, split_heading_path
from .fold import _CLOSE, _OPEN
from .locator import (
    _HEADING_BEFORE,
    _Locator,
    _main_subject,
    _parse_locator,
    _Unreadable,
)
from .vocabulary import (
    _DOCUMENT_SUBJECT,
    _NOUN_KIND,
    _NOUN_RE,
    _ORD_WORD,
    _PAGES_RE,
    _Q,
    _ordinal,
)

# --- the words of actions ---------------------------------------------------------------------
# Every form below is composed from these parts: a verb or connective added here is read by every
# form that uses it, in every order the forms allow.

_AUX = (
    r"(?:(?:hereby|also|further|accordingly) )?(?:should|shall|will|must|may|is|are|was|were|has been|have been|to be)"
    r"(?: (?:hereby|also|further|accordingly|now))?(?: be)?(?: (?:hereby|also|further))?"
)
_ENTIRETY = r"(?: in (?:its|their) entirety| in full)?"
_END = r"\s*(?::|\.|$)"
_DELETED = r"(?:deleted|removed|struck(?: out)?|stricken|eliminated|omitted)"
_REPLACED = r"(?:replaced|superseded|substituted)"
# "amended and restated", "amended, restated and superseded", "restated": the whole element anew
_RESTATED = (
    r"(?:amended,? restated,? and superseded|amended and superseded|amended and replaced|"
    r"(?:(?:amended|revised),? (?:and )?)?restated(?:,? and superseded)?)"
)
_CHANGED = r"(?:changed|amended|revised|corrected|modified|updated|increased|decreased|reduced|raised|lowered|adjusted)"
_FOLLOWING = r"(?:the following|the text below|the following text|the (?:text|language|wording|information) (?:set forth |shown )?below)"
# words that may stand before a quoted new value: "replaced with a reference to «X»", "the figure «X»"
_NEW_PREFIX = r"(?:(?:a |the )?(?:new )?references? to |the (?:words?|phrase|number|figure|percentage|amount|date|rate|name|term) )?"
_VALUE_NOUN = r"(?:words?|phrase|number|figure|percentage|amount|date|rate|reference to|text|term)"
_QNEW = rf"{_NEW_PREFIX}{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE}"
_QOLD = rf"{_OPEN}(?P<old>[^{_CLOSE}]*){_CLOSE}"
# a figure given without quotation marks: "3.6% shall be deleted and replaced with 7.4%"
_FIGURE = r"(?:\$ ?)?\(?\d[\d,]*(?:\.\d+)?\)?(?: ?%| percent| basis points)?"
_IN_PLACE = r"(?: in (?:its|their) place| therefor| in lieu thereof)?"

# "Notwithstanding anything to the contrary ...", "Notwithstanding the definitions of «X» in the prospectus
# supplement, ...": an override stated beside the text, not an edit of it
_NOTICE = re.compile(
    r"^notwithstanding (?:anything|any statement|any information|anything else)\b.*?\b(?:to the contrary|prospectus|supplement)\b|"
    r"^notwithstanding (?:the|any|such|each)\b[^.]*?\b(?:prospectus|supplement|memorandum|agreement)\b[^.]*?,",
    re.I,
)


# A party reporting a change to a transaction agreement ("The Depositor and the Servicer have amended the
# Sale and Servicing Agreement to permit ..."): a statement of fact that changes no text of the document.
_AGREEMENT_NOTICE = re.compile(
    r"^(?P<subj>(?:[Tt]he )?[A-Z][\w'’&.-]*(?:,? (?:[A-Z][\w'’&.-]*|and|the|of|&))*) (?:has|have)"
    r"(?: (?:also|previously|subsequently|since|now))? (?:amended|modified|waived|supplemented|restated|"
    r"entered into (?:an? )?(?:amendment|supplement|waiver|modification)s? (?:to|of)|agreed to (?:amend|modify|waive))"
    r"(?: and (?:restated|supplemented))? (?:the |that certain |each )?(?:[A-Z][\w'’&.-]*(?:,? (?:[A-Z][\w'’&.-]*|and|of|the|&))* )?"
    r"(?:Agreements?|Indentures?|Declaration of Trust|Trust Agreement)\b"
)


def _agreement_notice(h: str) -> bool:
    m = _AGREEMENT_NOTICE.match(h)
    return bool(m) and not _DOCUMENT_SUBJECT.match(m.group("subj")) and not _NOUN_RE.search(m.group("subj"))


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


_KEEP = object()  # "take the locator's own term"


def _make_target(kind: str, loc: _Locator, old_text: str | None = None, term=_KEEP,
                 locus: str | None = None, context: Target | None = None, scope: str | None = None) -> Target:
    heading = loc.heading
    if loc.refers_back and context is not None and context.heading:
        heading = tuple(context.heading) + tuple(h for h in heading if h not in context.heading)
    if kind == "value" and loc.cell:
        # words in one cell: the row named (and its column), in the table named by its title or by the
        # definition it stands in
        kind, term = "cell", loc.table_title or (loc.term if loc.term != loc.column else None)
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
        footnote=loc.footnote if kind == "paragraph" else None,
    )


_OLD_QUOTE = re.compile(
    rf"(?:\breferences? (?:.*? )?to|\b(?:the )?(?:words?|phrase|number|figure|percentage|amount|date|rate|name|term|"
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
        if _HEADING_BEFORE.search(s[max(0, m.start("q") - 61) : m.start("q") - 1]):
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


def _parse_header(h: str, context: Target | None) -> list[_Clause] | str | None:
    """Parse one folded header sentence: clauses, or 'leadin' / 'notice', or None (not an instruction)."""
    try:
        return _several_substitutions(h, context) or _several_edits(h, context) or _one_action(h, context)
    except _Unreadable:
        return None


def _as_list(built) -> list[_Clause]:
    return [] if built is None else built if isinstance(built, list) else [built]


def _several_substitutions(h: str, context: Target | None) -> list[_Clause] | None:
    """'... the reference to «1.05%» is deleted and replaced with «1.10%» and the reference to «1.575%» in
    the third paragraph ... with «1.65%»': each substitution a clause, a bare one in the place before."""
    found = sorted((m for a in ACTIONS if a.substitution for m in a.pattern.finditer(h)),
                   key=lambda m: (m.start(), -m.end()))
    subs: list[re.Match[str]] = []
    for m in found:  # leftmost-longest, no overlaps; a continuation never comes first
        if subs and m.start() < subs[-1].end():
            continue
        if not subs and _ACTION_OF[m.re].continuation:
            continue
        subs.append(m)
    if len(subs) < 2:
        return None
    clauses: list[_Clause] = []
    prev = 0
    ctx = context
    for m in subs:
        built = _as_list(_ACTION_OF[m.re].build(m, h[prev : m.start("act")], h[prev : m.end()], ctx, prev))
        if len(built) != 1:
            return None
        c = built[0]
        t = c.target
        if clauses and c.op == "substitute" and not (t.page or t.heading or t.ordinal or t.term or t.locus):
            # "..., the number «12» is changed to «14» and the number «15» to «18»": same place as before
            c.target = dataclasses.replace(clauses[-1].target, old_text=t.old_text, kind=t.kind,
                                           scope=t.scope or clauses[-1].target.scope)
        c.start, c.end = prev, m.end()
        clauses.append(c)
        ctx = c.target
        prev = m.end()
    return clauses


# Where one sentence of several edits is cut: "Under «X» on page S-27, the word «and» is deleted from ...,
# the «.» is deleted and replaced with «; and» in the last bullet point and the following is added ...:"
_EDIT_BREAK = re.compile(r"[,;] (?:and )?(?=(?:the|all|each|any|a|an)\b)| and (?=the following\b|the (?:word|words|phrase|reference)\b)", re.I)
_EDIT_VERB = re.compile(
    r"\b(?:deleted|removed|struck|replaced|substituted|superseded|inserted|added|amended|revised|restated|changed|"
    r"modified|corrected)\b|\b(?:should|shall) read\b", re.I)


def _several_edits(h: str, context: Target | None) -> list[_Clause] | None:
    """A sentence of several edits sharing the place named before them: one clause each, or None.

    The sentence is cut where a new clause opens ("..., the ...", "... and the following ..."); the
    pieces before the first with an edit verb are the shared place, and a piece without one belongs to
    the edit before it. Every edit piece must read as an instruction on its own, or none is taken.
    """
    cuts = [m for m in _EDIT_BREAK.finditer(h) if _top_level(h, m.start())]
    if not cuts:
        return None
    bounds = [(0, cuts[0].start())] + [(a.end(), b.start()) for a, b in zip(cuts, cuts[1:])] + [(cuts[-1].end(), len(h))]
    pieces: list[list[int]] = []  # [start, end] of each edit piece
    shared_end = 0
    for a, b in bounds:
        if _EDIT_VERB.search(h[a:b]):
            pieces.append([a, b])
        elif pieces:
            pieces[-1][1] = b
        else:
            shared_end = b
    if len(pieces) < 2:
        return None
    shared = h[:shared_end].strip(" ,")
    clauses: list[_Clause] = []
    ctx = context
    for a, b in pieces:
        piece = h[a:b]
        header = f"{shared}, {piece}" if shared else piece
        got = _one_action(header, ctx)
        if not isinstance(got, list) or len(got) != 1:
            return None
        c = got[0]
        if c.text_from is not None:
            return None
        c.start, c.end = (0 if not clauses else a), b
        clauses.append(c)
        ctx = c.target
    return clauses


# A statement of a new figure that names no wording to change: "The initial Certificate Balance of the
# Class A-3 certificates will be increased to $230,000,000." (a notice, per the corpus's convention)
_FACT_CHANGE = re.compile(
    rf"\b(?:will be|shall be|is|are|has been|have been)(?: hereby)? (?:{_CHANGED}|revised to refer) (?:to|from) (?![{_OPEN}])", re.I)


def _one_action(h: str, context: Target | None) -> list[_Clause] | str | None:
    """The first form that reads the whole header, with its clause(s); or 'leadin', 'notice', 'fact'
    (a new figure stated without the words it changes: a notice unless it stands in new text), None."""
    for action in ACTIONS:
        if action.continuation:
            continue
        m = action.pattern.search(h)
        if not m:
            continue
        subject = h[: m.start("act")]
        if action.leadin and _DOCUMENT_SUBJECT.match(_main_subject(subject).strip()) and not _has_locator_evidence(subject):
            return "leadin"
        built = _as_list(action.build(m, subject, h, context, 0))
        if not built:
            continue
        if len(built) == 1:
            built[0].start, built[0].end = 0, len(h)
        else:
            for c in built:
                c.start, c.end = 0, len(h)
        return built
    if _NOTICE.match(h) or _agreement_notice(h):
        return "notice"
    fact = _FACT_CHANGE.search(h)
    if fact and _OPEN not in h[fact.end():] and not re.match(r"\s*read\b", h[fact.end():], re.I):
        return "fact"
    return None


def _has_locator_evidence(s: str) -> bool:
    return bool(_PAGES_RE.search(s) or _NOUN_RE.search(re.sub(r"\bprospectus supplement\b", "", s, flags=re.I))
                or re.search(rf"\bunder (?:the \w+ )?(?:entitled |titled )?{_OPEN}", s))


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


# --- builders: one matched action and its locator make a clause -------------------------------
# Each takes the match, the subject (the header before the action's words), the whole header, the
# target of the instruction before (for "that heading") and the offset of ``whole`` in the header.


# A row or a column replaced whole is restated in its table
_REPLACE_OP = {"column": "replace_column", "row": "replace_rows"}


def _kind_of(loc: _Locator, what: str, default: str = "value") -> str:
    return loc.kind or _NOUN_KIND.get(what) or default


def _build_following_replaces(m, subject, whole, context, offset):
    """'The following table replaces the table entitled «X» on page S-32:'"""
    loc = _parse_locator(m.group("loc"), m.group("loc"))
    kind = _kind_of(loc, (m.group("what") or "").strip().lower())
    return _Clause(_REPLACE_OP.get(kind, "replace"), _make_target(kind, loc, context=context), None, True, loc.rows, 0, 0)


def _build_replace(m, subject, whole, context, offset):
    """The whole element anew: '... deleted in its entirety and replaced with the following:', '... should read:'."""
    g = m.groupdict()
    loc = _parse_locator(subject)
    kind = loc.kind
    if g.get("del"):
        # "... is hereby amended by deleting the last sentence thereof and replacing it with the following:"
        inner = _parse_locator(g["del"], g["del"])
        if inner.kind and inner.kind != kind and inner.ordinal:
            kind = inner.kind
            loc.ordinal = inner.ordinal
    what = (g.get("what") or "").strip().lower()
    if kind is None:
        kind = _NOUN_KIND.get(what, "value") if what else "value"
    op = _REPLACE_OP.get(kind, "replace")
    after = whole[m.end("act") :].lstrip(" :")
    text_from = None
    if m.re is _SHOULD_READ and after.startswith(_OPEN):
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


def _build_substitution(m, subject, whole, context, offset):
    """Old words for new: '«1.05%» ... is deleted and replaced with «1.10%»', '... changed from «A» to «B»'."""
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
    if old is not None:
        kind = loc.kind if loc.kind in ("column", "heading") else "value"
        term = None if kind == "column" else loc.term
        target = _make_target(kind, loc, old_text=old.strip(), term=term, context=context, scope=_scope(loc_text, loc))
        return _Clause("substitute", target, _clean_value(new), False, loc.rows, 0, 0)
    if m.re is _CHANGED_TO and loc.kind is None:
        return None  # "the rate is changed to «X»" names neither an element nor the old words
    rest = whole[m.end() :] if offset == 0 else ""
    if rest.strip(" .,;:") and not trailing:
        # "... is replaced with «Term» means ...": the quotation opens the new text but does not wrap it
        if m.re is _CHANGED_TO or loc.kind is None or loc.kind in _VALUE_KINDS:
            return None
        c = _Clause("replace", _make_target(loc.kind, loc, context=context), None, True, loc.rows, 0, 0)
        c.text_from = m.start("new") - 1
        return c
    kind = loc.kind or "value"
    new = _clean_value(new) if kind in _VALUE_KINDS else new.strip()
    op = "replace_column" if kind == "column" else "replace"
    return _Clause(op, _make_target(kind, loc, context=context), new, False, loc.rows, 0, 0)


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
    pairs = [(old, new)]
    po, pn = _PARENTHETICAL.match(old), _PARENTHETICAL.match(new)
    if po and pn:
        pairs = [(po.group("name").strip(" ,"), pn.group("name").strip(" ,")), (po.group("short").strip(), pn.group("short").strip())]
    clauses = [_Clause("substitute", _make_target("value", loc, old_text=o, context=context, scope=scope), n, False, (), 0, 0)
               for o, n in pairs if o and n]
    return clauses or None


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
        place = f"{m.group('loc')} {m.group('trail') or ''}".strip()
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
    """'... is hereby deleted in its entirety.', 'Delete the last sentence of ...'."""
    text = m.groupdict().get("loc") or subject
    loc = _parse_locator(text, text)
    if loc.kind is None:
        old = _old_text(text, loc)
        if old is None:
            return None
        # "the words «and the Servicer» in the second sentence ... are deleted": words, not an element
        return _Clause("delete", _make_target("value", loc, old_text=old, context=context), None, False, (), 0, 0)
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


def _build_insert(m, subject, whole, context, offset):
    """The following text put next to, or at a position in, a named element."""
    what = (m.group("what") or "").strip().lower()
    rest = (m.groupdict().get("rest") or "").strip()
    if m.re is _AMENDED_TO_ADD:
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
        return _Clause(op, _make_target(kind, loc, context=context), None, True, loc.rows, 0, 0)
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
        noun = _NOUN_KIND.get(p.group("noun").lower().strip())
        kind = noun or new_kind or "section"
        heading_loc = _parse_locator(target_text, target_text)
        if not heading_loc.heading and not heading_loc.term and target_text.strip():
            q = re.search(_Q, target_text)
            if q:
                heading_loc.heading = split_heading_path(q.group("q"))
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



# --- the forms --------------------------------------------------------------------------------
# One compiled pattern per form over a folded header; the named group "act" holds the action's words
# and the rest of the header is the locator. The table at the end pairs each with its builder; the
# first form that matches and builds wins.


def _form(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# "The following table replaces the table entitled «X» on page S-32:"
_FOLLOWING_REPLACES = _form(rf"^(?P<act>(?:the (?:information|text|language|disclosure|data) (?:in|set forth in|contained in) )?the following (?P<what>[\w ,-]*?)\s*(?:hereby )?(?:replaces|shall replace|will replace|supersedes|shall supersede|is substituted for)){_ENTIRETY} (?:the (?:information|data) (?:in|set forth in|contained in) )?(?P<loc>.*?){_END}")
# "... is hereby amended by deleting the last sentence thereof and replacing it with the following:"
_AMEND_BY_DELETING = _form(rf"(?P<act>\b{_AUX} amended by (?:deleting|removing|striking) (?P<del>.*?) and (?:replacing|substituting) (?:it|them|the same|such \w+ )?{_ENTIRETY}\s*(?:with|by|therefor with) {_FOLLOWING}(?P<what>[^:{_OPEN}]*?)){_END}")
# "... should be deleted in its entirety and replaced with the following:", "... amended, restated and superseded by the following:"
_REPLACE_FOLLOWING = _form(rf"(?P<act>\b(?:{_AUX} )?(?:{_DELETED}{_ENTIRETY},?(?: and(?: (?:should|shall|will|is|are)(?: hereby)?(?: be)?)?)? )?(?:hereby )?(?:{_REPLACED}|{_RESTATED}){_ENTIRETY} (?:with|by) {_FOLLOWING}(?P<what>[^:{_OPEN}]*?)){_END}")
# "... is hereby deleted and the following is substituted therefor:"
_DELETED_SUBSTITUTED = _form(rf"(?P<act>\b{_AUX} {_DELETED}{_ENTIRETY},? and the following(?P<what>[\w ,-]*?) (?:is |are |shall be |should be )?(?:substituted|inserted){_IN_PLACE}){_END}")
# "... is changed from «Aaa» to «(1)»"
_CHANGED_FROM = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?{_CHANGED} from {_QOLD} to {_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE})")
# "... the reference to «9.25%» is changed to «9.50%»", "... is increased to «$5,000»"
_CHANGED_TO = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?{_CHANGED}(?: so as)?(?: to read)? to (?:read )?{_QNEW})")
# "... is amended by replacing «A» with «B»", "... by deleting «A» and inserting «B» in its place"
_AMEND_BY_REPLACING = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified|corrected) (?:by (?:replacing|changing|deleting|striking)|to (?:replace|change|delete|strike))(?: the {_VALUE_NOUN})? {_QOLD}(?:,? and (?:replacing|substituting|inserting)(?: (?:it|them|the same|such \w+))?)?(?: (?:with|by|to))? {_QNEW}{_IN_PLACE})")
# "... is amended by substituting «B» for «A»"
_AMEND_BY_SUBSTITUTING = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified|corrected) (?:by (?:substituting|inserting)|to (?:substitute|insert)) {_QNEW} (?:for|in place of|in lieu of) (?:the {_VALUE_NOUN} )?{_QOLD})")
# "... and by replacing «C» with «D»": a further substitution in the same place (never alone)
_AND_REPLACING = _form(rf"(?P<act>(?:\band|,) (?:by )?(?:replacing|changing|substituting for) (?:the {_VALUE_NOUN} )?{_QOLD} (?:with|by|to) {_QNEW})")
# "... the words «A» are deleted and «B» is inserted in their place"
_DELETED_INSERTED = _form(rf"(?P<act>\b{_AUX} (?:hereby )?{_DELETED},? and {_QNEW} (?:is |are |shall be |should be |will be )?(?:hereby )?(?:inserted|substituted|added){_IN_PLACE})")
# "... is deleted and replaced with «1.10%»", "... is superseded by «X»"
_REPLACE_QUOTED = _form(rf"(?P<act>\b(?:{_AUX} )?(?:{_DELETED}{_ENTIRETY},?(?: and(?: (?:should|shall|will|is|are)(?: be)?)?)? )?(?:hereby )?{_REPLACED}{_ENTIRETY} (?:with|by) {_QNEW})")
# "3.6% shall be deleted and replaced with 7.4%": figures without quotation marks
_FIGURES = _form(rf"(?:^|(?<=: )|(?<=, )|(?<=\bto )|(?<=\bthe )|(?<=\bfigure )|(?<=\bamount )|(?<=\brate ))(?P<act>(?P<old>{_FIGURE}) (?:{_AUX} )?(?:hereby )?(?:{_DELETED},? and (?:{_AUX} )?)?(?:{_REPLACED}|{_CHANGED}) (?:with|by|to) (?:read )?(?P<new>{_FIGURE}))(?=\s*(?:[.;,]|$| in\b| on\b))")
# "... is changed from 1.05% to 1.10%": figures without quotation marks
_FIGURES_FROM = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?{_CHANGED} from (?P<old>{_FIGURE}) to (?P<new>{_FIGURE}))(?=\s*(?:[.;,]|$| in\b| on\b))")
# "... shall be changed from the distribution date occurring in June 2010 to the distribution date occurring in
# February 2010": phrases without quotation marks; the words that differ are the change
_PHRASES_FROM = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?{_CHANGED} from (?P<old>[^{_OPEN}{_CLOSE}]+?) to (?P<new>[^{_OPEN}{_CLOSE}]+?))\s*\.?$")
# "References in the Prospectus to A Corp. are replaced by references to B Corp.": names without quotation marks
_REFERENCES = _form(rf"^(?P<act>(?:all |each |any )?references?(?P<where> (?:in|throughout) [^{_OPEN}{_CLOSE},]*?)? to (?P<old>[^{_OPEN}{_CLOSE}]+?(?:\({_OPEN}[^{_CLOSE}]*{_CLOSE}\))?) (?:{_AUX} )?(?:hereby )?(?:{_DELETED} and )?(?:{_REPLACED}|changed|amended) (?:with|by|to) (?:references? to )?(?P<new>[^{_OPEN}{_CLOSE}]+?(?:\({_OPEN}[^{_CLOSE}]*{_CLOSE}\))?))\s*\.?$")
# "... is amended and restated in its entirety as follows:"
_RESTATED_FORM = _form(rf"(?P<act>\b(?:{_AUX} )?{_RESTATED}{_ENTIRETY}(?: to read)?(?: as follows| to read as follows)?)\s*(?::|$)")
# "... should read (as follows):", "... is revised to read as follows:", "should read «X»"
_SHOULD_READ = _form(rf"(?P<act>\b(?:(?:should|shall|will|must|is|are)(?: hereby)?(?: be)? (?:revised|amended|changed|modified|corrected|updated) to read|(?:should|shall|will|must|is hereby|now) reads?){_ENTIRETY}(?: as follows)?)(?=\s*(?::|{_OPEN}|$))")
# "The following sentences are inserted after ...", "... shall be added as the first Risk Factor in ..."
_FOLLOWING_INSERTED = _form(rf"^(?P<pre>(?:on|in|under|within|at|for)\b[^:]*?(?:,|{_CLOSE})\s+)?(?P<act>(?:the following|the|a|an) ?(?P<what>[\w ,-]*?) (?:{_AUX} )?(?:hereby )?(?:inserted|added|included))(?P<rest>(?: .*?)?){_END}")
# "... is hereby amended to add the following sentence at the end thereof:"
_AMENDED_TO_ADD = _form(rf"(?P<act>\b(?:{_AUX} )?(?:amended|supplemented|revised|modified) (?:to add|by adding|to insert|by inserting|to include|by including|with|by) {_FOLLOWING}(?P<what>[\w ,-]*?))(?P<rest>(?: (?:at the end|at the beginning|immediately after|immediately following|after|following|before|immediately before|preceding)\b.*?)?){_END}")
# "... are hereby amended by deleting the row containing Mortgage Loan number 14"
_DELETE_ROWS = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified) by (?:deleting|removing|striking)(?: therefrom)? (?:the |each )?(?:rows?|lines?|entr(?:y|ies)) (?P<which>.*?)){_ENTIRETY}{_END}")
# "... is amended by deleting the words «(other than the Class A-IO Certificates)»"
_AMEND_BY_DELETING_WORDS = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified) by (?:deleting|removing|striking)(?: therefrom)?(?: the {_VALUE_NOUN})? {_QOLD})(?!,? and (?:replacing|substituting|inserting))")
# "the word «and» is deleted from the second to last bullet point"
_DELETE_FROM = _form(rf"(?P<act>\b{_AUX} (?:hereby )?{_DELETED}{_ENTIRETY} from) (?P<loc>.*?){_END}")
# "The following provisions of the Prospectus Supplement are deleted: (a) ...; (b) ...": a list of places
_FOLLOWING_LISTED = _form(rf"^(?P<act>the following(?: [\w,-]+){{0,6}}? (?:{_AUX} )?(?:hereby )?{_DELETED}{_ENTIRETY})(?: from [\w ,-]+)?\s*:$")
# imperatives: "Replace the second paragraph ... with the following:", "Insert the following after ...", "Delete ..."
_IMPERATIVE_REPLACE = _form(rf"^(?P<act>replace) (?P<loc>.*?) (?:with|by) (?:{_FOLLOWING}(?P<what>[^:{_OPEN}]*?)|{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE}(?P<trail> (?:in|on|under|within|of|wherever|throughout)\b[^:]*?)?){_END}")
# "Page S-20 ... is amended by deleting the second full paragraph under the heading «Advances»"
_AMEND_BY_DELETING_ELEMENT = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified) by (?:deleting|removing|striking)(?: therefrom)? (?P<del>(?:the|each|all) (?!(?:{_VALUE_NOUN}|rows?|lines?|entr(?:y|ies))\b)[^{_OPEN}:]*?(?:{_OPEN}[^{_CLOSE}]*{_CLOSE}[^{_OPEN}:]*?)*)){_ENTIRETY}\s*\.?$")
# "... is amended by inserting the words «, as amended,» after the words «Pooling Agreement»"
_INSERT_WORDS = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified) (?:by (?:inserting|adding)|to (?:insert|add)) (?:the {_VALUE_NOUN} )?{_QNEW} (?P<pos>immediately after|immediately before|after|before|following|preceding) (?:the {_VALUE_NOUN} )?{_QOLD})")
_IMPERATIVE_INSERT = _form(rf"^(?P<act>(?:insert|add) {_FOLLOWING}(?P<what>(?: [\w-]+){{0,3}}?))(?P<rest> (?:immediately |directly )?(?:after|following|before|preceding|prior to|at|to|as|in|into|under)\b.*?){_END}")
_IMPERATIVE_DELETE = _form(rf"^(?P<act>delete) (?P<loc>.*?){_ENTIRETY}{_END}")
# "... is hereby deleted in its entirety."
_DELETE = _form(rf"(?P<act>\b{_AUX} (?:hereby )?{_DELETED}{_ENTIRETY}(?: from the prospectus supplement)?)\s*(?:\.|$)")
# partial amendments: "... is hereby amended as follows:", "... will be changed to the following:"
_PARTIAL = _form(rf"(?P<act>\b{_AUX} (?:hereby )?(?:amended|revised|modified|updated|changed|corrected|supplemented)(?: and (?:supplemented|restated))?(?: as follows| to the following| to read as follows| as set forth below| by the following| with the following)?)\s*(?::|$)")


@dataclass(frozen=True)
class Action:
    """One form of the action grammar: its pattern, the builder of its clause, and how it combines."""

    name: str
    pattern: re.Pattern[str]
    build: object  # (match, subject, whole, context, offset) -> _Clause | list[_Clause] | None
    substitution: bool = False  # old words for new: several may stand in one sentence
    continuation: bool = False  # read only after a first substitution in the same sentence
    leadin: bool = False  # with the document itself as subject ("The Prospectus is amended as follows:"), a lead-in


ACTIONS = (
    Action("following_replaces", _FOLLOWING_REPLACES, _build_following_replaces),
    Action("amend_by_deleting", _AMEND_BY_DELETING, _build_replace),
    Action("replace_following", _REPLACE_FOLLOWING, _build_replace, leadin=True),
    Action("deleted_substituted", _DELETED_SUBSTITUTED, _build_replace),
    Action("changed_from", _CHANGED_FROM, _build_substitution, substitution=True),
    Action("changed_to", _CHANGED_TO, _build_substitution, substitution=True),
    Action("amend_by_replacing", _AMEND_BY_REPLACING, _build_substitution, substitution=True),
    Action("amend_by_substituting", _AMEND_BY_SUBSTITUTING, _build_substitution, substitution=True),
    Action("and_replacing", _AND_REPLACING, _build_substitution, substitution=True, continuation=True),
    Action("deleted_inserted", _DELETED_INSERTED, _build_substitution, substitution=True),
    Action("replace_quoted", _REPLACE_QUOTED, _build_substitution, substitution=True),
    Action("figures", _FIGURES, _build_substitution, substitution=True),
    Action("figures_from", _FIGURES_FROM, _build_substitution, substitution=True),
    Action("references", _REFERENCES, _build_references),
    Action("phrases_from", _PHRASES_FROM, _build_phrases),
    Action("restated", _RESTATED_FORM, _build_replace, leadin=True),
    Action("should_read", _SHOULD_READ, _build_replace, leadin=True),
    Action("following_inserted", _FOLLOWING_INSERTED, _build_insert),
    Action("amended_to_add", _AMENDED_TO_ADD, _build_insert),
    Action("delete_rows", _DELETE_ROWS, _build_delete_rows),
    Action("delete_from", _DELETE_FROM, _build_delete_from),
    Action("amend_by_deleting_words", _AMEND_BY_DELETING_WORDS, _build_delete_words),
    Action("amend_by_deleting_element", _AMEND_BY_DELETING_ELEMENT, _build_delete_element),
    Action("insert_words", _INSERT_WORDS, _build_insert_words),
    Action("following_listed", _FOLLOWING_LISTED, _build_listed),
    Action("imperative_replace", _IMPERATIVE_REPLACE, _build_imperative_replace),
    Action("imperative_insert", _IMPERATIVE_INSERT, _build_insert),
    Action("imperative_delete", _IMPERATIVE_DELETE, _build_delete),
    Action("delete", _DELETE, _build_delete, leadin=True),
    Action("partial", _PARTIAL, _build_partial, leadin=True),
)
_ACTION_OF = {a.pattern: a for a in ACTIONS}
