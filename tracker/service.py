"""The use cases: ingest, link and apply amendments, read as of a date, outline, review, verify.

Each public function takes a ``Store`` and plain values and returns plain values (dicts and
dataclasses) for ``render`` to print. Every write happens inside one ``store.transaction()`` and adds
one event to the audit trail.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import diffing, history

# edgar, instructions, locate and segment compile some 200 regular expressions when imported;
# they are imported where they are used, so that reading commands (show, history) start faster.
from .errors import AmbiguousKey, InputError, IntegrityError, NeedsReview, NotFound, TrackerError, UsageError
from .store import GENESIS, Store, block_key, compress, event_hash, sha256, text_sha256

if TYPE_CHECKING:  # models and structure cost 25 ms of dataclass set-up; reading needs neither
    from .models import Amendment, Instruction, Metadata

MAX_FILE_BYTES = 100 * 1024 * 1024
TEXTUAL_OK = {"applied", "notice"}


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
    """The current date in UTC (the recorded date of what is ingested now)."""
    return dt.datetime.now(dt.timezone.utc).date()


# --- ingest ----------------------------------------------------------------------------------


@dataclass
class IngestResult:
    """What one file's ingest did."""

    path: str
    status: str  # "new" | "skipped" | "failed"
    filing_id: int | None = None
    documents: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The result as plain JSON values."""
        return {
            "path": self.path,
            "status": self.status,
            "filing_id": self.filing_id,
            "documents": self.documents,
            "error": self.error,
        }


@dataclass
class IngestReport:
    results: list[IngestResult] = field(default_factory=list)
    applied: list[dict[str, Any]] = field(default_factory=list)
    # amendments of the filings named (or applied) by this ingest that wait for a reviewer
    needs_review: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failed(self) -> list[IngestResult]:
        return [r for r in self.results if r.status == "failed"]

    def to_json(self) -> dict[str, Any]:
        """The result as plain JSON values."""
        return {
            "files": [r.to_json() for r in self.results],
            "amendments": self.applied,
            "needs_review": self.needs_review,
            "new": sum(r.status == "new" for r in self.results),
            "skipped": sum(r.status == "skipped" for r in self.results),
            "failed": len(self.failed),
        }


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files named, and the files under directories named (sorted, hidden ones skipped)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"no such file or directory: {path}")
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.suffix.lower() not in {".md", ".json"}
            )
            if not found:
                raise InputError(f"no filings in directory: {path}")
            out.extend(found)
        else:
            out.append(path)
    return out


def load_filing_bytes(path: Path) -> bytes:
    """Read one file for ingest, refusing what cannot be a filing before reading it whole."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if size == 0:
        raise InputError(f"{path}: empty file")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {size} bytes is larger than the {MAX_FILE_BYTES} byte limit")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def ingest(
    store: Store,
    paths: Sequence[str | Path],
    *,
    amends: str | None = None,
    date: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    workers: int = 1,
) -> IngestReport:
    """Ingest files and directories; then link and apply any amendment that can be applied.

    Each filing is one transaction, written by this process; with ``workers`` > 1, reading,
    classifying, segmenting and parsing run in that many worker processes. What is stored already
    (same bytes) is skipped by hash without being parsed. A bad file is reported and the others go on.
    With ``amends`` every file is an amendment of that document, whatever its classification;
    ``date`` is the effective date of any document that has none of its own (see ``own_date``).
    """
    own = store.own_files()
    files = [f for f in expand_paths(paths) if f.resolve() not in own]
    target = resolve_document(store, amends) if amends else None
    report = IngestReport()

    def record(i: int, path: Path, outcome: "Prepared | IngestResult | TrackerError") -> None:
        if isinstance(outcome, Prepared):
            try:
                outcome = store_prepared(store, outcome, amends_document=target, date=date)
            except TrackerError as exc:
                outcome = exc
        if isinstance(outcome, IngestResult) and outcome.status == "skipped" and target is not None:
            try:
                amend_stored(store, outcome.filing_id, target, date)
            except TrackerError as exc:
                outcome = exc
        if isinstance(outcome, TrackerError):
            message = str(outcome)
            if not message.startswith(str(path)):
                message = f"{path}: {message}"
            outcome = IngestResult(path=str(path), status="failed", error=message)
        outcome.path = str(path)
        report.results.append(outcome)
        if progress:
            progress(i + 1, len(files), str(path))

    todo: list[tuple[int, Path, bytes]] = []
    for i, path in enumerate(files):
        try:
            data = load_filing_bytes(path)
        except TrackerError as exc:
            record(i, path, exc)
            continue
        done = _already_stored(store, sha256(data))
        if done:
            record(i, path, done)
        else:
            todo.append((i, path, data))
    if workers > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers, initializer=_exit_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            futures = [(i, path, pool.submit(_prepare_quietly, data, path.name, target is not None))
                       for i, path, data in todo]
            for i, path, future in futures:
                record(i, path, future.result())
    else:
        for i, path, data in todo:
            record(i, path, _prepare_quietly(data, path.name, target is not None))
    report.results.sort(key=lambda r: files.index(Path(r.path)) if Path(r.path) in files else 0)
    report.applied = link_and_apply_pending(store)
    ids = {r.filing_id for r in report.results} | {a["filing_id"] for a in report.applied}
    report.needs_review = needing_review(store, ids)
    return report


@dataclass
class PreparedDocument:
    raw: Any
    meta: Metadata
    passages: list[dict[str, Any]]
    amendment: Amendment | None
    text_sha256: str
    # The text as a slice of the filing's own text (start, end) when it is one, which costs no
    # storage; else the text compressed (in the worker, not in the one writer).
    text_slice: tuple[int, int] | None
    text_blob: bytes | None
    structure: bytes  # its segmentation, packed (see ``structure``)


@dataclass
class Prepared:
    """A filing read, classified, segmented and parsed: everything but the writing."""

    digest: str
    data: bytes
    source_name: str
    parsed: Any
    documents: list[PreparedDocument]
    blob: bytes  # ``data`` compressed


def prepare(data: bytes, source_name: str, *, amends: bool = False,
            given: Amendment | None = None) -> Prepared:
    """Read, classify, segment and parse one filing's bytes (pure; safe in a worker process).

    The amending document (see ``amending_index``) is parsed into instructions, or takes the
    ``given`` ones; with ``amends`` (the user named what the filing amends) it is recorded as a
    sticker whatever the classifier thought.
    """
    import dataclasses

    from . import instructions, read, structure

    parsed = read.read_filing(data)
    whole = read.filing_text(data)
    metas = [read.classify(raw, parsed.header) for raw in parsed.documents]
    amending = amending_index([m.kind for m in metas], amends or given is not None)
    documents = []
    for i, (raw, meta) in enumerate(zip(parsed.documents, metas)):
        amendment = None
        if i == amending:
            meta = dataclasses.replace(meta, kind="sticker")
            amendment = given if given is not None else instructions.parse_amendment(raw.text)
        seg = segment(raw.text)
        digest = text_sha256(raw.text)
        passages = [{**p, "key": block_key(p["text"], p["heading"])} for p in _passages(seg)]
        at = whole.find(raw.text) if raw.text else -1
        where = (at, at + len(raw.text)) if at >= 0 else None
        text_blob = None if where else compress(raw.text.encode("utf-8"))
        documents.append(
            PreparedDocument(raw, meta, passages, amendment, digest, where, text_blob, structure.pack(seg, digest))
        )
    return Prepared(sha256(data), data, source_name, parsed, documents, compress(data))


