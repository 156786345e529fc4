"""Resolving instructions against a segmented text, and applying the resolved edits.

What belongs here: turning each ``Instruction`` of an ``Amendment`` into a ``Resolution`` (where it
lands, with what exact replacement, how sure we are, or why it does not land), and applying
resolutions to a text. Pure functions only.

How a target is found:

0. The new text is checked against what the target needs (``implausible_new_text``): a
   definition must define its term, a risk factor start with a title, a table hold columns, rows
   or figures, and no new text may carry the wording of an instruction ("... is changed to",
   "the following paragraph is added"), the sign that the parser ran on into the next one.
   Otherwise the instruction is refused, with the reason, before anything is located.
1. *Units* of the target's kind are listed: logical paragraphs (a paragraph cut by a page break
   counts once), sentences, bullets, tables, definitions, risk factors, sections (a heading and
   everything under it up to the next heading of its level or higher). Each unit knows the heading
   it sits under (the *instance* of that heading: the same title twice in a document makes two
   instances) and its position there, from the start and from the end. Heading lines are units
   too, named by their own words. With a page named and no heading, paragraphs are counted on
   the page they start on ("the first full paragraph on page S-9" is not the one carried over
   from S-8).
2. The locator filters and scores them (``fit`` in [0, 1]): the heading path must end with the
   named heading (earlier parts may be skipped, each missing one costs a little), the page may
   drift by one (costs a little), an ordinal or a term that does not match costs more.
3. The new text scores them too (``sim`` in [0, 1], rapidfuzz over whitespace-folded text), since a
   replacement usually resembles what it replaces. For insertions and deletions it says nothing.
4. ``score = (fit + sim) / 2`` (``fit`` alone where the new text says nothing). The best candidate
   is applied unless the runner-up is within ``MARGIN`` *and* has the same fit (the locator cannot
   tell them apart): then the instruction is ambiguous. With ``MARGIN = 0.05`` two candidates are
   told apart either by the locator or by a similarity gap of 10 points, which is more than the
   spread rapidfuzz shows between two rewordings of one paragraph.

The new text goes in as the sticker gives it, minus its delimiters: quotation marks wrapping
the whole of it, and the ``|`` that starts a line in the text of an HTML sticker (a table cell
mark of the conversion, never part of the wording). A new item next to a bullet is a bullet
item with the list's own marker and indentation. A section replaced keeps its heading; what
stands under it goes.

Table edits (``replace_column``, ``replace_rows``) read the text table into columns and rows
and rewrite only the cells named, each in its place (numbers keep their right edge, text its
left edge; a column too narrow is widened once). A table is a candidate only when it has the
column or rows named and takes the new cells exactly (as many values as rows holding one, each
row's values mapped to columns by their headers or, when all are given, by position); when the
table the locator names best cannot take them, the instruction is refused with the reason.

A global substitution (``Target.scope == "all"``: "All references ... to X are replaced with Y")
replaces every exact occurrence of the old wording (white space and quote style free, never
inside a longer word or number), narrowed to the elements in reach when a page or heading is
named; none is unresolved. Its ``Resolution`` is made of ``pieces``, one exact edit each, and
covers the first to the last (its ``replacement`` is that span with every piece applied, so the
one span alone gives the same text); applying and conflict checks go piece by piece, so another
instruction may change the text between two occurrences but not an occurrence itself.
"""

from __future__ import annotations

import functools
import re
import textwrap
from bisect import bisect_right
from functools import lru_cache
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .models import (
    Amendment,
    Block,
    Candidate,
    Edit,
    Instruction,
    Ordinal,
    Resolution,
    Segmented,
    Target,
    page_number,
)
from .segment import (
    bullet_body,
    continues_previous,
    sentences,
)
from .text import fold_space, normalise_heading, plain, split_heading_path

MARGIN = 0.05  # closeness of the best two scores under which the locator must decide
MIN_SCORE = 0.5  # below this the best candidate is not trusted
MIN_SIM_WHEN_TIED = 0.5  # when the locator fits several places equally, the text must decide
# When the locator fits several places equally, the new text may choose one only when it is decisive:
# like the chosen place (at least DECISIVE_SIM) and clearly more like it than like any other.
DECISIVE_SIM = 0.6
DECISIVE_MARGIN = 0.15

# What the locator's misfits cost (subtracted from a fit of 1).
COST_DRIFT = 0.1  # the target is one page off the page named
COST_ORDINAL = 0.25  # the target is not the Nth element named
COST_HEADING_PART = 0.15  # a named heading level is not in the target's path
COST_DEEPER = 0.1  # the target sits under a sub-heading of the one named
COST_TERM = 0.5  # scaled by how unlike the term named the unit's term is

WRAP = 78


# --- units -----------------------------------------------------------------------------------


@dataclass(slots=True)  # made by the thousand: slots make that cheaper
class _Unit:
    kind: str  # paragraph | sentence | bullet | table | definition | risk_factor
    start: int
    end: int
    pages: frozenset[int]
    heading: tuple[str, ...]
    instance: object  # the heading occurrence (or page) it is counted under
    term: str | None = None
    parts: tuple[tuple[int, int], ...] = ()  # paragraph parts when cut by a page break
    position: int = 0  # 1-based, within its instance
    count: int = 0
    para_position: int = 0  # sentences: the paragraph's position
    para_count: int = 0
    block: Block | None = None
    extra: dict = field(default_factory=dict)


def _starts_chunk(text: str, block: Block, prev: Block | None) -> bool:
    if prev is None:
        return True
    between = text[prev.end : block.start]
    return "\n" in between and bool(re.search(r"\n[ \t]*\n", between)) or "<PAGE>" in between.upper()


def _instances(seg: Segmented) -> dict[int, object]:
    """For each block, the heading occurrence it sits under (the heading block's index)."""
    last: dict[tuple[str, ...], int] = {}
    out: dict[int, object] = {}
    for b in seg.blocks:
        if b.kind == "heading":
            last[b.heading] = b.index
            out[b.index] = b.index
            continue
        key = last.get(b.heading)
        out[b.index] = key if key is not None else ("page", b.page)
    return out


_STARTS: dict[int, tuple[tuple, list[int]]] = {}


def _page_of(seg: Segmented, pos: int) -> int:
    # Page starts are kept per pages tuple (identity checked), as this is called per unit.
    hit = _STARTS.get(id(seg.pages))
    if hit is None or hit[0] is not seg.pages:
        if len(_STARTS) > 8:
            _STARTS.clear()
        hit = (seg.pages, [p.start for p in seg.pages])
        _STARTS[id(seg.pages)] = hit
    return max(0, bisect_right(hit[1], pos) - 1)


def _page_starts(seg: Segmented) -> list[int]:
    """The start offset of every page (what ``_page_of`` bisects), kept as ``_page_of`` keeps it."""
    hit = _STARTS.get(id(seg.pages))
    if hit is None or hit[0] is not seg.pages:
        _page_of(seg, 0)
        hit = _STARTS[id(seg.pages)]
    return hit[1]


class _Units:
    """The units of a text by kind, each kind made (and numbered) on first use: an instruction
    reads one or two kinds of the text, not all."""

    def __init__(self, seg: Segmented):
        self._seg = seg
        self._inst = _instances(seg)
        self._starts = _page_starts(seg)
        self.headings: list[Block] = [b for b in seg.blocks if b.kind == "heading"]

    def _pages(self, b: Block) -> frozenset[int]:
        return frozenset({b.page, max(0, bisect_right(self._starts, b.end) - 1)})

    def _of_kind(self, kind: str, term: bool) -> list[_Unit]:
        inst = self._inst
        return [_Unit(kind, b.start, b.end, self._pages(b), b.heading, inst[b.index],
                      term=b.term if term else None, block=b)
                for b in self._seg.blocks if b.kind == kind]

    @functools.cached_property
    def paragraphs(self) -> list[_Unit]:
        """Logical paragraphs (a paragraph cut by a page break counts once), and the bullets that
        start a chunk of text."""
        seg, inst = self._seg, self._inst
        text = seg.text
        paragraphs: list[_Unit] = []
        prev: Block | None = None
        for b in seg.blocks:
            if b.kind in ("paragraph", "definition") or (
                b.kind == "bullet" and _starts_chunk(text, b, prev)
            ):
                pages = self._pages(b)
                if b.kind == "paragraph" and paragraphs and continues_previous(seg, b):
                    u = paragraphs[-1]
                    u.parts = u.parts + ((b.start, b.end),)
                    u.end = b.end
                    u.pages = u.pages | pages
                else:
                    paragraphs.append(
                        _Unit("paragraph", b.start, b.end, pages, b.heading, inst[b.index],
                              term=b.term, parts=((b.start, b.end),), block=b)
                    )
            if b.kind != "risk_factor":
                prev = b
        _number(paragraphs)
        _number_after_tables(paragraphs, self.tables)
        _number_on_pages(paragraphs)
        return paragraphs

    @functools.cached_property
    def bullets(self) -> list[_Unit]:
        return _number(self._of_kind("bullet", False))

    @functools.cached_property
    def tables(self) -> list[_Unit]:
        return _number(self._of_kind("table", True))

    @functools.cached_property
    def definitions(self) -> list[_Unit]:
        return self._of_kind("definition", True)

    @functools.cached_property
    def risks(self) -> list[_Unit]:
        return self._of_kind("risk_factor", True)

    @functools.cached_property
    def sections(self) -> list[_Unit]:
        return _section_units(self._seg, self._inst)

    @functools.cached_property
    def heads(self) -> list[_Unit]:
        """Heading lines, named by their text."""
        text, inst = self._seg.text, self._inst
        return [
            _Unit("heading", b.start, b.end, frozenset({b.page}), b.heading, inst[b.index],
                  term=_fold(text[b.start:b.end]), block=b)
            for b in self.headings
        ]


def _build_units(seg: Segmented) -> _Units:
    return _Units(seg)


def _number_on_pages(paragraphs: list[_Unit]) -> None:
    """Positions counted on the page a paragraph starts on ("the first full paragraph on page
    S-9"): a paragraph carried over from the page before is not a paragraph of this page."""
    by: dict[int, list[_Unit]] = {}
    for u in paragraphs:
        if u.block is not None:
            by.setdefault(u.block.page, []).append(u)
    for group in by.values():
        for i, u in enumerate(group, 1):
            u.extra["on_page"] = (i, len(group))


def _section_units(seg: Segmented, inst: Mapping[int, object]) -> list[_Unit]:
    """Each heading with what stands under it: up to the next heading of the same or a higher
    level (a sub-heading and its blocks belong to the section). The unit spans the heading line
    to the end of the section's last block; ``extra["last"]`` is that block (the heading itself
    when the section is empty)."""
    out: list[_Unit] = []
    blocks = seg.blocks
    # A section ends before the first heading after it of its level or a higher one. The
    # headings still open are stacked, their levels rising: a heading closes those on top
    # whose level is not above its own.
    lasts: dict[int, Block] = {}
    open_: list[int] = []
    for j, b in enumerate(blocks):
        if b.kind == "heading":
            while open_ and b.level <= blocks[open_[-1]].level:
                lasts[open_.pop()] = blocks[j - 1]
            open_.append(j)
    for i in open_:
        lasts[i] = blocks[-1]
    for i, h in enumerate(blocks):
        if h.kind != "heading":
            continue
        last = lasts[i]
        pages = frozenset(range(h.page, _page_of(seg, last.end) + 1))
        out.append(_Unit("section", h.start, last.end, pages, h.heading, inst[h.index],
                         block=h, extra={"last": last}))
    return out


def _number(units: list[_Unit]) -> list[_Unit]:
    """Number units within their heading instance (position, count); return them."""
    by: dict[object, list[_Unit]] = {}
    for u in units:
        by.setdefault(u.instance, []).append(u)
    for group in by.values():
        for i, u in enumerate(group, 1):
            u.position, u.count = i, len(group)
    return units


