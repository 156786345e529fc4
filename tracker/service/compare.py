"""Comparing versions: the redline between two versions, blame, and search as of a date.

What belongs here: picking the versions a user names (``vN`` or a date), the redline report between
them with the filing and instruction behind each change (``diff_report``), who last changed each
block and what amendments removed (``blame``), and full-text search over the versions in force on
a date (``search``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .. import diffing, history
from ..errors import NotFound
from ..records import Document, Filing, Version
from ..store import Store
from . import sources
from ..store import now
from .common import reading, segmented, segmented_pair, sparing_collector
from .read import chain_to, currency, find_document, show


@reading
@sparing_collector
def blame(
    store: Store, ref: str, as_of: dt.date | None = None, known_at: dt.date | None = None
) -> dict[str, Any]:
    """Every block of the version in force, with the version, filing and instruction that last changed it."""
    from .. import provenance

    view = show(store, ref, as_of, known_at)
    chain = chain_to(store.versions_of(view.document.id), view.version)
    texts = [store.version_text(v) for v in chain]
    steps, applied, info = _steps(store, chain)
    runs, diff_deletions = provenance.trace(texts, steps)
    # What each instruction removed is its whole target span in the parent; steps without
    # instruction spans fall back to the character diff.
    removed = []
    for k, (step_origin, spans) in enumerate(steps):
        parent_text = texts[k]
        if spans:
            for start, end, origin in spans:
                replacement = next(i.replacement for i in applied[k] if i.n == origin[2])
                if parent_text[start:end].strip():
                    removed.append({**info[origin], "deleted": parent_text[start:end].strip(),
                                    "replaced_by": (replacement or "").strip(), "parent_offset": start})
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
    return {"document": view.document.key, "version": view.version.number,
            "currency": view.currency, "blocks": blocks, "deleted": removed}


def _steps(store: Store, chain: list[Version]):
    """For each amended version of a chain: its origin with the spans its applied instructions
    replaced (for ``provenance.trace``), those instructions, and what to say of each origin."""
    steps, applied, info = [], [], {}
    for v in chain[1:]:
        filing = store.filing(v.filing_id)
        ins = [i for i in store.instructions_of(v.filing_id) if i.status == "applied" and i.version_id == v.id]
        step_origin = (v.number, v.filing_id, None)
        info[step_origin] = {"version": v.number, "filing_id": v.filing_id, "filing": filing.label,
                             "effective_date": v.effective_date, "n": None, "source_text": None}
        spans = []
        for i in ins:
            origin = (v.number, v.filing_id, i.n)
            info[origin] = {**info[step_origin], "n": i.n, "source_text": i.source_text}
            spans.append((i.start, i.end, origin))
        steps.append((step_origin, spans))
        applied.append(ins)
    return steps, applied, info


@reading
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
    from ..query import DEFAULT_LEFT_OUT, kind_rank, parse_query

    parsed = parse_query(query)
    docs = [find_document(store, document)] if document else store.documents()
    if kind and kind != "all":
        docs = [d for d in docs if d.kind.lower() == kind.lower()]
    elif not document and not kind:
        docs = [d for d in docs if d.kind not in DEFAULT_LEFT_OUT]
    chosen: dict[int, tuple[Document, Version]] = {}
    for d in docs:
        try:
            v = history.as_of(store.versions_of(d.id), as_of, known_at)
        except NotFound:
            continue  # not in existence (or not known) then
        chosen[v.id] = (d, v)
    hits = store.search(parsed, list(chosen), -1)
    hits.sort(key=lambda h: kind_rank(chosen[h.version_id][0].kind))  # stable: best first within a kind
    hits = hits[:limit] if limit >= 0 else hits
    places = _hit_places(store, hits, chosen)
    snippets = store.snippets(parsed, [(text, heading) for heading, text in places])
    out = []
    for h, (heading, _), snippet in zip(hits, places, snippets):
        d, v = chosen[h.version_id]
        out.append({
            "document": d.key, "document_kind": d.kind, "version": v.number, "effective_date": v.effective_date,
            "page": h.page, "heading": heading, "kind": h.kind, "block": h.block,
            "snippet": " ".join(snippet.split()),
        })
    return out


def _hit_places(store: Store, hits, chosen: dict[int, tuple[Document, Version]]) -> list[tuple[str, str]]:
    """Each hit's heading path and block text, from its version's text (read once a version)."""
    segs: dict[int, Any] = {}
    out = []
    for h in hits:
        seg = segs.get(h.version_id)
        if seg is None:
            seg = segs[h.version_id] = segmented(store, chosen[h.version_id][1])
        b = seg.blocks[h.block]
        out.append((" > ".join(b.heading), seg.text[b.start:b.end]))
    return out


def _pick_version(store: Store, document: Document, ref: str | None, default: str,
                  known_at: dt.date | None) -> Version:
    """A version named ``vN`` or by a date (in force then), or the first / latest."""
    versions = store.versions_of(document.id)
    if ref is None:
        if default == "first":
            return versions[0]
        return history.as_of(versions, None, known_at)
    ref = ref.strip()
    m = re.fullmatch(r"[vV](\d+)", ref)
    if m:
        found = [v for v in versions if v.number == int(m.group(1))]
        if not found:
            raise NotFound(f"{document.key} has no version {ref} (it has 1..{len(versions)})")
        return found[0]
    return history.as_of(versions, history.parse_date(ref), known_at)


@reading
@sparing_collector
def compare_versions(store: Store, old_v: Version, new_v: Version, chain: list[Version]):
    """The redline changes from one version to another, and the newer text.

    ``chain`` is the versions from the original to ``new_v``. When ``old_v`` is on it, the newer
    text is read from the older one's, and the deltas in between say where the texts differ, so
    only the blocks there are compared.
    """
    from .. import redline

    old_text = store.version_text(old_v)
    new_text = store.version_text(new_v, known={old_v.id: old_text})
    ids = [v.id for v in chain]
    changed = None
    if old_v.id in ids:
        steps = chain[ids.index(old_v.id) + 1:]
        changed = diffing.changed_ranges([v.edits() for v in steps])
    changes = redline.compare(*segmented_pair(store, old_v, old_text, new_v, new_text), changed=changed)
    return changes, new_text


@reading
@sparing_collector
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


@sparing_collector
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
    old_text = store.version_text(old_v)
    new_text = store.version_text(new_v, known={old_v.id: old_text})
    return (report, *segmented_pair(store, old_v, old_text, new_v, new_text))


def _diff(store: Store, ref: str, from_ref: str | None, to_ref: str | None, known_at: dt.date | None):
    """The redline report, and the two versions it compares."""
    from .. import __version__, redline, render

    document = find_document(store, ref)
    versions = store.versions_of(document.id)
    old_v = _pick_version(store, document, from_ref, "first", known_at)
    new_v = _pick_version(store, document, to_ref, "latest", known_at)
    chain = chain_to(versions, new_v)
    ids = [v.id for v in chain]
    changes, new_text = compare_versions(store, old_v, new_v, chain)
    between = chain[ids.index(old_v.id) + 1:] if old_v.id in ids else chain[1:]
    filings, edits, notices, not_applied = [], [], [], []
    for v in between:
        f = store.filing(v.filing_id)
        source = sources.filing_source(store, f, v.effective_date)
        filings.append(source)
        cite = {"filing": source["key"] or f"filing {f.id}", "accession": f.accession, "filing_id": f.id}
        e, m = _instruction_entries(store, f, new_text, cite, v)
        edits += e
        not_applied += m
        notices += [{**cite, "n": n.n, "text": n.text} for n in store.notices_of(f.id)]
    changes = redline.attach_provenance(changes, edits)
    statement = currency(store, document, versions, new_v, None, known_at)
    meta = {
        "document": {"key": document.key, "title": document.title},
        "from_version": old_v.to_json(), "to_version": new_v.to_json(), "filings": filings,
        "currency": render.currency_statement(statement).strip(),
        "notices": notices, "not_applied": not_applied,
        "generated": {"at": now(), "database": str(store.path), "tracker": __version__},
    }
    return redline.report_json(meta, changes), old_v, new_v


def _instruction_entries(store: Store, f: Filing, new_text: str, cite: dict[str, Any],
                         v: Version) -> tuple[list[dict], list[dict]]:
    """A filing's applied edits found in the newer text (with the reviewers' decisions that placed
    them), and its instructions not applied; each cites the filing by key and accession."""
    edits, not_applied = [], []
    decided = sources.decisions(store, f.id, version=v.number)
    for i in store.instructions_of(f.id):
        if i.status == "applied" and i.replacement:
            at = new_text.find(i.replacement.strip())
            if at >= 0:
                edits.append({"start": i.start, "end": i.end, "new_start": at,
                              "new_end": at + len(i.replacement.strip()), **cite,
                              "effective": v.effective_date, "n": i.n, "op": i.op, "source_text": i.source_text,
                              "status": i.status, "confidence": i.confidence, "decision": decided.get(i.n)})
        elif i.status not in ("applied", "notice"):
            not_applied.append({**cite, "n": i.n, "status": i.status, "reason": i.reason,
                                "source_text": i.source_text})
    return edits, not_applied
