"""The hostile zoo, against the database itself: whose file it is, its path, the ids named, a full
disk, and another user who may read it but not write it. Each gives one `Error:` line and the right
exit code, and leaves the database as it was (see ``test_zoo`` for hostile filings).
"""

from __future__ import annotations

import gc
import json
import os
import pathlib
import shutil
import sqlite3

import pytest

from tests.test_zoo import (  # noqa: F401  (fixtures)
    BASE, BASE_KEY, CORPUS_HE3, GOOD_STICKER, based, counts, one_error_line, run, runner,
)

from .conftest import connect



# --- whose database ---------------------------------------------------------------------------


def test_another_applications_sqlite_file_gets_no_tables(runner, tmp_path):
    db = tmp_path / "app.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = db.read_bytes()
    for command in (["ingest", BASE], ["documents"], ["verify"]):
        result = run(runner, "--db", db, *command)
        assert result.exit_code == 1, command
        one_error_line(result, "is not a tracker database", "users")
    assert db.read_bytes() == before


def test_an_empty_sqlite_file_becomes_a_tracker_database(runner, tmp_path):
    db = tmp_path / "empty.db"
    sqlite3.connect(db).close()
    assert run(runner, "--db", db, "ingest", BASE).exit_code == 0
    assert run(runner, "--db", db, "verify").exit_code == 0


def test_a_database_of_a_newer_tracker_is_read_but_never_written(runner, based):
    con = connect(based)
    con.execute("INSERT INTO _migrations (name, applied_at) VALUES ('0999_from_the_future', 'x')")
    con.commit()
    con.close()
    before = counts(based)
    result = run(runner, "ingest", GOOD_STICKER)
    assert result.exit_code == 1
    one_error_line(result, "made by a newer tracker", "0999_from_the_future")
    assert counts(based) == before
    assert run(runner, "show", BASE_KEY).exit_code == 0


# --- the last-resort guard is never reached ------------------------------------------------------


def test_a_database_path_of_5000_characters_is_one_line(runner, tmp_path):
    result = run(runner, "--db", tmp_path / ("x" * 5000), "ingest", BASE)
    assert result.exit_code == 1
    line = one_error_line(result, "cannot open database", "5", "too long")
    assert len(line) < 300


@pytest.mark.parametrize("command", [["show", "9223372036854775808"], ["show", str(2**70)],
                                     ["resolve", "9223372036854775808", "1", "--choose", "1"],
                                     ["apply", str(2**64)], ["show", "\u00b2"]])
def test_ids_past_sqlites_integers_are_not_found(runner, based, command):
    result = run(runner, *command)
    assert result.exit_code == 1
    one_error_line(result, "no ")


@pytest.mark.sqlite_only  # a full disk is made by SQLite's max_page_count
def test_a_full_disk_is_one_line_and_keeps_nothing_half_written(runner, based, monkeypatch):
    from tracker.store import Store

    real_open = Store.open.__func__

    def tiny(cls, *args, **kwargs):
        store = real_open(cls, *args, **kwargs)
        store.conn.execute(f"PRAGMA max_page_count = {store.conn.execute('PRAGMA page_count').fetchone()[0]}")
        return store

    before = counts(based)
    with monkeypatch.context() as patched:
        patched.setattr(Store, "open", classmethod(tiny))
        result = run(runner, "ingest", CORPUS_HE3)
    assert result.exit_code == 1
    one_error_line(result, "the disk is full")
    assert counts(based) == before
    verified = run(runner, "verify")
    assert verified.exit_code == 0, verified.stderr


# --- another user: a read-only database, an unreadable file --------------------------------------

NOBODY = 65534


def as_nobody(runner, *args) -> tuple[int, str, str]:
    """Run the CLI as a user who may read but not write what this test made: a forked child that
    drops to nobody when this is root (the interpreter already loaded, so nothing needs exec)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            result = run(runner, *args)
            payload = [result.exit_code, result.stdout, result.stderr]
        except BaseException as exc:  # noqa: BLE001  (anything is reported to the parent)
            payload = [99, "", repr(exc)]
        os.write(write_end, json.dumps(payload).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    code, out, err = json.loads(data)
    return code, out, err


@pytest.fixture
def shared_dir():
    """A folder every user may read and none but its owner may write (as a read-only medium is)."""
    import tempfile

    folder = pathlib.Path(tempfile.mkdtemp(prefix="tracker-ro-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def test_readers_work_on_a_read_only_database_and_writers_say_why_not(runner, shared_dir, tmp_path):
    db = shared_dir / "t.db"
    assert run(runner, "--db", db, "ingest", BASE).exit_code == 0
    gc.collect()  # the writer's connection closed: its journal files folded into the database
    sticker = shared_dir / "sticker.txt"
    sticker.write_text(GOOD_STICKER.read_text())
    readers = (["show", BASE_KEY], ["documents"], ["search", "servicer"], ["verify"], ["log"])
    warm = tmp_path / "warm.db"  # every module the commands use, loaded before the child drops rights
    shutil.copy(db, warm)
    for command in readers:
        assert run(runner, "--db", warm, *command).exit_code == 0
    for path in (db, sticker):
        path.chmod(0o444)
    shared_dir.chmod(0o555)
    before = db.read_bytes()
    for command in readers:
        code, out, err = as_nobody(runner, "--db", db, *command)
        assert code == 0, (command, err)
    code, out, err = as_nobody(runner, "--db", db, "ingest", sticker)
    assert code == 1
    assert err.strip() == f"Error: the database {db} is read-only: nothing was written"
    assert db.read_bytes() == before and sorted(p.name for p in shared_dir.iterdir()) == ["sticker.txt", "t.db"]


def test_an_unreadable_file_is_an_input_error_not_a_usage_error(runner, shared_dir):
    secret = shared_dir / "secret.txt"
    secret.write_text(BASE.read_text())
    secret.chmod(0o600)
    folder = shared_dir / "out"
    folder.mkdir()
    folder.chmod(0o777)
    for command in (["--db", folder / "t.db", "ingest", secret], ["parse", secret]):
        code, out, err = as_nobody(runner, *command)
        assert code == 1, err
        assert f"Error: {secret}: cannot read: Permission denied" in err
    assert list(folder.iterdir()) == []
