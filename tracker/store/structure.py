"""Stored segmentations: each version's pages and blocks, packed (see ``tracker.structure``).

What belongs here: keeping and reading the packed bytes of ``version_structure``, whole or spliced
on the parent version's (``spliced_on``), and reading a version's chain of them. Whether stored
bytes are still current (same text, same segmenter) is ``tracker.structure``'s to say.
"""

from __future__ import annotations

from .db import Database

# How far up a chain of splices is followed (``tracker.structure`` keeps chains far shorter).
_MAX_CHAIN = 1000


class Structures(Database):
    """Each version's segmentation, packed, so reads need not segment again."""
    def put_structure(self, version_id: int, data: bytes, spliced_on: int | None = None) -> None:
        """Keep a version's packed segmentation, inside the caller's transaction: whole, or a
        splice on the structure of version ``spliced_on``."""
        self._run("INSERT INTO version_structure (version_id, data, spliced_on) VALUES (?, ?, ?) "
                  "ON CONFLICT (version_id) DO UPDATE SET data = excluded.data, spliced_on = excluded.spliced_on",
                  [version_id, data, spliced_on])
        self._touch("version", version_id)

    def get_structure(self, version_id: int) -> bytes | None:
        """A version's packed segmentation (whole or a splice), or None when it was never kept."""
        found = self._one("SELECT data FROM version_structure WHERE version_id = ?", [version_id])
        return found[0] if found else None

    def structure_chain(self, version_id: int) -> list[bytes]:
        """A version's packed segmentation as a chain: the whole one of the nearest version up its
        line that keeps one, then each splice down to this version's; [] when a link is missing."""
        rows = self._all(
            "WITH RECURSIVE up(id, depth) AS (SELECT CAST(? AS BIGINT), 0 UNION ALL "
            "SELECT s.spliced_on, up.depth + 1 FROM version_structure s JOIN up ON s.version_id = up.id "
            f"WHERE s.spliced_on IS NOT NULL AND up.depth < {_MAX_CHAIN}) "
            "SELECT s.data, s.spliced_on FROM up JOIN version_structure s ON s.version_id = up.id "
            "ORDER BY up.depth DESC",
            [version_id],
        )
        if not rows or rows[0][1] is not None:
            return []
        return [r[0] for r in rows]
