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
    _PAGES_RE,
    _Q,
    _ordinal,
)

# --- the action grammar ----------------------------------------------------------------------
# Each form is one compiled pattern over a folded header; the named group "act" is the action's
# words, the rest of the header is the locator. Order matters: the first form that matches wins.

_AUX = r"(?:should|shall|will|must|is|are|has been|have been|to be)(?: hereby)?(?: be)?"
_ENTIRETY = r"(?: in (?:its|their) entirety)?"
_END = r"\s*(?::|\.|$)"
_FOLLOWING = r"(?:the following|the text below|the following text)"
# words that may stand before a quoted new value: "replaced with a reference to «X»", "the figure «X»"
_NEW_PREFIX = r"(?:(?:a |the )?(?:new )?references? to |the (?:words?|phrase|number|figure|percentage|amount|date|rate|name|term) )?"


@dataclass(frozen=True)
class _Form:
    name: str
    pattern: re.Pattern[str]


def _form(name: str, pattern: str) -> _Form:
    return _Form(name, re.compile(pattern, re.I))


_FORMS = [
    # "The following table replaces the table entitled «X» on page S-32:"
    _form("following_replaces", rf"^(?P<act>the following (?P<what>[\w ,-]*?)\s*(?:hereby )?(?:replaces|shall replace|will replace|is substituted for)){_ENTIRETY} (?P<loc>.*?){_END}"),
    # "... is hereby amended by deleting the last sentence thereof and replacing it with the following:"
    _form("amend_by_deleting", rf"(?P<act>\b{_AUX} amended by deleting (?P<del>.*?) and (?:replacing|substituting) (?:it|them|the same|such \w+ )?{_ENTIRETY}\s*(?:with|by|therefor with) {_FOLLOWING}(?P<what>[^:{_OPEN}]*?)){_END}"),
    # "... should be deleted in its entirety and replaced with the following:"
    _form("replace_following", rf"(?P<act>\b(?:{_AUX} )?(?:(?:deleted|removed|struck)(?: in (?:its|their) entirety)?,?(?: and(?: (?:should|shall|will|is|are)(?: hereby)?(?: be)?)?)? )?(?:hereby )?replaced{_ENTIRETY} (?:with|by) {_FOLLOWING}(?P<what>[^:{_OPEN}]*?)){_END}"),
    # "... is hereby deleted and the following is substituted therefor:"
    _form("deleted_substituted", rf"(?P<act>\b{_AUX} (?:deleted|removed|struck){_ENTIRETY},? and the following(?P<what>[\w ,-]*?) (?:is |are |shall be |should be )?(?:substituted|inserted)(?: therefor| in (?:its|their) place| in lieu thereof)?){_END}"),
    # "... is changed from «Aaa» to «(1)»"
    _form("changed_from", rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:changed|amended|revised|corrected|modified|updated|increased|decreased|reduced|raised|lowered) from {_OPEN}(?P<old>[^{_CLOSE}]*){_CLOSE} to {_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE})"),
    # "... the reference to «9.25%» is changed to «9.50%»", "... is increased to «$5,000»"
    _form("changed_to", rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:changed|amended|revised|corrected|modified|updated|increased|decreased|reduced|raised|lowered)(?: so as)?(?: to read)? to (?:read )?{_NEW_PREFIX}{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE})"),
    # "... is amended by replacing «A» with «B»", "... by deleting «A» and inserting «B» in its place"
    _form("amend_by_replacing", rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified|corrected) by (?:replacing|changing|deleting|striking)(?: the (?:words?|phrase|number|figure|percentage|amount|date|rate|reference to))? {_OPEN}(?P<old>[^{_CLOSE}]*){_CLOSE}(?:,? and (?:replacing|substituting|inserting)(?: (?:it|them|the same|such \w+))?)?(?: (?:with|by|to))? {_NEW_PREFIX}{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE}(?: in (?:its|their) place| therefor| in lieu thereof)?)"),
    _form("amend_by_substituting", rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified|corrected) by (?:substituting|inserting) {_NEW_PREFIX}{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE} (?:for|in place of|in lieu of) (?:the (?:words?|phrase|number|figure|percentage|amount|date|rate|reference to) )?{_OPEN}(?P<old>[^{_CLOSE}]*){_CLOSE})"),
    # "... and by replacing «C» with «D»": a further substitution in the same place (never alone)
    _form("and_replacing", rf"(?P<act>(?:\band|,) (?:by )?(?:replacing|changing|substituting for) (?:the (?:words?|phrase|number|figure|percentage|amount|date|rate|reference to) )?{_OPEN}(?P<old>[^{_CLOSE}]*){_CLOSE} (?:with|by|to) {_NEW_PREFIX}{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE})"),
    # "... the words «A» are deleted and «B» is inserted in their place"
    _form("deleted_inserted", rf"(?P<act>\b{_AUX} (?:hereby )?(?:deleted|struck|removed),? and {_NEW_PREFIX}{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE} (?:is |are |shall be |should be |will be )?(?:hereby )?(?:inserted|substituted|added)(?: in (?:its|their) place| therefor| in lieu thereof)?)"),
    # "... is deleted and replaced with «1.10%»"
    _form("replace_quoted", rf"(?P<act>\b(?:{_AUX} )?(?:(?:deleted|removed|struck)(?: in (?:its|their) entirety)?,?(?: and(?: (?:should|shall|will|is|are)(?: be)?)?)? )?(?:hereby )?(?:replaced|substituted){_ENTIRETY} (?:with|by) {_NEW_PREFIX}{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE})"),
    # "... is amended and restated in its entirety as follows:"
    _form("restated", rf"(?P<act>\b(?:{_AUX} )?(?:amended and )?restated{_ENTIRETY}(?: to read)?(?: as follows| to read as follows)?)\s*(?::|$)"),
    # "... should read (as follows):", "... is revised to read as follows:", "should read «X»"
    _form("should_read", rf"(?P<act>\b(?:(?:should|shall|will|must|is|are)(?: hereby)?(?: be)? (?:revised|amended|changed|modified|corrected) to read|(?:should|shall|will|must|is hereby|now) reads?){_ENTIRETY}(?: as follows)?)(?=\s*(?::|{_OPEN}|$))"),
    # "The following sentences are inserted after ...", "... shall be added as the first Risk Factor in ..."
    _form("following_inserted", rf"^(?P<pre>(?:on|in|under|within|at|for)\b[^:]*?(?:,|{_CLOSE})\s+)?(?P<act>(?:the following|the|a|an) ?(?P<what>[\w ,-]*?) (?:{_AUX} )?(?:hereby )?(?:inserted|added|included))(?P<rest>(?: .*?)?){_END}"),
    # "... is hereby amended to add the following sentence at the end thereof:"
    _form("amended_to_add", rf"(?P<act>\b(?:{_AUX} )?(?:amended|supplemented|revised|modified) (?:to add|by adding|to insert|by inserting|to include|by including) {_FOLLOWING}(?P<what>[\w ,-]*?))(?P<rest>(?: (?:at the end|at the beginning|immediately after|immediately following|after|following|before|immediately before|preceding)\b.*?)?){_END}"),
    # imperatives: "Replace the second paragraph ... with the following:", "Insert the following after ..."
    _form("imperative_replace", rf"^(?P<act>replace) (?P<loc>.*?) (?:with|by) (?:{_FOLLOWING}(?P<what>[^:{_OPEN}]*?)|{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE}){_END}"),
    _form("imperative_insert", rf"^(?P<act>(?:insert|add) {_FOLLOWING}(?P<what>[\w ,-]*?))(?P<rest> .*?){_END}"),
    _form("imperative_delete", rf"^(?P<act>delete) (?P<loc>.*?){_ENTIRETY}{_END}"),
    # "... is hereby deleted in its entirety."
    _form("delete", rf"(?P<act>\b{_AUX} (?:hereby )?(?:deleted|removed|struck)(?: in (?:its|their) entirety)?(?: from the prospectus supplement)?)\s*(?:\.|$)"),
    # partial amendments: "... is hereby amended as follows:", "... will be changed to the following:"
    _form("partial", rf"(?P<act>\b{_AUX} (?:hereby )?(?:amended|revised|modified|updated|changed|corrected|supplemented)(?: and (?:supplemented|restated))?(?: as follows| to the following| to read as follows| as set forth below| by the following| with the following)?)\s*(?::|$)"),
]

