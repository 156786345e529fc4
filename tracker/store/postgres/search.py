"""Full-text search on PostgreSQL: a ``tsvector`` column of ``block_texts`` under a GIN index.

What belongs here: what ``store.search`` does with FTS5, done with PostgreSQL's text search
(``tracker_english``: Snowball's English stemming where FTS5 has Porter's, and no stop
words, as there). A query is written as a
``tsquery`` built from the words of ``query.SearchQuery`` only (each word reduced to its letters and
digits), so what a user types can only be words, phrases, prefixes and alternatives. The same
blocks match as under SQLite; ranks (``ts_rank`` where SQLite has ``bm25``) and snippets
(``ts_headline``) may differ.
"""

from __future__ import annotations

import re
from typing import Any

from ...query import SearchQuery, Term
from ...records import SearchHit
from ..search import block_key, pack_blocks

_HEADLINE = "StartSel=[, StopSel=], MaxWords=20, MinWords=10, MaxFragments=2, FragmentDelimiter=\" ... \""


def tsquery(query: SearchQuery) -> str:
    """A query in ``to_tsquery`` syntax: phrases joined by ``<->``, alternatives ORed, groups ANDed."""
    def term(t: Term) -> str:
        words = [w for word in t.words for w in re.findall(r"[^\W_]+", word)]
        if not words:
            return ""
        text = " <-> ".join(words)
        return f"({text}:*)" if t.prefix else f"({text})"

    groups = []
    for group in query.groups:
        terms = [x for x in map(term, group) if x]
        if terms:
            groups.append("(" + " | ".join(terms) + ")")
    return " & ".join(groups)


class TextSearch:
    """The PostgreSQL side of ``store.search.Search`` and of the search index's proofs."""

    def index_passages(self, version_id: int, passages: list[dict[str, Any]]) -> int:
        """Make a version's blocks searchable (see ``store.search.Search.index_passages``)."""
        keys = [None if "id" in p else p.get("key") or block_key(p["text"], p["heading"]) for p in passages]
        known = self._block_ids({k for k in keys if k is not None})
        added = 0
        for key, p in zip(keys, passages):
            if key is None or key in known:
                continue
            known[key] = self._run("INSERT INTO block_texts (hash, heading, text) VALUES (?, ?, ?)",
                                   [key, p["heading"], p["text"]])
            added += 1
        blocks = [(p["id"] if k is None else known[k], p["page"], p["kind"], p["block"]) for k, p in zip(keys, passages)]
        self._run("INSERT INTO version_blocks (version_id, data) VALUES (?, ?) "
                  "ON CONFLICT (version_id) DO UPDATE SET data = excluded.data", [version_id, pack_blocks(blocks)])
        self._touch("version", version_id)
        return added

    def search(self, query: SearchQuery, version_ids: list[int], limit: int) -> list[SearchHit]:
        """The blocks of these versions that match a query: best (``ts_rank``) first, then in text order."""
        if not version_ids:
            return []
        text = tsquery(query)
        if not text:
            return []
        ranks = dict(self._all("SELECT id, -ts_rank(terms, q) FROM block_texts, to_tsquery('tracker_english', ?) q "
                               "WHERE terms @@ q", [text]))
        if not ranks:
            return []
        found = []
        for vid in sorted(set(version_ids)):
            for text_id, page, kind, block in self.version_blocks(vid):
                rank = ranks.get(text_id)
                if rank is not None:
                    found.append((rank, vid, block, text_id, page, kind))
        found.sort(key=lambda h: h[:3])
        if limit >= 0:
            found = found[:limit]
        shown = {r[0]: (r[1], r[2]) for r in self._all(
            f"SELECT id, heading, ts_headline('tracker_english', text, q, '{_HEADLINE}') "
            "FROM block_texts, to_tsquery('tracker_english', ?) q WHERE id IN (SELECT value FROM json_each(?))",
            [text, _ids(h[3] for h in found)])}
        return [SearchHit(vid, block, page, shown[tid][0], kind, shown[tid][1], rank)
                for rank, vid, block, tid, page, kind in found]

    def rebuild_search_index(self) -> None:
        """Nothing to do: each block text's terms are a column computed from it."""

    def search_index_problems(self) -> list[str]:
        """Block texts whose stored terms are not those their heading and text make now."""
        wrong = self._one("SELECT COUNT(*) FROM block_texts WHERE terms IS DISTINCT FROM "
                          "(to_tsvector('tracker_english', text) || to_tsvector('tracker_english', heading))")[0]
        return [f"search index: {wrong} entries differ from the block texts"] if wrong else []


def _ids(ids) -> str:
    import json

    return json.dumps(sorted({int(i) for i in ids}))
