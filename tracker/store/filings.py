"""Filings: one row per submission as received.

What belongs here: adding a filing and finding filings by id, bytes (sha256), accession number or
the start of their sha256.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..records import Filing
from .db import Database, id_list

_COLUMNS = ("id, sha256, accession, source_name, format, encoding, form_type, filed_date, recorded_date, "
            "company, cik, ingested_at")


class Filings(Database):
    """Ingested filings: where they came from, their form, dates and digest."""
    def add_filing(self, *, sha256: str, accession: str | None, source_name: str, format: str,
                   encoding: str, form_type: str | None, filed_date, recorded_date, company: str | None,
                   cik: str | None, ingested_at: str) -> int:
        """Record one filing (its bytes stored already); return its id."""
        filing_id = self._run(
            "INSERT INTO filings (sha256, accession, source_name, format, encoding, form_type, filed_date, "
            "recorded_date, company, cik, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [sha256, accession, source_name, format, encoding, form_type, _iso(filed_date),
             _iso(recorded_date), company, cik, ingested_at],
        )
        self._touch("filing", filing_id)
        return filing_id

    def filing(self, filing_id: int) -> Filing | None:
        """One filing by id, or None."""
        return self._filing("id = ?", filing_id)

    def filing_by_sha256(self, digest: str) -> Filing | None:
        """The filing with exactly these bytes, or None."""
        return self._filing("sha256 = ?", digest)

    def filing_by_accession(self, accession: str) -> Filing | None:
        """The filing with this EDGAR accession number, or None."""
        return self._filing("accession = ?", accession)

    def filings_by_sha256_prefix(self, prefix: str) -> list[Filing]:
        """Filings whose digest starts with a prefix (for short ids)."""
        return [Filing(*r) for r in self._all(
            f"SELECT {_COLUMNS} FROM filings WHERE sha256 LIKE ? ORDER BY id", [prefix + "%"])]

    def filings(self, ids: Iterable[int] | None = None) -> list[Filing]:
        """Every filing (or those with these ids) in id order."""
        if ids is None:
            return [Filing(*r) for r in self._all(f"SELECT {_COLUMNS} FROM filings ORDER BY id")]
        return [Filing(*r) for r in self._all(
            f"SELECT {_COLUMNS} FROM filings WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            [id_list(ids)])]

    def _filing(self, where: str, value) -> Filing | None:
        row = self._one(f"SELECT {_COLUMNS} FROM filings WHERE {where}", [value])
        return Filing(*row) if row else None


def _iso(value):
    """A date as the ISO text the store keeps (dates given as text are kept as they are)."""
    return value.isoformat() if hasattr(value, "isoformat") else value
