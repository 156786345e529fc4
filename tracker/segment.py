"""Segmenting a plain-text prospectus: pages, blocks with exact spans, heading paths, sentences.

What belongs here: everything that turns the text of one version into its structure
(``segment``), sentence spans inside a block (``sentences``) and small read-only helpers over a ``Segmented``. Pure functions only.

Decisions the locator relies on:

- A block's span starts at its first non-blank character and ends after its last one, except
  tables and tables of contents, whose span starts at the beginning of their first line (their
  layout is by column). The ``<PAGE>`` line and a page's label line belong to no block.
- A risk factor (in the RISK FACTORS section) is one ``risk_factor`` block spanning its title line
  and its body paragraphs (across pages too), *in addition to* its parts: a ``heading`` block for
  the title and ``paragraph`` blocks for the body. Its ``heading`` path ends with its title and
  its ``term`` is the title.
- A paragraph cut by a ``<PAGE>`` break mid-sentence stays two ``paragraph`` blocks, one per page,
  so no block ever swallows a page footer; ``continues_previous`` tells the locator that the
  second part continues the first, and the locator treats the two as one paragraph.
- A table's block spans its header rows, rule and body rows; its title line (the short line
  above it) is a separate ``heading`` block, and the table's ``term`` is that title. A centred
  title is not pushed onto the heading path (it names the table, not a section).
- A heading directly followed by another heading opens a deeper level: the headings after it
  are one level deeper until the next heading that is itself directly followed by a heading,
  or the next level-1 section ("Description of the Certificates" > "General" in a Summary).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterable, Sequence

from .models import Block, Page, Segmented, page_label, page_number
from .text import COMPANY_SUFFIXES as _SUFFIX
from .text import NEVER_END as _NEVER_END
from .text import normalise_heading
from .text import normalise_heading as _normalise

# --- lines and chunks ------------------------------------------------------------------------

_PAGE_LINE = re.compile(r"^[ \t]*<page>[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_PAGE_TAG = re.compile(r"<page>", re.IGNORECASE)
# A rule of dashes: one run of three strokes or more, or several runs of two or more (a printer sets
# "--" under a short column head such as "0%").
_RULE = re.compile(r"^\s*(?:[-_=]{3,}|[-_=]{2,}(?=\s+[-_=]{2}))(?:\s+[-_=]{2,})*\s*$")
_BULLET = re.compile(r"^(?:[o*\-•·▪■]|\([a-zA-Z]{1,4}\)|\(\d{1,3}\)|\d{1,2}\.)(?=\s)\s+|^[•·▪■]")
_LEADER = re.compile(r"\.{3,}\s*(\S.*?)\s*$")
_CELL_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_ABBREV_END = re.compile(r"\b(?:Corp|Inc|Co|Ltd|Bros|N\.A|L\.P|U\.S|S\.A|L\.L\.C|P\.C|Jr|Sr)\.$")
_MINOR = frozenset(
    "a an and as at but by for from in into of on or per the to under upon via with vs nor "
    "than that its their our your".split()
)
# Sections that end a RISK FACTORS section even when set flush left in capitals like a risk
# factor title would be.
_MAJOR_SECTION = re.compile(
    r"^(?:the\s+)?(?:summary|risk factors|description of|mortgage pool|the mortgage pool|"
    r"yield|prepayment and yield|maturity and prepayment|federal income tax|state (?:and local )?tax|"
    r"erisa|ratings?|legal (?:investment|matters)|underwriting|method of distribution|"
    r"use of proceeds|glossary|index|experts|servicing|the (?:master )?servicer|the trustee|"
    r"the depositor|the sponsor|the seller|the issuing entity|the issuer|the originator|"
    r"pooling and servicing|the pooling|static pool|affiliations|reports to|incorporation|"
    r"where you can find|annex|appendix|schedule|table of contents|additional information)\b",
    re.IGNORECASE,
)


class _Line:
    """One line: ``start`` is the offset of its first character, ``end`` the offset just after its
    last non-blank one, ``text`` the line without its newline and trailing blanks."""

    __slots__ = ("start", "end", "text", "stripped", "indent")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        # ``text`` has no trailing blanks, so stripping its head is stripping both ends.
        self.stripped = stripped = text.lstrip()
        self.indent = len(text) - len(stripped)

    @property
    def first(self) -> int:
        return self.start + self.indent


def _lines(text: str, start: int, end: int) -> list[_Line]:
    out = []
    if start >= end:
        return out
    pos = start
    for raw in text[start:end].split("\n"):
        content = raw.rstrip()
        out.append(_Line(pos, pos + len(content), content))
        pos += len(raw) + 1
    # A text ending in a newline has no empty line after it.
    if text[end - 1] == "\n":
        out.pop()
    return out


def _page_lines(text: str) -> Iterable[re.Match]:
    """``_PAGE_LINE.finditer(text)``: the regex is tried only on the lines holding a ``<page>``."""
    seen = -1
    for hit in _PAGE_TAG.finditer(text):
        line_start = text.rfind("\n", 0, hit.start()) + 1
        if line_start == seen:
            continue
        seen = line_start
        m = _PAGE_LINE.match(text, line_start)
        if m:
            yield m


# --- pages -----------------------------------------------------------------------------------


def _pages(text: str) -> tuple[list[Page], list[tuple[int, int]]]:
    """Pages and, for each, the content range that excludes its label line and its furniture."""
    bounds = []
    pos = 0
    for m in _page_lines(text):
        bounds.append((pos, m.start()))
        pos = m.end() + 1 if m.end() < len(text) else m.end()
    if not bounds:
        # No <PAGE> line: pages that end with their printed label (the HTML era's text).
        for end in _label_ends(text):
            bounds.append((pos, end))
            pos = end
    bounds.append((pos, len(text)))
    # A trailing <PAGE> leaves an empty last page: drop it.
    if len(bounds) > 1 and not text[bounds[-1][0] : bounds[-1][1]].strip():
        bounds.pop()
    pages, content = [], []
    for i, (a, b) in enumerate(bounds):
        label = None
        cend = b
        # The page's last non-blank line, found from the end.
        body = text[a:b]
        tail = len(body.rstrip())
        if tail:
            head = body.rfind("\n", 0, tail) + 1
            try:
                label = page_label(body[head:tail].strip())
            except ValueError:
                label = None
            # A one-line page holding only a number is text, not a footer.
            if label is not None and not body[:head].isspace() and head > 0:
                cend = a + head
            else:
                label = None
        pages.append(Page(i, label, a, b))
        content.append((a, cend))
    return pages, _without_running_heads(text, content)


# A line that may be a printed page label: short, alone on its line.
_LABEL_LINE = re.compile(r"^[ \t]*([A-Za-z]{0,2}[-\u2011\u2013]?\d{1,3}|[ivxlc]{1,8})[ \t]*$", re.MULTILINE)


def _label_ends(text: str) -> list[int]:
    """Where pages end in a text without ``<PAGE>`` lines: after each printed label line that
    stands alone between blank lines and numbers on from the label before (S-1, S-2, ...)."""
    ends: list[int] = []
    last: dict[str, int] = {}  # the last number seen of each kind of label
    for m in _LABEL_LINE.finditer(text):
        a, b = m.start(), m.end()
        if not (_blank_line_before(text, a) and _blank_line_after(text, b)):
            continue
        try:
            label = page_label(m.group(1))
        except ValueError:
            continue
        kind, number = _label_kind(label)
        if number is None:
            continue
        if kind in last and not 0 < number - last[kind] <= 2:
            continue
        last[kind] = number
        ends.append(b + 1 if b < len(text) else b)
    return ends if len(ends) >= 2 else []


def _blank_line_before(text: str, a: int) -> bool:
    """Whether the line starting at ``a`` opens the text or follows a blank line."""
    if a == 0:
        return True
    prev = text.rfind("\n", 0, a - 1) + 1
    return not text[prev : a - 1].strip()


def _blank_line_after(text: str, b: int) -> bool:
    """Whether the line ending at ``b`` ends the text or is followed by a blank line."""
    if b >= len(text) - 1:
        return True
    nxt = text.find("\n", b + 1)
    return not text[b + 1 : nxt if nxt >= 0 else len(text)].strip()


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _label_kind(label: str) -> tuple[str, int | None]:
    """("S", 8) for S-8, ("", 12) for 12, ("roman", 3) for iii."""
    got = page_number(label)
    if got is not None:
        return got
    total = 0
    for ch, nxt in itertools.zip_longest(label, label[1:]):
        value = _ROMAN.get(ch, 0)
        total += -value if nxt and _ROMAN.get(nxt, 0) > value else value
    return ("roman", total) if total else ("roman", None)


def _first_line(text: str, a: int, b: int) -> tuple[int, int]:
    """The span of the first non-blank line in ``text[a:b]`` ((b, b) when there is none)."""
    m = _NON_BLANK_LINE.search(text, a, b)
    return (m.start(1), m.end(1)) if m else (b, b)


def _last_line(text: str, a: int, b: int) -> tuple[int, int]:
    """The span of the last non-blank line in ``text[a:b]`` ((a, a) when there is none)."""
    end = b
    while end > a and text[end - 1].isspace():
        end -= 1
    if end == a:
        return (a, a)
    m = _NON_BLANK_LINE.match(text, max(a, text.rfind("\n", a, end) + 1), end)
    return (m.start(1), m.end(1))


_NON_BLANK_LINE = re.compile(r"[^\S\n]*(\S[^\n]*)")


def _repeated(text: str, lines: list[tuple[int, int]], head: bool) -> set[str]:
    """The short lines standing alone at the same place on most pages, and on three at least: a
    head has a blank line after it, a foot one before it (a line that opens or ends a table or a
    paragraph on each page is no furniture)."""
    counts: dict[str, int] = {}
    for a, b in lines:
        key = " ".join(text[a:b].split()).casefold()
        alone = _blank_line_after(text, b) if head else _blank_line_before(text, text.rfind("\n", 0, a) + 1)
        if key and len(key) <= 80 and alone:
            counts[key] = counts.get(key, 0) + 1
    return {k for k, n in counts.items() if n >= 3 and n * 2 > len(lines)}


def _without_running_heads(text: str, content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pages' contents without their running head and foot: the same short first (or last,
    above the folio) line on most pages, a printer's running header or footer or its back-link
    "Table of Contents", which is page furniture."""
    if len(content) < 2:
        return content
    firsts = [_first_line(text, a, b) for a, b in content]
    heads = _repeated(text, firsts, head=True)
    lasts = [_last_line(text, a, b) for a, b in content]
    feet = _repeated(text, lasts, head=False)
    if not heads and not feet:
        return content
    out = []
    for (a, b), (fa, fb), (la, lb) in zip(content, firsts, lasts):
        if " ".join(text[fa:fb].split()).casefold() in heads:
            a = min(b, fb + 1)
        if " ".join(text[la:lb].split()).casefold() in feet and la >= a:
            b = la
        out.append((a, b))
    return out


