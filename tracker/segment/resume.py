"""Segmenting an edited text again where it changed only: ``resegment``.

What belongs here: taking a parent's segmentation and its ``Trace`` (what the outline knew at the
start of each page), and the exact edits that made the new text, and segmenting only the pages
around the edits; the pages, blocks and states before, between and after them are the parent's,
moved. The result is always what ``segment_traced`` gives the whole new text
(``tests/test_resume.py`` checks it on random edits); when something the whole text decides
changes (the running heads, whether sections are named in capitals), or the parent has no trace,
the whole text is segmented.

Why the pages far from an edit need no reading: a chunk never spans two pages, so the chunks of a
page depend on that page's text alone (and on the running heads, checked equal); the outline
reads chunks in order with a state that its trace records at every page's start, looking back one
chunk and ahead two (and, from a RISK FACTORS heading, ahead to the heading that tells how its
titles are set, whose page the state keeps). So a reading starts two chunks before the first
changed page of a group of edits, from the state recorded there (earlier, at the RISK FACTORS
heading, when the heading that decided lies in the changed pages), with the chunk before as the
one looked back at; and it stops at the first page past the edits, after an unchanged page, where
its state is the parent's again: from there the parent's reading is this one's, moved, until the
next group of edits.
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

# Edits this many pages apart or fewer are read again as one group.
NEAR = 3

_START = itemgetter(2)

Run = tuple[int, int, int, int]  # the parent's items [a, b) are the new items [c, d)


class Splice(NamedTuple):
    """Where a segmentation differs from its parent's, run by run for pages, blocks and page
    states: ``(a, b, c, d)`` says the parent's items ``[a, b)`` are the new ``[c, d)``; the items
    between runs are the parent's, moved."""

    pages: tuple[Run, ...]
    blocks: tuple[Run, ...]
    states: tuple[Run, ...]


class _Change(NamedTuple):
    """A group of nearby edits: the parent's pages ``first`` to ``last`` (one past the last edit)
    changed; the new text has ``moved`` pages and ``shift`` characters more than the parent's
    before them, and ``moved_after`` / ``shift_after`` more after them."""

    first: int
    last: int
    moved: int
    shift: int
    moved_after: int
    shift_after: int


def resegment(parent: Segmented, trace: Trace | None, edits: Sequence[tuple[int, int, str]],
              text: str) -> tuple[Segmented, Trace, Splice | None]:
    """The segmentation of ``text``, which ``edits`` (in the parent's offsets) made of the parent's
    text, and its trace; with the splice that makes it from the parent's (None: segmented whole)."""
    if not edits and trace is not None and text == parent.text:
        return parent, trace, Splice((), (), ())
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
    changes = _changes(parent.pages, pages, sorted(edits))
    if changes is None:
        return None
    reading = _Reading(text, pages, contents)
    witness = _witness(reading, trace.witness, changes)
    if witness is None:
        return None
    starts = _start_pages(reading, trace, changes)
    windows = []
    k = 0
    while k < len(changes):
        outline = _Resumed(reading, trace, starts[k], witness, changes[k:], starts[k + 1:])
        stop, done = outline.run()
        done += k
        windows.append((starts[k], stop, changes[k], changes[done], outline))
        k = done + 1
    blocks, block_runs = _blocks(parent, trace, windows, changes[-1])
    states, state_runs = _states(trace, windows, len(parent.pages), len(pages))
    page_runs = tuple((c.first, c.last + 1, c.first + c.moved, c.last + 1 + c.moved_after) for c in changes)
    return (Segmented(text, tuple(pages), tuple(blocks)), Trace(furniture, witness, states),
            Splice(page_runs, block_runs, state_runs))


def _changes(old, pages, edits) -> list[_Change] | None:
    """The groups of edits, with the pages they changed; None when the pages outside them are not
    the parent's, moved."""
    starts = [p.start for p in old]
    new_starts = [p.start for p in pages]
    groups: list[list] = []
    for e in edits:
        first = max(0, bisect_right(starts, e[0]) - 1)  # the page an edit starts on
        last = min(len(old) - 1, bisect_right(starts, e[1]))  # and one past the page it ends on
        if groups and first <= groups[-1][1] + NEAR:
            groups[-1][1] = max(groups[-1][1], last)
            groups[-1][2] += len(e[2]) - (e[1] - e[0])
        else:
            groups.append([first, last, len(e[2]) - (e[1] - e[0])])
    out: list[_Change] = []
    moved, shift, done = 0, 0, 0
    for first, last, grows in groups:
        if not _same_pages(old, pages, done, first, moved, shift):
            return None
        after = shift + grows
        if last + 1 < len(old):
            j = bisect_left(new_starts, old[last + 1].start + after)
            if j >= len(pages) or new_starts[j] != old[last + 1].start + after:
                return None
            moved_after = j - (last + 1)
        else:
            moved_after = len(pages) - len(old)
        if last + moved_after < first + moved:
            return None
        out.append(_Change(first, last, moved, shift, moved_after, after))
        moved, shift, done = moved_after, after, last + 1
    if len(old) + moved != len(pages) or not _same_pages(old, pages, done, len(old), moved, shift):
        return None
    return out


