"""What a document is and what it says of itself: kind, series, registrant, dates, and what it amends.

What belongs here: reading a cover (its first lines) by a grammar of how filings of every era title
themselves: prospectuses (preliminary or not), supplements, stickers that amend them, 8-Ks, exhibits."""

from __future__ import annotations

import datetime as dt
import re

from ..models import (
    Header,
    Metadata,
    RawDocument,
    file_number,
)
from .dates import DATE, _long_date, impossible_date, parse_date_text



# How many lines count as the "cover" of a document when looking for what it is.
COVER_LINES = 60


_HYPHENS = str.maketrans({"\u2011": "-", "\u2010": "-", "\u2013": "-", "\u2012": "-"})


_I = re.IGNORECASE


_IM = re.IGNORECASE | re.MULTILINE


_EXHIBIT_TOP = re.compile(r"^\s*EXHIBIT\s+(\d+(?:\.\d+)*)\s*$", _I)


_FORM_8K = re.compile(r"Form\s+8-K(?:/A)?", _I)  # a title line of its own, not a mention


_CURRENT_REPORT = re.compile(r"Current\s+Report\s+Pursuant\s+to\s+Section\s+13\s+or\s+15\s*\(d\)", _I)


# "Supplement dated X to Prospectus Supplement", "SUPPLEMENT\n(To Prospectus Supplement",
# "Supplement, dated X (subject to completion)\nto\nPreliminary Prospectus Supplement".
_STICKER_COVER = re.compile(
    rf"\bSupplement,?(?:\s+dated\s+{DATE})?(?:\s*\(subject\s+to\s+completion\))?[\s(]+to\s+"
    r"(?:the\s+)?(?:preliminary\s+)?prospectus\s+supplement\b",
    _I,
)


_SUPPLEMENTED_BY_THIS = re.compile(r"\(as\s+supplemented\s+by\s+this\s+supplement\)", _I)


_AMENDING_WORDS = re.compile(
    r"should\s+read\s*:"
    r"|\b(?:is|are|shall\s+be|should\s+be|will\s+be)\s+(?:hereby\s+)?"
    r"(?:deleted|replaced|amended|revised|restated)\b"
    r"|\bhereby\s+(?:amended|revised|supplemented)\b"
    r"|\breplaces\s+the\s+(?:table|paragraph|sentence|definition)\b"
    r"|\bnotwithstanding\s+anything\s+to\s+the\s+contrary\b",
    _I,
)


# What a sticker can amend, as covers name it: a prospectus (supplement), preliminary or not, a
# pricing or product supplement, an offering or private placement memorandum, an offering circular,
# or an earlier supplement (a chain: "Supplement dated A to Supplement dated B to ...").
_DOC_NAME = (
    r"(?:preliminary\s+)?(?:base\s+)?(?:prospectus\s+supplement|pricing\s+supplement|product\s+supplement"
    r"|prospectus|(?:confidential\s+)?(?:private\s+placement\s+|offering\s+|information\s+)memorandum"
    r"|offering\s+circular|supplement)"
)


# A cover's title naming what it amends: "SUPPLEMENT DATED JULY 15, 2024 TO PRELIMINARY PROSPECTUS
# DATED JULY 11, 2024", "Supplement dated as of X (to Prospectus Supplement dated Y", "SUPPLEMENT
# (To Prospectus Dated Y)", "Annual Appendix dated X to Prospectus dated Y", "Amendment No. 1 to ...".
_TITLE_TO = re.compile(
    r"^[\s(|]*(?P<title>(?:(?P<itself>prospectus|pricing|product)\s+)?(?:supplement|sticker"
    r"|amendment(?:\s+no\.?\s*\d+)?|(?:annual\s+)?appendix))\b"
    rf"(?:,?\s+dated\s+(?:as\s+of\s+)?(?P<own>{DATE}))?,?(?:\s*\(subject\s+to\s+completion\))?"
    rf"[\s(,]+to\s+(?:the\s+)?(?P<doc>{_DOC_NAME})\b"
    rf"(?:,?\s+dated\s+(?:as\s+of\s+)?(?P<date>{DATE}))?",
    _IM,
)


