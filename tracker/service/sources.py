"""The sources a redline cites: each amending filing by its key and accession number, with its own
date, and the reviewers' decisions that placed its instructions.

What belongs here: the facts a redline states about the filings behind a change. A filing's date is its
own: the EDGAR header's filing date, else the date printed on the filing; the day it was ingested is
only ever its recorded date.
"""

from __future__ import annotations

from typing import Any

from ..records import Filing
from ..store import Store


def filing_source(store: Store, filing: Filing, effective: str | None) -> dict[str, Any]:
    """The redline's entry for one filing applied: key, accession, own date and where it comes from."""
    a = store.amendment(filing.id)
    doc = store.document(a.sticker_document_id) if a else next(iter(store.documents(filing_id=filing.id)), None)
    if filing.filed_date:
        filed, filed_from = filing.filed_date, "edgar-header"
    elif doc is not None and doc.document_date:
        filed, filed_from = doc.document_date, "filing-text"
    else:
        filed, filed_from = None, None
    return {
        "filing_id": filing.id,
        "key": doc.key if doc else None,
        "accession": filing.accession,
        "sha256": filing.sha256,
        "filed": filed,
        "filed_from": filed_from,
        "recorded": filing.recorded_date,
        "effective": effective,
        "title": doc.title if doc else None,
    }


def decisions(store: Store, filing_id: int, version: int | None = None) -> dict[int, dict[str, Any]]:
    """The reviewers' decisions on a filing's instructions, by instruction number: who, why, when.

    With ``version`` (the number of the version the filing made), only the decisions recorded
    before the apply that wrote it, in the audit trail's order: those that shaped it.
    """
    rows = store.reviews_of(filing_id)
    if version is not None:
        made = store.apply_event_id(filing_id, version)
        if made is not None:
            taken = store.resolve_event_ids(filing_id)
            rows = [d for d in rows if taken.get(d[0], made) < made]
    return {n: {"who": who, "why": why, "at": at} for n, who, why, at in rows}