def _number_after_tables(paragraphs: list[_Unit], tables: list[_Unit]) -> None:
    """Positions counted from the last table above, in the same heading instance.

    Stickers count "the first paragraph following the table"; a table (or a block of
    label ........ value rows) restarts the count.
    """
    by: dict[object, list[_Unit]] = {}
    for u in paragraphs:
        by.setdefault(u.instance, []).append(u)
    table_starts: dict[object, list[int]] = {}
    for t in tables:
        table_starts.setdefault(t.instance, []).append(t.start)
    for inst, group in by.items():
        starts = table_starts.get(inst)
        if not starts:
            continue
        runs: dict[int, list[_Unit]] = {}
        for u in group:
            k = bisect_right(starts, u.start)
            if k:
                runs.setdefault(k, []).append(u)
        for run in runs.values():
            for i, u in enumerate(run, 1):
                u.extra["after_table"] = (i, len(run))


def _sentence_units(seg: Segmented, paras: Sequence[_Unit], count: bool = True) -> list[_Unit]:
    out: list[_Unit] = []
    by: dict[object, list[_Unit]] = {}
    for p in paras:
        spans: list[tuple[int, int]] = []
        for a, b in p.parts:
            start = a
            if p.block is not None and p.block.kind == "bullet" and a == p.block.start:
                start = bullet_body(seg, p.block)[0]
            spans.extend(sentences(seg.text, start, b))
        for i, (a, b) in enumerate(spans, 1):
            u = _Unit("sentence", a, b, frozenset({_page_of(seg, a), _page_of(seg, b)}),
                      p.heading, p.instance, position=i, count=len(spans),
                      para_position=p.position, para_count=p.count, block=p.block,
                      extra={"para_after_table": p.extra.get("after_table"),
                             "para_on_page": p.extra.get("on_page")})
            out.append(u)
            by.setdefault(p.instance, []).append(u)
    if not count:
        return out
    for group in by.values():
        for i, u in enumerate(group, 1):
            u.extra["in_section"] = (i, len(group))
    return out


class _Sentences:
    """The sentence units of a text, built on demand: the same units ``_sentence_units`` gives,
    but only for the heading instances a locator can reach, and kept for the next instruction.

    A sentence unit shares its paragraph's heading path and instance, and its pages lie within
    the pages its paragraph's parts span. So a paragraph whose heading path misses the heading
    named, or none of whose pages is (or neighbours) a page named, or lies on the front cover
    when the cover is named, holds no sentence the locator reaches: it is not split. Sentences
    are counted within their instance (``in_section``), so an instance in reach is split whole.
    """

    def __init__(self, seg: Segmented, units: _Units):
        self.seg = seg
        self._of = units
        self._paras: list[_Unit] | None = None
        self._ranges: list[frozenset[int] | None] = []
        self._units: list[list[_Unit] | None] = []
        self._members: dict[object, list[int]] | None = None

    @property
    def paras(self) -> list[_Unit]:
        """The paragraph units split (made on first use: no sentence target, no paragraphs)."""
        if self._paras is None:
            self._paras = list(self._of.paragraphs)
            self._ranges = [None] * len(self._paras)
            self._units = [None] * len(self._paras)
        return self._paras

    def _range(self, i: int) -> frozenset[int]:
        """Every page the parts of paragraph ``i`` touch (a superset of its sentences' pages)."""
        r = self._ranges[i]
        if r is None:
            starts = _page_starts(self.seg)
            pages: set[int] = set()
            for a, b in self.paras[i].parts:
                # (as _page_of: the page holding each end)
                pages.update(range(max(0, bisect_right(starts, a) - 1),
                                   max(0, bisect_right(starts, b) - 1) + 1))
            r = self._ranges[i] = frozenset(pages)
        return r

    def _build(self, instance: object) -> None:
        """Split every paragraph of ``instance`` into sentence units (as ``_sentence_units``)."""
        if self._members is None:
            self._members = {}
            for i, p in enumerate(self.paras):
                self._members.setdefault(p.instance, []).append(i)
        members = self._members[instance]
        group: list[_Unit] = []
        for i in members:
            units = _sentence_units(self.seg, [self.paras[i]], count=False)
            self._units[i] = units
            group.extend(units)
        for k, u in enumerate(group, 1):
            u.extra["in_section"] = (k, len(group))

    def units_for(self, ins: Instruction) -> list[_Unit]:
        """The sentence units, in text order, of every paragraph the locator of ``ins`` may
        reach; units it cannot reach are left out (they would score None)."""
        t = ins.target
        seg = self.seg
        cover = bool(t.locus and "cover" in t.locus.lower() and not t.page)
        cover_pages = _cover_pages(seg) if cover else set()
        named = list(t.pages) or ([t.page] if t.page else [])
        want = _split_heading(t.heading)
        out: list[_Unit] = []
        paras = self.paras
        for i, p in enumerate(paras):
            if cover or named:
                pages = self._range(i)
                if cover and not pages & cover_pages:
                    continue
                if _page_cost(seg, pages, named) is None:
                    continue
            if _heading_fit(p.heading, want) is None:
                continue
            units = self._units[i]
            if units is None:
                self._build(p.instance)
                units = self._units[i]
            out.extend(units)
        return out


# --- text helpers ----------------------------------------------------------------------------


_fold = fold_space
_plain = plain


def _sim(a: str, b: str) -> float:
    a, b = _plain(a), _plain(b)
    if not a or not b:
        return 0.0
    return (fuzz.ratio(a, b) + fuzz.token_set_ratio(a, b)) / 200.0


def _unquote(s: str) -> str:
    t = s.strip()
    pairs = {"“": "”", '"': '"', "‘": "’", "'": "'"}
    if len(t) >= 2 and t[0] in pairs and t.endswith(pairs[t[0]]):
        inner = t[1:-1]
        # Only when the quotes wrap the whole text, not two quoted pieces.
        if pairs[t[0]] not in inner[:-1] or t[0] == pairs[t[0]] and inner.count(t[0]) == 0:
            return inner.strip()
    if len(t) >= 3 and t[0] in pairs and t.endswith(pairs[t[0]] + "."):
        inner = t[1:-2]
        if pairs[t[0]] not in inner:
            return inner.strip()
    return t


_CELL_MARK = re.compile(r"^([ \t]*)\|")
_EMPTY_CELL = re.compile(r"^[ \t]*\|[ \t]*(?:\n|$)", re.M)


def _strip_cell_marks(s: str) -> str:
    """The text without the ``|`` that starts a line: in the text of an HTML sticker it marks a
    table cell (the conversion put each cell on its own line) and is never part of the wording.
    A cell left empty leaves no line."""
    if "|" not in s:
        return s
    s = _EMPTY_CELL.sub("", s)
    return "\n".join(_CELL_MARK.sub(r"\1", ln) for ln in s.split("\n"))


def _new_text(ins: Instruction) -> str:
    """The instruction's new text as it goes into the document: cell marks and the quotation
    marks wrapping the whole of it dropped."""
    return _unquote(_strip_cell_marks(ins.new_text or ""))


def _wrap_prose(new: str, indent: str = "", first_width: int = WRAP) -> str:
    """Keep the sticker's line breaks, but wrap a paragraph given as one long line."""
    lines = new.split("\n")
    if all(len(ln) <= WRAP + 2 for ln in lines):
        return "\n".join(ln.rstrip() if i == 0 else indent + ln.strip() if ln.strip() else ""
                         for i, ln in enumerate(lines))
    paras = [ln.strip() for ln in lines if ln.strip()]
    out = []
    for k, p in enumerate(paras):
        w = textwrap.wrap(p, width=WRAP, subsequent_indent=indent, initial_indent=indent,
                          break_long_words=False, break_on_hyphens=False)
        if k == 0 and w:
            # The first line continues where the replaced element started.
            w = textwrap.wrap(p, width=WRAP, subsequent_indent=indent,
                              initial_indent=" " * (WRAP - first_width),
                              break_long_words=False, break_on_hyphens=False)
            w[0] = w[0].lstrip()
        out.append("\n".join(w))
    return "\n\n".join(out)


def _column(text: str, pos: int) -> int:
    return pos - (text.rfind("\n", 0, pos) + 1)


# --- heading and page fit --------------------------------------------------------------------


def _heading_eq(a: str, b: str) -> bool:
    """Two normalised headings are the same heading: equal (a near miss is another heading)."""
    return a == b


def _heading_fit(path: Sequence[str], want: Sequence[str]) -> float | None:
    """Fit of a unit's heading path to the path named, or None when the last part is missing."""
    if not want:
        return 1.0
    # Many units share a path, and the instructions of one text name few: remembered.
    return _heading_fit_of(tuple(path), tuple(want))


@lru_cache(maxsize=8192)
def _heading_fit_of(path: tuple[str, ...], want: tuple[str, ...]) -> float | None:
    have = [_normalised_heading(h) for h in path]
    pos = None
    for j in range(len(have) - 1, -1, -1):
        if _heading_eq(have[j], want[-1]):
            pos = j
            break
    if pos is None:
        return None
    missing = 0
    k = pos - 1
    for w in reversed(want[:-1]):
        j = k
        while j >= 0 and not _heading_eq(have[j], w):
            j -= 1
        if j >= 0:
            k = j - 1
        else:
            missing += 1
    return 1.0 - COST_HEADING_PART * missing - COST_DEEPER * (len(have) - 1 - pos)


@lru_cache(maxsize=8192)
def _normalised_heading(h: str) -> str:
    return normalise_heading(h)


def _split_heading(heading: Sequence[str] | None) -> list[str]:
    """Normalised parts; a part like "Description of the Certificates--Advances" is two levels."""
    return [n for h in heading or () for part in split_heading_path(h) if (n := normalise_heading(part))]


def _page_cost(seg: Segmented, unit_pages: frozenset[int], named: Sequence[str]) -> float | None:
    """Cost of the unit's pages against the pages named: 0, drift, or None (too far)."""
    if not named:
        return 0.0
    n = len(seg.pages)
    if n and unit_pages and min(unit_pages) >= 0 and max(unit_pages) < n:
        exact, drift = _named_pages(seg, tuple(named))
        if not unit_pages.isdisjoint(exact):
            return 0.0
        return COST_DRIFT if not unit_pages.isdisjoint(drift) else None
    best = None
    for label in named:
        want = page_number(label)
        for p in unit_pages:
            have_label = seg.pages[p].label
            if have_label == label:
                return 0.0
            have = page_number(have_label)
            if want and have and want[0] == have[0] and abs(want[1] - have[1]) == 1:
                best = COST_DRIFT
    return best


_NAMED_PAGES: dict[tuple[int, tuple], tuple[tuple, frozenset[int], frozenset[int]]] = {}


def _named_pages(seg: Segmented, named: tuple[str, ...]) -> tuple[frozenset[int], frozenset[int]]:
    """The pages (indices) labelled as one of ``named``, and those one page off one of them, as
    ``_page_cost`` tells them; kept per pages tuple (identity checked), as it is asked per unit."""
    key = (id(seg.pages), named)
    hit = _NAMED_PAGES.get(key)
    if hit is None or hit[0] is not seg.pages:
        if len(_NAMED_PAGES) > 64:
            _NAMED_PAGES.clear()
        exact: set[int] = set()
        drift: set[int] = set()
        for label in named:
            want = page_number(label)
            for p, page in enumerate(seg.pages):
                have_label = page.label
                if have_label == label:
                    exact.add(p)
                    continue
                have = page_number(have_label)
                if want and have and want[0] == have[0] and abs(want[1] - have[1]) == 1:
                    drift.add(p)
        hit = (seg.pages, frozenset(exact), frozenset(drift))
        _NAMED_PAGES[key] = hit
    return hit[1], hit[2]