# A sentence saying what this supplement does: "This is a supplement to the prospectus dated X",
# "This supplement (this "Supplement") supplements and amends the preliminary prospectus dated X".
_THIS_SUPPLEMENT = re.compile(
    r"\bthis\s+(?:is\s+a\s+)?(?:supplement|sticker|amendment)\b[^.]{0,120}?"
    r"\b(?:to|supplements|amends|updates|modifies)\s+(?:and\s+(?:amends|supplements)\s+)?"
    rf"(?:the\s+)?(?P<doc>{_DOC_NAME}),?\s+dated\s+(?:as\s+of\s+)?(?P<date>{DATE})",
    _I,
)


# An amending sentence naming the dated document it changes: "Notwithstanding anything to the
# contrary set forth in the pricing supplement dated X", "... in the pricing supplement dated X,
# ..., is amended, restated and superseded".
_NAMED_DOC = re.compile(rf"\b(?:in|of|to)\s+the\s+(?P<doc>{_DOC_NAME}),?\s+dated\s+(?P<date>{DATE})", _I)


_DATED_LINE = re.compile(rf"^[\s|]*dated\s*:?\s*(?P<date>{DATE})[\s|]*$", _IM)


_PRELIMINARY = re.compile(r"subject\s+to\s+completion|\bpreliminary\s+(?:prospectus|offering|pricing)", _I)


_MEMORANDUM_TITLE = re.compile(
    r"(?:preliminary\s+)?(?:confidential\s+)?(?:private\s+placement|offering|information)\s+memorandum"
    r"|offering\s+circular",
    _I,
)


def _doc_kind(name: str) -> str:
    """The kind of an amended document as a cover names it: ``preliminary_prospectus``, ..."""
    name = " ".join(name.lower().split()).replace("base ", "")
    return name.replace(" ", "_")


def _title_to(cover: str) -> re.Match | None:
    """The first cover title naming a dated document it amends (not a prospectus supplement's own
    "(To Prospectus dated ...)", which names the base it goes with)."""
    for m in _TITLE_TO.finditer(cover):
        doc = m.group("doc").lower()
        if m.group("itself") and not doc.endswith("supplement"):
            continue
        return m
    return None


_TO_SUPPLEMENT = re.compile(
    rf"\bto\s+(?:the\s+)?(?P<pre>preliminary\s+)?prospectus\s+supplement,?\s+dated\s+(?P<date>{DATE})", _I
)


_TO_PROSPECTUS = re.compile(rf"\bto\s+(?:the\s+)?(?:base\s+)?prospectus,?\s+dated\s+(?P<date>{DATE})", _I)


_SUPPLEMENT_DATED = re.compile(
    rf"(?P<pre>preliminary\s+)?prospectus\s+supplement,?\s+dated\s+(?P<date>{DATE})", _I
)


# A sticker's own date as its cover prints it: "Supplement dated X" opening a line, or
# "Prospectus Supplement dated X to Prospectus Supplement dated Y" (the seed sticker).
_OWN_DATE_TO = re.compile(
    rf"^[\s(|]*(?:prospectus\s+)?supplement,?\s+dated\s+(?P<date>{DATE})"
    r"(?:\s*\(subject\s+to\s+completion\))?\s+to\s+(?:the\s+)?(?:preliminary\s+)?prospectus\s+supplement",
    _IM,
)


_OWN_DATE = re.compile(rf"^[\s(|]*supplement,?\s+dated\s+(?P<date>{DATE})", _IM)


_DATE_OF_THIS = re.compile(
    rf"\bdate\s+of\s+this\s+(?P<what>prospectus\s+supplement|supplement|prospectus)\s+is\s+"
    rf"(?P<date>{DATE})",
    _I,
)


_DATE_WORD = re.compile(r"date\s+of\s+this\s")  # no leading \b: it would disable the literal scan


_LONE_DATE = re.compile(rf"^[ \t]*(?P<date>{DATE})[ \t]*$", _IM)


_SUBJECT_TO_COMPLETION = re.compile(rf"subject\s+to\s+completion,?\s+dated\s+(?P<date>{DATE})", _I)


_REPORT_DATE = re.compile(
    rf"Date\s+of\s+Report\s*\(Date\s+of\s+earliest\s+event\s+reported\)\s*:?\s*(?P<date>{DATE})", _I
)


_SIGNATURE_DATE = re.compile(rf"^\s*Date\s*:\s*(?P<date>{DATE})", _IM)