def _exit_with_parent(parent: int) -> None:
    """In a worker: end when the ingesting process is gone (killed), instead of lingering."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def amending_index(kinds: Sequence[str], amends: bool) -> int | None:
    """Which document of a filing holds its instructions: the first sticker; else, when the user
    says the filing amends a document, its first document; else none."""
    if "sticker" in kinds:
        return list(kinds).index("sticker")
    return 0 if amends and kinds else None


def _prepare_quietly(data: bytes, source_name: str, amends: bool = False) -> "Prepared | TrackerError":
    try:
        return prepare(data, source_name, amends=amends)
    except TrackerError as exc:
        return exc


def _already_stored(store: Store, digest: str) -> IngestResult | None:
    existing = store.row("SELECT id FROM filings WHERE sha256 = ?", [digest])
    if not existing:
        return None
    docs = store.rows(
        "SELECT id, key, kind FROM documents WHERE filing_id = ? ORDER BY sequence", [existing["id"]]
    )
    return IngestResult(path="", status="skipped", filing_id=existing["id"], documents=docs)


def ingest_bytes(
    store: Store,
    data: bytes,
    *,
    source_name: str,
    amends_document: dict[str, Any] | None = None,
    ingested_on: dt.date | None = None,
    date: dt.date | None = None,
    given: Amendment | None = None,
) -> IngestResult:
    """Store one filing's bytes, its documents and their first versions, in one transaction.

    ``amends_document``, ``date`` and ``given`` as for ``ingest`` and ``prepare``; a filing stored
    before is made an amendment of ``amends_document`` if it is not one yet.
    """
    result = _already_stored(store, sha256(data))
    if result:
        result.path = source_name
    else:
        prepared = prepare(data, source_name, amends=amends_document is not None, given=given)
        result = store_prepared(store, prepared, amends_document=amends_document, ingested_on=ingested_on,
                                date=date)
    if result.status == "skipped" and amends_document is not None:
        amend_stored(store, result.filing_id, amends_document, date)
    return result


def store_prepared(
    store: Store,
    prepared: Prepared,
    *,
    amends_document: dict[str, Any] | None = None,
    ingested_on: dt.date | None = None,
    date: dt.date | None = None,
) -> IngestResult:
    """Write a prepared filing: raw bytes, documents, first versions, amendments, one event.

    Refused before anything is written: a document that can be amended, or an amendment, with no
    date of its own and no ``date`` given; a filing said to amend a document that holds no instruction.
    """
    done = _already_stored(store, prepared.digest)
    if done:
        done.path = prepared.source_name
        return done
    header = prepared.parsed.header
    found = header.accession and store.row(
        "SELECT id FROM filings WHERE accession = ?", [header.accession]
    )
    if found:
        # the same submission in other bytes (re-downloaded, re-encoded): already stored
        return IngestResult(path=prepared.source_name, status="skipped", filing_id=found["id"])
    recorded = header.filed or ingested_on or today()
    source_name = prepared.source_name
    effective = [
        own_date(doc.meta, header, date, amending=doc.amendment is not None) or recorded
        for doc in prepared.documents
    ]
    if amends_document is not None:
        _check_instructions(prepared, amends_document)
    with store.transaction():
        # another process may have stored the same filing since the check above
        done = _already_stored(store, prepared.digest)
        if done:
            done.path = source_name
            return done
        store.put_blob(prepared.data, compressed=prepared.blob)
        filing_id = store.insert(
            "filings",
            {
                "sha256": prepared.digest,
                "accession": header.accession,
                "source_name": source_name,
                "format": prepared.parsed.format,
                "encoding": prepared.parsed.encoding,
                "form_type": header.form_type,
                "filed_date": header.filed,
                "recorded_date": recorded,
                "company": header.company,
                "cik": header.cik,
                "ingested_at": _now(),
            },
        )
        docs_out = []
        for seq, (doc, doc_effective) in enumerate(zip(prepared.documents, effective), start=1):
            raw, meta = doc.raw, doc.meta
            doc_id, key = _insert_document(store, filing_id, seq, raw, meta, source_name)
            if doc.text_slice is not None:
                text_digest = doc.text_sha256
                store.put_text_slice(text_digest, prepared.digest, *doc.text_slice)
            else:
                text_digest = store.put_blob(raw.text.encode("utf-8"), compressed=doc.text_blob)
            version_id = store.insert(
                "versions",
                {
                    "document_id": doc_id,
                    "number": 1,
                    "parent_id": None,
                    "filing_id": filing_id,
                    "effective_date": doc_effective,
                    "recorded_date": recorded,
                    "text_sha256": text_digest,
                    "snapshot": 1,
                    "delta": None,
                    "patch": None,
                    "partial": 0,
                    "created_at": _now(),
                },
            )
            store.index_passages(version_id, doc.passages)
            store.put_structure(version_id, doc.structure)
            docs_out.append({"id": doc_id, "key": key, "kind": meta.kind, "version_id": version_id})
            if doc.amendment is not None:
                _record_amendment(store, filing_id, doc_id, doc.amendment, amends_document)
        store.add_event(
            "ingest",
            {"source": source_name, "sha256": prepared.digest},
            {"filing_id": filing_id, "documents": docs_out},
            actor(),
        )
    return IngestResult(path=source_name, status="new", filing_id=filing_id, documents=docs_out)


def _insert_document(
    store: Store, filing_id: int, seq: int, raw, meta: Metadata, source_name: str
) -> tuple[int, str]:
    key = _unique_key(store, document_key(meta, source_name))
    doc_id = store.insert(
        "documents",
        {
            "filing_id": filing_id,
            "sequence": seq,
            "key": key,
            "kind": meta.kind,
            "title": meta.title,
            "registrant": meta.registrant,
            "series": meta.series,
            "file_number": meta.file_number,
            "irs_ein": meta.irs_ein,
            "form_type": meta.form_type or raw.type,
            "document_date": meta.document_date,
            "report_date": meta.report_date,
            "signature_date": meta.signature_date,
            "amends_supplement_date": meta.amends_supplement_date,
            "preliminary": int(meta.preliminary),
            "amends_kind": meta.amends_kind,
            "amends_prospectus_date": meta.amends_prospectus_date,
            "amount": meta.amount,
            "exhibit": meta.exhibit,
        },
    )
    return doc_id, key


_KIND_SLUG = {
    "prospectus": "prospectus",
    "prospectus_supplement": "prospectus-supplement",
    "sticker": "sticker",
    "8-K": "8-k",
    "exhibit": "exhibit",
    "other": "document",
}


def document_key(meta: Metadata, source_name: str) -> str:
    """A short key a user can type: ``2003-HE3/prospectus-supplement``, ``2003-HE3/sticker-2004-01-09``."""
    if meta.series:
        prefix = meta.series
    elif meta.registrant:
        prefix = re.sub(r"[^a-z0-9]+", "-", meta.registrant.lower()).strip("-")[:30]
    else:
        prefix = re.sub(r"[^A-Za-z0-9]+", "-", Path(source_name).stem).strip("-")[:30] or "doc"
    slug = _KIND_SLUG[meta.kind]
    if meta.preliminary and meta.kind in ("prospectus", "prospectus_supplement"):
        slug = f"preliminary-{slug}"
    if meta.kind == "exhibit" and meta.exhibit:
        slug = f"exhibit-{meta.exhibit}"
    elif meta.kind in ("sticker", "8-K", "other"):
        when = meta.document_date or meta.report_date or meta.signature_date
        if when:
            slug = f"{slug}-{when.isoformat()}"
    return f"{prefix}/{slug}"


def _unique_key(store: Store, key: str) -> str:
    candidate, n = key, 1
    while store.row("SELECT 1 AS x FROM documents WHERE key = ?", [candidate]):
        n += 1
        candidate = f"{key}-{n}"
    return candidate


# Kinds of document that stickers amend: an original of these must be dated, or amendments could
# be placed before it.
AMENDABLE = ("prospectus", "prospectus_supplement", "preliminary_prospectus")


def own_date(meta: Metadata, header, date: dt.date | None, *, amending: bool) -> dt.date | None:
    """The effective date of a document's original version: its own date (on the document, else the
    EDGAR filing date), else the ``date`` the user gave; None when it has neither and may be
    dated by its recording. A document that can be amended, or an amendment, with neither is refused:
    the day of ingest would put it in force on a day it was not.
    """
    found = meta.document_date or meta.report_date or meta.signature_date or header.filed or date
    if found is None and (amending or meta.kind in AMENDABLE):
        what = "amendment" if amending else meta.kind.replace("_", " ")
        raise InputError(f"the {what} has no date of its own (none in its text, no EDGAR filing date); "
                         "give its effective date with --date YYYY-MM-DD")
    return found


def _check_instructions(prepared: Prepared, target: dict[str, Any]) -> None:
    """A filing said to amend ``target`` must hold at least one instruction or notice."""
    for doc in prepared.documents:
        if doc.amendment is not None and (doc.amendment.instructions or doc.amendment.notices):
            return
    raise InputError(f"no amending instruction found, so it cannot amend {target['key']}")


def amend_stored(store: Store, filing_id: int, target: dict[str, Any], date: dt.date | None = None) -> None:
    """Make a filing stored before an amendment of ``target`` (``ingest --amends`` on a filing
    already stored): link its pending amendment, or parse its first document into one. One transaction."""
    row = store.row("SELECT * FROM amendments WHERE filing_id = ?", [filing_id])
    if row is not None and row["target_document_id"] == target["id"]:
        return
    if row is not None and row["target_document_id"] is not None:
        other = store.row("SELECT key FROM documents WHERE id = ?", [row["target_document_id"]])
        raise InputError(f"filing {filing_id} already amends {other['key']}, not {target['key']}")
    if target["filing_id"] == filing_id:
        raise InputError(f"filing {filing_id} holds {target['key']} itself and cannot amend it")
    with store.transaction():
        if row is not None:
            store.update("amendments", filing_id, {"target_document_id": target["id"], "linked_by": "--amends"},
                         key="filing_id")
        else:
            _record_stored_amendment(store, filing_id, target, date)
        store.add_event("ingest", {"filing_id": filing_id, "amends": target["key"]},
                        {"filing_id": filing_id, "target_document_id": target["id"]}, actor())


def _record_stored_amendment(store: Store, filing_id: int, target: dict[str, Any], date: dt.date | None) -> None:
    """Parse a stored filing's amending document and record it as an amendment of ``target``."""
    from . import instructions

    docs = store.rows("SELECT * FROM documents WHERE filing_id = ? ORDER BY sequence", [filing_id])
    doc = docs[amending_index([d["kind"] for d in docs], True)]
    filing = store.row("SELECT * FROM filings WHERE id = ?", [filing_id])
    original = document_versions(store, doc["id"])[0]
    amendment = instructions.parse_amendment(version_text(store, original))
    if not (amendment.instructions or amendment.notices):
        raise InputError(f"filing {filing_id} ({doc['key']}): no amending instruction found, "
                         f"so it cannot amend {target['key']}")
    dated = (doc["document_date"] or doc["report_date"] or doc["signature_date"] or filing["filed_date"]
             or original["effective_date"] != filing["recorded_date"])  # or dated by --date then
    if not dated:
        if date is None:
            raise InputError(f"filing {filing_id} ({doc['key']}): the amendment has no date of its own; "
                             "give its effective date with --date YYYY-MM-DD")
        store.update("versions", original["id"], {"effective_date": date})
    store.update("documents", doc["id"], {"kind": "sticker"})
    _record_amendment(store, filing_id, doc["id"], amendment, target)


