"""What a reviewer reads before deciding: the queue of amendments waiting, one amending filing with
its stored state, and one instruction with each candidate on its printed page.

What belongs here: the reading use cases of review, built on ``review`` and ``explain`` (so that
they say what ``tracker review`` and ``tracker explain`` say) and returning JSON-ready dicts. The
writes stay ``record_decision`` and ``apply_amendment`` in ``amend``.
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFound
from ..records import AmendmentRecord
from ..store import Store
from .amend import ApplyResult, explain, review
from .common import TEXTUAL_OK, reading, segmented
from .read import find_filing, page_blocks


@reading
def review_queue(store: Store) -> dict[str, Any]:
    """``review``'s amendments, newest sticker first, each with its date; and the counts of
    amendments by state and of instructions by status."""
    items = review(store)
    records = {a.filing_id: a for a in store.amendments(filing_ids=[i["filing_id"] for i in items])}
    dates = store.original_dates(r.sticker_document_id for r in records.values())
    for item in items:
        item["date"] = dates.get(records[item["filing_id"]].sticker_document_id)
    items.sort(key=lambda i: (i["date"] or "", i["filing_id"]), reverse=True)
    states: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for item in items:
        states[item["state"]] = states.get(item["state"], 0) + 1
        for i in item["instructions"]:
            statuses[i["status"]] = statuses.get(i["status"], 0) + 1
    counts = {"amendments": len(items), "instructions": sum(statuses.values()),
              "by_state": dict(sorted(states.items())), "by_status": dict(sorted(statuses.items()))}
    return {"counts": counts, "amendments": items}


def filing_review(store: Store, ref: str) -> dict[str, Any]:
    """``explain``'s JSON for one amending filing (what applying it now would do), with its stored
    state, the version it made, and the reviewers' decisions on its instructions."""
    record, result = _explained(store, ref)
    return _with_state(store, record, result)


def decision_context(store: Store, ref: str, n: int, page: str | None = None) -> dict[str, Any]:
    """One instruction of an amending filing as a reviewer decides it: the instruction and its new
    text, each candidate on its printed page (``mark``: the span within ``page_text``), the labels
    of the pages, and the blocks of one page (``page``, else the first candidate's) to pick from."""
    record, result = _explained(store, ref)
    entry = next((r for r in result.resolutions if r["n"] == n), None)
    if entry is None:
        raise NotFound(f"filing {record.filing_id} has no instruction {n}")
    instruction = next(i for i in store.parsed_amendment(record.filing_id).instructions if i.n == n)
    seg = segmented(store, result.parent)
    candidates = [{"k": k, **c, **_on_page(seg, c["start"], c["end"])}
                  for k, c in enumerate(entry["candidates"], start=1)]
    labels = [p.label for p in seg.pages if p.label]
    if page is not None and page not in labels:
        raise NotFound(f"page {page} is not in {result.document.key}")
    # Else the first candidate's page, or the page the sticker names when the text has it.
    offered = [c["page"] for c in candidates if c["page"]] + [p for p in [instruction.target.page] if p in labels]
    chosen = page or next(iter(offered + labels), None)
    # Numbered as ``record_decision`` counts them: the blocks whose page has this label, in order.
    blocks = [{**b, "block_on_page": k} for k, b in enumerate(page_blocks(seg, chosen), start=1)] if chosen else []
    return {
        **_with_state(store, record, result, only=n),
        "instruction": {**entry, "new_text": instruction.new_text, "target_page": instruction.target.page},
        "candidates": candidates,
        "pages": labels,
        "picker": {"page": chosen, "blocks": blocks},
    }


@reading
def filing_state(store: Store, ref: str) -> dict[str, Any]:
    """An amending filing's stored state and the number of the version it made (None before)."""
    record = _record(store, ref)
    made = store.version(record.version_id)
    return {"filing_id": record.filing_id, "state": record.state, "version": made.number if made else None}


def _record(store: Store, ref: str) -> AmendmentRecord:
    filing = find_filing(store, ref)
    record = store.amendment(filing.id)
    if record is None:
        raise NotFound(f"filing {filing.id} is not an amendment")
    return record


def _explained(store: Store, ref: str) -> tuple[AmendmentRecord, ApplyResult]:
    filing_id = _record(store, ref).filing_id
    result = explain(store, str(filing_id))
    return store.amendment(filing_id), result  # read again: explaining may have linked it


def _with_state(store: Store, record: AmendmentRecord, result: ApplyResult, only: int | None = None) -> dict[str, Any]:
    """An explain result as JSON with the amendment's stored state and decisions (of instruction
    ``only`` when given)."""
    made = store.version(record.version_id)
    decisions = [{"n": n, "who": who, "why": why, "at": at} for n, who, why, at in sorted(store.reviews_of(record.filing_id))
                 if only is None or n == only]
    return {
        **result.to_json(),
        "amendment": {"sticker": record.sticker_key, "target": record.target_key, "state": record.state,
                      "summary": record.summary, "version": made.number if made else None,
                      "decidable": record.state in ("pending", "needs_review")},
        "needs_decision": [r["n"] for r in result.resolutions if r["status"] not in TEXTUAL_OK],
        "decisions": decisions,
    }


def _on_page(seg, start: int, end: int) -> dict[str, Any]:
    """The printed page a span starts on, its text (reaching to the span's end when the span runs
    over the page's end) and the span within it."""
    page = next((p for p in seg.pages if p.start <= start < p.end), None)
    if page is None:
        return {"page_text": seg.text[start:end], "mark": [0, end - start]}
    return {"page_text": seg.text[page.start:max(page.end, end)],
            "mark": [start - page.start, end - page.start]}
