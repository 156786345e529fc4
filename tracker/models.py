"""Domain values: frozen dataclasses that check themselves on construction.

Nothing here does I/O. Identifiers (accession number, file number, page label) parse and print back
the same string. ``to_record``/``from_record`` give any of these values a lossless JSON form, for
the store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
import typing
from dataclasses import dataclass
from typing import NamedTuple


# --- identifiers -----------------------------------------------------------------------------

_ACCESSION = re.compile(r"^\d{10}-\d{2}-\d{6}$")
_FILE_NUMBER = re.compile(r"^\d{3}-\d{4,6}(?:-\d{2})?$")
# S-8, A-1, ii, 12, and the pages of an annex numbered within it: S-C-1-2, II-4
_PAGE_LABEL = re.compile(r"^(?:[A-Z]{1,3}(?:-[A-Z0-9]{1,3}){0,3}-\d{1,4}|\d{1,4}|[ivxlc]{1,8})$")


def accession_number(text: str) -> str:
    """Return an EDGAR accession number (``0001162318-03-000370``) or raise ``ValueError``."""
    text = text.strip()
    if _ACCESSION.match(text):
        return text
    if re.fullmatch(r"\d{18}", text):
        return f"{text[:10]}-{text[10:12]}-{text[12:]}"
    raise ValueError(f"not an accession number: {text!r}")


def file_number(text: str) -> str:
    """Return a Commission file number (``333-107958``) or raise ``ValueError``."""
    text = text.strip()
    if not _FILE_NUMBER.match(text):
        raise ValueError(f"not a commission file number: {text!r}")
    return text


def page_label(text: str) -> str:
    """Return a printed page label (``S-8``, ``ii``, ``12``) normalised, or raise ``ValueError``."""
    text = text.strip().replace("\u2011", "-").replace("\u2013", "-")
    if re.fullmatch(r"[sS]\s*-\s*\d{1,3}", text):
        text = "S-" + re.sub(r"\D", "", text)
    if not _PAGE_LABEL.match(text):
        raise ValueError(f"not a page label: {text!r}")
    return text


def page_number(label: str | None) -> tuple[str, int] | None:
    """Split ``S-8`` into (``S``, 8) so neighbouring pages can be compared; None when not numeric."""
    if not label:
        return None
    m = re.fullmatch(r"([A-Z]{1,3}(?:-[A-Z0-9]{1,3})*)-(\d+)", label)
    if m:
        return m.group(1), int(m.group(2))
    if label.isdigit():
        return "", int(label)
    return None


# --- filings ---------------------------------------------------------------------------------

KINDS = (
    "prospectus",
    "prospectus_supplement",
    "sticker",  # a supplement to a prospectus supplement
    "8-K",
    "exhibit",
    "other",
)


@dataclass(frozen=True)
class Metadata:
    """What classification found in one document. Absent facts are None."""

    kind: str
    title: str | None = None
    registrant: str | None = None
    series: str | None = None
    file_number: str | None = None
    irs_ein: str | None = None
    form_type: str | None = None  # EDGAR form (424B5, 8-K, EX-5.1) when known
    document_date: dt.date | None = None  # the document's own date
    report_date: dt.date | None = None  # 8-K: date of earliest event reported
    signature_date: dt.date | None = None
    amends_supplement_date: dt.date | None = None  # sticker: "to Prospectus Supplement dated ..."
    amends_prospectus_date: dt.date | None = None  # "(to Prospectus dated ...)"
    amount: str | None = None  # dollar amount on the cover, as printed: "$457,959,000"
    exhibit: str | None = None  # "5.1"
    # A preliminary document ("SUBJECT TO COMPLETION", Form 424H): one that can still be amended.
    preliminary: bool = False
    # sticker: the kind of document it amends, as its cover names it ("prospectus_supplement",
    # "preliminary_prospectus", "pricing_supplement", "supplement" for an earlier sticker, ...)
    amends_kind: str | None = None
    # a date on the cover that no calendar has ("February 30, 2004"), when the document has no real one
    impossible_date: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown document kind: {self.kind!r}")


@dataclass(frozen=True)
class RawDocument:
    """One document inside a filing, as text, with the SGML envelope's fields when present."""

    text: str
    type: str | None = None  # <TYPE>
    sequence: int | None = None
    filename: str | None = None
    description: str | None = None
    is_html: bool = False