def needing_review(store: Store, filing_ids) -> list[dict[str, Any]]:
    """The amendments among these filings that wait for a reviewer: filing, sticker, target, counts."""
    return store.rows(
        "SELECT a.filing_id, s.key AS sticker, t.key AS target, a.summary FROM amendments a "
        "JOIN documents s ON s.id = a.sticker_document_id LEFT JOIN documents t ON t.id = a.target_document_id "
        "WHERE a.state = 'needs_review' AND a.filing_id IN (SELECT value FROM json_each(?)) ORDER BY a.filing_id",
        [json.dumps(sorted(i for i in filing_ids if i is not None))],
    )


def _record_amendment(
    store: Store, filing_id: int, doc_id: int, amendment: Amendment, target: dict[str, Any] | None
) -> None:
    from .models import to_record

    store.insert(
        "amendments",
        {
            "filing_id": filing_id,
            "sticker_document_id": doc_id,
            "target_document_id": target["id"] if target else None,
            "linked_by": "--amends" if target else None,
            "state": "pending",
            "version_id": None,
            "summary": None,
        },
    )
    for ins in amendment.instructions:
        store.insert(
            "instructions",
            {
                "filing_id": filing_id,
                "n": ins.n,
                "op": ins.op,
                "target": json.dumps(to_record(ins.target), ensure_ascii=False),
                "new_text": ins.new_text,
                "source_text": ins.source_text,
                "span_start": ins.span[0],
                "span_end": ins.span[1],
                "status": "unsupported" if ins.op == "unsupported" else "pending",
                "reason": ins.reason,
                "record": json.dumps(to_record(ins), ensure_ascii=False),
            },
        )
    for notice in amendment.notices:
        store.insert(
            "notices",
            {"filing_id": filing_id, "n": notice.n, "text": notice.text, "version_id": None,
             "record": json.dumps(to_record(notice), ensure_ascii=False)},
        )


# --- linking and applying --------------------------------------------------------------------


# What a sticker's cover says it amends, and the stored kinds that can be that document
_AMENDABLE = {
    "preliminary_prospectus": (("prospectus", "prospectus_supplement"), "preliminary prospectus"),
    "preliminary_prospectus_supplement": (("prospectus_supplement",), "preliminary prospectus supplement"),
    "prospectus": (("prospectus",), "prospectus"),
}


def _date_of(store: Store, document: dict[str, Any]) -> str | None:
    """A document's own date, or, when it prints none, the date its first version was given at ingest."""
    if document["document_date"]:
        return document["document_date"]
    first = store.row("SELECT effective_date FROM versions WHERE document_id = ? AND number = 1", [document["id"]])
    return first["effective_date"] if first else None


