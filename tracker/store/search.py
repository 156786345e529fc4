"""Full-text search: each distinct block text indexed once, each version a map of its blocks.

What belongs here: ``block_texts`` (the key of each distinct heading path and block text indexed,
``block_key``), ``passages`` (their FTS5 index, Porter stemming; contentless: the texts themselves
are the versions'), ``version_blocks`` (per version, a compressed map of its searchable blocks),
the search over them, and the snippets of the blocks found. A version that changes two paragraphs
adds two keys, their index entries and its own block map, not a copy of every block.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
import zlib

from ..errors import TrackerError
from ..query import SearchQuery, Term
from ..records import SearchHit
from .db import Database


def block_key(text: str, heading: str) -> int:
    """The key of one indexed block text: the first 60 bits of the sha256 of its heading path, a
    NUL, and its text (a positive integer, kept in eight bytes)."""
    digest = hashlib.sha256(f"{heading}\0{text}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 4


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
    return zlib.compress(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), 6)


def unpack_blocks(data: bytes) -> list[tuple[int, str | None, str, int]]:
    """The block map ``pack_blocks`` made."""
    try:
        cols = json.loads(zlib.decompress(data))
        ids = itertools.accumulate(cols["text"])
        index = itertools.accumulate(cols["block"])
        return list(zip(ids, cols["page"], cols["kind"], index))
    except (zlib.error, ValueError, KeyError, TypeError):
        raise TrackerError("a version's block map is corrupt (cannot inflate)") from None


class Search(Database):
    """Full-text search over the passages of every version."""
    def index_passages(self, version_id: int, passages: list) -> int:
        """Make a version's blocks searchable (inside the caller's transaction); return the texts added.

        A passage is a block's ``text``, ``heading`` path, ``page`` label, ``kind`` and ``block``
        index; it may carry its ``key`` (``block_key``, computed in an ingest worker), or the ``id``
        of its text (the same block in the version this one was made from); or it is an entry of a
        block map (``version_blocks``), a block whose text is indexed already. A text already
        indexed for any version is not added again; rows of ``block_texts`` are only ever added
        (the FTS5 index reads its text from there).
        """
        keys = [None if type(p) is tuple or "id" in p else p.get("key") or block_key(p["text"], p["heading"])
                for p in passages]
        known = self._block_ids({k for k in keys if k is not None})
        new: dict[int, tuple[str, str]] = {}
        for key, p in zip(keys, passages):
            if key is not None and key not in known and key not in new:
                new[key] = (p["heading"], p["text"])
        if new:
            # The ids run on from the largest (rows of block_texts are only ever added): one
            # statement for every new key, and one for their index entries.
            first = self._last_index_id() + 1
            rows = [(first + i, key, heading, text) for i, (key, (heading, text)) in enumerate(new.items())]
            self._run_many("INSERT INTO block_texts (id, hash) VALUES (?, ?)", [r[:2] for r in rows])
            self.index_texts([(r[0], r[2], r[3]) for r in rows])
            known.update((r[1], r[0]) for r in rows)
        blocks = [p if k is None and type(p) is tuple else
                  (p["id"] if k is None else known[k], p["page"], p["kind"], p["block"])
                  for k, p in zip(keys, passages)]
        self._run("INSERT INTO version_blocks (version_id, data) VALUES (?, ?) "
                  "ON CONFLICT (version_id) DO UPDATE SET data = excluded.data",
                  [version_id, pack_blocks(blocks)])
        self._touch("version", version_id)
        return len(new)

    def _last_index_id(self) -> int:
        """The largest id in the full-text index (0 when it is empty)."""
        return (self._one("SELECT rowid FROM passages ORDER BY rowid DESC LIMIT 1") or (0,))[0]

    def index_texts(self, rows: list[tuple[int, str, str]]) -> None:
        """Add (id, heading path, text) entries to the full-text index (new texts, or a copied
        record's texts read back from its versions: ``transfer``)."""
        self._run_many("INSERT INTO passages (rowid, heading, text) VALUES (?, ?, ?)", rows)

    def _block_ids(self, keys: set[int]) -> dict[int, int]:
        """The ids of the texts indexed under these keys (those indexed)."""
        return dict(self._all("SELECT hash, id FROM block_texts WHERE hash IN (SELECT value FROM json_each(?))",
                              [json.dumps(sorted(keys))]))

    def version_blocks(self, version_id: int) -> list[tuple[int, str | None, str, int]]:
        """A version's searchable blocks in text order: (text id, page label, kind, block index)."""
        row = self._one("SELECT data FROM version_blocks WHERE version_id = ?", [version_id])
        return unpack_blocks(row[0]) if row else []

    def search(self, query: SearchQuery, version_ids: list[int], limit: int) -> list[SearchHit]:
        """The blocks of these versions that match a query: best (bm25) first, then in text order.

        The query is written in FTS5's syntax here, every word quoted, so what a user types can only
        be words, phrases, prefixes and alternatives. The index holds each distinct block text once,
        so the match runs once over the texts; the versions' block maps then say where each matching
        text stands in each version. A negative ``limit`` is none. The index keeps no texts: a hit's
        ``heading`` and ``snippet`` are empty, for the caller to make from the version's text
        (``snippets``).
        """
        if not version_ids:
            return []
        ranks = self._ranks(query)
        if not ranks:
            return []
        found = []
        for vid in sorted(set(version_ids)):
            for text_id, page, kind, block in self.version_blocks(vid):
                rank = ranks.get(text_id)
                if rank is not None:
                    found.append((rank, vid, block, page, kind))
        found.sort(key=lambda h: h[:3])
        if limit >= 0:
            found = found[:limit]
        return [SearchHit(vid, block, page, "", kind, "", rank) for rank, vid, block, page, kind in found]

    def _ranks(self, query: SearchQuery) -> dict[int, float]:
        """The rank of each indexed text the query matches, by its id (bm25: lower is better)."""
        expression = fts5(query)
        try:
            return dict(self.conn.execute("SELECT rowid, bm25(passages) FROM passages WHERE passages MATCH ?",
                                          [expression]).fetchall())
        except sqlite3.OperationalError as exc:
            raise TrackerError(f"bad search query {expression!r}: {exc}") from None

    def snippets(self, query: SearchQuery, passages: list[tuple[str, str]]) -> list[str]:
        """The snippet of each (text, heading path) the query matches, its words marked ``[...]``:
        what FTS5 makes of that text alone (so the same as the index would), or "" when it does not
        match. Made in a temporary index, on this connection only."""
        if not passages:
            return []
        conn = self.conn
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.snippets USING fts5("
                     "text, heading, tokenize = 'porter unicode61')")
        try:
            conn.executemany("INSERT INTO temp.snippets (rowid, text, heading) VALUES (?, ?, ?)",
                             [(i + 1, text, heading) for i, (text, heading) in enumerate(passages)])
            shown = dict(conn.execute(
                "SELECT rowid, snippet(snippets, 0, '[', ']', ' ... ', 16) FROM temp.snippets "
                "WHERE snippets MATCH ?", [fts5(query)]).fetchall())
        finally:
            conn.execute("DELETE FROM temp.snippets")
        return [shown.get(i + 1) or "" for i in range(len(passages))]


def fts5(query: SearchQuery) -> str:
    """A query in SQLite FTS5's syntax: every word quoted, groups ANDed, alternatives ORed."""
    def term(t: Term) -> str:
        return '"' + " ".join(t.words).replace('"', '""') + '"' + ("*" if t.prefix else "")

    return " AND ".join(term(g[0]) if len(g) == 1 else "(" + " OR ".join(map(term, g)) + ")"
                        for g in query.groups)