# --- classification helpers ------------------------------------------------------------------


# A risk factor's title is a sentence ("THE YIELD ON YOUR CERTIFICATES WILL BE AFFECTED ..."), a
# section's name is not: a verb tells them apart even when both start with a section's words.
_SENTENCE_VERB = re.compile(
    r"\b(?:may|will|could|might|can|cannot|should|would|must|is|are|was|were|do|does|did|not|has|have)\b",
    re.IGNORECASE,
)


def _is_major_section(heading: str) -> bool:
    """Is this capitalised line the name of a major section (which ends RISK FACTORS)?"""
    return (
        bool(_MAJOR_SECTION.match(heading))
        and len(heading.split()) <= 8
        and not _SENTENCE_VERB.search(heading)
    )


def _letters(s: str) -> str:
    return "".join(filter(str.isalpha, s))


_ASCII_LOWER = re.compile(r"[a-z]")
_ASCII_ALPHA = re.compile(r"[A-Za-z]")


def _has_letter(s: str) -> bool:
    return bool(_ASCII_ALPHA.search(s)) or any(ch.isalpha() for ch in s)


def _is_caps(s: str) -> bool:
    # Fast answer for prose: one lower-case ASCII letter is enough to say no.
    if _ASCII_LOWER.search(s):
        return False
    letters = _letters(s)
    return len(letters) >= 2 and letters.isupper()


