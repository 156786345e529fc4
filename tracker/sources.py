"""The sources a redline cites: each amending filing by its key and accession number, with its own
date, and the reviewers' decisions that placed its instructions.

What belongs here: reading, from a ``Store``, the facts a redline states about the filings behind a
change. A filing's date is its own: the EDGAR header's filing date, else the date printed on the
filing; the day it was ingested is only ever its recorded date.
"""

from __future__ import annotations

from typing import Any

from .store import Store


def filing_source(store: Store, filing: dict[str, Any], effective: str | None) -> dict[str, Any]:
    """The redline's entry for one filing applied: key, accession, own date and where it comes from."""
    doc = store.row(
        "SELECT d.key, d.title, d.document_date FROM amendments a "
        "JOIN documents d ON d.id = a.sticker_document_id WHERE a.filing_id = ?",
        [filing["id"]],
    ) or store.row(
        "SELECT key, title, document_date FROM documents WHERE filing_id = ? ORDER BY sequence LIMIT 1",
        [filing["id"]],
    ) or {}
    if filing.get("filed_date"):
        filed, filed_from = filing["filed_date"], "edgar-header"
    elif doc.get("document_date"):
        filed, filed_from = doc["document_date"], "filing-text"
    else:
        filed, filed_from = None, None
    return {
        "filing_id": filing["id"],
        "key": doc.get("key"),
        "accession": filing.get("accession"),
        "sha256": filing.get("sha256"),
        "filed": filed,
        "filed_from": filed_from,
        "recorded": filing.get("recorded_date"),
        "effective": effective,
        "title": doc.get("title"),
    }


def decisions(store: Store, filing_id: int, version: int | None = None) -> dict[int, dict[str, Any]]:
    """The reviewers' decisions on a filing's instructions, by instruction number: who, why, when.

    With ``version`` (the number of the version the filing made), only the decisions recorded
    before the apply that wrote it, in the audit trail's order: those that shaped it.
    """
    rows = store.rows("SELECT n, who, why, at FROM decisions WHERE filing_id = ?", [filing_id])
    if version is not None:
        made = store.row(
            "SELECT MAX(id) AS id FROM events WHERE command = 'apply' "
            "AND json_extract(inputs, '$.filing_id') = ? AND json_extract(outputs, '$.version') = ?",
            [filing_id, version],
        )
        if made and made["id"] is not None:
            taken = {
                r["n"]: r["id"]
                for r in store.rows(
                    "SELECT json_extract(inputs, '$.n') AS n, MAX(id) AS id FROM events "
                    "WHERE command = 'resolve' AND json_extract(inputs, '$.filing_id') = ? GROUP BY n",
                    [filing_id],
                )
            }
            rows = [d for d in rows if taken.get(d["n"], made["id"]) < made["id"]]
    return {d["n"]: {"who": d["who"], "why": d["why"], "at": d["at"]} for d in rows}
