"""The record on a PostgreSQL server: the same migrations, the schema guard, copy to and from
SQLite with the same chain head, and concurrent writers that leave no gap, no lost event and no
half version while readers read. (The store, service and CLI tests run on both backends through
the ``store`` and ``db_path`` fixtures; these are what only a server has.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import service
from tracker.errors import StoreError, TrackerError
from tracker.store import Store
from tracker.store.postgres.schema import MIGRATIONS as PG_MIGRATIONS
from tracker.store.schema import MIGRATIONS

from .conftest import CORPUS, HE3_BASE

pytestmark = pytest.mark.postgresql
KEY = "2003-HE3/prospectus-supplement"


def test_both_backends_have_the_same_migrations():
    assert [name for name, _ in PG_MIGRATIONS] == [name for name, _ in MIGRATIONS]


def test_a_server_url_opens_the_postgresql_store_and_migrates_it(pg_url):
    store = Store.open(pg_url)
    assert store.backend == "postgresql"
    assert store.migrations() == [name for name, _ in MIGRATIONS]
    assert store.migrate() == []
    store.close()


def test_a_record_made_before_the_contentless_index_is_upgraded_and_verifies(pg_url, tmp_path, monkeypatch):
    """A schema at 0007 (the index holding its texts, keyed by hex sha256), filled with the rows of
    the SQLite database a tracker of then made (``tests/golden/schema-0007.db.gz``), is upgraded in
    place: the keys become the 60-bit integers ``block_key`` gives, the index keeps only terms,
    every record is committed again, and verify and search hold."""
    import gzip
    import sqlite3

    from tracker.store.postgres import db
    from tracker.store.transfer import TABLES

    from .conftest import connect

    with monkeypatch.context() as old:
        old.setattr(db, "MIGRATIONS", PG_MIGRATIONS[:7])
        old.setattr(db, "AFTER", {})  # an empty schema: no records to commit
        Store.open(pg_url).close()
    made = tmp_path / "made.db"
    with gzip.open(Path(__file__).parent / "golden" / "schema-0007.db.gz") as src:
        made.write_bytes(src.read())
    lite, server = sqlite3.connect(made), connect(pg_url)
    for table, _ in TABLES:
        cur = lite.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cur.description]
        for row in cur.fetchall():
            server.execute(f"INSERT INTO {table} ({', '.join(chr(34) + n + chr(34) for n in names)}) "
                           f"VALUES ({', '.join('?' for _ in names)})", row)
    lite.close()
    server.close()
    store = Store.open(pg_url)
    assert store.migrations() == [name for name, _ in MIGRATIONS]
    result = service.verify(store)
    assert result["ok"], result["problems"]
    assert service.search(store, "servicer advances")
    store.close()


def test_a_schema_holding_other_tables_is_refused(pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id int)")
    with pytest.raises(StoreError, match="not a tracker database"):
        Store.open(pg_url)


def test_a_writer_is_refused_a_schema_migrated_by_a_newer_tracker(pg_url):
    Store.open(pg_url).close()
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES ('9999_future', 'now')")
    with pytest.raises(StoreError, match="newer tracker"):
        Store.open(pg_url)
    Store.open(pg_url, write=False).close()  # a reader still reads it


def test_reading_an_empty_schema_says_to_ingest_first(pg_url):
    with pytest.raises(StoreError, match="tracker ingest"):
        Store.open(pg_url, create=False)


def test_an_unreachable_server_is_one_line(tmp_path):
    with pytest.raises(StoreError, match="cannot connect") as caught:
        Store.open(f"postgresql://nobody@/nothing?host={tmp_path}&connect_timeout=2")
    assert "\n" not in str(caught.value)


def test_without_psycopg_a_server_url_says_which_extra_to_install(monkeypatch):
    from tracker.store.postgres import db

    monkeypatch.setattr(db, "psycopg", None)
    with pytest.raises(StoreError, match=r"pip install 'tracker\[pg\]'"):
        Store.open("postgresql://nobody@/nothing")


def test_a_sqlite_file_never_imports_psycopg(tmp_path):
    code = ("import sys; from tracker.store import Store; Store.open(sys.argv[1]).close(); "
            "print('psycopg' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "x.db")], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_a_password_is_never_shown():
    from tracker.store.postgres import shown_url

    assert shown_url("postgresql://ann:secret@db.example/deals") == "postgresql://ann:***@db.example/deals"
    assert shown_url("postgresql://ann:secret@[db/deals") == "postgresql://ann:***@[db/deals"
    assert shown_url("postgresql://ann@db/deals?password=secret&sslmode=require") == (
        "postgresql://ann@db/deals?password=***&sslmode=require")


def test_a_malformed_server_url_is_one_line_without_its_password():
    with pytest.raises(StoreError, match="not a PostgreSQL address|cannot connect") as caught:
        Store.open("postgresql://ann:secret@[bad")
    assert "secret" not in str(caught.value) and "\n" not in str(caught.value)


def _cli(db, *args, check=True):
    env = {**os.environ, "TRACKER_USER": "tester"}
    env.pop("TRACKER_DB", None)
    done = subprocess.run([sys.executable, "-m", "tracker.cli", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def test_copy_moves_the_whole_record_there_and_back_with_the_same_head(tmp_path, pg_url):
    source = tmp_path / "deal.db"
    _cli(source, "ingest", CORPUS)
    head = _cli(source, "verify", "--head").stdout.strip()
    assert _cli(source, "copy", "--to", pg_url).stdout.strip() == f"head {head}"
    assert _cli(pg_url, "verify", "--head").stdout.strip() == head
    back = tmp_path / "back.db"
    _cli(pg_url, "copy", "--to", back)
    assert _cli(back, "verify", "--head").stdout.strip() == head
    # the same answers on both ends
    for args in (["show", KEY, "--as-of", "2004-01-09"], ["history", KEY], ["documents"]):
        assert _cli(pg_url, *args).stdout == _cli(source, *args).stdout == _cli(back, *args).stdout
    hits = [_cli(db, "search", "--json", "servicer advances").stdout for db in (source, pg_url)]
    found = [{(h["document"], h["version"], h["page"], h["block"]) for h in json.loads(text)} for text in hits]
    assert found[0] == found[1] and found[0]
    # a second copy into a record is refused in one line, and writes nothing
    again = _cli(source, "copy", "--to", pg_url, check=False)
    assert again.returncode == 1 and again.stderr.count("\n") == 1 and "already holds a record" in again.stderr
    assert _cli(pg_url, "verify", "--head").stdout.strip() == head


def test_a_failed_write_leaves_nothing_and_the_next_writer_goes_on(pg_url):
    store = Store.open(pg_url)
    with pytest.raises(TrackerError):
        with store.transaction():
            store.put_blob(b"kept?")
            store.add_event("test", {}, {}, "tester")
            raise TrackerError("stop")
    assert store.events() == [] and not store.has_blob(__import__("tracker.store", fromlist=["sha256"]).sha256(b"kept?"))
    with store.transaction():
        store.add_event("test", {}, {}, "tester")
    assert [e.id for e in store.events()] == [1]
    store.close()


def test_a_writer_held_up_past_the_busy_timeout_stops_with_busy_while_readers_read(pg_url, monkeypatch):
    import psycopg

    from tracker.errors import Busy
    from tracker.store.postgres import db

    store = Store.open(pg_url)
    with store.transaction():
        store.add_event("test", {}, {}, "tester")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)
    waiting = Store.open(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, hashtext(current_schema()))", [db.LOCK_CLASS])
        with pytest.raises(Busy, match="busy"):
            with waiting.transaction():
                waiting.add_event("test", {}, {}, "tester")
        with store.snapshot():  # a reader takes no lock
            assert [e.id for e in store.events()] == [1]
    with waiting.transaction():  # the lock let go: the next write goes on
        waiting.add_event("test", {}, {}, "tester")
    assert [e.id for e in store.events()] == [1, 2]
    store.close()
    waiting.close()


# --- concurrent writers and readers ------------------------------------------------------------

WRITER = r"""
import json, sys
from tracker.store import Store
url, key, writer, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
store = Store.open(url)
for i in range(count):
    with store.transaction():
        doc = store.document_by_key(key)
        parent = store.versions_of(doc.id)[-1]
        text = store.version_text(parent)
        version, _ = store.add_version(doc.id, parent, parent.filing_id, "2004-02-01", "2004-02-01", text,
                                       [(0, 0, f"writer {writer} edit {i}\n")], partial=False)
        store.add_event("test-write", {"writer": writer, "i": i}, {"version": version.number}, "tester")
