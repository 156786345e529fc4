"""Several processes on one database: readers never see "database is locked" or half a write;
two writers serialise (or one fails with a clear message) and never corrupt the store.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker import service
from tracker.errors import TrackerError
from tracker.store import Store

from .conftest import CORPUS, row, rows
from .test_crash import MIXED_STICKER, ZOO, build_folder, check_consistent, fingerprint

# SQLite's file locks and busy timeout (the server's advisory locks are tested in test_postgres.py)
pytestmark = pytest.mark.sqlite_only

READ_LOOP_LIMIT = 400  # iterations per reader, at most
READ_SECONDS = 90  # and never longer than this

# A reader: runs `documents --json`, `show KEY` and `verify` through the CLI, in a loop, until
# the writer is done (the stop file appears), and writes one JSON line per command.
READER = r"""
import json, os, sys, time
from typer.testing import CliRunner
from tracker.cli import app
db, key, stop, out, limit, seconds = sys.argv[1:7]
runner = CliRunner()
started = time.monotonic()
with open(out, "w") as fh:
    i = 0
    last = 0
    # two rounds at least, however slow the machine; then until the writer is done
    while i < 2 or (i < int(limit) and time.monotonic() - started < float(seconds)):
        done = os.path.exists(stop)
        for args in (["documents", "--json"], ["show", key], ["verify"]):
            r = runner.invoke(app, ["--db", db, *args])
            record = {"args": args, "code": r.exit_code, "stderr": r.stderr[-500:]}
            if args[0] == "documents" and r.exit_code == 0:
                docs = json.loads(r.stdout)
                record["documents"] = len(docs)
                record["without_versions"] = [d["key"] for d in docs if not d["versions"]]
            if args[0] == "show" and r.exit_code == 0:
                record["text_chars"] = len(r.stdout)
            fh.write(json.dumps(record) + "\n")
        i += 1
        if done and i >= 2:
            break
