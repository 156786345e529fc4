"""Parsing amendment language: a sticker's text in, an ``Amendment`` (instructions, notices) out.

What belongs here: the locator grammar (where an instruction acts: page, heading path, ordinal, term,
cover page), the action grammar (what it does: replace, substitute, insert, ...), the boundaries of
the new text, and ``render_instruction`` which writes an instruction back in English. Pure: text in,
values out. Resolving a locator against a base text belongs to ``locate``.

How a sticker is read: every line start and every sentence start after the cover is a candidate; the
sentence that begins there is parsed as an instruction header (locator + action). A header ending
in a colon with nothing after it on its line opens a block of new text, which runs to the next
header, numbered item, instruction-like bullet, or closing boilerplate.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from .models import Amendment, Instruction, Notice, Ordinal, Target, page_label
from .text import fold_space, is_abbreviation, split_heading_path

# --- folding ---------------------------------------------------------------------------------
# Headers are parsed on a folded copy: white space runs become one space and every kind of
# quotation mark pair becomes « ». ``_Folded.raw(i)`` maps a folded offset back to the text.

_OPEN, _CLOSE = "«", "»"


@dataclass
class _Folded:
    s: str
    pos: list[int]  # raw offset of each folded char; one extra entry for the end
    end: int

    def raw(self, i: int) -> int:
        return self.pos[i] if i < len(self.pos) else self.end


def _fold(text: str, start: int, end: int) -> _Folded:
    """Fold ``text[start:end]``: one space for white space, « » for any quotation marks."""
    out: list[str] = []
    pos: list[int] = []
    straight_open = False
    i = start
    while i < end:
        c = text[i]
        two = text[i : i + 2]
        if c.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                pos.append(i)
            i += 1
            continue
        if two in ("‘‘", "``"):
            out.append(_OPEN)
            pos.append(i)
            i += 2
            continue
        if two in ("’’", "''"):
            out.append(_CLOSE)
            pos.append(i)
            i += 2
            continue
        if c == "“":
            out.append(_OPEN)
        elif c == "”":
            out.append(_CLOSE)
        elif c == '"':
            out.append(_CLOSE if straight_open else _OPEN)
            straight_open = not straight_open
        elif c == "‘" and _single_quote_closes(text, i, end):
            out.append(_OPEN)
        elif c == "’" and _single_quote_is_close(text, i, end) and _OPEN in out and out.count(_OPEN) > out.count(_CLOSE):
            out.append(_CLOSE)
        else:
            out.append(c)
        pos.append(i)
        i += 1
    while out and out[-1] == " ":
        out.pop()
        pos.pop()
    if out and out[0] == " ":
        out.pop(0)
        pos.pop(0)
    return _Folded("".join(out), pos, end)


def _single_quote_is_close(text: str, i: int, end: int) -> bool:
    # An apostrophe (Moody’s) is followed by a letter; a closing quote is not.
    return i + 1 >= end or not text[i + 1].isalpha()


def _single_quote_closes(text: str, i: int, end: int) -> bool:
    j = i + 1
    while j < min(end, i + 300):
        if text[j] == "’" and _single_quote_is_close(text, j, end):
            return True
        j += 1
    return False


# --- vocabulary ------------------------------------------------------------------------------

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
_ORDINAL_NAMES = {v: k for k, v in _ORDINALS.items()}
_ORD_WORD = r"(?:" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r"|\d{1,3}(?:st|nd|rd|th))"
_ORD = (
    rf"(?:(?P<back>{_ORD_WORD})[ -](?:to|from)[ -](?:the[ -])?last|next[ -]to[ -]last|penultimate"
    rf"|last|final|(?P<fwd>{_ORD_WORD}))"
)
_ORD_RE = re.compile(r"\b" + _ORD + r"\b", re.I)
# Element nouns and the target kind each names. Longest first, so "column heading" wins over
# "column" and "risk factor" over "factor".
_NOUNS = [
    ("table of contents", "toc_entry"),
    ("risk factors", "risk_factor"),
    ("risk factor", "risk_factor"),
    ("bullet points", "bullet"),
    ("bullet point", "bullet"),
    ("bulleted items", "bullet"),
    ("bulleted item", "bullet"),
    ("bullets", "bullet"),
    ("bullet", "bullet"),
    ("column headings", "column"),
    ("column heading", "column"),
    ("columns", "column"),
    ("column", "column"),
    ("sentences", "sentence"),
    ("sentence", "sentence"),
    ("paragraphs", "paragraph"),
    ("paragraph", "paragraph"),
    ("definitions", "definition"),
    ("definition", "definition"),
    ("tables", "table"),
    ("table", "table"),
    ("charts", "table"),
    ("chart", "table"),
    ("rows", "row"),
    ("row", "row"),
    ("footnotes", "paragraph"),
    ("footnote", "paragraph"),
    ("cells", "cell"),
    ("cell", "cell"),
    ("subheadings", "heading"),
    ("subheading", "heading"),
    ("headings", "heading"),
    ("heading", "heading"),
    ("captions", "heading"),
    ("caption", "heading"),
    ("information", "section"),
    ("disclosure", "section"),
    ("discussion", "section"),
    ("language", "text"),
    ("wording", "text"),
    ("subsections", "section"),
    ("subsection", "section"),
    ("sections", "section"),
    ("section", "section"),
]
_NOUN_KIND = dict(_NOUNS)
_NOUN = r"(?P<noun>" + "|".join(re.escape(n) for n, _ in _NOUNS) + r")\b"
_NOUN_RE = re.compile(r"\b" + _NOUN, re.I)
# Words that may stand between "The" and the head noun of a subject ("The yield table").
_PREPOSITIONS = re.compile(
    r"\b(?:of|on|in|under|for|to|at|from|by|with|within|following|after|before|set|listed|indicated|"
    r"described|shown|contained|appearing|that|which|as|regarding|relating|entitled|titled)\b",
    re.I,
)
_Q = rf"{_OPEN}(?P<q>[^{_OPEN}{_CLOSE}]*){_CLOSE}"
_LABEL = r"(?:[A-Z]{1,2}\s?-\s?\d{1,4}|\d{1,4}|[ivxlc]{1,7})\b"
_PAGES_RE = re.compile(
    rf"\b[Pp]ages?\s+(?P<list>{_LABEL}(?:(?:\s*,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*|\s+through\s+|\s+to\s+|\s*[–-]\s*){_LABEL})*)"
)
_LOCUS_RE = re.compile(r"\b(?P<side>front|back|inside front|inside back|outside back)?\s*cover page\b", re.I)
_EDIT_WORDS = re.compile(
    r"\b(?:replaced?|replacing|amended|amend|deleted|delete|should read|shall read|inserted|insert|"
    r"added|revised|restated|changed|modified|substituted|corrected|supplemented)\b",
    re.I,
)
_DOCUMENT_SUBJECT = re.compile(
    r"^(?:the |this |such )?(?:(?:above[- ]referenced|above[- ]captioned|attached|accompanying|preliminary|"
    r"related|final|base|enclosed|referenced) )*(?:prospectus supplements?|prospectus|supplement|"
    r"free writing prospectus|offering (?:circular|memorandum)|term sheet)\b",
    re.I,
)
def _ordinal(word: str) -> tuple[int, bool]:
    """(count, from_end) of an ordinal phrase: 'second' (2, False), 'second to last' (2, True)."""
    w = word.lower().replace("-", " ")
    if w in ("last", "final"):
        return 1, True
    if w in ("next to last", "penultimate"):
        return 2, True
    m = re.match(r"(\S+) (?:to|from) (?:the )?last$", w)
    if m:
        return _ordinal(m.group(1))[0], True
    if w in _ORDINALS:
        return _ORDINALS[w], False
    m = re.match(r"(\d+)(?:st|nd|rd|th)$", w)
    if m:
        return int(m.group(1)), False
    raise ValueError(word)


_split_heading = split_heading_path


def _pages(s: str) -> tuple[str, ...]:
    """All page labels the first 'page(s) ...' phrase of ``s`` names, ranges expanded."""
    m = _PAGES_RE.search(s)
    if not m:
        return ()
    labels = re.findall(rf"{_LABEL}|through|to|[–-](?=\s*{_LABEL})", m.group("list"))
    out: list[str] = []
    span_next = False
    for tok in labels:
        if tok in ("through", "to") or tok in "–-":
            span_next = bool(out)
            continue
        try:
            lab = page_label(tok)
        except ValueError:
            continue
        if span_next and out:
            a, b = re.fullmatch(r"([A-Z]*-?)(\d+)", out[-1]), re.fullmatch(r"([A-Z]*-?)(\d+)", lab)
            if a and b and a.group(1) == b.group(1) and int(a.group(2)) < int(b.group(2)) <= int(a.group(2)) + 50:
                out.extend(f"{a.group(1)}{k}" for k in range(int(a.group(2)) + 1, int(b.group(2)) + 1))
                span_next = False
                continue
        span_next = False
        out.append(lab)
    return tuple(dict.fromkeys(out))


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
    term_quote_spans: list[tuple[int, int]] = field(default_factory=list)


_TERM_AFTER = re.compile(
    rf"\b(?P<what>definition of(?: the term)?|defined terms?|(?:risk factor|table|chart|column|row|"
    rf"column heading|bullet point|paragraph)s? (?:entitled|titled|captioned|headed|named|called)|"
    rf"risk factors?|tables?|columns?|"
    rf"(?:tables?|charts?) (?:(?:appearing|set forth|shown|presented|located|that appears|which appears) )?"
    rf"(?:under|below|beneath) the (?:caption|title)(?: (?:entitled|titled))?)\s+{_Q}",
    re.I,
)
_HEADING_BEFORE = re.compile(
    r"(?:\b(?:under|in|within|of|beneath|below)\s+(?:the\s+)?(?:(?:heading|caption|section|subsection|sub-heading|"
    r"subheading|headings|captions|part)s?\s+)?(?:(?:entitled|titled|captioned|headed|called)\s+)?"
    r"|(?<!column )\b(?:heading|caption|section|subsection|subheading)s?\s+(?:entitled|titled|captioned|headed|called)\s+"
    r"|\b(?:under|in|within|beneath|below)\s+the\s+(?:[\w'’-]+\s+){1,3}(?:heading|caption|section|subsection|sub-heading|"
    r"subheading)s?\s+(?:(?:entitled|titled|captioned|headed|called)\s+)?)$",
    re.I,
)
_UNQUOTED_DEFINITION = re.compile(
    r"\bdefinition of (?:the term )?(?P<t>[A-Z][\w'’()-]*(?: (?:[A-Z0-9][\w'’()-]*|of|and|the|in|for|to|on))*)"
)
_ANNEX = re.compile(
    r"\b(?:of|in) the (?P<part>[A-Z][\w'’()-]*(?: (?:[A-Z0-9][\w'’()-]*|of|and|the|in|for))*?) (?:in|of) "
    r"(?P<annex>(?:Annex|Appendix|Schedule|Exhibit) [A-Z0-9]+(?:-[A-Z0-9]+)?)\b"
)
_ANNEX_ONLY = re.compile(r"\b(?:in|of|to) (?P<annex>(?:Annex|Appendix|Schedule|Exhibit) [A-Z0-9]+(?:-[A-Z0-9]+)?)\b")
_ORD_NOUN = re.compile(
    rf"\b{_ORD}(?: (?:full|complete|entire|numbered|indented))? (?P<n>sentences?|paragraphs?|bullet points?|bullets?|bulleted items?)\b",
    re.I,
)
_AFTER_ANCHOR = re.compile(r"\b(?:following|after|below) the (?P<a>table|chart|bullet points?|bullets|heading|caption)\b", re.I)
_CLASS_ROWS = re.compile(r"\bClass(?:es)? (?P<c>[A-Z0-9]{1,4}(?:-[A-Z0-9]{1,4})*)\b")
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
        elif c == "," and depth == 0 and not quote and re.match(r",\s+(?:the|all|each|any)\b", s[i:], re.I):
            cut = i + 1
    return s[cut:].strip()


def _head_kind(subject: str) -> str | None:
    """Kind of the subject's head noun, or None when the subject names no element ('The total amount')."""
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
    """Read the locator features of one clause (folded text). ``subject`` is where the head noun is."""
    loc = _Locator()
    subject = s if subject is None else subject
    main = _main_subject(subject)
    loc.kind = _head_kind(main)
    claimed: list[tuple[int, int]] = []
    # terms: "definition of «X»", "the risk factor entitled «X»", "defined term «X»"
    for m in _TERM_AFTER.finditer(s):
        what = m.group("what").lower()
        if re.search(r"\b(?:caption|title)\b", what) and len(_split_heading(m.group("q"))) > 1:
            continue  # "the table under the caption «Summary—Fees»": a heading path, not the table's title
        if loc.term is None:
            loc.term = m.group("q").strip().rstrip(",.;:")
        if what.startswith("table") or what.startswith("chart"):
            loc.table_named = True
        claimed.append(m.span("q"))
        if not what.startswith("column"):
            loc.term_quote_spans.append(m.span("q"))
    if loc.kind == "heading" and loc.term is None:
        # the heading line itself is the target ("the heading «X» on page S-12", "before the caption «X»"):
        # its words name it as a term does; a heading quoted after "under" is a place, not the target
        hm = _NOUN_RE.search(main)
        q = re.match(rf" ?(?:(?:entitled|titled|captioned|headed|named|called) )?{_Q}", main[hm.end():], re.I) if hm else None
        if q:
            off = len(subject.rstrip()) - len(main) + hm.end()
            loc.term = q.group("q").strip().rstrip(",.;:")
            span = (off + q.start("q"), off + q.end("q"))
            claimed.append(span)
            loc.term_quote_spans.append(span)
    if loc.term is None:
        m = _UNQUOTED_DEFINITION.search(s)
        if m:
            # "the definition of Due Period in the Glossary": the term stops before its place
            t = re.split(r" (?:in|on|under|within) (?:the )?(?=[A-Z])", m.group("t"))[0]
            t = re.sub(r"(?: (?:of|and|the|in|for|to|on))+$", "", t)
            loc.term = t
    # heading path: an annex outside, then quoted headings after "under", "in the section entitled"
    heading: list[str] = []
    m = _ANNEX.search(s)
    if m:
        heading += [m.group("annex"), m.group("part")]
    else:
        m = _ANNEX_ONLY.search(s)
        if m:
            heading.append(m.group("annex"))
    for m in re.finditer(_Q, s):
        if any(a <= m.start("q") < b for a, b in claimed):
            continue
        if _HEADING_BEFORE.search(s[max(0, m.start() - 60) : m.start()]):
            heading.extend(_split_heading(m.group("q")))
            claimed.append(m.span("q"))
    section = _unquoted_section(s)
    if section and section.lower() not in (h.lower() for h in heading):
        heading.insert(1 if heading and _ANNEX_ONLY.match(f"in {heading[0]}") else 0, section)
    loc.heading = tuple(heading)
    if re.search(r"\b(?:that|such|the same|this) (?:heading|caption|section)\b", s, re.I):
        loc.refers_back = True
    # pages
    pages = _pages(s)
    if pages:
        loc.page = pages[0]
        loc.pages = pages if len(pages) > 1 else ()
    m = _LOCUS_RE.search(s)
    if m:
        loc.locus = f"{(m.group('side') or 'front').lower()} cover page"
    # ordinals
    counts: dict[str, int] = {}
    from_end = False
    backward: set[str] = set()
    for m in _ORD_NOUN.finditer(s):
        noun = m.group("n").lower()
        key = "sentence" if noun.startswith("sentence") else "paragraph" if noun.startswith("paragraph") else "bullet"
        if key in counts:
            continue
        n, back = _ordinal(m.group(0)[: m.start("n") - m.start()].strip().removesuffix(" full").removesuffix(" complete")
                           .removesuffix(" entire").removesuffix(" numbered").removesuffix(" indented"))
        counts[key] = n
        from_end = from_end or back
        if back:
            backward.add(key)
    if backward and backward != set(counts):
        # one from_end flag counts every element the ordinal names from the end ("the last sentence of the
        # final paragraph": sentence 1, paragraph 1, from_end); mixed directions ("the first sentence of the
        # last paragraph", "the last sentence of the second paragraph") cannot be said with it: refuse
        raise _Unreadable("an ordinal that counts one element from the start and another from the end")
    m = _AFTER_ANCHOR.search(s)
    after = None
    if m and counts:
        a = m.group("a").lower()
        after = "table" if a in ("table", "chart") else "bullet" if a.startswith("bullet") else "heading"
    if counts:
        loc.ordinal = Ordinal(
            sentence=counts.get("sentence"),
            paragraph=counts.get("paragraph"),
            bullet=counts.get("bullet"),
            from_end=from_end,
            after=after,
        )
    # rows: classes named in the subject, or "the 20th, 22nd, and 26th through 33rd mortgage loans"
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
    loc.rows = tuple(dict.fromkeys(rows))
    loc.title_term = _title_term(main)
    return loc


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
                heading_loc.heading = _split_heading(q.group("q"))
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


