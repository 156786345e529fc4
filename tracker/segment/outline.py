"""The segmenter: ``segment`` turns a version's text into pages and blocks with heading paths."""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from typing import NamedTuple

from ..models import Block, Page, Segmented
from ..text import normalise_heading as _normalise
from .chunks import _BULLET_FLAG, _Chunk, _chunk_joined, _chunks, definition_term
from .lines import (
    _RULE,
    _SENTENCE_VERB,
    _bullet_marker,
    _ends_sentence,
    _is_caps,
    _is_major_section,
    _is_title_case,
    _Line,
)
from .pages import _pages_traced
from .sentences import sentences

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
    if i >= len(chunks):  # a group of risks heading the end of the text: no title follows
        return False
    c = chunks[i]
    if c.n > 3 or len(c.s) > 300 or i + 1 >= len(chunks) or kinds[i + 1] != "text":
        return False
    if chunks[i + 1].page - c.page > 1 or not _ends_sentence(c.s) or c.s.rstrip().endswith((":", ";")):
        return False
    if i > 0 and kinds[i - 1] == "text" and chunks[i - 1].s.rstrip().endswith(":"):
        return False
    first = c.s.lstrip("“\"'‘(")
    return bool(first) and first[0].isupper() and len(sentences(text, c.first, c.end)) == 1


# A risk factor section's decision read to the end of the text without meeting its deciding heading.
END = 1 << 30


def _titles_are_sentences(chunks: Sequence[_Chunk], kinds: Sequence[str], i: int,
                          reach=None) -> tuple[bool, int]:
    """Whether the RISK FACTORS section opened by heading ``i`` has no title set as a heading
    (only groups of risks until the next section): its titles are then sentences with a stop.
    Also the page of the heading that decides it (``END`` when none does). ``reach(n)`` makes
    ``n`` chunks available when it can (a text segmented a few pages at a time)."""
    j = i + 1
    while j < len(chunks) or (reach is not None and reach(j + 1)):
        if kinds[j] == "heading":
            c = chunks[j]
            joined = _chunk_joined(c)
            if not _is_risk_group(joined):
                return c.first - c.start >= 8 or _is_major_section(joined), c.page
        j += 1
    return True, END


def _caps_witness(chunks: Sequence[_Chunk], kinds: Sequence[str]) -> int:
    """The page of the first heading that names a section in capitals ("RISK FACTORS"), or -1.

    A document that names its sections in capitals has one; when it has none (modern filings:
    "Risk Factors"), a centred Title Case heading opens a section."""
    for c, kind in zip(chunks, kinds):
        if _caps_section_heading(c, kind):
            return c.page
    return -1


def _caps_section_heading(c: _Chunk, kind: str) -> bool:
    """Whether a chunk (of its kind before the outline reads it) names a section in capitals."""
    if kind == "heading" and c.n <= 2 and _is_caps(c.s):
        joined = _chunk_joined(c)
        return _is_major_section(joined) and _normalise(joined) != "table of contents"
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
    return segment_traced(text)[0]


def segment_traced(text: str) -> tuple[Segmented, Trace]:
    """``segment``, and what the outline knew at the start of each page (see ``Trace``), from
    which a later version of the text is segmented again only where it changed."""
    pages, contents, furniture = _pages_traced(text)
    chunks, kinds = _chunks(text, contents)
    outline = _Outline(text, pages, chunks, kinds)
    protos = outline.blocks()
    protos.sort(key=_SORT_KEY)
    blocks = tuple(
        Block(i, b[3], b[0], -b[1], b[4], b[5], b[6], b[7]) for i, b in enumerate(protos)
    )
    return Segmented(text, tuple(pages), blocks), Trace(furniture, outline.witness, tuple(outline.states))


class Trace(NamedTuple):
    """What the segmenter knew of a text beyond its blocks, so that an edited copy of the text
    can be segmented again only around its edits (``segment.resume``).

    ``furniture`` is whether the pages were cut at ``<PAGE>`` lines and the running heads and
    feet found on them; ``witness`` the page of the first section named in capitals (-1: none);
    ``states`` the outline's state at the start of each page (see ``_Outline.state``), in terms
    that do not move when text before the page grows or shrinks.
    """

    furniture: tuple
    witness: int
    states: tuple


