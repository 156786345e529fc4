"""A version's segmentation, stored beside it so that reading commands need not segment again.

Segmenting a megabyte costs tens of milliseconds; inflating its stored structure costs a few. The
structure is derived data: it is kept with the hash of the text it describes and the fingerprint of
the segmenter that made it, and a load returns None (the caller segments afresh) when either no
longer matches, so a stored structure never disagrees with what ``segment()`` would say today.

A record is *whole* (every page, block and page state of the text) or a *splice*: what changed
from the parent version's structure (``segment.resume.Splice``), a few hundred bytes for a
sticker's edits. A version's structure is read as a chain: the whole record of an ancestor and the
splices after it, in order (``load_chain``); ``spliced`` says when a chain has grown long enough
that the next record should be whole again.

Stored by column: each span as its gap from the span before and its size, a defined term as the
place it stands in its block, page states as numbers and heading paths as nodes of one tree, so
that most of it is small, regular numbers, and a splice replaces a run of each column.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import operator
import sys
import zlib
from array import array
from collections.abc import Sequence
from pathlib import Path

from .models import BLOCK_KINDS, Block, Page, Segmented

FORMAT = 4

# A chain of splices is cut (the next record whole) when it is this long, or when its splices
# together outweigh twice the whole record it starts from (so reading a chain costs at most about
# three whole records' inflating).
MAX_SPLICES = 64

_MAGIC = b"TSTRUC4"
_PAGE_COLUMNS = ("page_gap", "page_size")
_BLOCK_COLUMNS = ("index", "kind", "gap", "size", "page", "heading", "level")
_STATE_COLUMNS = ("hp", "flags", "levels", "risk_page", "risk_first", "risk_end", "section", "decided")
_COLUMNS = _PAGE_COLUMNS + _BLOCK_COLUMNS + _STATE_COLUMNS


@functools.cache
def segmenter() -> str:
    """A fingerprint of the code that segments (its source files), part of every stored structure."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    sources = sorted((here / "segment").glob("*.py")) + [here / "models.py"]
    try:
        for path in sources:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        if len(sources) < 2:
            raise OSError("no sources")
    except OSError:  # installed without sources: fall back on the package version
        from . import __version__

        digest.update(f"segmenter {__version__}".encode())
    return digest.hexdigest()[:16]


class Structure:
    """A structure read back (or made): its columns and tables, and the segmentation and trace
    they give. Kept by a writer, so that a child's splice is packed against it."""

    def __init__(self, cols: dict[str, list[int]], labels: list, tree: list[list], terms: list,
                 levels: list[tuple[int, ...]], meta: dict) -> None:
        self.cols, self.labels, self.tree, self.terms, self.levels, self.meta = cols, labels, tree, terms, levels, meta
        self.seg: Segmented | None = None
        self.trace = None
        self.sizes: list[int] = []  # the sizes of the records it was read from, the whole one first

    def count_of(self, kinds) -> int:
        """How many blocks are of these kinds."""
        column = self.cols["kind"]
        return sum(column.count(BLOCK_KINDS.index(kind)) for kind in kinds)

    def nodes(self) -> dict[tuple[str, ...], int]:
        """Each heading path of the tree, by its node."""
        return {path: i for i, path in enumerate(_heading_paths(self.tree))}


# --- packing -------------------------------------------------------------------------------------


def pack(seg: Segmented, text_sha256: str, trace=None) -> bytes:
    """The whole structure of ``seg`` (with its ``segment.Trace`` when given) as bytes, tied to its
    text's hash and to this segmenter."""
    tree: list[list] = []
    nodes: dict[tuple[str, ...], int] = {(): 0}
    levels: list[tuple[int, ...]] = []
    states = trace.states if trace is not None else ()
    cols = {
        **_page_columns(seg.pages, 0),
        **_block_columns(seg.blocks, (0, 0, 0), tree, nodes),
        **_state_columns(states, tree, nodes, levels),
    }
    head = {
        "pages": len(seg.pages), "blocks": len(seg.blocks), "states": len(states),
        "labels": [p.label for p in seg.pages], "headings": tree, "levels": levels,
        "terms": _terms(seg, seg.blocks),
    }
    return _record("whole", seg, text_sha256, trace, head, cols)