_SERIES = re.compile(r"\bSeries\s+((?:19|20)\d{2}-[A-Z0-9]+)\b", _I)


_TRUST_SERIES = re.compile(r"\bTrust,?\s+((?:19|20)\d{2}-[A-Z0-9]+)\b", _I)


_FILE_NO_LABELLED = re.compile(
    r"(?:File|Registration)\s+(?:No\.?|Number)\s*:?\s*(\d{1,3}-\d{4,6}(?:-\d{2})?)\b", _I
)


_FILE_NO_333 = re.compile(r"(?<![\d-])(333-\d{4,6}(?:-\d{2})?)(?![\d-])")


_EIN = re.compile(r"(?<![\d-])(\d{2}-\d{7})(?![\d-])")


_EIN_LABEL = re.compile(r"\bI\.?R\.?S\.?\b|Employer\s+Identification", _I)


_AMOUNT = re.compile(r"\$\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?)")


_DEFINED_DEPOSITOR = re.compile(
    r"(?P<name>[A-Z][\w.,&'-]*(?:\s+(?:[A-Z][\w.,&'-]*|of|and|&))*)\s*\(the\s+[\"“]Depositor[\"”]\)"
)


_ROLE_LINE = re.compile(r"^(?:Depositor|Issuer|Issuing\s+Entity)\b", _I)


_NOT_NAME_WORDS = {
    "depositor", "issuer", "servicer", "servicers", "sponsor", "seller", "trustee", "originator",
    "underwriter", "underwriters", "entity", "administrator", "supplement", "prospectus", "to",
}  # fmt: skip


_COMPANY_LINE = re.compile(
    r"(?:Corporation|Corp\.|Inc\.?|Company|LLC|L\.L\.C\.|Trust(?:\s+(?:19|20)\d{2}-[A-Z0-9]+)?)[,.]?$", _I
)


def _first_date(regex: re.Pattern[str], text: str) -> dt.date | None:
    for m in regex.finditer(text):
        d = parse_date_text(m.group("date"))
        if d:
            return d
    return None


def _date_of_this(text: str, *whats: str) -> dt.date | None:
    """The date in "The date of this <what> is X" when <what> is one of ``whats``.

    A 424B5 often carries the base prospectus after the supplement; its "date of this
    prospectus" is not the supplement's date.
    """
    # A case-blind scan of a megabyte costs some 30 ms; a case-sensitive one for the literal
    # "date" in the lower-cased text costs 1 ms, and finds every place the full pattern can match.
    low = text.lower()
    if len(low) == len(text):
        starts = [m.start() for m in _DATE_WORD.finditer(low)]
        found = (m for m in (_DATE_OF_THIS.match(text, i) for i in starts) if m)
    else:  # lower-casing moved offsets (a rare letter lowers to two): scan the text itself
        found = _DATE_OF_THIS.finditer(text)
    for m in found:
        if " ".join(m.group("what").lower().split()) in whats:
            d = parse_date_text(m.group("date"))
            if d:
                return d
    return None


def _at_line_start(text: str, pos: int) -> bool:
    """True when only white space, "(" or "|" precede ``pos`` on its line."""
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip(" \t(|")


def _clean_lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, without the "|" of cells retrieved from HTML tables."""
    return [s for s in (line.strip().strip("|").strip() for line in text.split("\n")) if s]


def _kind_from_text(cover: str, lines: list[str]) -> tuple[str, str | None]:
    """Return (kind, exhibit number) from a document's own words on its cover."""
    for line in lines[:3]:
        m = _EXHIBIT_TOP.match(line)
        if m:
            return "exhibit", m.group(1)
    if any(_FORM_8K.fullmatch(line) for line in lines[:15]) or _CURRENT_REPORT.search(cover):
        return "8-K", None
    if _is_sticker(cover):
        return "sticker", None
    if _is_supplement(cover, lines):
        return "prospectus_supplement", None
    if _is_prospectus(cover, lines):
        return "prospectus", None
    return "other", None