@dataclass(frozen=True)
class Header:
    """The SEC-HEADER of a full-submission file; all None for a bare document."""

    accession: str | None = None
    form_type: str | None = None
    filed: dt.date | None = None
    period: dt.date | None = None
    company: str | None = None
    cik: str | None = None
    file_number: str | None = None
    irs_ein: str | None = None


@dataclass(frozen=True)
class ParsedFiling:
    """A filing read from bytes: its header and the documents it carries (at least one)."""

    header: Header
    documents: tuple[RawDocument, ...]
    encoding: str
    format: str  # "sgml" | "text" | "html"

    def __post_init__(self) -> None:
        if not self.documents:
            raise ValueError("a filing holds at least one document")


# --- structure of a text ---------------------------------------------------------------------

BLOCK_KINDS = ("heading", "paragraph", "table", "bullet", "definition", "risk_factor", "toc")


class Page(NamedTuple):
    """One printed page: its index from 0, its printed label (None on a cover) and its span."""

    index: int
    label: str | None
    start: int
    end: int


class _BlockFields(NamedTuple):
    index: int
    kind: str
    start: int
    end: int
    page: int  # index into Segmented.pages
    heading: tuple[str, ...] = ()
    level: int = 0
    term: str | None = None


class Block(_BlockFields):
    """One structural element of a text, with its span ``text[start:end]``.

    ``heading`` is the path of headings above the block (for a heading: above it, then itself).
    ``term`` is the defined term of a definition or the title of a risk factor or table.
    ``level`` is a heading's depth (1 for ALL CAPS sections, 2 for subsections, ...).
    A risk factor's span covers its heading line and its body paragraphs.

    A named tuple rather than a dataclass: a megabyte has thousands of blocks, and a frozen
    dataclass costs four times as much to make.
    """

    __slots__ = ()

    def __new__(cls, index: int, kind: str, start: int, end: int, page: int,
                heading: tuple[str, ...] = (), level: int = 0, term: str | None = None) -> "Block":
        if kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind: {kind!r}")
        if not 0 <= start <= end:
            raise ValueError(f"bad span {start}..{end}")
        return tuple.__new__(cls, (index, kind, start, end, page, heading, level, term))


@dataclass(frozen=True)
class Segmented:
    """A text with its pages and blocks (blocks in text order)."""

    text: str
    pages: tuple[Page, ...]
    blocks: tuple[Block, ...]

    def page_label(self, block: Block) -> str | None:
        return self.pages[block.page].label if self.pages else None


# --- amendments ------------------------------------------------------------------------------

OPS = (
    "replace",
    "insert_after",
    "insert_before",
    "insert_at",
    "append",
    "delete",
    "substitute",
    "replace_rows",
    "replace_column",
    "notice",
    "unsupported",
)
TARGET_KINDS = (
    "paragraph",
    "sentence",
    "table",
    "definition",
    "risk_factor",
    "bullet",
    "column",
    "row",
    "cell",
    "value",
    "heading",
    "toc_entry",
    "text",
    "section",
)


@dataclass(frozen=True)
class Ordinal:
    """Which one: the Nth sentence / paragraph / bullet, counted from the end when ``from_end``.

    ``after`` names an anchor the count starts from ("the first paragraph following the table").
    ``paragraph_from_end``, when not None, is the direction of the paragraph count where it differs
    from the element's own: "the last sentence of the first paragraph" is sentence 1 from the end
    (``from_end``) of paragraph 1 from the start (``paragraph_from_end=False``). ``run``, when set, is
    how many elements in a row the target spans, from the one counted on ("the first two sentences":
    sentence 1, run 2; "the last three paragraphs": paragraph 3 from the end, run 3).
    """

    sentence: int | None = None
    paragraph: int | None = None
    bullet: int | None = None
    from_end: bool = False
    after: str | None = None
    paragraph_from_end: bool | None = None
    run: int | None = None
    line: int | None = None  # "in the fourth line of the paragraph": the printed line words are sought on

    def to_json(self) -> dict:
        # the answer schema has one flag: set when any count named runs from the end
        out = {
            "sentence": self.sentence,
            "paragraph": self.paragraph,
            "bullet": self.bullet,
            "from_end": self.from_end or bool(self.paragraph_from_end),
        }
        if self.paragraph_from_end is not None:
            out["paragraph_from_end"] = self.paragraph_from_end
        if self.run:
            out["run"] = self.run
        return out


