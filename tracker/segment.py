"""Segmenting a plain-text prospectus: pages, blocks with exact spans, heading paths, sentences.

What belongs here: everything that turns the text of one version into its structure
(``segment``), sentence spans inside a block (``sentences``), heading comparison
(``normalise_heading``) and small read-only helpers over a ``Segmented``. Pure functions only.

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

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Block, Page, Segmented, page_label

# --- lines and chunks ------------------------------------------------------------------------

_PAGE_LINE = re.compile(r"^[ \t]*<page>[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_PAGE_TAG = re.compile(r"<page>", re.IGNORECASE)
_RULE = re.compile(r"^\s*[-_=]{3,}(?:\s+[-_=]{3,})*\s*$")
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


def _chunked_lines(text: str, start: int, end: int) -> list[list[_Line]]:
    """``_chunks(_lines(text, start, end))`` without making the blank lines."""
    chunks: list[list[_Line]] = []
    cur: list[_Line] = []
    if start >= end:
        return chunks
    pos = start
    for raw in text[start:end].split("\n"):
        content = raw.rstrip()
        if content:
            cur.append(_Line(pos, pos + len(content), content))
        elif cur:
            chunks.append(cur)
            cur = []
        pos += len(raw) + 1
    if cur:
        chunks.append(cur)
    return chunks


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


def _chunks(lines: Sequence[_Line]) -> list[list[_Line]]:
    chunks: list[list[_Line]] = []
    cur: list[_Line] = []
    for line in lines:
        if line.stripped:
            cur.append(line)
        elif cur:
            chunks.append(cur)
            cur = []
    if cur:
        chunks.append(cur)
    return chunks


# --- pages -----------------------------------------------------------------------------------


def _pages(text: str) -> tuple[list[Page], list[tuple[int, int]]]:
    """Pages and, for each, the content range that excludes its label line."""
    bounds = []
    pos = 0
    for m in _page_lines(text):
        bounds.append((pos, m.start()))
        pos = m.end() + 1 if m.end() < len(text) else m.end()
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
    return pages, content


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
    return "".join(ch for ch in s if ch.isalpha())


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
    s = s.rstrip()
    if s.endswith((",", ";", ":")):
        return False
    if s.endswith(".") and not _ABBREV_END.search(s):
        return False
    return not s.endswith(("?", "!"))


def _is_rule(line: _Line) -> bool:
    # A rule's first non-blank character is one of its strokes: check that before the regex.
    return line.stripped[:1] in _RULE_STARTS and bool(_RULE.match(line.text))


_RULE_STARTS = ("-", "_", "=")
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


def _is_toc(chunk: Sequence[_Line]) -> bool:
    leaders = [m for m in (_leader(ln.text) for ln in chunk) if m]
    if not leaders or len(leaders) < 0.5 * len(chunk):
        return False
    refs = sum(1 for m in leaders if _page_ref(m.group(1)))
    return refs >= 0.8 * len(leaders)


def _is_stats(chunk: Sequence[_Line]) -> bool:
    """Rows of label ....... value: a table without a rule (not a table of contents)."""
    if len(chunk) < 2:
        return False
    return all(_leader(ln.text) for ln in chunk)


def _is_table(chunk: Sequence[_Line]) -> bool:
    if len(chunk) >= 2 and any(_is_rule(ln) for ln in chunk):
        # A lone footnote rule under prose is not a table.
        return any(_cell_gap(ln.stripped) for ln in chunk)
    return _is_stats(chunk)


def _is_table_rows(chunk: Sequence[_Line]) -> bool:
    """A chunk that continues a table after a blank line: every line laid out in columns."""
    return all(
        _cell_gap(ln.stripped) or _is_rule(ln) or _leader(ln.text) for ln in chunk
    )


def _bullet_marker(line: _Line) -> int:
    """Length of the bullet marker (with its following spaces) at the line's start, else 0."""
    s = line.stripped
    if not s or not (s[0] in _BULLET_STARTS or s[0].isdigit()):
        return 0
    m = _BULLET.match(s)
    return m.end() if m else 0


def _heading_like(chunk: Sequence[_Line]) -> bool:
    if len(chunk) > 3:
        return False
    joined = " ".join(ln.stripped for ln in chunk)
    if len(joined) > 200:
        return False
    if not _ends_without_stop(joined) and not (_is_caps(joined) and joined.endswith(".")):
        # A capitalised line may end in a stop: risk factor titles often do ("... CERTIFICATES.").
        return False
    if _bullet_marker(chunk[0]) or any(_cell_gap(ln.stripped) for ln in chunk):
        return False
    first = joined.lstrip("“\"'‘(")
    if not first or not (first[0].isupper() or first[0].isdigit()):
        return False
    if not _has_letter(joined):
        return False
    if len(chunk) > 1 and not (_is_caps(joined) or _is_title_case(joined)):
        # Several lines of sentence case without a stop: a paragraph, not a heading.
        return False
    return True