def _is_title_case(s: str) -> bool:
    words = [w.strip("“”\"'‘’(),:;-—–") for w in s.split()]
    words = [w for w in words if w and w[0].isalpha()]
    if not words:
        return False
    major = [w for w in words[1:] if w.lower() not in _MINOR]
    if not words[0][0].isupper():
        return False
    if not major:
        return True
    caps = sum(1 for w in major if w[0].isupper())
    return caps / len(major) >= 0.75


def _ends_sentence(s: str) -> bool:
    s = s.rstrip().rstrip("”’\"')]")
    return s.endswith((".", "?", "!", ":", ";"))


def _ends_without_stop(s: str) -> bool:
    """True when a line ends the way a heading does: no final period (an abbreviation is fine)."""
    s = s.rstrip().rstrip("”’\"')")
    if s.endswith((",", ";", ":")):
        return False
    # An abbreviation is at most six characters: the last seven hold it and what precedes it.
    if s.endswith(".") and not _ABBREV_END.search(s[-7:]):
        return False
    return not s.endswith(("?", "!"))


_BULLET_STARTS = frozenset("o*-•·▪■(")


def _leader(text: str) -> re.Match | None:
    """``_LEADER.search(text)``, skipping the regex for the lines without three dots in a row."""
    return _LEADER.search(text) if "..." in text else None


def _cell_gap(s: str) -> bool:
    """``_CELL_GAP.search(s)``, skipping the regex for lines without a run of spaces or a tab."""
    return ("   " in s or "\t" in s) and _CELL_GAP.search(s) is not None


def _page_ref(s: str) -> bool:
    try:
        page_label(s)
        return True
    except ValueError:
        return False


def _bullet_marker(line: _Line) -> int:
    """Length of the bullet marker (with its following spaces) at the line's start, else 0."""
    s = line.stripped
    if not s or not (s[0] in _BULLET_STARTS or s[0].isdigit()):
        return 0
    m = _BULLET.match(s)
    return m.end() if m else 0


# --- definitions -----------------------------------------------------------------------------

_DEF_QUOTED = re.compile(
    r"^[“\"]([^”\"]{1,80})[”\"]\s*(?::|means\b|shall mean\b|is\b|will mean\b|refers to\b)"
)
_DEF_PLAIN = re.compile(r"^([A-Z][\w&'’\-]*(?: [\w&'’\-]+){0,7}):\s")