@dataclass(frozen=True)
class Target:
    """Where an instruction acts, as the sticker says it (the locator)."""

    kind: str
    page: str | None = None
    heading: tuple[str, ...] | None = None
    ordinal: Ordinal | None = None
    term: str | None = None
    old_text: str | None = None
    locus: str | None = None  # "front cover page", ...
    pages: tuple[str, ...] = ()  # all pages named ("on pages S-6 and S-7"); page is the first
    scope: str | None = None  # "all": every occurrence in the document ("All references to ...")
    # a cell: the column named by its title and the row by its label ("Class B-1"), in the table named
    column: str | None = None
    row: str | None = None
    footnote: str | None = None  # a footnote by its mark: "(2)", "*"
    clause: str | None = None  # a lettered or numbered clause inside the element: "(ii)"
    contains: str | None = None  # words the element holds: "the sentence containing the words «X»"

    def __post_init__(self) -> None:
        if self.kind not in TARGET_KINDS:
            raise ValueError(f"unknown target kind: {self.kind!r}")

    def to_json(self) -> dict:
        out = {
            "kind": self.kind,
            "page": self.page,
            "heading": list(self.heading) if self.heading else None,
            "ordinal": self.ordinal.to_json() if self.ordinal else None,
            "term": self.term,
            "old_text": self.old_text,
        }
        if self.locus:
            out["locus"] = self.locus
        if self.scope:
            out["scope"] = self.scope
        if self.column:
            out["column"] = self.column
        if self.row:
            out["row"] = self.row
        if self.footnote:
            out["footnote"] = self.footnote
        if self.clause:
            out["clause"] = self.clause
        if self.contains:
            out["contains"] = self.contains
        return out


@dataclass(frozen=True)
class Instruction:
    """One parsed patch of an amending filing.

    ``n`` is its order in the filing (from 1); ``span`` the character span of its words in the
    filing's text; ``source_text`` the sticker's own words of the locator and action; ``rows``
    holds the row labels a ``replace_rows`` restates ("Class M5", ...).
    """

    n: int
    op: str
    target: Target
    new_text: str | None
    source_text: str
    span: tuple[int, int]
    rows: tuple[str, ...] = ()
    reason: str | None = None  # for "unsupported": why no form matched

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"unknown op: {self.op!r}")
        if self.n < 1:
            raise ValueError("instruction numbers start at 1")

    def to_json(self) -> dict:
        out = {
            "n": self.n,
            "op": self.op,
            "target": self.target.to_json(),
            "new_text": self.new_text,
            "new_text_starts": (self.new_text or "")[:40] or None,
            "new_text_ends": (self.new_text or "")[-40:] or None,
            "source_text": self.source_text,
            "span": list(self.span),
        }
        if self.rows:
            out["rows"] = list(self.rows)
        if self.op == "unsupported":
            out["status"] = "unsupported"
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Notice:
    """A text-free override ("Notwithstanding anything to the contrary ...") attached to a version."""

    n: int
    text: str
    span: tuple[int, int]

    def to_json(self) -> dict:
        return {"n": self.n, "text": self.text, "span": list(self.span)}


@dataclass(frozen=True)
class Amendment:
    """The parse of one amending filing: its instructions and notices in filing order."""

    instructions: tuple[Instruction, ...]
    notices: tuple[Notice, ...] = ()

    def to_json(self) -> dict:
        return {
            "instructions": [i.to_json() for i in self.instructions],
            "notices": [n.to_json() for n in self.notices],
        }


STATUSES = ("applied", "ambiguous", "unresolved", "conflict", "unsupported", "notice", "pending")


