"""Chunks: runs of lines between blank lines, each with a kind (table, contents, heading, prose), and definition terms."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from .lines import (
    _BULLET,
    _BULLET_STARTS,
    _RULE,
    _cell_gap,
    _ends_without_stop,
    _has_letter,
    _is_caps,
    _is_title_case,
    _leader,
    _Line,
    _lines,
    _page_ref,
)

_DEF_QUOTED = re.compile(
    r"^[“\"]([^”\"]{1,80})[”\"]\s*(?::|means\b|shall mean\b|is\b|will mean\b|refers to\b)"
)


_DEF_PLAIN = re.compile(r"^([A-Z][\w&'’\-]*(?: [\w&'’\-]+){0,7}):\s")


def definition_term(text: str) -> str | None:
    """The term a definition's text opens with (“X” means ..., X: ...), or None."""
    m = _DEF_QUOTED.match(text)
    if m:
        return m.group(1).strip()
    m = _DEF_PLAIN.match(text)
    if m and _is_title_case(m.group(1)):
        return m.group(1).strip()
    return None


# One scan per page finds, at each line break, either the blank lines that end a chunk and the
# blanks opening the next one (group 1: up to the next chunk's first line, group 2: its indent),
# or a line opening with a bullet marker (no group) or with three strokes, as a rule does
# (group 3). The bullet alternative is ``_BULLET`` on the stripped line: a marker followed by
# blanks and more text on the line, or a bare bullet sign.
_SCAN = re.compile(
    r"\n[^\S\n]*(?:"
    r"(\n(?:[^\S\n]*\n)*)([^\S\n]*)"
    r"|(?:[o*\-•·▪■]|\([a-zA-Z]{1,4}\)|\(\d{1,3}\)|\d{1,2}\.)[^\S\n]+\S|[•·▪■]"
    r"|([-_=]{2})"
    r")"
)


# The blank lines and the indent opening a page's text.
_LEAD = re.compile(r"(?:[^\S\n]*\n)*([^\S\n]*)")


_BULLET_FLAG = 1  # some line of the chunk may open with a bullet marker


_RULE_FLAG = 2  # some line of the chunk may be a rule


_MARKER_STARTS = "o*-•·▪■("


_STROKES = "-_="


_SPECIAL_STARTS = _MARKER_STARTS + "_="


class _Chunk:
    """A run of non-blank lines on one page.

    ``start`` is the offset of its first line, ``first`` of its first non-blank character, ``end``
    just after its last non-blank one; ``s`` is its text from ``first`` to ``end`` (for a table
    glued to its continuation rows: the two texts joined by a line break), ``n`` its number of
    lines. ``flags`` says which line-by-line tests may find something (a superset: a flag may be
    set for nothing, never missing). ``joined`` (its lines stripped and joined by a blank) is
    computed when asked; ``glue`` holds the lines of a glued chunk.
    """

    __slots__ = ("page", "start", "first", "end", "s", "n", "flags", "joined", "glue")

    def __init__(self, page: int, start: int, first: int, end: int, s: str, n: int,
                 flags: int) -> None:
        self.page = page
        self.start = start
        self.first = first
        self.end = end
        self.s = s
        self.n = n
        self.flags = flags
        self.joined: str | None = s if n == 1 else None
        self.glue: list[_Line] | None = None

    def lines(self, text: str) -> list[_Line]:
        if self.glue is not None:
            return self.glue
        return _lines(text, self.start, self.end)

    def glued(self, text: str, more: _Chunk) -> _Chunk:
        """This chunk with ``more`` (the rows continuing it after a blank line) appended."""
        c = _Chunk(self.page, self.start, self.first, more.end, self.s + "\n" + more.s,
                   self.n + more.n, self.flags | more.flags)
        c.glue = self.lines(text) + more.lines(text)
        return c


