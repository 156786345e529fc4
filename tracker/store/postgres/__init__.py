"""The store on a PostgreSQL server: the same interface as SQLite's, for a team sharing one record.

What belongs here: ``PostgresStore``, the SQLite ``Store`` with the few parts that differ put in
front of it: the connection, write lock, transactions and migrations (``db``), the DDL (``schema``)
and the search index (``search``). Every other method, and its SQL, is the table groups' own.
psycopg is imported by ``db`` only, and this package only when a ``postgresql://`` location is
opened (``Store.open``).
"""

from __future__ import annotations

from .. import Store
from .db import Connection, shown_url
from .search import TextSearch


class PostgresStore(Connection, TextSearch, Store):
    """A tracker database on a PostgreSQL server. Open with ``Store.open("postgresql://...")``."""


__all__ = ["PostgresStore", "shown_url"]