def _definition_term(text: str) -> str | None:
    m = _DEF_QUOTED.match(text)
    if m:
        return m.group(1).strip()
    m = _DEF_PLAIN.match(text)
    if m and _is_title_case(m.group(1)):
        return m.group(1).strip()
    return None


# --- chunks ----------------------------------------------------------------------------------
#
# A chunk is a run of non-blank lines. Most chunks are prose, and what a prose chunk needs to
# know (is it a table, a table of contents, a heading, a bullet list, a definition?) is answered
# from its text with a few string searches that give the same answers as testing each line: a
# rule, a cell gap, a leader or a bullet marker never spans a line break, and none of them
# depends on a line's trailing blanks. ``_Line`` objects are made only for a table glued to its
# continuation rows.

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


def _chunks(text: str, contents: Sequence[tuple[int, int]]) -> tuple[list[_Chunk], list[str]]:
    """The chunks of the pages' contents, table continuations (rows after a blank line) glued to
    their table, and the kind of each: "toc", "table", "heading" or "text"."""
    chunks: list[_Chunk] = []
    kinds: list[str] = []
    prev: _Chunk | None = None
    prev_kind = ""
    scan = _SCAN.finditer
    for page, (a, b) in enumerate(contents):
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


# --- the segmenter ---------------------------------------------------------------------------

# A block before it is numbered: (start, -end, is not a risk factor, kind, page, heading, level,
# term), so that the blocks sort on their first three fields. A risk factor is a list: its end
# grows with its body.
_Proto = tuple
_SORT_KEY = operator.itemgetter(0, 1, 2)


# A centred date on a cover or a letter ("November 5, 2003") is no section.
_DATE_LINE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}$", re.IGNORECASE
)
_RISK_GROUP = re.compile(r"\brisks\b", re.IGNORECASE)
_FOOTNOTE_MARK = re.compile(r"[^\S\n]*(\*{1,3}|[†‡]|\(\d{1,2}\)|\([a-z]\)|\d{1,2}\))[^\S\n]")


def _is_risk_group(heading: str) -> bool:
    """A heading naming a group of risks ("Transaction Structure Risks"), not a risk itself."""
    return bool(_RISK_GROUP.search(heading)) and not _SENTENCE_VERB.search(heading)


def _sentence_title(text: str, chunks: Sequence[_Chunk], kinds: Sequence[str], i: int) -> bool:
    """In RISK FACTORS, a risk factor's title printed as one sentence with its stop ("Economic
    conditions may reduce payments on your notes."): at most three lines, one sentence, directly
    followed by the paragraphs of its body, not introduced by a lead-in ending in a colon."""
    c = chunks[i]
    if c.n > 3 or len(c.s) > 300 or i + 1 >= len(chunks) or kinds[i + 1] != "text":
        return False
    if chunks[i + 1].page - c.page > 1 or not _ends_sentence(c.s) or c.s.rstrip().endswith((":", ";")):
        return False
    if i > 0 and kinds[i - 1] == "text" and chunks[i - 1].s.rstrip().endswith(":"):
        return False
    first = c.s.lstrip("“\"'‘(")
    return bool(first) and first[0].isupper() and len(sentences(text, c.first, c.end)) == 1


def _titles_are_sentences(chunks: Sequence[_Chunk], kinds: Sequence[str], i: int) -> bool:
    """Whether the RISK FACTORS section opened by heading ``i`` has no title set as a heading
    (only groups of risks until the next section): its titles are then sentences with a stop."""
    for c, kind in zip(chunks[i + 1 :], kinds[i + 1 :]):
        if kind != "heading":
            continue
        joined = _chunk_joined(c)
        if not _is_risk_group(joined):
            return c.first - c.start >= 8 or _is_major_section(joined)
    return True


def _caps_sections(chunks: Sequence[_Chunk], kinds: Sequence[str]) -> bool:
    """Whether the document names its sections in capitals ("RISK FACTORS"); when it does not
    (modern filings: "Risk Factors"), a centred Title Case heading opens a section."""
    for c, kind in zip(chunks, kinds):
        if kind == "heading" and c.n <= 2 and _is_caps(c.s):
            joined = _chunk_joined(c)
            if _is_major_section(joined) and _normalise(joined) != "table of contents":
                return True
    return False


def _is_footnote(text: str, c: _Chunk, footnotes: int, page_start: int) -> bool:
    """A chunk opening with a footnote mark, under the page's footnote rule or marking a word
    above it on its page ("$500,000,000*", "Class A(1)")."""
    m = _FOOTNOTE_MARK.match(text, c.start, c.end)
    if m is None:
        return False
    if footnotes == c.page:
        return True
    mark = m.group(1)
    at = text.rfind(mark, page_start, c.start)
    return at > page_start and not text[at - 1].isspace() and text[at - 1] not in "(*"


def _path(section: str | None, sub: list[tuple[int, str]]) -> tuple[str, ...]:
    return ((section,) if section else ()) + tuple(t for _, t in sub)


