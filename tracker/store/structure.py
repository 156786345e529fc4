"""Stored segmentations: each version's pages and blocks, packed (see ``tracker.structure``).

What belongs here: keeping and reading the packed bytes of ``version_structure``. Whether stored
bytes are still current (same text, same segmenter) is ``tracker.structure``'s to say.
"""

from __future__ import annotations

from .db import Database


class Structures(Database):
    """Each version's segmentation, packed, so reads need not segment again."""
    def put_structure(self, version_id: int, data: bytes) -> None:
        """Keep a version's packed segmentation, inside the caller's transaction."""
        self._run("INSERT INTO version_structure (version_id, data) VALUES (?, ?) "
                  "ON CONFLICT (version_id) DO UPDATE SET data = excluded.data", [version_id, data])
        self._touch("version", version_id)

    def get_structure(self, version_id: int) -> bytes | None:
        """A version's packed segmentation, or None when it was never kept."""
        found = self._one("SELECT data FROM version_structure WHERE version_id = ?", [version_id])
        return found[0] if found else None
