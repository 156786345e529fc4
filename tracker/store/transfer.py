"""Moving a whole record from one database to another: SQLite to PostgreSQL and back.

What belongs here: ``copy_record``, which copies every row of every table the record is made of,
as stored (ids, digests, events and the chain's head unchanged), into an empty database of either
backend, in one transaction there, read as of one moment here. The search index is the
destination's own and keeps no texts: its entries are made there from the texts the versions hold
(given by the caller, who reads them from the versions: ``service.copy``). Since no row changes on
the way, ``verify`` gives the same head on both ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..errors import StoreError

# In an order that keeps every reference pointing back, each with the columns that order its rows.
TABLES: tuple[tuple[str, str], ...] = (
    ("blobs", "sha256"), ("text_slices", "sha256"), ("filings", "id"), ("documents", "id"), ("versions", "id"),
    ("amendments", "filing_id"), ("instructions", "id"), ("notices", "id"), ("decisions", "id"),
    ("version_structure", "version_id"), ("block_texts", "id"), ("version_blocks", "version_id"),
    ("events", "id"), ("chain_head", "id"),
)
_PAGE = 200


def copy_record(source, dest, texts: Callable[[], Iterable[tuple[int, str, str]]]) -> dict[str, int]:
    """Copy every row of ``source`` into ``dest`` (empty, and of the same schema), and index there
    the (id, heading path, text) of every indexed text that ``texts()`` reads from ``source``;
    return the rows copied, by table. Nothing is written to ``dest`` unless all of it is."""
    if source.migrations() != dest.migrations():
        raise StoreError("the two databases are of different schemas (made by different trackers): "
                         "open both with this tracker first")
    copied: dict[str, int] = {}
    with source.snapshot(), dest.transaction():
        if dest._one("SELECT EXISTS (SELECT 1 FROM filings) OR EXISTS (SELECT 1 FROM events) "
                     "OR EXISTS (SELECT 1 FROM blobs)")[0]:
            raise StoreError(f"{dest.path} already holds a record: copy into an empty database")
        for table, order in TABLES:
            theirs = set(dest._columns(table))
            columns = [c for c in source._columns(table) if c in theirs]
            names = ", ".join(f'"{c}"' for c in columns)
            insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)})"
            count, offset = 0, 0
            while True:
                rows = source._all(f'SELECT {names} FROM {table} ORDER BY "{order}" LIMIT {_PAGE} OFFSET {offset}')
                if rows:
                    dest._run_many(insert, rows)
                count += len(rows)
                offset += _PAGE
                if len(rows) < _PAGE:
                    break
            copied[table] = count
        batch: list[tuple[int, str, str]] = []
        for entry in texts():
            batch.append(entry)
            if len(batch) >= _PAGE:
                dest.index_texts(batch)
                batch = []
        if batch:
            dest.index_texts(batch)
    return copied
