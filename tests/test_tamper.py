"""Tampering under the store: every change to a stored value that changes an answer fails ``verify``.

A small database is made from the bundled corpus (its four filings, a second sticker that carries a
notice, a reviewer's decision). Then each column of each table, the search index's own tables
included, is changed in turn in a copy (an integer moved by one, one character or byte of a text or
blob flipped, an empty cell filled), and the answers users read (show on every date, history, blame,
the redline, search, explain, review, the listings, the log) are compared with those of the untouched
database: wherever one differs, ``verify`` must fail. Events cut off, removed, reordered or rewritten
are caught too, and a head written down before proves the trail up to it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from tests.conftest import CORPUS
from tracker import service
from tracker.errors import TrackerError
from tracker.store import GENESIS, Store, event_hash

# every column of a SQLite file changed in place with sqlite3, then verify run on it
pytestmark = pytest.mark.sqlite_only

STICKER = CORPUS / "citigroup-mlt-2003-he3-sticker-2004-01-09.txt"
BASE_KEY = "2003-HE3/prospectus-supplement"
STICKER_KEY = "2003-HE3/sticker-2004-01-09"
NOTICE_STICKER = (
    "Prospectus Supplement dated January 20, 2004 to Prospectus Supplement dated\n"
    "December 22, 2003 (to Prospectus dated November 4, 2003)\n\n"
    "CITIGROUP MORTGAGE LOAN TRUST INC.\n"
    "ASSET BACKED PASS-THROUGH CERTIFICATES, SERIES 2003-HE3\n\n"
    "Notwithstanding anything to the contrary in the Prospectus Supplement, the servicing fee\n"
    "rate is 0.55% per annum.\n\n"
    "All other portions of the Prospectus Supplement shall remain unchanged.\n"
)


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    """The database every tamper starts from, and the answers it gives."""
    folder = tmp_path_factory.mktemp("tamper")
    path = folder / "record.db"
    notice = folder / "citigroup-mlt-2003-he3-sticker-2004-01-20.txt"
    notice.write_text(NOTICE_STICKER)
    store = Store.open(path)
    report = service.ingest(store, [str(CORPUS), str(notice)])
    assert not report.failed and [a["state"] for a in report.applied] == ["applied", "applied"]
    service.record_decision(store, STICKER_KEY, 1, choose=1, why="counsel")
    assert service.verify(store)["ok"]
    store.close()
    return path, answers(path)


def answers(path) -> dict:
    """What users read from the database, each answer or the one-line error that replaced it."""
    out: dict = {}

    def ask(name, call):
        try:
            out[name] = json.loads(json.dumps(call(), default=str))
        except Exception as exc:  # a tampered row may break a read in any way: that too is an answer
            out[name] = f"error: {type(exc).__name__}: {exc}"

    try:
        store = Store.open(path, create=False, write=False)
    except TrackerError as exc:
        return {"open": f"error: {exc}"}
    try:
        ask("documents", lambda: service.list_documents(store))
        ask("filings", lambda: service.list_filings(store))
        ask("review", lambda: service.review(store))
        ask("log", lambda: [{k: e[k] for k in ("id", "at", "actor", "command", "inputs", "outputs")}
                            for e in service.filtered_events(store)])
        ask("timeline", lambda: service.timeline(store, "2003-HE3"))
        for key in ("2003-HE3/prospectus-supplement", "2003-HE3/sticker-2004-01-09", "2003-HE2/8-k-2003-12-08"):
            ask(f"history {key}", lambda: service.document_history(store, key)[1])
            for when in (None, "2003-12-21", "2003-12-22", "2004-01-09", "2004-01-20"):
                date = None if when is None else __import__("datetime").date.fromisoformat(when)
                ask(f"show {key} {when}", lambda: (lambda v: [v.text, v.currency, v.version.to_json()])(
                    service.show(store, key, date)))
        ask("blame", lambda: service.blame(store, BASE_KEY))
        ask("diff", lambda: {k: v for k, v in service.diff_report(store, BASE_KEY).items() if k != "generated"})
        for query in ("servicer advance", "simple interest", "balloon", "notwithstanding", "trustee"):
            ask(f"search {query}", lambda: service.search(store, query, kind="all"))
        for filing in (STICKER_KEY, "2003-HE3/sticker-2004-01-20"):
            ask(f"explain {filing}", lambda: service.explain(store, filing).to_json())
    finally:
        store.close()
    return out


def verify_fails(path) -> bool:
    """Whether ``verify`` refuses the database (it cannot even be opened counts as refused)."""
    try:
        store = Store.open(path, create=False, write=False)
    except TrackerError:
        return True
    try:
        return not service.verify(store)["ok"]
    except TrackerError:
        return True
    finally:
        store.close()


def tables(path) -> list[tuple[str, list[tuple[str, str]], list[str]]]:
    """Every table of the file (the search index's own included) with its columns and their types,
    and how a row is named: ``rowid``, or the primary key of a table without one."""
    con = sqlite3.connect(path)
    try:
        found = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name").fetchall()
        out = []
        for table, sql in found:
            info = con.execute(f'PRAGMA table_info("{table}")').fetchall()
            key = [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]] if "WITHOUT ROWID" in sql.upper() else ["rowid"]
            out.append((table, [(c[1], c[2]) for c in info], key))
        return out
    finally:
        con.close()


def changed(value, kind: str):
    """The value with one thing changed: an integer moved by one, a character or byte flipped."""
    if value is None:
        return 1 if kind.upper() in ("INTEGER", "REAL") else "x"
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 0.5
    if not value:
        return b"x" if isinstance(value, bytes) else "x"
    data = bytearray(value if isinstance(value, bytes) else value.encode("utf-8"))
    at = len(data) // 2
    while not isinstance(value, bytes) and at < len(data) - 1 and not chr(data[at]).isalnum():
        at += 1
    byte = data[at]
    data[at] = (byte ^ 0x01) if isinstance(value, bytes) or not chr(byte).isalnum() else (
        ord("0") + (byte - ord("0") + 1) % 10 if chr(byte).isdigit() else byte ^ 0x20)
    return bytes(data) if isinstance(value, bytes) else data.decode("utf-8", errors="replace")


def flips(path) -> list[tuple[str, str, list[str], tuple, object]]:
    """(table, column, key columns, key, new value): one change per column, in the last row whose
    value is set (and in the last row, when every value of the column is empty)."""
    con = sqlite3.connect(path)
    out = []
    try:
        for table, columns, key in tables(path):
            names = ", ".join(f'"{k}"' if k != "rowid" else k for k in key)
            for column, kind in columns:
                found = con.execute(f'SELECT {names}, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL '
                                    f"ORDER BY {names} DESC LIMIT 1").fetchone() or con.execute(
                    f'SELECT {names}, NULL FROM "{table}" ORDER BY {names} DESC LIMIT 1').fetchone()
                if found is not None:
                    out.append((table, column, key, found[:-1], changed(found[-1], kind)))
    finally:
        con.close()
    return out


def apply_flip(path, table, column, key, values, value) -> bool:
    con = sqlite3.connect(path)
    where = " AND ".join(f'"{k}" = ?' if k != "rowid" else "rowid = ?" for k in key)
    try:
        con.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE {where}', [value, *values])
        con.commit()
        return True
    except sqlite3.Error:
        return False  # the schema refuses the change (a unique key taken): nothing to tamper with
    finally:
        con.close()


def test_every_flip_that_changes_an_answer_fails_verify(original, tmp_path):
    path, before = original
    caught, missed = 0, []
    planned = flips(path)
    assert {t for t, *_ in planned} >= {"filings", "documents", "versions", "amendments", "instructions", "notices",
                                        "decisions", "events", "blobs", "block_texts", "version_blocks",
                                        "version_structure", "text_slices", "chain_head", "passages_data"}
    for table, column, key, values, value in planned:
        copy = tmp_path / "copy.db"
        shutil.copy(path, copy)
        if not apply_flip(copy, table, column, key, values, value):
            continue
        if verify_fails(copy):
            caught += 1
            continue
        if answers(copy) != before:
            missed.append(f"{table}.{column} (row {values})")
    assert missed == [], f"verify passes while answers change: {missed}"
    assert caught > len(planned) // 2


# --- the trail itself -----------------------------------------------------------------------


def _copy(original, tmp_path):
    copy = tmp_path / "trail.db"
    shutil.copy(original[0], copy)
    return copy


def _sql(path, *statements):
    con = sqlite3.connect(path)
    try:
        for statement in statements:
            con.execute(statement)
        con.commit()
    finally:
        con.close()


@pytest.mark.parametrize("statements", [
    ["DELETE FROM events WHERE id = (SELECT MAX(id) FROM events)"],
    ["DELETE FROM events WHERE id >= (SELECT MAX(id) - 1 FROM events)"],
    ["DELETE FROM events"],
    ["DELETE FROM events", "DELETE FROM chain_head"],
    ["DELETE FROM events WHERE id = 3"],
    ["UPDATE events SET id = -id WHERE id IN (2, 3)", "UPDATE events SET id = 5 + id WHERE id IN (-2, -3)"],
    # the apply that made the amended version, removed with its version and its rows
    ["DELETE FROM events WHERE command = 'apply' AND json_extract(outputs, '$.version') = 2",
     "DELETE FROM version_blocks WHERE version_id = (SELECT MAX(id) FROM versions)",
     "DELETE FROM version_structure WHERE version_id = (SELECT MAX(id) FROM versions)",
     "DELETE FROM versions WHERE id = (SELECT MAX(id) FROM versions)"],
], ids=["cut-last", "cut-two", "all-events", "all-events-and-head", "middle", "reordered", "apply-and-version"])
def test_events_cut_removed_or_reordered_are_caught(original, tmp_path, statements):
    copy = _copy(original, tmp_path)
    _sql(copy, "PRAGMA foreign_keys = OFF", *statements)
    assert verify_fails(copy)


def _rewrite_chain(path, event_id, actor):
    """Forge an event and hash the whole trail again after it, head included, as a careful forger would."""
    con = sqlite3.connect(path)
    try:
        con.execute("UPDATE events SET actor = ? WHERE id = ?", [actor, event_id])
        prev = GENESIS
        columns = ["id", "at", "actor", "command", "inputs", "outputs", "prev_hash", "records"]
        for values in con.execute(f"SELECT {', '.join(columns)} FROM events ORDER BY id").fetchall():
            event = dict(zip(columns, values), prev_hash=prev)
            digest = event_hash(event)
            con.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?", [prev, digest, event["id"]])
            prev = digest
        con.execute("UPDATE chain_head SET hash = ?", [prev])
        con.commit()
    finally:
        con.close()


def _verified(path, head=None) -> dict:
    """``verify`` of a database as a reader opens it, with a head written down before when given."""
    store = Store.open(path, create=False, write=False)
    try:
        return service.verify(store, since_head=head)
    finally:
        store.close()


def test_a_head_written_down_proves_the_trail_before_it(original, tmp_path):
    copy = _copy(original, tmp_path)
    store = Store.open(copy)
    head = service.verify(store)["head"]
    # the record goes on: a later decision is one more event, and the head written down still holds
    service.record_decision(store, STICKER_KEY, 2, choose=1, why="later")
    later = service.verify(store, since_head=head)
    assert later["ok"] and later["head"] != head
    store.close()
    # a forger who rewrites an early event and hashes the trail again passes every check made
    # inside the file, but not the head written down before
    _rewrite_chain(copy, 2, "forger")
    assert _verified(copy)["ok"]
    proved = _verified(copy, head)
    assert not proved["ok"]
    assert proved["first"]["record"] == f"event {head.split(':')[0]}"
    assert "rewritten" in proved["first"]["problem"]


def test_a_head_beyond_the_trail_is_caught(original, tmp_path):
    copy = _copy(original, tmp_path)
    store = Store.open(copy)
    head = service.verify(store)["head"]
    store.close()
    _sql(copy, "DELETE FROM events WHERE id = (SELECT MAX(id) FROM events)",
         "UPDATE chain_head SET event_id = event_id - 1, hash = (SELECT hash FROM events ORDER BY id DESC LIMIT 1)")
    result = _verified(copy, head)
    assert not result["ok"]
    assert any(b["record"] == f"event {head.split(':')[0]}" and "gone" in b["problem"] for b in result["broken"])


def test_the_cli_prints_a_head_and_proves_it_later(original, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from tracker.cli import app

    copy = _copy(original, tmp_path)
    monkeypatch.setenv("TRACKER_DB", str(copy))
    runner = CliRunner()
    head = runner.invoke(app, ["verify", "--head"])
    assert head.exit_code == 0 and head.stdout.count("\n") == 1
    written = head.stdout.strip()
    number, digest = written.split(":")
    assert number.isdigit() and len(digest) == 64
    proved = runner.invoke(app, ["verify", "--since-head", written])
    assert proved.exit_code == 0 and f"the trail up to {written} is untouched" in proved.stdout
    bad = runner.invoke(app, ["verify", "--since-head", "yesterday"])
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: not a chain head")
    _sql(copy, "UPDATE versions SET effective_date = '2003-12-23' WHERE id = 1")
    broken = runner.invoke(app, ["verify", "--json"])
    assert broken.exit_code == 1
    first = json.loads(broken.stdout)["first"]
    assert first == {"record": "version/1", "problem": first["problem"], "breaks": first["breaks"]}
    assert "changed by hand" in first["problem"] and "show" in first["breaks"]
    assert broken.stderr.splitlines()[-1].startswith("Error: 1 problem(s) found; first: version/1: ")