_NOTICE = re.compile(
    r"^notwithstanding (?:anything|any statement|any information|anything else)\b.*?\b(?:to the contrary|prospectus|supplement)\b|"
    r"^notwithstanding (?:the|any) (?:description|statement|disclosure|information|discussion)s? .*?\b(?:prospectus|supplement)\b",
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


_KEEP = object()  # "take the locator's own term"


def _make_target(kind: str, loc: _Locator, old_text: str | None = None, term=_KEEP,
                 locus: str | None = None, context: Target | None = None, scope: str | None = None) -> Target:
    heading = loc.heading
    if loc.refers_back and context is not None and context.heading:
        heading = tuple(context.heading) + tuple(h for h in heading if h not in context.heading)
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
    )


_OLD_QUOTE = re.compile(
    rf"(?:\breferences? (?:.*? )?to|\b(?:the )?(?:words?|phrase|number|figure|percentage|amount|date|rate|name|term|"
    rf"entry|entries|text|language|wording|value|sum)|^(?:the )?)\s*{_Q}",
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


def _scope(s: str) -> str | None:
    return "all" if _SCOPE_ALL.search(s.strip()) else None


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
_SUBSTITUTION_FORMS = ("replace_quoted", "changed_from", "changed_to", "amend_by_replacing", "amend_by_substituting",
                       "deleted_inserted", "and_replacing")
_CONTINUATIONS = ("and_replacing",)  # forms read only after a first substitution in the same sentence


def _form_name(m: re.Match[str]) -> str:
    return next(f.name for f in _FORMS if f.pattern is m.re)


def _parse_header(h: str, context: Target | None) -> list[_Clause] | str | None:
    """Parse one folded header sentence: clauses, or 'leadin' / 'notice', or None (not an instruction)."""
    try:
        return _parse_header_forms(h, context)
    except _Unreadable:
        return None


def _parse_header_forms(h: str, context: Target | None) -> list[_Clause] | str | None:
    # several substitutions in one sentence (first-franklin-2004-ffa: "... the reference to «1.05%» is
    # deleted and replaced with «1.10%» and the reference to «1.575%» in the third paragraph ...")
    found = sorted((m for f in _FORMS if f.name in _SUBSTITUTION_FORMS for m in f.pattern.finditer(h)),
                   key=lambda m: (m.start(), -m.end()))
    subs: list[re.Match[str]] = []
    for m in found:  # leftmost-longest, no overlaps; a continuation never comes first
        if subs and m.start() < subs[-1].end():
            continue
        if not subs and _form_name(m) in _CONTINUATIONS:
            continue
        subs.append(m)
    if len(subs) > 1:
        clauses: list[_Clause] = []
        prev = 0
        ctx = context
        for m in subs:
            part = h[prev : m.start("act")]
            form = _form_name(m)
            c = _build(form, m, part, h[prev : m.end()], ctx, offset=prev)
            if c is None:
                return None
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
    for form in _FORMS:
        if form.name in _CONTINUATIONS:
            continue
        m = form.pattern.search(h)
        if not m:
            continue
        subject = h[: m.start("act")]
        if form.name in ("partial", "should_read", "restated", "delete", "replace_following") and _DOCUMENT_SUBJECT.match(
            _main_subject(subject).strip()
        ) and not _has_locator_evidence(subject):
            return "leadin"
        c = _build(form.name, m, subject, h, context)
        if c is None:
            continue
        c.start, c.end = 0, len(h)
        return [c]
    if _NOTICE.match(h) or _agreement_notice(h):
        return "notice"
    return None


def _has_locator_evidence(s: str) -> bool:
    return bool(_PAGES_RE.search(s) or _NOUN_RE.search(re.sub(r"\bprospectus supplement\b", "", s, flags=re.I))
                or re.search(rf"\bunder (?:the \w+ )?(?:entitled |titled )?{_OPEN}", s))


def _build(name: str, m: re.Match[str], subject: str, whole: str, context: Target | None, offset: int = 0) -> _Clause | None:
    """Turn one matched action and its locator into a clause; None when the pair makes no sense."""
    g = m.groupdict()
    what = (g.get("what") or "").strip().lower()
    if name == "following_replaces":
        loc = _parse_locator(g["loc"], g["loc"])
        kind = loc.kind or _NOUN_KIND.get(what, "value")
        return _Clause("replace", _make_target(kind, loc, context=context), None, True, loc.rows, 0, 0)
    if name in ("replace_following", "restated", "should_read", "amend_by_deleting", "deleted_substituted"):
        loc = _parse_locator(subject)
        kind = loc.kind
        if name == "amend_by_deleting":
            inner = _parse_locator(g["del"], g["del"])
            if inner.kind and inner.kind != kind and inner.ordinal:
                kind = inner.kind
                loc.ordinal = inner.ordinal
        if kind is None:
            kind = "value" if not (what and _NOUN_KIND.get(what)) else _NOUN_KIND[what]
        op = "replace"
        if kind == "column":
            op = "replace_column"
        new_inline = None
        block = True
        after = whole[m.end("act") :].lstrip(" :")
        text_from = None
        if name == "should_read" and after.startswith(_OPEN):
            q = re.match(_Q, after)
            rest = after[q.end() :] if q else ""
            if q and (not rest.strip(" .,;:") or _trailing_locator(rest)):
                # the quotation marks wrap the whole replacement: «X». (or «X» in each place it appears)
                new_inline, block = q.group("q"), False
                old = _old_text(subject, loc)
                if old and (kind == "column" or loc.kind is None):
                    # "the reference to «X» is amended to read «Y»": a substitution
                    k = "column" if kind == "column" else "value"
                    where = f"{subject} {_trailing_locator(rest)}".strip()
                    return _Clause("substitute", _make_target(k, loc, old_text=old, term=None if k == "column" else loc.term,
                                                              context=context, scope=_scope(where)),
                                   _clean_value(new_inline), False, loc.rows, 0, 0)
            else:
                # a quotation opens the replacement but does not close at its end ("«Term» means ...")
                text_from = offset + len(whole) - len(after)
        if kind == "definition" and loc.term is None:
            return None
        c = _Clause(op, _make_target(kind, loc, context=context), new_inline, block, loc.rows, 0, 0)
        c.text_from = text_from
        return c
    if name in (*_SUBSTITUTION_FORMS, "imperative_replace") and (g.get("new") is not None):
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
            return _Clause("substitute", _make_target(kind, loc, old_text=old.strip(), term=term, context=context,
                                                      scope=_scope(loc_text)),
                           _clean_value(new), False, loc.rows, 0, 0)
        if name == "changed_to" and loc.kind is None:
            return None  # "the rate is changed to «X»" names neither an element nor the old words
        rest = whole[m.end() :] if offset == 0 else ""
        if rest.strip(" .,;:") and not trailing:
            # "... is replaced with «Term» means ...": the quotation opens the new text but does not wrap it
            if name == "changed_to" or loc.kind is None or loc.kind in _VALUE_KINDS:
                return None
            c = _Clause("replace", _make_target(loc.kind, loc, context=context), None, True, loc.rows, 0, 0)
            c.text_from = m.start("new") - 1
            return c
        kind = loc.kind or "value"
        new = _clean_value(new) if kind in _VALUE_KINDS else new.strip()
        op = "replace_column" if kind == "column" else "replace"
        return _Clause(op, _make_target(kind, loc, context=context), new, False, loc.rows, 0, 0)
    if name == "imperative_replace":
        loc = _parse_locator(g["loc"], g["loc"])
        return _Clause("replace", _make_target(loc.kind or "value", loc, context=context), None, True, loc.rows, 0, 0)
    if name == "imperative_delete":
        loc = _parse_locator(g["loc"], g["loc"])
        if loc.kind is None:
            return None
        return _Clause("delete", _make_target(loc.kind, loc, context=context), None, False, loc.rows, 0, 0)
    if name == "delete":
        loc = _parse_locator(subject)
        if loc.kind is None:
            return None
        return _Clause("delete", _make_target(loc.kind, loc, context=context), None, False, loc.rows, 0, 0)
    if name in ("following_inserted", "imperative_insert", "amended_to_add"):
        return _build_insert(name, m, subject, context)
    if name == "partial":
        loc = _parse_locator(subject)
        if loc.kind is None and not (loc.rows or loc.page or loc.heading or loc.locus or loc.term or loc.title_term):
            return None
        if loc.rows or loc.kind == "table" or (loc.kind is None and loc.table_named):
            term = loc.term or loc.title_term
            return _Clause("replace_rows", _make_target("row", loc, term=term, context=context), None, True, loc.rows, 0, 0)
        if re.search(r"supplemented|by the following|with the following", m.group("act"), re.I):
            return _Clause("append", _make_target(loc.kind or "value", loc, context=context), None, True, loc.rows, 0, 0)
        kind = loc.kind or "value"
        return _Clause("replace_column" if kind == "column" else "replace", _make_target(kind, loc, term=loc.term or (loc.title_term if kind == "value" else None), context=context), None, True, loc.rows, 0, 0)
    return None


_POSITION = re.compile(
    r"^\s*(?P<pos>immediately after|immediately following|directly after|after|following|immediately before|"
    r"immediately preceding|before|preceding|prior to|at the end of|to the end of|at the beginning of|to the beginning of|"
    r"at the end thereof|at the end|at the beginning thereof|at the beginning|as the (?P<ord>first|last|\w+) (?P<noun>[\w ]+?) (?:in|of|under|to)|"
    r"as (?:a |an )?(?:new )?(?:reference|entry) (?:to|in)|as (?:a |an )?new|to|in|into|under)\b(?P<loc>.*)$",
    re.I,
)


_INNER_POSITION = re.compile(
    r",? \b(?:immediately |directly )?(?:after|following|before|preceding|prior to) (?=the\b)", re.I
)


def _build_insert(name: str, m: re.Match[str], subject: str, context: Target | None) -> _Clause | None:
    what = (m.group("what") or "").strip().lower()
    rest = (m.groupdict().get("rest") or "").strip()
    if name == "amended_to_add":
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
    if pos.startswith("as the"):
        noun = _NOUN_KIND.get(p.group("noun").lower().strip())
        kind = noun or new_kind or "section"
        heading_loc = _parse_locator(target_text, target_text)
        if not heading_loc.heading and target_text.strip():
            q = re.search(_Q, target_text)
            if q:
                heading_loc.heading = split_heading_path(q.group("q"))
        ordw = p.group("ord").lower()
        if heading_loc.kind not in (None, "section", "heading", kind) and ordw == "last":
            # "as the last sentence of the second paragraph": appended to the paragraph
            return _Clause("append", _make_target(heading_loc.kind, heading_loc, context=context), None, True, (), 0, 0)
        if ordw == "last" and heading_loc.kind in (None, "section", "heading", kind):
            return _Clause("append", _make_target("section", heading_loc, context=context), None, True, (), 0, 0)
        if ordw == "first" and heading_loc.kind in (None, "section", "heading", kind):
            if kind in ("paragraph", "sentence", "bullet"):
                heading_loc.ordinal = dataclasses.replace(heading_loc.ordinal or Ordinal(), **{kind: 1})
            return _Clause("insert_before", _make_target(kind, heading_loc, context=context), None, True, (), 0, 0)
        # "as the third paragraph under «X»": after the second; "as the first sentence of the second
        # paragraph": before its first sentence
        try:
            k, back = _ordinal(ordw)
        except ValueError:
            return None
        if back or kind not in ("paragraph", "sentence", "bullet"):
            return None
        o = heading_loc.ordinal or Ordinal()
        if kind == "sentence" and heading_loc.kind not in (None, "section", "heading", "paragraph", "sentence"):
            return None
        n = k - 1 if k > 1 else 1
        o = dataclasses.replace(o, **{kind: n})
        heading_loc.ordinal = o
        op = "insert_after" if k > 1 else "insert_before"
        return _Clause(op, _make_target(kind, heading_loc, context=context), None, True, (), 0, 0)
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