# --- scanning a sticker ----------------------------------------------------------------------

_MARKER_LINE = re.compile(r"^[ \t]*(?:\|[ \t]*)*(?:(?P<num>\d{1,2})\.|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)|[a-z]\.|[•·●▪◦■□➢\-\*o])?[ \t]*(?:\|[ \t]*)*$")
_LEADING_MARKER = re.compile(r"[ \t]*(?:\|[ \t]*)*(?:(?P<num>\d{1,2})\.[ \t]+|\((?:\d{1,2}|[a-z])\)[ \t]+|[•·●▪◦■➢][ \t]*|o[ \t]+(?=[A-Z]))?(?:\|[ \t]*)*")
_BULLET_CHARS = "•·●▪◦■➢"
_BOILERPLATE = re.compile(
    r"(?:all (?:of the )?other (?:portions|parts|provisions|information|terms|sections)\b"
    r"|capitalized terms (?:used|not defined|that are used)"
    r"|until \d+ days after the date"
    r"|the date of this (?:prospectus )?supplement is"
    r"|this (?:prospectus )?supplement is dated"
    r"|\(?continued on (?:the )?(?:following|next|inside))",
    re.I,
)
_FIRM = re.compile(
    r"\b(?:Securities|Capital|Markets|Brothers|Bank|Banc|Bancorp|Corporation|Corp\.|Inc\.|LLC|L\.L\.C\.|Ltd\.|"
    r"Co\.|Group|Partners|Boston|Sachs|Stanley|Lynch|Humphrey|Citigroup|Barclays|UBS|Suisse|Deutsche|Lehman|"
    r"Merrill|Goldman|Stearns|Morgan|RBS|Greenwich|Countrywide|Wachovia|JPMorgan|Nomura|Mizuho|Underwriters?|"
    r"Underwriting|CITIGROUP|LEHMAN BROTHERS|GOLDMAN|MORGAN|MERRILL|BEAR|STEARNS|SECURITIES|CAPITAL)\b|&",
)