def _centred(line: _Line) -> bool:
    return line.indent >= 8


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


# --- the segmenter ---------------------------------------------------------------------------


@dataclass
class _Proto:
    kind: str
    start: int
    end: int
    page: int
    heading: tuple[str, ...]
    level: int = 0
    term: str | None = None


def segment(text: str) -> Segmented:
    """Split ``text`` into pages and blocks (headings, paragraphs, tables, bullets, ...) with spans."""
    pages, contents = _pages(text)
    chunks: list[tuple[int, list[_Line]]] = []
    for p, (a, b) in enumerate(contents):
        for ch in _chunked_lines(text, a, b):
            chunks.append((p, ch))
    # Glue table continuations (rows after a blank line) to their table. Each chunk's test
    # results are kept (toc, table) so that no chunk is classified twice.
    merged: list[tuple[int, list[_Line]]] = []
    tests: list[list[bool | None]] = []  # per merged chunk: [is toc, is table], None until asked

    def test(k: int, which: int) -> bool:
        got = tests[k][which]
        if got is None:
            ch = merged[k][1]
            got = tests[k][which] = _is_toc(ch) if which == 0 else _is_table(ch)
        return got

    for p, ch in chunks:
        if (
            merged
            and merged[-1][0] == p
            and test(len(merged) - 1, 1)
            and not test(len(merged) - 1, 0)
            and _is_table_rows(ch)
            and not _is_toc(ch)
        ):
            merged[-1] = (p, merged[-1][1] + ch)
            tests[-1] = [None, None]
        else:
            merged.append((p, ch))
            tests.append([None, None])
    chunks = merged

    kinds: list[str] = []
    for i, (p, ch) in enumerate(chunks):
        if test(i, 0):
            kinds.append("toc")
        elif test(i, 1):
            kinds.append("table")
        elif _heading_like(ch):
            kinds.append("heading")
        else:
            kinds.append("text")

    protos: list[_Proto] = []
    # Heading state: the level-1 section, and the deeper headings below it.
    section: str | None = None
    sub: list[tuple[int, str]] = []  # (level, title) below the section
    nested = False  # inside a group opened by a heading directly followed by a heading
    in_risk = False
    risk: _Proto | None = None

    def table_title(j: int) -> bool:
        """A centred Title Case line right above a table names the table only."""
        if j + 1 >= len(chunks) or kinds[j] != "heading" or kinds[j + 1] != "table":
            return False
        ch = chunks[j][1]
        return _centred(ch[0]) and not _is_caps(" ".join(ln.stripped for ln in ch))

    def path() -> tuple[str, ...]:
        return ((section,) if section else ()) + tuple(t for _, t in sub)

    def close_risk() -> None:
        nonlocal risk
        if risk is not None:
            protos.append(risk)
            risk = None

    for i, (p, ch) in enumerate(chunks):
        kind = kinds[i]
        nxt = kinds[i + 1] if i + 1 < len(chunks) else None

        if kind == "heading":
            joined = " ".join(ln.stripped for ln in ch)
            is_caps = _is_caps(joined)
            # A lone line ending a page whose text runs on in lower case on the next page is
            # the head of a paragraph cut by the page break, not a heading.
            if (
                i + 1 < len(chunks)
                and chunks[i + 1][0] != p
                and len(ch) >= 1
                and not is_caps
                and chunks[i + 1][1][0].stripped[:1].islower()
            ):
                kind = kinds[i] = "text"
            elif table_title(i):
                # A centred title over a table names the table only.
                protos.append(
                    _Proto("heading", ch[0].first, ch[-1].end, p, path() + (joined,),
                           level=len(path()) + 1, term=joined)
                )
                continue
            elif nxt == "toc" or _normalise(joined) == "table of contents":
                close_risk()
                section, sub, nested, in_risk = joined, [], False, False
                protos.append(_Proto("heading", ch[0].first, ch[-1].end, p, (joined,), 1))
                continue
            else:
                centred = _centred(ch[0])
                major = _is_major_section(joined)
                if is_caps and (not in_risk or centred or major):
                    close_risk()
                    section, sub, nested = joined, [], False
                    in_risk = _normalise(joined) == "risk factors"
                    protos.append(_Proto("heading", ch[0].first, ch[-1].end, p, (joined,), 1))
                    continue
                if in_risk and nxt != "heading":
                    # A risk factor's title: ALL CAPS sentence, Title Case or sentence case.
                    close_risk()
                    sub = (sub[:1] if nested else []) + [(len(sub[:1]) + 2, joined)]
                    hp = path()
                    lvl = len(hp)
                    protos.append(_Proto("heading", ch[0].first, ch[-1].end, p, hp, lvl, joined))
                    risk = _Proto("risk_factor", ch[0].first, ch[-1].end, p, hp, lvl, joined)
                    continue
                close_risk()
                if nxt == "heading" and not table_title(i + 1):
                    # Opens a group: the headings after it sit one level deeper.
                    sub = [(2, joined)]
                    nested = True
                elif nested:
                    sub = sub[:1] + [(3, joined)]
                else:
                    sub = [(2, joined)]
                protos.append(
                    _Proto("heading", ch[0].first, ch[-1].end, p, path(), len(path()))
                )
                continue

        hp = path()
        if kind == "toc":
            close_risk()
            protos.append(_Proto("toc", ch[0].start, ch[-1].end, p, hp))
            continue
        if kind == "table":
            term = None
            # The title is the heading block just before, when it is the chunk just before.
            if i > 0 and kinds[i - 1] == "heading" and protos and protos[-1].kind == "heading":
                term = " ".join(ln.stripped for ln in chunks[i - 1][1])
            protos.append(_Proto("table", ch[0].start, ch[-1].end, p, hp, term=term))
            if risk is not None:
                risk.end = ch[-1].end
            continue
        # Prose: a paragraph, possibly with bullet items, or a definition.
        for pr in _prose_blocks(ch, p, hp):
            protos.append(pr)
        if risk is not None:
            risk.end = ch[-1].end
    close_risk()

    protos.sort(key=lambda b: (b.start, -b.end, b.kind != "risk_factor"))
    blocks = tuple(
        Block(i, b.kind, b.start, b.end, b.page, b.heading, b.level, b.term)
        for i, b in enumerate(protos)
    )
    return Segmented(text, tuple(pages), blocks)


