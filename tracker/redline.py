"""Redlines between two versions of a document: what changed, where, and which instruction did it.

What belongs here: the block-aligned comparison of two texts (``compare``), matching changes to the
instructions that produced them (``attach_provenance``), the structured report (``report_json``) and
the renderers built on that report only (``render_text``, ``render_markdown``, ``render_html``).
Pure functions: values in, values out; the renderers return strings.

How ``compare`` works, and why it is fast: both texts are segmented and the two block sequences
are aligned on the blocks' texts; the blocks that differ are folded (runs of white space become one
space, so re-wrapping is no change) and aligned again. Only the regions that still differ are diffed
word by word; an unchanged block costs a slice and a dictionary lookup. A block deleted in one place and inserted, identically or nearly (word
similarity >= 0.9), in another is reported once, as ``moved``. Everything is deterministic: no
timeouts, no randomness, ties broken by position.

Text outside blocks (``<PAGE>`` lines and printed page labels) is page furniture: a change there alone
(repagination) is not reported.
"""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any

from .diffing import word_diff
from .models import Block, Segmented
from .segment import segment
from .errors import UsageError
from .tablediff import compare_tables, table_html, table_markdown, table_text
from .text import fold_space

KINDS = ("replaced", "inserted", "deleted", "moved")
MOVE_RATIO = 0.9  # word similarity from which a deleted and an inserted block are one moved passage
PAIR_RATIO = 0.5  # word similarity from which two changed blocks side by side are two edits, not one
CONTEXT_CHARS = 240  # unchanged text shown before and after a change

# --- values ----------------------------------------------------------------------------------


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


# --- comparing -------------------------------------------------------------------------------


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


# --- provenance ------------------------------------------------------------------------------


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


# --- the report ------------------------------------------------------------------------------


def report_json(meta: Mapping[str, Any], changes: Sequence[Change]) -> dict:
    """The structured redline report: ``meta`` normalised, a summary, and the changes.

    ``meta`` keys (all optional; dates may be ``datetime.date`` or ISO strings):

    - ``document``: {"key": str, "title": str | None}
    - ``from_version`` / ``to_version``: {"number": int, "effective_date": date, "recorded_date": date}
    - ``filings``: the filings applied between the two versions, in order, each
      {"filing_id": int, "key": str | None, "accession": str | None, "sha256": str | None,
      "filed": date | None (the filing's own date), "filed_from": "edgar-header" | "filing-text" |
      None, "recorded": date | None, "effective": date | None, "title": str | None}
    - ``currency``: one paragraph saying what the new version reflects
    - ``notices``: [{"filing": str, "accession": str | None, "n": int, "text": str}]
    - ``not_applied``: [{"filing": str, "accession": str | None, "n": int, "status": str,
      "reason": str, "source_text": str}]
    - ``generated``: {"at": time, "database": path, "tracker": version}, the redline's stamp

    The result: {"document", "from", "to", "filings", "currency", "summary", "changes", "notices",
    "not_applied", "generated"} with ``summary`` = {"changes": n, "replaced": n, "inserted": n,
    "deleted": n, "moved": n} and ``changes`` as ``Change.to_json`` gives them. JSON-serialisable.
    """
    doc = meta.get("document") or {}
    counts = Counter(c.kind for c in changes)

    def version(v: Mapping[str, Any] | None) -> dict:
        v = v or {}
        return {
            "number": v.get("number"),
            "effective_date": _str(v.get("effective_date")),
            "recorded_date": _str(v.get("recorded_date")),
        }

    return {
        "document": {"key": doc.get("key"), "title": doc.get("title")},
        "from": version(meta.get("from_version")),
        "to": version(meta.get("to_version")),
        "filings": [
            {
                "filing_id": f.get("filing_id"),
                "key": f.get("key"),
                "accession": f.get("accession"),
                "sha256": f.get("sha256"),
                "filed": _str(f.get("filed")),
                "filed_from": f.get("filed_from"),
                "recorded": _str(f.get("recorded")),
                "effective": _str(f.get("effective")),
                "title": f.get("title"),
            }
            for f in meta.get("filings") or ()
        ],
        "currency": meta.get("currency") or "",
        "summary": {"changes": len(changes), **{k: counts.get(k, 0) for k in KINDS}},
        "changes": [c.to_json() for c in changes],
        "notices": [
            {"filing": _str(n.get("filing")), "accession": n.get("accession"), "n": n.get("n"),
             "text": n.get("text") or ""}
            for n in meta.get("notices") or ()
        ],
        "not_applied": [
            {
                "filing": _str(m.get("filing")),
                "accession": m.get("accession"),
                "n": m.get("n"),
                "status": m.get("status"),
                "reason": m.get("reason") or "",
                "source_text": m.get("source_text") or "",
            }
            for m in meta.get("not_applied") or ()
        ],
        "generated": dict(meta.get("generated") or {}),
    }


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


