"""The store: pinned schema, migrations, content-addressed blobs, the event chain, atomic writes."""

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import row, rows
from tracker.errors import TrackerError
from tracker.store import GENESIS, Store, event_hash, sha256

GOLDEN = Path(__file__).parent / "golden" / "schema.sql"
GOLDEN_PG = Path(__file__).parent / "golden" / "schema.postgresql.sql"


def test_schema_is_pinned(store, backend):
    """The schema is an interface: a change must be made on purpose (TRACKER_REGEN=1 rewrites it)."""
    golden = GOLDEN_PG if backend == "postgresql" else GOLDEN
    got = store.schema()
    if os.environ.get("TRACKER_REGEN"):
        golden.write_text(got)
    assert got == golden.read_text()


def test_migrations_are_recorded_once(tmp_path):
    s = Store.open(tmp_path / "m.db")
    assert s.migrate() == []
    names = s.migrations()
    assert names == ["0001_initial", "0002_search_and_views", "0003_version_structure", "0004_text_slices",
                     "0005_instruction_records", "0006_preliminary_documents", "0007_record_proofs",
                     "0008_spliced_structures", "0009_contentless_search", "0010_packed_edits"]
    s.close()


def test_blobs_are_content_addressed_and_compressed(store):
    data = b"The servicer will advance interest. " * 200
    with store.transaction():
        d1 = store.put_blob(data)
        d2 = store.put_blob(data)
    assert d1 == d2 == sha256(data)
    found = row(store, "SELECT size, length(data) AS stored FROM blobs WHERE sha256 = ?", [d1])
    assert found["size"] == len(data) and found["stored"] < len(data) / 10
    assert store.get_blob(d1) == data


def test_a_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.put_blob(b"half written")
            store.add_event("test", {}, {}, "tester")
            raise RuntimeError("crash in the middle")
    assert rows(store, "SELECT * FROM blobs") == []
    assert rows(store, "SELECT * FROM events") == []


def test_events_form_a_hash_chain(store):
    with store.transaction():
        a = store.add_event("one", {"x": 1}, {"y": 2}, "tester")
        b = store.add_event("two", {}, {}, "tester")
    assert a.prev_hash == GENESIS
    assert b.prev_hash == a.hash
    assert event_hash(row(store, "SELECT * FROM events WHERE id = ?", [b.id])) == b.hash
    assert store.events() == [a, b]


def test_wal_mode_and_busy_timeout(tmp_path):
    s = Store.open(tmp_path / "w.db")
    assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert s.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    s.close()


def test_refuses_a_missing_database_for_reading(tmp_path):
    with pytest.raises(TrackerError, match="no database"):
        Store.open(tmp_path / "absent.db", create=False)


def test_refuses_a_file_that_is_not_a_database(tmp_path):
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(TrackerError, match="cannot open database"):
        Store.open(bad)


def test_refuses_a_database_in_a_missing_directory(tmp_path):
    with pytest.raises(TrackerError, match="directory does not exist"):
        Store.open(tmp_path / "nope" / "x.db")


@pytest.mark.parametrize("made_by", ["schema-0006.db.gz", "schema-0007.db.gz"])
def test_a_database_made_before_the_spliced_structures_and_contentless_search_reads_the_same(tmp_path, made_by):
    """A database written by an earlier release (the deal of tests/test_search.py; schema up to
    0006_preliminary_documents, before record proofs, or up to 0007_record_proofs) opens, is
    upgraded by the named migrations, verifies, and reads and searches as one made today."""
    import gzip
    import shutil

    from tests.test_search import FILINGS
    from tests.test_provenance import KEY, filing
    from tracker import service

    old_path = tmp_path / "old.db"
    with gzip.open(GOLDEN.parent / made_by) as src, open(old_path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    with sqlite3.connect(old_path) as con:
        made = [r[0] for r in con.execute("SELECT name FROM _migrations ORDER BY rowid")]
    assert made[-1] == ("0006_preliminary_documents" if "0006" in made_by else "0007_record_proofs")
    old = Store.open(old_path)
    upgraded = ["0008_spliced_structures", "0009_contentless_search", "0010_packed_edits"]
    assert old.migrations() == made + (["0007_record_proofs"] if "0006" in made_by else []) + upgraded
    migrate = [e for e in old.events() if e.command == "migrate"]
    assert len(migrate) == 1 and migrate[0].id == old.events()[-1].id  # committed whole once, on the new schema
    new = Store.open(tmp_path / "new.db")
    for acc, filed, form, text in FILINGS:
        service.ingest_bytes(new, filing(acc, filed, form, text), source_name=f"{acc}.txt")
    service.link_and_apply_pending(new)

    def reads(store):
        views = [service.show(store, KEY, dt.date(2004, 1, day)) for day in (1, 6, 10, 20)]
        found = [service.search(store, q, kind="all") for q in ("purchase cut-off", "delinquent payments",
                                                                  '"optional termination"', "servicer")]
        report = service.diff_report(store, KEY)
        report.pop("generated")
        return [(v.version.number, v.text) for v in views], found, report

    assert reads(old) == reads(new)
    assert service.verify(old)["ok"]
    old.close()
    new.close()


@pytest.mark.parametrize("tamper, record", [
    ("UPDATE versions SET effective_date = '2004-01-02' WHERE id = (SELECT MAX(id) FROM versions)", "version/"),
    ("UPDATE block_texts SET text = 'servicer advances nothing' WHERE id = (SELECT MAX(id) FROM block_texts)",
     "search index"),
    ("UPDATE documents SET title = 'another' WHERE id = 1", "document/1"),
    ("DELETE FROM instructions WHERE id = (SELECT MAX(id) FROM instructions)", "instruction/"),
])
def test_a_change_made_by_hand_before_the_upgrade_stays_reported_after_it(tmp_path, tamper, record):
    """The upgrade of a database with record proofs commits every record again; what was changed by
    hand before it is named in that commit, and verify goes on reporting it."""
    import gzip
    import shutil

    from tracker import service

    path = tmp_path / "old.db"
    with gzip.open(GOLDEN.parent / "schema-0007.db.gz") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    with sqlite3.connect(path) as con:
        con.execute(tamper)
    store = Store.open(path)
    assert store.migrations()[-1] == "0010_packed_edits"
    found = service.verify(store)
    store.close()
    assert not found["ok"]
    assert any(b["record"].startswith(record) for b in found["broken"]), found["problems"]