def pack_splice(parent: Structure, seg: Segmented, text_sha256: str, trace, splice) -> bytes:
    """What changed from ``parent``'s structure to ``seg``'s, as ``splice`` says (see ``Splice``):
    for each run, the new values of every column."""
    tree = parent.tree
    nodes = parent.nodes()
    base = len(tree)
    levels = list(parent.levels)
    meta = parent.meta
    page_runs = _runs(splice.pages, meta["pages"], True)
    block_runs = _runs(splice.blocks, meta["blocks"], True)
    state_runs = _runs(splice.states, meta["states"], False)
    cols: dict[str, list[int]] = {name: [] for name in _COLUMNS}
    labels: list = []
    terms: list[list] = []
    for a, b, c, d in page_runs:
        for name, values in _page_columns(seg.pages[c:d], seg.pages[c - 1].end if c else 0).items():
            cols[name] += values
        labels += [p.label for p in seg.pages[c:d]]
    for a, b, c, d in block_runs:
        prev = seg.blocks[c - 1] if c else None
        done = len(cols["kind"])
        for name, values in _block_columns(seg.blocks[c:d], (prev.end, prev.index, prev.page) if prev else (0, 0, 0),
                                           tree, nodes).items():
            cols[name] += values
        terms += [[done + i, ref] for i, ref in _terms(seg, seg.blocks[c:d])]
    for a, b, c, d in state_runs:
        for name, values in _state_columns(trace.states[c:d], tree, nodes, levels).items():
            cols[name] += values
    head = {
        "splice": [page_runs, block_runs, state_runs],
        "pages": len(seg.pages), "blocks": len(seg.blocks), "states": len(trace.states),
        "labels": labels, "headings": tree[base:], "levels": levels[len(parent.levels):], "terms": terms,
    }
    del tree[base:]  # the parent's tree stays as it was read
    return _record("splice", seg, text_sha256, trace, head, cols, parent.meta)


def _runs(runs, n_old: int, boundary: bool) -> list[list[int]]:
    """A splice's runs as a record keeps them: with the item after each run when ``boundary`` (its
    gap is from the run's last item) and there is one, runs that then overlap made one."""
    out: list[list[int]] = []
    for a, b, c, d in runs:
        if boundary and b < n_old:
            b, d = b + 1, d + 1
        if out and a < out[-1][1]:
            out[-1][1], out[-1][3] = b, d
        else:
            out.append([a, b, c, d])
    return out


