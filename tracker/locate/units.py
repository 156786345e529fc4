"""The units a locator counts and chooses among: paragraphs, sentences, bullets, tables, definitions,
risk factors, sections and heading lines, each with its heading instance, its pages and its position.

What belongs here: building the units of a segmented text once (sentences on demand) and the page of
an offset."""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..models import (
    Block,
    Instruction,
    Segmented,
)
from ..segment import (
    bullet_body,
    continues_previous,
    sentences,
)
from .match import _cover_pages, _fold, _heading_fit, _named_pages, _page_cost, _split_heading


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
        # A unit on one page has that page alone: one set each, shared.
        self._single = [frozenset((p,)) for p in range(len(seg.pages))]
        self._ends = [p.end for p in seg.pages]

    def _pages(self, b: Block) -> frozenset[int]:
        p = b.page
        if p < len(self._ends) and b.end <= self._ends[p] and (p + 1 == len(self._ends) or b.end < self._starts[p + 1]):
            return self._single[p]
        return frozenset({p, max(0, bisect_right(self._starts, b.end) - 1)})

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
            kind = b.kind
            if kind == "paragraph" or kind == "definition" or (
                kind == "bullet" and _starts_chunk(text, b, prev)
            ):
                pages = self._pages(b)
                # (A paragraph right after another on its own page carries on nothing: the test
                # ``continues_previous`` makes is skipped for it.)
                if kind == "paragraph" and paragraphs and not (
                    prev is not None and prev.end <= b.start and prev.page == b.page
                ) and continues_previous(seg, b):
                    u = paragraphs[-1]
                    u.parts = u.parts + ((b.start, b.end),)
                    u.end = b.end
                    u.pages = u.pages | pages
                else:
                    paragraphs.append(
                        _Unit("paragraph", b.start, b.end, pages, b.heading, inst[b.index],
                              term=b.term, parts=((b.start, b.end),), block=b)
                    )
            if kind != "risk_factor":
                prev = b
        _number(paragraphs)
        _number_after_tables(paragraphs, self.tables)
        _number_after_tables(paragraphs, self.bullets, key="after_bullets")
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


def _number_after_tables(paragraphs: list[_Unit], tables: list[_Unit], key: str = "after_table") -> None:
    """Positions counted from the last table above, in the same heading instance (from the last bullet
    point above, with ``key`` "after_bullets").

    Stickers count "the first paragraph following the table"; a table (or a block of
    label ........ value rows) restarts the count; so does a list for "the paragraph following the
    bullet points".
    """
    by: dict[object, list[_Unit]] = {}
    for u in paragraphs:
        if key == "after_bullets" and u.block is not None and u.block.kind == "bullet":
            continue  # the list's own items are not counted after it
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
                u.extra[key] = (i, len(run))


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
                             "para_after_bullets": p.extra.get("after_bullets"),
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
            para = self.paras[i]
            if len(para.parts) == 1 and len(para.pages) == 1:
                # one block on one page: its start's page is its page (see ``_Units._pages``)
                r = self._ranges[i] = para.pages
                return r
            starts = _page_starts(self.seg)
            pages: set[int] = set()
            for a, b in para.parts:
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
        allowed = None
        if named and seg.pages:  # as _page_cost tells them: the pages named and those next to them
            exact, drift = _named_pages(seg, tuple(named))
            allowed = exact | drift
        want = _split_heading(t.heading)
        fits: dict[tuple[str, ...], bool] = {}
        out: list[_Unit] = []
        paras = self.paras
        for i, p in enumerate(paras):
            if cover or named:
                pages = self._range(i)
                if cover and not pages & cover_pages:
                    continue
                if allowed is not None:
                    if allowed.isdisjoint(pages):
                        continue
                elif _page_cost(seg, pages, named) is None:
                    continue
            ok = fits.get(p.heading)
            if ok is None:
                ok = fits[p.heading] = _heading_fit(p.heading, want) is not None
            if not ok:
                continue
            units = self._units[i]
            if units is None:
                self._build(p.instance)
                units = self._units[i]
            out.extend(units)
        return out


def unit_page(seg: Segmented, pos: int) -> int:
    """Index of the page holding offset ``pos``."""
    return _page_of(seg, pos)