def _is_sticker(cover: str) -> bool:
    if _STICKER_COVER.search(cover) or _SUPPLEMENTED_BY_THIS.search(cover):
        return True
    if _title_to(cover) or _THIS_SUPPLEMENT.search(cover):
        return True
    # A sticker whose cover reads like the supplement it amends ("Prospectus Supplement dated
    # <date> (To Prospectus dated ...)"), or has no dated cover at all, with amending words right
    # below it; or a corporate note's amendment naming the pricing supplement it changes.
    return bool(_AMENDING_WORDS.search(cover)) and bool(
        re.search(r"prospectus\s+supplement|front\s+cover\s+page", cover, _I) or _NAMED_DOC.search(cover)
    )


def _is_supplement(cover: str, lines: list[str]) -> bool:
    if any(re.match(r"(?:preliminary\s+)?prospectus\s+supplement\b", line, _I) for line in lines[:15]):
        return True
    return bool(
        re.search(r"\(\s*to\s+(?:the\s+)?prospectus,?\s+dated", cover, _I)
        or re.search(r"date\s+of\s+this\s+prospectus\s+supplement\s+is", cover, _I)
        or re.search(r"preliminary\s+prospectus\s+supplement", cover, _I)
    )


def _is_prospectus(cover: str, lines: list[str]) -> bool:
    if any(re.fullmatch(r"(?:preliminary\s+|base\s+)?prospectus", line, _I) for line in lines[:15]):
        return True
    if any(_MEMORANDUM_TITLE.fullmatch(line) for line in lines[:15]):
        return True
    return bool(re.search(r"date\s+of\s+this\s+prospectus\s+is", cover, _I))


def _kind(
    doc: RawDocument, header: Header, cover: str, lines: list[str]
) -> tuple[str, str | None, str | None]:
    """Return (kind, exhibit number, EDGAR form) from the envelope's type first, then the words."""
    form = (doc.type or header.form_type or "").strip().upper() or None
    text_kind, exhibit = _kind_from_text(cover, lines)
    if form is None:
        return text_kind, exhibit, None
    if form.startswith("EX-"):
        return "exhibit", form[3:] or exhibit, form
    if form.startswith("8-K"):
        return "8-K", None, form
    if form.startswith("424"):
        if text_kind in ("prospectus", "prospectus_supplement", "sticker"):
            return text_kind, None, form
        guess = "prospectus_supplement" if re.search(r"prospectus\s+supplement", cover, _I) else "prospectus"
        return guess, None, form
    return text_kind, exhibit, form


def _series(text: str) -> str | None:
    text = text.translate(_HYPHENS)
    for regex in (_SERIES, _TRUST_SERIES):
        m = regex.search(text)
        if m:
            return m.group(1).upper()
    return None


def _file_number(text: str) -> str | None:
    for regex in (_FILE_NO_LABELLED, _FILE_NO_333):
        for m in regex.finditer(text.translate(_HYPHENS)):
            try:
                return file_number(m.group(1))
            except ValueError:
                continue
    return None


def _registrant(kind: str, cover: str, lines: list[str], text: str) -> str | None:
    if kind == "8-K":
        for i, line in enumerate(lines[1:], 1):
            if re.match(r"\(Exact\s+name\s+of\s+registrant", line, _I):
                return " ".join(lines[i - 1].split())
        return None
    if kind == "exhibit":
        m = _DEFINED_DEPOSITOR.search(" ".join(text.split()))
        return m.group("name").rstrip(",") if m else None
    if kind in ("sticker", "prospectus_supplement", "prospectus"):
        for role in ("depositor", "issu"):
            for i, line in enumerate(lines[1:], 1):
                if _ROLE_LINE.match(line) and line.lower().startswith(role):
                    return _cover_name(lines, i - 1)
        for i, line in enumerate(lines):
            if len(line) <= 70 and _COMPANY_LINE.search(line) and _name_like(line):
                return _cover_name(lines, i)
    return None


def _name_like(line: str) -> bool:
    """A line that can be a name: it opens with a capital, most of its words do, no colon ends it
    (a wrapped line of prose ending in "the trust." is no name)."""
    words = [w for w in line.split() if w[0].isalpha()]
    if not words or not line[0].isupper() or line.endswith(":"):
        return False
    return sum(w[0].isupper() for w in words) * 2 >= len(words)