store.close()
"""

READER = r"""
import json, sys, time
from tracker.store import Store, text_sha256
url, key, stop = sys.argv[1], sys.argv[2], sys.argv[3]
import os
store = Store.open(url, write=False)
reads, problems = 0, []
while True:
    done = os.path.exists(stop)
    with store.snapshot():
        events = store.events()
        head = store.chain_head()
        doc = store.document_by_key(key)
        versions = store.versions_of(doc.id)
        if head != (events[-1].id, events[-1].hash):
            problems.append(f"head {head} is not the last event {events[-1].id}")
        if [e.id for e in events] != list(range(1, len(events) + 1)):
            problems.append("events with a gap")
        if [v.number for v in versions] != list(range(1, len(versions) + 1)):
            problems.append("version numbers with a gap")
        writes = sum(1 for e in events if e.command == "test-write")
        if writes != len(versions) - 1:
            problems.append(f"{writes} write events but {len(versions) - 1} versions written")
        last = versions[-1]
        if text_sha256(store.version_text(last)) != last.text_sha256:
            problems.append(f"version {last.number} reads back wrong")
    reads += 1
    if done:
        break
print(json.dumps({"reads": reads, "problems": problems[:5]}))
"""


@pytest.mark.slow
def test_concurrent_writers_leave_no_gap_no_lost_event_and_no_half_version(tmp_path, pg_url):
    _cli(pg_url, "ingest", HE3_BASE)
    before = len(_events(pg_url))
    writers, count = 4, 15
    stop = tmp_path / "stop"
    env = {**os.environ, "TRACKER_USER": "tester"}
    readers = [subprocess.Popen([sys.executable, "-c", READER, pg_url, KEY, str(stop)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, pg_url, KEY, str(w), str(count)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for w in range(writers)]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
    stop.write_text("")
    for r in readers:
        out, err = r.communicate(timeout=600)
        assert r.returncode == 0, err[-2000:]
        report = json.loads(out)
        assert report["reads"] >= 1 and report["problems"] == []

    events = _events(pg_url)
    assert [e["id"] for e in events] == list(range(1, before + writers * count + 1))
    written = [json.loads(e["inputs"]) if isinstance(e["inputs"], str) else e["inputs"]
               for e in events if e["command"] == "test-write"]
    assert sorted((w["writer"], w["i"]) for w in written) == [(w, i) for w in range(writers) for i in range(count)]
    store = Store.open(pg_url)
    doc = store.document_by_key(KEY)
    versions = store.versions_of(doc.id)
    assert [v.number for v in versions] == list(range(1, writers * count + 2))
    text = store.version_text(versions[-1])
    assert sorted(line for line in text.splitlines() if line.startswith("writer ")) == sorted(
        f"writer {w} edit {i}" for w in range(writers) for i in range(count))
    assert service.verify(store)["ok"]
    store.close()


def _events(url) -> list[dict]:
    return json.loads(_cli(url, "log", "--json").stdout)
