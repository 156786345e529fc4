"""The SQLite store: the only module that imports sqlite_utils.

Reads and writes on the paths users wait for (show, apply, diff, ingest) go straight to the
``sqlite3`` connection; ``Store.db``, a ``sqlite_utils.Database`` over the same connection, is
built on first use (migrations, introspection), because importing sqlite_utils costs about as much
as a whole ``tracker show``.

It holds rows and blobs and knows nothing of parsing or amending. Schema changes go through the named
migrations below, recorded in ``_migrations``; a test pins the resulting schema. Raw bytes and version
texts are kept content-addressed (sha256 of the uncompressed bytes) and zlib-compressed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import TrackerError

BUSY_TIMEOUT_MS = 10_000
_SAVEPOINTS = itertools.count(1)

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
        CREATE TABLE block_texts (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            heading TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE passages USING fts5(
            text, heading, content = 'block_texts', content_rowid = 'id',
            tokenize = 'porter unicode61'
        );
        CREATE TABLE version_blocks (
            version_id INTEGER PRIMARY KEY REFERENCES versions(id),
            data BLOB NOT NULL
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

MIGRATIONS += (
    (
        "0003_version_structure",
        """
        CREATE TABLE version_structure (
            version_id INTEGER PRIMARY KEY REFERENCES versions(id),
            data BLOB NOT NULL
        )
        """,
    ),
    (
        "0004_text_slices",
        """
        CREATE TABLE text_slices (
            sha256 TEXT PRIMARY KEY,
            filing_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        )
        """,
    ),
    (
        # Each parsed instruction and notice whole, as ``models.to_record`` writes it (the columns
        # beside it keep what SQL and the views read), and the places an instruction that changes
        # several places changed; rows made before it have NULL here.
        "0005_instruction_records",
        """
        ALTER TABLE instructions ADD COLUMN record TEXT;
        ALTER TABLE instructions ADD COLUMN pieces TEXT;
        ALTER TABLE notices ADD COLUMN record TEXT
        """,
    ),
    (
        # A preliminary document (Form 424H, "SUBJECT TO COMPLETION") and, for a sticker, the kind of
        # document it amends as its cover names it ("preliminary_prospectus", "prospectus_supplement").
        "0006_preliminary_documents",
        """
        ALTER TABLE documents ADD COLUMN preliminary INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE documents ADD COLUMN amends_kind TEXT
        """,
    ),
)

GENESIS = "0" * 64


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def compress(data: bytes) -> bytes:
    """How blobs are kept: zlib, level 6."""
    return zlib.compress(data, 6)


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


def block_key(text: str, heading: str) -> str:
    """The key of one indexed block text: sha256 of its heading path, a NUL, and its text."""
    return text_sha256(f"{heading}\0{text}")


def pack_blocks(blocks: list[tuple[int, str | None, str, int]]) -> bytes:
    """A version's block map, (text id, page, kind, block index) each, as zlib-compressed JSON.

    Stored by column, text ids and block indexes as differences from the one before, so the
    runs of a version's mostly consecutive ids and repeated pages compress to a few bytes a block.
    """
    ids = [b[0] for b in blocks]
    index = [b[3] for b in blocks]
    data = {
        "text": [b - a for a, b in zip([0, *ids], ids)],
        "page": [b[1] for b in blocks],
        "kind": [b[2] for b in blocks],
        "block": [b - a for a, b in zip([0, *index], index)],
    }
    return zlib.compress(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), 9)


def unpack_blocks(data: bytes) -> list[tuple[int, str | None, str, int]]:
    """The block map ``pack_blocks`` made."""
    try:
        cols = json.loads(zlib.decompress(data))
        ids = itertools.accumulate(cols["text"])
        index = itertools.accumulate(cols["block"])
        return list(zip(ids, cols["page"], cols["kind"], index))
    except (zlib.error, ValueError, KeyError, TypeError):
        raise TrackerError("a version's block map is corrupt (cannot inflate)") from None


class Store:
    """A tracker database. Open with ``Store.open(path)``; use ``transaction()`` for every write."""

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

    def _pending_migrations(self) -> list[tuple[str, str]]:
        try:
            applied = {r[0] for r in self.conn.execute("SELECT name FROM _migrations")}
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            applied = set()
        return [(name, sql) for name, sql in MIGRATIONS if name not in applied]

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Store"]:
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
                raise TrackerError(f"the database is busy (another writer?): {exc}") from None
            raise

    # --- generic reads ----------------------------------------------------------------------

    def rows(self, sql: str, params: list | tuple | dict = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def row(self, sql: str, params: list | tuple | dict = ()) -> dict[str, Any] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def schema(self) -> str:
        """The schema as SQL, tables and indexes in name order (pinned by a test)."""
        rows = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY type DESC, name"
        ).fetchall()
        return "\n".join(r[0].strip() for r in rows) + "\n"

    # --- blobs ------------------------------------------------------------------------------

    def put_blob(self, data: bytes, *, compressed: bytes | None = None) -> str:
        """Store bytes content-addressed; return their sha256 (storing twice is a no-op).

        ``compressed`` is ``compress(data)`` when the caller made it already (in a worker process).
        """
        digest = sha256(data)
        self.conn.execute(
            "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
            [digest, len(data), compressed if compressed is not None else compress(data)],
        )
        return digest

    def put_text(self, text: str) -> str:
        return self.put_blob(text.encode("utf-8"))

    def get_blob(self, digest: str) -> bytes:
        found = self.conn.execute("SELECT data FROM blobs WHERE sha256 = ?", [digest]).fetchone()
        if found is None:
            raise TrackerError(f"blob {digest[:12]} is missing from the store")
        try:
            return zlib.decompress(found[0])
        except zlib.error:
            raise TrackerError(f"blob {digest[:12]} is corrupt (cannot inflate)") from None

    def get_text(self, digest: str) -> str:
        return self.get_blob(digest).decode("utf-8")

    def put_text_slice(self, digest: str, filing_sha256: str, start: int, end: int) -> None:
        """Record that the text with hash ``digest`` is ``[start:end]`` of a stored filing's text."""
        self.conn.execute(
            'INSERT OR IGNORE INTO text_slices (sha256, filing_sha256, start, "end") VALUES (?, ?, ?, ?)',
            [digest, filing_sha256, start, end],
        )

    def get_text_slice(self, digest: str) -> tuple[str, int, int] | None:
        """(filing sha256, start, end) when the text ``digest`` is kept as a slice of a filing's text."""
        row = self.conn.execute(
            'SELECT filing_sha256, start, "end" FROM text_slices WHERE sha256 = ?', [digest]
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def iter_blobs(self) -> Iterator[tuple[str, bytes]]:
        for digest, data in self.conn.execute("SELECT sha256, data FROM blobs ORDER BY sha256"):
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
        cur = self.conn.execute(sql, [_plain(record[c]) for c in columns])
        return int(cur.lastrowid)

    def update(self, table: str, row_id: int, values: dict[str, Any], key: str = "id") -> None:
        if table not in _TABLES:
            raise ValueError(f"unknown table {table!r}")
        assignments = ", ".join(f"{c} = ?" for c in values)
        self.conn.execute(
            f"UPDATE {table} SET {assignments} WHERE {key} = ?",
            [_plain(v) for v in values.values()] + [row_id],
        )

    # --- derived data -----------------------------------------------------------------------

    def put_structure(self, version_id: int, data: bytes) -> None:
        """Keep a version's packed segmentation (see ``structure``), inside the caller's transaction."""
        self.conn.execute(
            "INSERT OR REPLACE INTO version_structure (version_id, data) VALUES (?, ?)", [version_id, data]
        )

    def get_structure(self, version_id: int) -> bytes | None:
        found = self.conn.execute("SELECT data FROM version_structure WHERE version_id = ?", [version_id]).fetchone()
        return found[0] if found else None

    # --- search -----------------------------------------------------------------------------

    def index_passages(self, version_id: int, passages: list[dict[str, Any]]) -> int:
        """Make a version's blocks searchable (inside the caller's transaction); return the texts added.

        Each distinct (heading path, block text) is indexed once, in ``block_texts`` and its FTS5
        index ``passages``, keyed by ``block_key``; a text already indexed for any version is not
        added again. The version itself keeps only a compressed map of its blocks in
        ``version_blocks``: for each block, the id of its text, its page label, kind and index.
        Rows of ``block_texts`` are only ever added (the FTS5 index reads its text from there).
        """
        # A passage may carry its key already (computed in an ingest worker, not in the writer), or
        # the id of its text (the same block in the version this one was made from).
        keys = [None if "id" in p else p.get("key") or block_key(p["text"], p["heading"]) for p in passages]
        known = self._block_ids({k for k in keys if k is not None})
        added = 0
        for key, p in zip(keys, passages):
            if key is None or key in known:
                continue
            row = [p["heading"], p["text"]]
            cur = self.conn.execute("INSERT INTO block_texts (hash, heading, text) VALUES (?, ?, ?)", [key, *row])
            known[key] = int(cur.lastrowid)
            self.conn.execute("INSERT INTO passages (rowid, heading, text) VALUES (?, ?, ?)", [known[key], *row])
            added += 1
        blocks = [(p["id"] if k is None else known[k], p["page"], p["kind"], p["block"]) for k, p in zip(keys, passages)]
        self.conn.execute(
            "INSERT OR REPLACE INTO version_blocks (version_id, data) VALUES (?, ?)", [version_id, pack_blocks(blocks)]
        )
        return added

    def _block_ids(self, keys: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        todo = sorted(keys)
        for i in range(0, len(todo), 500):
            chunk = todo[i:i + 500]
            marks = ", ".join("?" for _ in chunk)
            found.update(self.conn.execute(f"SELECT hash, id FROM block_texts WHERE hash IN ({marks})", chunk))
        return found

    def version_blocks(self, version_id: int) -> list[tuple[int, str | None, str, int]]:
        """A version's searchable blocks in text order: (text id, page label, kind, block index)."""
        row = self.conn.execute("SELECT data FROM version_blocks WHERE version_id = ?", [version_id]).fetchone()
        return unpack_blocks(row[0]) if row else []

    def search(self, query: str, version_ids: list[int], limit: int) -> list[dict[str, Any]]:
        """Full-text matches among the given versions: best (bm25) first, then in text order.

        The index holds each distinct block text once, so the match runs once over the texts; the
        versions' block maps then say where each matching text stands in each version.
        """
        if not version_ids:
            return []
        try:
            ranks = dict(self.conn.execute("SELECT rowid, bm25(passages) FROM passages WHERE passages MATCH ?", [query]))
        except sqlite3.OperationalError as exc:
            raise TrackerError(f"bad search query {query!r}: {exc}") from None
        if not ranks:
            return []
        found = []
        for vid in sorted(set(version_ids)):
            for text_id, page, kind, block in self.version_blocks(vid):
                rank = ranks.get(text_id)
                if rank is not None:
                    found.append((rank, vid, block, text_id, page, kind))
        found.sort(key=lambda h: h[:3])
        if limit >= 0:  # as SQL's LIMIT: a negative limit is none
            found = found[:limit]
        ids = json.dumps(sorted({h[3] for h in found}))
        shown = {
            r[0]: (r[1], r[2])
            for r in self.conn.execute(
                "SELECT rowid, heading, snippet(passages, 0, '[', ']', ' ... ', 16) FROM passages "
                "WHERE passages MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
                [query, ids],
            )
        }
        return [
            {"version_id": vid, "block": block, "page": page, "heading": shown[tid][0], "kind": kind,
             "snippet": shown[tid][1], "rank": rank}
            for rank, vid, block, tid, page, kind in found
        ]

    def add_event(self, command: str, inputs: Any, outputs: Any, actor: str) -> dict[str, Any]:
        """Append one event to the chain (inside the caller's transaction)."""
        last = self.conn.execute("SELECT hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
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