@dataclass
class _Candidate:
    line_start: int  # where a boundary here cuts the preceding text (markers included)
    start: int  # where the words begin
    number: int | None  # "2." item number when the line is a numbered item
    bullet: bool
    at_line: bool


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    i = 0
    for line in text.splitlines(keepends=True):
        spans.append((i, i + len(line.rstrip("\r\n"))))
        i += len(line)
    return spans


def _candidates(text: str) -> list[_Candidate]:
    """Where an instruction may begin: line starts (after cell, bullet and number markers), sentence starts."""
    lines = _line_spans(text)
    out: list[_Candidate] = []
    pending: tuple[int, int | None, bool] | None = None  # marker-only lines waiting for their content
    prev_line = ""
    for a, b in lines:
        line = text[a:b]
        if not line.strip():
            prev_line = ""
            continue
        mm = _MARKER_LINE.match(line)
        if mm:
            num = int(mm.group("num")) if mm.group("num") else None
            bullet = any(ch in line for ch in _BULLET_CHARS) or bool(re.search(r"^\s*\|?\s*[o\-\*]\s*$", line))
            if pending is None:
                pending = (a, num, bullet)
            else:
                pending = (pending[0], pending[1] if pending[1] is not None else num, pending[2] or bullet)
            prev_line = ""
            continue
        lm = _LEADING_MARKER.match(line)
        start = a + lm.end()
        num = int(lm.group("num")) if lm.group("num") else None
        bullet = any(ch in text[a:start] for ch in _BULLET_CHARS)
        line_start = a
        if pending is not None:
            line_start, num, bullet = pending[0], pending[1] if pending[1] is not None else num, pending[2] or bullet
            pending = None
            valid = True
        else:
            # a wrapped line that continues a sentence ("of the\nfollowing") is not a start
            valid = not _continues_sentence(prev_line) or text[a:start].strip() != "" or not prev_line.strip()
        if valid:
            out.append(_Candidate(line_start, start, num, bullet, True))
        # sentence starts inside the line
        for sm in re.finditer(r"(?<=[.:;!?”\"’)])\s+(?=[A-Z“\"])", line):
            pos = a + sm.end()
            if pos <= start:
                continue
            w = re.search(r"([\w.]+)[.]\S*$", line[: sm.start()])
            if w and is_abbreviation(w.group(1)):
                continue
            out.append(_Candidate(pos, pos, None, False, False))
        prev_line = line
    return out