@dataclass(frozen=True)
class Candidate:
    """One place an instruction might act on, with its score (0..1) and why."""

    start: int
    end: int
    score: float
    page: str | None
    heading: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Resolution:
    """Where an instruction lands in the version it amends, or why it does not.

    ``start``/``end`` is the span replaced (equal for an insertion); ``replacement`` the exact text
    put there. ``candidates`` are sorted best first; the chosen one is ``candidates[0]`` when
    the status is ``applied``.

    ``pieces``, when given, are the exact edits of an instruction that changes several places
    ("All references to ... are replaced with ..."), in text order and apart from each other.
    ``start``/``end`` then cover the first to the last piece and ``replacement`` is that span
    with every piece applied, so the one span applied alone gives the same text; ``edits()``
    gives the pieces, which is what must be applied and checked for overlaps alongside other
    edits (another instruction may change the text between two pieces).
    """

    n: int
    status: str
    confidence: float
    start: int | None = None
    end: int | None = None
    replacement: str | None = None
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""
    pieces: tuple[Edit, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status: {self.status!r}")
        if self.status == "applied" and (self.start is None or self.end is None):
            raise ValueError("an applied resolution needs a span")
        if self.pieces:
            if self.start != self.pieces[0].start or self.end != self.pieces[-1].end:
                raise ValueError("the span of a resolution in pieces runs from its first to its last piece")
            if any(a.end > b.start for a, b in zip(self.pieces, self.pieces[1:])):
                raise ValueError("the pieces of a resolution are in text order and apart")

    def edits(self) -> tuple[Edit, ...]:
        """The exact edits this resolution makes: its pieces, or its one span (none unless applied)."""
        if self.status != "applied":
            return ()
        if self.pieces:
            return self.pieces
        return (Edit(self.start, self.end, self.replacement or "", self.n),)


@dataclass(frozen=True)
class Edit:
    """A plain replacement of ``text[start:end]`` by ``new``; the unit apply works with."""

    start: int
    end: int
    new: str
    n: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")


# --- records: the lossless stored form of a value ----------------------------------------------
#
# ``to_record`` and ``from_record`` work from the dataclass fields and their annotations, so a field
# added to ``Target``, ``Ordinal`` or ``Instruction`` is stored and read back with no change here.
# A record missing a field (written before the field existed) takes the field's default; a key
# the dataclass no longer has is ignored.


def to_record(value):
    """A JSON-ready form of ``value`` (dataclasses as dicts, tuples as lists) for ``from_record``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_record(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_record(v) for v in value]
    if isinstance(value, dict):
        return {k: to_record(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def from_record(cls, record: dict):
    """The ``cls`` instance a record made by ``to_record`` stands for (equal to the one stored)."""
    hints = _hints(cls)
    return cls(**{
        f.name: _decode(record[f.name], hints[f.name])
        for f in dataclasses.fields(cls) if f.init and f.name in record
    })


@functools.cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _decode(value, tp):
    """``value`` read from JSON as the annotated type ``tp``."""
    if value is None:
        return None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        fits = [a for a in args if a is not type(None) and _fits(value, a)]
        return _decode(value, fits[0]) if fits else value
    if dataclasses.is_dataclass(tp):
        return from_record(tp, value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(v, args[0]) for v in value)
        return tuple(_decode(v, a) for v, a in zip(value, args)) if args else tuple(value)
    if origin is list:
        return [_decode(v, args[0]) for v in value] if args else list(value)
    if origin is dict:
        return {k: _decode(v, args[1]) for k, v in value.items()} if args else dict(value)
    if tp is dt.date:
        return dt.date.fromisoformat(value)
    if tp is float and isinstance(value, int):
        return float(value)
    return value


def _fits(value, tp) -> bool:
    """Could a JSON value be the stored form of type ``tp``? (to pick the arm of a union)"""
    origin = typing.get_origin(tp) or tp
    if dataclasses.is_dataclass(tp) or origin is dict:
        return isinstance(value, dict)
    if origin in (tuple, list):
        return isinstance(value, list)
    if tp is dt.date:
        return isinstance(value, str)
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(tp, type):
        return isinstance(value, tp)
    return True
