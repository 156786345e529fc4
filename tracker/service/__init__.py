"""The use cases, over the store and the pure core: no SQL (that is the store's) and no formatting
(that is ``render``'s).

What belongs here: one module per group of use cases, and this index of what callers use, so that
``from tracker import service; service.ingest(store, paths)`` reads as it always has.

- ``ingest``: files into filings, documents and first versions (``ingest``, ``ingest_bytes``,
  ``prepare``, ``store_prepared``, ``parse_file``)
- ``amend``: linking, applying, rebasing, explaining, reviewers' decisions and review
- ``decide``: what a reviewer reads before deciding (the queue, a filing, an instruction's candidates)
- ``read``: names (``find_document``, ``find_filing``), ``show`` as of a date with its currency,
  listings, history, outline
- ``compare``: ``diff_report``, ``blame``, ``search``
- ``audit``: ``verify``, the event log, and ``copy`` of a whole record to another database
- ``common``: what they share (who acts, segmentations, writing a version)

Each public function takes a ``Store`` and plain values and returns records, dataclasses or
JSON-ready dicts for ``render`` to print. Every write happens inside one ``store.transaction()``
and adds one event to the audit trail.

A name is imported from its module when it is first asked for, so that a command loads only the
use cases it runs (``show`` needs neither ingest's nor amend's); ``service.ingest`` is the
function, never the module of the same name.
"""

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .amend import (ApplyResult, apply_amendment, explain, link_and_apply_pending, link_target, needing_review,
                        record_decision, review, stored_resolutions)
    from .audit import copy, events, filtered_events, verify
    from .common import (actor, bundled_corpus, passages, segmented, stored_segmentation, stored_structure,
                         write_version)
    from .compare import blame, compare_versions, diff_document, diff_report, search
    from .decide import decision_context, filing_review, filing_state, review_queue
    from .ingest import (MAX_FILE_BYTES, IngestReport, IngestResult, Prepared, amend_stored, document_key,
                         expand_paths, ingest, ingest_bytes, own_date, parse_bytes, parse_file, prepare,
                         store_prepared)
    from .read import (View, changed_pages, currency, document_history, find_document, find_filing,
                       list_documents, list_filings, outline, show, timeline)

_MODULES = {
    "amend": ("ApplyResult", "apply_amendment", "explain", "link_and_apply_pending", "link_target",
              "needing_review", "record_decision", "review", "stored_resolutions"),
    "audit": ("copy", "events", "filtered_events", "verify"),
    "common": ("actor", "bundled_corpus", "passages", "segmented", "stored_segmentation", "stored_structure",
               "write_version"),
    "compare": ("blame", "compare_versions", "diff_document", "diff_report", "search"),
    "decide": ("decision_context", "filing_review", "filing_state", "review_queue"),
    "ingest": ("MAX_FILE_BYTES", "IngestReport", "IngestResult", "Prepared", "amend_stored", "document_key",
               "expand_paths", "ingest", "ingest_bytes", "own_date", "parse_bytes", "parse_file", "prepare",
               "store_prepared"),
    "read": ("View", "changed_pages", "currency", "document_history", "find_document", "find_filing",
             "list_documents", "list_filings", "outline", "show", "timeline"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_HOME)


class _Package(types.ModuleType):
    """This package, whose names come from their modules on first use."""

    def __getattr__(self, name: str) -> Any:
        home = _HOME.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = importlib.import_module(f".{home}", __name__)
        for other in _MODULES[home]:
            super().__setattr__(other, getattr(module, other))
        return getattr(module, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HOME and isinstance(value, types.ModuleType):
            return  # the import system naming a module (``ingest``): the name stays the function's
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
