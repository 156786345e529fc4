"""Versions: the texts of documents through time, as compressed snapshots and exact deltas.

What belongs here: adding versions and reading them (one, a document's, the originals' dates) and
the scheme that keeps their texts. A document's first version keeps its whole text (a slice of its
filing, or a compressed blob); a later one keeps only the exact edits to its parent, with the
diff-match-patch patch to the parent beside them for audit (``verify`` replays it), the two
compressed together. A version is a snapshot again (its whole text kept) only when the edits kept
since the last snapshot outweigh a fifth of the text (about what a compressed copy costs; and 16 KB),
or
``SNAPSHOT_EVERY`` versions have gone by: so a long history costs little more than its edits, and
reading any version inflates one snapshot and replays, in one pass, a bounded run of exact deltas
(never a fuzzy patch).
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Iterable, Sequence

from .. import diffing
from ..errors import IntegrityError
from ..records import Version
from .blobs import Blobs, text_sha256
from .db import id_list, now
from .filings import _iso

# At most this many versions between two snapshots (the replay of a read is bounded by it).
SNAPSHOT_EVERY = 1024

# A snapshot once the edits kept since the last one (compressed) outweigh this share of the text,
# and this many bytes (a short text is cheap to keep whole, and as cheap to replay edits on).
SNAPSHOT_SHARE = 0.2
SNAPSHOT_FLOOR = 16_384

_COLUMNS = ("v.id, v.document_id, v.number, v.parent_id, v.filing_id, v.effective_date, v.recorded_date, "
            "v.text_sha256, v.snapshot, v.delta, v.patch, v.partial, v.created_at, "
            "COALESCE(f.accession, f.sha256, ''), COALESCE(f.source_name, ''), v.edits")
_FROM = "FROM versions v LEFT JOIN filings f ON f.id = v.filing_id"


def pack_edits(delta: str, patch: str) -> bytes:
    """A version's exact edits (JSON) and audit patch, as kept: compressed together."""
    return zlib.compress(f"{delta}\0{patch}".encode("utf-8"), 9)


@functools.lru_cache(maxsize=4096)
def unpack_edits(data: bytes) -> tuple[str, str]:
    """The (exact edits, audit patch) ``pack_edits`` kept (the last few thousand remembered: a
    document's versions are listed by most reads)."""
    try:
        delta, patch = zlib.decompress(data).decode("utf-8").split("\0", 1)
    except (zlib.error, UnicodeDecodeError, ValueError):
        raise IntegrityError("a version's stored edits are corrupt (cannot inflate)") from None
    return delta, patch


def _version(row: tuple) -> Version:
    """A version from its row: its edits and patch unpacked when kept together."""
    if row[15] is not None:
        delta, patch = unpack_edits(row[15])
        row = (*row[:9], delta, patch, *row[11:15])
    else:
        row = row[:15]
    return Version(*row)