def segment(text: str) -> Segmented:
    """Split ``text`` into pages and blocks (headings, paragraphs, tables, bullets, ...) with spans."""
    pages, contents = _pages(text)
    chunks, kinds = _chunks(text, contents)
    protos = _Outline(text, pages, chunks, kinds).blocks()
    protos.sort(key=_SORT_KEY)
    blocks = tuple(
        Block(i, b[3], b[0], -b[1], b[4], b[5], b[6], b[7]) for i, b in enumerate(protos)
    )
    return Segmented(text, tuple(pages), blocks)


class _Outline:
    """One pass over a text's chunks: the heading path so far, the risk factor being read, and
    the blocks made (as ``_Proto`` tuples)."""

    def __init__(self, text: str, pages: Sequence[Page], chunks: list[_Chunk], kinds: list[str]) -> None:
        self.text, self.pages, self.chunks, self.kinds = text, pages, chunks, kinds
        self.protos: list = []
        # The level-1 section, and the deeper headings below it; ``hp`` is the path they make.
        self.section: str | None = None
        self.sub: list[tuple[int, str]] = []  # (level, title) below the section
        self.hp: tuple[str, ...] = ()
        self.nested = False  # inside a group opened by a heading directly followed by a heading
        self.in_risk = False  # in a RISK FACTORS section
        self.risk_sub = False  # under a "Risk Factors" subsection, whose groups ("... Risks") nest under it
        self.sentence_titles = False  # in a RISK FACTORS section whose risk factors' titles are sentences
        self.risk: list | None = None  # the risk factor being read: its end grows with its body
        self.footnotes = -1  # the page whose short rule opens its footnotes
        self.title_sections = not _caps_sections(chunks, kinds)

    def blocks(self) -> list:
        text, chunks, kinds = self.text, self.chunks, self.kinds
        for i, ch in enumerate(chunks):
            kind = kinds[i]
            if kind == "text" and self.sentence_titles and _sentence_title(text, chunks, kinds, i):
                kind = "heading"
            if kind == "heading" and self.heading(i, ch):
                continue
            self.body(i, ch, kinds[i] if kind == "heading" else kind)
        self.close_risk()
        return self.protos

    # -- headings ------------------------------------------------------------------------------

    def heading(self, i: int, ch: _Chunk) -> bool:
        """Place a heading chunk on the path; False when it is text after all."""
        joined = _chunk_joined(ch)
        is_caps = _is_caps(joined)
        nxt = self.kinds[i + 1] if i + 1 < len(self.chunks) else None
        # A lone line ending a page whose text runs on in lower case on the next page is the head
        # of a paragraph cut by the page break, not a heading.
        after = self.chunks[i + 1] if nxt is not None else None
        if after is not None and after.page != ch.page and not is_caps and after.s[0].islower():
            self.kinds[i] = "text"
            return False
        if self.table_title(i):
            # A centred title over a table names the table only.
            self.add(ch, "heading", self.hp + (joined,), len(self.hp) + 1, joined)
        elif nxt == "toc" or _normalise(joined) == "table of contents":
            self.open_section(ch, joined, in_risk=False)
        elif self.is_section(ch, joined, is_caps):
            self.open_section(ch, joined, in_risk=_normalise(joined) == "risk factors", at=i)
        elif self.in_risk and _is_risk_group(joined) and not is_caps and (
            nxt == "heading" or _sentence_title(self.text, self.chunks, self.kinds, i + 1)
        ):
            # "Risks Related to the Receivables": the risk factors after it sit under it.
            self.close_risk()
            self.sub, self.nested = [(2, joined)], True
            self.add_heading(ch)
        elif self.in_risk and nxt != "heading":
            self.risk_title(ch, joined)
        else:
            self.close_risk()
            self.subheading(ch, joined, i, nxt)
        return True

    def is_section(self, ch: _Chunk, joined: str, is_caps: bool) -> bool:
        """ALL CAPS (in RISK FACTORS only centred or a major section's name), or centred Title Case
        in a document that names no section in capitals."""
        centred = ch.first - ch.start >= 8
        if is_caps:
            return not self.in_risk or centred or _is_major_section(joined)
        return self.title_sections and centred and _is_title_case(joined) and not _DATE_LINE.match(joined)

    def open_section(self, ch: _Chunk, joined: str, in_risk: bool, at: int = -1) -> None:
        self.close_risk()
        self.section, self.sub, self.nested, self.risk_sub = joined, [], False, False
        self.hp = _path(self.section, self.sub)
        self.in_risk = in_risk
        self.sentence_titles = in_risk and _titles_are_sentences(self.chunks, self.kinds, at)
        self.add(ch, "heading", (joined,), 1, None)

    def risk_title(self, ch: _Chunk, joined: str) -> None:
        """A risk factor's title: ALL CAPS sentence, Title Case or sentence case."""
        self.close_risk()
        self.sub = (self.sub[:1] if self.nested else []) + [(len(self.sub[:1]) + 2, joined)]
        self.hp = hp = _path(self.section, self.sub)
        self.add(ch, "heading", hp, len(hp), joined)
        self.risk = [ch.first, -ch.end, False, "risk_factor", ch.page, hp, len(hp), joined]

    def subheading(self, ch: _Chunk, joined: str, i: int, nxt: str | None) -> None:
        if self.risk_sub and _is_risk_group(joined):
            # "Summary > Risk Factors > Transaction Structure Risks"
            self.sub = self.sub[:1] + [(3, joined)]
            self.add_heading(ch)
            return
        self.risk_sub = _normalise(joined) == "risk factors"
        if self.risk_sub:
            self.sub, self.nested = [(2, joined)], False
        elif nxt == "heading" and not self.table_title(i + 1):
            # Opens a group: the headings after it sit one level deeper.
            self.sub, self.nested = [(2, joined)], True
        elif self.nested:
            self.sub = self.sub[:1] + [(3, joined)]
        else:
            self.sub = [(2, joined)]
        self.add_heading(ch)

    def table_title(self, j: int) -> bool:
        """A centred Title Case line right above a table names the table only."""
        chunks, kinds = self.chunks, self.kinds
        if j + 1 >= len(chunks) or kinds[j] != "heading" or kinds[j + 1] != "table":
            return False
        ch = chunks[j]
        return ch.first - ch.start >= 8 and not _is_caps(_chunk_joined(ch))

    # -- blocks --------------------------------------------------------------------------------

    def add(self, ch: _Chunk, kind: str, hp: tuple[str, ...], level: int, term: str | None) -> None:
        self.protos.append((ch.first, -ch.end, True, kind, ch.page, hp, level, term))

    def add_heading(self, ch: _Chunk) -> None:
        self.hp = hp = _path(self.section, self.sub)
        self.add(ch, "heading", hp, len(hp), None)

    def close_risk(self) -> None:
        if self.risk is not None:
            self.protos.append(self.risk)
            self.risk = None

    def body(self, i: int, ch: _Chunk, kind: str) -> None:
        """A chunk that is no heading: a rule, a table of contents, a table, a footnote, bullets,
        a paragraph or a definition."""
        text, p, hp = self.text, ch.page, self.hp
        if kind == "text" and ch.n == 1 and _RULE.match(ch.s):
            # A rule alone is no block; a short one opens the page's footnotes.
            self.footnotes = p if len(ch.s.strip()) <= 40 else -1
            return
        if kind == "toc":
            self.close_risk()
            self.protos.append((ch.start, -ch.end, True, "toc", p, hp, 0, None))
            return
        if kind == "table":
            term = None
            # The title is the heading block just before, when it is the chunk just before.
            if i > 0 and self.kinds[i - 1] == "heading" and self.protos and self.protos[-1][3] == "heading":
                term = _chunk_joined(self.chunks[i - 1])
            self.protos.append((ch.start, -ch.end, True, "table", p, hp, 0, term))
        elif ch.flags & _BULLET_FLAG and _is_footnote(text, ch, self.footnotes, self.pages[p].start):
            # A footnote ("* Not offered", "(1) Approximate") is a paragraph, not a bullet.
            self.protos.append(_paragraph(ch.first, ch.end, _chunk_joined(ch), p, hp))
        elif ch.flags & _BULLET_FLAG:
            # Prose that may hold bullet items.
            _chunk_prose(text, ch, hp, self.protos)
        elif _may_define(ch.s):
            self.protos.append(_paragraph(ch.first, ch.end, _chunk_joined(ch), p, hp))
        else:
            self.protos.append((ch.first, -ch.end, True, "paragraph", p, hp, 0, None))
        if self.risk is not None:
            self.risk[1] = -ch.end  # the risk factor's body runs on


