"""The SQLite database under the store: opening, durability settings, migrations, transactions.

What belongs here: the connection and what every table group shares (``_all``, ``_one``, ``_run``),
the migrations runner, ``transaction()`` and the schema dump. The table groups (``blobs``,
``filings``, ``documents``, ``versions``, ``amendments``, ``structure``, ``search``, ``events``)
build on ``Database`` and speak domain values; this module knows no table but ``_migrations``.

Reads and writes on the paths users wait for (show, apply, diff, ingest) go straight to the
``sqlite3`` connection; ``Database.db``, a ``sqlite_utils.Database`` over the same connection, is
built on first use (migrations, introspection), because importing sqlite_utils costs about as much
as a whole ``tracker show``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import Busy, TrackerError
from .schema import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000
_SAVEPOINTS = itertools.count(1)


def now() -> str:
    """The current UTC time, to the second, in ISO 8601."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Database:
    """A tracker database. Open with ``open(path)``; use ``transaction()`` for every write."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None):
        self.conn = conn
        self.path = path
        self._db = None

    @property
    def db(self):
        """The connection as a ``sqlite_utils.Database`` (imported on first use)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def own_files(self) -> set[Path]:
        """The database file and its journal files, so an ingest of a folder can skip them."""
        if self.path is None or str(self.path) == ":memory:":
            return set()
        base = self.path.resolve()
        return {base} | {base.with_name(base.name + s) for s in ("-wal", "-shm", "-journal")}

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True):
        """Open (and migrate) the database at ``path``; ``create=False`` refuses a missing file."""
        path = Path(path)
        if str(path) != ":memory:":
            if not create and not path.exists():
                raise TrackerError(f"no database at {path} (run 'tracker ingest' first)")
            if path.exists() and path.is_dir():
                raise TrackerError(f"database path is a directory: {path}")
            if create and not path.parent.exists():
                raise TrackerError(f"directory does not exist: {path.parent}")
        try:
            # Autocommit mode: a transaction is what transaction() begins, never an implicit one.
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            if str(path) != ":memory:":
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA journal_mode = WAL")  # outside any transaction: just opened
                conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path)
            store.migrate()
        except sqlite3.DatabaseError as exc:
            raise TrackerError(f"cannot open database {path}: {exc}") from None
        return store

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded; return their names.

        An up-to-date database is only read (no write lock), so opening one to read never waits
        for a writer; pending migrations are applied under the write lock, after a second look.
        """
        if not self._pending_migrations():
            return []
        done: list[str] = []
        with self.transaction():
            if "_migrations" not in self.db.table_names():
                self.db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            for name, sql in self._pending_migrations():
                for statement in _statements(sql):
                    self.db.execute(statement)
                self.db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", [name, now()])
                done.append(name)
        return done

    def migrations(self) -> list[str]:
        """The names of the migrations applied, in the order they were."""
        return [r[0] for r in self.conn.execute("SELECT name FROM _migrations ORDER BY rowid")]

    def _pending_migrations(self) -> list[tuple[str, str]]:
        try:
            applied = {r[0] for r in self.conn.execute("SELECT name FROM _migrations")}
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            applied = set()
        return [(name, sql) for name, sql in MIGRATIONS if name not in applied]

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Database"]:
        """One unit of work: everything inside commits together or not at all.

        The outermost one begins IMMEDIATE: it waits (busy timeout) for the write lock before its
        first read, so what it reads cannot be changed by another writer before it commits.
        """
        conn = self.conn
        try:
            if conn.in_transaction:
                name = f"sp{next(_SAVEPOINTS)}"
                conn.execute(f"SAVEPOINT {name}")
                try:
                    yield self
                except BaseException:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                    raise
                conn.execute(f"RELEASE {name}")
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise Busy(f"the database is busy (another writer?): {exc}") from None
            raise

    @contextlib.contextmanager
    def snapshot(self) -> Iterator["Database"]:
        """Several reads as of one moment: what a writer commits meanwhile is not seen by any of them.

        A deferred transaction that only reads (in WAL mode it takes no lock and never waits for a
        writer); inside a transaction already, that transaction is the moment.
        """
        conn = self.conn
        if conn.in_transaction:
            yield self
            return
        conn.execute("BEGIN")
        try:
            yield self
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def schema(self) -> str:
        """The schema as SQL, tables and indexes in name order (pinned by a test)."""
        rows = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY type DESC, name"
        ).fetchall()
        return "\n".join(r[0].strip() for r in rows) + "\n"

    # --- what the table groups share ---------------------------------------------------------

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        return self.conn.execute(sql, params).fetchone()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write; return the rowid it made (for an INSERT)."""
        return int(self.conn.execute(sql, params).lastrowid or 0)


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]


def id_list(ids) -> str:
    """A list of ids as the JSON array ``json_each`` reads, so one query takes any number of them."""
    return json.dumps(sorted({int(i) for i in ids if i is not None}))
