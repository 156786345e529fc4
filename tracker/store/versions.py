"""Versions: the texts of documents through time, as compressed snapshots and exact deltas.

What belongs here: adding versions and reading them (one, a document's, the originals' dates) and
the scheme that keeps their texts. Every ``SNAPSHOT_EVERY``-th version keeps its whole text (a
compressed blob); the others keep only the exact edits to their parent, so reading any version
inflates one snapshot and replays at most ``SNAPSHOT_EVERY - 1`` exact deltas (never a fuzzy patch).
The diff-match-patch patch to the parent is kept beside, for audit (``verify`` replays it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from .. import diffing
from ..errors import IntegrityError
from ..records import Version
from .blobs import Blobs, text_sha256
from .db import id_list, now
from .filings import _iso

SNAPSHOT_EVERY = 32

_COLUMNS = ("v.id, v.document_id, v.number, v.parent_id, v.filing_id, v.effective_date, v.recorded_date, "
            "v.text_sha256, v.snapshot, v.delta, v.patch, v.partial, v.created_at, "
            "COALESCE(f.accession, f.sha256, ''), COALESCE(f.source_name, '')")
_FROM = "FROM versions v LEFT JOIN filings f ON f.id = v.filing_id"


class Versions(Blobs):
    """The versions of each document: texts, dates, and the filing that made each."""

    # --- reading ------------------------------------------------------------------------------

    def version(self, version_id: int | None) -> Version | None:
        """One version by id, or None (also for a None id)."""
        if version_id is None:
            return None
        row = self._one(f"SELECT {_COLUMNS} {_FROM} WHERE v.id = ?", [version_id])
        return Version(*row) if row else None

    def versions_of(self, document_id: int) -> list[Version]:
        """A document's versions by number (the original first)."""
        return [Version(*r) for r in self._all(
            f"SELECT {_COLUMNS} {_FROM} WHERE v.document_id = ? ORDER BY v.number", [document_id])]

    def all_versions(self) -> list[Version]:
        """Every version in id order (parents before children), for verification."""
        return [Version(*r) for r in self._all(f"SELECT {_COLUMNS} {_FROM} ORDER BY v.id")]

    def original(self, document_id: int) -> Version | None:
        """A document's first version."""
        row = self._one(f"SELECT {_COLUMNS} {_FROM} WHERE v.document_id = ? AND v.number = 1", [document_id])
        return Version(*row) if row else None

    def original_dates(self, document_ids: Iterable[int]) -> dict[int, str]:
        """The effective date of each document's first version, by document id."""
        return dict(self._all(
            "SELECT document_id, effective_date FROM versions WHERE number = 1 "
            "AND document_id IN (SELECT value FROM json_each(?))", [id_list(document_ids)]))

    def version_counts(self) -> dict[int, int]:
        """How many versions each document has, by document id."""
        return dict(self._all("SELECT document_id, COUNT(*) FROM versions GROUP BY document_id"))

    def version_text(self, version: Version, known: dict[int, str] | None = None) -> str:
        """A version's full text: its stored snapshot, or the nearest snapshot above it plus exact deltas.

        ``known`` maps version ids to texts already read: an ancestor found there is used instead of
        the snapshot (a diff of a version against its own ancestor inflates one snapshot, not two).
        """
        known = known or {}
        if version.id in known:
            return known[version.id]
        chain = []
        v = version
        if not v.snapshot:
            above = self._up_to_snapshot(v.parent_id)
            while not v.snapshot and v.id not in known:
                chain.append(v)
                v = above.get(v.parent_id)
                if v is None or len(chain) > len(above):  # a parent lost, or parents in a circle
                    raise IntegrityError(f"version {chain[-1].number} has lost its parent")
        text = known[v.id] if v.id in known else self.stored_text(v.text_sha256)
        return diffing.apply_edit_chain(text, [step.edits() for step in reversed(chain)])

    def _up_to_snapshot(self, version_id: int | None) -> dict[int, Version]:
        """A version and its ancestors up to the nearest snapshot, in one query rather than one each."""
        rows = self._all(
            "WITH RECURSIVE up(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT v.parent_id FROM versions v "
            f"JOIN up ON v.id = up.id WHERE v.snapshot = 0) SELECT {_COLUMNS} {_FROM} WHERE v.id IN (SELECT id FROM up)",
            [version_id],
        )
        return {r[0]: Version(*r) for r in rows}

    # --- writing ------------------------------------------------------------------------------

    def add_original(self, document_id: int, filing_id: int, effective_date, recorded_date, text_sha256: str) -> int:
        """Record a document's first version, whose text is stored already (a blob or a slice)."""
        return self._insert_version(document_id, 1, None, filing_id, effective_date, recorded_date,
                                    text_sha256, True, None, None, False)

    def add_version(self, document_id: int, parent: Version, filing_id: int, recorded_date, effective_date,
                    parent_text: str, edits: Sequence[tuple[int, int, str]], *, partial: bool) -> tuple[Version, str]:
        """Store the version ``edits`` (in the parent's offsets) make of ``parent_text``; return it
        and its text. A snapshot when ``SNAPSHOT_EVERY`` versions have gone by since the last one."""
        new_text = diffing.apply_edits(parent_text, edits)
        digest = text_sha256(new_text)
        depth = 1
        v = parent
        while not v.snapshot:
            depth += 1
            v = self.version(v.parent_id)
            if v is None or depth > SNAPSHOT_EVERY:  # a lost parent, or a circle: a store not as written
                raise IntegrityError(f"version {parent.number} has lost its snapshot (run 'tracker verify')")
        snapshot = depth >= SNAPSHOT_EVERY
        if snapshot:
            self.put_text(new_text)
        number = self._one("SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE document_id = ?", [document_id])[0]
        delta = json.dumps([list(e) for e in sorted(edits)], ensure_ascii=False)
        vid = self._insert_version(document_id, number, parent.id, filing_id, effective_date, recorded_date, digest,
                                   snapshot, delta, diffing.patch_from_edits(parent_text, edits), partial)
        return self.version(vid), new_text

    def _insert_version(self, document_id, number, parent_id, filing_id, effective_date, recorded_date,
                        digest, snapshot, delta, patch, partial) -> int:
        version_id = self._run(
            "INSERT INTO versions (document_id, number, parent_id, filing_id, effective_date, recorded_date, "
            "text_sha256, snapshot, delta, patch, partial, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [document_id, number, parent_id, filing_id, _iso(effective_date), _iso(recorded_date), digest,
             int(snapshot), delta, patch, int(partial), now()],
        )
        self._touch("version", version_id)
        return version_id

    def set_effective_date(self, version_id: int, date) -> None:
        """Correct a version's effective date."""
        self._run("UPDATE versions SET effective_date = ? WHERE id = ?", [_iso(date), version_id])
        self._touch("version", version_id)
