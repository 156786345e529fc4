"""The store: the only package that imports sqlite3 or sqlite_utils, and the only place with SQL.

What belongs here: keeping and finding what the project knows (filings, documents, versions and
their texts, amendments with their instructions, notices and decisions, stored segmentations, the
search index, the audit trail) and handing it back as domain values (``tracker.records``,
``tracker.models``); never SQL to callers. It knows nothing of parsing or amending.

``Store`` is one object made of one class per group of tables (``blobs``, ``filings``,
``documents``, ``versions``, ``amendments``, ``structure``, ``search``, ``events``) over one
connection (``db``): a use case's writes to several groups are one transaction on that connection,
and its calls read as what they do (``store.versions_of(document_id)``). The public methods of
those classes are the interface a second backend would implement (see ``docs/design.md``).
"""

from __future__ import annotations

from .amendments import Amendments
from .blobs import compress, sha256, text_sha256
from .db import BUSY_TIMEOUT_MS, is_server, now
from .documents import Documents
from .events import GENESIS, Events, event_hash
from .filings import Filings
from .proof import BREAKS
from .search import Search, block_key, pack_blocks, unpack_blocks
from .structure import Structures
from .transfer import copy_record
from .versions import SNAPSHOT_EVERY, Versions


class Store(Filings, Documents, Versions, Amendments, Structures, Search, Events):
    """A tracker database. Open with ``Store.open(path)``; use ``transaction()`` for every write."""

    @classmethod
    def open(cls, location, *, create: bool = True, write: bool = True):
        """Open the database at ``location``: a SQLite file, or a PostgreSQL server when it is a
        ``postgresql://`` URL (``store.postgres``, imported only then)."""
        if is_server(location):
            from .postgres import PostgresStore

            return PostgresStore.open(str(location), create=create, write=write)
        return super().open(location, create=create, write=write)


__all__ = [
    "BREAKS", "BUSY_TIMEOUT_MS", "GENESIS", "copy_record", "is_server", "SNAPSHOT_EVERY", "Store", "block_key", "compress", "event_hash", "now",
    "pack_blocks", "sha256", "text_sha256", "unpack_blocks",
]
