"""Shared fixtures: the bundled corpus, the shared evaluation corpus, a store, a CLI runner.

``store`` and ``db_path`` run each test that takes them on both backends: a SQLite file, and a schema
of its own on a PostgreSQL server (``TRACKER_TEST_PG``, or a throwaway cluster started here; see
``tests/pgserver.py``). A test that looks at what only SQLite has is marked ``sqlite_only`` and runs
on SQLite alone.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"

SEED_8K = CORPUS / "citigroup-mlt-2003-he2-form-8k-2003-12-08.txt"
SEED_OPINION = CORPUS / "citigroup-mlt-2003-he2-exhibit-5-1-opinion-2003-11-05.txt"
SEED_STICKER = CORPUS / "citigroup-mlt-2003-he3-sticker-2004-01-09.txt"
HE3_BASE = CORPUS / "citigroup-mlt-2003-he3-prospectus-supplement-2003-12-22.txt"


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(scope="session")
def pg_server():
    """The address of a PostgreSQL server the tests may make schemas on (started here when none is given)."""
    from . import pgserver

    url = pgserver.server_url()
    if url is None:
        pytest.skip("no PostgreSQL server: set TRACKER_TEST_PG, or install postgresql")
    return url


@pytest.fixture
def pg_url(request):
    """A fresh, empty schema on the test server, as a ``postgresql://`` location; dropped afterwards."""
    from . import pgserver

    url = request.getfixturevalue("pg_server")
    location, drop = pgserver.fresh_schema(url)
    yield location
    drop()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def location(backend, tmp_path, request):
    """Where a test's database is: a SQLite file, or a schema of its own on the PostgreSQL server."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_url")
    return tmp_path / "t.db"


@pytest.fixture
def store(location):
    from tracker.store import Store

    s = Store.open(location)
    yield s
    s.close()


@pytest.fixture
def db_path(backend, tmp_path, monkeypatch, request):
    """The ``--db`` of a CLI test (in ``TRACKER_DB``): a file path, or a server URL (a ``str``)."""
    path = request.getfixturevalue("pg_url") if backend == "postgresql" else tmp_path / "cli.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    monkeypatch.setenv("TRACKER_USER", "tester")
    return path


def pytest_collection_modifyitems(config, items):
    """A test marked ``sqlite_only`` runs on SQLite alone (its PostgreSQL case is not collected)."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("backend") == "postgresql"
        (drop if on_pg and item.get_closest_marker("sqlite_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def shared_corpus():
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return SHARED_CORPUS


@pytest.fixture(autouse=True)
def _fixed_user(monkeypatch):
    monkeypatch.setenv("TRACKER_USER", os.environ.get("TRACKER_USER", "tester"))


class _ServerConnection:
    """A connection to a test's PostgreSQL schema that takes the store's shared dialect (``?`` marks),
    for tests that look under the store as they do with ``sqlite3.connect``."""

    def __init__(self, url: str):
        import psycopg

        self._conn = psycopg.connect(url, autocommit=True)

    def execute(self, sql: str, params=()):
        from tracker.store.postgres.db import translate

        return self._conn.execute(translate(sql)[0], list(params) or None)

    def commit(self) -> None:
        """Each statement commits by itself."""

    def close(self) -> None:
        self._conn.close()


def connect(db):
    """A connection to a test's database, either backend (``sqlite3.connect`` for a file)."""
    import sqlite3

    if isinstance(db, str) and db.startswith("postgresql://"):
        return _ServerConnection(db)
    return sqlite3.connect(db)


def nothing_stored(db) -> bool:
    """Whether a command left no record at ``db``: no file (SQLite), or empty tables (a server)."""
    if isinstance(db, str) and db.startswith("postgresql://"):
        con = connect(db)
        try:
            return not con.execute("SELECT EXISTS (SELECT 1 FROM filings) OR EXISTS (SELECT 1 FROM events)").fetchone()[0]
        except Exception:  # no tables at all
            return True
        finally:
            con.close()
    return not Path(db).exists()


@pytest.fixture(autouse=True)
def _resumed_segmentations_checked(monkeypatch):
    """Every segmentation resumed from a parent's is compared with the whole text's (it raises
    when they differ), in every test that writes a version."""
    monkeypatch.setenv("TRACKER_CHECK_SEGMENT", "1")


def execute(store, sql: str, params=()):
    """Run one statement on a store's own connection (in the shared dialect, on either backend)."""
    if getattr(store, "backend", "sqlite") == "postgresql":
        from tracker.store.postgres.db import translate

        sql = translate(sql)[0]
    return store.conn.execute(sql, params)


def rows(store, sql: str, params=()) -> list[dict]:
    """Rows of a query on a store's own connection, as dicts: for tests that look under the store
    (the query in the shared dialect, as the store's own SQL is written)."""
    cur = execute(store, sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def row(store, sql: str, params=()) -> dict | None:
    found = rows(store, sql, params)
    return found[0] if found else None
