"""The audit trail: events chained by hash, one per write.

What belongs here: appending an event (inside the writer's transaction, so the event and the write
it records commit together), reading the trail, the hash that chains it, and the chain's head kept
beside the trail. An event also commits the digests of the records its write touched (see
``proof``): its hash covers them, so the trail vouches for every row an answer depends on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..records import Event, event_json
from .blobs import sha256
from .db import now
from .proof import Proofs

GENESIS = "0" * 64
_FIELDS = ("at", "actor", "command", "inputs", "outputs", "prev_hash")


def event_hash(event: Event | Mapping[str, Any]) -> str:
    """The hash of one event: its fields, the records it commits (when it commits any: an event made
    before records were kept has none) and the hash of the event before it."""
    get = event.get if isinstance(event, Mapping) else event.__getattribute__
    fields = [get(f) for f in _FIELDS]
    if get("records") is not None:
        fields.append(get("records"))
    body = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return sha256(body.encode("utf-8"))


class Events(Proofs):
    """The append-only, hash-chained log of every command that changed the store."""
    def add_event(self, command: str, inputs: Any, outputs: Any, actor: str,
                  records: dict[str, str | None] | None = None) -> Event:
        """Append one event to the chain, committing the records written since the last one (and
        ``records`` given whole), and move the chain's head to it (inside the caller's transaction)."""
        last = self._one("SELECT hash FROM events ORDER BY id DESC LIMIT 1")
        fields = {"at": now(), "actor": actor, "command": command, "inputs": event_json(inputs),
                  "outputs": event_json(outputs), "prev_hash": last[0] if last else GENESIS,
                  "records": event_json({**(records or {}), **self.touched_records()})}
        digest = event_hash(fields)
        event_id = self._run(
            "INSERT INTO events (at, actor, command, inputs, outputs, prev_hash, records, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [*fields.values(), digest],
        )
        self._run("INSERT OR REPLACE INTO chain_head (id, event_id, hash) VALUES (1, ?, ?)", [event_id, digest])
        return Event(event_id, **fields, hash=digest)

    def events(self) -> list[Event]:
        """The whole trail, oldest first."""
        return [Event(*r) for r in self._all(
            "SELECT id, at, actor, command, inputs, outputs, prev_hash, hash, records FROM events ORDER BY id")]

    def chain_head(self) -> tuple[int, str] | None:
        """The last event's id and hash as recorded beside the trail, or None before the first event."""
        found = self._one("SELECT event_id, hash FROM chain_head WHERE id = 1")
        return (found[0], found[1]) if found else None

    def apply_event_id(self, filing_id: int, version_number: int) -> int | None:
        """The event of the apply that made a filing's version, when the trail has it."""
        found = self._one(
            "SELECT MAX(id) FROM events WHERE command = 'apply' "
            "AND json_extract(inputs, '$.filing_id') = ? AND json_extract(outputs, '$.version') = ?",
            [filing_id, version_number])
        return found[0] if found else None

    def resolve_event_ids(self, filing_id: int) -> dict[int, int]:
        """For each instruction of a filing a reviewer decided, the event of the latest decision."""
        return {n: i for n, i in self._all(
            "SELECT json_extract(inputs, '$.n'), MAX(id) FROM events "
            "WHERE command = 'resolve' AND json_extract(inputs, '$.filing_id') = ? GROUP BY json_extract(inputs, '$.n')",
            [filing_id])}
