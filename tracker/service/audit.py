"""Audit: verify everything stored, and read the trail of events.

What belongs here: ``verify`` (re-hash every blob and version, replay every stored patch and delta,
walk the event chain) and the audit trail, whole or about one document, since a date, or of one
command.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from .. import diffing
from ..errors import TrackerError
from ..records import Event, Version
from ..store import GENESIS, Store, event_hash, sha256, text_sha256
from .common import reading
from .read import find_document


@reading
def verify(store: Store) -> dict[str, Any]:
    """Re-hash every blob and version, replay every stored patch, and walk the event chain."""
    problems: list[str] = []
    blobs = 0
    for digest, data in store.iter_blobs():
        blobs += 1
        try:
            raw = zlib.decompress(data)
        except Exception:
            problems.append(f"blob {digest[:12]}: cannot inflate")
            continue
        if sha256(raw) != digest:
            problems.append(f"blob {digest[:12]}: content hash is {sha256(raw)[:12]}")
    for f in store.filings():
        if not store.has_blob(f.sha256):
            problems.append(f"filing {f.id}: raw bytes {f.sha256[:12]} missing")
    versions = store.all_versions()
    problems += _verify_versions(store, versions)
    events = store.events()
    problems += _verify_chain(events)
    return {
        "ok": not problems,
        "blobs": blobs,
        "versions": len(versions),
        "events": len(events),
        "problems": problems,
    }


def _verify_versions(store: Store, versions: list[Version]) -> list[str]:
    """Each version's text rebuilt from its snapshot or its parent's text and delta, checked by hash,
    and its audit patch replayed from the parent."""
    problems: list[str] = []
    by_id = {v.id: v for v in versions}
    texts: dict[int, str] = {}
    for v in versions:  # parents come before children (ids grow)
        label = f"version {v.number} of document {v.document_id} (id {v.id})"
        parent = by_id.get(v.parent_id) if v.parent_id is not None else None
        try:
            if v.snapshot:
                text = store.stored_text(v.text_sha256)
            elif parent is None or parent.id not in texts:
                problems.append(f"{label}: parent missing or unreadable")
                continue
            else:
                text = diffing.apply_edits(texts[parent.id], v.edits())
        except (TrackerError, UnicodeDecodeError, ValueError, TypeError) as exc:
            problems.append(f"{label}: {exc}")
            continue
        if text_sha256(text) != v.text_sha256:
            problems.append(f"{label}: text hash mismatch")
            continue
        texts[v.id] = text
        if parent is not None:
            if v.patch is None or parent.id not in texts:
                problems.append(f"{label}: parent or patch missing")
                continue
            try:
                diffing.apply_patch(texts[parent.id], v.patch, v.text_sha256)
            except TrackerError as exc:
                problems.append(f"{label}: replay from version {parent.number} fails: {exc}")
    return problems


def _verify_chain(events: list[Event]) -> list[str]:
    problems = []
    prev = GENESIS
    for e in events:
        if e.prev_hash != prev:
            problems.append(f"event {e.id}: chain broken (previous hash does not match)")
        if event_hash(e) != e.hash:
            problems.append(f"event {e.id}: hash mismatch (event altered)")
        prev = e.hash
    return problems


@reading
def events(store: Store) -> list[dict[str, Any]]:
    """The audit trail, oldest first, with each event's inputs and outputs as JSON values."""
    return [e.to_json() for e in store.events()]


@reading
def filtered_events(
    store: Store, *, document: str | None = None, since: dt.date | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    """The audit trail, optionally only events about one document, since a date, or of one command."""
    rows = events(store)
    if kind:
        rows = [e for e in rows if e["command"] == kind]
    if since:
        rows = [e for e in rows if e["at"][:10] >= since.isoformat()]
    if document:
        doc = find_document(store, document)
        filing_ids = {doc.filing_id} | {a.filing_id for a in store.amendments(document_id=doc.id)}

        def about(e: dict[str, Any]) -> bool:
            blob = json.dumps([e["inputs"], e["outputs"]])
            return doc.key in blob or any(
                e["inputs"].get("filing_id") == f or e["outputs"].get("filing_id") == f for f in filing_ids
            )

        rows = [e for e in rows if about(e)]
    return rows