def _continues_sentence(prev_line: str) -> bool:
    """Whether the line after ``prev_line`` goes on with its sentence ('... of the' / 'Agent')."""
    words = prev_line.split()
    if not words:
        return False
    last = words[-1]
    return last[-1] in ",;-(" or (last[:1].islower() and last[-1].isalnum())


_STARTER = re.compile(
    r"\s*(?:\d{1,2}\.\s+)?(?:The|This|These|On|In|Notwithstanding|Reference|Capitalized|All|Each|Effective|Investors|"
    r"Please|Unless|Any|If|We|You|Our|Insert|Replace|Delete|Add)\b|\s*[“\"]"
)


def _sentence_end(text: str, i: int, limit: int = 2500) -> int:
    """End of the sentence starting at ``i``: after its final period or colon (outside quotes)."""
    n = min(len(text), i + limit)
    curly = 0
    straight = False
    j = i
    while j < n:
        c = text[j]
        if c == "\n":
            k = text.find("\n", j + 1)
            nxt = text[j + 1 : k if k >= 0 else len(text)]
            if not nxt.strip() or nxt.lstrip().startswith("|") or _MARKER_LINE.match(nxt) or nxt.strip().upper() == "<PAGE>":
                return _rstrip_pos(text, i, j)
            if curly == 0 and not straight:
                prev = text[i:j].rstrip()
                # a closing quote ends its line's sentence; a cover line ("Series 2003-3") does not run
                # into the sentence that starts on the next line
                if prev.endswith(("”", '"', "’’")) and prev[-2:-1] not in (",",) and _STARTER.match(nxt):
                    return _rstrip_pos(text, i, j)
                last = prev.split()[-1] if prev.split() else ""
                if _STARTER.match(nxt) and (last[:1].isupper() or last[:1].isdigit() or last.endswith(")")):
                    return _rstrip_pos(text, i, j)
        elif c == "“" or text.startswith("‘‘", j):
            curly += 1
        elif c == "”" or text.startswith("’’", j):
            curly = max(0, curly - 1)
            if curly == 0 and not straight and text[j - 1] in ".!?" and (j + 1 >= n or text[j + 1].isspace()):
                return j + 1
        elif c == '"':
            straight = not straight
            if not straight and curly == 0 and text[j - 1] in ".!?" and (j + 1 >= n or text[j + 1].isspace()):
                return j + 1
        elif curly == 0 and not straight:
            if c == ":" and (j + 1 >= n or text[j + 1].isspace()):
                return j + 1
            if c in ".!?" and (j + 1 >= n or text[j + 1].isspace()):
                nxt = text[j + 1 : j + 40].lstrip()
                if not nxt[:1].islower():  # "Corp. and" or "approx. five" go on
                    return j + 1
        j += 1
    return _rstrip_pos(text, i, j)


