"""A version's segmentation, stored beside it so that reading commands need not segment again.

Segmenting a megabyte costs tens of milliseconds; inflating its stored structure costs a few. The
structure is derived data: it is kept with the hash of the text it describes and the fingerprint of
the segmenter that made it, and ``load`` returns None (the caller segments afresh) when either no
longer matches, so a stored structure never disagrees with what ``segment()`` would say today.

Stored by column: each span as its gap from the span before and its size, a defined term as the
place it stands in its block, so that most of it is small, regular numbers (see ``pack``).
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
from collections.abc import Iterable
from pathlib import Path

from .models import BLOCK_KINDS, Block, Page, Segmented

FORMAT = 3


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


def _deltas(values: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *values], values)]


def _gaps(spans: list[tuple[int, int]]) -> list[int]:
    """Each span's start less the end of the span before (mostly the two characters of a blank line)."""
    return [start - end for (_, end), (start, _) in zip([(0, 0), *spans], spans)]


def _ungap(gaps: list[int], sizes: list[int]) -> list[int]:
    """The starts back from ``_gaps``: each start is the gaps so far plus the sizes before it."""
    return list(itertools.accumulate(map(operator.add, gaps, itertools.chain((0,), sizes))))


def _heading_tree(paths: Iterable[tuple[str, ...]]) -> tuple[list[list], dict[tuple[str, ...], int]]:
    """Heading paths as a tree of [parent, title] nodes, parents first, and each path's node.

    Node 0 is the empty path; paths share their leading headings, so each title is kept once,
    not once for every path below it.
    """
    nodes: dict[tuple[str, ...], int] = {(): 0}
    tree: list[list] = []
    for path in paths:
        for depth in range(1, len(path) + 1):
            if path[:depth] not in nodes:
                tree.append([nodes[path[:depth - 1]], path[depth - 1]])
                nodes[path[:depth]] = len(tree)
    return tree, nodes


def _heading_paths(tree: list[list]) -> list[tuple[str, ...]]:
    """The path of every node of ``_heading_tree``, node 0 (the empty path) first."""
    paths: list[tuple[str, ...]] = [()]
    for parent, title in tree:
        paths.append(paths[parent] + (title,))
    return paths


def _term_ref(text: str, block: Block) -> list[int] | str:
    """A block's term as [offset in the block, length] where it stands there, else the term itself."""
    at = text.find(block.term, block.start, block.end)
    return [at - block.start, len(block.term)] if at >= 0 else block.term


_COLUMNS = ("page_gap", "page_size", "index", "kind", "gap", "size", "page", "heading", "level")
_MAGIC = b"TSTRUCT"


def _column(values: list[int]) -> bytes:
    a = array("i", values)  # spans fit: a filing over 100 MB is refused on reading
    if sys.byteorder == "big":
        a.byteswap()
    return a.tobytes()


def _uncolumn(data: memoryview) -> list[int]:
    a = array("i")
    a.frombytes(data)
    if sys.byteorder == "big":
        a.byteswap()
    return a.tolist()


def pack(seg: Segmented, text_sha256: str) -> bytes:
    """The structure of ``seg`` as bytes, tied to its text's hash and to this segmenter.

    A small JSON head (the fingerprints, page labels, heading paths, terms) and then the numeric
    columns as little-endian 32-bit integers, all zlib-compressed: integers in binary load some
    ten times faster than the same integers in JSON.
    """
    blocks = seg.blocks
    tree, nodes = _heading_tree(dict.fromkeys(b.heading for b in blocks))
    pages = seg.pages
    columns = {
        "page_gap": _gaps([(p.start, p.end) for p in pages]),
        "page_size": [p.end - p.start for p in pages],
        "index": _deltas([b.index for b in blocks]),
        "kind": [BLOCK_KINDS.index(b.kind) for b in blocks],
        "gap": _gaps([(b.start, b.end) for b in blocks]),
        "size": [b.end - b.start for b in blocks],
        "page": _deltas([b.page for b in blocks]),
        "heading": [nodes[b.heading] for b in blocks],
        "level": [b.level for b in blocks],
    }
    head = {
        "format": FORMAT,
        "segmenter": segmenter(),
        "text": text_sha256,
        "length": len(seg.text),
        "pages": len(pages),
        "blocks": len(blocks),
        "labels": [p.label for p in pages],
        "headings": tree,
        "terms": {str(i): _term_ref(seg.text, b) for i, b in enumerate(blocks) if b.term is not None},
    }
    head_bytes = json.dumps(head, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    body = b"".join(_column(columns[name]) for name in _COLUMNS)
    return zlib.compress(_MAGIC + len(head_bytes).to_bytes(4, "little") + head_bytes + body, 6)


def load(data: bytes | None, text: str, text_sha256: str) -> Segmented | None:
    """The stored structure of ``text`` as a ``Segmented``; None when absent, stale or unreadable."""
    if data is None:
        return None
    try:
        raw = memoryview(zlib.decompress(data))
        if bytes(raw[: len(_MAGIC)]) != _MAGIC:
            return None
        at = len(_MAGIC) + 4
        size = int.from_bytes(raw[len(_MAGIC):at], "little")
        head = json.loads(bytes(raw[at:at + size]))
        if head.get("format") != FORMAT or head.get("segmenter") != segmenter():
            return None
        if head["text"] != text_sha256 or head["length"] != len(text):
            return None
        n_pages, n_blocks = head["pages"], head["blocks"]
        at += size
        cols = {}
        for name in _COLUMNS:
            n = n_pages if name.startswith("page_") else n_blocks
            cols[name] = _uncolumn(raw[at:at + 4 * n])
            at += 4 * n
        if at != len(raw):
            return None
        starts = _ungap(cols["page_gap"], cols["page_size"])
        pages = tuple(
            Page(i, label, start, start + size)
            for i, (label, start, size) in enumerate(zip(head["labels"], starts, cols["page_size"]))
        )
        headings = _heading_paths(head["headings"])
        starts = _ungap(cols["gap"], cols["size"])
        ends = [start + size for start, size in zip(starts, cols["size"])]
        terms: list[str | None] = [None] * n_blocks
        for k, v in head["terms"].items():
            n = int(k)
            if isinstance(v, list):  # where the term stands in the block's own text
                at = starts[n] + v[0]
                v = text[at:at + v[1]]
            terms[n] = v
        rows = zip(
            itertools.accumulate(cols["index"]), [BLOCK_KINDS[k] for k in cols["kind"]], starts, ends,
            itertools.accumulate(cols["page"]), [headings[h] for h in cols["heading"]], cols["level"], terms,
        )
        # The fields were checked when the structure was made: skip Block's own checks.
        new = tuple.__new__
        blocks = [new(Block, row) for row in rows]
        if blocks and (max(ends) > len(text) or min(starts) < 0):
            return None
        return Segmented(text, pages, tuple(blocks))
    except (zlib.error, ValueError, KeyError, TypeError, IndexError):
        return None
