"""Full-text search on PostgreSQL: a ``tsvector`` per indexed text in ``passages``, under a GIN index.

What belongs here: what ``store.search`` does with FTS5, done with PostgreSQL's text search
(``tracker_english``: Snowball's English stemming where FTS5 has Porter's, and no stop words, as
there): the index entries, the match and its ranks, the snippets, and the index's proof. As under
SQLite the index keeps no texts (``block_texts`` keeps each text's key and id; a hit's heading and
snippet are made from its version's text). A query is written as a ``tsquery`` built from the words
of ``query.SearchQuery`` only (each word reduced to its letters and digits), so what a user types
can only be words, phrases, prefixes and alternatives. The same blocks match as under SQLite; ranks
(``ts_rank`` where SQLite has ``bm25``) and snippets (``ts_headline``) may differ.
"""

from __future__ import annotations

import re

from ...query import SearchQuery, Term

CONFIG = "tracker_english"
# A text's terms: its words, then its heading path's (a phrase does not run from one into the other).
TERMS = f"to_tsvector('{CONFIG}', CAST(? AS text)) || to_tsvector('{CONFIG}', CAST(? AS text))"
_HEADLINE = 'StartSel=[, StopSel=], MaxWords=20, MinWords=10, MaxFragments=2, FragmentDelimiter=" ... "'


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
    """The PostgreSQL side of ``store.search.Search`` and of the search index's proof."""

    def _last_index_id(self) -> int:
        """The largest id in the full-text index (0 when it is empty)."""
        return self._one("SELECT COALESCE(MAX(id), 0) FROM passages")[0]

    def index_texts(self, rows: list[tuple[int, str, str]]) -> None:
        """Add (id, heading path, text) entries to the full-text index."""
        self._run_many(f"INSERT INTO passages (id, terms) VALUES (?, {TERMS})",
                       [(i, text, heading) for i, heading, text in rows])

    def _ranks(self, query: SearchQuery) -> dict[int, float]:
        """The rank of each indexed text the query matches, by its id (``-ts_rank``: lower is better)."""
        text = tsquery(query)
        if not text:
            return {}
        return dict(self._all(f"SELECT id, -ts_rank(terms, q) FROM passages, to_tsquery('{CONFIG}', ?) q "
                              "WHERE terms @@ q", [text]))

    def snippets(self, query: SearchQuery, passages: list[tuple[str, str]]) -> list[str]:
        """The snippet of each (text, heading path) the query matches, its words marked ``[...]``
        (``ts_headline``), or "" when it does not match."""
        text = tsquery(query)
        if not passages or not text:
            return [""] * len(passages)
        shown = dict(self._all(
            f"SELECT p.n, ts_headline('{CONFIG}', p.body, q, '{_HEADLINE}') "
            "FROM unnest(CAST(? AS text[]), CAST(? AS text[])) WITH ORDINALITY AS p(body, heading, n), "
            f"to_tsquery('{CONFIG}', ?) q "
            f"WHERE (to_tsvector('{CONFIG}', p.body) || to_tsvector('{CONFIG}', p.heading)) @@ q",
            [[t for t, _ in passages], [h for _, h in passages], text]))
        return [shown.get(i + 1) or "" for i in range(len(passages))]

    def search_index_problems(self, indexed: dict[int, tuple[str, str]]) -> list[str]:
        """The index compared with the terms of the texts the versions hold (``indexed``: each
        text's (text, heading path), by its id): an entry missing, left over, or with other terms."""
        ids = sorted(indexed)
        stored = {r[0] for r in self._all("SELECT id FROM passages")}
        problems = []
        missing, extra = set(ids) - stored, stored - set(ids)
        if missing or extra:
            problems.append(f"search index: {len(missing)} texts not indexed, {len(extra)} entries of no text")
        differ = self._one(
            "SELECT COUNT(*) FROM passages s JOIN unnest(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[])) "
            "AS p(id, body, heading) ON p.id = s.id "
            f"WHERE s.terms IS DISTINCT FROM (to_tsvector('{CONFIG}', p.body) || to_tsvector('{CONFIG}', p.heading))",
            [ids, [indexed[i][0] for i in ids], [indexed[i][1] for i in ids]])[0]
        if differ:
            problems.append(f"search index: {differ} entries differ from the block texts")
        return problems
