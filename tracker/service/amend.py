"""Amending: link a sticker to the document it amends, apply it, rebase what came after, review.

What belongs here: linking an amendment to its target, applying one amending filing (every
instruction located, then one new version in one transaction, or none and every status recorded),
re-applying later amendments on top of a late correction, explaining an apply, reviewers'
decisions, and the lists of what waits for review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import diffing, history
from ..errors import Busy, NeedsReview, NotFound, UsageError
from ..records import AmendmentRecord, Document, Filing, Version
from ..store import Store, now
from .common import (TEXTUAL_OK, actor, reading, segment, segmented, sparing_collector, stored_structure,
                     write_version)
from .read import find_filing

if TYPE_CHECKING:  # models and locate are imported where used: reading commands need neither
    from ..models import Amendment, Instruction, Resolution


# What a sticker's cover says it amends, and the stored kinds that can be that document
_AMENDABLE = {
    "preliminary_prospectus": (("prospectus", "prospectus_supplement"), "preliminary prospectus"),
    "preliminary_prospectus_supplement": (("prospectus_supplement",), "preliminary prospectus supplement"),
    "prospectus": (("prospectus",), "prospectus"),
}


def _date_of(store: Store, document: Document) -> str | None:
    """A document's own date, or, when it prints none, the date its first version was given at ingest."""
    if document.document_date:
        return document.document_date
    first = store.original(document.id)
    return first.effective_date if first else None


def link_target(store: Store, sticker: Document) -> tuple[Document | None, str]:
    """The document a sticker amends: same series, the kind its cover names ("to Preliminary Prospectus",
    "to Prospectus Supplement"), and the date it gives."""
    if not sticker.series:
        return None, "the sticker names no series"
    kinds, what = _AMENDABLE.get(sticker.amends_kind or "", (("prospectus_supplement",), "prospectus supplement"))
    found = store.documents_of_series(sticker.series, kinds=kinds)
    if (sticker.amends_kind or "").startswith("preliminary"):
        found = [d for d in found if d.preliminary] or found
    if sticker.amends_supplement_date:
        dated = [d for d in found if _date_of(store, d) == sticker.amends_supplement_date]
        if len(dated) == 1:
            return dated[0], "series and date"
        if not dated:
            return None, (
                f"no {what} of series {sticker.series} dated {sticker.amends_supplement_date} is stored"
            )
        found = dated
    if len(found) == 1:
        return found[0], "series"
    if not found:
        return None, f"no {what} of series {sticker.series} is stored"
    return None, f"{len(found)} {what}s of series {sticker.series} match"


@sparing_collector
def link_and_apply_pending(store: Store) -> list[dict[str, Any]]:
    """Link every pending amendment to its target and apply those that link; report each."""
    out = []
    for record in store.amendments(states=("pending",)):
        if record.target_document_id is None:
            target, how = link_target(store, store.document(record.sticker_document_id))
            if target is None:
                if record.summary != how:
                    with store.transaction():
                        store.set_amendment_summary(record.filing_id, how)
                        store.add_event("link", {"filing_id": record.filing_id}, {"target": None, "why": how},
                                        actor())
                out.append({"filing_id": record.filing_id, "state": "pending", "summary": how})
                continue
            _link(store, record.filing_id, target, how)
        try:
            result = apply_amendment(store, record.filing_id)
            out.append({"filing_id": record.filing_id, "state": result.state, "summary": result.summary})
        except NeedsReview as exc:
            out.append({"filing_id": record.filing_id, "state": "needs_review", "summary": str(exc)})
    return out


