"""Reading: documents and filings by name, a document as of a date with its currency, listings.

What belongs here: finding a document or filing by what a user types (``find_document``,
``find_filing``), the text in force on a date with the statement of what it reflects (``show``,
``currency``), the listings (documents, filings, a series' timeline, a document's history), the
outline of a version's structure, and the pages a version changed. Comparing versions (diff,
blame, search) is ``compare``'s.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .. import history
from ..errors import AmbiguousKey, IntegrityError, NotFound, UsageError
from ..records import Document, Filing, Version
from ..store import Store
from .common import reading, segmented

# --- names -----------------------------------------------------------------------------------

MAX_ID = 2**63 - 1  # SQLite's largest integer: a larger id names nothing


def _is_id(ref: str) -> bool:
    """Whether a reference is a numeric id (ASCII digits: "²" is a key, not a number)."""
    return ref.isascii() and ref.isdigit()


def find_document(store: Store, ref: str | None) -> Document:
    """A document by numeric id, exact key, or a unique part of its key (case-insensitive)."""
    if ref is None or not str(ref).strip():
        raise UsageError("name a document (its id or key; see 'tracker documents')")
    ref = str(ref).strip()
    if _is_id(ref):
        found = store.document(int(ref)) if int(ref) <= MAX_ID else None
        if found:
            return found
        raise NotFound(f"no document with id {ref}")
    found = store.document_by_key(ref)
    if found:
        return found
    words = [w for w in re.split(r"[\s/]+", ref.lower()) if w]
    matches = [d for d in store.documents() if all(w in d.key.lower() for w in words)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no document matches {ref!r} (see 'tracker documents')")
    keys = ", ".join(m.key for m in matches[:6])
    raise AmbiguousKey(f"{ref!r} matches {len(matches)} documents: {keys}")


def find_filing(store: Store, ref: str) -> Filing:
    """A filing by numeric id, accession number, sha256 prefix, or the key of a document in it."""
    ref = str(ref).strip()
    if _is_id(ref):
        found = store.filing(int(ref)) if int(ref) <= MAX_ID else None
        if found:
            return found
        raise NotFound(f"no filing with id {ref}")
    found = store.filing_by_accession(ref)
    if found:
        return found
    if re.fullmatch(r"[0-9a-f]{8,64}", ref):
        by_hash = store.filings_by_sha256_prefix(ref)
        if len(by_hash) == 1:
            return by_hash[0]
    return store.filing(find_document(store, ref).filing_id)


# --- a document as of a date -----------------------------------------------------------------


@dataclass
class View:
    """A document's text as of a date, with the statement of what it reflects."""

    document: Document
    version: Version
    text: str
    currency: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The view as JSON: document, version, dates and text."""
        d = self.document
        return {
            "document": {"id": d.id, "key": d.key, "kind": d.kind, "title": d.title, "series": d.series},
            "version": self.version.number,
            "effective_date": self.version.effective_date,
            "recorded_date": self.version.recorded_date,
            "text_sha256": self.version.text_sha256,
            "currency": self.currency,
            "text": self.text,
        }


@reading
def show(
    store: Store, ref: str, as_of: dt.date | None = None, known_at: dt.date | None = None
) -> View:
    """The document as in force on ``as_of`` (default: latest), as known at ``known_at``."""
    document = find_document(store, ref)
    versions = store.versions_of(document.id)
    chosen = history.as_of(versions, as_of, known_at)
    text = store.version_text(chosen, versions=versions)
    return View(document, chosen, text, currency(store, document, versions, chosen, as_of, known_at))


def chain_to(versions: list[Version], chosen: Version) -> list[Version]:
    """The versions from the original to ``chosen``, following parents."""
    by_id = {v.id: v for v in versions}
    chain = []
    v: Version | None = chosen
    while v is not None:
        chain.append(v)
        v = by_id.get(v.parent_id) if v.parent_id else None
        if len(chain) > len(versions):  # parents in a circle: a store changed by hand
            raise IntegrityError(f"version {chosen.number} has parents in a circle (run 'tracker verify')")
    return list(reversed(chain))


def currency(store: Store, document: Document, versions: list[Version], chosen: Version,
             as_of: dt.date | None, known_at: dt.date | None) -> dict[str, Any]:
    """What a reconstruction reflects: its base, the filings applied, and what is not applied."""
    chain = chain_to(versions, chosen)
    base = chain[0]
    later = history.later_versions(versions, chosen, known_at)
    pending = [{"filing_id": a.filing_id, "state": a.state, "summary": a.summary, "sticker": a.sticker_key,
                "document_date": store.document(a.sticker_document_id).document_date}
               for a in store.amendments(target_id=document.id, states=("pending", "needs_review"))]
    if as_of:
        pending = [p for p in pending if not p["document_date"] or p["document_date"] <= as_of.isoformat()]
    base_filing = store.filing(base.filing_id)
    return {
        "document": document.key,
        "as_of": as_of.isoformat() if as_of else None,
        "known_at": known_at.isoformat() if known_at else None,
        "version": chosen.number,
        "versions_total": len(versions),
        "base": {"version": base.number, "filing_id": base.filing_id,
                 "filing": base_filing.accession or document.key,  # by name, not a hash prefix
                 "effective_date": base.effective_date, "recorded_date": base.recorded_date},
        "applied": _applied(store, chain[1:]),
        "later_versions": [{"version": v.number, "effective_date": v.effective_date,
                            "recorded_date": v.recorded_date} for v in later],
        "pending": pending,
    }


def _applied(store: Store, amended: list[Version]) -> list[dict[str, Any]]:
    """Each amended version of a chain with its filing, sticker, what it did not apply and its notices.

    A few queries for the whole chain, not a few per version: 30 stickers cost no more to state.
    """
    filing_ids = [v.filing_id for v in amended]
    filings = {f.id: f for f in store.filings(filing_ids)}
    stickers = {a.filing_id: a.sticker_key for a in store.amendments(filing_ids=filing_ids)}
    missing = store.instructions_not_applied(filing_ids)
    notices = store.notices_of_versions(v.id for v in amended)
    return [{
        "version": v.number, "filing_id": v.filing_id, "filing": filings[v.filing_id].label,
        "sticker": stickers.get(v.filing_id),
        "effective_date": v.effective_date, "recorded_date": v.recorded_date,
        "partial": v.partial,
        "not_applied": [{"n": i.n, "status": i.status} for i in missing.get(v.filing_id, [])],
        "notices": [{"n": n, "text": text} for n, text in notices.get(v.id, [])],
    } for v in amended]


@reading
def changed_pages(store: Store, view: View) -> list[tuple[str | None, str]]:
    """The pages of a shown version whose text differs from the same page of the original."""
    original = store.versions_of(view.document.id)[0]
    original_text = store.version_text(original)
    before = {p.label: original_text[p.start:p.end] for p in segmented(store, original, original_text).pages}
    out = []
    for page in segmented(store, view.version, view.text).pages:
        text = view.text[page.start:page.end]
        if before.get(page.label) != text:
            out.append((page.label, text.strip("\n")))
    return out


# --- listings --------------------------------------------------------------------------------


@reading
def list_documents(store: Store) -> list[dict[str, Any]]:
    """Every document in the store, with its number of versions."""
    counts = store.version_counts()
    return [{"id": d.id, "key": d.key, "kind": d.kind, "series": d.series, "document_date": d.document_date,
             "registrant": d.registrant, "filing_id": d.filing_id, "title": d.title,
             "versions": counts.get(d.id, 0)} for d in store.documents()]


@reading
def list_filings(store: Store) -> list[dict[str, Any]]:
    """Every filing in the store, with its documents and amendment state."""
    counts = store.document_counts()
    states = {a.filing_id: a.state for a in store.amendments()}
    return [{"id": f.id, "accession": f.accession, "sha256": f.sha256[:12], "source_name": f.source_name,
             "format": f.format, "form_type": f.form_type, "filed_date": f.filed_date,
             "recorded_date": f.recorded_date, "documents": counts.get(f.id, 0),
             "amendment_state": states.get(f.id)} for f in store.filings()]


@reading
def timeline(store: Store, series: str) -> list[dict[str, Any]]:
    """Every document of a series in date order, with what each did."""
    docs = store.documents_of_series(series.strip())
    if not docs:
        known = store.series()
        raise NotFound(f"no filings of series {series!r} (known: {', '.join(known) or 'none'})")
    dates = store.original_dates(d.id for d in docs)
    amends = {a.sticker_document_id: a for a in store.amendments() if a.sticker_document_id in dates}
    rows = []
    for d in docs:
        a = amends.get(d.id)
        rows.append({"id": d.id, "key": d.key, "kind": d.kind, "title": d.title, "exhibit": d.exhibit,
                     "filing_id": d.filing_id, "date": dates.get(d.id), "amendment_state": a.state if a else None,
                     "amends": a.target_key if a else None})
    return sorted(rows, key=lambda r: (r["date"] is not None, r["date"] or "", r["id"]))


@reading
def document_history(store: Store, ref: str) -> tuple[Document, list[dict[str, Any]]]:
    """A document and its versions, each with the sticker that made it (or ``original``)."""
    document = find_document(store, ref)
    out = []
    for v in store.versions_of(document.id):
        a = store.amendment(v.filing_id)
        made_by = a.sticker_key if a is not None and a.target_document_id == document.id else "original"
        out.append({**v.to_json(), "made_by": made_by})
    return document, out


@reading
def outline(store: Store, ref: str, page: str | None = None, as_of: dt.date | None = None):
    """The segmented structure of a document's text (one page of it with ``page``)."""
    view = show(store, ref, as_of)
    seg = segmented(store, view.version, view.text)
    blocks = page_blocks(seg, page)
    if page is not None and not blocks:
        labels = [p.label for p in seg.pages if p.label]
        raise NotFound(f"page {page} is not in {view.document.key} (pages: "
                       f"{labels[0] if labels else '-'} .. {labels[-1] if labels else '-'})")
    return view, [{"index": p.index, "label": p.label, "start": p.start, "end": p.end} for p in seg.pages], blocks


def page_blocks(seg, page: str | None = None) -> list[dict[str, Any]]:
    """A segmented text's blocks (only those of the printed page ``page`` when given), each with its
    number on its page: the block a reviewer names with ``--page`` and ``--block``."""
    blocks = []
    counter: dict[int, int] = {}
    for b in seg.blocks:
        label = seg.pages[b.page].label if seg.pages else None
        counter[b.page] = counter.get(b.page, 0) + 1
        if page is not None and label != page:
            continue
        words = seg.text[b.start:b.end].split()
        blocks.append({
            "index": b.index, "block_on_page": counter[b.page], "kind": b.kind, "page": label,
            "start": b.start, "end": b.end, "heading": list(b.heading), "level": b.level,
            "term": b.term, "first_words": " ".join(words[:10]),
        })
    return blocks