def _cover_pages(seg: Segmented) -> set[int]:
    out = set()
    for p in seg.pages:
        if p.label is not None:
            break
        out.add(p.index)
    return out


# --- the resolver ----------------------------------------------------------------------------


@dataclass
class _Scored:
    unit: _Unit
    fit: float
    sim: float
    score: float
    why: str
    span: tuple[int, int]
    replacement: str
    ordinal_ok: bool = True


def resolve_amendment(
    amendment: Amendment,
    seg: Segmented,
    overrides: Mapping[int, tuple[int, int]] | None = None,
) -> tuple[Resolution, ...]:
    """Resolve every instruction of ``amendment`` against ``seg``: one Resolution each, in order."""
    overrides = overrides or {}
    units = _build_units(seg)
    # Sentence units (paragraphs split into sentences) serve sentence targets only: built on
    # demand, where a locator can reach, and shared by the instructions.
    sent = _Sentences(seg, units)
    out: list[Resolution] = []
    for ins in amendment.instructions:
        if ins.n in overrides:
            out.append(_override(ins, seg, overrides[ins.n]))
        else:
            out.append(resolve_instruction(ins, seg, units, sent))
    return _mark_conflicts(out)


def _override(ins: Instruction, seg: Segmented, span: tuple[int, int]) -> Resolution:
    start, end = span
    if not 0 <= start <= end <= len(seg.text):
        return Resolution(ins.n, "unresolved", 0.0, reason=f"reviewer's span {span} is outside the text")
    unit = _Unit(ins.target.kind, start, end, frozenset({_page_of(seg, start)}), (), None,
                 parts=((start, end),))
    made = _edit(ins, seg, unit)
    if made is None:
        return Resolution(ins.n, "unsupported", 0.0, reason=f"cannot perform {ins.op} on the chosen span")
    (a, b), rep = made
    cand = Candidate(a, b, 1.0, seg.pages[unit_page(seg, a)].label, (), "chosen by reviewer")
    return Resolution(ins.n, "applied", 1.0, a, b, rep, (cand,), "chosen by reviewer")


def unit_page(seg: Segmented, pos: int) -> int:
    """Index of the page holding offset ``pos``."""
    return _page_of(seg, pos)


def _mark_conflicts(res: list[Resolution]) -> tuple[Resolution, ...]:
    applied = [r for r in res if r.status == "applied"]
    bad: dict[int, int] = {}
    for i, a in enumerate(applied):
        for b in applied[i + 1 :]:
            if _edits_overlap(a, b):
                bad[a.n] = b.n
                bad[b.n] = a.n
    out = []
    for r in res:
        if r.n in bad:
            r = Resolution(r.n, "conflict", r.confidence, r.start, r.end, r.replacement,
                           r.candidates, f"overlaps instruction {bad[r.n]}; neither applied")
        out.append(r)
    return tuple(out)


def _edits_overlap(a: Resolution, b: Resolution) -> bool:
    """Do two applied resolutions touch the same text? Piece by piece: another instruction may
    change the text between two places a global substitution changes."""
    if not _overlap((a.start, a.end), (b.start, b.end)):
        return False  # the pieces lie inside the spans they cover
    return any(_overlap((x.start, x.end), (y.start, y.end)) for x in a.edits() for y in b.edits())


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:
        # An insertion conflicts only with a span it falls strictly inside.
        p, (s, e) = (a[0], b) if a[0] == a[1] else (b[0], a)
        if a[0] == a[1] and b[0] == b[1]:
            return False
        return s < p < e
    return a[0] < b[1] and b[0] < a[1]


def resolve_instruction(
    ins: Instruction, seg: Segmented, units: _Units | None = None,
    sent: list[_Unit] | _Sentences | None = None,
) -> Resolution:
    """Resolve one instruction (without conflict checks against the others)."""
    if ins.op == "notice":
        return Resolution(ins.n, "notice", 1.0, reason="notice: changes no text")
    if ins.op == "unsupported":
        return Resolution(ins.n, "unsupported", 0.0, reason=ins.reason or "the sticker's wording was not understood")
    if ins.op in ("replace_rows", "replace_column") and not ins.new_text:
        return Resolution(ins.n, "unsupported", 0.0, reason=f"{ins.op} without new cells")
    if ins.op in ("replace", "substitute", "insert_after", "insert_before", "insert_at", "append") \
            and ins.new_text is None:
        return Resolution(ins.n, "unsupported", 0.0, reason=f"{ins.op} without new text")
    doubt = implausible_new_text(ins)
    if doubt is not None:
        return Resolution(ins.n, "unsupported", 0.0, reason=doubt)
    units = units or _build_units(seg)
    if sent is None:
        sent = _Sentences(seg, units) if ins.target.kind == "sentence" else []
    t = ins.target
    if t.scope == "all":
        return _resolve_everywhere(ins, seg, units)
    if ins.op in ("replace_rows", "replace_column"):
        return _resolve_table_edit(ins, seg, units)
    if ins.op == "insert_at" and t.ordinal is not None and t.kind in _CONTAINERS:
        return _resolve_position(ins, seg, units, sent)
    if t.kind == "cell" and t.row:
        return _resolve_cell(ins, seg, units)
    if t.kind == "row" and ins.op == "delete" and ins.rows:
        return _resolve_row_delete(ins, seg, units)
    if t.kind == "value" and ins.op == "replace" and not t.old_text:
        return _resolve_value(ins, seg)
    if t.kind == "heading" and not t.term:
        if not t.heading:
            return Resolution(ins.n, "unsupported", 0.0, reason="the heading is not named")
        # "The heading "X"": the last part named is the heading itself.
        ins = _named(ins, t.heading[-1], t.heading[:-1])
    pool = _pool(ins, units, sent)
    if pool is None:
        return Resolution(ins.n, "unsupported", 0.0,
                          reason=f"cannot {ins.op} a {t.kind} target")
    scored = [s for s in (_score(ins, seg, u) for u in pool) if s is not None]
    if not scored and t.kind == "table" and not t.term and t.heading:
        # "The table under the caption "X"": a caption names the table, it is not a heading
        # the table sits under.
        named = _named(ins, t.heading[-1], t.heading[:-1])
        want = normalise_heading(t.heading[-1])
        scored = [s for s in (_score(named, seg, u) for u in pool) if s is not None
                  and _heading_eq(normalise_heading(s.unit.term or ""), want)]
        if scored:
            ins = named
    return _decide(ins, seg, scored)


# What a counted position can be in: "as the third bullet point under «X»" (a section), "in the risk factor
# entitled «Y»", "as the second sentence of the first paragraph".
_CONTAINERS = ("section", "risk_factor", "paragraph")


def _resolve_position(ins: Instruction, seg: Segmented, units: _Units, sent) -> Resolution:
    """New text put at the Nth place in a container: before its Nth element, or after its last one when
    N is one past the count; any other N is out of range."""
    t, o = ins.target, ins.target.ordinal
    slot = "sentence" if o.sentence else "bullet" if o.bullet else "paragraph" if o.paragraph else None
    if slot is None or o.from_end:
        return Resolution(ins.n, "unsupported", 0.0, reason="the position is not counted from the start")
    n = getattr(o, slot)
    heading = tuple(t.heading or ()) + ((t.term,) if t.kind == "risk_factor" and t.term else ())
    within = {"paragraph": o.paragraph} if t.kind == "paragraph" and slot == "sentence" else {}

    def at(op: str, ordinal: Ordinal) -> Resolution:
        target = Target(slot, page=t.page, heading=heading or None, ordinal=ordinal, locus=t.locus, pages=t.pages)
        return resolve_instruction(replace(ins, op=op, target=target), seg, units, sent if slot == "sentence" else None)

    before = at("insert_before", Ordinal(**{slot: n}, **within))
    if before.status == "applied" or n == 1:
        return replace(before, reason=f"as {slot} {n}: {before.reason}")
    after = at("insert_after", Ordinal(**{slot: n - 1}, **within))
    last = at("insert_after", Ordinal(**{slot: 1}, from_end=True, **within))
    if after.status == "applied" and last.status == "applied" and (after.start, after.end) == (last.start, last.end):
        return replace(after, reason=f"as {slot} {n}, after the last: {after.reason}")
    return replace(before, reason=f"no {slot} {n} to put the text before, nor {n - 1} to follow as the last: "
                                  f"{before.reason}")


def _named(ins: Instruction, term: str, heading: Sequence[str]) -> Instruction:
    """``ins`` with its target named by ``term`` under ``heading`` (None when empty)."""
    t = replace(ins.target, term=term, heading=tuple(heading) or None)
    return replace(ins, target=t)


def _pool(ins: Instruction, units: _Units, sent: list[_Unit] | _Sentences) -> list[_Unit] | None:
    t = ins.target
    if (ins.op == "substitute" or (t.kind == "value" and t.old_text)) \
            and t.ordinal is not None and t.ordinal.bullet is not None:
        # "... in the fourth bullet": only bullets are counted as bullets.
        return units.bullets
    if ins.op == "substitute":
        # The old wording is searched in every element of the scope.
        # (A bullet unit is never among the paragraph units, which are all of kind paragraph.)
        return units.paragraphs + [b for b in units.bullets if b.position and (
            b.kind == "bullet" or b not in units.paragraphs)] + units.tables
    kind = t.kind
    if kind == "value" and t.old_text:
        return units.paragraphs + units.bullets + units.tables
    if kind == "paragraph" or kind == "text":
        return units.paragraphs
    if kind == "sentence":
        return sent.units_for(ins) if isinstance(sent, _Sentences) else sent
    if kind == "bullet":
        return units.bullets
    if kind == "table":
        return units.tables
    if kind == "risk_factor":
        return units.risks
    if kind == "definition":
        return units.definitions + [p for p in units.paragraphs if p.block and p.block.kind == "paragraph"]
    if kind == "section" and ins.op in ("append", "insert_after", "insert_before", "replace"):
        return units.sections
    if kind == "heading" and ins.op in ("replace", "delete", "insert_after", "insert_before"):
        return units.heads
    return None


def _locator_fit(ins: Instruction, seg: Segmented, u: _Unit, why: list[str]) -> tuple[float, bool] | None:
    """How well unit ``u`` fits the locator's cover, page, heading and ordinal, and whether the
    ordinal is the one named; None when it is out of reach (wrong page, heading missing)."""
    t = ins.target
    fit = 1.0
    # Front cover: only the pages before the first labelled page.
    if t.locus and "cover" in t.locus.lower() and not t.page:
        if not u.pages & _cover_pages(seg):
            return None
        why.append("front cover")
    # Page.
    named = list(t.pages) or ([t.page] if t.page else [])
    cost = _page_cost(seg, u.pages, named)
    if cost is None:
        return None
    fit -= cost
    labels = sorted({seg.pages[p].label or "cover" for p in u.pages})
    why.append("page " + "/".join(labels) + (" (one page off)" if cost else ""))
    # Heading.
    want = _split_heading(t.heading)
    hf = _heading_fit(u.heading, want)
    if hf is None:
        return None
    fit -= 1.0 - hf
    if u.heading:
        why.append("under " + " > ".join(u.heading))
    # Ordinal.
    o = t.ordinal
    ordinal_ok = True
    if o is not None:
        # A page named without a heading: paragraphs are counted on that page. The ordinal named
        # must hold: "the fifth paragraph" where there are two is not the second.
        c = _ordinal_cost(o, u, t.kind, why, by_page=bool(named) and not want)
        if c:
            return None
    return fit, ordinal_ok


