"""Verify (``service/audit.py``): an untouched store holds, and every kind of tampering is found."""

from __future__ import annotations

import json
import zlib

from tests.conftest import row, rows
from tests.test_provenance import deal  # noqa: F401  (a fixture)
from tracker import service
from tracker.store.versions import pack_edits, unpack_edits


def tamper(store, sql, params=()):
    """Change a row behind the store's back (on either backend)."""
    if store.backend == "postgresql":
        from tracker.store.postgres.db import translate

        store.conn.execute(translate(sql)[0], list(params) or None)
        return
    store.conn.execute(sql, params)
    store.conn.commit()


def test_verify_holds_on_an_untouched_store(deal):
    assert service.verify(deal)["ok"]


def _flip(data: bytes) -> bytes:
    raw = bytearray(zlib.decompress(data))
    raw[len(raw) // 2] ^= 0x20
    return zlib.compress(bytes(raw))


def test_verify_catches_a_flipped_byte_in_a_raw_filing(deal):
    sha, data = row(deal, "SELECT f.sha256, b.data FROM filings f JOIN blobs b ON b.sha256 = f.sha256 LIMIT 1").values()
    tamper(deal, "UPDATE blobs SET data = ? WHERE sha256 = ?", [_flip(data), sha])
    problems = service.verify(deal)["problems"]
    assert any(p.startswith(f"blob {sha[:12]}") for p in problems)


def test_verify_catches_a_changed_version_text(deal):
    v = row(deal, "SELECT * FROM versions WHERE number = 2")
    assert not v["snapshot"]  # kept as exact edits to its parent
    kept, patch = unpack_edits(v["edits"])
    delta = json.loads(kept)
    delta[0][2] = delta[0][2].replace("interest only", "principal only")
    tamper(deal, "UPDATE versions SET edits = ? WHERE id = ?", [pack_edits(json.dumps(delta), patch), v["id"]])
    problems = service.verify(deal)["problems"]
    assert any(p.startswith("version 2 ") and "text hash mismatch" in p for p in problems), problems


def test_verify_catches_a_changed_patch(deal):
    v = row(deal, "SELECT * FROM versions WHERE number = 2")
    delta, kept = unpack_edits(v["edits"])
    patch = kept.replace("interest", "interesT", 1)
    assert patch != kept
    tamper(deal, "UPDATE versions SET edits = ? WHERE id = ?", [pack_edits(delta, patch), v["id"]])
    problems = service.verify(deal)["problems"]
    assert any("version 2" in p and "replay" in p for p in problems)


def test_verify_catches_a_changed_event(deal):
    e = row(deal, "SELECT * FROM events WHERE id = 2")
    inputs = json.loads(e["inputs"])
    inputs["source"] = "forged.txt"
    tamper(deal, "UPDATE events SET inputs = ? WHERE id = 2", [json.dumps(inputs, sort_keys=True)])
    problems = service.verify(deal)["problems"]
    assert problems == ["event 2: hash mismatch (event altered)"]


def test_verify_catches_a_deleted_event(deal):
    committed = set(json.loads(row(deal, "SELECT records FROM events WHERE id = 2")["records"]))
    for later in rows(deal, "SELECT records FROM events WHERE id > 2"):
        committed -= set(json.loads(later["records"]))
    assert committed
    tamper(deal, "DELETE FROM events WHERE id = 2")
    problems = service.verify(deal)["problems"]
    assert problems[0] == "event 3: chain broken (previous hash does not match)"
    # the records only that event committed are now committed by none
    assert {p.split(":")[0] for p in problems[1:]} == set(committed)


def test_a_database_made_before_records_were_committed_is_committed_whole_when_upgraded(tmp_path):
    import sqlite3

    from tests.test_zoo import BASE, GOOD_STICKER
    from tracker.store import GENESIS, Store, event_hash

    path = tmp_path / "old.db"
    store = Store.open(path)
    service.ingest(store, [str(BASE), str(GOOD_STICKER)])
    store.close()
    # as the tracker before this migration left it: no records, no head, events hashed without them
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE events DROP COLUMN records")
    con.execute("DROP TABLE chain_head")
    con.execute("DELETE FROM _migrations WHERE name = '0007_record_proofs'")
    prev, columns = GENESIS, ["id", "at", "actor", "command", "inputs", "outputs"]
    for values in con.execute(f"SELECT {', '.join(columns)} FROM events ORDER BY id").fetchall():
        digest = event_hash({**dict(zip(columns, values)), "prev_hash": prev})
        con.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?", [prev, digest, values[0]])
        prev = digest
    con.commit()
    con.close()
    store = Store.open(path)
    try:
        last = store.events()[-1]
        assert last.command == "migrate" and last.actor == "tracker"
        result = service.verify(store)
        assert result["ok"], result["problems"]
        assert json.loads(last.inputs)["records"] == result["records"] == len(last.committed())
        tamper(store, "UPDATE versions SET effective_date = '2003-11-04' WHERE number = 2")
        assert service.verify(store)["first"]["record"].startswith("version/")
    finally:
        store.close()