class Versions(Blobs):
    """The versions of each document: texts, dates, and the filing that made each."""

    # --- reading ------------------------------------------------------------------------------

    def version(self, version_id: int | None) -> Version | None:
        """One version by id, or None (also for a None id)."""
        if version_id is None:
            return None
        row = self._one(f"SELECT {_COLUMNS} {_FROM} WHERE v.id = ?", [version_id])
        return _version(row) if row else None

    def versions_of(self, document_id: int) -> list[Version]:
        """A document's versions by number (the original first)."""
        return [_version(r) for r in self._all(
            f"SELECT {_COLUMNS} {_FROM} WHERE v.document_id = ? ORDER BY v.number", [document_id])]

    def all_versions(self) -> list[Version]:
        """Every version in id order (parents before children), for verification."""
        return [_version(r) for r in self._all(f"SELECT {_COLUMNS} {_FROM} ORDER BY v.id")]

    def original(self, document_id: int) -> Version | None:
        """A document's first version."""
        row = self._one(f"SELECT {_COLUMNS} {_FROM} WHERE v.document_id = ? AND v.number = 1", [document_id])
        return _version(row) if row else None

    def original_dates(self, document_ids: Iterable[int]) -> dict[int, str]:
        """The effective date of each document's first version, by document id."""
        return dict(self._all(
            "SELECT document_id, effective_date FROM versions WHERE number = 1 "
            "AND document_id IN (SELECT value FROM json_each(?))", [id_list(document_ids)]))

    def version_counts(self) -> dict[int, int]:
        """How many versions each document has, by document id."""
        return dict(self._all("SELECT document_id, COUNT(*) FROM versions GROUP BY document_id"))

    def version_text(self, version: Version, known: dict[int, str] | None = None,
                     versions: Sequence[Version] = ()) -> str:
        """A version's full text: its stored snapshot, or the nearest snapshot above it plus exact deltas.

        ``known`` maps version ids to texts already read: an ancestor found there is used instead of
        the snapshot (a diff of a version against its own ancestor inflates one snapshot, not two).
        ``versions`` are the document's versions when the caller has read them: its line up to the
        snapshot is followed there rather than read again.
        """
        known = known or {}
        if version.id in known:
            return known[version.id]
        chain = []
        v = version
        if not v.snapshot:
            above = {u.id: u for u in versions} or self._up_to_snapshot(v.parent_id)
            while not v.snapshot and v.id not in known:
                chain.append(v)
                v = above.get(v.parent_id)
                if v is None or len(chain) > len(above):  # a parent lost, or parents in a circle
                    raise IntegrityError(f"version {chain[-1].number} has lost its parent")
        if v.id in known:
            text, span = known[v.id], None
        else:
            text, span = self.stored_span(v.text_sha256)
        return diffing.apply_edit_chain(text, [step.edits() for step in reversed(chain)], span)

    def _up_to_snapshot(self, version_id: int | None) -> dict[int, Version]:
        """A version and its ancestors up to the nearest snapshot, in one query rather than one each."""
        rows = self._all(
            "WITH RECURSIVE up(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT v.parent_id FROM versions v "
            f"JOIN up ON v.id = up.id WHERE v.snapshot = 0) SELECT {_COLUMNS} {_FROM} WHERE v.id IN (SELECT id FROM up)",
            [version_id],
        )
        return {r[0]: _version(r) for r in rows}

    def _since_snapshot(self, version_id: int) -> tuple[int, int]:
        """How many versions, from this one up to the nearest snapshot (that one included), and the
        bytes their kept edits weigh."""
        size = "COALESCE(length({0}edits), length({0}delta) + length({0}patch), 0)"
        row = self._one(
            f"WITH RECURSIVE up(parent, snapshot, size) AS (SELECT parent_id, snapshot, {size.format('')} "
            "FROM versions WHERE id = ? "
            f"UNION ALL SELECT v.parent_id, v.snapshot, {size.format('v.')} FROM versions v "
            "JOIN up ON v.id = up.parent WHERE up.snapshot = 0) SELECT COUNT(*), COALESCE(SUM(size), 0) FROM up",
            [version_id],
        )
        return row[0], row[1]

    # --- writing ------------------------------------------------------------------------------

    def add_original(self, document_id: int, filing_id: int, effective_date, recorded_date, text_sha256: str) -> int:
        """Record a document's first version, whose text is stored already (a blob or a slice)."""
        return self._insert_version(document_id, 1, None, filing_id, effective_date, recorded_date,
                                    text_sha256, True, None, False)

    def add_version(self, document_id: int, parent: Version, filing_id: int, recorded_date, effective_date,
                    parent_text: str, edits: Sequence[tuple[int, int, str]], *, partial: bool) -> tuple[Version, str]:
        """Store the version ``edits`` (in the parent's offsets) make of ``parent_text``; return it
        and its text. A snapshot when the edits kept since the last one outweigh ``SNAPSHOT_SHARE``
        of the text, or ``SNAPSHOT_EVERY`` versions have gone by."""
        new_text = diffing.apply_edits(parent_text, edits)
        digest = text_sha256(new_text)
        delta = json.dumps([list(e) for e in sorted(edits)], ensure_ascii=False)
        packed = pack_edits(delta, diffing.patch_from_edits(parent_text, edits))
        depth, weight = self._since_snapshot(parent.id)
        snapshot = depth >= SNAPSHOT_EVERY or weight + len(packed) > max(SNAPSHOT_SHARE * len(new_text), SNAPSHOT_FLOOR)
        if snapshot:
            self.put_text(new_text)
        number = self._one("SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE document_id = ?", [document_id])[0]
        vid = self._insert_version(document_id, number, parent.id, filing_id, effective_date, recorded_date, digest,
                                   snapshot, packed, partial)
        return self.version(vid), new_text

    def _insert_version(self, document_id, number, parent_id, filing_id, effective_date, recorded_date,
                        digest, snapshot, packed, partial) -> int:
        version_id = self._run(
            "INSERT INTO versions (document_id, number, parent_id, filing_id, effective_date, recorded_date, "
            "text_sha256, snapshot, edits, partial, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [document_id, number, parent_id, filing_id, _iso(effective_date), _iso(recorded_date), digest,
             int(snapshot), packed, int(partial), now()],
        )
        self._touch("version", version_id)
        return version_id

    def set_effective_date(self, version_id: int, date) -> None:
        """Correct a version's effective date."""
        self._run("UPDATE versions SET effective_date = ? WHERE id = ?", [_iso(date), version_id])
        self._touch("version", version_id)