def _rstrip_pos(text: str, i: int, j: int) -> int:
    while j > i and text[j - 1].isspace():
        j -= 1
    return j


@dataclass
class _Item:
    kind: str  # "instruction" | "notice"
    start: int
    end: int
    clause: _Clause | None = None
    source: str = ""
    notice_text: str = ""
    block_from: int | None = None  # raw offset where its block of new text begins
    number: int | None = None


def parse_amendment(text: str) -> Amendment:
    """Parse a sticker's text into its instructions and notices, in filing order (n from 1)."""
    cands = _candidates(text)
    items: list[_Item] = []
    cursor = 0
    open_block: _Item | None = None
    last_number: int | None = None
    context: Target | None = None
    started = False

    group_locus: str | None = None  # set by a group header such as "Front Cover Page:"
    group_pages: tuple[str, ...] = ()  # set by a page header such as "Page S-5" or "1. Page S-5."
    group_number: int | None = None  # the numbered item a page header belongs to

    def close(at: int, trailing: bool, before_instruction: bool = False) -> None:
        nonlocal open_block, group_locus
        if open_block is None:
            return
        # a group header ("Summary of Terms:") just before the next instruction is not new text
        lines = text[open_block.block_from : at].rstrip().split("\n")
        g = _GROUP.fullmatch(lines[-1].strip(" \t|")) if len(lines) > 1 else None
        if g and before_instruction:
            at = open_block.block_from + len("\n".join(lines[:-1]))
            group_locus = _group_locus(g.group("g"))
        _finish_block(text, open_block, at, trailing)
        open_block = None

    for cand in cands:
        if cand.start < cursor:
            continue
        end = _sentence_end(text, cand.start)
        if end <= cand.start:
            continue
        folded = _fold(text, cand.start, end)
        h = folded.s
        if _BOILERPLATE.match(h) or _BOILERPLATE.match(text[cand.start : end].strip()):
            close(cand.line_start, trailing=True)
            cursor = end
            continue
        if open_block is not None and cand.number is not None and last_number is not None and cand.number == last_number + 1:
            close(cand.line_start, trailing=False)
        if cand.number is not None and group_number is not None and cand.number != group_number:
            group_pages = ()
        gp = _page_group(h) if (cand.at_line or cand.start == cursor) else ()
        if gp:
            # "Page S-5" (or "1. Page S-5.") heading the instructions that follow: a locator, not new text
            close(cand.line_start, trailing=True, before_instruction=True)
            group_pages, group_number = gp, cand.number
            if cand.number is not None:
                last_number = cand.number
            cursor = end
            started = True
            continue
        parsed = _parse_header(h, context) if len(h) < 2000 else None
        if parsed == "leadin":
            if open_block is None:
                started = True
                cursor = end
            continue
        if parsed == "notice" and (cand.at_line or open_block is None):
            close(cand.line_start, trailing=True)
            nend = _notice_end(text, cand.start, end, cands)
            items.append(_Item("notice", cand.start, nend, notice_text=fold_space(text[cand.start:nend])))
            cursor = nend
            started = True
            continue
        if isinstance(parsed, list):
            close(cand.line_start, trailing=True, before_instruction=True)
            started = True
            for c in parsed:
                a, b = folded.raw(c.start), folded.raw(c.end - 1) + 1 if c.end > 0 else cand.start
                colon = h.rfind(":", c.start, c.end)
                src_end = c.end if colon < 0 else colon + 1
                t = c.target
                if group_locus and not (t.page or t.heading or t.locus):
                    c.target = t = dataclasses.replace(t, locus=group_locus)
                if group_pages and not (t.page or t.locus) and t.scope != "all":
                    c.target = dataclasses.replace(t, page=group_pages[0], pages=group_pages if len(group_pages) > 1 else ())
                item = _Item("instruction", a if c.start else cand.start, b, clause=c,
                             source=_strip_source(h[c.start:src_end]), number=cand.number)
                items.append(item)
                context = c.target
                if c.block and c.new_text is None:
                    after = end if c.text_from is None else folded.raw(c.text_from)
                    inline = _inline_text(text, after) if c.text_from is None else None
                    if inline is not None:
                        new, iend = inline
                        c.new_text = _clean_value(new) if c.target.kind in _VALUE_KINDS and c.op not in _INSERTS else new
                        item.end = iend
                        cursor = iend
                    else:
                        item.block_from = after
                        item.end = after
                        open_block = item
                        cursor = after
                else:
                    cursor = end
            if cand.number is not None:
                last_number = cand.number
            continue
        # not a header: maybe an unsupported instruction
        if _looks_like_instruction(h, strong=not started or open_block is not None):
            if open_block is not None and not (cand.at_line and (h.endswith(":") or (
                    _instruction_shaped(h) and _block_complete(text, open_block.block_from, cand.line_start)))):
                continue
            close(cand.line_start, trailing=True)
            item = _Item("instruction", cand.start, end, clause=None, source=_strip_source(h))
            items.append(item)
            if h.endswith(":") and _inline_text(text, end) is None:
                item.block_from = end
                open_block = item
            cursor = end
            started = True
            continue
        if open_block is None and started:
            g = _GROUP.fullmatch(h)
            if g:
                group_locus = _group_locus(g.group("g"))
    close(len(text), trailing=True)
    return _assemble(items)


