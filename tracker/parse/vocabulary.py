"""The words instructions are built from: ordinals, element nouns and the kind each names, page labels,
cover-page loci, edit verbs, names of the document amended.

What belongs here: word lists and the small readers of one word or phrase (an ordinal, a list of pages)."""

from __future__ import annotations

import re

from ..models import page_label
from .fold import _CLOSE, _OPEN

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
_LABEL = r"(?:[A-Z]{1,2}(?:-[A-Z0-9]{1,3}){0,3}\s?-\s?\d{1,4}|\d{1,4}|[ivxlc]{1,7})\b"
# "page S-8", "pages S-8 and S-9", and a lettered label standing alone after "on" ("on S-119")
_PAGES_RE = re.compile(
    rf"(?:\b[Pp]ages?\s+|\b(?i:on|at)\s+(?=[A-Z]{{1,2}}-\d))"
    rf"(?P<list>{_LABEL}(?:(?:\s*,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*|\s+through\s+|\s+to\s+|\s*[–-]\s*){_LABEL})*)"
)
_LOCUS_RE = re.compile(r"\b(?P<side>front|back|inside front|inside back|outside back)?\s*cover page\b", re.I)
_EDIT_WORDS = re.compile(
    r"\b(?:replaced?|replacing|amended|amend|deleted|delete|(?<!you )(?<!investors )(?:should|shall) read|inserted|insert|"
    r"added|add|revised|restated|changed|modified|substituted|substitute|corrected|supplemented|supersedes?|superseded|"
    r"strike|struck|stricken|removed|remove|retitled|renamed|recaptioned)\b",
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
    more = _CONTINUES.match(s, m.end())
    if out and more:
        # "..., which begins on page S-6 and continues on page S-7, ...": the pages it runs over
        out += [lab for lab in _pages(s[more.start("rest"):]) if lab not in out]
    return tuple(dict.fromkeys(out))


# "begins on page S-6 and continues on page S-7", "on page S-6, continuing onto page S-7"
_CONTINUES = re.compile(r"[\s,]+(?:and )?(?:continues|continuing|carries over|carrying over|runs over|running over)"
                        r"\s+(?:on|onto|to|over to)?\s*(?P<rest>pages?\s)", re.I)


# a figure given without quotation marks ("3.6% shall be deleted and replaced with 7.4%"), read whole, never a
# part: never the comma after it, never the digits before a decimal point
_FIGURE = r"(?:\$ ?)?\(?\d(?:[\d,]*\d)?(?:\.\d+)?(?![\d,]*\d)\)?(?: ?%| percent| basis points)?"
# a value given either way: a figure, or words in quotation marks
_FIGURE_OR_QUOTED = rf"(?:{_FIGURE}|{_OPEN}[^{_CLOSE}]*{_CLOSE})"
