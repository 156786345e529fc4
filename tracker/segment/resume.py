"""Segmenting an edited text again where it changed only: ``resegment``.

What belongs here: taking a parent's segmentation and its ``Trace`` (what the outline knew at the
start of each page), and the exact edits that made the new text, and segmenting only the pages
around the edits; the pages, blocks and states before and after them are the parent's, moved.
The result is always what ``segment_traced`` gives the whole new text (``tests/test_resume.py``
checks it on random edits); when something the whole text decides changes (the running heads,
whether sections are named in capitals), or the parent has no trace, the whole text is segmented.

Why the pages far from an edit need no reading: a chunk never spans two pages, so the chunks of a
page depend on that page's text alone (and on the running heads, checked equal); the outline
reads chunks in order with a state that its trace records at every page's start, looking back one
chunk and ahead two (and, from a RISK FACTORS heading, ahead to the heading that tells how its
titles are set, whose page the state keeps). So the reading starts two chunks before the first
changed page, from the state recorded there (earlier, at the RISK FACTORS heading, when the
heading that decided lies in the changed pages), with the chunk before as the one looked back at;
and it stops at the first page past the edits, with an unchanged page before it, where its state
is the parent's again: from there the parent's reading is this one's, moved.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import itemgetter
from typing import NamedTuple

from ..models import Block, Segmented
from .chunks import _chunk_joined, _chunks
from .lines import _is_caps
from .outline import _SORT_KEY, END, Trace, _caps_section_heading, _Outline, segment_traced
from .pages import _pages_traced

# Fewer pages than this: the whole text is segmented (no page is far from an edit).
SMALL = 6

_START = itemgetter(2)


class Splice(NamedTuple):
    """Where a segmentation differs from its parent's: ``(a, b, c)`` for pages, blocks and page
    states says the parent's items ``[a, b)`` are the new ``[a, c)``; those after ``b`` follow
    moved (``shift`` characters, ``pages`` pages)."""

    pages: tuple[int, int, int]
    blocks: tuple[int, int, int]
    states: tuple[int, int, int]
    shift: int


def resegment(parent: Segmented, trace: Trace | None, edits: Sequence[tuple[int, int, str]],
              text: str) -> tuple[Segmented, Trace, Splice | None]:
    """The segmentation of ``text``, which ``edits`` (in the parent's offsets) made of the parent's
    text, and its trace; with the splice that makes it from the parent's (None: segmented whole)."""
    if not edits and trace is not None and text == parent.text:
        return parent, trace, Splice((0, 0, 0), (0, 0, 0), (0, 0, 0), 0)
    found = _resume(parent, trace, edits, text) if edits else None
    if found is None:
        seg, new_trace = segment_traced(text)
        return seg, new_trace, None
    if os.environ.get("TRACKER_CHECK_SEGMENT"):
        whole = segment_traced(text)
        if whole != found[:2]:
            raise AssertionError("a segmentation resumed from its parent's differs from the whole text's")
    return found


def _resume(parent: Segmented, trace: Trace | None, edits, text: str):
    if trace is None or not trace.furniture[0] or len(parent.pages) < SMALL:
        return None
    pages, contents, furniture = _pages_traced(text)
    if furniture != trace.furniture:
        return None
    old = parent.pages
    shift = len(text) - len(parent.text)
    first = min(e[0] for e in edits)
    last = max(e[1] for e in edits)
    starts = [p.start for p in old]
    changed = max(0, bisect_right(starts, first) - 1)  # the first page an edit touches
    changed_last = min(len(old) - 1, bisect_right(starts, last))  # and one past the last
    moved = len(pages) - len(old)
    if not _pages_agree(old, pages, changed, changed_last, moved, shift):
        return None
    reading = _Reading(text, pages, contents)
    start = _start_page(reading, trace, changed)
    witness = _witness(reading, trace.witness, changed, changed_last, moved)
    if witness is None:
        return None
    outline = _Resumed(reading, trace, start, witness, changed_last + moved, moved)
    until = outline.run()
    blocks, block_splice = _blocks(parent, trace, outline, start, until, moved, shift)
    states = trace.states[:start] + tuple(outline.states)
    if until is not None:
        states += trace.states[until - moved:]
    seg = Segmented(text, tuple(pages), tuple(blocks))
    splice = Splice((changed, changed_last + 1, changed_last + 1 + moved), block_splice,
                    (start, len(old) if until is None else until - moved, len(pages) if until is None else until),
                    shift)
    return seg, Trace(furniture, witness, states), splice


def _pages_agree(old, pages, changed: int, changed_last: int, moved: int, shift: int) -> bool:
    """Whether the pages before the first changed one are the parent's, and those after the last
    the parent's moved."""
    if changed_last + moved < changed or pages[:changed] != list(old[:changed]):
        return False
    for j in range(changed_last + 1, len(old)):
        p, q = old[j], pages[j + moved]
        if q.label != p.label or q.start != p.start + shift or q.end != p.end + shift:
            return False
    return True


class _Reading:
    """The new text's pages, and their chunks read one page at a time, when first asked for."""

    def __init__(self, text: str, pages, contents) -> None:
        self.text, self.pages, self.contents = text, pages, contents
        self._chunks: dict[int, tuple[list, list[str]]] = {}

    def chunks(self, page: int) -> tuple[list, list[str]]:
        """The chunks of one page and their kinds (as the outline has them before it reads them)."""
        got = self._chunks.get(page)
        if got is None:
            got = self._chunks[page] = _chunks(self.text, [self.contents[page]], page)
        return got


def _start_page(reading: _Reading, trace: Trace, changed: int) -> int:
    """The page the reading starts on: two chunks at least before the first changed page (what
    comes before looks two chunks ahead), and no later than the RISK FACTORS heading whose
    deciding heading lies at or after it."""
    start, seen = changed, 0
    while start > 0 and seen < 2:
        start -= 1
        seen += len(reading.chunks(start)[0])
    while True:
        where = trace.states[start][5]
        if where is None or (where[1] != END and where[1] + start < changed):
            return start
        start -= where[0]


def _witness(reading: _Reading, witness: int, changed: int, changed_last: int, moved: int) -> int | None:
    """The page of the first section named in capitals in the new text (-1: none), or None when
    whether there is one changes (every page then reads otherwise) or cannot be told here."""
    found = -1
    for page in range(changed, changed_last + moved + 1):
        chunks, kinds = reading.chunks(page)
        if any(_caps_section_heading(c, k) for c, k in zip(chunks, kinds)):
            found = page
            break
    if witness < 0:
        return None if found >= 0 else -1
    if witness < changed:
        return witness
    if witness > changed_last:
        return found if found >= 0 else witness + moved
    return found if found >= 0 else None  # the parent's first one changed: another may lie further on


class _Resumed(_Outline):
    """The outline read from the start of page ``start`` with the state the trace recorded there,
    the chunk before as the one looked back at, pages loaded as the reading reaches them; it stops
    where its state is the parent's again."""

    def __init__(self, reading: _Reading, trace: Trace, start: int, witness: int, changed_last: int,
                 moved: int) -> None:
        self.reading = reading
        self.loaded = start
        self.parent_states, self.changed_last, self.moved = trace.states, changed_last, moved
        chunks, kinds = [], []
        before = self._chunk_before(start)
        if before is not None:
            chunks.append(before[0])
            kinds.append(before[1])
        super().__init__(reading.text, reading.pages, chunks, kinds, witness)
        self.first = len(chunks)
        self.first_state = start
        self.restore(start, trace.states[start])
        self.seeded = bool(self.protos)
        if before is not None:
            self._settle_before()

    def _chunk_before(self, start: int):
        for page in range(start - 1, -1, -1):
            chunks, kinds = self.reading.chunks(page)
            if chunks:
                return chunks[-1], kinds[-1]
        return None

    def _settle_before(self) -> None:
        """The kind the chunk before had once read: a lone line ending a page whose text runs on
        in lower case is text, not a heading (``heading`` decides it from the chunk after)."""
        ch = self.chunks[0]
        if self.kinds[0] == "heading" and self.reach(2):
            after = self.chunks[1]
            if after.page != ch.page and not _is_caps(_chunk_joined(ch)) and after.s[0].islower():
                self.kinds[0] = "text"

    def reach(self, n: int) -> bool:
        pages = self.reading.pages
        while len(self.chunks) < n and self.loaded < len(pages):
            chunks, kinds = self.reading.chunks(self.loaded)
            self.chunks.extend(chunks)
            self.kinds.extend(kinds)
            self.loaded += 1
        return n <= len(self.chunks)

    def run(self) -> int | None:
        """Read on until a page past the edits, after an unchanged page, starts in the parent's
        state; return that page (None: read to the end of the text)."""
        i = self.first
        while self.reach(i + 3) or i < len(self.chunks):
            ch = self.chunks[i]
            if ch.page >= self.first_state + len(self.states):
                if self._agrees(i, ch.page):
                    self.mark(ch.page - 1)
                    return ch.page
                self.mark(ch.page)
            self.read(i, ch)
            i += 1
        self.mark(len(self.pages) - 1)
        self.close_risk()
        return None

    def _agrees(self, i: int, page: int) -> bool:
        if page < self.changed_last + 2 or i == 0 or self.chunks[i - 1].page <= self.changed_last:
            return False
        return self.state(page) == self.parent_states[page - self.moved]

    def made(self) -> list:
        """The blocks read (not the stand-in for what was read before)."""
        return self.protos[1:] if self.seeded else list(self.protos)


def _blocks(parent: Segmented, trace: Trace, outline: _Resumed, start: int, until: int | None,
            moved: int, shift: int) -> tuple[list[Block], tuple[int, int, int]]:
    """The new blocks: the parent's before the reading, what it read, the parent's after it
    (moved); a risk factor open where the reading started or stopped is the one block both make."""
    old, pages, pb = parent.pages, outline.pages, parent.blocks
    begin = old[start].start
    k0 = bisect_left(pb, begin, key=_START)
    hi = len(pb) if until is None else bisect_left(pb, old[until - moved].start, key=_START)
    made = outline.made()
    ri = None  # the risk factor open where the reading started: its place stays, its end may move
    risk = trace.states[start][4]
    if risk is not None:
        at = old[start - risk[0]].start + risk[1]
        ri = bisect_left(pb, at, key=_START)
        if not (ri < k0 and pb[ri][1] == "risk_factor" and pb[ri][2] == at):
            raise AssertionError("the trace's open risk factor is not among the parent's blocks")
    if until is not None and trace.states[until - moved][4] is not None:
        r = trace.states[until - moved][4]
        at = old[until - moved - r[0]].start + r[1]
        lo = ri if ri is not None else k0
        b = next(b for b in pb[lo:hi] if b[1] == "risk_factor" and b[2] == at)
        made.append((pages[until - r[0]].start + r[1], -(b[3] + shift), False, "risk_factor",
                     until - r[0], b[5], b[6], b[7]))
    inside = sorted((p for p in made if p[0] >= begin), key=_SORT_KEY)
    out = list(pb[:k0])
    lo = k0
    if ri is not None:
        (p,) = [p for p in made if p[0] < begin]
        out[ri] = Block(ri, "risk_factor", p[0], -p[1], p[4], p[5], p[6], p[7])
        lo = ri
    new = tuple.__new__
    out.extend(new(Block, (k0 + k, b[3], b[0], -b[1], b[4], b[5], b[6], b[7])) for k, b in enumerate(inside))
    dn = len(inside) - (hi - k0)
    out.extend(new(Block, (b[0] + dn, b[1], b[2] + shift, b[3] + shift, b[4] + moved, b[5], b[6], b[7]))
               for b in pb[hi:])
    return out, (lo, hi, k0 + len(inside))
