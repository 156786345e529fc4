"""What the use cases share: who is acting, and a version's segmentation, passages and writing.

What belongs here: ``actor()`` and ``today()``; a version's text segmented (its stored structure when
current, else segmented now); its searchable passages; and ``write_version``, which stores a new
version with its structure and search index, inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
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

    return structure.load(store.get_structure(version.id), text, version.text_sha256)


def passages(seg) -> list[dict[str, Any]]:
    """A segmented text's searchable blocks with their page and heading path."""
    text = seg.text
    return [
        {
            "text": text[b.start:b.end],
            "heading": " > ".join(b.heading),
            "page": seg.pages[b.page].label if seg.pages else None,
            "block": b.index,
            "kind": b.kind,
        }
        for b in seg.blocks
        if b.kind in SEARCHABLE
    ]


def write_version(store: Store, document_id: int, parent: Version, filing_id: int, recorded_date: str,
                  parent_text: str, edits, effective: str, *, partial: bool, parent_seg=None) -> Version:
    """Store the version ``edits`` (in the parent's offsets) make of ``parent_text``, with its
    segmentation and search index; inside the caller's transaction.

    ``parent_seg`` is the parent's stored (current) structure when the caller has it: then a block
    unchanged since the parent keeps the id of the parent's text in the search index, and only the
    changed blocks are hashed and looked up.
    """
    from .. import structure

    original = store.original(document_id)
    if original is not None and str(effective) < original.effective_date:
        raise InputError(f"an amendment effective {effective} is dated before the document it amends "
                         f"(effective {original.effective_date}); refused")
    version, new_text = store.add_version(document_id, parent, filing_id, recorded_date, effective,
                                          parent_text, edits, partial=partial)
    seg = segment(new_text)
    store.put_structure(version.id, structure.pack(seg, version.text_sha256))
    found = passages(seg)
    if parent_seg is not None:
        # The parent's structure is current, so its block map was made from that very structure
        # (same transaction).
        ptext = parent_seg.text
        before = [(" > ".join(b.heading), ptext[b.start:b.end]) for b in parent_seg.blocks if b.kind in SEARCHABLE]
        ids = store.version_blocks(parent.id)
        if len(before) == len(ids):
            known = {key: i[0] for key, i in zip(before, ids)}
            for p in found:
                same = known.get((p["heading"], p["text"]))
                if same is not None:
                    p["id"] = same
    store.index_passages(version.id, found)
    return version


def bundled_corpus():
    """The corpus shipped with tracker: inside the installed package, or beside it in a checkout."""
    from pathlib import Path

    here = Path(__file__).resolve().parent.parent
    installed = here / "corpus"
    return installed if installed.is_dir() else here.parent / "corpus"