# A line opening with a bullet marker, as ``_bullet_marker`` sees it: group 1 is its indent, the
# match ends where ``_BULLET`` ends on the stripped line. ``_BULLET_NL`` finds such lines after
# a line break (opening with a literal, it is searched for fast), ``_BULLET_AT`` matches the
# first line.
_BULLET_AT = re.compile(
    r"([^\S\n]*)"
    r"(?:(?:[o*\-•·▪■]|\([a-zA-Z]{1,4}\)|\(\d{1,3}\)|\d{1,2}\.)[^\S\n]+(?=\S)|[•·▪■])"
)
_BULLET_NL = re.compile(r"\n" + _BULLET_AT.pattern)
# A line break, at most ``k`` blanks and a non-blank: compiled once per ``k``.
_SHALLOW: dict[int, re.Pattern[str]] = {}


def _shallow(k: int) -> re.Pattern[str]:
    got = _SHALLOW.get(k)
    if got is None:
        got = _SHALLOW[k] = re.compile(r"\n[^\S\n]{0,%d}\S" % k)
    return got


def _may_define(s: str) -> bool:
    """Whether prose opening ``s`` may define a term ("“Term” means", "Term: ...")."""
    c0 = s[0]
    return c0 == "“" or c0 == '"' or ("A" <= c0 <= "Z" and ":" in s)