"""


def env() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k != "TRACKER_DEBUG"}, "TRACKER_USER": "concurrency"}


def cli(db: Path, *args) -> list[str]:
    return [sys.executable, "-m", "tracker.cli", "--db", str(db), *map(str, args)]


@pytest.mark.slow
def test_readers_never_see_a_lock_or_half_a_write_while_a_folder_is_ingested(tmp_path):
    from typer.testing import CliRunner

    db = tmp_path / "t.db"
    folder = tmp_path / "filings"
    build_folder(folder)
    first = subprocess.run(cli(db, "ingest", ZOO / "base.txt"), capture_output=True, env=env(), timeout=120)
    assert first.returncode == 0, first.stderr
    stop = tmp_path / "stop"
    readers = []
    for n in range(2):
        out = tmp_path / f"reader-{n}.jsonl"
        proc = subprocess.Popen(
            [sys.executable, "-c", READER, str(db), "2099-Z1/prospectus-supplement", str(stop), str(out),
             str(READ_LOOP_LIMIT), str(READ_SECONDS)], env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        readers.append((proc, out))
    time.sleep(1.5)  # let the readers start their loops
    writer = subprocess.run(cli(db, "ingest", folder), capture_output=True, env=env(), timeout=300)
    stop.touch()
    for proc, _ in readers:
        _, err = proc.communicate(timeout=READ_SECONDS + 60)
        assert proc.returncode == 0, err.decode()
    assert writer.returncode == 0, writer.stderr.decode()
    assert b"locked" not in writer.stderr and b"busy" not in writer.stderr
    total = 0
    for _, out in readers:
        records = [json.loads(line) for line in out.read_text().splitlines()]
        assert len(records) >= 6
        total += len(records)
        for r in records:
            assert "locked" not in r["stderr"] and "busy" not in r["stderr"], r
            assert r["code"] == 0, r
            assert r.get("without_versions", []) == [], r
        seen = [r["documents"] for r in records if "documents" in r]
        assert seen == sorted(seen)  # a reader never sees documents disappear
        assert seen[0] >= 1 and seen[-1] <= 1 + len(list(folder.iterdir()))
        assert all(r["text_chars"] > 1000 for r in records if "text_chars" in r)
    print(f"\nreaders ran {total} commands while the writer ingested {len(list(folder.iterdir()))} filings")
    check_consistent(db, CliRunner())


@pytest.mark.slow
def test_two_writers_on_different_folders_both_finish(tmp_path):
    from typer.testing import CliRunner

    folder = tmp_path / "filings"
    build_folder(folder)
    files = sorted(folder.iterdir())
    halves = [tmp_path / "a", tmp_path / "b"]
    for i, half in enumerate(halves):
        half.mkdir()
        for f in files[i::2]:
            f.rename(half / f.name)
    clean = tmp_path / "clean.db"
    for half in halves:
        subprocess.run(cli(clean, "ingest", half), capture_output=True, env=env(), timeout=300, check=True)
    db = tmp_path / "t.db"
    subprocess.run(cli(db, "ingest", ZOO.parent / "zoo" / "base.txt"), capture_output=True, env=env(), timeout=120,
                   check=True)
    subprocess.run(cli(clean, "ingest", ZOO / "base.txt"), capture_output=True, env=env(), timeout=120, check=True)
    procs = [subprocess.Popen(cli(db, "ingest", half), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
             for half in halves]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs):
        text = err.decode()
        # each writer waits for the other (busy timeout); a failure would have to say why, in one line
        assert p.returncode == 0 or (p.returncode == 1 and text.startswith("Error: ") and "busy" in text), text
        assert "internal error" not in text and "Traceback" not in text
    for half, p in zip(halves, procs):
        if p.returncode != 0:  # a refused writer can simply be run again
            subprocess.run(cli(db, "ingest", half), capture_output=True, env=env(), timeout=300, check=True)
    check_consistent(db, CliRunner())
    got, want = fingerprint(db), fingerprint(clean)
    assert {k: len(v) for k, v in got.items()} == {k: len(v) for k, v in want.items()}
    assert sorted(v[2] for v in got["versions"]) == sorted(v[2] for v in want["versions"])


# --- the same work started twice at once ------------------------------------------------------
# A second connection does the same write in the window between the first one's check and its
# transaction, so the race happens every time instead of once in a while.


def _two_stores(tmp_path) -> tuple[Store, Store]:
    db = tmp_path / "t.db"
    return Store.open(db), Store.open(db)


def test_a_second_connection_sees_a_filing_once_committed(tmp_path):
    a, b = _two_stores(tmp_path)
    data = (ZOO / "base.txt").read_bytes()
    assert service.ingest_bytes(a, data, source_name="base.txt").status == "new"
    assert service.ingest_bytes(b, data, source_name="base.txt").status == "skipped"
    assert row(b, "SELECT COUNT(*) AS n FROM filings")["n"] == 1


def race_before_first_transaction(store: Store, action) -> list:
    """Make ``action`` (the other process's write) run just before ``store`` opens its first transaction."""
    real = store.transaction
    fired: list = []

    @contextlib.contextmanager
    def transaction():
        if not fired:
            fired.append(None)
            fired[0] = action()
        with real():
            yield store

    store.transaction = transaction
    return fired


def test_the_same_filing_ingested_twice_at_once_is_stored_once_without_an_internal_error(tmp_path):
    a, b = _two_stores(tmp_path)
    data = (ZOO / "base.txt").read_bytes()
    raced = race_before_first_transaction(
        a, lambda: service.ingest_bytes(b, data, source_name="other.txt").status)
    try:
        result = service.ingest_bytes(a, data, source_name="base.txt")
    except TrackerError as exc:  # a clear refusal would also do
        result = None
        assert "already" in str(exc) or "busy" in str(exc)
    except sqlite3.Error as exc:
        pytest.fail(f"raw database error escapes: {type(exc).__name__}: {exc}")
    assert raced == ["new"]
    assert result is None or result.status == "skipped"
    assert row(a, "SELECT COUNT(*) AS n FROM filings")["n"] == 1
    assert service.verify(a)["ok"]


def test_one_sticker_applied_twice_at_once_makes_one_version(tmp_path):
    a, b = _two_stores(tmp_path)
    service.ingest_bytes(a, (ZOO / "base.txt").read_bytes(), source_name="base.txt")
    service.ingest_bytes(a, MIXED_STICKER.encode(), source_name="mixed.txt")
    service.link_and_apply_pending(a)
    assert row(a, "SELECT state FROM amendments")["state"] == "needs_review"
    raced = race_before_first_transaction(a, lambda: service.apply_amendment(b, 2, partial=True).state)
    try:
        service.apply_amendment(a, 2, partial=True)
    except TrackerError as exc:  # a clear refusal would also do
        assert "already" in str(exc) or "busy" in str(exc)
    assert raced == ["partial"]
    made = rows(a, "SELECT number FROM versions WHERE filing_id = 2 AND parent_id IS NOT NULL")
    assert made == [{"number": 2}]
    assert row(a, "SELECT COUNT(*) AS n FROM events WHERE command = 'apply'")["n"] == 2


def test_files_prepared_in_workers_are_written_in_the_order_named(tmp_path, monkeypatch):
    import importlib

    ingest_module = importlib.import_module("tracker.service.ingest")
    monkeypatch.setattr(ingest_module, "AHEAD", 1)  # a window of one file per worker
    folder = tmp_path / "in"
    folder.mkdir()
    sources = sorted(CORPUS.glob("*.txt"))[:4] + [ZOO / "base.txt"]
    assert len(sources) == 5
    for i, src in enumerate(sources):
        (folder / f"{i}-a.txt").write_bytes(src.read_bytes())
    (folder / "2-b.txt").write_bytes(sources[0].read_bytes())  # the same bytes again: skipped
    (folder / "3-b.txt").write_bytes(b"")  # cannot be a filing: failed
    store = Store.open(tmp_path / "w.db")
    report = service.ingest(store, [str(folder)], workers=2)
    names = [Path(r.path).name for r in report.results]
    assert names == sorted(p.name for p in folder.iterdir())
    assert [r.status for r in report.results] == ["new", "new", "new", "skipped", "new", "failed", "new"]
    ids = [r.filing_id for r in report.results if r.status == "new"]
    assert ids == sorted(ids)
    store.close()