def _chunks(text: str, contents: Sequence[tuple[int, int]], first_page: int = 0) -> tuple[list[_Chunk], list[str]]:
    """The chunks of the pages' contents, table continuations (rows after a blank line) glued to
    their table, and the kind of each: "toc", "table", "heading" or "text". ``contents`` are
    those of the pages from ``first_page`` on; a chunk never spans two pages, so the chunks of
    a few pages are the same read alone as read with the others."""
    chunks: list[_Chunk] = []
    kinds: list[str] = []
    prev: _Chunk | None = None
    prev_kind = ""
    scan = _SCAN.finditer
    for page, (a, b) in enumerate(contents, first_page):
        m = _LEAD.match(text, a, b)
        start, first = m.start(1), m.end()
        flags = 0
        for m in itertools.chain(scan(text, first, b), (None,)):
            if m is None:
                s = text[first:b].rstrip()
                if not s:
                    break
            else:
                sep = m.lastindex
                if sep != 2:
                    flags |= _RULE_FLAG if sep == 3 else _BULLET_FLAG
                    continue
                s = text[first : m.start()].rstrip()
            # The first line is not seen by the scan (no line break before it).
            c0 = s[0]
            if c0 in _SPECIAL_STARTS or c0.isdigit():
                if c0 in _STROKES:
                    flags |= _RULE_FLAG
                if c0 in _MARKER_STARTS or c0.isdigit():
                    flags |= _BULLET_FLAG
            n = s.count("\n") + 1
            c = _Chunk(page, start, first, first + len(s), s, n, flags)
            if (
                prev_kind == "table"
                and prev.page == page  # type: ignore[union-attr]
                and _chunk_is_table_rows(c)
                and not _chunk_is_toc(c)
            ):
                prev = prev.glued(text, c)  # type: ignore[union-attr]
                prev_kind = _chunk_kind(prev)
            else:
                if prev is not None:
                    chunks.append(prev)
                    kinds.append(prev_kind)
                prev = c
                if (n > 3 and not flags & _RULE_FLAG and "..." not in s
                        and ("   " not in s or not _first_row_gap(s))):
                    # Too long for a heading, neither a rule nor a leader, no columns: prose.
                    prev_kind = "text"
                else:
                    prev_kind = _chunk_kind(c)
            if m is not None:
                start, first = m.span(2)
                flags = 0
    if prev is not None:
        chunks.append(prev)
        kinds.append(prev_kind)
    return chunks, kinds


# From the first three dots in a row on a line to the line's end: one match per line holding a
# leader's dots.
_DOTS_LINE = re.compile(r"\.\.\.[^\n]*")


def _chunk_kind(c: _Chunk) -> str:
    """What a chunk is: "toc", "table", "heading" or "text"."""
    # Every leader holds three dots in a row: a table of contents needs them on half its lines
    # at least, and a table without a rule on all its lines.
    dotted = len(_DOTS_LINE.findall(c.s)) if "..." in c.s else 0
    if dotted and dotted >= 0.5 * c.n and _chunk_is_toc(c):
        return "toc"
    if c.n >= 2 and (dotted == c.n or c.flags & _RULE_FLAG) and _chunk_is_table(c):
        return "table"
    if c.n >= 2 and "   " in c.s and _aligned_columns(c.s):
        return "table"
    if c.n <= 3 and _chunk_heading_like(c):
        return "heading"
    return "text"


def _chunk_is_toc(c: _Chunk) -> bool:
    """Half the lines at least have a leader, and most leaders end in a page label."""
    # A leader holds three dots in a row, and ends before the line's trailing blanks: the lines
    # of ``s`` give the lines' own leaders.
    if "..." not in c.s:
        return False
    rows = c.s.split("\n")
    leaders = [m for m in map(_leader, rows) if m]
    if not leaders or len(leaders) < 0.5 * len(rows):
        return False
    refs = sum(1 for m in leaders if _page_ref(m.group(1)))
    return refs >= 0.8 * len(leaders)