# --- shared wording --------------------------------------------------------------------------


def _where(c: Mapping[str, Any]) -> tuple[str, str]:
    page = f"page {c['page']}" if c["page"] else "unlabelled page"
    path = " > ".join(c["heading"]) if c["heading"] else "(no heading)"
    return page, path


def _kind(c: Mapping[str, Any]) -> str:
    """The operation, and for a moved passage where it came from."""
    if c["kind"] != "moved":
        return c["kind"]
    page = f"page {c['from_page']}" if c["from_page"] else "unlabelled page"
    path = " > ".join(c["from_heading"]) if c["from_heading"] else "(no heading)"
    return f"moved from {page}, {path}"


def _by(c: Mapping[str, Any]) -> str:
    prov = c["provenance"]
    if not prov:
        return "no instruction claims it"
    return "; ".join(_claim(p) for p in prov)


def _cap(text: str) -> str:
    """The first letter in capitals, the rest (a document key, say) as it is."""
    return text[:1].upper() + text[1:]


def _claim(p: Mapping[str, Any]) -> str:
    """Who made a change: the filing by key and accession, the instruction, and the reviewer's
    decision that placed it, if one did."""
    out = f"by {source_name(p)}, instruction {p.get('n')}"
    d = p.get("decision")
    if d:
        out += f", placed by {d.get('who')}'s decision" + (f" ({d['why']})" if d.get("why") else "")
    return out


def source_name(p: Mapping[str, Any]) -> str:
    """A filing named by its key and its accession number."""
    acc = p.get("accession")
    return f"{p.get('filing')} (accession {acc})" if acc else f"{p.get('filing')} (no accession number)"


def _confidence(p: Mapping[str, Any]) -> str:
    return "" if p.get("confidence") is None else f"{float(p['confidence']):.2f}"


def _filing_name(f: Mapping[str, Any]) -> str:
    return source_name({"filing": f.get("key") or f"filing {f.get('filing_id')}", "accession": f.get("accession")})


def _filing_dates(f: Mapping[str, Any]) -> str:
    """The filing's own date (EDGAR's, or the one printed on it), its effective and recorded dates."""
    own = {"edgar-header": "filed", "filing-text": "dated"}.get(f.get("filed_from") or "", "filed")
    filed = f"{own} {f['filed']}" if f.get("filed") else "no filing date stated"
    recorded = f", recorded {f['recorded']}" if f.get("recorded") else ""
    return f"{filed}, effective {f['effective']}{recorded}"


def _version_line(r: Mapping[str, Any]) -> str:
    def one(v: Mapping[str, Any]) -> str:
        return f"version {v['number']} (effective {v['effective_date']}, recorded {v['recorded_date']})"

    return f"From {one(r['from'])} to {one(r['to'])}"


def _split_space(text: str) -> tuple[str, str, str]:
    """Leading white space, the core, trailing white space: marks go around the core only."""
    core = text.strip()
    if not core:
        return text, "", ""
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return lead, core, trail