def _same_pages(old, pages, a: int, b: int, moved: int, shift: int) -> bool:
    """Whether the parent's pages ``[a, b)`` are the new text's, ``moved`` pages on, ``shift`` characters on."""
    if b + moved > len(pages):
        return False
    for j in range(a, b):
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


def _start_pages(reading: _Reading, trace: Trace, changes: list[_Change]) -> list[int]:
    """The page (of the new text) each group's reading would start on: two chunks at least before
    its first changed page (what comes before looks two chunks ahead), and no later than the RISK
    FACTORS heading whose deciding heading lies at or after it. A group whose start would reach
    back to the group before is read with it (its start is then never used)."""
    out = []
    floor = 0
    for c in changes:
        start, seen = c.first + c.moved, 0
        while start > floor and seen < 2:
            start -= 1
            seen += len(reading.chunks(start)[0])
        while start > floor:
            where = trace.states[start - c.moved][5]
            if where is None or (where[1] != END and where[1] + start - c.moved < c.first):
                break
            start = max(floor, start - where[0])
        out.append(start)  # (at the floor: the group before is read on into this one)
        floor = c.last + c.moved_after + 2
    return out


def _witness(reading: _Reading, witness: int, changes: list[_Change]) -> int | None:
    """The page of the first section named in capitals in the new text (-1: none), or None when
    whether there is one changes (every page then reads otherwise) or cannot be told here."""
    found = []
    lost = False  # the parent's first one was on a changed page, and it is gone
    for c in changes:
        hit = next((page for page in range(c.first + c.moved, c.last + c.moved_after + 1)
                    if any(map(_caps_section_heading, *reading.chunks(page)))), -1)
        if hit >= 0:
            found.append(hit)
        elif c.first <= witness <= c.last:
            lost = True
    if witness < 0:
        return None if found else -1
    if lost:
        return None  # another may lie further on: only the whole text tells
    if any(c.first <= witness <= c.last for c in changes):
        return min(found)
    before = [c for c in changes if c.last < witness]
    return min([*found, witness + (before[-1].moved_after if before else 0)])


class _Resumed(_Outline):
    """The outline read from the start of page ``start`` with the state the trace recorded there,
    the chunk before as the one looked back at, pages loaded as the reading reaches them; it stops
    past its group of edits where its state is the parent's again, before the next group starts."""

    def __init__(self, reading: _Reading, trace: Trace, start: int, witness: int, changes: list[_Change],
                 starts: list[int]) -> None:
        self.reading = reading
        self.loaded = start
        self.parent_states, self.changes, self.next_starts = trace.states, changes, starts
        self.at = 0  # the group being read through
        chunks, kinds = [], []
        before = self._chunk_before(start)
        if before is not None:
            chunks.append(before[0])
            kinds.append(before[1])
        super().__init__(reading.text, reading.pages, chunks, kinds, witness)
        self.first = len(chunks)
        self.first_state = start
        self.restore(start, trace.states[start - changes[0].moved])
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

    def run(self) -> tuple[int | None, int]:
        """Read on until a page past a group of edits, after an unchanged page and before the next
        group's start, begins in the parent's state; return that page (None: read to the end) and
        the group last read through (of those given)."""
        i = self.first
        while self.reach(i + 3) or i < len(self.chunks):
            ch = self.chunks[i]
            if ch.page >= self.first_state + len(self.states):
                if self._agrees(i, ch.page):
                    self.mark(ch.page - 1)
                    return ch.page, self.at
                self.mark(ch.page)
            self.read(i, ch)
            i += 1
        self.mark(len(self.pages) - 1)
        self.close_risk()
        return None, len(self.changes) - 1

    def _agrees(self, i: int, page: int) -> bool:
        changes = self.changes
        while self.at + 1 < len(changes) and page >= changes[self.at + 1].first + changes[self.at + 1].moved:
            self.at += 1
        c = changes[self.at]
        last = c.last + c.moved_after
        if page < last + 2 or i == 0 or self.chunks[i - 1].page <= last:
            return False
        more = self.at + 1 < len(changes)
        if more and page >= self.next_starts[self.at]:
            return False
        state = self.state(page)
        if more and state[4] is not None:  # a risk factor open across the gap: read on
            return False
        return state == self.parent_states[page - c.moved_after]

    def made(self) -> list:
        """The blocks read (not the stand-in for what was read before)."""
        return self.protos[1:] if self.seeded else list(self.protos)