def _paragraph(first: int, end: int, body: str, page: int, hp: tuple[str, ...]) -> tuple:
    """The paragraph (or definition) from ``first`` to ``end`` whose lines joined are ``body``."""
    term = _definition_term(body) if _may_define(body) else None
    return (first, -end, True, "definition" if term else "paragraph", page, hp, 0, term)


def _chunk_prose(text: str, c: _Chunk, hp: tuple[str, ...], protos: list) -> None:
    """``_prose_blocks`` of the chunk's lines, appended to ``protos``."""
    if c.glue is not None:  # a glued chunk: not one run of lines in the text
        protos.extend(_prose_blocks(c.glue, c.page, hp))
        return
    # The lines opening with a marker: (start of the line, of the marker, of the item's text).
    heads = [(m.start() + 1, m.end(1), m.end()) for m in _BULLET_NL.finditer(text, c.start, c.end)]
    m = _BULLET_AT.match(text, c.start, c.end)
    if m:
        heads.insert(0, (c.start, m.end(1), m.end()))
    items = []
    for k, (line, at, after) in enumerate(heads):
        nxt = heads[k + 1][0] if k + 1 < len(heads) else c.end
        item_end = line + len(text[line:nxt].rstrip())
        # "(1)" starting a wrapped line of prose is a reference, not a list: the continuation
        # lines of an item must be indented past its marker, less one (``_bullet_ok``).
        shallow = after - line - 2
        if shallow >= 0 and _shallow(shallow).search(text, line, item_end):
            heads = items = []
            break
        items.append((at, item_end))
    lead_end = heads[0][0] if heads else c.end
    if lead_end > c.start:
        if heads:
            lead = text[c.first : lead_end].rstrip()
            body = " ".join([x.strip() for x in lead.split("\n")])
            protos.append(_paragraph(c.first, c.first + len(lead), body, c.page, hp))
        else:
            protos.append(_paragraph(c.first, c.end, _chunk_joined(c), c.page, hp))
    page = c.page
    for a, b in items:
        protos.append((a, -b, True, "bullet", page, hp, 0, None))


def _prose_blocks(chunk: Sequence[_Line], page: int, hp: tuple[str, ...]) -> list[tuple]:
    """A chunk of prose: a lead-in paragraph, then one block per bullet item."""
    out: list[tuple] = []
    items: list[list[_Line]] = []
    lead: list[_Line] = []
    for ln in chunk:
        if _bullet_marker(ln):
            items.append([ln])
        elif items:
            items[-1].append(ln)
        else:
            lead.append(ln)
    # "(1)" starting a wrapped line of prose is a reference, not a list: bullets need their
    # continuation lines indented past the marker, or a single line each.
    if items and not all(_bullet_ok(it) for it in items):
        lead, items = list(chunk), []
    if lead:
        body = " ".join(ln.stripped for ln in lead)
        term = _definition_term(body)
        out.append(
            (lead[0].first, -lead[-1].end, True, "definition" if term else "paragraph", page, hp,
             0, term)
        )
    for it in items:
        out.append((it[0].first, -it[-1].end, True, "bullet", page, hp, 0, None))
    return out


def _bullet_ok(item: Sequence[_Line]) -> bool:
    head = item[0]
    if len(item) == 1:
        return True
    body_col = head.indent + _bullet_marker(head)
    return all(ln.indent >= body_col - 1 for ln in item[1:])


# --- helpers over a Segmented ----------------------------------------------------------------


def bullet_body(seg: Segmented, block: Block) -> tuple[int, int]:
    """The span of a bullet item's text after its marker."""
    line = seg.text[block.start : block.end]
    m = _BULLET.match(line)
    return (block.start + (m.end() if m else 0), block.end)


def continues_previous(seg: Segmented, block: Block) -> bool:
    """True when ``block`` is a paragraph that carries on a sentence cut by a page break."""
    if block.kind != "paragraph":
        return False
    prev = None
    for b in reversed(seg.blocks[max(0, block.index - 4) : block.index]):
        if b.kind != "risk_factor" and b.end <= block.start:
            prev = b
            break
    # It must open its page, right after a paragraph that ends the page before.
    if prev is None or prev.page != block.page - 1 or prev.kind not in ("paragraph", "definition"):
        return False
    return not _ends_sentence(seg.text[prev.start : prev.end])