def _prose_blocks(chunk: Sequence[_Line], page: int, hp: tuple[str, ...]) -> list[_Proto]:
    """A chunk of prose: a lead-in paragraph, then one block per bullet item."""
    out: list[_Proto] = []
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
            _Proto("definition" if term else "paragraph", lead[0].first, lead[-1].end, page, hp,
                   term=term)
        )
    for it in items:
        out.append(_Proto("bullet", it[0].first, it[-1].end, page, hp))
    return out


def _bullet_ok(item: Sequence[_Line]) -> bool:
    head = item[0]
    if len(item) == 1:
        return True
    body_col = head.indent + _bullet_marker(head)
    return all(ln.indent >= body_col - 1 for ln in item[1:])


# --- helpers over a Segmented ----------------------------------------------------------------


def block_text(seg: Segmented, block: Block) -> str:
    """The text of ``block``."""
    return seg.text[block.start : block.end]


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


# --- headings --------------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "`": "'", "´": "'"})
_DASHES = re.compile(r"\s*(?:--+|[—–‒―−])\s*")
_SUMMARY = re.compile(
    r"^summary(?: of (?:the )?(?:prospectus supplement|terms|the offering|offering|principal terms|"
    r"the certificates|the notes|the transaction))?\b"
)


def _normalise(s: str) -> str:
    if not s.isascii():  # ASCII text has nothing to decompose and no combining marks
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.translate(_QUOTES).casefold()
    s = _DASHES.sub(" ", s)
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s


@functools.lru_cache(maxsize=8192)
def normalise_heading(s: str) -> str:
    """Compare headings: case, quotes, dashes, punctuation, a leading "the" and Summary aliases."""
    s = _normalise(s)
    s = re.sub(r"^the ", "", s)
    s = _SUMMARY.sub("summary", s)
    return s


# --- sentences -------------------------------------------------------------------------------

# Abbreviations after which a period never ends a sentence.
_NEVER_END = frozenset(
    "u.s mr mrs ms dr st no nos e.g i.e cf vs a.m p.m approx jan feb mar apr jun jul aug sep "
    "sept oct nov dec sec secs art fig u.s.c etc.al al".split()
)
# Company suffixes: end a sentence only when a capitalised word follows that is not "(".
_SUFFIX = frozenset("inc co corp ltd bros n.a l.p s.a l.l.c p.c plc llc jr sr".split())
_STOP = re.compile(r"[.?!]+[\"'”’)\]]*(?=\s|$)")
_NON_BLANK = re.compile(r"\S")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_NUMBERED = re.compile(r"(?:No|Nos)\.\s*\d", re.I)


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (abbreviation-aware), blank space excluded."""
    out: list[tuple[int, int]] = []
    seg_start = start
    chunk = text[start:end]
    for m in _STOP.finditer(chunk):
        stop = start + m.end()
        # The first non-blank character after the stop (slicing the rest would cost a copy of
        # the rest of the paragraph for every stop in it).
        nb = _NON_BLANK.search(text, stop, end)
        if nb is None:
            continue
        # A few characters of what follows: a company name may run on ("Corp. No. 2").
        after = text[nb.start() : min(end, nb.start() + 12)]
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
    # The word before the period.
    j = dot
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
