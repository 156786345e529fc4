"""What the use cases share: who is acting, and a version's segmentation, passages and writing.

What belongs here: ``actor()`` and ``today()``; sparing the cyclic collector in use cases that
build many objects; a version's text segmented (its stored structure when
current, else segmented now); its searchable passages; and ``write_version``, which stores a new
version with its structure and search index, inside the caller's transaction.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import gc
import operator
import getpass
import os
from typing import Any

from ..errors import InputError
from ..records import Version
from ..store import Store

TEXTUAL_OK = {"applied", "notice"}  # the statuses of an instruction that did what it says
SEARCHABLE = ("paragraph", "definition", "bullet", "table", "heading")


def actor() -> str:
    """Who is acting: ``TRACKER_USER`` if set, else the login name."""
    name = os.environ.get("TRACKER_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def today() -> dt.date:
    """Today's date in UTC, the default 'as of' of every read."""
    return dt.datetime.now(dt.timezone.utc).date()



def reading(fn):
    """A use case that only reads: all its queries see the store as of one moment (a snapshot), so
    a writer committing meanwhile never shows it half of a filing or of a version."""

    @functools.wraps(fn)
    def run(store: Store, *args, **kwargs):
        with store.snapshot():
            return fn(store, *args, **kwargs)

    return run


# The cyclic collector's first threshold while a use case that builds many objects runs.
SPARE_COLLECTIONS = 50_000


def sparing_collector(fn):
    """A use case that builds many small objects at once (the blocks and units of a long document)
    runs with the cyclic collector's first threshold raised, and set back after: its objects are
    freed by reference counting as they go, while each collection of the oldest generation would
    walk every object alive, again and again (a 20 MB document's units took three times as long)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        kept = gc.get_threshold()
        if kept[0] >= SPARE_COLLECTIONS:
            return fn(*args, **kwargs)
        gc.set_threshold(SPARE_COLLECTIONS, *kept[1:])
        try:
            return fn(*args, **kwargs)
        finally:
            gc.set_threshold(*kept)

    return run


def segment(text: str):
    """``segment.segment``, imported on first use (it compiles its patterns when imported, which
    reading commands such as ``show`` need not pay for)."""
    from ..segment import segment as run

    return run(text)


def segmented(store: Store, version: Version, text: str | None = None):
    """A version's text segmented: its stored structure when it is current, else segmented now."""
    if text is None:
        text = store.version_text(version)
    found = stored_segmentation(store, version, text)
    return found if found is not None else segment(text)


def stored_segmentation(store: Store, version: Version, text: str):
    """A version's stored structure when it is current (made by this segmenter, for this text), else None."""
    from .. import structure

    found = structure.load_chain(store.structure_chain(version.id), text, version.text_sha256, traced=False)
    return found.seg if found is not None else None


def segmented_pair(store: Store, old: Version, old_text: str, new: Version, new_text: str):
    """Two versions' texts segmented (as ``segmented``), their stored structures read together: a
    version and its ancestor share the records they are read from."""
    from .. import structure

    found = structure.load_chains([(store.structure_chain(v.id), text, v.text_sha256)
                                   for v, text in ((old, old_text), (new, new_text))])
    return tuple(f.seg if f is not None else segment(text) for f, text in zip(found, (old_text, new_text)))


def stored_structure(store: Store, version: Version, text: str):
    """A version's stored structure (a ``structure.Structure``: its segmentation and the trace an
    edit resumes from) when it is current, else None."""
    from .. import structure

    return structure.load_chain(store.structure_chain(version.id), text, version.text_sha256)


def passages(seg, blocks=None) -> list[dict[str, Any]]:
    """A segmented text's searchable blocks (of ``blocks``, a run of its blocks, when given) with
    their page and heading path."""
    text = seg.text
    return [
        {
            "text": text[b.start:b.end],
            "heading": " > ".join(b.heading),
            "page": seg.pages[b.page].label if seg.pages else None,
            "block": b.index,
            "kind": b.kind,
        }
        for b in (seg.blocks if blocks is None else blocks)
        if b.kind in SEARCHABLE
    ]


def write_version(store: Store, document_id: int, parent: Version, filing_id: int, recorded_date: str,
                  parent_text: str, edits, effective: str, *, partial: bool, parent_seg=None) -> Version:
    """Store the version ``edits`` (in the parent's offsets) make of ``parent_text``, with its
    segmentation and search index; inside the caller's transaction.

    ``parent_seg`` is the parent's stored (current) structure when the caller has it (a
    ``structure.Structure``, see ``stored_structure``): then only the pages around the edits are
    segmented again, the new structure is kept as a splice on the parent's, and only the blocks
    the edits changed are hashed and looked up in the search index; the others keep the ids of
    the parent's texts.
    """
    from .. import structure
    from ..segment import resegment, segment_traced

    original = store.original(document_id)
    if original is not None and str(effective) < original.effective_date:
        raise InputError(f"an amendment effective {effective} is dated before the document it amends "
                         f"(effective {original.effective_date}); refused")
    version, new_text = store.add_version(document_id, parent, filing_id, recorded_date, effective,
                                          parent_text, edits, partial=partial)
    base = parent_seg if isinstance(parent_seg, structure.Structure) and parent_seg.trace is not None else None
    if base is not None:
        seg, trace, splice = resegment(base.seg, base.trace, edits, new_text)
    else:
        (seg, trace), splice = segment_traced(new_text), None
    if splice is not None and structure.takes_splice(base):
        store.put_structure(version.id, structure.pack_splice(base, seg, version.text_sha256, trace, splice),
                            spliced_on=parent.id)
    else:
        store.put_structure(version.id, structure.pack(seg, version.text_sha256, trace))
    store.index_passages(version.id, _block_map(store, parent, base, seg, splice))
    return version


def _block_map(store: Store, parent: Version, base, seg, splice) -> list:
    """What ``index_passages`` takes for a new version: the passages of the blocks the splice
    replaced, and the parent's entries (its block map's) for the blocks around them, renumbered;
    every passage when the parent's block map does not match its structure."""
    if splice is None:
        return passages(seg)
    known = store.version_blocks(parent.id)
    if len(known) != base.count_of(SEARCHABLE):  # (kept in the same transaction as the structure)
        return passages(seg)
    key = operator.itemgetter(3)
    out: list = []
    done, moved = 0, 0
    for a, b, c, d in splice.blocks:
        i0 = bisect.bisect_left(known, a, lo=done, key=key)
        out += _renumbered(known[done:i0], moved)
        out += passages(seg, seg.blocks[c:d])
        done, moved = bisect.bisect_left(known, b, lo=i0, key=key), d - b
    return out + _renumbered(known[done:], moved)


def _renumbered(entries: list, moved: int) -> list:
    if not moved:
        return entries
    return [(text_id, page, kind, block + moved) for text_id, page, kind, block in entries]


def bundled_corpus():
    """The corpus shipped with tracker: inside the installed package, or beside it in a checkout."""
    from pathlib import Path

    here = Path(__file__).resolve().parent.parent
    installed = here / "corpus"
    return installed if installed.is_dir() else here.parent / "corpus"