def _marked(diff: Sequence[Sequence[Any]], marks: Mapping[int, tuple[str, str]], esc=lambda s: s) -> str:
    out = []
    for op, text in diff:
        if op == 0:
            out.append(esc(text))
            continue
        lead, core, trail = _split_space(text)
        if not core:
            out.append(esc(text))
            continue
        left, right = marks[op]
        out.append(f"{esc(lead)}{left}{esc(core)}{right}{esc(trail)}")
    return "".join(out)


# --- plain text ------------------------------------------------------------------------------

# Marks for deleted and inserted text in the plain-text redline (open, close, open, close). The
# default brackets occur in no filing of the EDGAR era (ASCII and cp1252 texts), so ratings such as
# AA- and BBB+ cannot be read as marks; "wdiff" gives the classic [-...-] {+...+}, "ansi" colours.
MARKERS = {
    "brackets": ("⟦-", "-⟧", "⟦+", "+⟧"),
    "wdiff": ("[-", "-]", "{+", "+}"),
    "ansi": ("\x1b[9;31m", "\x1b[0m", "\x1b[4;32m", "\x1b[0m"),
}


def text_markers(spec: str | None) -> tuple[str, str, str, str]:
    """Marks by preset name (brackets, wdiff, ansi) or as four strings separated by spaces."""
    if not spec:
        return MARKERS["brackets"]
    if spec in MARKERS:
        return MARKERS[spec]
    parts = spec.split()
    if len(parts) != 4:
        raise UsageError(
            f"--markers takes {', '.join(MARKERS)} or four marks separated by spaces "
            f"(deleted open, close, inserted open, close), not {spec!r}"
        )
    return parts[0], parts[1], parts[2], parts[3]


def _check_markers(report: Mapping[str, Any], markers: Sequence[str]) -> None:
    """Refuse marks that the compared texts themselves contain: they would be read as changes."""
    for c in report["changes"]:
        for m in markers:
            if m and (m in c["old_text"] or m in c["new_text"]):
                raise UsageError(f"the mark {m!r} occurs in the text of change {c['number']}; "
                                 "choose others with --markers")


def render_text(report: Mapping[str, Any], markers: Sequence[str] = MARKERS["brackets"]) -> str:
    """The report for a terminal or an email: a header line per change, then its marked passage
    (a table as aligned columns, cell by cell); ``markers`` as ``text_markers`` gives them."""
    _check_markers(report, markers)
    marks = {-1: (markers[0], markers[1]), 1: (markers[2], markers[3])}
    doc = report["document"]
    title = f" — {doc['title']}" if doc.get("title") else ""
    s = report["summary"]
    lines = [
        f"Redline: {doc['key']}{title}",
        _version_line(report),
    ]
    for f in report["filings"]:
        lines.append(f"Filing applied: {_filing_name(f)}, {_filing_dates(f)}")
    if report["currency"]:
        lines.append(f"Currency: {report['currency']}")
    lines.append(
        f"{s['changes']} changes: {s['replaced']} replaced, {s['inserted']} inserted, "
        f"{s['deleted']} deleted, {s['moved']} moved"
    )
    for c in report["changes"]:
        page, path = _where(c)
        lines.append("")
        lines.append(f"Change {c['number']} — {page} — {path} — {_kind(c)} — {_by(c)}")
        if c.get("table"):
            lines.append(table_text(c["table"], lambda cell: _marked(cell, marks)))
        else:
            lines.append(_marked(c["diff"], marks))
    lines.append("")
    lines.append("Notices in force:" + ("" if report["notices"] else " none"))
    for n in report["notices"]:
        lines.append(f"  {source_name(n)}, notice {n['n']}: {fold(n['text'])}")
    lines.append("Instructions not applied:" + ("" if report["not_applied"] else " none"))
    for m in report["not_applied"]:
        lines.append(f"  {source_name(m)}, instruction {m['n']} ({m['status']}): {fold(m['reason'])}")
        lines.append(f"    says: {fold(m['source_text'])}")
    return "\n".join(lines) + "\n"