_GROUP = re.compile(r"(?P<g>[A-Z][\w'’&-]*(?: [\w'’&-]+){0,5}):")


_PAGE_GROUP = re.compile(
    r"^(?:(?:on|at|in) )?(?P<p>[Pp]ages? .+?)(?:,? (?:of|in) the (?:\w+ )?(?:prospectus supplement|prospectus|supplement))?\s*[.:]?$",
    re.I,
)


def _page_group(h: str) -> tuple[str, ...]:
    """The pages a header line names when it says nothing else ("Page S-5", "On page S-5:"), else ()."""
    m = _PAGE_GROUP.match(h)
    if not m:
        return ()
    pm = _PAGES_RE.match(m.group("p"))
    if not pm or pm.end() != len(m.group("p").rstrip()):
        return ()
    return _pages(m.group("p"))


def _group_locus(group: str) -> str | None:
    """The place a group header names for the instructions under it ("Front Cover Page:")."""
    m = _LOCUS_RE.search(group)
    return f"{(m.group('side') or 'front').lower()} cover page" if m else None


def _strip_source(h: str) -> str:
    return h.replace(_OPEN, "“").replace(_CLOSE, "”").strip()


def _looks_like_instruction(h: str, strong: bool) -> bool:
    """Instruction-like words (an edit verb and a locator) that matched no form: report, never drop."""
    if not _EDIT_WORDS.search(h) or _BOILERPLATE.match(h):
        return False
    if any(f.pattern.search(h) for f in _FORMS if f.name in _SUBSTITUTION_FORMS):
        return True  # a quoted new value after an edit verb ("The Closing Date is changed to «X»")
    if _DOCUMENT_SUBJECT.match(h) and not _has_locator_evidence(h):
        return False
    if strong:
        return bool(_PAGES_RE.search(h) or re.search(rf"\b(?:under|entitled|titled|captioned) (?:the \w+ )?(?:entitled |titled )?{_OPEN}", h))
    return _has_locator_evidence(h)


_PASSIVE_EDIT = re.compile(
    r"\b(?:is|are|shall be|should be|has been|have been|must be)(?: hereby)?(?: (?:deleted|removed|struck)(?: in (?:its|their) "
    r"entirety)?,? and)? (?:deleted|removed|struck|replaced|amended|revised|changed|modified|restated|inserted|added|"
    r"supplemented|corrected|substituted)\b|\b(?:should|shall) (?:hereby )?read\b",
    re.I,
)
_ANY_NOUN = _NOUN.replace("(?P<noun>", "(?:")
_LOCATOR_OPENING = re.compile(
    rf"^(?:(?:on|in|under|within) (?:pages? {_LABEL}|(?:the )?{_OPEN}|the (?:[\w,-]+ ){{0,3}}{_ANY_NOUN})"
    rf"|(?:all|each|every|any) (?:of the )?(?:references?|occurrences?)\b|references? to\b"
    rf"|the (?:[\w-]+ ){{0,3}}{_NOUN}|the (?:reference|references|words?|phrase|figure|percentage) )",
    re.I,
)


def _instruction_shaped(h: str) -> bool:
    """A sentence built like an instruction: it opens with a locator and carries a passive edit verb.

    Used inside a block of new text, where prose may mention pages and headings: only such a sentence,
    at a line start after a finished sentence, ends the block (and is reported when no form reads it).
    """
    return bool(_LOCATOR_OPENING.match(h) and _PASSIVE_EDIT.search(h) and _has_locator_evidence(h))


def _block_complete(text: str, block_from: int, at: int) -> bool:
    """Whether the new text before ``at`` ends a sentence (a period or a closing quotation mark)."""
    tail = text[block_from:at].rstrip().rstrip("|").rstrip()
    return bool(tail) and tail[-1] in ".!?”\"’)"


def _inline_text(text: str, after: int) -> tuple[str, int] | None:
    """New text given on the header's own line after the colon, when it is quoted: (text, end)."""
    j = after
    while j < len(text) and text[j] in " \t":
        j += 1
    if j >= len(text) or text[j] in "\r\n":
        return None
    quotes = {"“": "”", '"': '"', "‘": "’"}
    if text.startswith("‘‘", j) or text.startswith("``", j):
        close_q = "’’" if text[j] == "‘" else "''"
        k = text.find(close_q, j + 2)
        if k > 0 and _ends_line(text, k + 2):
            return text[j + 2 : k].strip(), _after_punct(text, k + 2)
        return None
    if text[j] in quotes:
        close_q = quotes[text[j]]
        depth = 0
        k = j
        while k < len(text):
            ch = text[k]
            if text[j] == "“" and ch == "“":
                depth += 1
            elif ch == close_q and k > j:
                if text[j] == "“":
                    depth -= 1
                    if depth == 0:
                        break
                else:
                    break
            k += 1
        if k < len(text) and _ends_line(text, k + 1):
            return text[j + 1 : k].strip(), _after_punct(text, k + 1)
    return None