def _score(ins: Instruction, seg: Segmented, u: _Unit) -> _Scored | None:
    t = ins.target
    why: list[str] = []
    located = _locator_fit(ins, seg, u, why)
    if located is None:
        return None
    fit, ordinal_ok = located
    # Term.
    if t.term and u.kind in ("table", "risk_factor", "definition", "paragraph", "sentence", "heading"):
        c = _term_cost(t.term, seg, u, why)
        if c is None:
            return None
        fit -= c
    # The edit itself.
    made = _edit(ins, seg, u)
    if made is None:
        return None
    span, rep = made
    if ins.op == "substitute" or (t.kind == "value" and t.old_text):
        sim = 1.0  # the old wording was found exactly once
    elif ins.op in ("replace",):
        sim = _sim(seg.text[span[0]:span[1]], rep)
        why.append(f"similarity {sim:.2f}")
    else:
        sim = None
    fit = max(0.0, fit)
    score = fit if sim is None else (fit + sim) / 2
    return _Scored(u, fit, sim if sim is not None else 0.0, score, ", ".join(why), span, rep,
                   ordinal_ok)


def _ordinal_cost(o: Ordinal, u: _Unit, kind: str, why: list[str], by_page: bool = False) -> float:
    """What a unit's place costs against the ordinal named (0 when it is the one named).

    With ``by_page`` (a page named, no heading) paragraphs are counted among those that start
    on their page, not under their heading.
    """
    cost = 0.0
    if by_page and not o.after and o.paragraph is not None and u.kind in ("paragraph", "sentence"):
        why.append("paragraphs counted on their page")

    def at(n: int | None, counts: list[tuple[int, int] | None], from_end: bool, what: str) -> float:
        """Match ``n`` against any of the ways of counting (under the heading, after a table)."""
        if n is None:
            return 0.0
        pos, count = counts[0]
        for c in counts:
            if c is not None and (c[1] - c[0] + 1 if from_end else c[0]) == n:
                extra = "" if c == counts[0] else f", {c[0]} after the table"
                why.append(f"{what} {pos} of {count}{extra}")
                return 0.0
        named = f"{n} from the end" if from_end else str(n)
        why.append(f"{what} {pos} of {count} (named: {named})")
        return COST_ORDINAL

    def para_counts(pos: int, count: int, after: tuple[int, int] | None,
                    on_page: tuple[int, int] | None = None) -> list:
        if by_page and not o.after:
            return [on_page or (-99, -99)]
        if o.after:
            # "the first paragraph following the table": only the count after a table.
            return [(pos, count), after] if after else [(pos, count), (-99, -99)]
        return [(pos, count), after]

    if u.kind == "sentence":
        # One from_end flag counts every element named from the end ("the last sentence of the final
        # paragraph"); ``paragraph_from_end`` gives the paragraph's own direction where it differs.
        sentence_from_end = o.from_end and o.sentence is not None
        para_from_end = o.from_end if o.paragraph_from_end is None else o.paragraph_from_end
        if o.paragraph is not None:
            counts = para_counts(u.para_position, u.para_count, u.extra.get("para_after_table"),
                                 u.extra.get("para_on_page"))
            if o.after:
                counts = counts[1:]
            c = at(o.paragraph, counts, para_from_end, "paragraph")
            cost += c
            cost += at(o.sentence, [(u.position, u.count)], sentence_from_end, "sentence")
        else:
            pos, count = u.extra.get("in_section", (u.position, u.count))
            cost += at(o.sentence, [(pos, count)], sentence_from_end, "sentence")
    elif u.kind == "bullet":
        cost += at(o.bullet if o.bullet is not None else o.paragraph, [(u.position, u.count)],
                   o.from_end, "bullet")
    elif u.kind == "paragraph" and o.paragraph is not None:
        counts = para_counts(u.position, u.count, u.extra.get("after_table"), u.extra.get("on_page"))
        if o.after:
            counts = counts[1:]
        cost += at(o.paragraph, counts, o.from_end, "paragraph")
    elif u.kind == "table" and o.paragraph is not None:
        cost += at(o.paragraph, [(u.position, u.count)], o.from_end, "table")
    return cost


def _quoted_start(want: str, have: str) -> bool:
    """Whether a normalised title named is the first words (four or more) of a unit's longer title."""
    return len(want.split()) >= 4 and have.startswith(want + " ")


def _term_cost(term: str, seg: Segmented, u: _Unit, why: list[str]) -> float | None:
    want = normalise_heading(term)
    if u.kind == "heading":
        # A heading is named by its own words: only that heading.
        if normalise_heading(u.term or "") != want:
            return None
        why.append(f"heading {u.term!r}")
        return 0.0
    if u.kind in ("table", "risk_factor", "definition") or (u.kind == "paragraph" and u.term):
        have = normalise_heading(u.term or "")
        if not have:
            return None if u.kind != "table" else COST_TERM
        if have == want:
            why.append(f"titled {u.term!r}" if u.kind != "definition" else f"defines {u.term!r}")
            return 0.0
        if u.kind != "definition" and _quoted_start(want, have):
            # a long title quoted by its first words ("the risk factor entitled «Prepayments may ...»")
            why.append(f"titled {u.term!r} (its first words named)")
            return 0.0
        return None
    # A sentence or paragraph named by a term it uses.
    body = _plain(seg.text[u.start:u.end]).casefold()
    if _plain(term).casefold() in body:
        why.append(f"uses {term!r}")
        return 0.0
    return COST_TERM


# --- is the new text what the target needs? ----------------------------------------------------
#
# The parser can hand over a wrong new text: the bare term of a definition, or a replacement that
# ran on into the next instruction. Applied, either would silently corrupt the document; so the
# new text is checked against what the kind of target needs before anything is located, and the
# instruction is refused (with the reason) when it cannot be right. Each check is about what
# stickers and prospectus supplements look like in general, and lets through the legitimate
# oddities: a long paragraph replaced by a one-sentence cross-reference, a definition worded
# "The X on the Group I loans will be ...", a table given one cell per line or folded flat.

# The wording of an amending instruction itself. A prospectus supplement does not say of its
# own text that it "is hereby amended", "is deleted in its entirety", "is changed to "9.50%"",
# "should read:" or that "the following paragraph is added"; a new text holding such words has
# most likely run on into the next instruction. (Plain "is deleted" or "is replaced by" are not
# enough: "a mortgage loan that is deleted from the trust" is ordinary prospectus prose.)
_ACTION_WORDING = re.compile(
    r"\b(?:is|are)\s+hereby\s+(?:deleted|replaced|amended|changed|revised|restated|supplemented"
    r"|modified|inserted|added|corrected)\b"
    r"|\b(?:is|are)\s+(?:deleted|replaced|amended|restated|revised)\s+in\s+(?:its|their)\s+entirety\b"
    r"|\b(?:is|are)\s+(?:(?:deleted|removed)\s+and\s+)?(?:replaced|amended|changed|revised|restated)"
    r"\s+(?:with|by|to\s+read(?:\s+as\s+follows)?)\s*(?:the\s+following\b|:)"
    r"|\b(?:is|are)\s+(?:changed|replaced|amended|revised|corrected)\s+(?:to|with|by)\s+[\"“‘]"
    r"|\bshould\s+(?:be\s+(?:deleted|replaced|amended|revised|changed|corrected)\b|read\s*(?:as\s+follows)?\s*:)"
    r"|\bthe\s+following\s+(?:new\s+)?(?:paragraph|sentence|text|language|bullet(?:\s+point)?|definition"
    r"|table|row|column|risk\s+factor|section|subsection|disclosure)s?\s+(?:is|are|will\s+be|shall\s+be)"
    r"\s+(?:hereby\s+)?(?:added|inserted|substituted)\b"
    # A sticker's locator and its closing words, which name "the Prospectus Supplement" from
    # outside (the supplement's own text says "this prospectus supplement").
    r"|\bon\s+page\s+S-\d+\s+of\s+the\s+prospectus\s+supplement\b"
    r"|\bnotwithstanding\s+anything\s+(?:to\s+the\s+contrary\s+)?(?:contained\s+)?in\s+the\s+prospectus\s+supplement\b"
    r"|\bcapitali[sz]ed\s+terms\b[^.]{0,80}?\bherein\b[^.]{0,80}?\bthe\s+prospectus\s+supplement\b",
    re.I,
)

# Words that give a term its meaning ("X" means ..., X: ..., X refers to ...).
_DEFINING = re.compile(r"\bmeans\b|\bshall\s+mean\b|\brefers?\s+to\b|\bis\s+defined\b"
                       r"|\bhas\s+the\s+meaning\b|:", re.I)

# A paragraph may legitimately shrink to a placeholder.
_PLACEHOLDER = re.compile(r"^\W*(?:\[.*\]|reserved|intentionally\s+(?:omitted|left\s+blank|deleted)"
                          r"|omitted|none|not\s+applicable|n/?a)\W*$", re.I)

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*\S")


def _words(s: str) -> list[str]:
    return re.findall(r"[\w$%][\w$%.,'’/-]*", _plain(s))


def _bare(s: str) -> str:
    """Plain, case-folded, without quotation marks: for asking whether a text names a term."""
    return _fold(re.sub(r"[\"']", "", _plain(s)).casefold())