@dataclass
class ApplyResult:
    """What applying (or explaining) one amending filing found and did."""

    filing_id: int
    document: Document
    parent: Version
    resolutions: list[dict[str, Any]]
    state: str  # "applied" | "partial" | "needs_review" | "dry_run" | "already_applied"
    version: Version | None
    summary: str

    @property
    def refused(self) -> list[int]:
        """The numbers of the instructions not applied (or, in a dry run, that would not be)."""
        return [r["n"] for r in self.resolutions if r["status"] not in TEXTUAL_OK]

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON: filing, document, parent version, state and statuses."""
        return {
            "filing_id": self.filing_id,
            "document": self.document.key,
            "parent_version": self.parent.number,
            "state": self.state,
            "version": self.version.number if self.version else None,
            "summary": self.summary,
            "instructions": self.resolutions,
        }


@dataclass
class _Plan:
    """Everything an apply decides before it writes: the parent, where each instruction lands."""

    filing: Filing
    document: Document
    parent: Version
    text: str
    stored: Any  # the parent's stored structure (``structure.Structure``) when current, else None
    amendment: Amendment
    resolutions: list[Resolution]
    shown: list[dict[str, Any]]  # the resolutions as reported
    effective: str
    made_here: Version | None  # the version this filing made already, when explaining an applied one
    early: str | None  # why every instruction is refused when the sticker predates the document


@sparing_collector
def apply_amendment(
    store: Store, filing_id: int, *, partial: bool = False, dry_run: bool = False
) -> ApplyResult:
    """Resolve every instruction of one amending filing and, if all resolve, write one new version.

    Strict by default: when a textual instruction is not applied, every status is recorded, no
    version is written and ``NeedsReview`` is raised, carrying the result. ``partial`` writes a
    version marked partial; ``dry_run`` writes nothing and returns what applying would do.
    """
    record = _linked(store, filing_id)
    document = store.document(record.target_document_id)
    if record.state in ("applied", "partial") and record.version_id and not dry_run:
        return _already_applied(filing_id, document, store.version(record.version_id))
    plan = _plan(store, filing_id, document, record)
    if dry_run:
        return ApplyResult(filing_id, document, plan.parent, plan.shown, "dry_run", None, _count(plan.resolutions))
    result = _write(store, plan, partial)
    if result.state == "needs_review":
        then = "" if plan.early else f", then 'tracker resolve' or 'tracker apply {filing_id} --partial'"
        raise NeedsReview(
            f"filing {filing_id} on {document.key}: {result.summary}; no version written "
            f"(see 'tracker explain {filing_id}'{then})",
            result=result,
        )
    return result


def _linked(store: Store, filing_id: int) -> AmendmentRecord:
    """The amendment record of a filing, linked to its target now if it was not yet."""
    record = store.amendment(filing_id)
    if record is None:
        raise NotFound(f"filing {filing_id} is not an amendment")
    if record.target_document_id is None:
        target, how = link_target(store, store.document(record.sticker_document_id))
        if target is None:
            raise NeedsReview(f"filing {filing_id}: cannot tell which document it amends: {how} "
                              "(use 'tracker ingest FILE --amends DOC')")
        _link(store, filing_id, target, how)
        record = store.amendment(filing_id)
    return record


def _link(store: Store, filing_id: int, target: Document, how: str) -> None:
    """Link an amendment to the document it amends, saying how the link was found; one event."""
    with store.transaction():
        store.link_amendment(filing_id, target.id, how)
        store.add_event("link", {"filing_id": filing_id}, {"target": target.key, "target_document_id": target.id,
                                                           "how": how}, actor())


def _already_applied(filing_id: int, document: Document, version: Version) -> ApplyResult:
    return ApplyResult(filing_id, document, version, [], "already_applied", version,
                       f"already applied as version {version.number}")


def _plan(store: Store, filing_id: int, document: Document, record: AmendmentRecord) -> _Plan:
    """Where each instruction lands in the version in force when the sticker takes effect."""
    versions = store.versions_of(document.id)
    effective = _effective(store, record.sticker_document_id)
    made_here = store.version(record.version_id)
    if made_here is not None:
        # Explaining an applied amendment: show it against the version it amended.
        parent = next(v for v in versions if v.id == made_here.parent_id)
    else:
        eligible = [v for v in versions if v.effective_date <= effective and v.filing_id != filing_id] or versions[:1]
        parent = max(eligible, key=history.order_key)
    text = store.version_text(parent)
    stored = stored_structure(store, parent, text)
    seg = stored.seg if stored is not None else segment(text)
    amendment = store.parsed_amendment(filing_id)
    early = None
    if made_here is None and effective < versions[0].effective_date:
        early = (f"the amendment is dated {effective}, before {document.key} "
                 f"(effective {versions[0].effective_date})")
        resolutions = _refuse_all(amendment, early)
    else:
        from .. import locate

        resolutions = locate.resolve_amendment(amendment, seg, store.decisions_of(filing_id))
    shown = [_resolution_json(r, seg, ins) for r, ins in zip(resolutions, amendment.instructions)]
    return _Plan(store.filing(filing_id), document, parent, text, stored, amendment, resolutions, shown,
                 effective, made_here, early)


def _write(store: Store, plan: _Plan, partial: bool) -> ApplyResult:
    """Record every status and, when the apply may, the new version; one transaction, one event."""
    filing, document, resolutions = plan.filing, plan.document, plan.resolutions
    failing = [r for r in resolutions if r.status not in TEXTUAL_OK]
    applied = [r for r in resolutions if r.status == "applied"]
    counts = _count(resolutions)
    if not resolutions and plan.amendment.notices:
        n = len(plan.amendment.notices)
        counts = f"{n} notice{'s' if n > 1 else ''} and no instruction: the text is unchanged"
    writes = (not failing or partial) and (applied or plan.amendment.notices) and not plan.early
    with store.transaction():
        # Another process may have applied this filing, or amended the document, since the reads
        # above: re-check inside the write lock rather than build on a stale parent.
        record = store.amendment(filing.id)
        if record.state in ("applied", "partial") and record.version_id:
            return _already_applied(filing.id, document, store.version(record.version_id))
        if plan.made_here is None:
            fresh = [v for v in store.versions_of(document.id)
                     if v.effective_date <= plan.effective and v.filing_id != filing.id]
            if fresh and max(fresh, key=history.order_key).id != plan.parent.id:
                raise Busy(f"{document.key} changed while filing {filing.id} was being applied; run again")
        version = None
        if writes:
            version = write_version(store, document.id, plan.parent, filing.id, filing.recorded_date, plan.text,
                                    diffing.resolution_edits(resolutions), plan.effective, partial=bool(failing),
                                    parent_seg=plan.stored)
        for r, shown in zip(resolutions, plan.shown):
            store.record_outcome(filing.id, r, shown["candidates"],
                                 version.id if version and r.status == "applied" else None)
        rebased: list[int] = []
        if version:
            store.attach_notices(filing.id, version.id)
            rebased = _rebase_later(store, document, version, filing)
        if plan.early or (failing and not partial):
            state = "needs_review"
        else:
            state = "partial" if failing else "applied"
        summary = f"{counts}: {plan.early}" if plan.early else counts
        if version:
            summary += f"; version {version.number} written"
        store.set_amendment_outcome(filing.id, state, version.id if version else None, summary)
        store.add_event(
            "apply",
            {"filing_id": filing.id, "document": document.key, "parent_sha256": plan.parent.text_sha256,
             "partial": partial},
            {"state": state, "version": version.number if version else None,
             "text_sha256": version.text_sha256 if version else None, "rebased": rebased,
             "statuses": {str(r.n): r.status for r in resolutions}},
            actor(),
        )
    return ApplyResult(filing.id, document, plan.parent, plan.shown, state, version, summary)


def _effective(store: Store, sticker_id: int) -> str:
    """The date an amendment takes effect: the effective date of its own document's original version."""
    return store.original(sticker_id).effective_date


