"""The use cases, over the store and the pure core: no SQL (that is the store's) and no formatting
(that is ``render``'s).

What belongs here: one module per group of use cases, and this index of what callers use, so that
``from tracker import service; service.ingest(store, paths)`` reads as it always has.

- ``ingest``: files into filings, documents and first versions (``ingest``, ``ingest_bytes``,
  ``prepare``, ``store_prepared``, ``parse_file``)
- ``amend``: linking, applying, rebasing, explaining, reviewers' decisions and review
- ``read``: names (``find_document``, ``find_filing``), ``show`` as of a date with its currency,
  listings, history, outline
- ``compare``: ``diff_report``, ``blame``, ``search``
- ``audit``: ``verify`` and the event log
- ``common``: what they share (who acts, segmentations, writing a version)

Each public function takes a ``Store`` and plain values and returns records, dataclasses or
JSON-ready dicts for ``render`` to print. Every write happens inside one ``store.transaction()``
and adds one event to the audit trail.
"""

from .amend import (
    ApplyResult,
    apply_amendment,
    explain,
    link_and_apply_pending,
    link_target,
    needing_review,
    record_decision,
    review,
    stored_resolutions,
)
from .audit import events, filtered_events, verify
from .common import actor, bundled_corpus, passages, segmented, stored_segmentation, stored_structure, write_version
from .compare import blame, compare_versions, diff_document, diff_report, search
from .ingest import (
    MAX_FILE_BYTES,
    IngestReport,
    IngestResult,
    Prepared,
    amend_stored,
    document_key,
    expand_paths,
    ingest,
    ingest_bytes,
    own_date,
    parse_bytes,
    parse_file,
    prepare,
    store_prepared,
)
from .read import (
    View,
    changed_pages,
    currency,
    document_history,
    find_document,
    find_filing,
    list_documents,
    list_filings,
    outline,
    show,
    timeline,
)

__all__ = [
    "MAX_FILE_BYTES", "ApplyResult", "IngestReport", "IngestResult", "Prepared", "View", "actor", "amend_stored",
    "apply_amendment", "blame", "bundled_corpus", "changed_pages", "compare_versions", "currency", "diff_document", "diff_report", "document_history",
    "document_key", "events", "expand_paths", "explain", "filtered_events", "find_document", "find_filing",
    "ingest", "ingest_bytes", "link_and_apply_pending", "link_target", "list_documents", "list_filings",
    "needing_review", "outline", "own_date", "parse_bytes", "parse_file", "passages", "prepare",
    "record_decision", "review", "search", "segmented", "show", "store_prepared", "stored_resolutions",
    "stored_segmentation", "stored_structure", "timeline", "verify", "write_version",
]