def link_target(store: Store, sticker: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """The document a sticker amends: same series, the kind its cover names ("to Preliminary Prospectus",
    "to Prospectus Supplement"), and the date it gives."""
    if not sticker.get("series"):
        return None, "the sticker names no series"
    kinds, what = _AMENDABLE.get(sticker.get("amends_kind") or "", (("prospectus_supplement",), "prospectus supplement"))
    rows = store.rows(
        f"SELECT * FROM documents WHERE kind IN ({', '.join('?' * len(kinds))}) AND series = ? ORDER BY id",
        [*kinds, sticker["series"]],
    )
    if (sticker.get("amends_kind") or "").startswith("preliminary"):
        rows = [r for r in rows if r.get("preliminary")] or rows
    if sticker.get("amends_supplement_date"):
        dated = [r for r in rows if _date_of(store, r) == sticker["amends_supplement_date"]]
        if len(dated) == 1:
            return dated[0], "series and date"
        if not dated:
            return None, (
                f"no {what} of series {sticker['series']} dated {sticker['amends_supplement_date']} is stored"
            )
        rows = dated
    if len(rows) == 1:
        return rows[0], "series"
    if not rows:
        return None, f"no {what} of series {sticker['series']} is stored"
    return None, f"{len(rows)} {what}s of series {sticker['series']} match"


def link_and_apply_pending(store: Store) -> list[dict[str, Any]]:
    """Link every pending amendment to its target and apply those that link; report each."""
    out = []
    for row in store.rows("SELECT * FROM amendments WHERE state = 'pending' ORDER BY filing_id"):
        sticker = store.row("SELECT * FROM documents WHERE id = ?", [row["sticker_document_id"]])
        if row["target_document_id"] is None:
            target, how = link_target(store, sticker)
            if target is None:
                store.update("amendments", row["filing_id"], {"summary": how}, key="filing_id")
                out.append({"filing_id": row["filing_id"], "state": "pending", "summary": how})
                continue
            with store.transaction():
                store.update(
                    "amendments",
                    row["filing_id"],
                    {"target_document_id": target["id"], "linked_by": how},
                    key="filing_id",
                )
        try:
            result = apply_amendment(store, row["filing_id"])
            out.append({"filing_id": row["filing_id"], "state": result.state, "summary": result.summary})
        except NeedsReview as exc:
            out.append({"filing_id": row["filing_id"], "state": "needs_review", "summary": str(exc)})
    return out


@dataclass
class ApplyResult:
    filing_id: int
    document: dict[str, Any]
    parent: dict[str, Any]
    resolutions: list[dict[str, Any]]
    state: str  # "applied" | "partial" | "needs_review" | "dry_run" | "already_applied"
    version: dict[str, Any] | None
    summary: str

    @property
    def refused(self) -> list[int]:
        """The numbers of the instructions not applied (or, in a dry run, that would not be)."""
        return [r["n"] for r in self.resolutions if r["status"] not in TEXTUAL_OK]

    def to_json(self) -> dict[str, Any]:
        """The result as plain JSON values."""
        return {
            "filing_id": self.filing_id,
            "document": self.document["key"],
            "parent_version": self.parent["number"],
            "state": self.state,
            "version": self.version["number"] if self.version else None,
            "summary": self.summary,
            "instructions": self.resolutions,
        }


def read_amendment(store: Store, filing_id: int) -> Amendment:
    """The instructions and notices of an amending filing as they were parsed, read back from the store."""
    from .models import Amendment, Instruction, Notice, from_record

    def instruction(r: dict[str, Any]) -> Instruction:
        if r.get("record"):
            return from_record(Instruction, json.loads(r["record"]))
        # A row stored before whole records were kept: its target in the answer schema's shape.
        return from_record(Instruction, {
            "n": r["n"], "op": r["op"], "target": json.loads(r["target"]), "new_text": r["new_text"],
            "source_text": r["source_text"], "span": [r["span_start"], r["span_end"]], "reason": r["reason"],
        })

    def notice(r: dict[str, Any]) -> Notice:
        if r.get("record"):
            return from_record(Notice, json.loads(r["record"]))
        return Notice(r["n"], r["text"], (0, 0))

    rows = store.rows("SELECT * FROM instructions WHERE filing_id = ? ORDER BY n", [filing_id])
    notices = store.rows("SELECT * FROM notices WHERE filing_id = ? ORDER BY n", [filing_id])
    return Amendment(tuple(instruction(r) for r in rows), tuple(notice(r) for r in notices))


def apply_amendment(
    store: Store, filing_id: int, *, partial: bool = False, dry_run: bool = False
) -> ApplyResult:
    """Resolve every instruction of one amending filing and, if all resolve, write one new version.

    Strict by default: when a textual instruction is not applied, every status is recorded, no
    version is written and ``NeedsReview`` is raised. ``partial`` writes a version marked partial.
    """
    amend = store.row("SELECT * FROM amendments WHERE filing_id = ?", [filing_id])
    if amend is None:
        raise NotFound(f"filing {filing_id} is not an amendment")
    if amend["target_document_id"] is None:
        sticker = store.row("SELECT * FROM documents WHERE id = ?", [amend["sticker_document_id"]])
        target, how = link_target(store, sticker)
        if target is None:
            raise NeedsReview(f"filing {filing_id}: cannot tell which document it amends: {how} "
                              "(use 'tracker ingest FILE --amends DOC')")
        with store.transaction():
            store.update("amendments", filing_id, {"target_document_id": target["id"], "linked_by": how},
                         key="filing_id")
        amend = store.row("SELECT * FROM amendments WHERE filing_id = ?", [filing_id])
    document = store.row("SELECT * FROM documents WHERE id = ?", [amend["target_document_id"]])
    sticker_doc = store.row("SELECT * FROM documents WHERE id = ?", [amend["sticker_document_id"]])
    filing = store.row("SELECT * FROM filings WHERE id = ?", [filing_id])
    if amend["state"] in ("applied", "partial") and amend["version_id"] and not dry_run:
        version = store.row("SELECT * FROM versions WHERE id = ?", [amend["version_id"]])
        return ApplyResult(filing_id, document, version, [], "already_applied", version,
                           f"already applied as version {version['number']}")
    versions = document_versions(store, document["id"])
    effective = _effective(store, sticker_doc)
    # The version amended is the one in force when the sticker takes effect.
    made_here = store.row("SELECT * FROM versions WHERE id = ?", [amend["version_id"]]) if amend["version_id"] else None
    if made_here is not None:
        # Explaining an applied amendment: show it against the version it amended.
        parent = next(v for v in versions if v["id"] == made_here["parent_id"])
    else:
        eligible = [
            v for v in versions if v["effective_date"] <= effective and v["filing_id"] != filing_id
        ] or versions[:1]
        parent = max(eligible, key=history.order_key)
    text = version_text(store, parent)
    stored = stored_segmentation(store, parent, text)
    seg = stored if stored is not None else segment(text)
    amendment = read_amendment(store, filing_id)
    overrides = {
        d["n"]: (d["start"], d["end"])
        for d in store.rows("SELECT * FROM decisions WHERE filing_id = ?", [filing_id])
    }
    from . import locate

    early = None
    if made_here is None and effective < versions[0]["effective_date"]:
        early = (f"the amendment is dated {effective}, before {document['key']} "
                 f"(effective {versions[0]['effective_date']})")
        resolutions = _refuse_all(amendment, early)
    else:
        resolutions = locate.resolve_amendment(amendment, seg, overrides)
    res_json = [_resolution_json(r, seg, ins) for r, ins in zip(resolutions, amendment.instructions)]
    failing = [r for r in resolutions if r.status not in TEXTUAL_OK]
    applied = [r for r in resolutions if r.status == "applied"]
    counts = _count(resolutions)
    if dry_run:
        return ApplyResult(filing_id, document, parent, res_json, "dry_run", None, counts)
    write_version = (not failing or partial) and (applied or amendment.notices) and not early
    with store.transaction():
        # Another process may have applied this filing, or amended the document, since the reads
        # above: re-check inside the write lock rather than build on a stale parent.
        now = store.row("SELECT state, version_id FROM amendments WHERE filing_id = ?", [filing_id])
        if now["state"] in ("applied", "partial") and now["version_id"]:
            version = store.row("SELECT * FROM versions WHERE id = ?", [now["version_id"]])
            return ApplyResult(filing_id, document, version, [], "already_applied", version,
                               f"already applied as version {version['number']}")
        if made_here is None:
            fresh = [v for v in document_versions(store, document["id"])
                     if v["effective_date"] <= effective and v["filing_id"] != filing_id]
            if fresh and max(fresh, key=history.order_key)["id"] != parent["id"]:
                raise TrackerError(f"{document['key']} changed while filing {filing_id} was being applied; run again")
        version = None
        if write_version:
            version = _write_version(
                store, document, parent, filing, text, diffing.resolution_edits(resolutions), effective, partial=bool(failing),
                parent_seg=stored,
            )
        for r, rj in zip(resolutions, res_json):
            store.conn.execute(
                "UPDATE instructions SET status = ?, confidence = ?, start = ?, end = ?, replacement = ?, "
                "pieces = ?, candidates = ?, reason = ?, version_id = ? WHERE filing_id = ? AND n = ?",
                [
                    r.status,
                    r.confidence,
                    r.start,
                    r.end,
                    r.replacement,
                    json.dumps([[e.start, e.end, e.new] for e in r.pieces], ensure_ascii=False) if r.pieces else None,
                    json.dumps(rj["candidates"], ensure_ascii=False),
                    r.reason,
                    version["id"] if version and r.status == "applied" else None,
                    filing_id,
                    r.n,
                ],
            )
        rebased: list[int] = []
        if version:
            store.conn.execute(
                "UPDATE notices SET version_id = ? WHERE filing_id = ?", [version["id"], filing_id]
            )
            rebased = _rebase_later(store, document, version, filing)
        if early or (failing and not partial):
            state = "needs_review"
        else:
            state = "partial" if failing else "applied"
        summary = f"{counts}: {early}" if early else counts
        if version:
            summary += f"; version {version['number']} written"
        store.update(
            "amendments",
            filing_id,
            {"state": state, "version_id": version["id"] if version else None, "summary": summary},
            key="filing_id",
        )
        store.add_event(
            "apply",
            {"filing_id": filing_id, "document": document["key"], "parent_sha256": parent["text_sha256"],
             "partial": partial},
            {"state": state, "version": version["number"] if version else None,
             "text_sha256": version["text_sha256"] if version else None, "rebased": rebased,
             "statuses": {str(r.n): r.status for r in resolutions}},
            actor(),
        )
    result = ApplyResult(filing_id, document, parent, res_json, state, version, summary)
    if state == "needs_review":
        then = "" if early else f", then 'tracker resolve' or 'tracker apply {filing_id} --partial'"
        raise NeedsReview(
            f"filing {filing_id} on {document['key']}: {summary}; no version written "
            f"(see 'tracker explain {filing_id}'{then})"
        )
    return result


def _effective(store: Store, sticker: dict[str, Any]) -> str:
    """The date an amendment takes effect: the effective date of its own document's original version."""
    return store.row("SELECT effective_date FROM versions WHERE document_id = ? AND number = 1",
                     [sticker["id"]])["effective_date"]


def _refuse_all(amendment: Amendment, reason: str) -> list:
    """Every instruction refused for one reason (recorded as a conflict), none applied."""
    from .models import Resolution

    return [Resolution(ins.n, "conflict", 0.0, reason=reason) for ins in amendment.instructions]


def _rebase_later(store: Store, document, version, filing) -> list[int]:
    """Re-apply amendments effective after ``version`` on top of it; return the new version numbers.

    A correction filed late but effective earlier must also show in every later date's text, so
    each later amendment is applied again on the corrected text, as a version recorded when the
    correction became known. A later amendment that no longer resolves stops the rebase (its old
    version stays, and the currency statement of later dates lists the correction as later).
    """
    later = store.rows(
        "SELECT a.filing_id, a.sticker_document_id, f.recorded_date, COALESCE(f.accession, f.sha256) AS accession "
        "FROM amendments a JOIN documents d ON d.id = a.sticker_document_id JOIN filings f ON f.id = a.filing_id "
        "JOIN versions v ON v.id = a.version_id "
        "WHERE a.target_document_id = ? AND a.state IN ('applied', 'partial') AND a.filing_id != ? "
        "AND v.effective_date > ? ORDER BY v.effective_date, f.recorded_date, accession",
        [document["id"], filing["id"], version["effective_date"]],
    )
    head, made = version, []
    for a in later:
        text = version_text(store, head)
        amendment = read_amendment(store, a["filing_id"])
        from . import locate

        resolutions = locate.resolve_amendment(amendment, segmented(store, head, text))
        if any(r.status not in TEXTUAL_OK for r in resolutions):
            store.update("amendments", a["filing_id"], {"summary": f"could not be re-applied after filing {filing['id']}"},
                         key="filing_id")
            break
        later_filing = store.row("SELECT * FROM filings WHERE id = ?", [a["filing_id"]])
        recorded = max(later_filing["recorded_date"], filing["recorded_date"])
        head = _write_version(
            store, document, head, {**later_filing, "recorded_date": recorded}, text, diffing.resolution_edits(resolutions),
            _effective(store, store.row("SELECT * FROM documents WHERE id = ?", [a["sticker_document_id"]])),
            partial=False,
        )
        made.append(head["number"])
    return made


def _count(resolutions) -> str:
    by: dict[str, int] = {}
    for r in resolutions:
        by[r.status] = by.get(r.status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(by.items())) or "no instructions"


def segment(text: str):
    """``segment.segment``, imported on first use."""
    from .segment import segment as run

    return run(text)


SNAPSHOT_EVERY = 32


def version_text(store: Store, version: dict[str, Any], known: dict[int, str] | None = None) -> str:
    """A version's full text: its stored snapshot, or the nearest snapshot above it plus exact deltas.

    ``known`` maps version ids to texts already read: an ancestor found there is used instead of
    the snapshot (a diff of a version against its own ancestor inflates one snapshot, not two).
    """
    known = known or {}
    if version["id"] in known:
        return known[version["id"]]
    chain = []
    v = version
    if not v["snapshot"]:
        # The ancestors up to the nearest snapshot, in one query rather than one per version.
        above = {
            r["id"]: r
            for r in store.rows(
                "WITH RECURSIVE up(id) AS (SELECT ? UNION ALL SELECT v.parent_id FROM versions v "
                "JOIN up ON v.id = up.id WHERE v.snapshot = 0) SELECT * FROM versions WHERE id IN up",
                [v["parent_id"]],
            )
        }
        while not v["snapshot"] and v["id"] not in known:
            chain.append(v)
            v = above.get(v["parent_id"])
            if v is None:
                raise IntegrityError(f"version {chain[-1]['number']} has lost its parent")
    text = known[v["id"]] if v["id"] in known else stored_text(store, v["text_sha256"])
    return diffing.apply_edit_chain(
        text, [_delta(step) for step in reversed(chain)]
    )


def _delta(version: dict[str, Any]) -> list[tuple[int, int, str]]:
    """A version's exact edits to its parent, as stored (JSON), in the parent's offsets."""
    return [tuple(e) for e in json.loads(version["delta"])]


def stored_text(store: Store, digest: str) -> str:
    """A stored text: its own blob, or the slice of a filing's text that it is."""
    found = store.get_text_slice(digest)
    if found is None:
        return store.get_text(digest)
    from .read import filing_text

    filing, start, end = found
    return filing_text(store.get_blob(filing))[start:end]


def _write_version(
    store, document, parent, filing, parent_text, edits, effective, *, partial, parent_seg=None
) -> dict[str, Any]:
    """Store a new version made by ``edits`` (in the parent's coordinates) to ``parent_text``.

    Every SNAPSHOT_EVERY-th version keeps its whole text (compressed); the others keep only the
    exact edits to their parent, so reading any version inflates one snapshot and replays at most
    SNAPSHOT_EVERY - 1 exact deltas (never a fuzzy patch). The diff-match-patch patch to the parent
    is kept for audit.
    """
    new_text = diffing.apply_edits(parent_text, edits)
    digest = text_sha256(new_text)
    depth = 1
    v = parent
    while not v["snapshot"]:
        depth += 1
        v = store.row("SELECT * FROM versions WHERE id = ?", [v["parent_id"]])
    snapshot = depth >= SNAPSHOT_EVERY
    if snapshot:
        store.put_text(new_text)
    number = store.row(
        "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM versions WHERE document_id = ?", [document["id"]]
    )["n"]
    vid = store.insert(
        "versions",
        {
            "document_id": document["id"],
            "number": number,
            "parent_id": parent["id"],
            "filing_id": filing["id"],
            "effective_date": effective,
            "recorded_date": filing["recorded_date"],
            "text_sha256": digest,
            "snapshot": 1 if snapshot else 0,
            "delta": json.dumps([list(e) for e in sorted(edits)], ensure_ascii=False),
            "patch": diffing.patch_from_edits(parent_text, edits),
            "partial": 1 if partial else 0,
            "created_at": _now(),
        },
    )
    from . import structure

    seg = segment(new_text)
    store.put_structure(vid, structure.pack(seg, digest))
    passages = _passages(seg)
    if parent_seg is not None:
        # The parent's structure is current, so its block map was made from that very structure
        # (same transaction): a block unchanged since the parent keeps the parent's text id, and
        # only the changed blocks are hashed and looked up.
        ptext = parent_seg.text
        before = [(" > ".join(b.heading), ptext[b.start:b.end]) for b in parent_seg.blocks if b.kind in SEARCHABLE]
        ids = store.version_blocks(parent["id"])
        if len(before) == len(ids):
            known = {key: i[0] for key, i in zip(before, ids)}
            for p in passages:
                found = known.get((p["heading"], p["text"]))
                if found is not None:
                    p["id"] = found
    store.index_passages(vid, passages)
    return store.row("SELECT * FROM versions WHERE id = ?", [vid])


SEARCHABLE = ("paragraph", "definition", "bullet", "table", "heading")


def _passages(seg) -> list[dict[str, Any]]:
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


def segmented(store: Store, version: dict[str, Any], text: str | None = None):
    """A version's text segmented: its stored structure when it is current, else segmented now."""
    if text is None:
        text = version_text(store, version)
    found = stored_segmentation(store, version, text)
    return found if found is not None else segment(text)


def stored_segmentation(store: Store, version: dict[str, Any], text: str):
    """A version's stored structure when it is current (made by this segmenter, for this text), else None."""
    from . import structure

    return structure.load(store.get_structure(version["id"]), text, version["text_sha256"])


def _resolution_json(r, seg, ins: Instruction) -> dict[str, Any]:
    def where(start, end):
        if start is None:
            return None
        page = _page_at(seg, start)
        words = seg.text[start:end].split()
        return {
            "start": start,
            "end": end,
            "page": page,
            "first_words": " ".join(words[:6]),
            "last_words": " ".join(words[-6:]) if len(words) > 6 else "",
        }

    return {
        "n": r.n,
        "op": ins.op,
        "kind": ins.target.kind,
        "source_text": ins.source_text,
        "status": r.status,
        "confidence": round(r.confidence, 3),
        "span": where(r.start, r.end),
        "heading": list(r.candidates[0].heading) if r.candidates else None,
        "reason": r.reason,
        "candidates": [
            {"start": c.start, "end": c.end, "score": round(c.score, 3), "page": c.page,
             "heading": list(c.heading), "why": c.why}
            for c in r.candidates[:5]
        ],
    }


def _page_at(seg, offset: int) -> str | None:
    for page in seg.pages:
        if page.start <= offset < page.end or (offset == page.end and page is seg.pages[-1]):
            return page.label
    return None


def explain(store: Store, filing_ref: str) -> ApplyResult:
    """What applying this filing would do, instruction by instruction (writes nothing)."""
    return apply_amendment(store, resolve_filing(store, filing_ref)["id"], dry_run=True)


def record_decision(
    store: Store,
    filing_ref: str,
    n: int,
    *,
    choose: int | None = None,
    page: str | None = None,
    block: int | None = None,
    why: str | None = None,
) -> dict[str, Any]:
    """Record a reviewer's choice of target for instruction ``n`` (candidate K, or page + block)."""
    filing = resolve_filing(store, filing_ref)
    ins = store.row("SELECT * FROM instructions WHERE filing_id = ? AND n = ?", [filing["id"], n])
    if ins is None:
        raise NotFound(f"filing {filing['id']} has no instruction {n}")
    if (choose is None) == (page is None or block is None):
        raise UsageError("give either --choose K or both --page and --block")
    if choose is not None:
        result = apply_amendment(store, filing["id"], dry_run=True)
        cands = next(r for r in result.resolutions if r["n"] == n)["candidates"]
        if not 1 <= choose <= len(cands):
            raise UsageError(f"instruction {n} has {len(cands)} candidates; --choose takes 1..{len(cands)}")
        start, end = cands[choose - 1]["start"], cands[choose - 1]["end"]
    else:
        result = apply_amendment(store, filing["id"], dry_run=True)
        seg = segmented(store, result.parent)
        on_page = [b for b in seg.blocks if seg.pages[b.page].label == page]
        if not on_page:
            raise NotFound(f"page {page} is not in {result.document['key']}")
        if not 1 <= block <= len(on_page):
            raise UsageError(f"page {page} has {len(on_page)} blocks; --block takes 1..{len(on_page)}")
        start, end = on_page[block - 1].start, on_page[block - 1].end
    with store.transaction():
        store.conn.execute("DELETE FROM decisions WHERE filing_id = ? AND n = ?", [filing["id"], n])
        store.insert(
            "decisions",
            {"filing_id": filing["id"], "n": n, "start": start, "end": end, "who": actor(),
             "why": why, "at": _now()},
        )
        store.add_event(
            "resolve",
            {"filing_id": filing["id"], "n": n, "choose": choose, "page": page, "block": block, "why": why},
            {"start": start, "end": end},
            actor(),
        )
    return {"filing_id": filing["id"], "n": n, "start": start, "end": end}


def review(store: Store) -> list[dict[str, Any]]:
    """Amendments not fully applied, with their instructions that need a decision."""
    out = []
    for a in store.rows(
        "SELECT a.*, d.key AS sticker_key, t.key AS target_key FROM amendments a "
        "JOIN documents d ON d.id = a.sticker_document_id "
        "LEFT JOIN documents t ON t.id = a.target_document_id "
        "WHERE a.state NOT IN ('applied') ORDER BY a.filing_id"
    ):
        items = store.rows(
            "SELECT n, op, status, reason, source_text FROM instructions "
            "WHERE filing_id = ? AND status NOT IN ('applied', 'notice') ORDER BY n",
            [a["filing_id"]],
        )
        out.append({
            "filing_id": a["filing_id"], "sticker": a["sticker_key"], "target": a["target_key"],
            "state": a["state"], "summary": a["summary"], "instructions": items,
        })
    return out


# --- reading ---------------------------------------------------------------------------------


def resolve_document(store: Store, ref: str | None) -> dict[str, Any]:
    """A document by numeric id, exact key, or a unique part of its key (case-insensitive)."""
    if ref is None or not str(ref).strip():
        raise UsageError("name a document (its id or key; see 'tracker documents')")
    ref = str(ref).strip()
    if ref.isdigit():
        row = store.row("SELECT * FROM documents WHERE id = ?", [int(ref)])
        if row:
            return row
        raise NotFound(f"no document with id {ref}")
    row = store.row("SELECT * FROM documents WHERE lower(key) = lower(?)", [ref])
    if row:
        return row
    words = [w for w in re.split(r"[\s/]+", ref.lower()) if w]
    matches = [
        r for r in store.rows("SELECT * FROM documents ORDER BY id")
        if all(w in r["key"].lower() for w in words)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no document matches {ref!r} (see 'tracker documents')")
    keys = ", ".join(m["key"] for m in matches[:6])
    raise AmbiguousKey(f"{ref!r} matches {len(matches)} documents: {keys}")


def resolve_filing(store: Store, ref: str) -> dict[str, Any]:
    """A filing by numeric id, accession number, sha256 prefix, or the key of a document in it."""
    ref = str(ref).strip()
    if ref.isdigit():
        row = store.row("SELECT * FROM filings WHERE id = ?", [int(ref)])
        if row:
            return row
        raise NotFound(f"no filing with id {ref}")
    row = store.row("SELECT * FROM filings WHERE accession = ?", [ref])
    if row:
        return row
    if re.fullmatch(r"[0-9a-f]{8,64}", ref):
        rows = store.rows("SELECT * FROM filings WHERE sha256 LIKE ?", [ref + "%"])
        if len(rows) == 1:
            return rows[0]
    doc = resolve_document(store, ref)
    return store.row("SELECT * FROM filings WHERE id = ?", [doc["filing_id"]])


def document_versions(store: Store, document_id: int) -> list[dict[str, Any]]:
    """The versions of a document in number order, each with its filing's accession (or sha256) and source."""
    return store.rows(
        "SELECT v.*, COALESCE(f.accession, f.sha256) AS accession, f.source_name "
        "FROM versions v JOIN filings f ON f.id = v.filing_id WHERE v.document_id = ? ORDER BY v.number",
        [document_id],
    )


@dataclass
class View:
    """A document's text as of a date, with the statement of what it reflects."""

    document: dict[str, Any]
    version: dict[str, Any]
    text: str
    currency: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The result as plain JSON values."""
        return {
            "document": {k: self.document[k] for k in ("id", "key", "kind", "title", "series")},
            "version": self.version["number"],
            "effective_date": self.version["effective_date"],
            "recorded_date": self.version["recorded_date"],
            "text_sha256": self.version["text_sha256"],
            "currency": self.currency,
            "text": self.text,
        }


def show(
    store: Store, ref: str, as_of: dt.date | None = None, known_at: dt.date | None = None
) -> View:
    """The document as in force on ``as_of`` (default: latest), as known at ``known_at``."""
    document = resolve_document(store, ref)
    versions = document_versions(store, document["id"])
    chosen = history.as_of(versions, as_of, known_at)
    text = version_text(store, chosen)
    return View(document, chosen, text, currency(store, document, versions, chosen, as_of, known_at))


def currency(store, document, versions, chosen, as_of, known_at) -> dict[str, Any]:
    """What a reconstruction reflects: its base, the filings applied, and what is not applied."""
    chain = []
    v = chosen
    by_id = {x["id"]: x for x in versions}
    while v is not None:
        chain.append(v)
        v = by_id.get(v["parent_id"]) if v["parent_id"] else None
    chain.reverse()
    base = chain[0]
    # Four queries for the whole chain, not four per version: 30 stickers cost no more to state.
    filing_ids = json.dumps([v["filing_id"] for v in chain[1:]])
    version_ids = json.dumps([v["id"] for v in chain[1:]])
    filings = {r["id"]: r for r in store.rows(
        "SELECT id, accession, sha256 FROM filings WHERE id IN (SELECT value FROM json_each(?))", [filing_ids])}
    stickers = {r["filing_id"]: r["key"] for r in store.rows(
        "SELECT a.filing_id, d.key FROM amendments a JOIN documents d ON d.id = a.sticker_document_id "
        "WHERE a.filing_id IN (SELECT value FROM json_each(?))", [filing_ids])}
    missing: dict[int, list] = {}
    for r in store.rows(
        "SELECT filing_id, n, status FROM instructions WHERE filing_id IN (SELECT value FROM json_each(?)) "
        "AND status NOT IN ('applied','notice') ORDER BY n", [filing_ids]):
        missing.setdefault(r.pop("filing_id"), []).append(r)
    notices: dict[int, list] = {}
    for r in store.rows(
        "SELECT version_id, n, text FROM notices WHERE version_id IN (SELECT value FROM json_each(?)) ORDER BY n",
        [version_ids]):
        notices.setdefault(r.pop("version_id"), []).append(r)
    applied = []
    for v in chain[1:]:
        filing = filings[v["filing_id"]]
        applied.append({
            "version": v["number"], "filing_id": filing["id"],
            "filing": filing["accession"] or filing["sha256"][:12],
            "sticker": stickers.get(v["filing_id"]),
            "effective_date": v["effective_date"], "recorded_date": v["recorded_date"],
            "partial": bool(v["partial"]), "not_applied": missing.get(v["filing_id"], []),
            "notices": notices.get(v["id"], []),
        })
    later = history.later_versions(versions, chosen, known_at)
    pending = store.rows(
        "SELECT a.filing_id, a.state, a.summary, d.key AS sticker, d.document_date FROM amendments a "
        "JOIN documents d ON d.id = a.sticker_document_id "
        "WHERE a.target_document_id = ? AND a.state IN ('pending', 'needs_review') ORDER BY a.filing_id",
        [document["id"]],
    )
    if as_of:
        pending = [p for p in pending if not p["document_date"] or p["document_date"] <= as_of.isoformat()]
    base_filing = store.row("SELECT * FROM filings WHERE id = ?", [base["filing_id"]])
    return {
        "document": document["key"],
        "as_of": as_of.isoformat() if as_of else None,
        "known_at": known_at.isoformat() if known_at else None,
        "version": chosen["number"],
        "versions_total": len(versions),
        "base": {"version": base["number"], "filing_id": base["filing_id"],
                 "filing": base_filing["accession"] or document["key"],  # by name, not a hash prefix
                 "effective_date": base["effective_date"], "recorded_date": base["recorded_date"]},
        "applied": applied,
        "later_versions": [{"version": v["number"], "effective_date": v["effective_date"],
                            "recorded_date": v["recorded_date"]} for v in later],
        "pending": pending,
    }


def list_documents(store: Store) -> list[dict[str, Any]]:
    """Every stored document with its key, kind, series, date and number of versions."""
    return store.rows(
        "SELECT d.id, d.key, d.kind, d.series, d.document_date, d.registrant, d.filing_id, d.title, "
        "(SELECT COUNT(*) FROM versions v WHERE v.document_id = d.id) AS versions "
        "FROM documents d ORDER BY d.id"
    )


def list_filings(store: Store) -> list[dict[str, Any]]:
    """Every stored filing with its identifiers, dates, documents and amendment state."""
    return store.rows(
        "SELECT f.id, f.accession, substr(f.sha256, 1, 12) AS sha256, f.source_name, f.format, f.form_type, "
        "f.filed_date, f.recorded_date, (SELECT COUNT(*) FROM documents d WHERE d.filing_id = f.id) AS documents, "
        "a.state AS amendment_state FROM filings f LEFT JOIN amendments a ON a.filing_id = f.id ORDER BY f.id"
    )


def timeline(store: Store, series: str) -> list[dict[str, Any]]:
    """Every document of a series in date order, with what each did."""
    rows = store.rows(
        "SELECT d.id, d.key, d.kind, d.title, d.exhibit, d.filing_id, "
        "(SELECT v.effective_date FROM versions v WHERE v.document_id = d.id AND v.number = 1) AS date, "
        "a.state AS amendment_state, t.key AS amends "
        "FROM documents d LEFT JOIN amendments a ON a.sticker_document_id = d.id "
        "LEFT JOIN documents t ON t.id = a.target_document_id "
        "WHERE upper(d.series) = upper(?) ORDER BY date, d.id",
        [series.strip()],
    )
    if not rows:
        known = [r["series"] for r in store.rows("SELECT DISTINCT series FROM documents WHERE series IS NOT NULL ORDER BY series")]
        raise NotFound(f"no filings of series {series!r} (known: {', '.join(known) or 'none'})")
    return rows


def document_history(store: Store, ref: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A document (by id or key) and its versions, with what made each."""
    document = resolve_document(store, ref)
    versions = document_versions(store, document["id"])
    for v in versions:
        sticker = store.row(
            "SELECT d.key FROM amendments a JOIN documents d ON d.id = a.sticker_document_id "
            "WHERE a.filing_id = ? AND a.target_document_id = ?", [v["filing_id"], document["id"]])
        v["made_by"] = sticker["key"] if sticker else "original"
    return document, versions


def outline(store: Store, ref: str, page: str | None = None, as_of: dt.date | None = None):
    """The segmented structure of a document's text (one page of it with ``page``)."""
    view = show(store, ref, as_of)
    seg = segmented(store, view.version, view.text)
    blocks = []
    counter: dict[int, int] = {}
    for b in seg.blocks:
        label = seg.pages[b.page].label if seg.pages else None
        counter[b.page] = counter.get(b.page, 0) + 1
        if page is not None and label != page:
            continue
        words = view.text[b.start:b.end].split()
        blocks.append({
            "index": b.index, "block_on_page": counter[b.page], "kind": b.kind, "page": label,
            "start": b.start, "end": b.end, "heading": list(b.heading), "level": b.level,
            "term": b.term, "first_words": " ".join(words[:10]),
        })
    if page is not None and not blocks:
        labels = [p.label for p in seg.pages if p.label]
        raise NotFound(f"page {page} is not in {view.document['key']} (pages: "
                       f"{labels[0] if labels else '-'} .. {labels[-1] if labels else '-'})")
    return view, [{"index": p.index, "label": p.label, "start": p.start, "end": p.end} for p in seg.pages], blocks


def parse_file(path: str | Path) -> Amendment:
    """Parse the instructions of an amending filing on disk (see ``parse_bytes``)."""
    return parse_bytes(load_filing_bytes(Path(path)))


def parse_bytes(data: bytes) -> Amendment:
    """The instructions of an amending filing: of its first sticker, else of its first document
    (the document ``ingest --amends`` would take them from)."""
    from . import instructions, read

    parsed = read.read_filing(data)
    kinds = [read.classify(doc, parsed.header).kind for doc in parsed.documents]
    return instructions.parse_amendment(parsed.documents[amending_index(kinds, True)].text)


def stored_resolutions(store: Store, filing_id: int) -> list:
    """Where each instruction of an amending filing landed, as its last apply recorded it (with the
    places an instruction that changes several places changed; candidates are left out)."""
    from .models import Edit, Resolution

    return [
        Resolution(r["n"], r["status"], r["confidence"] or 0.0, r["start"], r["end"], r["replacement"],
                   reason=r["reason"] or "",
                   pieces=tuple(Edit(a, b, new, r["n"]) for a, b, new in json.loads(r["pieces"] or "[]")))
        for r in store.rows("SELECT * FROM instructions WHERE filing_id = ? ORDER BY n", [filing_id])
    ]


def events(store: Store) -> list[dict[str, Any]]:
    """The audit trail in order, inputs and outputs decoded."""
    rows = store.rows("SELECT * FROM events ORDER BY id")
    for r in rows:
        r["inputs"] = json.loads(r["inputs"])
        r["outputs"] = json.loads(r["outputs"])
    return rows


# --- verify ----------------------------------------------------------------------------------


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
    for f in store.rows("SELECT id, sha256 FROM filings"):
        if not store.row("SELECT 1 AS x FROM blobs WHERE sha256 = ?", [f["sha256"]]):
            problems.append(f"filing {f['id']}: raw bytes {f['sha256'][:12]} missing")
    versions = store.rows("SELECT * FROM versions ORDER BY id")
    by_id = {v["id"]: v for v in versions}
    texts: dict[int, str] = {}
    for v in versions:  # parents come before children (ids grow)
        label = f"version {v['number']} of document {v['document_id']} (id {v['id']})"
        parent = by_id.get(v["parent_id"]) if v["parent_id"] is not None else None
        try:
            if v["snapshot"]:
                text = stored_text(store, v["text_sha256"])
            elif parent is None or parent["id"] not in texts:
                problems.append(f"{label}: parent missing or unreadable")
                continue
            else:
                text = diffing.apply_edits(texts[parent["id"]], _delta(v))
        except (TrackerError, UnicodeDecodeError, ValueError, TypeError) as exc:
            problems.append(f"{label}: {exc}")
            continue
        if text_sha256(text) != v["text_sha256"]:
            problems.append(f"{label}: text hash mismatch")
            continue
        texts[v["id"]] = text
        if parent is not None:
            if v["patch"] is None or parent["id"] not in texts:
                problems.append(f"{label}: parent or patch missing")
                continue
            try:
                diffing.apply_patch(texts[parent["id"]], v["patch"], v["text_sha256"])
            except TrackerError as exc:
                problems.append(f"{label}: replay from version {parent['number']} fails: {exc}")
    prev = GENESIS
    count = 0
    for e in store.rows("SELECT * FROM events ORDER BY id"):
        count += 1
        if e["prev_hash"] != prev:
            problems.append(f"event {e['id']}: chain broken (previous hash does not match)")
        if event_hash(e) != e["hash"]:
            problems.append(f"event {e['id']}: hash mismatch (event altered)")
        prev = e["hash"]
    return {
        "ok": not problems,
        "blobs": blobs,
        "versions": len(versions),
        "events": count,
        "problems": problems,
    }


def bundled_corpus() -> Path:
    """The corpus shipped with tracker: inside the installed package, or beside it in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "corpus"
    return installed if installed.is_dir() else here.parent / "corpus"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def changed_pages(store: Store, view: View) -> list[tuple[str | None, str]]:
    """The pages of a shown version whose text differs from the same page of the original."""
    versions = document_versions(store, view.document["id"])
    original = version_text(store, versions[0])
    before = {p.label: original[p.start:p.end] for p in segmented(store, versions[0], original).pages}
    out = []
    for page in segmented(store, view.version, view.text).pages:
        text = view.text[page.start:page.end]
        if before.get(page.label) != text:
            out.append((page.label, text.strip("\n")))
    return out


# --- provenance, search, audit ---------------------------------------------------------------


def _chain(store: Store, document: dict[str, Any], chosen: dict[str, Any]) -> list[dict[str, Any]]:
    """The versions from the original to ``chosen``, following parents."""
    by_id = {v["id"]: v for v in document_versions(store, document["id"])}
    chain = []
    v: dict[str, Any] | None = chosen
    while v is not None:
        chain.append(v)
        v = by_id.get(v["parent_id"]) if v["parent_id"] else None
    return list(reversed(chain))


def blame(
    store: Store, ref: str, as_of: dt.date | None = None, known_at: dt.date | None = None
) -> dict[str, Any]:
    """Every block of the version in force, with the version, filing and instruction that last changed it."""
    from . import provenance

    view = show(store, ref, as_of, known_at)
    chain = _chain(store, view.document, view.version)
    texts = [version_text(store, v) for v in chain]
    steps = []
    steps_rows: list[list[dict[str, Any]]] = []
    info: dict[Any, dict[str, Any]] = {}
    for v in chain[1:]:
        filing = store.row("SELECT * FROM filings WHERE id = ?", [v["filing_id"]])
        ins = store.rows(
            "SELECT n, op, start, end, replacement, source_text FROM instructions "
            "WHERE filing_id = ? AND status = 'applied' AND version_id = ? ORDER BY n",
            [v["filing_id"], v["id"]],
        )
        step_origin = (v["number"], v["filing_id"], None)
        info[step_origin] = {"version": v["number"], "filing_id": v["filing_id"],
                             "filing": filing["accession"] or filing["sha256"][:12],
                             "effective_date": v["effective_date"], "n": None, "source_text": None}
        spans = []
        for i in ins:
            origin = (v["number"], v["filing_id"], i["n"])
            info[origin] = {**info[step_origin], "n": i["n"], "source_text": i["source_text"]}
            spans.append((i["start"], i["end"], origin))
        steps.append((step_origin, spans))
        steps_rows.append(ins)
    runs, diff_deletions = provenance.trace(texts, steps)
    # What each instruction removed is its whole target span in the parent; steps without
    # instruction spans fall back to the character diff.
    removed = []
    for k, (step_origin, spans) in enumerate(steps):
        parent_text = texts[k]
        if spans:
            for start, end, origin in spans:
                row = next(i for i in steps_rows[k] if i["n"] == origin[2])
                if parent_text[start:end].strip():
                    removed.append({**info[origin], "deleted": parent_text[start:end].strip(),
                                    "replaced_by": (row["replacement"] or "").strip(), "parent_offset": start})
        else:
            removed += [{**info[step_origin], "deleted": d.deleted.strip(), "replaced_by": d.replaced_by.strip(),
                         "parent_offset": d.old_start} for d in diff_deletions if d.origin == step_origin]
    seg = segmented(store, view.version, view.text)
    blocks = []
    for b in seg.blocks:
        if b.kind == "risk_factor":
            continue
        origins = [o for o in provenance.origins_in(runs, b.start, b.end) if o is not None]
        last = max(origins, key=lambda o: o[0]) if origins else None
        words = view.text[b.start:b.end].split()
        blocks.append({
            "block": b.index, "kind": b.kind, "page": seg.pages[b.page].label if seg.pages else None,
            "heading": list(b.heading), "start": b.start, "end": b.end,
            "first_words": " ".join(words[:8]),
            "changed_by": info[last] if last else None,
        })
    return {"document": view.document["key"], "version": view.version["number"],
            "currency": view.currency, "blocks": blocks, "deleted": removed}


def search(
    store: Store,
    query: str,
    *,
    as_of: dt.date | None = None,
    known_at: dt.date | None = None,
    document: str | None = None,
    kind: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Full-text search over the versions in force on ``as_of`` (latest by default): offering
    documents first; amending filings only when ``kind`` asks for them (or names the document)."""
    from .query import DEFAULT_LEFT_OUT, fts_query, kind_rank

    expression = fts_query(query)
    docs = [resolve_document(store, document)] if document else store.rows("SELECT * FROM documents ORDER BY id")
    if kind and kind != "all":
        docs = [d for d in docs if d["kind"].lower() == kind.lower()]
    elif not document and not kind:
        docs = [d for d in docs if d["kind"] not in DEFAULT_LEFT_OUT]
    chosen: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    for d in docs:
        try:
            v = history.as_of(document_versions(store, d["id"]), as_of, known_at)
        except NotFound:
            continue  # not in existence (or not known) then
        chosen[v["id"]] = (d, v)
    hits = store.search(expression, list(chosen), -1)
    hits.sort(key=lambda h: kind_rank(chosen[h["version_id"]][0]["kind"]))  # stable: best first within
    out = []
    for h in hits[:limit] if limit >= 0 else hits:
        d, v = chosen[h["version_id"]]
        out.append({
            "document": d["key"], "document_kind": d["kind"], "version": v["number"],
            "effective_date": v["effective_date"], "page": h["page"], "heading": h["heading"], "kind": h["kind"],
            "block": h["block"],
            "snippet": " ".join(h["snippet"].split()),
        })
    return out


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
        doc = resolve_document(store, document)
        filing_ids = {doc["filing_id"]} | {
            a["filing_id"] for a in store.rows(
                "SELECT filing_id FROM amendments WHERE target_document_id = ? OR sticker_document_id = ?",
                [doc["id"], doc["id"]])
        }

        def about(e: dict[str, Any]) -> bool:
            blob = json.dumps([e["inputs"], e["outputs"]])
            return doc["key"] in blob or any(
                e["inputs"].get("filing_id") == f or e["outputs"].get("filing_id") == f for f in filing_ids
            )

        rows = [e for e in rows if about(e)]
    return rows


def _pick_version(store: Store, document: dict[str, Any], ref: str | None, default: str,
                  known_at: dt.date | None) -> dict[str, Any]:
    """A version named ``vN`` or by a date (in force then), or the first / latest."""
    versions = document_versions(store, document["id"])
    if ref is None:
        if default == "first":
            return versions[0]
        return history.as_of(versions, None, known_at)
    ref = ref.strip()
    m = re.fullmatch(r"[vV](\d+)", ref)
    if m:
        found = [v for v in versions if v["number"] == int(m.group(1))]
        if not found:
            raise NotFound(f"{document['key']} has no version {ref} (it has 1..{len(versions)})")
        return found[0]
    from .history import parse_date

    return history.as_of(versions, parse_date(ref), known_at)


def compare_versions(store: Store, old_v, new_v, chain: list[dict[str, Any]]):
    """The redline changes from one version to another, and the newer text.

    ``chain`` is the versions from the original to ``new_v``. When ``old_v`` is on it, the newer
    text is read from the older one's, and the deltas in between say where the texts differ, so
    only the blocks there are compared.
    """
    from . import redline

    old_text = version_text(store, old_v)
    new_text = version_text(store, new_v, known={old_v["id"]: old_text})
    ids = [v["id"] for v in chain]
    changed = None
    if old_v["id"] in ids:
        steps = chain[ids.index(old_v["id"]) + 1:]
        changed = diffing.changed_ranges([_delta(v) for v in steps])
    changes = redline.compare(
        segmented(store, old_v, old_text), segmented(store, new_v, new_text), changed=changed
    )
    return changes, new_text


def diff_document(
    store: Store,
    ref: str,
    *,
    from_ref: str | None = None,
    to_ref: str | None = None,
    known_at: dt.date | None = None,
):
    """The redline report with both versions' segmented texts (old, new), for the formats that lay
    out the whole document (Word)."""
    report, old_v, new_v = _diff(store, ref, from_ref, to_ref, known_at)
    old_text = version_text(store, old_v)
    new_text = version_text(store, new_v, known={old_v["id"]: old_text})
    return report, segmented(store, old_v, old_text), segmented(store, new_v, new_text)


def diff_report(
    store: Store,
    ref: str,
    *,
    from_ref: str | None = None,
    to_ref: str | None = None,
    known_at: dt.date | None = None,
) -> dict[str, Any]:
    """The redline report between two versions (default: the original and the latest)."""
    return _diff(store, ref, from_ref, to_ref, known_at)[0]


def _diff(store: Store, ref: str, from_ref: str | None, to_ref: str | None, known_at: dt.date | None):
    """The redline report, and the two versions it compares."""
    from . import redline, render, sources

    document = resolve_document(store, ref)
    old_v = _pick_version(store, document, from_ref, "first", known_at)
    new_v = _pick_version(store, document, to_ref, "latest", known_at)
    chain = _chain(store, document, new_v)
    ids = [v["id"] for v in chain]
    changes, new_text = compare_versions(store, old_v, new_v, chain)
    between = chain[ids.index(old_v["id"]) + 1:] if old_v["id"] in ids else chain[1:]
    filings, edits, notices, not_applied = [], [], [], []
    for v in between:
        f = store.row("SELECT * FROM filings WHERE id = ?", [v["filing_id"]])
        source = sources.filing_source(store, f, v["effective_date"])
        filings.append(source)
        label = source["key"] or f"filing {f['id']}"
        cite = {"filing": label, "accession": f["accession"], "filing_id": f["id"]}
        decided = sources.decisions(store, f["id"], version=v["number"])
        for i in store.rows("SELECT * FROM instructions WHERE filing_id = ? ORDER BY n", [f["id"]]):
            if i["status"] == "applied" and i["replacement"]:
                at = new_text.find(i["replacement"].strip())
                if at >= 0:
                    edits.append({"start": i["start"], "end": i["end"], "new_start": at,
                                  "new_end": at + len(i["replacement"].strip()), **cite,
                                  "effective": v["effective_date"], "n": i["n"], "op": i["op"],
                                  "source_text": i["source_text"], "status": i["status"],
                                  "confidence": i["confidence"], "decision": decided.get(i["n"])})
            elif i["status"] not in ("applied", "notice"):
                not_applied.append({**cite, "n": i["n"], "status": i["status"],
                                    "reason": i["reason"], "source_text": i["source_text"]})
        notices += [{**cite, "n": n["n"], "text": n["text"]}
                    for n in store.rows("SELECT * FROM notices WHERE filing_id = ? ORDER BY n", [f["id"]])]
    changes = redline.attach_provenance(changes, edits)
    versions = document_versions(store, document["id"])
    statement = currency(store, document, versions, new_v, None, known_at)
    meta = {
        "document": {"key": document["key"], "title": document["title"]},
        "from_version": old_v, "to_version": new_v, "filings": filings,
        "currency": render.currency_statement(statement).strip(),
        "notices": notices, "not_applied": not_applied,
        "generated": {"at": _now(), "database": str(store.path), "tracker": _version()},
    }
    return redline.report_json(meta, changes), old_v, new_v


def _version() -> str:
    from . import __version__

    return __version__
