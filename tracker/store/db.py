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
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import Busy, NotFound, StoreError, TrackerError
from .schema import AFTER, BEFORE, MIGRATIONS

BUSY_TIMEOUT_MS = 10_000
_SAVEPOINTS = itertools.count(1)


def is_server(location) -> bool:
    """Whether a ``--db`` location names a PostgreSQL server (``postgresql://...``), not a SQLite file."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def now() -> str:
    """The current UTC time, to the second, in ISO 8601."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Database:
    """A tracker database. Open with ``open(path)``; use ``transaction()`` for every write."""

    backend = "sqlite"  # which kind of database (``store.postgres`` says "postgresql")

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None, *, created: bool = False,
                 readonly: bool = False):
        self.conn = conn
        self.path = path
        self.created = created  # this open made the file
        self.readonly = readonly  # opened read-only (the file or its folder cannot be written)
        self._db = None
        self._touched: dict = {}  # records written since the last event (see ``proof``)
        self._unproved: list[str] = []  # records found not as committed, before an upgrade (see ``proof``)

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
    def open(cls, path: str | Path, *, create: bool = True, write: bool = True):
        """Open (and migrate) the database at ``path``; ``create=False`` refuses a missing file.

        ``write=False`` (a reading command) opens a file that cannot be written read-only, and on
        read-only media immutable, instead of failing; a writer is refused a database made by a
        newer tracker, and any command a SQLite file that is not tracker's.
        """
        path = Path(path)
        memory = str(path) == ":memory:"
        try:
            exists = not memory and path.exists()
            if not memory:
                if not create and not exists:
                    raise StoreError(f"no database at {_shown(path)} (run 'tracker ingest' first)")
                if exists and path.is_dir():
                    raise StoreError(f"database path is a directory: {_shown(path)}")
                if create and not path.parent.exists():
                    raise StoreError(f"directory does not exist: {_shown(path.parent)}")
            readonly = exists and not write and not _writable(path)
        except OSError as exc:
            raise StoreError(f"cannot open database {_shown(path)}: {exc.strerror or exc}") from None
        try:
            conn = _connect(path, readonly)
            store = cls(conn, path, created=not memory and not exists, readonly=readonly)
            store._check_kind()
            if not readonly:
                _settings(conn, memory)
            if write:
                store._check_known()
            store.migrate()
        except sqlite3.DatabaseError as exc:
            if "readonly" in str(exc) or "full" in str(exc):
                raise failure(exc, path) from None
            raise StoreError(f"cannot open database {_shown(path)}: {exc}") from None
        return store

    def _check_kind(self) -> None:
        """Refuse a SQLite file that holds another application's tables (an empty one becomes ours)."""
        names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if names and "_migrations" not in names:
            shown = ", ".join(sorted(names)[:4])
            raise StoreError(f"{_shown(self.path)} is not a tracker database (it holds other tables: {shown}); "
                             "give another --db")
        if "_migrations" in names and not self.conn.execute(
                "SELECT 1 FROM _migrations WHERE name = ?", [MIGRATIONS[0][0]]).fetchone():
            raise StoreError(f"{_shown(self.path)} is not a tracker database (its _migrations are another's)")

    def _check_known(self) -> None:
        """Refuse to write to a database migrated by a newer tracker: its schema is not this one's."""
        known = {name for name, _ in MIGRATIONS}
        unknown = [name for name in self.migrations() if name not in known] if self._has_migrations() else []
        if unknown:
            raise StoreError(f"the database {_shown(self.path)} was made by a newer tracker (migration "
                             f"{unknown[0]} is unknown here); upgrade tracker to write to it")

    def _has_migrations(self) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = '_migrations'").fetchone() is not None

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def discard_if_empty(self) -> bool:
        """Close and remove the database file when this open made it and nothing was stored in it
        (a command whose every input was refused leaves no file behind); say whether it did."""
        if not self.created or self.path is None:
            return False
        try:
            if self._one("SELECT EXISTS (SELECT 1 FROM filings) OR EXISTS (SELECT 1 FROM events)")[0]:
                return False
        except TrackerError:
            return False
        self.close()
        for name in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + name).unlink()
        return True

    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded; return their names.

        An up-to-date database is only read (no write lock), so opening one to read never waits
        for a writer; pending migrations are applied under the write lock, after a second look.
        """
        if not self._pending_migrations():
            return []
        if self.readonly:
            raise StoreError(f"the database {_shown(self.path)} needs upgrading to this tracker's schema, "
                             "and it is read-only here; run a writing command where it can be written")
        done: list[str] = []
        with self.transaction():
            if "_migrations" not in self.db.table_names():
                self.db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            pending = self._pending_migrations()
            for step in dict.fromkeys(BEFORE[name] for name, _ in pending if name in BEFORE):
                getattr(self, step)()  # on the schema the database has
            steps: list[str] = []
            for name, sql in pending:
                for statement in _statements(sql):
                    self.db.execute(statement)
                if name in AFTER and AFTER[name] not in steps:
                    steps.append(AFTER[name])
                self.db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", [name, now()])
                done.append(name)
            for step in steps:  # on the schema every migration has made
                getattr(self, step)()
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
        first read, so what it reads cannot be changed by another writer before it commits. It
        commits only when an event has committed every record written (see ``proof``).
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
                if self._touched:
                    raise TrackerError("internal: records written with no event to commit them: "
                                       + ", ".join("/".join(map(str, (k, *key))) for k, key in list(self._touched)[:3]))
            except BaseException:
                self._touched = {}
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except (sqlite3.Error, OverflowError) as exc:
            raise self._failure(exc) from None

    def _touch(self, kind: str, *key) -> None:
        """Note that a write changed record ``kind/key``: the next event commits its digest (``proof``)."""
        if not self.conn.in_transaction:
            raise TrackerError(f"internal: {kind}/{'/'.join(map(str, key))} written outside a transaction")
        self._touched[(kind, tuple(key))] = None

    def _failure(self, exc: Exception) -> TrackerError:
        """A database error as one line that says what happened to the user's command."""
        return failure(exc, self.path)

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
        try:
            conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise self._failure(exc) from None
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
        try:
            return self.conn.execute(sql, params).fetchall()
        except (sqlite3.Error, OverflowError) as exc:
            raise self._failure(exc) from None

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        try:
            return self.conn.execute(sql, params).fetchone()
        except (sqlite3.Error, OverflowError) as exc:
            raise self._failure(exc) from None

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write; return the rowid it made (for an INSERT)."""
        try:
            return int(self.conn.execute(sql, params).lastrowid or 0)
        except (sqlite3.Error, OverflowError) as exc:
            raise self._failure(exc) from None

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one write for each row of parameters."""
        try:
            self.conn.executemany(sql, rows)
        except (sqlite3.Error, OverflowError) as exc:
            raise self._failure(exc) from None

    def _columns(self, table: str) -> list[str]:
        """A table's columns in their order."""
        return [r[1] for r in self._all(f"PRAGMA table_info({table})")]


