"""Comparing two versions block by block (``compare``), and the instructions behind each change (``attach_provenance``)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any

from ..diffing import word_diff
from ..models import Block, Segmented
from ..segment import segment
from ..tablediff import compare_tables
from ..text import fold_space

KINDS = ("replaced", "inserted", "deleted", "moved")


MOVE_RATIO = 0.9  # word similarity from which a deleted and an inserted block are one moved passage


PAIR_RATIO = 0.5  # word similarity from which two changed blocks side by side are two edits, not one


CONTEXT_CHARS = 240  # unchanged text shown before and after a change


@dataclass(frozen=True)
class Change:
    """One change between two versions: where it is in each text, what it was, what it became.

    ``old_span``/``new_span`` are character spans in the old and new texts; an insertion has an
    empty old span at the point of insertion, a deletion an empty new span. ``page`` and
    ``heading`` locate the change in the new version (in the old one for a deletion). ``diff``
    is a word diff of (op, text), op -1 deleted, 0 kept, 1 inserted: the kept and inserted parts
    give ``new_text`` exactly; differences of white space alone are shown as kept text.
    ``before``/``after`` are a little unchanged text around the change (from the same version as
    ``page``). ``reach`` is ``new_span`` widened over the white space around it; provenance is
    matched on it so that a deletion (an empty span) still meets the instruction that removed it.
    ``from_page``/``from_heading`` say where a moved passage was in the old version.
    ``provenance`` holds the instructions that claim the change, in new-text order, or None.
    ``table``, when the change is one table changed, added or removed, compares it cell by cell
    (see ``tablediff.compare_tables``).
    """

    number: int
    kind: str
    old_span: tuple[int, int]
    new_span: tuple[int, int]
    old_text: str
    new_text: str
    page: str | None
    heading: tuple[str, ...]
    diff: tuple[tuple[int, str], ...]
    before: str = ""
    after: str = ""
    from_page: str | None = None
    from_heading: tuple[str, ...] = ()
    reach: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    provenance: tuple[dict, ...] | None = None
    table: dict | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown change kind: {self.kind!r}")
        if self.number < 1:
            raise ValueError("changes are numbered from 1")
        for a, b in (self.old_span, self.new_span):
            if not 0 <= a <= b:
                raise ValueError(f"bad span {a}..{b}")

    def to_json(self) -> dict:
        """The change as plain JSON values (the shape ``report_json`` lists under "changes")."""
        return {
            "number": self.number,
            "kind": self.kind,
            "page": self.page,
            "heading": list(self.heading),
            "old_span": list(self.old_span),
            "new_span": list(self.new_span),
            "old_text": self.old_text,
            "new_text": self.new_text,
            "before": self.before,
            "after": self.after,
            "from_page": self.from_page,
            "from_heading": list(self.from_heading),
            "diff": [[op, text] for op, text in self.diff],
            "provenance": [dict(p) for p in self.provenance] if self.provenance else None,
            "table": self.table,
        }


fold = fold_space  # every run of white space as one space, trimmed


def compare(
    old: str | Segmented, new: str | Segmented, changed: Sequence[tuple[int, int, int, int]] | None = None
) -> list[Change]:
    """The changes that turn ``old`` into ``new``, block-aligned, numbered from 1 in new-text order.

    Either side may be given already segmented (a caller that keeps a version's ``Segmented``
    saves the segmentation, which costs far more than the comparison itself). ``changed``, when
    the caller knows it (the deltas between two versions say it), lists character ranges
    (old start, old end, new start, new end) outside which the texts agree: only the blocks
    around them are compared.
    """
    a = old if isinstance(old, Segmented) else segment(old)
    b = new if isinstance(new, Segmented) else segment(new)
    ablocks = _units(a)
    bblocks = _units(b)
    if changed is None:
        windows = [(0, len(ablocks), 0, len(bblocks))]
    else:
        windows = _windows(changed, ablocks, bblocks)
    # Align on the raw block texts first (slicing is cheap, folding a megabyte is not), then fold
    # only the blocks that differ and align those again: what differed only by its wrapping
    # falls back into line. Blocks outside every window are the same on both sides: no key.
    akeys: list[str] = [""] * len(ablocks)
    bkeys: list[str] = [""] * len(bblocks)
    for w1, w2, v1, v2 in windows:
        akeys[w1:w2] = [a.text[x.start : x.end] for x in ablocks[w1:w2]]
        bkeys[v1:v2] = [b.text[x.start : x.end] for x in bblocks[v1:v2]]
    regions = []
    found = [
        (i1 + w1, i2 + w1, j1 + v1, j2 + v1)
        for w1, w2, v1, v2 in windows
        for i1, i2, j1, j2 in _regions(akeys[w1:w2], bkeys[v1:v2])
    ]
    for i1, i2, j1, j2 in found:
        akeys[i1:i2] = [fold(k) for k in akeys[i1:i2]]
        bkeys[j1:j2] = [fold(k) for k in bkeys[j1:j2]]
        for r in _regions(akeys[i1:i2], bkeys[j1:j2]):
            r = (r[0] + i1, r[1] + i1, r[2] + j1, r[3] + j1)
            # The same words cut into blocks differently (a re-wrap that moved a line break
            # past a bullet marker, say) are no change either.
            if " ".join(akeys[r[0] : r[1]]) != " ".join(bkeys[r[2] : r[3]]):
                regions.append(r)
    moves = _moves(regions, akeys, bkeys)

    # kind, old block indices, new block indices, where the region starts (old, new)
    raw: list[tuple[str, list[int], list[int], tuple[int, int] | None]] = []
    moved_old = {i for olds, _ in moves for i in olds}
    moved_new = {j for _, news in moves for j in news}
    for i1, i2, j1, j2 in regions:
        for olds, news in _pieces(
            [i for i in range(i1, i2) if i not in moved_old],
            [j for j in range(j1, j2) if j not in moved_new],
            akeys,
            bkeys,
        ):
            kind = "replaced" if olds and news else ("deleted" if olds else "inserted")
            raw.append((kind, olds, news, (i1, j1)))
    for olds, news in moves:
        raw.append(("moved", olds, news, None))

    changes = [_change(kind, olds, news, where, a, b, ablocks, bblocks) for kind, olds, news, where in raw]
    changes.sort(key=lambda c: (c.new_span, c.old_span, KINDS.index(c.kind)))
    return [replace(c, number=n) for n, c in enumerate(changes, start=1)]


def _windows(
    changed: Sequence[tuple[int, int, int, int]], ablocks: list[Block], bblocks: list[Block]
) -> list[tuple[int, int, int, int]]:
    """Block index ranges (old, new) around each changed character range, a block more each side."""
    a_starts, a_ends = [x.start for x in ablocks], [x.end for x in ablocks]
    b_starts, b_ends = [x.start for x in bblocks], [x.end for x in bblocks]
    out: list[list[int]] = []
    for os_, oe, ns, ne in sorted(changed):
        w = [
            max(0, bisect_left(a_ends, os_) - 1), min(len(ablocks), bisect_right(a_starts, oe) + 1),
            max(0, bisect_left(b_ends, ns) - 1), min(len(bblocks), bisect_right(b_starts, ne) + 1),
        ]
        if out and (w[0] <= out[-1][1] or w[2] <= out[-1][3]):
            last = out[-1]
            out[-1] = [min(last[0], w[0]), max(last[1], w[1]), min(last[2], w[2]), max(last[3], w[3])]
        else:
            out.append(w)
    return [(w[0], w[1], w[2], w[3]) for w in out]


def _units(seg: Segmented) -> list[Block]:
    """The blocks that tile a text without overlapping (a risk factor is its heading and paragraphs)."""
    return [x for x in seg.blocks if x.kind != "risk_factor"]


def _regions(akeys: list[str], bkeys: list[str]) -> list[tuple[int, int, int, int]]:
    """Spans (i1, i2, j1, j2) of block indices that differ, in order."""
    # Trim the common head and tail first: the matcher then only sees the part that moved.
    lo = 0
    top = min(len(akeys), len(bkeys))
    while lo < top and akeys[lo] == bkeys[lo]:
        lo += 1
    hi = 0
    while hi < top - lo and akeys[-1 - hi] == bkeys[-1 - hi]:
        hi += 1
    # autojunk off: repeated blocks ("General", table rules) must still align, and the result
    # must not depend on how long the document is.
    sm = SequenceMatcher(None, akeys[lo : len(akeys) - hi], bkeys[lo : len(bkeys) - hi], autojunk=False)
    return [
        (i1 + lo, i2 + lo, j1 + lo, j2 + lo)
        for tag, i1, i2, j1, j2 in sm.get_opcodes()
        if tag != "equal"
    ]


def _similar(x: str, y: str, cut: float, words: "_Words | None" = None) -> float:
    """Word similarity of two folded texts (0..1), or 0 when it is surely below ``cut``.

    The same figures as ``SequenceMatcher``'s ``real_quick_ratio``, ``quick_ratio`` and ``ratio``
    on the texts' words; the two bounds are computed from word counts kept in ``words`` (each
    text is split and counted once however many texts it is compared with), and the matcher
    itself is built only for the pairs that pass them.
    """
    words = words if words is not None else _Words()
    wx, cx = words.get(x)
    wy, cy = words.get(y)
    la, lb = len(wx), len(wy)
    total = la + lb
    # real_quick_ratio: the bound from the lengths alone
    if (2.0 * min(la, lb) / total if total else 1.0) < cut:
        return 0.0
    # quick_ratio: the bound from the words in common, counted with repeats
    if len(cx) > len(cy):
        cx, cy = cy, cx
    common = 0
    for w, n in cx.items():
        m = cy.get(w)
        if m:
            common += n if n < m else m
    if (2.0 * common / total if total else 1.0) < cut:
        return 0.0
    return SequenceMatcher(None, wx, wy, autojunk=False).ratio()


class _Words:
    """Each folded text's words and their counts, computed once."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[list[str], Counter]] = {}

    def get(self, text: str) -> tuple[list[str], Counter]:
        got = self._seen.get(text)
        if got is None:
            ws = text.split(" ")
            got = self._seen[text] = (ws, Counter(ws))
        return got


