"""Search queries: what a user types, read into a ``SearchQuery`` the store matches.

What belongs here: the small query language of ``tracker search`` (``parse_query``) and the order in
which document kinds rank. Words must all occur; ``"a phrase"`` must occur as written; ``OR``
between two terms takes either; ``word*`` matches words that begin so. A query is a value, not
search-engine syntax: the store writes it in its engine's syntax (SQLite FTS5 quotes every word),
so nothing else can come through; a query that cannot be read (a quotation mark left open, an OR
with nothing on one side) is refused with a one-line reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import UsageError


@dataclass(frozen=True)
class Term:
    """A word or a phrase (its words in order), a prefix when it ends in ``*``."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """Every group must match; a group matches when any of its terms does."""

    groups: tuple[tuple[Term, ...], ...]

_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"|(?P<open>")|(?P<word>\w+)(?P<star>\*?)')

# Search ranks the offering documents first; amending filings (stickers) are left out unless asked
# for, since their words are already in the versions they made.
KIND_ORDER = ("prospectus_supplement", "prospectus", "8-K", "exhibit", "other", "sticker")
DEFAULT_LEFT_OUT = ("sticker",)


def parse_query(text: str) -> SearchQuery:
    """The query a user typed; ``UsageError`` naming the problem when it cannot be read."""
    groups: list[list[Term | str]] = [[]]  # terms ANDed; each a list of alternatives
    pending_or = False
    for m in _TOKEN.finditer(text):
        if m.group("open") is not None:
            raise UsageError(f"search query {text!r}: a quotation mark is not closed")
        term = _term(m, text)
        if term is None:
            continue
        if term == "OR":
            if not groups[-1] or pending_or:
                raise UsageError(f"search query {text!r}: OR needs a term on each side")
            pending_or = True
            continue
        if pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    if pending_or:
        raise UsageError(f"search query {text!r}: OR needs a term on each side")
    terms = tuple(tuple(g) for g in groups if g)
    if not terms:
        raise UsageError(f"nothing to search for in {text!r}")
    return SearchQuery(terms)


def _term(m: re.Match, text: str) -> Term | str | None:
    """One term, "OR", or None for a term with no words."""
    if m.group("phrase") is not None:
        words = re.findall(r"\w+", m.group("phrase"))
        if not words:
            raise UsageError(f"search query {text!r}: a quoted phrase has no words")
        return Term(tuple(words))
    if m.group("word") == "OR" and not m.group("star"):
        return "OR"
    return Term((m.group("word"),), prefix=bool(m.group("star")))


def kind_rank(kind: str) -> int:
    """Where a document kind's hits stand: offering documents first."""
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
