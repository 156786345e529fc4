"""Amendments, their instructions and notices, and reviewers' decisions.

What belongs here: recording a parsed amendment (``amendments``, ``instructions``, ``notices``),
its link to the document it amends and its state, each instruction's outcome as the last apply
left it, reading the parse back whole (``models.to_record``/``from_record``), and ``decisions``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..records import AmendmentRecord, StoredInstruction
from .db import Database, id_list

if TYPE_CHECKING:
    from ..models import Amendment, Notice, Resolution

_AMENDMENT = ("a.filing_id, a.sticker_document_id, a.target_document_id, a.linked_by, a.state, a.version_id, "
              "a.summary, s.key, t.key FROM amendments a JOIN documents s ON s.id = a.sticker_document_id "
              "LEFT JOIN documents t ON t.id = a.target_document_id")
_INSTRUCTION = ("filing_id, n, op, source_text, status, confidence, start, end, replacement, reason, version_id, "
                "pieces FROM instructions")


def _instruction(row: tuple) -> StoredInstruction:
    pieces = tuple(tuple(p) for p in json.loads(row[-1])) if row[-1] else ()
    return StoredInstruction(*row[:-1], pieces=pieces)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Amendments(Database):
    """Stickers' parses, their links to the documents they amend, and their outcomes."""

    # --- recording a parse -------------------------------------------------------------------

    def record_amendment(self, filing_id: int, sticker_document_id: int, amendment: Amendment,
                         target_document_id: int | None) -> None:
        """Record a sticker's parse, pending; linked ``--amends`` when its target is given."""
        from ..models import to_record

        self._run(
            "INSERT INTO amendments (filing_id, sticker_document_id, target_document_id, linked_by, state, "
            "version_id, summary) VALUES (?, ?, ?, ?, 'pending', NULL, NULL)",
            [filing_id, sticker_document_id, target_document_id, "--amends" if target_document_id else None],
        )
        self._touch("amendment", filing_id)
        for ins in amendment.instructions:
            self._run(
                "INSERT INTO instructions (filing_id, n, op, target, new_text, source_text, span_start, span_end, "
                "status, reason, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [filing_id, ins.n, ins.op, _dumps(to_record(ins.target)), ins.new_text, ins.source_text,
                 ins.span[0], ins.span[1], "unsupported" if ins.op == "unsupported" else "pending", ins.reason,
                 _dumps(to_record(ins))],
            )
            self._touch("instruction", filing_id, ins.n)
        for notice in amendment.notices:
            self._run("INSERT INTO notices (filing_id, n, text, version_id, record) VALUES (?, ?, ?, NULL, ?)",
                      [filing_id, notice.n, notice.text, _dumps(to_record(notice))])
            self._touch("notice", filing_id, notice.n)

    def parsed_amendment(self, filing_id: int) -> Amendment:
        """The instructions and notices of an amending filing as they were parsed."""
        from ..models import Amendment, Instruction, from_record

        def instruction(r: tuple) -> Instruction:
            n, op, target, new_text, source_text, start, end, reason, record = r
            if record:
                return from_record(Instruction, json.loads(record))
            # A row stored before whole records were kept: its target in the answer schema's shape.
            return from_record(Instruction, {
                "n": n, "op": op, "target": json.loads(target), "new_text": new_text,
                "source_text": source_text, "span": [start, end], "reason": reason,
            })

        rows = self._all("SELECT n, op, target, new_text, source_text, span_start, span_end, reason, record "
                         "FROM instructions WHERE filing_id = ? ORDER BY n", [filing_id])
        return Amendment(tuple(instruction(r) for r in rows), tuple(self.notices_of(filing_id)))

    def notices_of(self, filing_id: int) -> list[Notice]:
        """An amending filing's notices in order."""
        from ..models import Notice, from_record

        return [from_record(Notice, json.loads(record)) if record else Notice(n, text, (0, 0))
                for n, text, record in self._all(
                    "SELECT n, text, record FROM notices WHERE filing_id = ? ORDER BY n", [filing_id])]

    # --- the amendment's link and state -----------------------------------------------------

    def amendment(self, filing_id: int) -> AmendmentRecord | None:
        """The amendment recorded for a filing, or None."""
        row = self._one(f"SELECT {_AMENDMENT} WHERE a.filing_id = ?", [filing_id])
        return AmendmentRecord(*row) if row else None

    def amendments(self, *, states: Sequence[str] | None = None, filing_ids: Iterable[int] | None = None,
                   target_id: int | None = None, document_id: int | None = None) -> list[AmendmentRecord]:
        """Amendments in filing order: in these states, of these filings, amending this document,
        or with this document as sticker or target."""
        where, params = [], []
        if states is not None:
            where.append(f"a.state IN ({', '.join('?' for _ in states)})")
            params += list(states)
        if filing_ids is not None:
            where.append("a.filing_id IN (SELECT value FROM json_each(?))")
            params.append(id_list(filing_ids))
        if target_id is not None:
            where.append("a.target_document_id = ?")
            params.append(target_id)
        if document_id is not None:
            where.append("(a.target_document_id = ? OR a.sticker_document_id = ?)")
            params += [document_id, document_id]
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return [AmendmentRecord(*r) for r in self._all(f"SELECT {_AMENDMENT}{clause} ORDER BY a.filing_id", params)]

    def amendments_applied_after(self, target_id: int, effective_date: str, *, besides: int) -> list[AmendmentRecord]:
        """The amendments of a document applied as versions effective after ``effective_date``
        (but the filing ``besides``), in force order: effective date, recorded date, accession."""
        rows = self._all(
            f"SELECT {_AMENDMENT} JOIN filings f ON f.id = a.filing_id JOIN versions v ON v.id = a.version_id "
            "WHERE a.target_document_id = ? AND a.state IN ('applied', 'partial') AND a.filing_id != ? "
            "AND v.effective_date > ? ORDER BY v.effective_date, f.recorded_date, COALESCE(f.accession, f.sha256)",
            [target_id, besides, effective_date],
        )
        return [AmendmentRecord(*r) for r in rows]

    def link_amendment(self, filing_id: int, target_id: int, linked_by: str) -> None:
        """Link a sticker to the document it amends, saying how the link was made."""
        self._run("UPDATE amendments SET target_document_id = ?, linked_by = ? WHERE filing_id = ?",
                  [target_id, linked_by, filing_id])
        self._touch("amendment", filing_id)

    def set_amendment_summary(self, filing_id: int, summary: str) -> None:
        """Replace the one-line summary of an amendment."""
        self._run("UPDATE amendments SET summary = ? WHERE filing_id = ?", [summary, filing_id])
        self._touch("amendment", filing_id)

    def set_amendment_outcome(self, filing_id: int, state: str, version_id: int | None, summary: str) -> None:
        """Record an amendment's state, the version it produced and its summary."""
        self._run("UPDATE amendments SET state = ?, version_id = ?, summary = ? WHERE filing_id = ?",
                  [state, version_id, summary, filing_id])
        self._touch("amendment", filing_id)

    # --- instructions' outcomes -------------------------------------------------------------

    def instructions_of(self, filing_id: int) -> list[StoredInstruction]:
        """An amending filing's instructions in order, each as its last apply left it."""
        return [_instruction(r) for r in self._all(f"SELECT {_INSTRUCTION} WHERE filing_id = ? ORDER BY n",
                                                   [filing_id])]

    def instructions_not_applied(self, filing_ids: Iterable[int]) -> dict[int, list[StoredInstruction]]:
        """By filing, the instructions of these filings whose status is not applied (nor a notice)."""
        out: dict[int, list[StoredInstruction]] = {}
        for r in self._all(f"SELECT {_INSTRUCTION} WHERE filing_id IN (SELECT value FROM json_each(?)) "
                           "AND status NOT IN ('applied', 'notice') ORDER BY n", [id_list(filing_ids)]):
            out.setdefault(r[0], []).append(_instruction(r))
        return out

    def record_outcome(self, filing_id: int, r: Resolution, candidates: list[dict[str, Any]],
                       version_id: int | None) -> None:
        """Keep where one instruction landed (or why not), its candidates, and the version it is in."""
        pieces = _dumps([[e.start, e.end, e.new] for e in r.pieces]) if r.pieces else None
        self._run(
            "UPDATE instructions SET status = ?, confidence = ?, start = ?, end = ?, replacement = ?, "
            "pieces = ?, candidates = ?, reason = ?, version_id = ? WHERE filing_id = ? AND n = ?",
            [r.status, r.confidence, r.start, r.end, r.replacement, pieces, _dumps(candidates), r.reason,
             version_id, filing_id, r.n],
        )
        self._touch("instruction", filing_id, r.n)

    def attach_notices(self, filing_id: int, version_id: int) -> None:
        """Attach an amending filing's notices to the version it made."""
        self._run("UPDATE notices SET version_id = ? WHERE filing_id = ?", [version_id, filing_id])
        for (n,) in self._all("SELECT n FROM notices WHERE filing_id = ?", [filing_id]):
            self._touch("notice", filing_id, n)

    def notices_of_versions(self, version_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
        """By version, the (number, text) of the notices attached to it, in order."""
        out: dict[int, list[tuple[int, str]]] = {}
        for vid, n, text in self._all("SELECT version_id, n, text FROM notices WHERE version_id IN "
                                      "(SELECT value FROM json_each(?)) ORDER BY n", [id_list(version_ids)]):
            out.setdefault(vid, []).append((n, text))
        return out

    # --- reviewers' decisions ----------------------------------------------------------------

    def decisions_of(self, filing_id: int) -> dict[int, tuple[int, int]]:
        """The span a reviewer chose for each instruction of a filing, by instruction number."""
        return {n: (start, end) for n, start, end in self._all(
            "SELECT n, start, end FROM decisions WHERE filing_id = ?", [filing_id])}

    def record_decision(self, filing_id: int, n: int, start: int, end: int, *, who: str, why: str | None,
                        at: str) -> None:
        """Keep a reviewer's choice of span for one instruction, in place of any before it."""
        self._run("DELETE FROM decisions WHERE filing_id = ? AND n = ?", [filing_id, n])
        self._run("INSERT INTO decisions (filing_id, n, start, end, who, why, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  [filing_id, n, start, end, who, why, at])
        self._touch("decision", filing_id, n)

    def reviews_of(self, filing_id: int) -> list[tuple[int, str, str | None, str]]:
        """The reviewers' decisions on a filing's instructions: (instruction number, who, why, when)."""
        return [tuple(r) for r in self._all("SELECT n, who, why, at FROM decisions WHERE filing_id = ?", [filing_id])]
