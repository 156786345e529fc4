"""The console entry point: a plain ``tracker show`` runs without the full command line, and says
and exits exactly as the full command line does; anything else goes to the full command line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import HE3_BASE, SEED_STICKER
from tracker.launch import plain_show

KEY = "2003-HE3/prospectus-supplement"


@pytest.mark.parametrize("args, expected", [
    (["show", "doc"], {"document": "doc"}),
    (["--db", "x.db", "show", "doc", "--as-of", "2004-01-09"], {"db": "x.db", "as_of": "2004-01-09"}),
    (["--db=x.db", "show", "--as-of=2004-01-09", "doc", "--json"], {"db": "x.db", "as_of": "2004-01-09",
                                                                    "json_out": True}),
    (["show", "doc", "--known-at", "2004-01-20", "--as-of", "2004-01-06"], {"as_of": "2004-01-06",
                                                                             "known_at": "2004-01-20"}),
    (["show", "--as-of=", "doc"], {"as_of": ""}),
])
def test_a_plain_show_is_read_here(args, expected, monkeypatch):
    monkeypatch.delenv("TRACKER_DB", raising=False)
    got = plain_show(args)
    want = {"db": "tracker.db", "document": "doc", "as_of": None, "known_at": None, "json_out": False}
    assert got == {**want, **expected}


@pytest.mark.parametrize("args", [
    [], ["--help"], ["show"], ["show", "-h"], ["show", "--help"], ["show", "doc", "--json", "--json"],
    ["show", "doc", "--as-of", "2004-01-09", "--as-of", "2004-01-10"], ["show", "doc", "--as-of"],
    ["show", "doc", "other"], ["show", "-x"], ["show", "doc", "--db", "x"], ["--version"], ["history", "doc"],
    ["--db", "show", "doc"], ["show", "doc", "--as-of", "--json"], ["show", "--", "doc"],
])
def test_anything_else_goes_to_the_full_command_line(args):
    assert plain_show(args) is None


def test_an_empty_database_variable_goes_to_the_full_command_line(monkeypatch):
    monkeypatch.setenv("TRACKER_DB", "")
    assert plain_show(["show", "doc"]) is None
    monkeypatch.setenv("TRACKER_DB", "y.db")
    assert plain_show(["show", "doc"])["db"] == "y.db"


def _run(entry: str, args: list[str], env: dict) -> tuple[int, str, str]:
    code = f"import sys; sys.argv = ['tracker', *sys.argv[1:]]; from tracker.{entry} import main; main()"
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    from tracker import service
    from tracker.store import Store

    path = tmp_path_factory.mktemp("launch") / "t.db"
    store = Store.open(path)
    service.ingest(store, [str(HE3_BASE), str(SEED_STICKER)])
    store.close()
    return path


@pytest.mark.parametrize("args", [
    ["show", KEY], ["show", KEY, "--as-of", "2003-12-31"], ["show", "--as-of=2004-01-09", KEY, "--json"],
    ["show", KEY, "--known-at", "2003-12-30"], ["show", "no such document"], ["show", KEY, "--as-of", "2004-13-01"],
    ["show", KEY, "--as-of="], ["show", "he3 supplement", "--as-of", "2004-01-09"],
])
def test_show_says_and_exits_as_the_full_command_line_does(database, args):
    env = {**os.environ, "TRACKER_DB": str(database), "TRACKER_USER": "tester"}
    assert plain_show(args) is not None
    assert _run("launch", args, env) == _run("cli", args, env)
    missing = {**env, "TRACKER_DB": str(database.parent / "missing.db")}
    assert _run("launch", args, missing) == _run("cli", args, missing)


def test_a_plain_show_loads_only_what_it_reads(database):
    code = ("import sys; from tracker import launch; "
            f"code = launch.run_show({str(database)!r}, {KEY!r}, '2004-01-09', None, False); "
            "heavy = sorted(m for m in ('typer', 'click', 'tracker.cli', 'tracker.parse', 'tracker.segment', "
            "'tracker.read.classify', 'tracker.service.ingest', 'tracker.service.amend', 'rapidfuzz', "
            "'diff_match_patch', 'selectolax') if m in sys.modules); "
            "print(code, heavy, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "TRACKER_USER": "tester"})
    assert done.stderr.splitlines()[-1] == "0 []"


ESCAPES = "\x1b[2J\x1b]0;owned\x07\x9b31m\x7f"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A database whose document holds a terminal's escape sequences, and a file named with one."""
    from tracker import service
    from tracker.store import Store

    folder = tmp_path_factory.mktemp("hostile")
    base = HE3_BASE.read_text(encoding="utf-8")
    at = base.index("Advances")
    filing = folder / "he3-escapes.txt"
    filing.write_text(base[:at] + ESCAPES + base[at:], encoding="utf-8")
    path = folder / "t.db"
    store = Store.open(path)
    service.ingest(store, [str(filing)])
    store.close()
    return path


@pytest.mark.parametrize("args", [["show", KEY], ["show", KEY, "--json"], ["show", KEY + "\x1b[2J"]])
def test_control_characters_are_shown_as_the_full_command_line_shows_them(hostile, args):
    env = {**os.environ, "TRACKER_DB": str(hostile), "TRACKER_USER": "tester"}
    assert plain_show(args) is not None
    fast = _run("launch", args, env)
    assert fast == _run("cli", args, env)
    assert "\x1b" not in fast[1] + fast[2] and "\x9b" not in fast[1] + fast[2]


def test_a_database_of_a_newer_tracker_or_another_program_reads_as_the_full_command_line_does(database, tmp_path):
    import shutil
    import sqlite3

    newer = tmp_path / "newer.db"
    shutil.copy(database, newer)
    with sqlite3.connect(newer) as con:
        con.execute("INSERT INTO _migrations (name, applied_at) VALUES ('0999_from_the_future', 'x')")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    for path in (newer, other):
        env = {**os.environ, "TRACKER_DB": str(path), "TRACKER_USER": "tester"}
        assert _run("launch", ["show", KEY], env) == _run("cli", ["show", KEY], env)