def _blocks(parent: Segmented, trace: Trace, windows: list, last: _Change) -> tuple[list[Block], tuple[Run, ...]]:
    """The new blocks: the parent's outside the readings (moved), what each reading read; a risk
    factor open where a reading started or stopped is the one block both make."""
    pb, old = parent.blocks, parent.pages
    out: list[tuple] = []  # blocks as (start, end, kind, page, heading, level, term)
    runs: list[Run] = []
    copied = 0
    for start, stop, first, final, outline in windows:
        made = outline.made()
        begin = old[start - first.moved].start
        k0 = bisect_left(pb, begin, key=_START)
        ri = _open_at_start(pb, old, trace, start - first.moved, copied, k0)
        lo = k0 if ri is None else ri
        hi = len(pb)
        if stop is not None:
            hi = bisect_left(pb, old[stop - final.moved_after].start, key=_START)
            made += _open_at_stop(pb, old, trace, outline.pages, stop, final, lo, hi)
        out.extend(_moved(pb[copied:lo], first.shift, first.moved))
        run_from = len(out)
        if ri is not None:
            (p,) = [p for p in made if p[0] < begin + first.shift]
            out.append((p[0], -p[1], "risk_factor", p[4], p[5], p[6], p[7]))
            out.extend(_moved(pb[ri + 1:k0], first.shift, first.moved))
        inside = sorted((p for p in made if p[0] >= begin + first.shift), key=_SORT_KEY)
        out.extend((p[0], -p[1], p[3], p[4], p[5], p[6], p[7]) for p in inside)
        runs.append((lo, hi, run_from, len(out)))
        copied = hi
    out.extend(_moved(pb[copied:], last.shift_after, last.moved_after))
    new = tuple.__new__
    return [new(Block, (i, b[2], b[0], b[1], b[3], b[4], b[5], b[6])) for i, b in enumerate(out)], tuple(runs)


def _open_at_start(pb, old, trace: Trace, page: int, copied: int, k0: int) -> int | None:
    """The parent's block of the risk factor open at the start of its page ``page``, if any."""
    risk = trace.states[page][4]
    if risk is None:
        return None
    at = old[page - risk[0]].start + risk[1]
    ri = bisect_left(pb, at, key=_START)
    if not (copied <= ri < k0 and pb[ri][1] == "risk_factor" and pb[ri][2] == at):
        raise AssertionError("the trace's open risk factor is not among the parent's blocks")
    return ri


def _moved(blocks: Sequence[Block], shift: int, moved: int):
    return ((b[2] + shift, b[3] + shift, b[1], b[4] + moved, b[5], b[6], b[7]) for b in blocks)


def _open_at_stop(pb, old, trace: Trace, pages, stop: int, final: _Change, lo: int, hi: int) -> list[tuple]:
    """The risk factor open where a reading stopped (as a block being made), from the parent's:
    where it starts as the reading knows it, where it ends as the parent's reading found, moved."""
    r = trace.states[stop - final.moved_after][4]
    if r is None:
        return []
    at = old[stop - final.moved_after - r[0]].start + r[1]
    b = next(b for b in pb[lo:hi] if b[1] == "risk_factor" and b[2] == at)
    return [(pages[stop - r[0]].start + r[1], -(b[3] + final.shift_after), False, "risk_factor",
             stop - r[0], b[5], b[6], b[7])]


def _states(trace: Trace, windows: list, n_old: int, n_new: int) -> tuple[tuple, tuple[Run, ...]]:
    """The new page states: the parent's outside the readings (kept from their pages, they need no
    moving), each reading's own."""
    states: list = []
    runs: list[Run] = []
    copied = 0
    for start, stop, first, final, outline in windows:
        a = start - first.moved
        states.extend(trace.states[copied:a])
        b = n_old if stop is None else stop - final.moved_after
        runs.append((a, b, len(states), len(states) + len(outline.states)))
        states.extend(outline.states)
        copied = b
    states.extend(trace.states[copied:])
    if len(states) != n_new:
        raise AssertionError("the page states do not cover the pages")
    return tuple(states), tuple(runs)