# --- Markdown --------------------------------------------------------------------------------

_MD_MARKS = {-1: ("~~", "~~"), 1: ("**", "**")}
_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_~[]<>|#"})


def _md(text: str) -> str:
    """Document text made inert in Markdown: its special characters escaped."""
    return text.translate(_MD_SPECIAL)


def render_markdown(report: Mapping[str, Any]) -> str:
    """The report for tickets and wikis: a summary table, then each change, ~~deleted~~ **inserted**."""
    doc = report["document"]
    title = f" — {_md(doc['title'])}" if doc.get("title") else ""
    s = report["summary"]
    out = [f"# Redline: {_md(str(doc['key']))}{title}", "", _version_line(report) + ".", ""]
    if report["filings"]:
        out.append("Filings applied:")
        out.append("")
        for f in report["filings"]:
            out.append(f"- {_md(_filing_name(f))}, {_filing_dates(f)}")
        out.append("")
    if report["currency"]:
        out += [f"Currency: {_md(fold(report['currency']))}", ""]
    out.append(
        f"{s['changes']} changes: {s['replaced']} replaced, {s['inserted']} inserted, "
        f"{s['deleted']} deleted, {s['moved']} moved."
    )
    out.append("")
    if report["changes"]:
        out.append("| # | Page | Heading | Operation | Filing | Instruction | Status | Confidence |")
        out.append("|---|---|---|---|---|---|---|---|")
        for c in report["changes"]:
            prov = c["provenance"] or [{}]
            cells = [
                str(c["number"]),
                _md(c["page"] or ""),
                _md(" > ".join(c["heading"])),
                c["kind"],
                "<br>".join(_md(str(p.get("filing") or "")) for p in prov),
                "<br>".join(_md(str(p.get("n") or "")) for p in prov),
                "<br>".join(_md(str(p.get("status") or "")) for p in prov),
                "<br>".join(_confidence(p) for p in prov),
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    for c in report["changes"]:
        page, path = _where(c)
        out.append(f"## Change {c['number']} — {_md(page)} — {_md(path)} — {_md(_kind(c))}")
        out.append("")
        out.append(_cap(_md(_by(c))) + ".")
        out.append("")
        if c.get("table"):
            out.append(table_markdown(c["table"], lambda cell: _marked(cell, _MD_MARKS, _md)))
        else:
            # Markdown has no preformatted text with marks in it: the passage is folded to one line.
            out.append(_marked(_refold(c["diff"]), _MD_MARKS, _md).strip())
        out.append("")
    out.append("## Notices in force")
    out.append("")
    if not report["notices"]:
        out.append("None.")
    for n in report["notices"]:
        out.append(f"- {_md(source_name(n))}, notice {n['n']}: {_md(fold(n['text']))}")
    out.append("")
    out.append("## Instructions not applied")
    out.append("")
    if not report["not_applied"]:
        out.append("None.")
    for m in report["not_applied"]:
        out.append(
            f"- {_md(source_name(m))}, instruction {m['n']} ({_md(str(m['status']))}): "
            f"{_md(fold(m['reason']))} — says: {_md(fold(m['source_text']))}"
        )
    return "\n".join(out) + "\n"


def _refold(diff: Sequence[Sequence[Any]]) -> list[tuple[int, str]]:
    """A diff with every run of white space (line breaks included) turned into one space."""
    return [(op, fold_keep_edges(text)) for op, text in diff]


def fold_keep_edges(text: str) -> str:
    """``fold(text)``, keeping one space at either end where ``text`` had white space."""
    core = " ".join(text.split())
    if not core:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


# --- HTML ------------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; }
body { font-family: Georgia, "Times New Roman", serif; color: #111; background: #fff;
  margin: 2em auto; max-width: 60em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #999; margin-top: 1.6em; }
h3 { font-size: 1em; margin: 1.2em 0 0.3em; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.1em 1em; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
th { background: #eee; }
.currency { border-left: 3px solid #777; padding-left: 0.6em; }
.redline { font-family: "Courier New", Courier, monospace; font-size: 0.85em; white-space: pre-wrap;
  overflow-wrap: anywhere; border: 1px solid #ccc; padding: 0.6em; background: #fafafa; }
.context { color: #666; }
del { color: #a00000; background: #fde8e8; text-decoration: line-through; }
ins { color: #005a00; background: #e6f6e6; text-decoration: underline; }
.by, .says { font-size: 0.9em; color: #333; }
.legend { font-size: 0.9em; }
table.cells { width: auto; margin: 0.4em 0; }
table.cells tr.row-inserted td { background: #e6f6e6; }
table.cells tr.row-deleted td { background: #fde8e8; }
.none { font-style: italic; }
@page { margin: 16mm 14mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, .change h3 { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .redline { background: none; }
  del, ins { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v), quote=True)


_HTML_MARKS = {-1: ("<del>", "</del>"), 1: ("<ins>", "</ins>")}
_FILED_FROM = {"edgar-header": "EDGAR filing date", "filing-text": "printed on the filing"}
_LEGEND = ('<p class="legend">Legend: <del>deleted text</del> <ins>inserted text</ins> '
           "<span class=\"context\">unchanged text around a change</span>; in tables each cell is "
           "compared on its own.</p>")


def _stamp_html(g: Mapping[str, Any]) -> list[str]:
    """The redline's stamp: when, from which database, by which version of tracker."""
    if not g:
        return []
    return [f"<dt>Generated</dt><dd>{_e(g.get('at'))} from {_e(g.get('database'))} "
            f"by tracker {_e(g.get('tracker'))}</dd>"]


def render_html(report: Mapping[str, Any]) -> str:
    """One self-contained HTML page (inline CSS, nothing fetched, no script) that prints on Letter or A4."""
    doc = report["document"]
    fr, to = report["from"], report["to"]
    title = f"Redline: {doc['key']}" + (f" — {doc['title']}" if doc.get("title") else "")
    h: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
        '<dl class="meta">',
        f"<dt>Document</dt><dd>{_e(doc['key'])}</dd>",
        f"<dt>From</dt><dd>version {_e(fr['number'])}, effective {_e(fr['effective_date'])}, "
        f"recorded {_e(fr['recorded_date'])}</dd>",
        f"<dt>To</dt><dd>version {_e(to['number'])}, effective {_e(to['effective_date'])}, "
        f"recorded {_e(to['recorded_date'])}</dd>",
        *_stamp_html(report.get("generated") or {}),
        "</dl>",
        _LEGEND,
        "<h2>Filings applied</h2>",
    ]
    if report["filings"]:
        h.append("<table><thead><tr><th>Filing</th><th>Accession number</th><th>Its date</th>"
                 "<th>Effective</th><th>Recorded</th><th>Title</th></tr></thead><tbody>")
        for f in report["filings"]:
            own = f"{f['filed']} ({_FILED_FROM.get(f.get('filed_from') or '', '')})" if f.get("filed") else "not stated"
            h.append(
                f"<tr><td>{_e(f.get('key') or f['filing_id'])}</td><td>{_e(f['accession'] or 'none')}</td>"
                f"<td>{_e(own)}</td><td>{_e(f['effective'])}</td><td>{_e(f.get('recorded'))}</td>"
                f"<td>{_e(f['title'])}</td></tr>"
            )
        h.append("</tbody></table>")
    else:
        h.append('<p class="none">None.</p>')
    h.append(f'<p class="currency">{_e(report["currency"]) or "No currency statement given."}</p>')
    h.append("</header>")

    s = report["summary"]
    h.append('<section id="summary">')
    h.append("<h2>Summary of changes</h2>")
    h.append(
        f"<p>{s['changes']} changes: {s['replaced']} replaced, {s['inserted']} inserted, "
        f"{s['deleted']} deleted, {s['moved']} moved.</p>"
    )
    if report["changes"]:
        h.append(
            '<table class="changes"><thead><tr><th>#</th><th>Page</th><th>Heading</th><th>Operation</th>'
            "<th>Filing</th><th>Instruction</th><th>Status</th><th>Confidence</th></tr></thead><tbody>"
        )
        for c in report["changes"]:
            prov = c["provenance"] or []
            filings = "<br>".join(_e(source_name(p)) for p in prov)
            says = "<br>".join(f"{_e(p.get('n'))}. {_e(fold(p.get('source_text') or ''))}" for p in prov)
            status = "<br>".join(_e(p.get("status")) for p in prov)
            conf = "<br>".join(_confidence(p) for p in prov)
            h.append(
                f'<tr><td><a href="#change-{c["number"]}">{c["number"]}</a></td>'
                f"<td>{_e(c['page'] or '')}</td><td>{_e(' > '.join(c['heading']))}</td>"
                f"<td>{_e(c['kind'])}</td><td>{filings}</td><td>{says}</td><td>{status}</td>"
                f"<td>{conf}</td></tr>"
            )
        h.append("</tbody></table>")
    h.append("</section>")

    h.append('<section id="changes">')
    h.append("<h2>Changes</h2>")
    if not report["changes"]:
        h.append('<p class="none">No changes.</p>')
    for c in report["changes"]:
        page, path = _where(c)
        h.append(f'<article class="change" id="change-{c["number"]}">')
        h.append(f"<h3>Change {c['number']} — {_e(page)} — {_e(path)} — {_e(_kind(c))}</h3>")
        h.append(f'<p class="by">{_e(_cap(_by(c)))}.</p>')
        for p in c["provenance"] or []:
            says = _e(fold(p.get("source_text") or ""))
            h.append(f'<p class="says">Instruction {_e(p.get("n"))} ({_e(p.get("status"))}): “{says}”</p>')
        before = f'<span class="context">{_e(c["before"])}\n\n</span>' if c["before"] else ""
        after = f'<span class="context">\n\n{_e(c["after"])}</span>' if c["after"] else ""
        if c.get("table"):
            grid = table_html(c["table"], lambda cell: _marked(cell, _HTML_MARKS, _e))
            around = [f'<div class="redline context">{_e(x)}</div>' for x in (c["before"], c["after"])]
            h.append(("" if not c["before"] else around[0]) + grid + ("" if not c["after"] else around[1]))
        else:
            body = _marked(c["diff"], _HTML_MARKS, _e)
            h.append(f'<div class="redline">{before}{body}{after}</div>')
        h.append("</article>")
    h.append("</section>")

    h.append('<section id="notices">')
    h.append("<h2>Notices in force</h2>")
    if not report["notices"]:
        h.append('<p class="none">None.</p>')
    else:
        h.append("<ul>")
        for n in report["notices"]:
            h.append(f"<li>{_e(source_name(n))}, notice {_e(n['n'])}: {_e(fold(n['text']))}</li>")
        h.append("</ul>")
    h.append("</section>")

    h.append('<section id="not-applied">')
    h.append("<h2>Instructions not applied</h2>")
    if not report["not_applied"]:
        h.append('<p class="none">None.</p>')
    else:
        h.append("<ul>")
        for m in report["not_applied"]:
            h.append(
                f"<li>{_e(source_name(m))}, instruction {_e(m['n'])} ({_e(m['status'])}): "
                f"{_e(fold(m['reason']))}<br>"
                f"<span class=\"says\">Says: “{_e(fold(m['source_text']))}”</span></li>"
            )
        h.append("</ul>")
    h.append("</section>")
    h.append("</body>")
    h.append("</html>")
    return "\n".join(h) + "\n"
