"""Audit: prove everything stored, and read the trail of events.

What belongs here: ``verify`` (SQLite's own check of the file; the event chain, its head, and a
head written down before; every record against the digest its event committed; every blob and
version re-hashed, every stored patch and delta replayed; the search index rebuilt and compared)
and the audit trail, whole or about one document, since a date, or of one command.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import zlib
from dataclasses import dataclass
from collections.abc import Iterable, Iterator
from typing import Any

from .. import diffing
from ..errors import IntegrityError, TrackerError, UsageError
from ..records import Event, Version
from ..store import BREAKS, GENESIS, Store, copy_record, event_hash, sha256, text_sha256
from .common import reading
from .read import find_document


@dataclass(frozen=True)
class Broken:
    """One thing ``verify`` found wrong: the record, what is wrong with it, and what it makes wrong."""

    record: str
    problem: str
    breaks: str

    def __str__(self) -> str:
        return f"{self.record}: {self.problem}"


@reading
def verify(store: Store, *, full: bool = False, since_head: str | None = None) -> dict[str, Any]:
    """Prove the record: SQLite's own check of the file, the event chain and its head (and a head
    written down earlier, ``since_head``), every record against the digest its last event committed,
    every blob and version text by hash (patches replayed), and the search index rebuilt and compared.

    ``full`` runs SQLite's ``integrity_check`` rather than its ``quick_check``.
    """
    given = _parse_head(since_head) if since_head else None  # a malformed head is a usage error
    broken: list[Broken] = []
    counts = {"blobs": 0, "versions": 0, "events": 0, "records": 0}
    for problem in store.sqlite_check(full):
        broken.append(Broken("database file", problem, "every answer read from the file"))
    texts: dict[int, str] = {}
    steps = (
        lambda: _verify_trail(store, given, counts),
        lambda: _verify_texts(store, counts, texts),
        lambda: _verify_search(store, texts),
    )
    for step in steps:
        try:
            broken += step()
        except TrackerError as exc:  # a damaged file can fail a read half-way: say so and go on
            broken.append(Broken("database file", str(exc), "every answer read from the file"))
    head = store.chain_head()
    return {
        "ok": not broken,
        **counts,
        "head": format_head(head),
        "problems": [str(b) for b in broken],
        "first": dataclasses.asdict(broken[0]) if broken else None,
        "broken": [dataclasses.asdict(b) for b in broken],
    }


def copy(source: Store, dest: Store) -> dict[str, Any]:
    """Copy the whole record of ``source`` into ``dest`` (an empty database, of either backend):
    every row as stored, so the chain's head is the same on both ends, and the search index made
    there from the texts the versions hold; what was copied, by table, and that head."""
    def texts():
        problems: list[str] = []
        indexed = indexed_texts(source, _each_text(source), problems)
        if problems:
            raise IntegrityError(f"the record does not verify ({problems[0]}); run 'tracker verify'")
        return [(i, heading, text) for i, (text, heading) in sorted(indexed.items())]

    copied = copy_record(source, dest, texts)
    head, theirs = source.chain_head(), dest.chain_head()
    if head != theirs:
        raise TrackerError(f"the copy's chain head {format_head(theirs)} is not the source's {format_head(head)}")
    return {"to": str(dest.path), "copied": copied, "head": format_head(head)}


def _each_text(store: Store) -> Iterator[tuple[Version, str]]:
    """Every version with its text, a document at a time (each read from its parent's, when it can be)."""
    by_document: dict[int, list[Version]] = {}
    for v in store.all_versions():
        by_document.setdefault(v.document_id, []).append(v)
    for versions in by_document.values():
        known: dict[int, str] = {}
        for v in versions:
            known[v.id] = store.version_text(v, known)
            yield v, known[v.id]


def format_head(head: tuple[int, str] | None) -> str:
    """The chain's head as a user writes it down: ``EVENT:HASH`` (``0:000...`` before the first event)."""
    event_id, digest = head or (0, GENESIS)
    return f"{event_id}:{digest}"


def _parse_head(text: str) -> tuple[int, str]:
    m = re.fullmatch(r"\s*(\d{1,18}):([0-9a-f]{64})\s*", text or "")
    if not m:
        raise UsageError(f"not a chain head (give EVENT:HASH as 'tracker verify --head' prints it): {text!r}")
    return int(m.group(1)), m.group(2)


def _verify_trail(store: Store, given: tuple[int, str] | None, counts: dict[str, int]) -> list[Broken]:
    """The chain of events, its recorded head, a head written down before (``given``), and every
    record against the digest the last event that wrote it committed."""
    events = store.events()
    counts["events"] = len(events)
    broken = _verify_chain(events)
    head = store.chain_head()
    last = (events[-1].id, events[-1].hash) if events else None
    if head != last:
        broken.append(Broken("chain head", f"the trail ends at {format_head(last)} but its head records "
                             f"{format_head(head)}: events were cut off, added or rewritten",
                             "log, and the proof of every record"))
    if given is not None:
        found = next((e for e in events if e.id == given[0]), None)
        if given[0] and (found is None or found.hash != given[1]):
            what = "is gone: the trail was cut" if found is None else "has another hash: the trail before it was rewritten"
            broken.append(Broken(f"event {given[0]}", f"the head given ({format_head(given)}) {what}",
                                 "every answer recorded before that head"))
    committed: dict[str, tuple[str | None, int]] = {}
    for e in events:
        for name, digest in e.committed().items():
            committed[name] = (digest, e.id)
    stored = dict(store.all_record_digests())
    counts["records"] = len(stored)
    for name, digest in stored.items():
        if name not in committed:
            broken.append(_record(name, "is committed by no event (written by hand, or its event removed)"))
        elif committed[name][0] != digest:
            broken.append(_record(name, f"differs from what event {committed[name][1]} committed (changed by hand)"))
    for name, (digest, event_id) in committed.items():
        if digest is not None and name not in stored:
            broken.append(_record(name, f"is missing (committed by event {event_id}; removed by hand)"))
    for e in events:
        if e.command == "migrate":
            for name in json.loads(e.inputs).get("unproved", []):
                broken.append(_record(name, f"was not as its event had committed when event {e.id} upgraded "
                                            "the database (changed by hand before the upgrade)"))
    return broken


def _record(name: str, problem: str) -> Broken:
    return Broken(name, problem, BREAKS[name.split("/")[0]])


def _verify_texts(store: Store, counts: dict[str, int], texts: dict[int, str]) -> list[Broken]:
    """Every blob re-hashed, every filing's bytes present, every version's text rebuilt and replayed
    (into ``texts``, by version id, those whose hash holds)."""
    problems: list[str] = []
    for digest, data in store.iter_blobs():
        counts["blobs"] += 1
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
    counts["versions"] = len(versions)
    problems += _verify_versions(store, versions, texts)
    return [Broken(p.split(":")[0], p.split(": ", 1)[1], "show, diff, blame and search of the texts it holds")
            for p in problems]


def _verify_versions(store: Store, versions: list[Version], texts: dict[int, str]) -> list[str]:
    """Each version's text rebuilt from its snapshot or its parent's text and delta, checked by hash
    (kept in ``texts``), and its audit patch replayed from the parent."""
    problems: list[str] = []
    by_id = {v.id: v for v in versions}
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


def _verify_search(store: Store, texts: dict[int, str]) -> list[Broken]:
    """The search index and its keys against the texts the versions' block maps name: each block's
    text and heading path read from its version's text (as a search hit's are), every key the hash
    of its text, and the index rebuilt from those texts and compared."""
    problems: list[str] = []
    # a version whose text is not in ``texts`` is reported broken already
    indexed = indexed_texts(store, ((v, texts[v.id]) for v in store.all_versions() if v.id in texts), problems)
    problems += store.block_text_problems(indexed) + store.search_index_problems(indexed)
    return [Broken("search index", p, "search") for p in problems]


def indexed_texts(store: Store, read: Iterable[tuple[Version, str]], problems: list[str]) -> dict[int, tuple[str, str]]:
    """The (text, heading path) of each indexed text, by its id, as the versions' block maps place
    them in the versions' texts (``read``: each version with its text); what does not hold goes
    into ``problems``."""
    from .common import segmented

    indexed: dict[int, tuple[str, str]] = {}
    for v, text in read:
        blocks = store.version_blocks(v.id)
        if not blocks:
            continue
        seg = segmented(store, v, text)
        for text_id, _page, _kind, index in blocks:
            if not 0 <= index < len(seg.blocks):
                problems.append(f"version {v.id}: its block map names block {index}, which its text has not")
                continue
            b = seg.blocks[index]
            found = (seg.text[b.start:b.end], " > ".join(b.heading))
            if indexed.setdefault(text_id, found) != found:
                problems.append(f"block text {text_id}: versions hold different texts under it")
    return indexed


def _verify_chain(events: list[Event]) -> list[Broken]:
    """Each event's hash, and its link to the one before; events numbered from 1 without a gap."""
    broken = []
    prev, number = GENESIS, 1
    for e in events:
        where = f"event {e.id}"
        breaks = "log, and the proof of every record it and the events after it commit"
        if e.prev_hash != prev:
            broken.append(Broken(where, "chain broken (previous hash does not match)", breaks))
        elif e.id != number:
            broken.append(Broken(where, f"numbered {e.id} where {number} was expected (events removed or moved)",
                                 breaks))
        if event_hash(e) != e.hash:
            broken.append(Broken(where, "hash mismatch (event altered)", breaks))
        prev, number = e.hash, e.id + 1
    return broken


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
