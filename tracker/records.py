"""What the store keeps, as typed values: a filing, a document, a version, an amendment's record,
an instruction's stored outcome, an event, a search hit.

What belongs here: frozen dataclasses the store makes from its rows and the use cases read by
attribute, each with ``to_json()`` and ``from_json()`` (a test round-trips them). Nothing here does
I/O or knows SQL. Dates are kept as the ISO 8601 text the store holds (``2004-01-09``), which sorts
as dates do; flags are ``bool``, and ``to_json`` gives them as the 0 and 1 the JSON output has
always shown.

Kept apart from ``models`` (the values of parsing and locating) so that reading commands, which
need these and not those, do not pay for setting up the parser's dataclasses.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass
from typing import Any


class _Record:
    """``to_json``/``from_json`` over the dataclass fields: bools as 0/1, everything else as is."""

    def to_json(self) -> dict[str, Any]:
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = int(value) if isinstance(value, bool) else value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]):
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})

    def _flags(self, *names: str) -> None:
        """Store flags as bools whatever the row gave (SQLite gives 0 and 1)."""
        for name in names:
            object.__setattr__(self, name, bool(getattr(self, name)))


@dataclass(frozen=True)
class Filing(_Record):
    """One submission as received: its bytes' sha256, accession number (None for a bare file), dates."""

    id: int
    sha256: str
    accession: str | None
    source_name: str
    format: str
    encoding: str
    form_type: str | None
    filed_date: str | None
    recorded_date: str
    company: str | None
    cik: str | None
    ingested_at: str

    def __post_init__(self) -> None:
        if len(self.sha256) != 64:
            raise ValueError(f"a filing is keyed by a sha256, not {self.sha256!r}")

    @property
    def label(self) -> str:
        """How a filing is named to people: its accession number, else the start of its sha256."""
        return self.accession or self.sha256[:12]


@dataclass(frozen=True)
class Document(_Record):
    """One document of a filing, with the key users name it by and what classification found."""

    id: int
    filing_id: int
    sequence: int
    key: str
    kind: str
    title: str | None
    registrant: str | None
    series: str | None
    file_number: str | None
    irs_ein: str | None
    form_type: str | None
    document_date: str | None
    report_date: str | None
    signature_date: str | None
    amends_supplement_date: str | None
    amends_prospectus_date: str | None
    amount: str | None
    exhibit: str | None
    preliminary: bool
    amends_kind: str | None

    def __post_init__(self) -> None:
        self._flags("preliminary")
        if not self.key:
            raise ValueError("a document has a key")

    @property
    def own_date(self) -> str | None:
        """The date the document carries: its own, else its report's, else its signature's."""
        return self.document_date or self.report_date or self.signature_date


@dataclass(frozen=True)
class Version(_Record):
    """The text of a document from one moment on, as stored: a snapshot or exact edits to its parent.

    ``accession`` is the accession number of the filing that made it, or that filing's sha256 when
    it has none (what orders versions of the same dates); ``delta`` the stored edits to the parent
    (JSON), ``patch`` the diff-match-patch patch to it, kept for audit.
    """

    id: int
    document_id: int
    number: int
    parent_id: int | None
    filing_id: int
    effective_date: str
    recorded_date: str
    text_sha256: str
    snapshot: bool
    delta: str | None
    patch: str | None
    partial: bool
    created_at: str
    accession: str
    source_name: str

    def __post_init__(self) -> None:
        self._flags("snapshot", "partial")
        if self.number < 1:
            raise ValueError("version numbers start at 1")

    def edits(self) -> list[tuple[int, int, str]]:
        """The exact edits that make this version from its parent, in the parent's offsets."""
        return list(_edits(self.delta)) if self.delta else []


@functools.lru_cache(maxsize=4096)
def _edits(delta: str) -> tuple[tuple[int, int, str], ...]:
    """Stored edits read from their JSON (the last few thousand remembered: a document's chain is
    replayed by most reads)."""
    return tuple(tuple(e) for e in json.loads(delta))


@dataclass(frozen=True)
class AmendmentRecord(_Record):
    """A sticker's link to the document it amends, its state and the version it made.

    ``state`` is ``pending``, ``applied``, ``partial`` or ``needs_review``; ``sticker_key`` and
    ``target_key`` are the keys of the two documents (no target while it is not linked).
    """

    filing_id: int
    sticker_document_id: int
    target_document_id: int | None
    linked_by: str | None
    state: str
    version_id: int | None
    summary: str | None
    sticker_key: str
    target_key: str | None

    def __post_init__(self) -> None:
        if self.state not in ("pending", "applied", "partial", "needs_review"):
            raise ValueError(f"unknown amendment state: {self.state!r}")


@dataclass(frozen=True)
class StoredInstruction(_Record):
    """One instruction as its last apply left it: its words, status, span and replacement.

    ``pieces`` are the places an instruction that changes several places changed, as
    (start, end, new text); empty otherwise.
    """

    filing_id: int
    n: int
    op: str
    source_text: str
    status: str
    confidence: float | None
    start: int | None
    end: int | None
    replacement: str | None
    reason: str | None
    version_id: int | None
    pieces: tuple[tuple[int, int, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The instruction as JSON, with the pieces of new text it carries."""
        return {**super().to_json(), "pieces": [list(p) for p in self.pieces]}

    @classmethod
    def from_json(cls, data: dict[str, Any]):
        return cls(**{**data, "pieces": tuple(tuple(p) for p in data.get("pieces") or ())})


@dataclass(frozen=True)
class Event(_Record):
    """One line of the audit trail. ``inputs``, ``outputs`` and ``records`` are kept as the JSON text
    that was hashed, so the chain is checked on exactly what was stored; ``to_json`` gives them parsed.

    ``records`` maps each record the event's write touched (``version/12``) to its digest then, or
    to None when the write removed it; None for an event made before records were committed.
    """

    id: int
    at: str
    actor: str
    command: str
    inputs: str
    outputs: str
    prev_hash: str
    hash: str
    records: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The event as JSON, its inputs, outputs and records decoded."""
        return {**super().to_json(), "inputs": json.loads(self.inputs), "outputs": json.loads(self.outputs),
                "records": json.loads(self.records) if self.records is not None else None}

    def committed(self) -> dict[str, str | None]:
        """The records this event commits, by name, with their digests (None: removed)."""
        return json.loads(self.records) if self.records else {}

    @classmethod
    def from_json(cls, data: dict[str, Any]):
        records = data.get("records")
        return cls(**{**data, "inputs": event_json(data["inputs"]), "outputs": event_json(data["outputs"]),
                      "records": None if records is None else event_json(records)})


def event_json(value: Any) -> str:
    """The JSON text an event keeps for its inputs or outputs (what its hash covers)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class SearchHit(_Record):
    """A block of a version whose text matches a search: where it stands and a marked snippet."""

    version_id: int
    block: int
    page: str | None
    heading: str
    kind: str
    snippet: str
    rank: float