def _ends_line(text: str, k: int) -> bool:
    """Whether only punctuation and spaces follow offset ``k`` on its line (a closing quote ends the text)."""
    e = text.find("\n", k)
    return not text[k : len(text) if e < 0 else e].strip(" \t.,;:|")


def _after_punct(text: str, k: int) -> int:
    while k < len(text) and text[k] in ".,;":
        k += 1
    return k


def _notice_end(text: str, start: int, first_end: int, cands: list[_Candidate]) -> int:
    """A notice runs to the end of its paragraph: a blank line, the next header or boilerplate."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - text.rfind("\n", 0, start) > 150:
        # one paragraph per line (a sticker filed as HTML)
        return _rstrip_pos(text, start, line_end)
    m = re.search(r"\n[ \t]*\n", text[first_end:])
    end = first_end + m.start() if m else len(text)
    for c in cands:
        if first_end <= c.start < end:
            seg_end = _sentence_end(text, c.start)
            h = _fold(text, c.start, seg_end).s
            if _BOILERPLATE.match(h) or isinstance(_parse_header(h, None), list):
                end = c.line_start
                break
    return _rstrip_pos(text, start, end)


def _finish_block(text: str, item: _Item, at: int, trailing: bool) -> None:
    """Cut the item's block of new text at ``at``; drop closing rules and underwriter lines."""
    raw = text[item.block_from : at]
    lines = raw.split("\n")
    if trailing:
        while lines and (not lines[-1].strip().strip("|").strip() or re.fullmatch(r"[\s|_\-=*]{3,}", lines[-1])
                         or _is_firm_line(lines[-1]) or _DATE_LINE.fullmatch(lines[-1].strip().strip("|").strip())):
            lines.pop()
    raw = "\n".join(lines)
    end = item.block_from + len(raw)
    item.end = _rstrip_pos(text, item.start, end)
    if item.clause is not None:
        item.clause.new_text = _clean_block(raw, item.clause.target.kind, item.clause.op)


# the filing's date alone on a closing line ("March 9, 2007"), under the underwriters' names
_DATE_LINE = re.compile(
    r"(?:Dated:? )?(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}\.?",
    re.I,
)


def _is_firm_line(line: str) -> bool:
    s = line.strip().strip("|").strip()
    if not s or len(s) > 60 or re.search(r"\d", s) or len(s.split()) > 7:
        return False
    if not s[0].isupper():
        return False
    if s.endswith(".") and not re.search(r"\b(?:Co|Inc|Corp|Ltd|L\.L\.C|N\.A)\.$", s):
        return False
    return bool(_FIRM.search(s)) or (s.isupper() and len(s.split()) <= 3 and s.isalpha())


def _clean_block(raw: str, kind: str, op: str) -> str | None:
    """The new text as the sticker gives it: no <PAGE> lines, no wrapping quotes, no leading cell marker."""
    lines = [ln.rstrip() for ln in raw.split("\n") if ln.strip().upper() != "<PAGE>"]
    while lines and not lines[0].strip().strip("|").strip():
        lines.pop(0)
    while lines and not lines[-1].strip().strip("|").strip():
        lines.pop()
    if not lines:
        return None
    # the cell marker that opens the replacement belongs to the layout, not to the text
    lines[0] = re.sub(r"^\s*\|\s*", "", lines[0]) if lines[0].lstrip().startswith("|") else lines[0]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    if kind == "bullet":
        text = _strip_bullet_marker(text)
    text = _unwrap_quotes(text)
    if kind in _VALUE_KINDS and op not in _INSERTS and "\n" not in text.strip():
        text = _clean_value(text)
    return text


_ITEM_MARKER = re.compile(r"^[ \t]*(?:\|[ \t]*)*(?:[•·●▪◦■➢]|[o\-\*](?=\s))\s*(?:\|[ \t]*)*", re.M)


def _strip_bullet_marker(text: str) -> str:
    """One bullet item's text without its marker ('•', '|•' on its own line, 'o '): the list gives the marker.

    New text of several items keeps its markers: they separate the items.
    """
    first = _ITEM_MARKER.match(text)
    if not first or not text[first.end() :].strip():
        return text
    rest = text[first.end() :]
    if any(m.end() > m.start() and rest[m.end() : m.end() + 1].strip() for m in _ITEM_MARKER.finditer(rest) if m.start() > 0):
        return text
    return rest


def _unwrap_quotes(text: str) -> str:
    """Drop quotation marks that wrap the whole text (a final period after them goes too)."""
    s = text.strip()
    if s.endswith(("”.", '".', "’’.")):
        s = s[:-1]
    pairs = [("“", "”"), ("‘‘", "’’"), ("``", "''"), ('"', '"')]
    for o, c in pairs:
        if s.startswith(o) and s.endswith(c) and len(s) > len(o) + len(c):
            inner = s[len(o) : -len(c)]
            if o == '"':
                if '"' in inner:
                    continue
            else:
                depth = 0
                ok = True
                for i in range(len(inner)):
                    if inner.startswith(o, i):
                        depth += 1
                    elif inner.startswith(c, i):
                        depth -= 1
                        if depth < 0:
                            ok = False
                            break
                if not ok or depth != 0:
                    continue
            return inner.strip()
    return text.strip()