def blocks_under(
    seg: Segmented, heading_path: Sequence[str], kinds: Iterable[str] | None = None
) -> list[Block]:
    """Blocks whose heading path holds ``heading_path`` in order, ending with its last part.

    Parts may be skipped in the block's path (a sticker may name only some levels), but the last
    part named must be a heading the block sits under (or the block itself); of the blocks that
    qualify, those that fit best are returned.
    """
    want = [normalise_heading(h) for h in heading_path]
    kinds = set(kinds) if kinds else None
    scored = []
    for b in seg.blocks:
        if kinds and b.kind not in kinds:
            continue
        ok, share = heading_match(b.heading, want)
        if ok:
            scored.append((share, b))
    best = max((s for s, _ in scored), default=0.0)
    # Only the blocks that fit the path best: the body's "Description of the Certificates >
    # Advances" wins over the Summary's "Advances".
    return [b for s, b in scored if s == best]


def heading_match(block_path: Sequence[str], want: Sequence[str]) -> tuple[bool, float]:
    """Whether normalised ``want`` fits ``block_path``, and the share of its parts found in order.

    The last part of ``want`` must equal one of the block's headings, deepest first; the earlier
    parts are searched above it in order.
    """
    if not want:
        return True, 1.0
    have = [normalise_heading(h) for h in block_path]
    # The innermost occurrence of the last part.
    pos = None
    for j in range(len(have) - 1, -1, -1):
        if have[j] == want[-1]:
            pos = j
            break
    if pos is None:
        return False, 0.0
    found = 1
    k = pos - 1
    for w in reversed(want[:-1]):
        j = k
        while j >= 0 and have[j] != w:
            j -= 1
        if j >= 0:
            found += 1
            k = j - 1
    share = found / len(want)
    # Headings below the named one make the fit looser.
    depth_penalty = 0.1 * (len(have) - 1 - pos)
    return True, max(0.0, share - depth_penalty)


# --- sentences -------------------------------------------------------------------------------

_STOP = re.compile(r"[.?!]+[\"'”’)\]]*(?=\s|$)")
# ``_STOP`` for a text without "?" or "!": opening with a literal, it is searched for far faster.
_STOP_DOT = re.compile(r"\.\.*[\"'”’)\]]*(?=\s|$)")
_NON_BLANK = re.compile(r"\S")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_NUMBERED = re.compile(r"(?:No|Nos)\.\s*\d", re.I)
_WORD_REVERSED = re.compile(r"[^\s(“\"]*")


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (abbreviation-aware), blank space excluded."""
    out: list[tuple[int, int]] = []
    seg_start = start
    chunk = text[start:end]
    stops = _STOP if "?" in chunk or "!" in chunk else _STOP_DOT
    for m in stops.finditer(chunk):
        stop = start + m.end()
        # The first non-blank character after the stop (slicing the rest would cost a copy of
        # the rest of the paragraph for every stop in it). A stop is followed by a blank or
        # ends the text, and mostly by one blank.
        nb = stop + 1
        if nb >= end:
            continue
        nxt = text[nb]
        if nxt.isspace():
            found = _NON_BLANK.search(text, nb, end)
            if found is None:
                continue
            nb = found.start()
            nxt = text[nb]
        # What follows must open a sentence (the first test of ``_sentence_ends``).
        if not (nxt.isupper() or nxt.isdigit() or nxt in "“\"‘'(["):
            continue
        # A few characters of what follows: a company name may run on ("Corp. No. 2").
        after = text[nb : min(end, nb + 12)]
        if not _sentence_ends(text, start + m.start(), stop, after):
            continue
        s = _trim(text, seg_start, stop)
        if s:
            out.append(s)
        seg_start = stop
    s = _trim(text, seg_start, end)
    if s:
        out.append(s)
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


def _sentence_ends(text: str, dot: int, stop: int, after: str) -> bool:
    nxt = after[0]
    if not (nxt.isupper() or nxt.isdigit() or nxt in "“\"‘'(["):
        return False
    if text[dot] != ".":
        return True
    if text[dot + 1 : stop].strip(".") and text[dot + 1 : stop][0] in "\"”'’":
        # "... the “Record Date.” The": a period inside closing quotes ends the sentence.
        return True
    # The word before the period: back to a blank or an opening "(", "“" or '"'. Read
    # backwards (reversed) from up to 40 characters before it, and further when the word is
    # longer.
    lo = max(0, dot - 40)
    j = dot - _WORD_REVERSED.match(text[lo:dot][::-1]).end()
    if j == lo:
        while j > 0 and not text[j - 1].isspace() and text[j - 1] not in "(“\"":
            j -= 1
    word = text[j:dot].casefold()
    bare = word.rstrip(".")
    if bare in _NEVER_END:
        return False
    if len(bare) == 1 and bare.isalpha() and text[j:dot].isupper():
        # An initial ("J. Smith", "J.P. Morgan") is not the end of a sentence.
        return False
    if _DOTTED.fullmatch(bare) and bare not in _SUFFIX:
        # Dotted abbreviations like "u.s.a" or "n.y" run on.
        return False
    if bare in _SUFFIX:
        # "Holdings Corp. No. 2, a Delaware corporation": a numbered name runs on.
        if _NUMBERED.match(after):
            return False
        return nxt.isupper() and not after.startswith(("(", "“", '"'))
    return True