def _record(kind: str, seg: Segmented, text_sha256: str, trace, head: dict, cols: dict[str, list[int]],
            parent: dict | None = None) -> bytes:
    """The bytes of a record: a JSON head and the columns, compressed. What the trace knows of the
    whole text (furniture, witness) is left out of a splice that keeps its parent's."""
    meta = {"format": FORMAT, "segmenter": segmenter(), "kind": kind, "text": text_sha256, "length": len(seg.text)}
    if trace is None:
        meta.update(furniture=None, witness=None)
    else:
        paged, heads, feet = trace.furniture
        furniture = [paged, list(heads), list(feet)]  # as JSON gives it back
        if parent is None or [parent.get("furniture"), parent.get("witness")] != [furniture, trace.witness]:
            meta.update(furniture=furniture, witness=trace.witness)
    head = {**meta, **head, "counts": [len(cols[name]) for name in _COLUMNS]}
    head_bytes = json.dumps(head, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    body = b"".join(_column(cols[name]) for name in _COLUMNS)
    return zlib.compress(_MAGIC + len(head_bytes).to_bytes(4, "little") + head_bytes + body, 6)


def _page_columns(pages: Sequence[Page], prev_end: int) -> dict[str, list[int]]:
    return {"page_gap": _gaps([(p.start, p.end) for p in pages], prev_end),
            "page_size": [p.end - p.start for p in pages]}


def _block_columns(blocks: Sequence[Block], prev: tuple[int, int, int], tree: list[list],
                   nodes: dict[tuple[str, ...], int]) -> dict[str, list[int]]:
    """The block columns of a run of blocks; ``prev`` is the (end, index, page) of the block before."""
    prev_end, prev_index, prev_page = prev
    return {
        "index": _deltas([b.index for b in blocks], prev_index),
        "kind": [BLOCK_KINDS.index(b.kind) for b in blocks],
        "gap": _gaps([(b.start, b.end) for b in blocks], prev_end),
        "size": [b.end - b.start for b in blocks],
        "page": _deltas([b.page for b in blocks], prev_page),
        "heading": [_node(h, tree, nodes) for h in (b.heading for b in blocks)],
        "level": [b.level for b in blocks],
    }


def _state_columns(states: Sequence[tuple], tree: list[list], nodes: dict, levels: list) -> dict[str, list[int]]:
    """The page states of a trace (``segment.outline._Outline.state``) as numbers."""
    cols: dict[str, list[int]] = {name: [] for name in _STATE_COLUMNS}
    for hp, has_section, lv, flags, risk, where in states:
        if lv not in levels:
            levels.append(lv)
        cols["hp"].append(_node(hp, tree, nodes))
        cols["flags"].append(flags | has_section << 5 | (risk is None) << 6 | (where is None) << 7)
        cols["levels"].append(levels.index(lv))
        risk = risk or (0, 0, 0)
        where = where or (0, 0)
        for name, value in zip(("risk_page", "risk_first", "risk_end", "section", "decided"), (*risk, *where)):
            cols[name].append(value)
    return cols


def _node(path: tuple[str, ...], tree: list[list], nodes: dict[tuple[str, ...], int]) -> int:
    """The node of a heading path in the tree, added (with the paths above it) when new."""
    got = nodes.get(path)
    if got is None:
        parent = _node(path[:-1], tree, nodes)
        tree.append([parent, path[-1]])
        got = nodes[path] = len(tree)
    return got


def _terms(seg: Segmented, blocks: Sequence[Block]) -> list[list]:
    """Each term of a run of blocks: [its place in the run, its reference]."""
    return [[i, _term_ref(seg.text, b)] for i, b in enumerate(blocks) if b.term is not None]


def _term_ref(text: str, block: Block) -> list[int] | str:
    """A block's term as [offset in the block, length] where it stands there, else the term itself."""
    at = text.find(block.term, block.start, block.end)
    return [at - block.start, len(block.term)] if at >= 0 else block.term


def _deltas(values: list[int], prev: int) -> list[int]:
    return [b - a for a, b in zip([prev, *values], values)]


def _gaps(spans: list[tuple[int, int]], prev_end: int) -> list[int]:
    """Each span's start less the end of the span before (mostly the two characters of a blank line)."""
    return [start - end for (_, end), (start, _) in zip([(0, prev_end), *spans], spans)]


def _column(values: list[int]) -> bytes:
    a = array("i", values)  # spans fit: a filing over 100 MB is refused on reading
    if sys.byteorder == "big":
        a.byteswap()
    return a.tobytes()


# --- loading -------------------------------------------------------------------------------------


def load(data: bytes | None, text: str, text_sha256: str) -> Segmented | None:
    """The stored whole structure of ``text`` as a ``Segmented``; None when absent, stale or unreadable."""
    found = load_chain([data] if data is not None else [], text, text_sha256)
    return found.seg if found is not None else None


def load_chain(records: Sequence[bytes], text: str, text_sha256: str, traced: bool = True) -> Structure | None:
    """The structure of ``text`` from a whole record and the splices after it, in order; None when
    any is stale or unreadable, or the last is not of this text. Without ``traced`` the trace is
    not read (a reader needs the segmentation alone)."""
    return _load(records, text, text_sha256, traced, {})


def load_chains(chains: Sequence[tuple[Sequence[bytes], str, str]], traced: bool = False) -> list[Structure | None]:
    """``load_chain`` for each (records, text, text_sha256): the records they share (a version and
    its ancestor read from the same whole record) are inflated and read once."""
    read: dict[bytes, tuple] = {}
    return [_load(records, text, digest, traced, read) for records, text, digest in chains]


def _load(records: Sequence[bytes], text: str, text_sha256: str, traced: bool, read: dict) -> Structure | None:
    try:
        heads = []
        for data in records:
            got = read.get(data)
            if got is None:
                got = read[data] = _RECORDS.read(data)
            heads.append(got)
        mine = segmenter()
        if not heads or any(h is None or h[0]["segmenter"] != mine for h in heads) or heads[0][0]["kind"] != "whole":
            return None
        head, cols = heads[0]
        got = Structure({name: array("i", values) for name, values in cols.items()}, list(head["labels"]),
                        list(head["headings"]), _term_list(head["terms"], head["blocks"]),
                        [tuple(lv) for lv in head["levels"]], head)
        for head, cols in heads[1:]:
            if head["kind"] != "splice":
                return None
            _apply(got, head, cols)
        if head["text"] != text_sha256 or head["length"] != len(text):
            return None
        got.seg, got.trace = _decode(got, text, traced)
        got.sizes = [len(data) for data in records]
        return got if got.seg is not None else None
    except (zlib.error, ValueError, KeyError, TypeError, IndexError):
        return None


def takes_splice(parent: Structure) -> bool:
    """Whether a child's record may be a splice on the chain ``parent`` was read from: not too
    long, and its splices together lighter than twice the whole record it starts from."""
    sizes = parent.sizes
    return 0 < len(sizes) <= MAX_SPLICES and sum(sizes[1:]) < 2 * sizes[0]


class _Records:
    """Records read lately (inflated, their heads parsed, their columns as arrays), as git keeps
    the delta bases it inflated lately: a version and its parent are read from the same records,
    and a reader that compares or applies reads them again soon. Bounded by their size."""

    BUDGET = 32_000_000  # bytes of inflated records kept at most

    def __init__(self) -> None:
        self._kept: dict[bytes, tuple[tuple | None, int]] = {}
        self._size = 0

    def read(self, data: bytes):
        """The (head, columns) of a record, or None when it is not one of this segmenter's."""
        found = self._kept.pop(data, None)
        if found is None:
            found = _read(data)
            self._size += found[1]
        self._kept[data] = found  # (now the most recent)
        while self._size > self.BUDGET and len(self._kept) > 1:
            oldest = next(iter(self._kept))
            self._size -= self._kept.pop(oldest)[1]
        return found[0]


def _read(data: bytes) -> tuple[tuple | None, int]:
    """A record's (head, columns) and its inflated size; (None, size) when it is not a record of
    this format (whether its segmenter is today's is for the reader to say)."""
    raw = memoryview(zlib.decompress(data))
    if bytes(raw[: len(_MAGIC)]) != _MAGIC:
        return None, len(raw)
    at = len(_MAGIC) + 4
    size = int.from_bytes(raw[len(_MAGIC):at], "little")
    head = json.loads(bytes(raw[at:at + size]))
    if head.get("format") != FORMAT:
        return None, len(raw)
    at += size
    cols = {}
    for name, n in zip(_COLUMNS, head["counts"]):
        cols[name] = _uncolumn(raw[at:at + 4 * n])
        at += 4 * n
    return ((head, cols) if at == len(raw) else None), len(raw)


_RECORDS = _Records()


def _uncolumn(data: memoryview) -> array:
    a = array("i")
    a.frombytes(data)
    if sys.byteorder == "big":
        a.byteswap()
    return a


def _term_list(terms: list[list], n: int) -> list:
    out: list = [None] * n
    for i, ref in terms:
        out[i] = ref
    return out


def _apply(got: Structure, head: dict, cols: dict[str, list[int]]) -> None:
    """Splice one record's runs into the columns and tables read so far (the last run first, so
    that each run's offsets, the parent's, still hold)."""
    page_runs, block_runs, state_runs = head["splice"]
    _splice_runs(page_runs, [got.cols[n] for n in _PAGE_COLUMNS] + [got.labels],
                 [cols[n] for n in _PAGE_COLUMNS] + [head["labels"]])
    _splice_runs(block_runs, [got.cols[n] for n in _BLOCK_COLUMNS] + [got.terms],
                 [cols[n] for n in _BLOCK_COLUMNS] + [_term_list(head["terms"], len(cols["kind"]))])
    _splice_runs(state_runs, [got.cols[n] for n in _STATE_COLUMNS], [cols[n] for n in _STATE_COLUMNS])
    got.tree.extend(head["headings"])
    got.levels.extend(tuple(lv) for lv in head["levels"])
    got.meta = {**got.meta, **head}  # (furniture and witness: the parent's, unless the splice says)
    if (len(got.cols["page_size"]), len(got.cols["kind"]), len(got.cols["hp"])) != \
            (head["pages"], head["blocks"], head["states"]):
        raise ValueError("a splice does not fit the structure it is spliced on")


def _splice_runs(runs: list[list[int]], into: list[list], values: list[list]) -> None:
    offsets = [0]
    for _, _, c, d in runs:
        offsets.append(offsets[-1] + d - c)
    for (a, b, _, _), at, end in reversed(list(zip(runs, offsets, offsets[1:]))):
        for target, source in zip(into, values):
            target[a:b] = source[at:end]


def _decode(got: Structure, text: str, traced: bool = True):
    """The ``Segmented`` and the trace the columns describe (None, None when they do not fit the
    text; no trace unless ``traced``)."""
    cols, head = got.cols, got.meta
    starts = _ungap(cols["page_gap"], cols["page_size"])
    pages = tuple(
        Page(i, label, start, start + size)
        for i, (label, start, size) in enumerate(zip(got.labels, starts, cols["page_size"]))
    )
    headings = _heading_paths(got.tree)
    starts = _ungap(cols["gap"], cols["size"])
    ends = [start + size for start, size in zip(starts, cols["size"])]
    terms = got.terms[:]
    for n in [n for n, v in enumerate(terms) if v.__class__ is list]:  # where it stands in the block
        v = terms[n]
        at = starts[n] + v[0]
        terms[n] = text[at:at + v[1]]
    rows = zip(
        itertools.accumulate(cols["index"]), [BLOCK_KINDS[k] for k in cols["kind"]], starts, ends,
        itertools.accumulate(cols["page"]), [headings[h] for h in cols["heading"]], cols["level"], terms,
    )
    # The fields were checked when the structure was made: skip Block's own checks.
    new = tuple.__new__
    blocks = [new(Block, row) for row in rows]
    if blocks and (max(ends) > len(text) or min(starts) < 0):
        return None, None
    return Segmented(text, pages, tuple(blocks)), _trace(got, headings, head) if traced else None


def _trace(got: Structure, headings: list[tuple[str, ...]], head: dict):
    """The trace the state columns describe, or None when the record kept none."""
    if head.get("furniture") is None:
        return None
    from .segment import Trace

    cols, levels = got.cols, got.levels
    states = []
    for hp, flags, lv, rp, rf, re_, sec, dec in zip(*(cols[name] for name in _STATE_COLUMNS)):
        states.append((headings[hp], bool(flags & 32), levels[lv], flags & 31,
                       None if flags & 64 else (rp, rf, re_), None if flags & 128 else (sec, dec)))
    paged, heads, feet = head["furniture"]
    return Trace((paged, tuple(heads), tuple(feet)), head["witness"], tuple(states))


def _ungap(gaps: list[int], sizes: list[int]) -> list[int]:
    """The starts back from ``_gaps``: each start is the gaps so far plus the sizes before it."""
    return list(itertools.accumulate(map(operator.add, gaps, itertools.chain((0,), sizes))))


def _heading_paths(tree: list[list]) -> list[tuple[str, ...]]:
    """The path of every node of the heading tree, node 0 (the empty path) first."""
    paths: list[tuple[str, ...]] = [()]
    for parent, title in tree:
        paths.append(paths[parent] + (title,))
    return paths
