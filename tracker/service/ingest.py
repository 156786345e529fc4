"""Ingest: filings from disk into the store, each with its documents and their first versions.

What belongs here: finding and reading the files named, preparing each filing (read, classify,
segment, parse: pure, so it runs in worker processes), writing it in one transaction with one
event, making a filing an amendment of a document the user names (``--amends``), and the
effective date of an original. Linking and applying the amendments ingested is ``amend``'s.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, TrackerError
from ..records import Document
from ..store import Store, block_key, compress, now, sha256, text_sha256
from .amend import link_and_apply_pending, needing_review
from .common import actor, passages, sparing_collector, today
from .read import find_document

if TYPE_CHECKING:  # models cost 25 ms of dataclass set-up; reading commands need none of it
    from ..models import Amendment, Metadata

MAX_FILE_BYTES = 100 * 1024 * 1024


@dataclass
class IngestResult:
    """What one file's ingest did."""

    path: str
    status: str  # "new" | "skipped" | "failed"
    filing_id: int | None = None
    documents: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # stored, but read with a doubt worth saying

    def to_json(self) -> dict[str, Any]:
        """One file's outcome as JSON."""
        return {
            "path": self.path,
            "status": self.status,
            "filing_id": self.filing_id,
            "documents": self.documents,
            "error": self.error,
            "warnings": self.warnings,
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
        """The whole run as JSON: each file, the amendments applied, the totals."""
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
        info = path.stat()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        what = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device" if stat.S_ISCHR(info.st_mode) or \
            stat.S_ISBLK(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "not a file"
        raise InputError(f"{path}: not a regular file ({what}); nothing read")
    size = info.st_size
    if size == 0:
        raise InputError(f"{path}: empty file")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {size} bytes is larger than the {MAX_FILE_BYTES} byte limit")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


@sparing_collector
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

    Each filing is one transaction, written by this process as soon as it is ready, in the order
    the files are named; with ``workers`` > 1, reading, classifying, segmenting and parsing run in
    that many worker processes, a few files ahead of the writer (memory does not grow with the
    number of files). What is stored already (same bytes) is skipped by hash without being parsed.
    A bad file is reported and the others go on. With ``amends`` every file is an amendment of that
    document, whatever its classification; ``date`` is the effective date of any document that has
    none of its own (see ``own_date``).
    """
    own = store.own_files()
    files = [f for f in expand_paths(paths) if f.resolve() not in own]
    target = find_document(store, amends) if amends else None
    report = IngestReport()

    def record(i: int, path: Path, outcome: "Prepared | IngestResult | TrackerError") -> None:
        report.results.append(_written(store, path, outcome, target, date))
        if progress:
            progress(i + 1, len(files), str(path))

    todo = _read_in_turn(store, files)
    if workers > 1 and len(files) > 1:
        _prepare_in_workers(todo, workers, target is not None, record)
    else:
        for i, path, found in todo:
            record(i, path, found if not isinstance(found, bytes) else
                   _prepare_quietly(found, path.name, target is not None))
    report.applied = link_and_apply_pending(store)
    ids = {r.filing_id for r in report.results} | {a["filing_id"] for a in report.applied}
    report.needs_review = needing_review(store, ids)
    return report


def _read_in_turn(store: Store, files: list[Path]) -> Iterator[tuple[int, Path, "bytes | IngestResult | TrackerError"]]:
    """Each file with its place, read when it is its turn: its bytes to prepare, or what becomes of
    it already (it cannot be read, or its bytes are stored)."""
    for i, path in enumerate(files):
        try:
            data = load_filing_bytes(path)
        except TrackerError as exc:
            yield i, path, exc
            continue
        yield i, path, _already_stored(store, sha256(data)) or data


# Files being prepared ahead of the writer, per worker: enough to keep every worker busy while
# the writer writes, few enough that memory stays flat whatever the number of files.
AHEAD = 4


def _prepare_in_workers(todo, workers: int, amends: bool, record) -> None:
    """Prepare files in worker processes, at most ``AHEAD`` per worker in flight, and record each
    (write it) as soon as it and every file before it are ready, in order."""
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, initializer=_exit_with_parent,
                             initargs=(os.getpid(),)) as pool:
        flight: deque = deque()
        for i, path, found in todo:
            if isinstance(found, bytes):
                found = pool.submit(_prepare_quietly, found, path.name, amends)
            flight.append((i, path, found))
            while len(flight) >= AHEAD * workers or (flight and not isinstance(flight[0][2], Future)):
                i, path, found = flight.popleft()
                record(i, path, found.result() if isinstance(found, Future) else found)
        while flight:
            i, path, found = flight.popleft()
            record(i, path, found.result() if isinstance(found, Future) else found)


def _written(store: Store, path: Path, outcome: "Prepared | IngestResult | TrackerError",
             target: Document | None, date: dt.date | None) -> IngestResult:
    """What became of one file: its prepared filing written, a filing stored before made an
    amendment of ``target``, or the error, as one line that names the file."""
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
    return outcome


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
    from .. import read, structure
    from ..segment import segment_traced

    parsed = read.read_filing(data)
    whole = read.filing_text(data)
    metas = [read.classify(raw, parsed.header) for raw in parsed.documents]
    amending = amending_index([m.kind for m in metas], amends or given is not None)
    documents = []
    for i, (raw, meta) in enumerate(zip(parsed.documents, metas)):
        amendment = None
        if i == amending:
            meta = dataclasses.replace(meta, kind="sticker")
            if given is None:
                from .. import parse  # the grammar is compiled on first use: stickers only

                given = parse.parse_amendment(raw.text)
            amendment = given
        seg, trace = segment_traced(raw.text)
        digest = text_sha256(raw.text)
        found = passages(seg)
        for p in found:
            p["key"] = block_key(p["text"], p["heading"])
        at = whole.find(raw.text) if raw.text else -1
        where = (at, at + len(raw.text)) if at >= 0 else None
        text_blob = None if where else compress(raw.text.encode("utf-8"))
        documents.append(
            PreparedDocument(raw, meta, found, amendment, digest, where, text_blob, structure.pack(seg, digest, trace))
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


@sparing_collector
def _prepare_quietly(data: bytes, source_name: str, amends: bool = False) -> "Prepared | TrackerError":
    try:
        return prepare(data, source_name, amends=amends)
    except TrackerError as exc:
        return exc


def _already_stored(store: Store, digest: str) -> IngestResult | None:
    existing = store.filing_by_sha256(digest)
    if not existing:
        return None
    docs = [{"id": d.id, "key": d.key, "kind": d.kind} for d in store.documents(filing_id=existing.id)]
    return IngestResult(path="", status="skipped", filing_id=existing.id, documents=docs)


@sparing_collector
def ingest_bytes(
    store: Store,
    data: bytes,
    *,
    source_name: str,
    amends_document: Document | None = None,
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
    amends_document: Document | None = None,
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
    _check_accession(store, prepared)
    recorded = header.filed or ingested_on or today()
    effective = [own_date(doc.meta, header, date, amending=doc.amendment is not None) for doc in prepared.documents]
    if amends_document is not None:
        _check_instructions(prepared, amends_document)
    with store.transaction():
        # another process may have stored the same filing since the check above
        done = _already_stored(store, prepared.digest)
        if done:
            done.path = prepared.source_name
            return done
        _check_accession(store, prepared)
        filing_id, docs_out = _write_filing(store, prepared, recorded, effective, amends_document)
        store.add_event(
            "ingest",
            {"source": prepared.source_name, "sha256": prepared.digest},
            {"filing_id": filing_id, "documents": docs_out},
            actor(),
        )
    from ..read.decoding import MIXED

    warnings = []
    if prepared.parsed.encoding == MIXED:
        warnings.append(f"{prepared.source_name}: mixes UTF-8 with bytes that are not; those were read as "
                        "cp1252 (check its accented letters and quotation marks)")
    return IngestResult(path=prepared.source_name, status="new", filing_id=filing_id, documents=docs_out,
                        warnings=warnings)


def _check_accession(store: Store, prepared: Prepared) -> None:
    """An accession number names one submission: other bytes under one already stored are refused,
    naming both, never skipped as if they were the filing stored (the same bytes are skipped before)."""
    accession = prepared.parsed.header.accession
    found = accession and store.filing_by_accession(accession)
    if found:
        raise InputError(f"accession number {accession} is already stored as filing {found.id} "
                         f"({found.source_name}, sha256 {found.sha256[:12]}) with other bytes than "
                         f"{prepared.source_name} (sha256 {prepared.digest[:12]}); nothing stored")


def _write_filing(store: Store, prepared: Prepared, recorded: dt.date, effective: list,
                  amends_document: Document | None) -> tuple[int, list[dict[str, Any]]]:
    """The rows of one prepared filing, inside the caller's transaction: its bytes, its documents
    with their first versions, structures and search index, and its amendment if it holds one."""
    header = prepared.parsed.header
    store.put_blob(prepared.data, compressed=prepared.blob)
    filing_id = store.add_filing(
        sha256=prepared.digest, accession=header.accession, source_name=prepared.source_name,
        format=prepared.parsed.format, encoding=prepared.parsed.encoding, form_type=header.form_type,
        filed_date=header.filed, recorded_date=recorded, company=header.company, cik=header.cik,
        ingested_at=now(),
    )
    docs_out = []
    for seq, (doc, doc_effective) in enumerate(zip(prepared.documents, effective), start=1):
        key = _unique_key(store, document_key(doc.meta, prepared.source_name))
        doc_id = store.add_document(filing_id, seq, key, doc.meta, doc.meta.form_type or doc.raw.type)
        if doc.text_slice is not None:
            text_digest = doc.text_sha256
            store.put_text_slice(text_digest, prepared.digest, *doc.text_slice)
        else:
            text_digest = store.put_blob(doc.raw.text.encode("utf-8"), compressed=doc.text_blob)
        version_id = store.add_original(doc_id, filing_id, doc_effective, recorded, text_digest)
        store.index_passages(version_id, doc.passages)
        store.put_structure(version_id, doc.structure)
        docs_out.append({"id": doc_id, "key": key, "kind": doc.meta.kind, "version_id": version_id})
        if doc.amendment is not None:
            store.record_amendment(filing_id, doc_id, doc.amendment, amends_document.id if amends_document else None)
    return filing_id, docs_out


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
    while store.has_document_key(candidate):
        n += 1
        candidate = f"{key}-{n}"
    return candidate


def own_date(meta: Metadata, header, date: dt.date | None, *, amending: bool) -> dt.date:
    """The effective date of a document's original version: its own date (on the document, else the
    EDGAR filing date), else the ``date`` the user gave. A document with neither is refused: the day
    of ingest is only the day it was recorded, and would put it in force on a day it was not. So is
    one whose only date is impossible ("February 30, 2004"), unless ``date`` is given.
    """
    own = meta.document_date or meta.report_date or meta.signature_date
    what = "amendment" if amending else meta.kind.replace("_", " ")
    if own is None and meta.impossible_date and date is None:
        raise InputError(f"the {what} is dated {meta.impossible_date!r}, which is not a real date; "
                         "give its effective date with --date YYYY-MM-DD")
    found = own or (None if meta.impossible_date else header.filed) or date
    if found is None:
        raise InputError(f"the {what} has no date of its own (none in its text, no EDGAR filing date); "
                         "give its effective date with --date YYYY-MM-DD")
    return found


def _check_instructions(prepared: Prepared, target: Document) -> None:
    """A filing said to amend ``target`` must hold at least one instruction or notice."""
    for doc in prepared.documents:
        if doc.amendment is not None and (doc.amendment.instructions or doc.amendment.notices):
            return
    raise InputError(f"no amending instruction found, so it cannot amend {target.key}")


def amend_stored(store: Store, filing_id: int, target: Document, date: dt.date | None = None) -> None:
    """Make a filing stored before an amendment of ``target`` (``ingest --amends`` on a filing
    already stored): link its pending amendment, or parse its first document into one. One transaction."""
    record = store.amendment(filing_id)
    if record is not None and record.target_document_id == target.id:
        return
    if record is not None and record.target_document_id is not None:
        raise InputError(f"filing {filing_id} already amends {record.target_key}, not {target.key}")
    if target.filing_id == filing_id:
        raise InputError(f"filing {filing_id} holds {target.key} itself and cannot amend it")
    with store.transaction():
        if record is not None:
            store.link_amendment(filing_id, target.id, "--amends")
        else:
            _record_stored_amendment(store, filing_id, target, date)
        store.add_event("ingest", {"filing_id": filing_id, "amends": target.key},
                        {"filing_id": filing_id, "target_document_id": target.id}, actor())


def _record_stored_amendment(store: Store, filing_id: int, target: Document, date: dt.date | None) -> None:
    """Parse a stored filing's amending document and record it as an amendment of ``target``."""
    from .. import parse

    docs = store.documents(filing_id=filing_id)
    doc = docs[amending_index([d.kind for d in docs], True)]
    filing = store.filing(filing_id)
    original = store.versions_of(doc.id)[0]
    amendment = parse.parse_amendment(store.version_text(original))
    if not (amendment.instructions or amendment.notices):
        raise InputError(f"filing {filing_id} ({doc.key}): no amending instruction found, "
                         f"so it cannot amend {target.key}")
    dated = (doc.own_date or filing.filed_date
             or original.effective_date != filing.recorded_date)  # or dated by --date then
    if not dated:
        if date is None:
            raise InputError(f"filing {filing_id} ({doc.key}): the amendment has no date of its own; "
                             "give its effective date with --date YYYY-MM-DD")
        store.set_effective_date(original.id, date)
    store.set_document_kind(doc.id, "sticker")
    store.record_amendment(filing_id, doc.id, amendment, target.id)


def parse_file(path: str | Path) -> Amendment:
    """Parse the instructions of an amending filing on disk (see ``parse_bytes``)."""
    return parse_bytes(load_filing_bytes(Path(path)))


def parse_bytes(data: bytes) -> Amendment:
    """The instructions of an amending filing: of its first sticker, else of its first document
    (the document ``ingest --amends`` would take them from)."""
    from .. import parse, read

    parsed = read.read_filing(data)
    kinds = [read.classify(doc, parsed.header).kind for doc in parsed.documents]
    return parse.parse_amendment(parsed.documents[amending_index(kinds, True)].text)
