"""The SQLite store: the only module that imports sqlite_utils.

It holds rows and blobs and knows nothing of parsing or amending. Schema changes go through the named
migrations below, recorded in ``_migrations``; a test pins the resulting schema. Raw bytes and version
texts are kept content-addressed (sha256 of the uncompressed bytes) and zlib-compressed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from .errors import TrackerError

BUSY_TIMEOUT_MS = 10_000

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_initial",
        """
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TABLE filings (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE REFERENCES blobs(sha256),
            accession TEXT UNIQUE,
            source_name TEXT NOT NULL,
            format TEXT NOT NULL,
            encoding TEXT NOT NULL,
            form_type TEXT,
            filed_date TEXT,
            recorded_date TEXT NOT NULL,
            company TEXT,
            cik TEXT,
            ingested_at TEXT NOT NULL
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            sequence INTEGER NOT NULL,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            title TEXT,
            registrant TEXT,
            series TEXT,
            file_number TEXT,
            irs_ein TEXT,
            form_type TEXT,
            document_date TEXT,
            report_date TEXT,
            signature_date TEXT,
            amends_supplement_date TEXT,
            amends_prospectus_date TEXT,
            amount TEXT,
            exhibit TEXT,
            UNIQUE (filing_id, sequence)
        );
        CREATE INDEX documents_series ON documents(series);
        CREATE TABLE versions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            number INTEGER NOT NULL,
            parent_id INTEGER REFERENCES versions(id),
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            effective_date TEXT NOT NULL,
            recorded_date TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            snapshot INTEGER NOT NULL DEFAULT 1,
            delta TEXT,
            patch TEXT,
            partial INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (document_id, number)
        );
        CREATE TABLE amendments (
            filing_id INTEGER PRIMARY KEY REFERENCES filings(id),
            sticker_document_id INTEGER NOT NULL REFERENCES documents(id),
            target_document_id INTEGER REFERENCES documents(id),
            linked_by TEXT,
            state TEXT NOT NULL,
            version_id INTEGER REFERENCES versions(id),
            summary TEXT
        );
        CREATE TABLE instructions (
            id INTEGER PRIMARY KEY,
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            n INTEGER NOT NULL,
            op TEXT NOT NULL,
            target TEXT NOT NULL,
            new_text TEXT,
            source_text TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            status TEXT NOT NULL,
            confidence REAL,
            start INTEGER,
            end INTEGER,
            replacement TEXT,
            candidates TEXT,
            reason TEXT,
            version_id INTEGER REFERENCES versions(id),
            UNIQUE (filing_id, n)
        );
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            n INTEGER NOT NULL,
            text TEXT NOT NULL,
            version_id INTEGER REFERENCES versions(id),
            UNIQUE (filing_id, n)
        );
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            n INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            who TEXT NOT NULL,
            why TEXT,
            at TEXT NOT NULL,
            UNIQUE (filing_id, n)
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            command TEXT NOT NULL,
            inputs TEXT NOT NULL,
            outputs TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        );
        """,
    ),
)

MIGRATIONS += (
    (
        "0002_search_and_views",
        """
        CREATE VIRTUAL TABLE passages USING fts5(
            text, heading, page UNINDEXED, version_id UNINDEXED, block UNINDEXED, kind UNINDEXED,
            tokenize = 'porter unicode61'
        );
        CREATE VIEW version_detail AS
            SELECT v.id AS version_id, d.key AS document, d.kind, d.series, v.number AS version,
                   v.effective_date, v.recorded_date, v.partial, v.text_sha256,
                   f.id AS filing_id, COALESCE(f.accession, f.sha256) AS filing, f.source_name,
                   (SELECT p.number FROM versions p WHERE p.id = v.parent_id) AS parent_version
            FROM versions v JOIN documents d ON d.id = v.document_id JOIN filings f ON f.id = v.filing_id;
        CREATE VIEW instruction_detail AS
            SELECT i.filing_id, s.key AS sticker, t.key AS document, i.n, i.op,
                   json_extract(i.target, '$.kind') AS target_kind, json_extract(i.target, '$.page') AS page,
                   i.status, i.confidence, i.reason, i.source_text, i.new_text,
                   (SELECT v.number FROM versions v WHERE v.id = i.version_id) AS version
            FROM instructions i JOIN amendments a ON a.filing_id = i.filing_id
            JOIN documents s ON s.id = a.sticker_document_id LEFT JOIN documents t ON t.id = a.target_document_id;
        CREATE VIEW document_detail AS
            SELECT d.id, d.key, d.kind, d.title, d.registrant, d.series, d.file_number, d.irs_ein,
                   d.document_date, d.amends_supplement_date, d.amount,
                   f.id AS filing_id, COALESCE(f.accession, f.sha256) AS filing, f.recorded_date,
                   (SELECT COUNT(*) FROM versions v WHERE v.document_id = d.id) AS versions
            FROM documents d JOIN filings f ON f.id = d.filing_id
        """,
    ),
)

GENESIS = "0" * 64


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_sha256(text: str) -> str:
    return sha256(text.encode("utf-8"))


def event_hash(row: dict[str, Any]) -> str:
    """The hash of one event: its fields and the hash of the event before it."""
    body = json.dumps(
        [row["at"], row["actor"], row["command"], row["inputs"], row["outputs"], row["prev_hash"]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return sha256(body.encode("utf-8"))


class Store:
    """A tracker database. Open with ``Store.open(path)``; use ``transaction()`` for every write."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None = None):
        self.db = db
        self.path = path

    def own_files(self) -> set[Path]:
        """The database file and its journal files, so an ingest of a folder can skip them."""
        if self.path is None or str(self.path) == ":memory:":
            return set()
        base = self.path.resolve()
        return {base} | {base.with_name(base.name + s) for s in ("-wal", "-shm", "-journal")}

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> "Store":
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
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
            db = sqlite_utils.Database(conn)
            if str(path) != ":memory:":
                db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                with db.ensure_autocommit_on():
                    db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            store = cls(db, path)
            store.migrate()
        except sqlite3.DatabaseError as exc:
            raise TrackerError(f"cannot open database {path}: {exc}") from None
        return store

    def close(self) -> None:
        self.db.close()

    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded; return their names."""
        done: list[str] = []
        with self.transaction():
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            applied = {r[0] for r in self.db.execute("SELECT name FROM _migrations").fetchall()}
            for name, sql in MIGRATIONS:
                if name in applied:
                    continue
                for statement in _statements(sql):
                    self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", [name, now()]
                )
                done.append(name)
        return done

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Store"]:
        """One unit of work: everything inside commits together or not at all.

        The outermost one begins IMMEDIATE: it waits (busy timeout) for the write lock before its
        first read, so what it reads cannot be changed by another writer before it commits.
        """
        conn = self.db.conn
        try:
            if conn.in_transaction:
                with self.db.atomic():
                    yield self
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
                raise TrackerError(f"the database is busy (another writer?): {exc}") from None
            raise

    # --- generic reads ----------------------------------------------------------------------

    def rows(self, sql: str, params: list | tuple | dict = ()) -> list[dict[str, Any]]:
        cur = self.db.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def row(self, sql: str, params: list | tuple | dict = ()) -> dict[str, Any] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def schema(self) -> str:
        """The schema as SQL, tables and indexes in name order (pinned by a test)."""
        rows = self.db.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY type DESC, name"
        ).fetchall()
        return "\n".join(r[0].strip() for r in rows) + "\n"

    # --- blobs ------------------------------------------------------------------------------

    def put_blob(self, data: bytes) -> str:
        """Store bytes content-addressed; return their sha256 (storing twice is a no-op)."""
        digest = sha256(data)
        self.db.execute(
            "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
            [digest, len(data), zlib.compress(data, 6)],
        )
        return digest

    def put_text(self, text: str) -> str:
        return self.put_blob(text.encode("utf-8"))

    def get_blob(self, digest: str) -> bytes:
        found = self.db.execute("SELECT data FROM blobs WHERE sha256 = ?", [digest]).fetchone()
        if found is None:
            raise TrackerError(f"blob {digest[:12]} is missing from the store")
        try:
            return zlib.decompress(found[0])
        except zlib.error:
            raise TrackerError(f"blob {digest[:12]} is corrupt (cannot inflate)") from None

    def get_text(self, digest: str) -> str:
        return self.get_blob(digest).decode("utf-8")

    def iter_blobs(self) -> Iterator[tuple[str, bytes]]:
        for digest, data in self.db.execute("SELECT sha256, data FROM blobs ORDER BY sha256"):
            yield digest, data

    # --- inserts ----------------------------------------------------------------------------

    def insert(self, table: str, record: dict[str, Any]) -> int:
        """Insert one row and return its rowid."""
        if table not in _TABLES:
            raise ValueError(f"unknown table {table!r}")
        columns = list(record)
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            table, ", ".join(columns), ", ".join("?" for _ in columns)
        )
        cur = self.db.execute(sql, [_plain(record[c]) for c in columns])
        return int(cur.lastrowid)

    def update(self, table: str, row_id: int, values: dict[str, Any], key: str = "id") -> None:
        if table not in _TABLES:
            raise ValueError(f"unknown table {table!r}")
        assignments = ", ".join(f"{c} = ?" for c in values)
        self.db.execute(
            f"UPDATE {table} SET {assignments} WHERE {key} = ?",
            [_plain(v) for v in values.values()] + [row_id],
        )

    # --- events -----------------------------------------------------------------------------

    def index_passages(self, version_id: int, passages: list[dict[str, Any]]) -> None:
        """Add a version's blocks to the full-text index (inside the caller's transaction)."""
        for p in passages:
            self.db.execute(
                "INSERT INTO passages (text, heading, page, version_id, block, kind) VALUES (?, ?, ?, ?, ?, ?)",
                [p["text"], p["heading"], p["page"], version_id, p["block"], p["kind"]],
            )

    def search(self, query: str, version_ids: list[int], limit: int) -> list[dict[str, Any]]:
        """Full-text matches among the given versions, best first."""
        if not version_ids:
            return []
        marks = ", ".join("?" for _ in version_ids)
        try:
            return self.rows(
                "SELECT version_id, block, page, heading, kind, "
                "snippet(passages, 0, '[', ']', ' ... ', 16) AS snippet, bm25(passages) AS rank "
                f"FROM passages WHERE passages MATCH ? AND version_id IN ({marks}) "
                "ORDER BY rank LIMIT ?",
                [query, *version_ids, limit],
            )
        except sqlite3.OperationalError as exc:
            raise TrackerError(f"bad search query {query!r}: {exc}") from None

    def add_event(self, command: str, inputs: Any, outputs: Any, actor: str) -> dict[str, Any]:
        """Append one event to the chain (inside the caller's transaction)."""
        last = self.db.execute("SELECT hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
        row = {
            "at": now(),
            "actor": actor,
            "command": command,
            "inputs": json.dumps(inputs, sort_keys=True, ensure_ascii=False),
            "outputs": json.dumps(outputs, sort_keys=True, ensure_ascii=False),
            "prev_hash": last[0] if last else GENESIS,
        }
        row["hash"] = event_hash(row)
        row["id"] = self.insert("events", row)
        return row


_TABLES = {
    "blobs",
    "filings",
    "documents",
    "versions",
    "amendments",
    "instructions",
    "notices",
    "decisions",
    "events",
    "passages",
}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]


def now() -> str:
    """The current UTC time, to the second, in ISO 8601."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