def _cover_name(lines: list[str], i: int) -> str:
    """The name printed on cover line ``i``, with a first word the retrieval wrapped above it.

    Stickers retrieved from HTML break a name after its first word ("Structured" / "Asset
    Mortgage Investments II Inc.", "GS" / "Mortgage Securities Corp."): a lone capitalised word that
    is not a role belongs to the name.
    """
    name = lines[i].rstrip(",")
    above = lines[i - 1] if i > 0 else ""
    wrapped = not name.isupper() and re.fullmatch(r"[A-Z][A-Za-z&.]*", above)
    if wrapped and above.lower() not in _NOT_NAME_WORDS:
        name = f"{above} {name}"
    return name


def _own_date(cover: str, skip: tuple[int, int] = (0, 0)) -> dt.date | None:
    """A sticker's own "Supplement dated X" opening a line of its cover (outside ``skip``, the
    span of a title that names the supplement it amends)."""
    for regex in (_OWN_DATE_TO, _OWN_DATE):
        for m in regex.finditer(cover):
            if skip[0] <= m.start() < skip[1]:
                continue
            # A wrapped "...the prospectus\nsupplement dated X" names the amended supplement (a
            # cover whose lines break inside the name).
            if re.search(r"prospectus\s*$", cover[: m.start()], _I):
                continue
            d = parse_date_text(m.group("date"))
            if d:
                return d
    return None


def _sticker_dates(cover: str, text: str) -> tuple[dt.date | None, dt.date | None, str | None]:
    """Return (own date, date of the document amended, the kind of document amended)."""
    title = _title_to(cover)
    own = parse_date_text(title.group("own")) if title and title.group("own") else None
    own = (
        own
        or _own_date(cover, title.span() if title else (0, 0))
        or _date_of_this(text, "supplement", "prospectus supplement")
        or _first_date(_DATED_LINE, cover)
        or _first_date(_LONE_DATE, cover)
    )
    if title and title.group("date") and _doc_kind(title.group("doc")) != "prospectus_supplement":
        # A chain ("to Supplement dated B to ..."), or what is not a prospectus supplement.
        return own, parse_date_text(title.group("date")), _doc_kind(title.group("doc"))
    matches = list(_TO_SUPPLEMENT.finditer(cover))
    # The cover's own "to Prospectus Supplement dated" line beats a notice to investors above it,
    # which may give another date (a misprint the cover and the text do not repeat).
    matches.sort(key=lambda m: not _at_line_start(cover, m.start()))
    for m in matches:
        d = parse_date_text(m.group("date"))
        if d:
            return own, d, "preliminary_prospectus_supplement" if m.group("pre") else "prospectus_supplement"
    for m in _SUPPLEMENT_DATED.finditer(cover):
        d = parse_date_text(m.group("date"))
        if d and not (own and d == own and _OWN_DATE_TO.search(cover)):
            return own, d, "preliminary_prospectus_supplement" if m.group("pre") else "prospectus_supplement"
    for regex in (_THIS_SUPPLEMENT, _NAMED_DOC):
        for m in regex.finditer(cover):
            d = parse_date_text(m.group("date"))
            if d and d != own:
                return own, d, _doc_kind(m.group("doc"))
    return own, None, _doc_kind(title.group("doc")) if title else None


_AMENDED_NAMES = {
    "supplement": "Supplement",
    "prospectus_supplement": "Prospectus Supplement",
    "preliminary_prospectus_supplement": "Preliminary Prospectus Supplement",
}


def _amended_name(kind: str | None) -> str:
    """How a sticker's title names what it amends: "Preliminary Prospectus", "Pricing Supplement"."""
    return _AMENDED_NAMES.get(kind or "prospectus_supplement") or (kind or "").replace("_", " ").title()


def _prospectus_date(cover: str) -> dt.date | None:
    matches = sorted(_TO_PROSPECTUS.finditer(cover), key=lambda m: not _at_line_start(cover, m.start()))
    return next((d for m in matches if (d := parse_date_text(m.group("date")))), None)


def _dated(name: str, date: dt.date | None) -> str:
    return name + (f" dated {_long_date(date)}" if date else "")


def _sticker_facts(cover: str, text: str) -> dict:
    own, amends, amends_kind = _sticker_dates(cover, text)
    title = _dated("Supplement", own) + " to " + _dated(_amended_name(amends_kind), amends)
    return {
        "title": title,
        "document_date": own,
        "amends_supplement_date": amends,
        "amends_prospectus_date": _prospectus_date(cover),
        "amends_kind": amends_kind,
    }