def _moves(
    regions: list[tuple[int, int, int, int]], akeys: list[str], bkeys: list[str]
) -> list[tuple[list[int], list[int]]]:
    """Blocks deleted in one region and inserted in another, grouped into runs (old, new)."""
    gone = [(i, r) for r, (i1, i2, _, _) in enumerate(regions) for i in range(i1, i2)]
    came = [(j, r) for r, (_, _, j1, j2) in enumerate(regions) for j in range(j1, j2)]
    if not gone or not came:
        return []
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    words = _Words()
    by_key: dict[str, list[tuple[int, int]]] = {}
    for j, r in came:
        by_key.setdefault(bkeys[j], []).append((j, r))
    # Exact moves first, then near ones; both in old-text order so the result is stable.
    for i, r in gone:
        for j, rj in by_key.get(akeys[i], ()):
            if rj != r and j not in taken:
                pairs[i] = j
                taken.add(j)
                break
    for i, r in gone:
        if i in pairs or not akeys[i]:
            continue
        best, best_j = MOVE_RATIO, None
        for j, rj in came:
            if rj == r or j in taken:
                continue
            score = _similar(akeys[i], bkeys[j], best, words)
            if score >= best and (best_j is None or score > best):
                best, best_j = score, j
        if best_j is not None:
            pairs[i] = best_j
            taken.add(best_j)
    # A run of consecutive old blocks landing on consecutive new blocks is one moved passage.
    runs: list[tuple[list[int], list[int]]] = []
    for i in sorted(pairs):
        j = pairs[i]
        if runs and runs[-1][0][-1] == i - 1 and runs[-1][1][-1] == j - 1:
            runs[-1][0].append(i)
            runs[-1][1].append(j)
        else:
            runs.append(([i], [j]))
    return runs