def _assemble(items: list[_Item]) -> Amendment:
    instructions: list[Instruction] = []
    notices: list[Notice] = []
    n = 0
    for it in items:
        n += 1
        if it.kind == "notice":
            notices.append(Notice(n=n, text=it.notice_text, span=(it.start, it.end)))
            continue
        c = it.clause
        if c is None:
            instructions.append(Instruction(
                n=n, op="unsupported", target=Target(kind="text"), new_text=None, source_text=it.source,
                span=(it.start, max(it.start, it.end)), reason="no instruction form matches these words",
            ))
            continue
        new = c.new_text if c.op != "delete" else None
        if new is not None and not new.strip():
            new = None
        instructions.append(Instruction(
            n=n, op=c.op, target=c.target, new_text=new, source_text=it.source,
            span=(it.start, max(it.start, it.end)), rows=c.rows if c.op in ("replace_rows", "insert_at") else (),
        ))
    return Amendment(instructions=tuple(instructions), notices=tuple(notices))


# --- writing an instruction back -------------------------------------------------------------


def _ordinal_word(k: int, from_end: bool) -> str:
    if from_end:
        return "last" if k == 1 else f"{_ORDINAL_NAMES.get(k, f'{k}th')} to last"
    return _ORDINAL_NAMES.get(k, f"{k}th")


def _render_locator(t: Target) -> str:
    """English for a target: 'the second sentence of the first paragraph on page S-8 under ...'."""
    o = t.ordinal
    parts: list[str] = []
    fe = bool(o and o.from_end)
    nouns = {"paragraph": "paragraph", "sentence": "sentence", "bullet": "bullet point", "definition": "definition",
             "risk_factor": "risk factor", "table": "table", "column": "column", "row": "row", "cell": "cell",
             "heading": "heading", "section": "section", "toc_entry": "table of contents", "text": "text", "value": "value"}
    if t.kind == "value" and o is None:
        head = "the text"
    elif t.kind == "value":
        head = ""
    else:
        head = f"the {nouns[t.kind]}"
        if o and t.kind == "sentence" and o.sentence:
            head = f"the {_ordinal_word(o.sentence, fe)} sentence"
        elif o and t.kind == "bullet" and o.bullet:
            head = f"the {_ordinal_word(o.bullet, fe)} bullet point"
        elif o and t.kind == "paragraph" and o.paragraph:
            head = f"the {_ordinal_word(o.paragraph, fe)} paragraph"
    if o:
        if t.kind not in ("paragraph",) and o.paragraph:
            parts.append(f"{'of' if head else 'in'} the {_ordinal_word(o.paragraph, fe)} paragraph")
        if t.kind != "bullet" and o.bullet:
            parts.append(f"(the {_ordinal_word(o.bullet, False)} bullet point)")
        if o.after:
            parts.append(f"following the {o.after}")
    if t.term:
        if t.kind == "definition":
            head = f"the definition of “{t.term}”"
        elif t.kind == "heading":
            head = f"the heading “{t.term}”"
        elif t.kind in ("risk_factor", "table", "column", "section"):
            head += f" entitled “{t.term}”"
        else:
            parts.append(f"that contains the defined term “{t.term}”")
    if t.pages and len(t.pages) > 1:
        parts.append("on pages " + ", ".join(t.pages[:-1]) + " and " + t.pages[-1])
    elif t.page:
        parts.append(f"on page {t.page}")
    if t.heading:
        parts.append("under the heading “" + "—".join(t.heading) + "”")
    if t.locus:
        parts.append(f"on the {t.locus}")
    return " ".join(p for p in [head, *parts] if p)


def render_instruction(instr: Instruction) -> str:
    """Write an instruction back in the sticker's English; ``parse_amendment`` reads it back the same."""
    t = instr.target
    loc = _render_locator(t)
    new = instr.new_text or ""
    if instr.op == "notice":
        return new
    if instr.op == "unsupported":
        return instr.source_text
    if instr.op == "substitute":
        lead = loc[0].upper() + loc[1:] if loc else ""
        subject = "the column heading entitled" if t.kind == "column" else "the reference to"
        if t.kind == "column":
            return f"{lead + ', ' if lead and lead != 'The column' else ''}{subject} “{t.old_text}” is deleted and replaced with “{new}”."
        where = loc.removeprefix("the text") if t.kind == "value" else loc
        where = where.strip()
        if t.scope == "all":
            place = f" {where}" if where else ""
            return f"All references{place} to “{t.old_text}” are deleted and replaced with “{new}”."
        prefix = f"In {where}, " if where and not where.startswith("on ") else (f"{where[0].upper() + where[1:]}, " if where else "")
        sentence = f"{prefix}{subject} “{t.old_text}” is deleted and replaced with “{new}”."
        return sentence[0].upper() + sentence[1:]
    cap = loc[0].upper() + loc[1:]
    if instr.op == "replace" or instr.op == "replace_column":
        return f"{cap} should be deleted in its entirety and replaced with the following:\n\n{new}"
    if instr.op == "replace_rows":
        return f"{cap} is hereby amended as follows:\n\n{new}"
    if instr.op == "delete":
        return f"{cap} is deleted in its entirety."
    if instr.op == "insert_after":
        return f"The following is inserted after {loc}:\n\n{new}"
    if instr.op == "insert_before":
        return f"The following is inserted before {loc}:\n\n{new}"
    if instr.op == "append":
        return f"The following is added at the end of {loc}:\n\n{new}"
    if instr.op == "insert_at":
        return f"The following is added to {loc}:\n\n{new}"
    return f"{cap} should read as follows:\n\n{new}"
