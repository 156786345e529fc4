"""Documents: the logical documents of filings, with their keys and what classification found.

What belongs here: adding a document, finding documents by id, key, filing or series, and the
counts listings show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..records import Document
from .db import Database
from .filings import _iso

if TYPE_CHECKING:
    from ..models import Metadata

_COLUMNS = ("id, filing_id, sequence, key, kind, title, registrant, series, file_number, irs_ein, form_type, "
            "document_date, report_date, signature_date, amends_supplement_date, amends_prospectus_date, "
            "amount, exhibit, preliminary, amends_kind")


class Documents(Database):
    """The documents of each filing, as classified."""
    def add_document(self, filing_id: int, sequence: int, key: str, meta: Metadata, form_type: str | None) -> int:
        """Record one document of a filing as classified; return its id."""
        document_id = self._run(
            "INSERT INTO documents (filing_id, sequence, key, kind, title, registrant, series, file_number, "
            "irs_ein, form_type, document_date, report_date, signature_date, amends_supplement_date, "
            "preliminary, amends_kind, amends_prospectus_date, amount, exhibit) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [filing_id, sequence, key, meta.kind, meta.title, meta.registrant, meta.series, meta.file_number,
             meta.irs_ein, form_type, _iso(meta.document_date), _iso(meta.report_date),
             _iso(meta.signature_date), _iso(meta.amends_supplement_date), int(meta.preliminary),
             meta.amends_kind, _iso(meta.amends_prospectus_date), meta.amount, meta.exhibit],
        )
        self._touch("document", document_id)
        return document_id

    def document(self, document_id: int) -> Document | None:
        """One document by id, or None."""
        row = self._one(f"SELECT {_COLUMNS} FROM documents WHERE id = ?", [document_id])
        return Document(*row) if row else None

    def document_by_key(self, key: str) -> Document | None:
        """The document whose key is ``key``, without regard to case."""
        row = self._one(f"SELECT {_COLUMNS} FROM documents WHERE lower(key) = lower(?)", [key])
        return Document(*row) if row else None

    def has_document_key(self, key: str) -> bool:
        """Whether a document with this key exists."""
        return self._one("SELECT 1 FROM documents WHERE key = ?", [key]) is not None

    def documents(self, *, filing_id: int | None = None) -> list[Document]:
        """Every document in id order, or a filing's documents in their order in it."""
        if filing_id is None:
            rows = self._all(f"SELECT {_COLUMNS} FROM documents ORDER BY id")
        else:
            rows = self._all(f"SELECT {_COLUMNS} FROM documents WHERE filing_id = ? ORDER BY sequence", [filing_id])
        return [Document(*r) for r in rows]

    def documents_of_series(self, series: str, *, kinds: Sequence[str] | None = None) -> list[Document]:
        """The documents of a series in id order: of these kinds, exactly; or any kind, with the
        series named without regard to case."""
        if kinds is None:
            rows = self._all(f"SELECT {_COLUMNS} FROM documents WHERE upper(series) = upper(?) ORDER BY id", [series])
        else:
            marks = ", ".join("?" for _ in kinds)
            rows = self._all(f"SELECT {_COLUMNS} FROM documents WHERE kind IN ({marks}) AND series = ? ORDER BY id",
                             [*kinds, series])
        return [Document(*r) for r in rows]

    def series(self) -> list[str]:
        """Every series named by a document, in order."""
        return [r[0] for r in self._all("SELECT DISTINCT series FROM documents WHERE series IS NOT NULL ORDER BY series")]

    def set_document_kind(self, document_id: int, kind: str) -> None:
        """Change a document's kind (a reclassification)."""
        self._run("UPDATE documents SET kind = ? WHERE id = ?", [kind, document_id])
        self._touch("document", document_id)

    def document_counts(self) -> dict[int, int]:
        """How many documents each filing holds, by filing id."""
        return dict(self._all("SELECT filing_id, COUNT(*) FROM documents GROUP BY filing_id"))