def _looks_tabular(new: str) -> bool:
    """Columns, rows or figures: what any form of a table has and prose lacks.

    A table comes laid out (a rule of dashes; lines with columns set apart by runs of spaces),
    one cell per line (``|`` cells of an HTML sticker; many short lines), or folded flat, when
    it is still mostly figures. A prose paragraph has none of these: its lines are long and
    its words mostly words.
    """
    lines = [ln for ln in new.split("\n") if ln.strip()]
    if any(_RULE_LINE.match(ln) for ln in lines) or _cell_rows(new):
        return True
    if sum(bool(re.search(r"\S {2,}\S", ln.strip())) for ln in lines) >= 2:
        return True
    if len(lines) >= 4 and sorted(len(ln.strip()) for ln in lines)[len(lines) // 2] < 40:
        return True
    tokens = _plain(new).split()
    figures = [w for w in tokens if re.search(r"\d", w)]
    return len(figures) >= 3 and len(figures) >= 0.15 * len(tokens)


def implausible_new_text(ins: Instruction) -> str | None:
    """Why the instruction's new text cannot be what its target needs, or None when it can be."""
    if ins.new_text is None or ins.op in ("delete", "notice", "unsupported"):
        return None
    raw = ins.new_text
    new = _unquote(raw)
    t = ins.target
    if not new.strip():
        # Words may be struck out ("the words "or the servicer" are deleted"); a paragraph, a
        # definition or a table replaced by nothing is a delete, which the parser says as such.
        if ins.op == "substitute" or t.old_text:
            return None
        return f"the new text is empty: nothing to {ins.op}"
    m = _ACTION_WORDING.search(raw)
    if m:
        return (f"the new text holds the wording of an instruction ({_fold(m.group())!r}): "
                f"it likely runs on into the next one")
    if ins.op == "substitute" or t.old_text:
        # A changed word or figure stays within its sentence.
        if _PARAGRAPH_BREAK.search(new) and not _PARAGRAPH_BREAK.search(t.old_text or ""):
            return "the new wording runs over a paragraph break, which the old wording does not"
        return None
    if ins.op != "replace":
        return None
    words = _words(new)
    if t.kind == "definition":
        # A definition says what its term means: it names the term and says more than it, or it
        # carries the defining words ("means", a colon). The bare term is not a definition.
        term_words = _words(t.term or "")
        if len(words) < len(term_words) + 4:
            return (f"the new text ({_fold(new)[:60]!r}) is too short to define "
                    f"{t.term or 'a term'!r}")
        if t.term and _bare(t.term) not in _bare(new) and not _DEFINING.search(new):
            return f"the new text neither names {t.term!r} nor says what it means"
    elif t.kind == "risk_factor":
        # A risk factor is a title line and a body; its replacement starts with a title: either
        # on a line of its own, or the title named (when the text was folded onto one line).
        lines = [ln.strip() for ln in new.strip().split("\n") if ln.strip()]
        own_line = len(lines) >= 2 and len(lines[0]) <= 300 and len(_words(" ".join(lines[1:]))) >= 5
        named = bool(t.term) and _bare(new).startswith(_bare(t.term)) \
            and len(words) >= len(_words(t.term)) + 5
        if not (own_line or named):
            return "the new text does not read as a risk factor: a title followed by its body"
    elif t.kind == "table":
        if not _looks_tabular(new):
            return "the new text does not look like a table: no columns, rows or figures"
    elif t.kind == "sentence":
        if _PARAGRAPH_BREAK.search(new.strip()):
            return "the new text runs over a paragraph break: it is more than a sentence"
    elif t.kind == "paragraph":
        # A paragraph is prose: a few words without an end (a bare term or heading) are a piece
        # of the sticker, unless they are a placeholder ("[Reserved]", "Intentionally omitted").
        if len(words) <= 3 and not re.search(r"[.:;!?)\]]\W*$", new.strip()) \
                and not _PLACEHOLDER.match(new.strip()):
            return f"the new text ({_fold(new)!r}) is a fragment, not a paragraph"
    return None


# --- the edits -------------------------------------------------------------------------------


def _edit(ins: Instruction, seg: Segmented, u: _Unit) -> tuple[tuple[int, int], str] | None:
    """The span and exact replacement string for ``ins`` acting on unit ``u``, or None."""
    text = seg.text
    op = ins.op
    new = _new_text(ins)
    start, end = u.start, u.end
    if u.kind == "bullet" and u.block is not None:
        start = bullet_body(seg, u.block)[0]
    if u.kind == "section" and u.block is not None:
        return _section_edit(op, seg, u, new)
    if u.kind == "heading" and u.block is not None and op != "delete":
        return _heading_edit(op, seg, u, new)
    if ins.target.kind == "value" and ins.target.old_text and op in ("insert_after", "insert_before"):
        # words put next to words: "inserting «, as amended,» after «Pooling Agreement»"
        hits = _find_all(text, ins.target.old_text, start, end)
        if len(hits) != 1:
            return None
        a, b = hits[0]
        new = _fold(new)
        if op == "insert_after":
            return (b, b), ("" if new[:1] in ",.;:)" else " ") + new
        return (a, a), new + ("" if new[-1:] in "(" else " ")
    if op == "substitute" or (ins.target.kind == "value" and ins.target.old_text and op == "replace"):
        old = ins.target.old_text or ""
        hits = _find_all(text, old, start, end)
        new = new.rstrip(".") if not old.endswith(".") else new
        if (ins.target.scope or "").startswith("all occurrences in") and hits:
            # every occurrence within the element: one span from the first to the last, each replaced
            a, b = hits[0][0], hits[-1][1]
            parts, pos = [], a
            for x, y in hits:
                parts += [text[pos:x], new]
                pos = y
            return (a, b), "".join(parts)
        if len(hits) != 1:
            return None
        a, b = hits[0]
        return (a, b), new
    if u.kind == "bullet" and u.block is not None and op in ("insert_after", "insert_before") \
            and not _PROSE_NOT_BULLET.search(ins.source_text or ""):
        return _bullet_insert(op, seg, u, new)
    if op == "replace":
        if u.kind == "sentence":
            return (start, end), _fold(new)
        if u.kind == "table":
            return _replace_table(seg, u, _unquote(ins.new_text or ""))
        col = _column(text, start)
        rep = _wrap_prose(new, " " * col, WRAP - col)
        if len(u.parts) > 1:
            # Keep the page break the paragraph ran across, after the new paragraph.
            between = text[u.parts[0][1] : u.parts[-1][0]]
            return (start, end), rep + _page_gap(between)
        return (start, end), rep
    if op in ("insert_after", "insert_at", "append"):
        if u.kind == "sentence":
            return (end, end), " " + _fold(new)
        # A paragraph added after a bullet stands where the paragraphs around the list do.
        col = _prose_column(seg, u.block) if u.kind == "bullet" and u.block else _column(text, u.start)
        return (end, end), "\n\n" + " " * col + _wrap_prose(new, " " * col, WRAP - col)
    if op == "insert_before":
        if u.kind == "sentence":
            return (start, start), _fold(new) + " "
        col = _column(text, u.start)
        return (u.start, u.start), _wrap_prose(new, " " * col, WRAP - col) + "\n\n" + " " * col
    if op == "delete":
        if u.kind == "sentence":
            m = re.match(r"\s*", text[end:])
            return (start, end + (m.end() if m else 0)), ""
        # Take the blank lines after the element too, so no gap is left.
        m = re.match(r"[ \t]*(?:\n[ \t]*)*", text[end:])
        stop = end + (m.end() if m else 0)
        line_start = text.rfind("\n", 0, u.start) + 1
        return (line_start, stop), ""
    return None


# What an insertion next to a bullet adds when it is not a bullet item itself.
_PROSE_NOT_BULLET = re.compile(
    r"\bfollowing\s+(?:new\s+)?(?:paragraph|sentence|text|language|disclosure)s?\b", re.I)
# A bullet marker the new text may bring: a symbol, or a number or letter.
_NEW_MARKER = re.compile(r"^\s*(?:(?P<sym>[•·▪■*o\-])|(?P<num>\(\w{1,4}\)|\d{1,2}\.))(?=\s)\s*")
_SYMBOL = re.compile(r"[•·▪■*o\-]")


def _bullet_insert(op: str, seg: Segmented, u: _Unit, new: str) -> tuple[tuple[int, int], str] | None:
    """A new bullet item next to bullet ``u``: the list's own marker and indentation, set apart
    from its neighbours as the list's items are. A list numbered or lettered takes a new item
    only when the new text brings its own number (none is made up); None otherwise."""
    text = seg.text
    b = u.block
    line_start = text.rfind("\n", 0, b.start) + 1
    body = bullet_body(seg, b)[0]
    prefix = text[line_start:body]
    marker = prefix.strip()
    m = _NEW_MARKER.match(new)
    rest = (new[m.end():] if m else new).strip()
    if not rest or _NEW_MARKER.match(rest):
        return None
    if not _SYMBOL.fullmatch(marker):
        if not (m and m.group("num")):
            return None
        lead = prefix[: len(prefix) - len(prefix.lstrip())]
        prefix = lead + m.group("num") + prefix[len(lead) + len(marker):]
    item = prefix + _wrap_prose(rest, " " * len(prefix), WRAP - len(prefix))
    # The gap the list leaves between items (a blank line or none).
    gap = "\n\n"
    blocks = seg.blocks
    for j in (b.index + 1, b.index - 1):
        if 0 <= j < len(blocks) and blocks[j].kind == "bullet" and blocks[j].page == b.page:
            a, z = (b, blocks[j]) if j > b.index else (blocks[j], b)
            between = text[a.end : z.start]
            gap = "\n\n" if re.search(r"\n[ \t]*\n", between) else "\n"
            break
    if op == "insert_after":
        return (u.end, u.end), gap + item
    return (line_start, line_start), item + gap


def _heading_edit(op: str, seg: Segmented, u: _Unit, new: str) -> tuple[tuple[int, int], str] | None:
    """A heading line replaced (one line, centred again when it was centred), or a paragraph put
    right before the heading line or right after it, indented as the paragraphs around it."""
    text = seg.text
    b = u.block
    line_start = text.rfind("\n", 0, b.start) + 1
    if op == "replace":
        words = _fold(new)
        if not words:
            return None
        indent = b.start - line_start
        first = text[b.start : text.find("\n", b.start) if "\n" in text[b.start : b.end] else b.end]
        if indent >= 4:
            # Centred: the new words keep the old line's centre.
            centre = indent + len(first.rstrip()) / 2
            return (line_start, b.end), " " * max(0, round(centre - len(words) / 2)) + words
        return (b.start, b.end), words
    col = _prose_column(seg, b)
    para = " " * col + _wrap_prose(new.strip(), " " * col, WRAP - col)
    if op == "insert_before":
        return (line_start, line_start), para + "\n\n"
    if op == "insert_after":
        return (b.end, b.end), "\n\n" + para
    return None


def _prose_column(seg: Segmented, near: Block) -> int:
    """The column the paragraphs nearest to ``near`` start at (after it first, then before)."""
    blocks = seg.blocks
    for j in list(range(near.index + 1, min(len(blocks), near.index + 6))) + \
            list(range(near.index - 1, max(-1, near.index - 6), -1)):
        if blocks[j].kind in ("paragraph", "definition"):
            return _column(seg.text, blocks[j].start)
    return 0


def _section_edit(op: str, seg: Segmented, u: _Unit, new: str) -> tuple[tuple[int, int], str] | None:
    """Add ``new`` as a paragraph at the end of section ``u`` (after its last block, so before
    the next heading of the same or a higher level and before any page break in between), or
    before its heading line; or replace everything under the heading (its body, sub-sections
    too) while the heading stays. The new paragraph is indented as the section's paragraphs are;
    page breaks inside a replaced body are kept, after the new text."""
    text = seg.text
    inner = [b for b in seg.blocks[u.block.index + 1 : u.extra["last"].index + 1]
             if b.kind in ("paragraph", "definition")]
    col = _column(text, inner[-1].start) if inner else 0
    if op == "replace":
        body = [b for b in seg.blocks[u.block.index + 1 : u.extra["last"].index + 1]
                if b.kind != "risk_factor"]
        if not body or not new.strip():
            return None
        start = body[0].start
        col = _column(text, start)
        lead = ""
        if body[0].kind in ("table", "toc"):
            # A table's span starts at its line's start: indent as the section's paragraphs.
            col = _column(text, inner[0].start) if inner else 0
            lead = " " * col
        rep = lead + _wrap_prose(new.strip(), " " * col, WRAP - col)
        for a, z in zip(body, body[1:]):
            between = text[a.end : z.start]
            if "<PAGE>" in between.upper():
                rep += _page_gap(between)
        return (start, u.end), rep
    if op in ("append", "insert_after"):
        end = u.end
        return (end, end), "\n\n" + " " * col + _wrap_prose(new.strip(), " " * col, WRAP - col)
    if op == "insert_before":
        line_start = text.rfind("\n", 0, u.start) + 1
        return (line_start, line_start), " " * col + _wrap_prose(new.strip(), " " * col, WRAP - col) + "\n\n"
    return None


def _page_gap(between: str) -> str:
    """The page break a paragraph ran across (label line, ``<PAGE>``), put after the new text."""
    return "\n\n" + between.strip("\n")


def _find_all(text: str, old: str, start: int, end: int) -> list[tuple[int, int]]:
    """Occurrences of ``old`` in ``text[start:end]``: white space and quote style are free."""
    old = _unquote(old.strip())
    if not old:
        return []
    parts = []
    for ch in old:
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in "“”\"":
            parts.append("[“”\"]")
        elif ch in "‘’'":
            parts.append("[‘’']")
        else:
            parts.append(re.escape(ch))
    pat = "".join(parts)
    # A number must not be part of a longer number ("1.05%" is not in "11.05%" or "1.050%").
    if old[0].isdigit() or old[0] in "$.":
        pat = r"(?<![\d.,])" + pat
    if old[-1].isdigit():
        pat = pat + r"(?![\d])(?![.,]\d)"
    # Nor a word part of a longer word or hyphenated name ("Trust" is not in "Trustee",
    # "Class A" not in "Class A-1", "Servicer" not in "Sub-Servicer").
    if old[0].isalpha():
        pat = r"(?<!\w)(?<!\w-)" + pat
    if old[-1].isalnum():
        pat = pat + r"(?!\w)(?!-\w)"
    return [(m.start(), m.end()) for m in re.compile(pat).finditer(text, start, end)]


def _replace_table(seg: Segmented, u: _Unit, new: str) -> tuple[tuple[int, int], str]:
    text = seg.text
    # Laid out in columns when the cells' shape is certain; else one cell per line, as given,
    # without the cell marks.
    new = _layout_cells(new) or _unquote(_strip_cell_marks(new))
    start, end = u.start, u.end
    title = None
    if u.block is not None and u.term:
        # The title line is the heading block just before the table.
        for b in reversed(seg.blocks[: u.block.index]):
            if b.kind == "heading":
                if b.term == u.term or text[b.start:b.end].strip() == u.term:
                    title = b
                break
            if b.kind != "risk_factor":
                break
    if title is not None:
        head = _plain(new)[: len(u.term) + 20]
        old_head = _plain(text[start:end])[: len(u.term) + 20]
        title_like = fuzz.partial_ratio(_plain(u.term).casefold(), head.casefold())
        header_like = fuzz.ratio(old_head.casefold(), head.casefold())
        if title_like > header_like:
            # The replacement brings its own title: the old title line goes too.
            line_start = text.rfind("\n", 0, title.start) + 1
            return (line_start, end), new.strip("\n")
    return (start, end), new.strip("\n")


# --- every occurrence ("All references ... to X are replaced with Y") -------------------------


def _substitute_text(ins: Instruction) -> str:
    """What replaces the old wording: the sticker's words, without the sentence's own period
    (unless the old wording ended with one too)."""
    new = _new_text(ins)
    old = ins.target.old_text or ""
    return new if old.rstrip().endswith(".") else new.rstrip(".")


def _resolve_everywhere(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """A global substitution: every exact occurrence of the old wording (white space and quote
    style free, never inside a longer word or number) is replaced, in one resolution made of
    pieces. A page, heading or cover named narrows "everywhere" to the elements in reach."""
    t = ins.target
    if ins.op not in ("substitute", "replace") or not t.old_text:
        return Resolution(ins.n, "unsupported", 0.0,
                          reason=f"cannot {ins.op} every {t.kind}: only the old wording can be replaced everywhere")
    text = seg.text
    hits = _find_all(text, t.old_text, 0, len(text))
    if t.page or t.pages or t.heading or t.locus:
        reach = []
        for u in units.paragraphs + units.bullets + units.tables + units.definitions + units.risks:
            if _locator_fit(ins, seg, u, []) is not None:
                reach.append((u.start, u.end))
        hits = [h for h in hits if any(a <= h[0] and h[1] <= b for a, b in reach)]
    if not hits:
        where = " where the sticker says" if (t.page or t.pages or t.heading or t.locus) else ""
        return Resolution(ins.n, "unresolved", 0.0,
                          reason=f"no occurrence of {t.old_text!r} in the text{where}")
    new = _substitute_text(ins)
    if not new.strip():
        return Resolution(ins.n, "unsupported", 0.0, reason="the new wording is empty")
    pieces = tuple(Edit(a, b, new, ins.n) for a, b in hits)
    start, end = hits[0][0], hits[-1][1]
    rebuilt, pos = [], start
    for e in pieces:
        rebuilt += [text[pos:e.start], e.new]
        pos = e.end
    rebuilt.append(text[pos:end])
    cands = tuple(
        Candidate(a, b, 1.0, seg.pages[_page_of(seg, a)].label, (), f"{text[a:b]!r} at {a}")
        for a, b in hits[:20]
    )
    pages = sorted({seg.pages[_page_of(seg, a)].label or "cover" for a, _ in hits},
                   key=lambda x: (x != "cover", page_number(x) or ("", 0), x))
    return Resolution(ins.n, "applied", 1.0, start, end, "".join(rebuilt), cands,
                      f"{ins.op} every {t.old_text!r}: {len(hits)} occurrence"
                      f"{'s' if len(hits) > 1 else ''} (page{'s' if len(pages) > 1 else ''} "
                      f"{', '.join(pages)})", pieces=pieces)


# --- front cover values ----------------------------------------------------------------------


def _resolve_value(ins: Instruction, seg: Segmented) -> Resolution:
    """A short value on the front cover (or a named page), found by similarity when unique."""
    t = ins.target
    new = _new_text(ins).strip()
    if new.endswith(".") and not re.search(r"\b[A-Z]\.$", new):
        new = new[:-1]  # sentence punctuation of the sticker, not part of the value
    if t.page:
        pages = {p.index for p in seg.pages if p.label == t.page}
    else:
        pages = _cover_pages(seg)
    if not pages:
        return Resolution(ins.n, "unresolved", 0.0, reason="no front cover or named page in the text")
    text = seg.text
    cells: list[tuple[int, int]] = []
    table_spans = [(b.start, b.end) for b in seg.blocks if b.kind in ("table", "toc")]
    for p in sorted(pages):
        page = seg.pages[p]
        for m in re.finditer(r"[^\n]+", text[page.start:page.end]):
            ls = page.start + m.start()
            if any(a <= ls < b for a, b in table_spans):
                continue  # a value named without row or column is not a table cell
            for c in re.finditer(r"\S+(?: \S+)*", m.group()):
                cells.append((ls + c.start(), ls + c.end()))
    want = _plain(new).casefold()
    shape = re.sub(r"\d", "9", want)
    scored = []
    for a, b in cells:
        have = _plain(text[a:b]).casefold()
        r = fuzz.ratio(want, have) / 100
        sr = fuzz.ratio(shape, re.sub(r"\d", "9", have)) / 100
        s = (r + sr) / 2
        scored.append((s, a, b))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < 0.8:
        return Resolution(ins.n, "unresolved", scored[0][0] if scored else 0.0,
                          reason="no value on the page looks like the new one")
    cands = tuple(
        Candidate(a, b, round(s, 3), seg.pages[_page_of(seg, a)].label,
                  (), f"value {text[a:b]!r} on the {'cover' if not t.page else 'page'}, similarity {s:.2f}")
        for s, a, b in scored[:3]
    )
    best = scored[0]
    if len(scored) > 1 and best[0] - scored[1][0] < MARGIN:
        return Resolution(ins.n, "ambiguous", best[0], candidates=cands,
                          reason=f"two values look alike: {text[best[1]:best[2]]!r} and "
                                 f"{text[scored[1][1]:scored[1][2]]!r}")
    return Resolution(ins.n, "applied", round(best[0], 3), best[1], best[2], new, cands,
                      f"replaces {text[best[1]:best[2]]!r}: {cands[0].why}")


# --- deciding --------------------------------------------------------------------------------


def _decide(ins: Instruction, seg: Segmented, scored: list[_Scored]) -> Resolution:
    """Choose among the places that satisfy every constraint named, or refuse with the reason.

    The locator ranks them by how closely they fit (the page named before the page next to it, a
    block right under the heading named before one under a sub-heading of it). The best fitting
    places are those the locator cannot tell apart; when there are several, the new text may pick
    one only when it is decisive, else the instruction is ambiguous and every candidate is shown.
    """
    if not scored:
        return Resolution(ins.n, "unresolved", 0.0, reason=_nothing_reason(ins))
    scored.sort(key=lambda s: (-s.fit, -s.score, s.span[0]))
    # One place reached as two kinds of unit (a bullet that is also a paragraph) counts once.
    seen: set[tuple[int, int]] = set()
    scored = [s for s in scored if not (s.span in seen or seen.add(s.span))]
    top = [s for s in scored if s.fit > scored[0].fit - 1e-9]
    top.sort(key=lambda s: (-s.sim, s.span[0]))
    rest = [s for s in scored if s not in top]
    cands = tuple(
        Candidate(s.span[0], s.span[1], round(s.score, 3),
                  seg.pages[_page_of(seg, s.span[0])].label, s.unit.heading, s.why)
        for s in (top + rest)[:5]
    )
    best = top[0]
    if len(top) > 1:
        second = top[1]
        if ins.op != "replace" or not _decisive(seg, best, second):
            what = (f"the new text is like both ({best.sim:.2f} and {second.sim:.2f})" if ins.op == "replace"
                    else "nothing in the instruction tells them apart")
            return Resolution(ins.n, "ambiguous", round(best.score, 3), candidates=cands,
                              reason=f"{len(top)} places fit the locator equally and {what}: "
                                     f"{best.why}; and {second.why}")
    if best.score < MIN_SCORE:
        return Resolution(ins.n, "unresolved", round(best.score, 3), candidates=cands,
                          reason=f"best candidate too weak ({best.score:.2f}): {best.why}")
    return Resolution(ins.n, "applied", round(min(1.0, best.score), 3), best.span[0], best.span[1],
                      best.replacement, cands, f"{ins.op} {ins.target.kind}: {best.why}")


def _decisive(seg: Segmented, best: _Scored, second: _Scored) -> bool:
    """Whether the new text tells the best place from the second: like it, and clearly more like it.

    Clearly more: by DECISIVE_MARGIN in similarity, or, between places alike in wording (two fee
    paragraphs that differ by a name and a rate), by changing at most half as many words of it as
    of the other, and few of them.
    """
    if best.sim < DECISIVE_SIM:
        return False
    if best.sim - second.sim >= DECISIVE_MARGIN:
        return True
    new = _plain(best.replacement).split()
    d1 = Indel.distance(_plain(seg.text[best.span[0]:best.span[1]]).split(), new)
    d2 = Indel.distance(_plain(seg.text[second.span[0]:second.span[1]]).split(), new)
    return 2 * d1 <= d2 and d1 <= 0.25 * len(new)


def _nothing_reason(ins: Instruction) -> str:
    t = ins.target
    bits = [t.kind]
    if t.page:
        bits.append(f"on page {t.page}")
    if t.heading:
        bits.append("under " + " > ".join(t.heading))
    if t.term:
        bits.append(f"named {t.term!r}")
    if ins.op == "substitute" and t.old_text:
        bits.append(f"holding {t.old_text!r} once")
    return "no " + " ".join(bits) + " in the text"


# --- applying --------------------------------------------------------------------------------


# --- text tables: columns, rows, cells -------------------------------------------------------
#
# A text table of the era is columns aligned with spaces under a header and a rule of dashes.
# Its columns come from the rule's dash runs (plus a label column left of the first run when
# the row labels stand there); without a usable rule, from the gaps that are blank on every
# line. A cell belongs to the column holding its last character: numbers are set flush right in
# their column and text flush left, so the right edge is the surest sign (a left-aligned text
# may start inside the column before, as "LIBOR + ____%" does on some cover pages).

_RULE_LINE = re.compile(r"^\s*[-_=]{3,}(?:\s+[-_=]{3,})*\s*$")
_CELL = re.compile(r"\S+(?: \S+)*")
_NUMBER = re.compile(r"^\(?\$?\s*\(?\d[\d,]*(?:\.\d+)?\)?%?\)?$")
_LEADER_TAIL = re.compile(r"(?:\s*\.{2,}|\s*[{}])+\s*$")
GAP = 3  # spaces between columns of a table laid out anew


@dataclass
class _Cell:
    col: int
    a: int  # in its line: first character of the value
    b: int  # just after its last
    text: str
    dollar: int | None = None  # a "$" set apart before the value


@dataclass
class _Row:
    line: int  # index into _Table.lines
    label: str
    cells: dict[int, _Cell]  # by column, the label column (0) left out


@dataclass
class _Table:
    start: int  # offset of the table's first line in the text
    lines: list[str]
    columns: list[tuple[int, int]]  # character columns [a, b); columns[0] holds the row labels
    titles: list[str]  # each column's header, its stacked lines joined
    rule: int | None
    rows: list[_Row]

    def offset(self, i: int) -> int:
        return self.start + sum(len(ln) + 1 for ln in self.lines[:i])


def _line_cells(line: str) -> list[tuple[int, int, str, int | None]]:
    """Cells of one line as (start, end, text, column of a "$" set apart before it)."""
    raw = [(m.start(), m.end(), m.group()) for m in _CELL.finditer(line)]
    out: list[tuple[int, int, str, int | None]] = []
    dollar = None
    for a, b, s in raw:
        if s == "$":
            dollar = a
            continue
        m = re.match(r"\$ +(?=\S)", s)
        if m and _is_number(s[m.end():]):
            # "$ 134,000,000": the sign stands in its own place, the amount is the value.
            out.append((a + m.end(), b, s[m.end():], a))
        else:
            out.append((a, b, s, dollar))
        dollar = None
    if dollar is not None:
        out.append((dollar, dollar + 1, "$", None))
    return out


def _column_at(columns: Sequence[tuple[int, int]], last: int) -> int:
    """The column holding character position ``last``."""
    k = 0
    for i, (a, _b) in enumerate(columns):
        if a <= last:
            k = i
    return k


def _read_table(text: str, start: int, end: int) -> _Table | None:
    """Columns, headers and rows of the text table in ``text[start:end]``, or None."""
    lines = text[start:end].split("\n")
    rule = next((i for i, ln in enumerate(lines) if _RULE_LINE.match(ln)), None)
    header = [i for i in range(rule) if lines[i].strip()] if rule is not None else []
    body = [i for i in range((rule + 1) if rule is not None else 0, len(lines))
            if lines[i].strip() and not _RULE_LINE.match(lines[i])]
    if not body:
        return None
    runs = [(m.start(), m.end()) for m in re.finditer(r"[-_=]{3,}", lines[rule])] if rule is not None else []
    if len(runs) >= 2:
        columns = list(runs)
        first = min(c[0] for i in body for c in _line_cells(lines[i]))
        if first < columns[0][0]:
            columns.insert(0, (0, columns[0][0]))
    else:
        columns = _gap_columns([lines[i] for i in header + body])
    if len(columns) < 2:
        return None
    titles = [""] * len(columns)
    for i in header:
        for a, b, s, _ in _line_cells(lines[i]):
            over = [min(b, cb) - max(a, ca) for ca, cb in columns]
            k = max(range(len(columns)), key=lambda j: (over[j], -j))
            if over[k] <= 0:
                k = _column_at(columns, b - 1)
            titles[k] = f"{titles[k]} {s}".strip()
    rows = []
    for i in body:
        label_parts, cells = [], {}
        for a, b, s, dollar in _line_cells(lines[i]):
            k = _column_at(columns, b - 1)
            if k == 0:
                label_parts.append(s)
            elif k in cells:
                c = cells[k]
                cells[k] = _Cell(k, c.a, b, lines[i][c.a:b], c.dollar)
            else:
                cells[k] = _Cell(k, a, b, s, dollar)
        label = _LEADER_TAIL.sub("", " ".join(label_parts)).strip()
        rows.append(_Row(i, label, cells))
    return _Table(start, lines, columns, titles, rule, rows)


def _gap_columns(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Columns as the runs of positions some cell covers, for a table without a usable rule."""
    width = max((len(ln) for ln in lines), default=0)
    used = [False] * (width + 1)
    for ln in lines:
        for a, b, _s, dollar in _line_cells(ln):
            for p in range(dollar if dollar is not None else a, b):
                used[p] = True
    out, a = [], None
    for p, u in enumerate(used):
        if u and a is None:
            a = p
        elif not u and a is not None:
            out.append((a, p))
            a = None
    return out


def _row_key(label: str) -> str:
    """A row label compared loosely: "Class M-5 Certificates" and "M5" are one key."""
    s = _plain(_LEADER_TAIL.sub("", label)).casefold()
    s = re.sub(r"\b(?:class(?:es)?|certificates?|notes?|the)\b", " ", s)
    return re.sub(r"[^0-9a-z]", "", s)


def _is_number(s: str) -> bool:
    return bool(_NUMBER.match(s.strip()))


def _header_like(a: str, b: str) -> float:
    """How alike two column headers are (0..1): word order and extra words are forgiven."""
    a, b = normalise_heading(a), normalise_heading(b)
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.token_set_ratio(a, b) - 5) / 100


def _sticker_cells(new: str) -> list[str]:
    """The cells of a replacement given one per line (a leading ``|`` marks a cell), non-empty."""
    out = []
    for ln in new.split("\n"):
        s = ln.strip()
        if s.startswith("|"):
            s = s[1:].strip()
        if s:
            out.append(s)
    return out


def _value_pattern(olds: Sequence[str]) -> re.Pattern | None:
    """A pattern for values shaped like ``olds`` (all numbers), to pick them out of free text."""
    cores = [o.replace("$", "").strip() for o in olds]
    if not cores or not all(_is_number(c) for c in cores):
        return None
    digits = [re.sub(r"\D", "", c) for c in cores]
    grouped = all("," in c for c, d in zip(cores, digits))
    pct = all(c.endswith("%") for c in cores)
    if not pct and any(c.endswith("%") for c in cores):
        return None
    num = r"\d{1,3}(?:,\d{3})+" if grouped else r"\d+"
    dec = r"(?:\.\d+)?" if any("." in c for c in cores) else ""
    tail = r"%" if pct else r"(?!%)"
    return re.compile(r"(?<![\w.,/-])\(?" + num + dec + r"\)?" + tail + r"(?![\w/-]|[.,]\d)")


def _place(line: str, cell: _Cell | None, span: tuple[int, int], new: str, numeric: bool) -> str | None:
    """``line`` with ``new`` in ``cell`` (or in the empty column ``span``), alignment kept.

    Numbers keep their right edge, text its left edge. None when the value would touch a
    neighbour (cells are told apart by two spaces; one suffices after a "$").
    """
    if cell is not None:
        oa, ob = cell.a, cell.b
        if cell.dollar is not None and new.startswith("$"):
            new = new[1:].strip()
        elif cell.text.startswith("$") and not new.startswith("$"):
            new = "$" + (" " if cell.text[1:2] == " " else "") + new
    else:
        oa = ob = span[1] if numeric else span[0]
    a, b = (ob - len(new), ob) if numeric else (oa, oa + len(new))
    if a < 0:
        return None
    chars = list(line.ljust(max(b, ob)))
    chars[oa:ob] = " " * (ob - oa)
    blank = "".join(chars)
    if blank[a:b].strip():
        return None
    left = blank[:a].rstrip()
    if left and a - len(left) < (1 if left.endswith("$") else 2):
        return None
    right = blank[b:]
    if right.strip() and len(right) - len(right.lstrip()) < 2:
        return None
    return (blank[:a] + new + right).rstrip()


def _widen(lines: Sequence[str], at: int, by: int) -> list[str] | None:
    """Every line with ``by`` columns opened at position ``at``; None where that splits a cell.

    A rule's dash run is lengthened; on other lines the position must be blank, past the end,
    or the first character of a cell.
    """
    out = []
    for ln in lines:
        if at >= len(ln):
            out.append(ln)
            continue
        if _RULE_LINE.match(ln) and at > 0 and ln[at - 1] in "-_=" and ln[at] in "-_=":
            out.append(ln[:at] + ln[at] * by + ln[at:])
            continue
        inside = at > 0 and ln[at - 1] != " " and ln[at] != " "
        joined = at > 1 and ln[at - 1] == " " and ln[at - 2] not in " $" and ln[at] != " "
        if inside or joined:
            return None
        out.append(ln[:at] + " " * by + ln[at:])
    return out


def _numeric_column(tb: _Table, k: int) -> bool:
    olds = [r.cells[k].text for r in tb.rows if k in r.cells]
    return bool(olds) and all(_is_number(o.replace("$", "")) for o in olds)


def _column_edges(tb: _Table, k: int) -> tuple[int, int]:
    """Where column ``k``'s values stand: from the leftmost start to the rightmost end."""
    cells = [r.cells[k] for r in tb.rows if k in r.cells]
    return (min((c.a for c in cells), default=tb.columns[k][0]),
            max((c.b for c in cells), default=tb.columns[k][1]))


def _put_cells(tb: _Table, changes: Mapping[int, Mapping[int, str]]) -> tuple[list[str] | None, int]:
    """The table's lines with the cells ``changes[line][column]`` rewritten in place; or None and
    the column a value did not fit."""
    lines = list(tb.lines)
    by_line = {r.line: r for r in tb.rows}
    for i, cols in changes.items():
        row = by_line[i]
        for k, value in cols.items():
            numeric = _numeric_column(tb, k) or (k not in row.cells and _is_number(value))
            placed = _place(lines[i], row.cells.get(k), _column_edges(tb, k), value, numeric)
            if placed is None:
                return None, k
            lines[i] = placed
    return lines, -1


def _rewrite(tb: _Table, changes: Mapping[int, Mapping[int, str]]) -> list[str] | None:
    """The table's lines with the cells ``changes[line][column]`` rewritten, alignment kept.

    A column too narrow for its new values is widened, once, by as little as needed: numbers
    get room on their left, text on its right. None when that would split a cell.
    """
    widened: set[int] = set()
    while True:
        lines, k = _put_cells(tb, changes)
        if lines is not None:
            return lines
        if k in widened:
            return None
        widened.add(k)
        a, b = _column_edges(tb, k)
        at = a if _numeric_column(tb, k) else b
        for by in range(1, 41):
            wide = _widen(tb.lines, at, by)
            if wide is None:
                return None
            text = "\n".join(wide)
            t2 = _read_table(text, 0, len(text))
            if t2 is None or len(t2.columns) != len(tb.columns) or len(t2.rows) != len(tb.rows):
                return None
            if _put_cells(t2, changes)[1] != k:
                break
        else:
            return None
        t2.start = tb.start
        tb = t2


def _changed_span(tb: _Table, lines: Sequence[str]) -> tuple[tuple[int, int], str]:
    """The smallest run of whole lines that differs, as a span of the text and its new text."""
    first = next(i for i, (a, b) in enumerate(zip(tb.lines, lines)) if a != b)
    last = max(i for i, (a, b) in enumerate(zip(tb.lines, lines)) if a != b)
    start = tb.offset(first)
    end = tb.offset(last) + len(tb.lines[last])
    return (start, end), "\n".join(lines[first : last + 1])


def _find_column(tb: _Table, title: str) -> int | str:
    """The column whose header is ``title`` (fuzzy), or why there is none."""
    scored = sorted(((_header_like(t, title), k) for k, t in enumerate(tb.titles) if t), reverse=True)
    if not scored or scored[0][0] < 0.85:
        return f"no column titled {title!r}"
    if len(scored) > 1 and scored[1][0] >= 0.85 and scored[0][0] - scored[1][0] < MARGIN:
        return f"two columns look titled {title!r}: {tb.titles[scored[0][1]]!r}, {tb.titles[scored[1][1]]!r}"
    return scored[0][1]


def _column_values(new: str, title: str, olds: Sequence[str], tb: _Table) -> list[str]:
    """The new values of a column, in order, from the sticker's cells or restated rows."""
    cells = _sticker_cells(new)
    while cells and _header_like(cells[0], title) >= 0.85:
        cells.pop(0)
    pat = _value_pattern(olds)
    if pat is not None:
        return [m.group() for m in pat.finditer("\n".join(cells))]
    keys = {_row_key(r.label) for r in tb.rows if r.label}
    return [c for c in cells if c not in ("$", "}", "{") and _row_key(c) not in keys]


def _column_edit(ins: Instruction, tb: _Table) -> tuple[tuple[int, int], str] | str:
    """Replace every value of the column ``ins.target.term``: the span and text, or why not."""
    title = ins.target.term or ""
    if not title:
        return "the column is not named"
    k = _find_column(tb, title)
    if isinstance(k, str):
        return k
    rows = [r for r in tb.rows if k in r.cells]
    olds = [r.cells[k].text for r in rows]
    values = _column_values(ins.new_text or "", title, olds, tb)
    if len(values) != len(rows):
        return (f"the sticker gives {len(values)} values for column {tb.titles[k]!r}, "
                f"which holds {len(rows)}")
    lines = _rewrite(tb, {r.line: {k: v} for r, v in zip(rows, values)})
    if lines is None:
        return f"the new values do not fit column {tb.titles[k]!r} and it cannot be widened safely"
    if lines == tb.lines:
        return f"column {tb.titles[k]!r} already holds these values"
    return _changed_span(tb, lines)


def _sticker_rows(new: str, wanted: Sequence[str], tb: _Table) -> tuple[list[str], list[tuple[str, list[str]]]] | str:
    """The sticker's mini-table as (header cells, [(row label, value cells)]), or why not."""
    cells = _sticker_cells(new)
    keys = {_row_key(w) for w in wanted if _row_key(w)}
    if not keys:
        keys = {_row_key(r.label) for r in tb.rows if _row_key(r.label)}
    starts = [i for i, c in enumerate(cells) if _row_key(c) in keys]
    if not starts:
        return "the new text names none of the rows"
    header = cells[: starts[0]]
    rows = []
    for j, i in enumerate(starts):
        stop = starts[j + 1] if j + 1 < len(starts) else len(cells)
        vals: list[str] = []
        for c in cells[i + 1 : stop]:
            if vals and vals[-1] == "$":
                vals[-1] = "$" + c
            elif c not in ("}", "{"):
                vals.append(c)
        rows.append((cells[i], [v for v in vals if v != "$"]))
    if len({len(v) for _, v in rows}) != 1:
        return "the sticker's rows do not hold the same number of cells"
    missing = [w for w in wanted if _row_key(w) and _row_key(w) not in {_row_key(lb) for lb, _ in rows}]
    if missing:
        return f"the new text gives no row for {missing[0]!r}"
    return header, rows


def _rows_edit(ins: Instruction, tb: _Table) -> tuple[tuple[int, int], str] | str:
    """Restate the cells of the rows ``ins.rows`` from the sticker's mini-table, or say why not."""
    got = _sticker_rows(ins.new_text or "", ins.rows, tb)
    if isinstance(got, str):
        return got
    header, rows = got
    found = []
    for label, _values in rows:
        hits = [r for r in tb.rows if r.label and _row_key(r.label) == _row_key(label)]
        if len(hits) != 1:
            return f"row {label!r} is {'not in the table' if not hits else 'in the table twice'}"
        found.append(hits[0])
    width = len(rows[0][1])
    value_cols = list(range(1, len(tb.columns)))
    cols = _map_headers(header[-width:] if len(header) in (width, width + 1) else [], tb)
    if cols is None:
        if width != len(value_cols):
            return (f"the sticker's rows give {width} values, the table has {len(value_cols)} "
                    f"value columns, and the headers do not say which")
        cols = value_cols
    changes: dict[int, dict[int, str]] = {}
    for row, (_label, values) in zip(found, rows):
        for k, v in zip(cols, values):
            if _numeric_column(tb, k) and not _is_number(v.replace("$", "")):
                return f"{v!r} does not look like the values of column {tb.titles[k] or k!r}"
        changes[row.line] = dict(zip(cols, values))
    lines = _rewrite(tb, changes)
    if lines is None:
        return "the new cells do not fit the table's columns and they cannot be widened safely"
    if lines == tb.lines:
        return "the rows already read as the sticker gives them"
    return _changed_span(tb, lines)


def _map_headers(headers: Sequence[str], tb: _Table) -> list[int] | None:
    """The table column each of the sticker's headers names (one each, all told apart), or None."""
    if not headers:
        return None
    out = []
    for h in headers:
        scored = sorted(((_header_like(t, h), k) for k, t in enumerate(tb.titles) if k and t),
                        reverse=True)
        if not scored or scored[0][0] < 0.8:
            return None
        if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.1:
            return None
        out.append(scored[0][1])
    return out if len(set(out)) == len(out) else None


def _resolve_table_edit(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """``replace_column`` / ``replace_rows``: the table the locator and the new cells point to."""
    t = ins.target
    scored: list[_Scored] = []
    refusals: list[tuple[float, str]] = []
    for u in units.tables:
        why: list[str] = []
        located = _locator_fit(ins, seg, u, why)
        if located is None:
            continue
        fit, ordinal_ok = located
        tb = _read_table(seg.text, u.start, u.end)
        if tb is None:
            continue
        if t.term and ins.op == "replace_rows":
            like = max([_header_like(t.term, u.term or "")] + [_header_like(t.term, x) for x in tb.titles])
            if like < 0.85:
                fit -= COST_TERM * (1 - like)
        made = _column_edit(ins, tb) if ins.op == "replace_column" else _rows_edit(ins, tb)
        if isinstance(made, str):
            refusals.append((fit, f"{', '.join(why)}: {made}"))
            continue
        span, rep = made
        sim = _sim(seg.text[span[0]:span[1]], "\n".join(_sticker_cells(ins.new_text or "")))
        why.append(f"similarity {sim:.2f}")
        scored.append(_Scored(u, max(0.0, fit), sim, (max(0.0, fit) + sim) / 2, ", ".join(why),
                              span, rep, ordinal_ok))
    # A table that lacks the column or rows named is not the target; one that has them but
    # cannot take the new cells is, and then the instruction is refused.
    refusals = [r for r in refusals if not _NOT_HERE.search(r[1])] or refusals
    if scored:
        best_fit = max(s.fit for s in scored)
        worse = [r for r in refusals if r[0] > best_fit + 1e-9 and not _NOT_HERE.search(r[1])]
        if worse:
            # The table the locator names best cannot take the edit: do not fall back silently.
            return Resolution(ins.n, "unsupported", 0.0, reason=max(worse)[1])
        if len(scored) == 1 and scored[0].fit >= 1 - COST_DRIFT and scored[0].ordinal_ok:
            # The only table in reach that takes the cells, named surely: the new cells are few
            # and say little by similarity, so the locator alone decides.
            s = scored[0]
            cand = Candidate(s.span[0], s.span[1], round(s.fit, 3),
                             seg.pages[_page_of(seg, s.span[0])].label, s.unit.heading, s.why)
            return Resolution(ins.n, "applied", round(s.fit, 3), s.span[0], s.span[1],
                              s.replacement, (cand,), f"{ins.op}: {s.why}")
        return _decide(ins, seg, scored)
    if refusals:
        why = max(refusals)[1]
        return Resolution(ins.n, "unresolved" if _NOT_HERE.search(why) else "unsupported", 0.0,
                          reason=why)
    return Resolution(ins.n, "unresolved", 0.0, reason=_nothing_reason(ins))


def _resolve_cell(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """Old words in one cell, the column and row named, in a table the locator reaches (by its title
    when named): the cell must hold them once; two tables that both could are ambiguous."""
    t = ins.target
    scored: list[_Scored] = []
    missing: list[str] = []
    for u in units.tables:
        why: list[str] = []
        located = _locator_fit(ins, seg, u, why)
        if located is None:
            continue
        if t.term and _term_cost(t.term, seg, u, why) is None:
            continue
        tb = _read_table(seg.text, u.start, u.end)
        if tb is None:
            continue
        rows = [r for r in tb.rows if _row_key(r.label) == _row_key(t.row)]
        if len(rows) != 1:
            missing.append(f"{', '.join(why)}: {'no' if not rows else 'no single'} row {t.row!r}")
            continue
        row, old = rows[0], t.old_text or ""
        if not old and t.column and ins.op == "replace":
            # the whole cell anew: its words are the old ones
            k = _find_column(tb, t.column)
            old = row.cells[k].text if isinstance(k, int) and k in row.cells else "\x00"
        if t.column:
            k = _find_column(tb, t.column)
            if isinstance(k, str) or k not in row.cells:
                missing.append(f"{', '.join(why)}: {k if isinstance(k, str) else 'no ' + repr(t.column) + ' cell'}")
                continue
            cells = [(k, row.cells[k])]
        else:
            # the row alone is named: the old words in exactly one of its cells
            cells = [(k, c) for k, c in row.cells.items() if old in c.text]
        if len(cells) != 1 or cells[0][1].text.count(old) != 1:
            missing.append(f"{', '.join(why)}: row {row.label!r} does not hold {old!r} once"
                           + (f" in its {t.column!r} cell" if t.column else ""))
            continue
        k, cell = cells[0]
        at = tb.offset(row.line) + cell.a + cell.text.index(old)
        why.append(f"column {tb.titles[k]!r}, row {row.label!r}")
        fit = located[0]
        scored.append(_Scored(u, fit, 1.0, (fit + 1.0) / 2, ", ".join(why), (at, at + len(old)),
                              _substitute_text(ins)))
    if not scored:
        return Resolution(ins.n, "unresolved", 0.0, reason=missing[0] if missing else _nothing_reason(ins))
    return _decide(ins, seg, scored)


def _resolve_row_delete(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """Rows deleted from a table the locator reaches: every row named must be there, once each."""
    t = ins.target
    scored: list[_Scored] = []
    missing: list[str] = []
    for u in units.tables:
        why: list[str] = []
        located = _locator_fit(ins, seg, u, why)
        if located is None or (t.term and _term_cost(t.term, seg, u, why) is None):
            continue
        tb = _read_table(seg.text, u.start, u.end)
        if tb is None:
            continue
        lines = []
        for label in ins.rows:
            found = [r for r in tb.rows if _row_key(r.label) == _row_key(str(label))]
            if len(found) != 1:
                missing.append(f"{', '.join(why)}: {'no' if not found else 'no single'} row {label!r}")
                break
            lines.append(found[0].line)
        else:
            a, b = tb.offset(min(lines)), tb.offset(max(lines) + 1)
            keep = "".join(ln + "\n" for i, ln in enumerate(tb.lines[min(lines) : max(lines) + 1], min(lines))
                           if i not in lines)
            why.append("rows " + ", ".join(tb.rows[[r.line for r in tb.rows].index(i)].label for i in lines))
            fit = located[0]
            scored.append(_Scored(u, fit, 1.0, (fit + 1.0) / 2, ", ".join(why), (a, min(b, len(seg.text))), keep))
    if not scored:
        return Resolution(ins.n, "unresolved", 0.0, reason=missing[0] if missing else _nothing_reason(ins))
    return _decide(ins, seg, scored)


_NOT_HERE = re.compile(r": (?:no column titled|row .* is not in the table$|the new text names none)")


def _cell_rows(new: str) -> list[list[str]] | None:
    """A table given one cell per line, as rows; None when it is not in that form.

    In the text of an HTML sticker a row's first cell stands alone on its line and each further
    cell starts with ``|``; a ``$`` cell is joined to the amount after it.
    """
    lines = [ln.strip() for ln in new.strip("\n").split("\n")]
    if not any(ln.startswith("|") for ln in lines):
        return None
    rows: list[list[str]] = [[]]
    for ln in lines:
        if not ln:
            continue
        if not ln.startswith("|") and rows[-1]:
            rows.append([])
        rows[-1].append(ln[1:].strip() if ln.startswith("|") else ln)
    out = []
    for row in rows:
        cells: list[str] = []
        for c in row:
            if cells and cells[-1] == "$" and c:
                cells[-1] = "$ " + c
            elif c:
                cells.append(c)
        if cells:
            out.append(cells)
    return out


def _layout_cells(new: str) -> str | None:
    """A table given one cell per line, laid out in aligned columns under a rule of dashes.

    Only when its shape is certain: a header row and at least two body rows, every row with as
    many cells as the header (at least two). Cell order is kept, so the words read the same.
    """
    rows = _cell_rows(new)
    if not rows or len(rows) < 3:
        return None
    n = len(rows[0])
    if n < 2 or any(len(r) != n for r in rows):
        return None
    widths = [max(len(r[k]) for r in rows) for k in range(n)]
    numeric = [k > 0 and all(_is_number(r[k].replace("$", "")) for r in rows[1:]) for k in range(n)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(widths[k]) if numeric[k] else c.ljust(widths[k]) for k, c in enumerate(cells)]
        return (" " * GAP).join(parts).rstrip()

    out = [line(rows[0]), (" " * GAP).join("-" * w for w in widths)]
    out += [line(r) for r in rows[1:]]
    return "\n".join(out)
