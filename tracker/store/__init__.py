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
from .db import BUSY_TIMEOUT_MS, now
from .documents import Documents
from .events import GENESIS, Events, event_hash
from .filings import Filings
from .proof import BREAKS
from .search import Search, block_key, pack_blocks, unpack_blocks
from .structure import Structures
from .versions import SNAPSHOT_EVERY, Versions


class Store(Filings, Documents, Versions, Amendments, Structures, Search, Events):
    """A tracker database. Open with ``Store.open(path)``; use ``transaction()`` for every write."""


__all__ = [
    "BREAKS", "BUSY_TIMEOUT_MS", "GENESIS", "SNAPSHOT_EVERY", "Store", "block_key", "compress", "event_hash", "now",
    "pack_blocks", "sha256", "text_sha256", "unpack_blocks",
]