class _Outline:
    """One pass over a text's chunks: the heading path so far, the risk factor being read, and
    the blocks made (as ``_Proto`` tuples)."""

    def __init__(self, text: str, pages: Sequence[Page], chunks: list[_Chunk], kinds: list[str],
                 witness: int | None = None) -> None:
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
        self.section_page = -1  # in RISK FACTORS: the page of its heading
        self.decided = -1  # and the page of the heading that told how its titles are set
        self.risk: list | None = None  # the risk factor being read: its end grows with its body
        self.footnotes = -1  # the page whose short rule opens its footnotes
        self.witness = _caps_witness(chunks, kinds) if witness is None else witness
        self.title_sections = self.witness < 0
        self.states: list[tuple] = []  # the state at the start of each page (``state``)
        self.first_state = 0  # the page of ``states[0]``

    def blocks(self) -> list:
        chunks = self.chunks
        for i, ch in enumerate(chunks):
            if ch.page >= self.first_state + len(self.states):
                self.mark(ch.page)
            self.read(i, ch)
        self.mark(len(self.pages) - 1)
        self.close_risk()
        return self.protos

    def read(self, i: int, ch: _Chunk) -> None:
        """Read chunk ``i``: a heading placed on the path, or a body block."""
        kind = self.kinds[i]
        if kind == "text" and self.sentence_titles and _sentence_title(self.text, self.chunks, self.kinds, i):
            kind = "heading"
        if kind == "heading" and self.heading(i, ch):
            return
        self.body(i, ch, self.kinds[i] if kind == "heading" else kind)

    def reach(self, n: int) -> bool:
        """Whether ``n`` chunks are there (a text read a few pages at a time loads more here)."""
        return n <= len(self.chunks)

    # -- the state at a page's start -------------------------------------------------------------

    def mark(self, page: int) -> None:
        """Record the state for every page up to ``page`` not recorded yet."""
        for q in range(self.first_state + len(self.states), page + 1):
            self.states.append(self.state(q))

    def state(self, q: int) -> tuple:
        """What the outline knows at the start of page ``q``, all that decides how it reads on: the
        heading path (whether it opens with a section, and the levels below), the flags, the risk
        factor being read, and, in RISK FACTORS, the pages of its heading and of its deciding
        heading. Offsets and pages are kept from page ``q`` (or the risk factor's own page), so that
        a state after an edit compares equal to the same state before it. (The footnote page needs
        no keeping: it only ever matches the page it was set on.)"""
        pages, risk = self.pages, self.risk
        if risk is not None:
            rp = risk[4]
            risk = (q - rp, risk[0] - pages[rp].start, pages[q].start + risk[1])
        protos = self.protos
        flags = (self.nested | self.in_risk << 1 | self.risk_sub << 2 | self.sentence_titles << 3
                 | (bool(protos) and protos[-1][3] == "heading") << 4)
        if self.in_risk:
            where = (q - self.section_page, END if self.decided == END else self.decided - q)
        else:
            where = None
        return (self.hp, bool(self.section), tuple(level for level, _ in self.sub), flags, risk, where)

    def restore(self, q: int, state: tuple) -> None:
        """Take up the state ``state`` recorded at the start of page ``q`` (the inverse of ``state``)."""
        hp, has_section, levels, flags, risk, where = state
        self.hp = hp
        self.section = hp[0] if has_section else None
        self.sub = list(zip(levels, hp[1:] if has_section else hp))
        self.nested, self.in_risk = bool(flags & 1), bool(flags & 2)
        self.risk_sub, self.sentence_titles = bool(flags & 4), bool(flags & 8)
        if flags & 16:  # what the chunk before read last was a heading: as if it had been made here
            self.protos.append((-1, 0, True, "heading", -1, (), 0, None))
        if risk is not None:
            rp = q - risk[0]
            self.risk = [self.pages[rp].start + risk[1], risk[2] - self.pages[q].start, False,
                         "risk_factor", rp, hp, len(hp), hp[-1]]
        if where is not None:
            self.section_page = q - where[0]
            self.decided = END if where[1] == END else where[1] + q

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
        if in_risk:
            self.sentence_titles, self.decided = _titles_are_sentences(self.chunks, self.kinds, at, self.reach)
            self.section_page = ch.page
        else:
            self.sentence_titles = False
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
    term = definition_term(body) if _may_define(body) else None
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
        term = definition_term(body)
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
