"""Proof of the record: a digest of every row an answer depends on, committed by the event chain.

What belongs here: which rows give the record its meaning (filings, documents, versions with their
block maps and segmentations, amendments, instructions, notices, decisions), the digest of each
such *record*, the records a transaction touched (its event commits their digests, see
``events``), every record's digest for ``verify``, and the checks only SQLite can make: its own
``quick_check`` / ``integrity_check`` and the search index rebuilt and compared with the one stored.

A record is named ``kind/key``: ``filing/3``, ``version/12``, ``instruction/4/2`` (filing 4, its
instruction 2). Its digest is the sha256 of its columns, named, in a fixed order; a version's also
covers its block map and its packed segmentation (with the version it is a splice on). The search
index keeps no texts: ``verify`` rebuilds it, and each text's key, from the texts the versions'
block maps name. Columns added later are not covered until a migration says so and commits again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator

from ..errors import TrackerError
from .db import Database, id_list
from .search import unpack_blocks

# kind -> (table, key columns, covered columns)
RECORDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "filing": ("filings", ("id",), (
        "id", "sha256", "accession", "source_name", "format", "encoding", "form_type", "filed_date",
        "recorded_date", "company", "cik", "ingested_at")),
    "document": ("documents", ("id",), (
        "id", "filing_id", "sequence", "key", "kind", "title", "registrant", "series", "file_number", "irs_ein",
        "form_type", "document_date", "report_date", "signature_date", "amends_supplement_date",
        "amends_prospectus_date", "amount", "exhibit", "preliminary", "amends_kind")),
    "version": ("versions", ("id",), (
        "id", "document_id", "number", "parent_id", "filing_id", "effective_date", "recorded_date",
        "text_sha256", "snapshot", "delta", "patch", "partial", "created_at", "edits")),
    "amendment": ("amendments", ("filing_id",), (
        "filing_id", "sticker_document_id", "target_document_id", "linked_by", "state", "version_id", "summary")),
    "instruction": ("instructions", ("filing_id", "n"), (
        "id", "filing_id", "n", "op", "target", "new_text", "source_text", "span_start", "span_end", "status",
        "confidence", "start", "end", "replacement", "candidates", "reason", "version_id", "record", "pieces")),
    "notice": ("notices", ("filing_id", "n"), ("id", "filing_id", "n", "text", "version_id", "record")),
    "decision": ("decisions", ("filing_id", "n"), ("id", "filing_id", "n", "start", "end", "who", "why", "at")),
}

# What a broken record of each kind makes wrong, for the report of ``verify``.
BREAKS = {
    "filing": "filings, and the filing cited by show, diff, blame and log",
    "document": "documents, timeline, and which text show, history and search find",
    "version": "show, history, diff, blame and search of its document",
    "amendment": "review, explain, and the currency statement of the document it amends",
    "instruction": "explain, review, blame and the redline's provenance",
    "notice": "the currency statement and the redline's notices",
    "decision": "explain and the next apply of its filing",
}


def record_name(kind: str, key: tuple) -> str:
    """How a record is named: ``kind/key`` (``instruction/4/2``)."""
    return "/".join([kind, *(str(k) for k in key)])


def _digest(kind: str, columns: tuple[str, ...], values: tuple, extra: tuple = ()) -> str:
    body = [kind, *([c, v.hex() if isinstance(v, bytes) else v] for c, v in zip(columns, values)), *extra]
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def _quoted(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


class Proofs(Database):
    """The digests of the records, those a transaction touched, and SQLite's own checks."""

    def touched_records(self) -> dict[str, str | None]:
        """The digest of each record written since the last event (None for one deleted), and forget them."""
        touched, self._touched = list(self._touched), {}
        return {record_name(kind, key): self.record_digest(kind, key) for kind, key in touched}

    def record_digest(self, kind: str, key: tuple) -> str | None:
        """The digest of one record as stored now, or None when it does not exist."""
        table, key_columns, columns = RECORDS[kind]
        where = " AND ".join(f'"{c}" = ?' for c in key_columns)
        row = self._one(f"SELECT {_quoted(columns)} FROM {table} WHERE {where}", list(key))
        if row is None:
            return None
        extra = self._version_parts([row[0]])[row[0]] if kind == "version" else ()
        return _digest(kind, columns, row, extra)

    def all_record_digests(self) -> Iterator[tuple[str, str]]:
        """(name, digest) of every record stored, for ``verify``."""
        for kind, (table, key_columns, columns) in RECORDS.items():
            rows = self._all(f"SELECT {_quoted(columns)} FROM {table}")
            parts = self._version_parts([r[0] for r in rows]) if kind == "version" else {}
            at = [columns.index(c) for c in key_columns]
            for row in rows:
                key = tuple(row[i] for i in at)
                yield record_name(kind, key), _digest(kind, columns, row, parts.get(row[0], ()))

    def _version_parts(self, version_ids: list[int]) -> dict[int, tuple]:
        """For each version, the digests of its block map and of its packed segmentation, with the
        version that segmentation is a splice on (the block map names its texts by their rows in
        the index: ``verify`` proves each row's key and index entry from the versions' own texts)."""
        ids = id_list(version_ids)
        maps = dict(self._all("SELECT version_id, data FROM version_blocks WHERE version_id IN "
                              "(SELECT value FROM json_each(?))", [ids]))
        structures = {r[0]: r[1:] for r in self._all(
            "SELECT version_id, data, spliced_on FROM version_structure WHERE version_id IN "
            "(SELECT value FROM json_each(?))", [ids])}
        out = {}
        for vid in version_ids:
            blocks = maps.get(vid)
            data, spliced_on = structures.get(vid, (None, None))
            out[vid] = (["blocks", hashlib.sha256(blocks).hexdigest() if blocks is not None else None],
                        ["structure", hashlib.sha256(data).hexdigest() if data is not None else None, spliced_on])
        return out

    def commit_all_records(self) -> None:
        """Commit every record as it stands, in one event (a migration that starts or changes the proofs).
        Records found not as committed before the upgrade (``unproved_records``) are named in its
        inputs, so that ``verify`` goes on reporting them."""
        records = dict(self.all_record_digests())
        unproved = self._unproved
        if records:
            inputs = {"reason": "records committed whole", "records": len(records),
                      **({"unproved": unproved} if unproved else {})}
            self.add_event("migrate", inputs, {"committed": len(records)}, "tracker", records=records)
        self._unproved = []

    def unproved_records(self) -> None:
        """Before an upgrade that commits every record again, of a database whose records were
        committed by the digests of 0007_record_proofs: note those that differ from what their
        events committed (``commit_all_records`` names them), so that the upgrade does not hide
        a change made by hand before it."""
        if "0007_record_proofs" not in self.migrations():
            return
        committed: dict[str, str | None] = {}
        for e in self.events():
            committed.update(e.committed())
        stored = dict(self._digests_as_committed_at_0007())
        self._unproved = sorted({n for n, d in stored.items() if committed.get(n) != d}
                                | {n for n, d in committed.items() if d is not None and n not in stored})

    def _digests_as_committed_at_0007(self) -> Iterator[tuple[str, str]]:
        """(name, digest) of every record as the schema of 0007_record_proofs digested it: a
        version's columns then, its block map by the hex keys of the texts it lists, and the digest
        of its packed segmentation."""
        block_keys = dict(self._all("SELECT id, hash FROM block_texts"))
        structures = dict(self._all("SELECT version_id, data FROM version_structure"))
        maps = dict(self._all("SELECT version_id, data FROM version_blocks"))
        for kind, (table, key_columns, columns) in RECORDS.items():
            columns = tuple(c for c in columns if c != "edits")
            at = [columns.index(c) for c in key_columns]
            for row in self._all(f"SELECT {_quoted(columns)} FROM {table}"):
                extra: tuple = ()
                if kind == "version":
                    blocks = None
                    if row[0] in maps:
                        try:
                            blocks = [[block_keys.get(t), page, k, i] for t, page, k, i in unpack_blocks(maps[row[0]])]
                        except TrackerError:
                            blocks = ["corrupt", hashlib.sha256(maps[row[0]]).hexdigest()]
                    structure = structures.get(row[0])
                    extra = (["blocks", blocks],
                             ["structure", hashlib.sha256(structure).hexdigest() if structure is not None else None])
                yield record_name(kind, tuple(row[i] for i in at)), _digest(kind, columns, row, extra)

    # --- SQLite's own checks --------------------------------------------------------------

    def sqlite_check(self, full: bool = False) -> list[str]:
        """SQLite's own check of the file: ``quick_check``, or ``integrity_check`` when ``full``."""
        pragma = "integrity_check" if full else "quick_check"
        try:
            found = [r[0] for r in self.conn.execute(f"PRAGMA {pragma}")]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [] if found == ["ok"] else found

    def block_text_problems(self, indexed: dict[int, tuple[str, str]]) -> list[str]:
        """Rows of ``block_texts`` whose key is not that of the text the versions hold there
        (``indexed``: each text's (text, heading path), by its row, read from the versions), and rows
        no version holds."""
        from .search import block_key

        keys = dict(self._all("SELECT id, hash FROM block_texts"))
        problems = [f"block text {i}: its key is not the hash of its text" if i in keys
                    else f"block text {i}: held by a version, but has no key"
                    for i, (text, heading) in sorted(indexed.items()) if keys.get(i) != block_key(text, heading)]
        problems += [f"block text {i}: held by no version" for i in sorted(set(keys) - set(indexed))]
        return problems

    def search_index_problems(self, indexed: dict[int, tuple[str, str]]) -> list[str]:
        """The full-text index compared with one rebuilt (in a temporary table) from the texts the
        versions hold (``indexed``, as ``block_text_problems``): the index keeps no texts of its own."""
        conn = self.conn
        try:
            conn.execute("CREATE VIRTUAL TABLE temp.proof_fts USING fts5(text, heading, tokenize = 'porter unicode61')")
            try:
                conn.executemany("INSERT INTO temp.proof_fts (rowid, text, heading) VALUES (?, ?, ?)",
                                 [(i, text, heading) for i, (text, heading) in sorted(indexed.items())])
                conn.execute("CREATE VIRTUAL TABLE temp.proof_stored USING fts5vocab(main, passages, instance)")
                conn.execute("CREATE VIRTUAL TABLE temp.proof_rebuilt USING fts5vocab(temp, proof_fts, instance)")
                columns = "term, doc, col, offset"
                differ = conn.execute(
                    f"SELECT COUNT(*) FROM (SELECT {columns} FROM temp.proof_stored EXCEPT "
                    f"SELECT {columns} FROM temp.proof_rebuilt) UNION ALL SELECT COUNT(*) FROM "
                    f"(SELECT {columns} FROM temp.proof_rebuilt EXCEPT SELECT {columns} FROM temp.proof_stored)"
                ).fetchall()
                sizes = conn.execute(
                    "SELECT COUNT(*) FROM (SELECT id, sz FROM main.passages_docsize EXCEPT "
                    "SELECT id, sz FROM temp.proof_fts_docsize)").fetchone()[0]
                averages = conn.execute(
                    "SELECT (SELECT block FROM main.passages_data WHERE id = 1) IS "
                    "(SELECT block FROM temp.proof_fts_data WHERE id = 1)").fetchone()[0]
            finally:
                for name in ("proof_rebuilt", "proof_stored", "proof_fts"):
                    conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
        except sqlite3.DatabaseError as exc:
            return [f"search index: unreadable ({exc})"]
        problems = self._fts_integrity()
        if differ[0][0] or differ[1][0]:
            problems.append(f"search index: {differ[0][0] + differ[1][0]} entries differ from the block texts")
        if sizes or not averages:
            problems.append("search index: its sizes differ from the block texts (ranking would change)")
        return problems

    def _fts_integrity(self) -> list[str]:
        """FTS5's own check of the index against the block texts (its lookup structures included,
        which the comparison above does not read). It is a statement that writes, so it runs on a
        connection of its own, outside the reader's snapshot; a read-only database, or one a writer
        holds for more than a second, goes without (the comparison above still ran)."""
        if self.readonly or self.path is None or str(self.path) == ":memory:":
            return []
        conn = sqlite3.connect(str(self.path), timeout=1.0, isolation_level=None)
        try:
            conn.execute("INSERT INTO passages (passages, rank) VALUES ('integrity-check', 1)")
        except sqlite3.OperationalError as exc:
            if any(word in str(exc) for word in ("readonly", "locked", "busy")):
                return []
            return [f"search index: FTS5's own check fails ({exc})"]
        except sqlite3.DatabaseError as exc:
            return [f"search index: FTS5's own check fails ({exc})"]
        finally:
            conn.close()
        return []