def _supplement_facts(cover: str, text: str, preliminary: bool) -> dict:
    date = (
        _date_of_this(text, "prospectus supplement")
        or _first_date(_SUPPLEMENT_DATED, cover)
        or _first_date(_SUBJECT_TO_COMPLETION, cover)
    )
    preliminary = preliminary or bool(re.search(r"preliminary\s+prospectus\s+supplement", cover, _I))
    title = _dated(("Preliminary " if preliminary else "") + "Prospectus Supplement", date)
    return {"title": title, "document_date": date, "amends_prospectus_date": _prospectus_date(cover),
            "preliminary": preliminary}


_PROSPECTUS_DATED = re.compile(rf"^\s*(?:preliminary\s+)?prospectus,?\s+dated\s+(?P<date>{DATE})", _IM)


def _prospectus_facts(cover: str, text: str, preliminary: bool) -> dict:
    date = (
        _date_of_this(text, "prospectus")
        or _first_date(_PROSPECTUS_DATED, cover)
        or _first_date(_SUBJECT_TO_COMPLETION, cover)
    )
    memo = _MEMORANDUM_TITLE.search("\n".join(cover.split("\n")[:15]))
    name = " ".join(memo.group(0).split()).title() if memo else "Prospectus"
    if preliminary and not name.startswith("Preliminary"):
        name = "Preliminary " + name
    return {"title": _dated(name, date), "document_date": date, "preliminary": preliminary}


def _report_facts(cover: str, text: str) -> dict:
    report = _first_date(_REPORT_DATE, cover)
    signed = _first_date(_SIGNATURE_DATE, text)
    # The date the document bears is the one it was signed on.
    return {"title": _dated("Form 8-K", report), "report_date": report, "signature_date": signed,
            "document_date": signed or report}


def _is_preliminary(cover: str, form: str | None) -> bool:
    """A preliminary document: Form 424H, or a cover "SUBJECT TO COMPLETION"."""
    return (form or "").startswith("424H") or bool(_PRELIMINARY.search(cover))


def classify(doc: RawDocument, header: Header) -> Metadata:
    """Say what one document is and extract the facts its cover states; absent facts are None."""
    text = doc.text
    cover = "\n".join(text.split("\n")[:COVER_LINES]).translate(_HYPHENS)
    lines = _clean_lines(cover)
    kind, exhibit, form = _kind(doc, header, cover, lines)

    facts: dict = {}
    if kind == "sticker":
        facts = _sticker_facts(cover, text)
    elif kind == "prospectus_supplement":
        facts = _supplement_facts(cover, text, _is_preliminary(cover, form))
    elif kind == "prospectus":
        facts = _prospectus_facts(cover, text, _is_preliminary(cover, form))
    elif kind == "8-K":
        facts = _report_facts(cover, text)
    elif kind == "exhibit":
        date = _first_date(_LONE_DATE, cover)
        facts = {"title": _dated(f"Exhibit {exhibit}" if exhibit else "Exhibit", date), "document_date": date}
    amount = None
    if kind in ("sticker", "prospectus_supplement", "prospectus"):
        m = _AMOUNT.search(cover)
        amount = "$" + m.group(1) if m else None

    ein = None
    if kind == "8-K" or _EIN_LABEL.search(cover):
        m = _EIN.search(cover)
        ein = m.group(1) if m else None
    if not (facts.get("document_date") or facts.get("report_date") or facts.get("signature_date")):
        # No real date: an impossible one on the cover is kept to be reported, never replaced
        facts["impossible_date"] = impossible_date(cover)
    if kind in ("sticker", "prospectus_supplement", "prospectus") and not facts.get("document_date") \
            and not facts.get("impossible_date"):
        # No date on the cover: the EDGAR header's FILED AS OF DATE, when there is a header.
        facts["document_date"] = header.filed
    return Metadata(
        kind=kind,
        registrant=_registrant(kind, cover, lines, text) or header.company,
        series=_series(cover) or _series(text),
        file_number=_file_number(cover) or header.file_number,
        irs_ein=ein or header.irs_ein,
        form_type=form,
        amount=amount,
        exhibit=exhibit,
        **facts,
    )
