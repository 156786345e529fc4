"""Reading one header sentence: the first form that reads it, several edits in one sentence, or a notice.

What belongs here: trying the forms of ``ACTIONS`` on a folded sentence; cutting a sentence of several
edits into clauses that share the place named before them; telling notices ("Notwithstanding ...",
a party's report of an amended agreement, a new figure stated without the words it changes) and
lead-ins ("The Prospectus Supplement is amended as follows:") from instructions."""

from __future__ import annotations

import dataclasses
import re

from ..models import Target
from .clause import _Clause, _top_level
from .fold import _OPEN
from .forms import _ACTION_OF, _CHANGED, ACTIONS
from .locator import (
    _main_subject,
    _Unreadable,
)
from .vocabulary import (
    _DOCUMENT_SUBJECT,
    _LABEL,
    _NOUN_RE,
    _PAGES_RE,
)

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


# "under «Summary of Terms—Credit Enhancement,» the third bullet": the comma printed inside the closing
# quotation mark (American style) punctuates the sentence, not the name; moved out, the length unchanged
_PUNCT_IN_QUOTE = re.compile(r"(«(?![,;])[^«»]*\w)([,;])»(?=\s)")  # (a quotation that opens with a comma keeps its last)


def _parse_header(h: str, context: Target | None) -> list[_Clause] | str | None:
    """Parse one folded header sentence: clauses, or 'leadin' / 'notice', or None (not an instruction)."""
    h = _PUNCT_IN_QUOTE.sub(r"\1»\2", h)
    lead = _PAGE_LEAD.match(h)
    if lead:
        return _on_page(_parse_header(h[lead.end() :], context), lead.group("label"), lead.end())
    item = _ITEM_LEAD.match(h)
    if item:
        return _shifted(_parse_header(h[item.end() :], context), item.end())
    tail = _UNCHANGED_TAIL.search(h)
    if tail:
        # "..., and the remaining sentences of that paragraph are unchanged": said of what the edit leaves
        h = h[: tail.start()] + "."
    try:
        return (_enumerated_edits(h, context) or _several_substitutions(h, context) or _several_edits(h, context)
                or _one_action(h, context))
    except _Unreadable:
        return None


# "Page 10 – The following bullet point is added ...", "Page S-12: In the second paragraph ...": the page
# named as a heading of the instruction that follows
_PAGE_LEAD = re.compile(rf"^(?:on )?page (?P<label>{_LABEL})\s*(?:--|[–—:.-])\s*(?=[A-Z{_OPEN}])", re.I)


# "(ii) The following new risk factor is inserted ...", "3. Delete ...", "Second, the following is added ...": the
# number of an item in the sticker's own list of edits, not part of the edit
_ITEM_LEAD = re.compile(r"^(?:\((?:[ivxlc]{1,6}|[a-z]|\d{1,2})\)|(?:[ivxlc]{1,6}|[a-zA-Z]|\d{1,2})[.)])\s+(?=[A-Z«(])"
                        r"|^(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|next|finally|lastly|"
                        r"additionally|in addition|further|furthermore),\s+(?=[a-z«])", re.I)


_UNCHANGED_TAIL = re.compile(
    r",? and (?:the |all )?(?:remaining|remainder|rest|other|balance)\b[^.;:]*?\b(?:is|are|remains?|shall remain|will remain)"
    r"\s+(?:otherwise\s+)?(?:unchanged|unaffected|unmodified|not (?:amended|changed|affected|modified))\s*\.?$", re.I)


def _shifted(got, shift: int):
    """Clauses read after a leading item number, their offsets counted from the start of the whole header."""
    if isinstance(got, list):
        for k, c in enumerate(got):
            c.start, c.end = (c.start + shift if k else 0), c.end + shift
            if c.text_from is not None:
                c.text_from += shift
    return got


def _on_page(got, label: str, shift: int):
    """The clauses read after a leading page, placed on that page (a change of every occurrence becomes a
    change on the page); their offsets counted from the start of the whole header."""
    for c in _shifted(got, shift) if isinstance(got, list) else ():
        if not c.target.page and not c.target.pages:
            c.target = dataclasses.replace(c.target, page=label, scope=None if c.target.scope == "all" else c.target.scope)
    return got


# "... is amended by (1) replacing «A» with «B», (2) replacing «C» with «D» and (3) deleting the words «E»":
# edits numbered inside one sentence, each of the place named before them
_ENUMERATED = re.compile(r"^(?P<subj>.*?\b(?:amended|revised|modified|corrected) by):? (?=\((?:1|a|i)\) )", re.I)
_ENUMERATOR = re.compile(r"(?:[,;]? (?:and )?)?\((?:\d{1,2}|[a-z]|[ivx]{1,5})\) ")


def _enumerated_edits(h: str, context: Target | None) -> list[_Clause] | None:
    """One clause per numbered edit, read as '<the place> is amended by <edit>'; None unless every one reads
    as one edit."""
    m = _ENUMERATED.match(h)
    if not m:
        return None
    marks = [e for e in _ENUMERATOR.finditer(h, m.end("subj")) if _top_level(h, e.start())]
    if len(marks) < 2:
        return None
    clauses: list[_Clause] = []
    ctx = context
    for e, nxt in zip(marks, marks[1:] + [None]):
        a, b = e.end(), nxt.start() if nxt else len(h)
        piece = h[a:b].rstrip(" ,;.")
        got = _one_action(f"{m.group('subj')} {piece}", ctx)
        if not isinstance(got, list) or len(got) != 1 or got[0].text_from is not None:
            return None
        c = got[0]
        c.start, c.end = (0 if not clauses else e.start()), b
        clauses.append(c)
        ctx = c.target
    return clauses


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
                                           scope=t.scope or clauses[-1].target.scope,
                                           row=t.row or clauses[-1].target.row,
                                           column=t.column or clauses[-1].target.column)
        c.start, c.end = prev, m.end()
        clauses.append(c)
        ctx = c.target
        prev = m.end()
    return clauses


# Where one sentence of several edits is cut: "Under «X» on page S-27, the word «and» is deleted from ...,
# the «.» is deleted and replaced with «; and» in the last bullet point and the following is added ...:"
_EDIT_BREAK = re.compile(r"[,;] (?:and )?(?=(?:the|all|each|any|a|an|footnotes?|rows?|columns?)\b)"
                         r"| and (?=the following\b|the (?:word|words|phrase|reference)\b)", re.I)


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