def _refuse_all(amendment: Amendment, reason: str) -> list:
    """Every instruction refused for one reason (recorded as a conflict), none applied."""
    from ..models import Resolution

    return [Resolution(ins.n, "conflict", 0.0, reason=reason) for ins in amendment.instructions]


def _rebase_later(store: Store, document: Document, version: Version, filing: Filing) -> list[int]:
    """Re-apply amendments effective after ``version`` on top of it; return the new version numbers.

    A correction filed late but effective earlier must also show in every later date's text, so
    each later amendment is applied again on the corrected text, as a version recorded when the
    correction became known. A later amendment that no longer resolves stops the rebase (its old
    version stays, and the currency statement of later dates lists the correction as later).
    """
    from .. import locate

    head, made = version, []
    for later in store.amendments_applied_after(document.id, version.effective_date, besides=filing.id):
        text = store.version_text(head)
        amendment = store.parsed_amendment(later.filing_id)
        stored = stored_structure(store, head, text)
        resolutions = locate.resolve_amendment(amendment, stored.seg if stored is not None else segment(text))
        if any(r.status not in TEXTUAL_OK for r in resolutions):
            store.set_amendment_summary(later.filing_id, f"could not be re-applied after filing {filing.id}")
            break
        later_filing = store.filing(later.filing_id)
        recorded = max(later_filing.recorded_date, filing.recorded_date)
        head = write_version(store, document.id, head, later_filing.id, recorded, text,
                             diffing.resolution_edits(resolutions), _effective(store, later.sticker_document_id),
                             partial=False, parent_seg=stored)
        made.append(head.number)
    return made


def _count(resolutions) -> str:
    by: dict[str, int] = {}
    for r in resolutions:
        by[r.status] = by.get(r.status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(by.items())) or "no instructions"


