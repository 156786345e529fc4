"""A version's segmentation, stored beside it so that reading commands need not segment again.

Segmenting a megabyte costs tens of milliseconds; inflating its stored structure costs a few. The
structure is derived data: it is kept with the hash of the text it describes and the fingerprint of
the segmenter that made it, and ``load`` returns None (the caller segments afresh) when either no
longer matches, so a stored structure never disagrees with what ``segment()`` would say today.

Stored by column as zlib-compressed JSON: each span as its gap from the span before and its size,
a defined term as the place it stands in its block, so that most of it is small, regular numbers.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import zlib
from pathlib import Path

from .models import BLOCK_KINDS, Block, Page, Segmented

FORMAT = 1


@functools.cache
def segmenter() -> str:
    """A fingerprint of the code that segments (its source files), part of every stored structure."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for name in ("segment.py", "models.py"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # installed without sources: fall back on the package version
            from . import __version__

            digest.update(f"{name} {__version__}".encode())
    return digest.hexdigest()[:16]


def _deltas(values: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *values], values)]


def _gaps(spans: list[tuple[int, int]]) -> list[int]:
    """Each span's start less the end of the span before (mostly the two characters of a blank line)."""
    return [start - end for (_, end), (start, _) in zip([(0, 0), *spans], spans)]


def _ungap(gaps: list[int], sizes: list[int]) -> list[int]:
    starts, end = [], 0
    for gap, size in zip(gaps, sizes):
        start = end + gap
        starts.append(start)
        end = start + size
    return starts


def _term_ref(text: str, block: Block) -> list[int] | str:
    """A block's term as [offset in the block, length] where it stands there, else the term itself."""
    at = text.find(block.term, block.start, block.end)
    return [at - block.start, len(block.term)] if at >= 0 else block.term


def pack(seg: Segmented, text_sha256: str) -> bytes:
    """The structure of ``seg`` as bytes, tied to its text's hash and to this segmenter."""
    headings: dict[tuple[str, ...], int] = {}
    blocks = seg.blocks
    data = {
        "format": FORMAT,
        "segmenter": segmenter(),
        "text": text_sha256,
        "length": len(seg.text),
        "pages": {
            "label": [p.label for p in seg.pages],
            "gap": _gaps([(p.start, p.end) for p in seg.pages]),
            "size": [p.end - p.start for p in seg.pages],
        },
        "blocks": {
            "index": _deltas([b.index for b in blocks]),
            "kind": "".join(str(BLOCK_KINDS.index(b.kind)) for b in blocks),
            "gap": _gaps([(b.start, b.end) for b in blocks]),
            "size": [b.end - b.start for b in blocks],
            "page": _deltas([b.page for b in blocks]),
            "heading": [headings.setdefault(b.heading, len(headings)) for b in blocks],
            "level": [b.level for b in blocks],
            "term": {str(i): _term_ref(seg.text, b) for i, b in enumerate(blocks) if b.term is not None},
        },
        "headings": [list(h) for h in headings],
    }
    return zlib.compress(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), 6)


def load(data: bytes | None, text: str, text_sha256: str) -> Segmented | None:
    """The stored structure of ``text`` as a ``Segmented``; None when absent, stale or unreadable."""
    if data is None:
        return None
    try:
        d = json.loads(zlib.decompress(data))
        if d.get("format") != FORMAT or d.get("segmenter") != segmenter():
            return None
        if d["text"] != text_sha256 or d["length"] != len(text):
            return None
        p = d["pages"]
        starts = _ungap(p["gap"], p["size"])
        pages = tuple(
            Page(i, label, start, start + size)
            for i, (label, start, size) in enumerate(zip(p["label"], starts, p["size"]))
        )
        b = d["blocks"]
        headings = [tuple(h) for h in d["headings"]]
        starts = _ungap(b["gap"], b["size"])
        ends = [start + size for start, size in zip(starts, b["size"])]
        terms: list[str | None] = [None] * len(starts)
        for k, v in b["term"].items():
            n = int(k)
            if isinstance(v, list):  # where the term stands in the block's own text
                at = starts[n] + v[0]
                v = text[at:at + v[1]]
            terms[n] = v
        rows = zip(
            itertools.accumulate(b["index"]), [BLOCK_KINDS[int(c)] for c in b["kind"]], starts, ends,
            itertools.accumulate(b["page"]), [headings[h] for h in b["heading"]], b["level"], terms,
        )
        # The fields were checked when the structure was made: skip Block's own checks.
        new = tuple.__new__
        blocks = [new(Block, row) for row in rows]
        if blocks and (max(ends) > len(text) or min(starts) < 0):
            return None
        return Segmented(text, pages, tuple(blocks))
    except (zlib.error, ValueError, KeyError, TypeError, IndexError):
        return None