def _chunk_is_table(c: _Chunk) -> bool:
    """Lines with a rule and a cell gap (a lone footnote rule under prose is not a table), or
    rows of label ....... value (a table without a rule)."""
    s = c.s
    if c.n < 2:
        return False
    if c.flags & _RULE_FLAG and any(map(_RULE.match, s.split("\n"))):
        # No cell gap spans a line break, so one search of the text tests every line.
        return _cell_gap(s)
    return "..." in s and all(map(_leader, s.split("\n")))


# A gap between two cells: a non-blank, three blanks or a tab, a non-blank.
_INNER_GAP = re.compile(r"(?<=\S)(?: {3,}|[ ]*\t[ \t]*)(?=\S)")


def _first_row_gap(s: str) -> bool:
    """Whether the first line of ``s`` has a gap between two cells (rows in columns all have one)."""
    end = s.find("\n")
    return "   " in s and _INNER_GAP.search(s, 0, end if end >= 0 else len(s)) is not None


def _aligned_columns(s: str) -> bool:
    """Lines laid out in columns without a rule: every line has a gap of three blanks, and one
    column edge (where a cell starts or ends beside a gap) is shared by all lines but one at most;
    the gaps of justified prose fall at different places on each line."""
    rows = s.split("\n")
    if not all("   " in row.strip() or "\t" in row.strip() for row in rows):
        return False  # a line without a gap: not rows in columns (most chunks stop here)
    counts: dict[int, int] = {}
    for row in rows:
        edges = {e for m in _INNER_GAP.finditer(row) for e in m.span()}
        if not edges:
            return False
        for e in edges:
            counts[e] = counts.get(e, 0) + 1
    return max(counts.values()) >= len(rows) - (len(rows) >= 4)


def _chunk_is_table_rows(c: _Chunk) -> bool:
    """A chunk that continues a table after a blank line: every line laid out in columns."""
    return all(
        _cell_gap(row) or _RULE.match(row) or _leader(row) for row in c.s.split("\n")
    )


def _chunk_joined(c: _Chunk) -> str:
    """``" ".join(ln.stripped for ln in lines)``."""
    got = c.joined
    if got is None:
        got = c.joined = " ".join([x.strip() for x in c.s.split("\n")])
    return got


def _chunk_heading_like(c: _Chunk) -> bool:
    """At most three short lines without a final stop (but for capitals), no bullet, no cell
    gap, opening with a capital or a digit; several lines must be capitals or Title Case."""
    if c.n > 3:
        return False
    joined = _chunk_joined(c)
    if len(joined) > 200:
        return False
    if not _ends_without_stop(joined) and not (_is_caps(joined) and joined.endswith(".")):
        # A capitalised line may end in a stop: risk factor titles often do ("... CERTIFICATES.").
        return False
    if c.flags & _BULLET_FLAG and _marker_len(c.s.split("\n", 1)[0].strip()):
        return False
    if _cell_gap(c.s):
        return False
    first = joined.lstrip("“\"'‘(")
    if not first or not (first[0].isupper() or first[0].isdigit()):
        return False
    if not _has_letter(joined):
        return False
    if c.n > 1 and not (_is_caps(joined) or _is_title_case(joined) or _short_lines(c.s)):
        # Several lines of sentence case without a stop, as wide as the text: a paragraph, not a
        # heading (a caption wraps its lines short).
        return False
    return True


def _short_lines(s: str) -> bool:
    """Every line but the last shorter than a line of prose (a caption set over a few lines)."""
    lines = s.split("\n")
    return ":" not in s and all(len(line.strip()) <= 60 for line in lines[:-1])


def _marker_len(s: str) -> int:
    """``_bullet_marker`` of a line whose stripped text is ``s``."""
    if not s or not (s[0] in _BULLET_STARTS or s[0].isdigit()):
        return 0
    m = _BULLET.match(s)
    return m.end() if m else 0