def failure(exc: Exception, path: Path | None) -> TrackerError:
    """A database error as one line that says what happened to the user's command."""
    text = str(exc)
    where = _shown(path)
    if isinstance(exc, OverflowError):
        return NotFound(f"a number is out of range ({text}); ids are below 2^63")
    if "locked" in text or "busy" in text:
        return Busy(f"the database is busy (another writer?): {text}")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"the database {where} is read-only: nothing was written")
    if "full" in text:
        return StoreError(f"the disk is full (or the database reached its size limit): {where}; "
                          "the write in progress was not kept")
    if "malformed" in text or "not a database" in text:
        return StoreError(f"the database {where} is damaged ({text}); see 'tracker verify --full'")
    return StoreError(f"database error on {where}: {text}")


def _shown(path: Path | None) -> str:
    """A path as an error line shows it: whole, unless it is absurdly long."""
    text = str(path)
    return text if len(text) <= 120 else f"{text[:60]}...{text[-40:]} ({len(text)} characters)"


def _writable(path: Path) -> bool:
    """Whether this process may write the database file and make its journal files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """A connection in autocommit mode (a transaction is what ``transaction()`` begins, never an
    implicit one); read-only by URI when ``readonly``, and immutable when even that cannot open it
    (read-only media: no journal file can be made beside it)."""
    if readonly:
        uri = "file:" + urllib.parse.quote(str(path.resolve()))
        for mode in ("?mode=ro", "?mode=ro&immutable=1"):
            conn = sqlite3.connect(uri + mode, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.OperationalError:
                conn.close()
                if "immutable" in mode:
                    raise
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)


def _settings(conn: sqlite3.Connection, memory: bool) -> None:
    """The durability settings, once the file is known to be tracker's (or empty): WAL changes the file."""
    if not memory:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")  # outside any transaction: just opened
        conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]


def id_list(ids) -> str:
    """A list of ids as the JSON array ``json_each`` reads, so one query takes any number of them."""
    return json.dumps(sorted({int(i) for i in ids if i is not None}))