def _resolution_json(r, seg, ins: Instruction) -> dict[str, Any]:
    def where(start, end):
        if start is None:
            return None
        page = _page_at(seg, start)
        words = seg.text[start:end].split()
        return {
            "start": start,
            "end": end,
            "page": page,
            "first_words": " ".join(words[:6]),
            "last_words": " ".join(words[-6:]) if len(words) > 6 else "",
        }

    return {
        "n": r.n,
        "op": ins.op,
        "kind": ins.target.kind,
        "source_text": ins.source_text,
        "status": r.status,
        "confidence": round(r.confidence, 3),
        "span": where(r.start, r.end),
        "heading": list(r.candidates[0].heading) if r.candidates else None,
        "reason": r.reason,
        "candidates": [
            {"start": c.start, "end": c.end, "score": round(c.score, 3), "page": c.page,
             "heading": list(c.heading), "why": c.why}
            for c in r.candidates[:5]
        ],
    }


def _page_at(seg, offset: int) -> str | None:
    for page in seg.pages:
        if page.start <= offset < page.end or (offset == page.end and page is seg.pages[-1]):
            return page.label
    return None


def explain(store: Store, filing_ref: str) -> ApplyResult:
    """What applying this filing would do, instruction by instruction (writes nothing)."""
    return apply_amendment(store, find_filing(store, filing_ref).id, dry_run=True)


def stored_resolutions(store: Store, filing_id: int) -> list:
    """Where each instruction of an amending filing landed, as its last apply recorded it (with the
    places an instruction that changes several places changed; candidates are left out)."""
    from ..models import Edit, Resolution

    return [
        Resolution(i.n, i.status, i.confidence or 0.0, i.start, i.end, i.replacement, reason=i.reason or "",
                   pieces=tuple(Edit(a, b, new, i.n) for a, b, new in i.pieces))
        for i in store.instructions_of(filing_id)
    ]


# --- review ----------------------------------------------------------------------------------


def record_decision(
    store: Store,
    filing_ref: str,
    n: int,
    *,
    choose: int | None = None,
    page: str | None = None,
    block: int | None = None,
    why: str | None = None,
) -> dict[str, Any]:
    """Record a reviewer's choice of target for instruction ``n`` (candidate K, or page + block)."""
    filing = find_filing(store, filing_ref)
    if n not in {i.n for i in store.instructions_of(filing.id)}:
        raise NotFound(f"filing {filing.id} has no instruction {n}")
    if (choose is None) == (page is None or block is None):
        raise UsageError("give either --choose K or both --page and --block")
    result = apply_amendment(store, filing.id, dry_run=True)
    if choose is not None:
        cands = next(r for r in result.resolutions if r["n"] == n)["candidates"]
        if not 1 <= choose <= len(cands):
            raise UsageError(f"instruction {n} has {len(cands)} candidates; --choose takes 1..{len(cands)}")
        start, end = cands[choose - 1]["start"], cands[choose - 1]["end"]
    else:
        seg = segmented(store, result.parent)
        on_page = [b for b in seg.blocks if seg.pages[b.page].label == page]
        if not on_page:
            raise NotFound(f"page {page} is not in {result.document.key}")
        if not 1 <= block <= len(on_page):
            raise UsageError(f"page {page} has {len(on_page)} blocks; --block takes 1..{len(on_page)}")
        start, end = on_page[block - 1].start, on_page[block - 1].end
    with store.transaction():
        store.record_decision(filing.id, n, start, end, who=actor(), why=why, at=now())
        store.add_event(
            "resolve",
            {"filing_id": filing.id, "n": n, "choose": choose, "page": page, "block": block, "why": why},
            {"start": start, "end": end},
            actor(),
        )
    return {"filing_id": filing.id, "n": n, "start": start, "end": end}


@reading
def review(store: Store) -> list[dict[str, Any]]:
    """Amendments not fully applied, with their instructions that need a decision."""
    return [
        {"filing_id": a.filing_id, "sticker": a.sticker_key, "target": a.target_key, "state": a.state,
         "summary": a.summary,
         "instructions": [{"n": i.n, "op": i.op, "status": i.status, "reason": i.reason, "source_text": i.source_text}
                          for i in store.instructions_of(a.filing_id) if i.status not in TEXTUAL_OK]}
        for a in store.amendments(states=("pending", "partial", "needs_review"))
    ]


@reading
def needing_review(store: Store, filing_ids) -> list[dict[str, Any]]:
    """The amendments among these filings that wait for a reviewer: filing, sticker, target, counts."""
    return [{"filing_id": a.filing_id, "sticker": a.sticker_key, "target": a.target_key, "summary": a.summary}
            for a in store.amendments(states=("needs_review",), filing_ids=filing_ids)]
