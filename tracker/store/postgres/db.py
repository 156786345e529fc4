"""The connection to a PostgreSQL server: opening, the write lock, transactions, migrations, errors.

What belongs here: what the SQLite backend does in ``store.db``, done over psycopg (imported here
only, and only when a ``postgresql://`` location is opened). The table groups' SQL is shared with
SQLite; ``translate`` rewrites the few forms that have no portable spelling (the ``?`` parameter
mark, SQLite's ``json_each`` over a list of ids, and the id a numbered table's insert is given).

Writers: each outermost ``transaction()`` runs at READ COMMITTED and first takes a transaction-scoped
advisory lock on the schema (``pg_advisory_xact_lock``), so writers take turns as they do under
SQLite's ``BEGIN IMMEDIATE``: every statement after the lock sees what the writer before committed,
and the event chain, version numbers and ids stay gapless. A writer that cannot get the lock within
``BUSY_TIMEOUT_MS`` gets ``Busy``. Readers take no lock and never wait: ``snapshot()`` is a
REPEATABLE READ READ ONLY transaction.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any

from ...errors import Busy, StoreError, TrackerError
from ..db import BUSY_TIMEOUT_MS, _statements, now
from ..schema import AFTER, BEFORE
from .schema import MIGRATIONS, NUMBERED

try:
    import psycopg
except ImportError:  # pragma: no cover - said in one line by ``connect``
    psycopg = None

_SAVEPOINTS = itertools.count(1)
# The advisory lock's first key: tracker's writers (the second is the schema's hash).
LOCK_CLASS = 0x7472


def shown_url(url: str) -> str:
    """A server location as messages show it: without its password (in the URL or its query)."""
    return hide_passwords(url)


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> tuple[str, bool]:
    """A statement of the shared SQL in PostgreSQL's dialect, and whether it returns the id it made.

    The shared SQL is written to run on both where a portable form exists (``ON CONFLICT``,
    ``CAST``, ``"end"`` quoted); what is left is rewritten here: ``?`` becomes ``%s``, a list of
    ids passed as JSON for ``json_each`` is read with ``json_array_elements_text``, and an insert
    into a numbered table (``schema.NUMBERED``) without an id is given the largest id plus one and
    returns it (as SQLite gives rowids; the write lock makes it safe).
    """
    out = sql.replace("%", "%%")
    out = out.replace("SELECT value FROM json_each(?)",
                      "SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(? AS json))")
    out = out.replace("?", "%s")
    m = re.match(r"\s*INSERT INTO (\w+) \(([^)]*)\) VALUES \(", out)
    returning = False
    if m and m.group(1) in NUMBERED and "id" not in [c.strip().strip('"') for c in m.group(2).split(",")]:
        table = m.group(1)
        out = (f"INSERT INTO {table} (id, {m.group(2)}) VALUES ("
               f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), " + out[m.end():])
        returning = True
        out += " RETURNING id"
    return out, returning


class Connection:
    """The PostgreSQL side of ``store.db.Database``: placed before ``Store`` in ``PostgresStore``."""

    backend = "postgresql"
    _depth = 0
    _read_only_tx = False

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, location: str, *, create: bool = True, write: bool = True):
        """Connect to the server at ``location`` and migrate its schema (``create=False`` refuses
        a schema with no tracker tables: nothing was ever stored there)."""
        shown = shown_url(location)
        if psycopg is None:
            raise StoreError("a postgresql:// database needs psycopg: pip install 'tracker[pg]'")
        try:
            conn = psycopg.connect(location, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {shown}: {_first_line(exc)}") from None
        except (ValueError, TypeError) as exc:
            raise StoreError(f"not a PostgreSQL address: {shown} ({exc})") from None
        store = cls(conn, shown)
        try:
            store._execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
            names = store._tables()
            if not create and "_migrations" not in names:
                raise StoreError(f"no tracker database at {shown} (run 'tracker ingest' first)")
            store._check_kind(names)
            if write:
                store._check_known()
            store.created = "_migrations" not in names
            store.migrate()
        except BaseException:
            conn.close()
            raise
        return store

    def _tables(self) -> set[str]:
        return {r[0] for r in self._all(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}

    def _check_kind(self, names: set[str] | None = None) -> None:
        """Refuse a schema that holds another application's tables (an empty one becomes tracker's)."""
        names = self._tables() if names is None else names
        if names and "_migrations" not in names:
            shown = ", ".join(sorted(names)[:4])
            raise StoreError(f"{self.path} is not a tracker database (its schema holds other tables: {shown}); "
                             "give another --db")
        if "_migrations" in names and not self._one("SELECT 1 FROM _migrations WHERE name = ?", [MIGRATIONS[0][0]]):
            raise StoreError(f"{self.path} is not a tracker database (its _migrations are another's)")

    def _has_migrations(self) -> bool:
        return "_migrations" in self._tables()

    def own_files(self) -> set:
        """No files: the record is on the server."""
        return set()

    def discard_if_empty(self) -> bool:
        """A schema on a server is left as it is (it may be shared); nothing is removed."""
        return False

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    # --- migrations ---------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded (under the write lock, after a second look)."""
        if not self._pending_migrations():
            return []
        done: list[str] = []
        with self.transaction():
            self._execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL, "
                          "seq BIGSERIAL)")
            pending = self._pending_migrations()
            for step in dict.fromkeys(BEFORE[name] for name, _ in pending if name in BEFORE):
                getattr(self, step)()  # on the schema the database has, as under SQLite
            steps: list[str] = []
            for name, sql in pending:
                for statement in _statements(sql):
                    self._execute(statement)
                if name in AFTER and AFTER[name] not in steps:
                    steps.append(AFTER[name])
                self._run("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", [name, now()])
                done.append(name)
            for step in steps:  # on the schema every migration has made, as under SQLite
                getattr(self, step)()
        return done

    def migrations(self) -> list[str]:
        """The names of the migrations applied, in the order they were."""
        return [r[0] for r in self._all("SELECT name FROM _migrations ORDER BY seq")]

    def _pending_migrations(self) -> list[tuple[str, str]]:
        applied = set(self.migrations()) if self._has_migrations() else set()
        return [(name, sql) for name, sql in MIGRATIONS if name not in applied]

    # --- transactions -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """One unit of work under the write lock: everything inside commits together or not at all.
        Nested, a savepoint. It commits only when an event has committed every record written."""
        if self._depth:
            if self._read_only_tx:
                raise TrackerError("internal: a write inside a read-only snapshot")
            name = f"sp{next(_SAVEPOINTS)}"
            self._execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                self._quietly(f"ROLLBACK TO SAVEPOINT {name}")
                raise
            self._depth -= 1
            self._execute(f"RELEASE SAVEPOINT {name}")
            return
        self._execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        self._depth = 1
        try:
            self._execute("SELECT pg_advisory_xact_lock(?, hashtext(COALESCE(current_schema(), '')))", [LOCK_CLASS])
            yield self
            if self._touched:
                raise TrackerError("internal: records written with no event to commit them: "
                                   + ", ".join("/".join(map(str, (k, *key))) for k, key in list(self._touched)[:3]))
            self._execute("COMMIT")
        except BaseException:
            self._touched = {}
            self._quietly("ROLLBACK")
            raise
        finally:
            self._depth = 0

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Any]:
        """Several reads as of one moment, taking no lock (inside a transaction, that one)."""
        if self._depth:
            yield self
            return
        self._execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        self._depth, self._read_only_tx = 1, True
        try:
            yield self
        finally:
            self._depth, self._read_only_tx = 0, False
            self._quietly("COMMIT")

    def _touch(self, kind: str, *key) -> None:
        """Note that a write changed record ``kind/key`` (see ``store.db``)."""
        if not self._depth:
            raise TrackerError(f"internal: {kind}/{'/'.join(map(str, key))} written outside a transaction")
        self._touched[(kind, tuple(key))] = None

    def _quietly(self, sql: str) -> None:
        with contextlib.suppress(Exception):
            self.conn.execute(sql)

    # --- statements ---------------------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()):
        """Run one statement as written for PostgreSQL (``?`` marks its parameters)."""
        try:
            return self.conn.execute(sql.replace("%", "%%").replace("?", "%s"), params or None)
        except psycopg.Error as exc:
            raise self._failure(exc) from None

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        text, _ = translate(sql)
        try:
            return self.conn.execute(text, list(params) or None).fetchall()
        except psycopg.Error as exc:
            raise self._failure(exc) from None

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        text, _ = translate(sql)
        try:
            return self.conn.execute(text, list(params) or None).fetchone()
        except psycopg.Error as exc:
            raise self._failure(exc) from None

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write; return the id it made (for an insert into a numbered table)."""
        text, returning = translate(sql)
        try:
            cur = self.conn.execute(text, list(params) or None)
            return int(cur.fetchone()[0]) if returning else 0
        except psycopg.Error as exc:
            raise self._failure(exc) from None

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one write for each row of parameters."""
        text, _ = translate(sql)
        try:
            with self.conn.cursor() as cur:
                cur.executemany(text, rows)
        except psycopg.Error as exc:
            raise self._failure(exc) from None

    def _columns(self, table: str) -> list[str]:
        """A table's columns in their order."""
        return [r[0] for r in self._all(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", [table])]

    def _failure(self, exc: Exception) -> TrackerError:
        """A database error as one line that says what happened to the user's command."""
        return failure(exc, self.path)

    def iter_blobs(self) -> Iterator[tuple[str, bytes]]:
        """Every blob as stored (compressed), in sha256 order, a hundred at a time."""
        last = ""
        while True:
            page = self._all("SELECT sha256, data FROM blobs WHERE sha256 > ? ORDER BY sha256 LIMIT 100", [last])
            yield from page
            if len(page) < 100:
                return
            last = page[-1][0]

    def schema(self) -> str:
        """The schema as PostgreSQL describes it: each table's columns and types, then the indexes."""
        lines = []
        for table, columns in itertools.groupby(self._all(
                "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"), key=lambda r: r[0]):
            cols = ", ".join(f"{c[1]} {c[2]}{'' if c[3] == 'YES' else ' NOT NULL'}" for c in columns)
            lines.append(f"TABLE {table} ({cols})")
        lines += [r[0].replace(f" ON {r[1]}.", " ON ") for r in self._all(
            "SELECT indexdef, schemaname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname")]
        return "\n".join(lines) + "\n"

    def sqlite_check(self, full: bool = False) -> list[str]:
        """SQLite's own check of its file: the server keeps its own files, so there is none to run."""
        return []


def failure(exc: Exception, where: str) -> TrackerError:
    """A psycopg error as one line."""
    text = _first_line(exc)
    state = getattr(exc, "sqlstate", None) or ""
    if state in ("55P03", "40001", "40P01"):  # lock not available, serialization failure, deadlock
        return Busy(f"the database is busy (another writer?): {text}")
    if state == "25006":
        return StoreError(f"the database {where} is read-only here: nothing was written")
    if state.startswith("08") or isinstance(exc, psycopg.OperationalError):
        return StoreError(f"lost the connection to {where}: {text}")
    if state == "53100":
        return StoreError(f"the server's disk is full: {where}; the write in progress was not kept")
    if state in ("42501",):
        return StoreError(f"not allowed on {where}: {text}")
    return StoreError(f"database error on {where}: {text}")


def _first_line(exc: Exception) -> str:
    """The first line of an error, with any password of a URL in it hidden (libpq quotes the URL)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return hide_passwords(lines[0]) if lines else type(exc).__name__


def hide_passwords(text: str) -> str:
    """``text`` with the password of every server URL in it (``user:PASSWORD@``, ``password=...``)
    replaced by ``***``: libpq's errors quote the URL they were given."""
    text = re.sub(r"(postgres(?:ql)?://[^/:@\s\"]*:)[^@\s\"]*@", r"\1***@", text)
    return re.sub(r"(password=)[^&\s\"]*", r"\1***", text)