def _pieces(
    olds: list[int], news: list[int], akeys: list[str], bkeys: list[str]
) -> list[tuple[list[int], list[int]]]:
    """Split what is left of a region into changes.

    Moved blocks taken out of a region may cut it into runs; runs are paired in order, and the
    surplus runs on one side become deletions or insertions. Two runs of as many blocks, each
    like its counterpart, are one change per block: adjacent paragraphs edited one by one (by
    two instructions, say) stay two changes.
    """
    ao, bo = _runs(olds), _runs(news)
    out: list[tuple[list[int], list[int]]] = []
    for k in range(max(len(ao), len(bo))):
        x, y = (ao[k] if k < len(ao) else []), (bo[k] if k < len(bo) else [])
        if len(x) == len(y) > 1 and all(_similar(akeys[i], bkeys[j], PAIR_RATIO) for i, j in zip(x, y)):
            out.extend(([i], [j]) for i, j in zip(x, y))
        else:
            out.append((x, y))
    return out


def _runs(idx: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in idx:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _change(
    kind: str,
    olds: list[int],
    news: list[int],
    where: tuple[int, int] | None,
    a: Segmented,
    b: Segmented,
    ablocks: list[Block],
    bblocks: list[Block],
) -> Change:
    old_span = _span(olds, ablocks, a, where[0] if where else 0)
    new_span = _span(news, bblocks, b, where[1] if where else 0)
    old_text = a.text[old_span[0] : old_span[1]]
    new_text = b.text[new_span[0] : new_span[1]]
    # Locate and frame the change in the version where it can be read.
    seg, blocks, idx = (a, ablocks, olds) if kind == "deleted" else (b, bblocks, news)
    first = blocks[idx[0]]
    before = _context(seg, blocks, idx[0] - 1, tail=True)
    after = _context(seg, blocks, idx[-1] + 1, tail=False)
    moved_from = ablocks[olds[0]] if kind == "moved" else None
    if kind == "inserted":
        diff: list[tuple[int, str]] = [(1, new_text)]
    elif kind == "deleted":
        diff = [(-1, old_text)]
    else:
        diff = _clean(word_diff(old_text, new_text))
    return Change(
        number=1,
        kind=kind,
        old_span=old_span,
        new_span=new_span,
        old_text=old_text,
        new_text=new_text,
        page=seg.page_label(first),
        heading=first.heading,
        diff=tuple(diff),
        before=before,
        after=after,
        from_page=a.page_label(moved_from) if moved_from else None,
        from_heading=moved_from.heading if moved_from else (),
        reach=_reach(b.text, new_span),
        table=_table(kind, [ablocks[i] for i in olds], [bblocks[j] for j in news], old_text, new_text),
    )


def _table(kind: str, olds: list[Block], news: list[Block], old_text: str, new_text: str) -> dict | None:
    """The cell-by-cell comparison of a change that is one table on each side that has one."""
    if kind == "moved" or any(len(side) > 1 for side in (olds, news)):
        return None
    if any(x.kind != "table" for x in olds + news):
        return None
    return compare_tables(old_text, new_text)


def _span(idx: list[int], blocks: list[Block], seg: Segmented, region_start: int) -> tuple[int, int]:
    """The span of blocks ``idx``; with none, the point after the block before the region."""
    if idx:
        return blocks[idx[0]].start, blocks[idx[-1]].end
    # Where a removed passage was, or an added one goes: right after the block before it.
    pos = blocks[region_start - 1].end if region_start > 0 else 0
    return pos, pos


def _reach(text: str, span: tuple[int, int]) -> tuple[int, int]:
    s, e = span
    while s > 0 and text[s - 1].isspace():
        s -= 1
    while e < len(text) and text[e].isspace():
        e += 1
    return s, e


def _context(seg: Segmented, blocks: list[Block], k: int, tail: bool) -> str:
    """Up to ``CONTEXT_CHARS`` of block ``k`` (its end when ``tail``), cut at a word boundary."""
    if not 0 <= k < len(blocks):
        return ""
    text = seg.text[blocks[k].start : blocks[k].end]
    if len(text) <= CONTEXT_CHARS:
        return text
    if tail:
        cut = text[-CONTEXT_CHARS:]
        sp = cut.find(" ")
        return "…" + (cut[sp + 1 :] if sp >= 0 else cut)
    cut = text[:CONTEXT_CHARS]
    sp = cut.rfind(" ")
    return (cut[:sp] if sp > 0 else cut) + "…"


def _clean(diff: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Merge a word diff's hunks; a hunk that differs only in white space becomes kept (new) text."""
    out: list[tuple[int, str]] = []
    gone, came = [], []

    def flush() -> None:
        d, i = "".join(gone), "".join(came)
        if fold(d) == fold(i):
            if i:
                out.append((0, i))
        else:
            if d:
                out.append((-1, d))
            if i:
                out.append((1, i))
        gone.clear()
        came.clear()

    for op, text in diff:
        if op == 0:
            flush()
            out.append((0, text))
        else:
            (gone if op < 0 else came).append(text)
    flush()
    merged: list[tuple[int, str]] = []
    for op, text in out:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def attach_provenance(changes: Sequence[Change], edits: Iterable[Mapping[str, Any]]) -> list[Change]:
    """Each change with the edits whose span of the new text overlaps it (None when none does).

    ``edits`` are dicts with at least ``new_start`` and ``new_end`` (the span an instruction
    produced in the new text); they are copied whole into ``provenance``, in new-text order.
    A non-empty change is claimed by edits overlapping its span; a deletion (empty span) by edits
    that touch the white space where the removed text was.
    """
    claims = sorted((dict(e) for e in edits), key=lambda e: (e["new_start"], e["new_end"]))
    out = []
    for c in changes:
        got = tuple(e for e in claims if _claims(c, e["new_start"], e["new_end"]))
        out.append(replace(c, provenance=got or None))
    return out


def _claims(c: Change, s: int, e: int) -> bool:
    cs, ce = c.new_span
    if cs < ce:
        if s < e:
            return s < ce and cs < e
        return cs < s < ce
    rs, re_ = c.reach or c.new_span
    if s < e:
        return s < re_ and rs < e
    return rs <= s <= re_
