"""Reading an HTML filing into the plain text the segmenter reads (layer 1: pure, text in, text out).

What belongs here: the one wrapper of the HTML parser (selectolax over lexbor, a WHATWG parser: it
reads any broken markup the way a browser does, in linear time; containers left open by the
thousand, which make any WHATWG parser quadratic, are bounded first), the walk that turns the parsed
tree into printed items (paragraphs, headings, bullets, tables, page breaks, folios), and the writer
that lays those items out as canonical EDGAR-style text:

- a page ends with its printed label (the printer's centred folio) alone on its last line, and
  pages are separated by a line ``<PAGE>``, as in EDGAR text filings;
- blocks are separated by a blank line; paragraphs are wrapped at 78 columns, only at blanks;
- a centred heading is centred, other headings are flush left, one per line;
- a bullet (an ``<li>``, or a bullet laid out as a one-row table with a glyph cell) is a line
  opening with its marker (``•``, ``(a)``, ``1.``) with its wrapped lines indented past it;
- a data table is its rows as columns aligned with three blanks or more, a rule of dashes under its
  header row (or over its first row when it has none);
- a table of side headings (a short caption cell beside a cell of prose) is each caption as a
  heading followed by its prose; a table of contents (captions and page labels) is its lines with
  leaders; a table of one column is the flow it holds;
- a short rule (the footnote separator) is a line of ten underscores;
- page furniture is left out: the "Table of Contents" back-link at the top of each page, inline
  XBRL's hidden header (``ix:header``) and anything the filing hides (``display:none``).

So that what the HTML says survives as text: ``segment.segment`` reads this text back into the same
pages, headings, tables and bullets, and does so again after an amendment changes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from ..models import page_label

__all__ = ["html_to_text"]

WIDTH = 78  # the measure of a line, as in EDGAR text filings
_GAP = "   "  # between table columns: the segmenter's cell gap is three blanks or more
_MAX_CELL = 32  # a wide table's long cells are wrapped to this width
_MAX_TABLE = 110  # a table wider than this has its long cells wrapped

# --- items ---------------------------------------------------------------------------------------


@dataclass
class _Para:
    """A paragraph as printed: its text (``\\n`` where a ``<br>`` broke it) and how it is set."""

    text: str
    align: str = ""
    bold: bool = False
    italic: bool = False
    underline: bool = False
    link: bool = False  # every word is a link inside the document (a back-link)
    hlevel: int = 0  # h1..h6
    pre: bool = False
    marker: str = ""  # a list item's marker


@dataclass
class _Break:
    """A printer's page break."""


@dataclass
class _Rule:
    """A short rule (a footnote separator)."""


@dataclass
class _Table:
    """A data table: rows of (grid column, text) cells and how many rows head it."""

    rows: list[list[tuple[int, str]]]
    header: int = 0


@dataclass
class _Cell:
    col: int
    span: int
    items: list = field(default_factory=list)
    th: bool = False

    def text(self) -> str:
        return " ".join(_para_text(i) for i in self.items if isinstance(i, _Para)).strip()


def _para_text(item: _Para) -> str:
    return " ".join(item.text.split())


# --- reading the tree ----------------------------------------------------------------------------

_SKIP = frozenset({"head", "script", "style", "title", "noscript", "template", "ix:header", "xml"})
_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote center section article header footer "
    "form fieldset caption address pre table tr td th tbody thead tfoot main nav aside figure "
    "figcaption".split()
)
_BOLD, _ITALIC, _UNDER, _LINK = 1, 2, 4, 8
_TAG_FLAGS = {"b": _BOLD, "strong": _BOLD, "i": _ITALIC, "em": _ITALIC, "u": _UNDER, "ins": _UNDER}
_PAGE_BREAK = re.compile(r"page-break-(before|after)\s*:\s*always|break-(before|after)\s*:\s*page", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)
# font-weight, or the shorthand "font: italic bold 10pt Times New Roman".
_WEIGHT = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)|\bfont\s*:[^;]*\b(?:bold|[6-9]00)\b", re.I)
_NOT_BOLD = re.compile(r"font-weight\s*:\s*(?:normal|[1-4]00)", re.I)
_NOT_ITALIC = re.compile(r"font-style\s*:\s*normal", re.I)
_STYLE_ITALIC = re.compile(r"font-style\s*:\s*italic|\bfont\s*:[^;]*\bitalic\b", re.I)
_STYLE_UNDER = re.compile(r"text-decoration[^;]*underline", re.I)
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(\w+)", re.I)
_WIDTH_STYLE = re.compile(r"(?:^|;|\s)width\s*:\s*(\d+(?:\.\d+)?)\s*%", re.I)
_BORDER_BOTTOM = re.compile(r"border-bottom\s*:[^;]*solid", re.I)
_SPACE = re.compile(r"[ \t\n\r\f\v\xa0\u2002\u2003\u2009\u200b]+")


class _Frame:
    """What one open element gives the text inside it."""

    __slots__ = ("tag", "flags", "align", "hlevel", "after", "kind")

    def __init__(self, tag: str, flags: int, align: str, hlevel: int, after: bool, kind: str) -> None:
        self.tag = tag
        self.flags = flags
        self.align = align
        self.hlevel = hlevel
        self.after = after  # a page break follows the element
        self.kind = kind  # "", "table", "flow-table", "cell", "list", "pre", "skip"


class _TableState:
    def __init__(self, header_rows: int) -> None:
        self.rows: list[list[_Cell]] = []
        self.thead = header_rows
        self.col = 0


class _Reader:
    """Walks the tree once, in document order, and collects items."""

    def __init__(self, hr_is_page: bool) -> None:
        self.hr_is_page = hr_is_page
        self.frames: list[_Frame] = [_Frame("", 0, "", 0, False, "")]
        self.run: list[tuple[str, int]] = []  # inline text since the last block edge: (text, flags)
        self.sinks: list[list] = [[]]  # where finished items go: the body, or a table cell
        self.tables: list[_TableState] = []  # the tables read as tables (never one in another)
        self.table_kinds: list[bool] = []  # every open table: read as a table or as flow
        self.cells = 0  # open cells of tables read as tables
        self.lists: list[list[int]] = []  # open lists: [next number] (0 for a bullet list)
        self.marker = ""  # the marker of the list item whose first paragraph is pending
        self.pre = 0

    # -- items ---------------------------------------------------------------------------------

    def flush(self, frame: _Frame | None = None) -> None:
        """End the paragraph being read, if it holds any text; ``frame`` is the element it ends."""
        if not self.run:
            return
        run, self.run = self.run, []
        frame = frame or self.frames[-1]
        if self.pre:
            text = "".join(t for t, _ in run).strip("\n")
            if text.strip():
                self.sinks[-1].append(_Para(text, pre=True))
            return
        text = "".join(t for t, _ in run)
        lines = [" ".join(_SPACE.split(line)).strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            return
        seen = [f for t, f in run if t.strip()]
        common = seen[0] if seen else 0
        for f in seen:
            common &= f
        marker = self.marker
        if not marker and lines[0][0] in _GLYPHS and len(lines[0]) > 1:
            # A bullet set inline: the glyph, then the item's text in a span padded from it.
            marker, lines[0] = "•", lines[0][1:].lstrip()
        item = _Para(
            "\n".join(lines),
            align=frame.align,
            bold=bool(common & _BOLD),
            italic=bool(common & _ITALIC),
            underline=bool(common & _UNDER),
            link=bool(common & _LINK),
            hlevel=frame.hlevel,
            marker=marker,
        )
        self.marker = ""
        self.sinks[-1].append(item)

    def page(self) -> None:
        if self.tables:
            return  # a page cannot break inside a table
        self.flush()
        body = self.sinks[0]
        if body and not isinstance(body[-1], _Break):
            body.append(_Break())

    # -- the walk ------------------------------------------------------------------------------

    def text(self, data: str) -> None:
        if self.pre:
            self.run.append((data, 0))
            return
        # A line break in the source is a blank; only <br> breaks a line.
        self.run.append((data.replace("\n", " "), self.frames[-1].flags))

    def enter(self, tag: str, attrs: dict) -> bool:
        """Open an element; False when its content is not read."""
        parent = self.frames[-1]
        style = attrs.get("style") or ""
        if tag in _SKIP or (style and _HIDDEN.search(style)):
            self.frames.append(_Frame(tag, parent.flags, parent.align, parent.hlevel, False, "skip"))
            return False
        breaks = {(m.group(1) or m.group(2)).lower() for m in _PAGE_BREAK.finditer(style)} if style else set()
        if "before" in breaks or tag == "page":
            self.page()
        if tag in ("hr", "br"):
            if tag == "hr":
                self.hr(attrs, style, breaks)
            else:
                self.run.append(("\n", parent.flags))
            self.frames.append(_Frame(tag, parent.flags, parent.align, parent.hlevel, "after" in breaks, ""))
            return False
        hlevel = int(tag[1]) if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456" else parent.hlevel
        align = _align(tag, attrs, style) or parent.align
        kind = self.block(tag, attrs, style) if tag in _BLOCK else ""
        flags = _flags(tag, attrs, style, parent.flags)
        self.frames.append(_Frame(tag, flags, align, hlevel, "after" in breaks, kind))
        return True

    def block(self, tag: str, attrs: dict, style: str) -> str:
        """Open a block element: end the paragraph before it; the kind of frame it opens."""
        self.flush()
        if tag in ("td", "th", "tr", "table"):
            return self.table_enter(tag, attrs)
        if tag in ("ul", "ol"):
            self.lists.append([1 if tag == "ol" else 0])
            return "list"
        if tag == "li":
            self.marker = self.list_marker()
        elif tag == "pre":
            self.pre += 1
            return "pre"
        elif tag in ("p", "div") and _short_rule(style) and not self.tables:
            self.sinks[-1].append(_Rule())
        return ""

    def leave(self) -> None:
        frame = self.frames.pop()
        tag, kind = frame.tag, frame.kind
        if tag in _BLOCK:
            self.flush(frame)
        if kind in ("table", "flow-table", "cell"):
            self.table_leave(kind)
        elif kind == "list":
            self.lists.pop()
        elif kind == "pre":
            self.pre -= 1
        if frame.after:
            self.page()

    def hr(self, attrs: dict, style: str, breaks: set[str]) -> None:
        m = _WIDTH_STYLE.search(style) if style else None
        width = (attrs.get("width") or (m.group(1) + "%" if m else "")).strip()
        narrow = bool(re.fullmatch(r"\d+%?", width)) and width != "100%"
        if breaks or (self.hr_is_page and not narrow):
            self.page()
        elif narrow and _percent(width) <= 40 and not self.tables:
            self.flush()
            self.sinks[-1].append(_Rule())
        else:
            self.flush()

    def list_marker(self) -> str:
        if not self.lists:
            return "•"
        counter = self.lists[-1]
        if counter[0]:
            counter[0] += 1
            return f"{counter[0] - 1}."
        return "•"

    # -- tables --------------------------------------------------------------------------------

    def table_enter(self, tag: str, attrs: dict) -> str:
        """The kind of frame a table element opens: "table", "row", "cell", or "" when it is read
        as the flow it holds (a table of one column, or any table inside a table's cell)."""
        if tag == "table":
            real = bool(attrs.get("_grid")) and not self.cells
            self.table_kinds.append(real)
            if not real:
                return "flow-table"
            self.tables.append(_TableState(attrs.get("_thead", 0)))
            return "table"
        if not (self.table_kinds and self.table_kinds[-1]) or self.cells:
            return ""  # a row or cell of a table read as flow
        table = self.tables[-1]
        if tag == "tr":
            table.rows.append([])
            table.col = 0
            return "row"
        if not table.rows:
            table.rows.append([])
        span = _int(attrs.get("colspan"), 1)
        cell = _Cell(table.col, span, th=tag == "th")
        table.col += span
        table.rows[-1].append(cell)
        self.sinks.append(cell.items)
        self.cells += 1
        return "cell"

    def table_leave(self, kind: str) -> None:
        if kind == "cell":
            self.sinks.pop()
            self.cells -= 1
        elif kind == "flow-table":
            self.table_kinds.pop()
        elif kind == "table":
            self.table_kinds.pop()
            self.sinks[-1].extend(_table_items(self.tables.pop()))


def _flags(tag: str, attrs: dict, style: str, inherited: int) -> int:
    """How an element sets its text: bold, italic, underlined, a link inside the document."""
    flags = inherited | _TAG_FLAGS.get(tag, 0)
    if style:
        # "font-weight: normal" inside a bold parent, "font-style: normal" inside an italic one
        flags &= ~(_BOLD if _NOT_BOLD.search(style) else 0) & ~(_ITALIC if _NOT_ITALIC.search(style) else 0)
        flags |= _BOLD if _WEIGHT.search(style) else 0
        flags |= _ITALIC if _STYLE_ITALIC.search(style) else 0
        flags |= _UNDER if _STYLE_UNDER.search(style) else 0
    if tag == "a" and (attrs.get("href") or "").startswith("#"):
        flags |= _LINK
    return flags


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(50, int(value or default)))
    except ValueError:
        return default


def _percent(width: str) -> float:
    try:
        return float(width.rstrip("%"))
    except ValueError:
        return 100.0


def _align(tag: str, attrs: dict, style: str) -> str:
    if tag == "center":
        return "center"
    m = _TEXT_ALIGN.search(style) if style else None
    value = (m.group(1) if m else attrs.get("align") or "").lower()
    return value if value in ("center", "left", "right", "justify") else ""


def _short_rule(style: str) -> bool:
    """A paragraph drawn as a short line (its bottom border, a narrow width): a footnote separator."""
    if not style or not _BORDER_BOTTOM.search(style):
        return False
    m = _WIDTH_STYLE.search(style)
    return bool(m) and float(m.group(1)) <= 40


# --- table shapes --------------------------------------------------------------------------------

_MARKER = re.compile(
    # glyphs, also Wingdings' and Symbol's as text
    r"[•·▪■◦●○►▸➢➤✓✔♦◆□–—\-*o†‡§Øü]"
    r"|\(?[a-zA-Z]\)|\(?\d{1,2}[.)]|\([ivx]{1,5}\)|\d{1,2}\.|[a-z]\."
)
_BULLET_GLYPHS = "o*-•·▪■"
_GLYPHS = "•·▪■●◦○►▸➢➤✓✔♦◆□"  # glyphs that open a bullet set inline
_NUMERIC = re.compile(r"[$(]?\s*-?[\d.,]+\s*%?\)?%?|[$%)]|\(\d[\d.,]*\)|—|-|–")


def _table_items(table: _TableState) -> list:
    """What a table read as a table is: bullets, side headings, flowing cells or a data table."""
    rows = [[c for c in row if c.items] for row in table.rows]
    rows = [row for row in rows if row]
    if not rows:
        return []
    if all(len(row) == 1 for row in rows):
        return [item for row in rows for item in row[0].items]
    bullets = _bullet_rows(rows)
    if bullets is not None:
        return bullets
    contents = _contents_rows(rows)
    if contents is not None:
        return contents
    sides = _side_headings(rows)
    if sides is not None:
        return sides
    return [_data_table(rows, table.thead)]


def _bullet_rows(rows: list[list[_Cell]]) -> list | None:
    """Each row a marker cell and the item's text: a list laid out as a table."""
    out: list = []
    for row in rows:
        marker = row[0].text()
        if len(row) < 2 or len(marker) > 5 or not _MARKER.fullmatch(marker):
            return None
        paras = [i for c in row[1:] for i in c.items if isinstance(i, _Para)]
        if not paras:
            return None
        glyph = marker if len(marker) > 1 or marker in _BULLET_GLYPHS or marker.isalnum() else "•"
        first = paras[0]
        out.append(_Para(_para_text(first), marker=glyph))
        out.extend(paras[1:])
    return out


def _contents_rows(rows: list[list[_Cell]]) -> list | None:
    """A table of contents: each row a caption and, in its last cell, a printed page label. Its
    rows are written as a text filing's, the caption and the label joined by a leader."""
    lines = []
    for row in rows:
        caption = " ".join(c.text() for c in row[:-1]).strip()
        if len(row) < 2 or not caption or _folio_text(row[-1].text()) is None:
            if caption or len(row) < 2:
                return None
            continue
        label = _folio_text(row[-1].text())
        lines.append(f"{caption} {'.' * max(3, WIDTH - len(caption) - len(label) - 2)} {label}")
    return [_Para("\n".join(lines), pre=True)] if len(lines) >= 3 else None


def _side_headings(rows: list[list[_Cell]]) -> list | None:
    """A caption cell beside a cell of prose, row after row: each caption heads its prose (a row
    with prose only, under the prose column, carries on the caption above it)."""
    out: list = []
    long, body_col = 0, None
    for row in rows:
        if len(row) == 1 and out and row[0].col == body_col:
            out.extend(row[0].items)
            continue
        if len(row) != 2:
            return None
        label, body = row[0].text(), row[1].text()
        if len(label) > 80 or label.endswith(".") or _NUMERIC.fullmatch(body):
            return None
        long += len(body) >= 100
        body_col = row[1].col
        out.append(_Para(label.rstrip(":").strip(), bold=True))
        out.extend(row[1].items)
    return out if long >= max(1, len(rows) // 2) else None


def _data_table(rows: list[list[_Cell]], thead: int) -> _Table:
    header = thead or int(all(c.th for c in rows[0]))
    if not header and len(rows) >= 2:
        # The rows above the first that holds a number, up to three ("Principal" over "Amount").
        words = [not any(_NUMERIC.fullmatch(c.text()) for c in row) for row in rows[:4]]
        header = min(3, words.index(False)) if False in words else int(words[0])
    # A body cell sits in the column of the head cell above it (a head cell spans the "$", the
    # number and the "%" cells of the rows below it).
    under: dict[int, int] = {}
    if header:
        for c in rows[header - 1]:
            for k in range(c.col, c.col + c.span):
                under[k] = c.col
    grid = [_merge_signs([(under.get(c.col, c.col), c.text()) for c in row]) for row in rows]
    return _Table([row for row in grid if row], header)


def _merge_signs(cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """"$" and "%" set in cells of their own join the number beside them."""
    out: list[tuple[int, str]] = []
    for col, text in cells:
        if not text:
            continue
        if out and out[-1][1] in ("$", "(", "$(") and text[:1].isdigit():
            out[-1] = (out[-1][0], out[-1][1] + text)
        elif out and text in ("%", ")", "%)"):
            out[-1] = (out[-1][0], out[-1][1] + text)
        elif out and out[-1][0] == col:  # two cells under one head cell
            out[-1] = (col, f"{out[-1][1]} {text}")
        else:
            out.append((col, text))
    return out


# --- the grid before the walk --------------------------------------------------------------------


def _shape(table) -> tuple[bool, int]:
    """(several columns?, rows in its head) of a table node, from its own rows only (linear)."""
    wide, head = False, 0
    for part in _children(table):
        tag = part.tag
        rows = [part] if tag == "tr" else _children(part) if tag in ("tbody", "thead", "tfoot") else []
        for row in rows:
            if row.tag != "tr":
                continue
            cells = sum(1 for c in _children(row) if c.tag in ("td", "th"))
            wide = wide or cells >= 2
            head += tag == "thead"
    return wide, head


def _children(node):
    child = node.child
    while child is not None:
        yield child
        child = child.next


def _walk(root, reader: _Reader) -> None:
    """Visit the tree under ``root`` in document order, without recursion (the depth is the input's)."""
    stop = root.mem_id
    node = root.child
    while node is not None:
        tag = node.tag
        if tag == "-text":
            reader.text(node.text_content or "")
        elif tag[0] != "-":
            attrs = node.attributes
            if tag == "table":
                wide, head = _shape(node)
                attrs = dict(attrs, _grid=wide, _thead=head)
            child = node.child
            if reader.enter(tag, attrs) and child is not None:
                node = child
                continue
            reader.leave()
        while node.next is None:
            node = node.parent
            if node is None or node.mem_id == stop:
                return
            reader.leave()
        node = node.next


# --- writing -------------------------------------------------------------------------------------


def _wrap(text: str, width: int = WIDTH, indent: str = "", first: str = "") -> list[str]:
    """Greedy wrapping at blanks only (a word is never cut, so folding white space gives it back)."""
    lines: list[str] = []
    line, words = first, 0
    for word in text.split(" "):
        if not word:
            continue
        if words and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, words = indent + word, 1
        else:
            line, words = (f"{line} {word}" if words else line + word), words + 1
    if words:
        lines.append(line)
    return lines


def _centre(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        for part in _wrap(line, WIDTH - 16):
            out.append(" " * max(8, (WIDTH - len(part)) // 2) + part)
    return out


_STOP = re.compile(r"[.;,]['\"”’)]*$")


def _is_heading(p: _Para) -> bool:
    """A short paragraph set as a heading: an h-tag, all bold or underlined, or centred."""
    text = _para_text(p)
    if not text or len(text) > 200 or p.marker or p.pre:
        return False
    if p.hlevel:
        return True
    if _STOP.search(text) and not text.isupper():
        return False
    if p.italic and not (p.bold or p.underline):
        return False
    return p.bold or p.underline or (p.align == "center" and len(text) <= 100)


def _para_lines(p: _Para) -> list[str]:
    if p.pre:
        return [line.rstrip() for line in p.text.split("\n")]
    if p.marker:
        pad = " " * (len(p.marker) + 2)
        return _wrap(_para_text(p), WIDTH, pad, p.marker + "  ")
    if p.align == "center" and (_is_heading(p) or len(_para_text(p)) <= 70):
        return _centre(p.text)
    out = []
    for line in p.text.split("\n"):
        out.extend(_wrap(line))
    return out


def _table_lines(t: _Table) -> list[str]:
    cols = sorted({c for row in t.rows for c, _ in row})
    at = {c: i for i, c in enumerate(cols)}
    width = [0] * len(cols)
    for row in t.rows:
        for c, text in row:
            width[at[c]] = max(width[at[c]], len(text))
    if sum(width) + len(_GAP) * len(cols) > _MAX_TABLE:
        width = [min(w, _MAX_CELL) for w in width]
    out: list[str] = []
    rule = _GAP.join("-" * max(3, w) for w in width)
    if not t.header:
        out.append(rule)
    for n, row in enumerate(t.rows):
        cells = {at[c]: _wrap(text, max(3, width[at[c]])) or [""] for c, text in row}
        height = max(len(v) for v in cells.values())
        for k in range(height):
            parts = []
            for i, w in enumerate(width):
                lines = cells.get(i, [])
                parts.append((lines[k] if k < len(lines) else "").ljust(max(3, w)))
            out.append(_GAP.join(parts).rstrip())
        if n + 1 == t.header:
            out.append(rule)
    return out


def _folio(p) -> str | None:
    """The printed page label of a page's last paragraph, when it is one."""
    if not isinstance(p, _Para) or p.marker or p.pre:
        return None
    return _folio_text(_para_text(p))


def _folio_text(text: str) -> str | None:
    """A printed page label ("S-3", "ii", "Page 7", "- 7 -"), else None."""
    text = re.sub(r"^(?:page\s+)?[-–—]?\s*(.*?)\s*[-–—]?$", r"\1", text, flags=re.I)
    if len(text) > 8:
        return None
    try:
        return page_label(text)
    except ValueError:
        return None


_BACK_LINK = re.compile(
    r"(?:back\s+to\s+|return\s+to\s+)?(?:the\s+)?(?:top|table\s+of\s+contents|contents|index|toc)", re.I
)


def _furniture(p) -> bool:
    """A back-link the printer puts on every page ("Table of Contents", "Back to top")."""
    return isinstance(p, _Para) and p.link and bool(_BACK_LINK.fullmatch(_para_text(p)))


def _pages(items: list) -> list[list]:
    pages: list[list] = [[]]
    for item in items:
        if isinstance(item, _Break):
            if pages[-1]:
                pages.append([])
        elif not _furniture(item):
            pages[-1].append(item)
    return [p for p in pages if p]


def _write(items: list) -> str:
    out: list[str] = []
    for n, page in enumerate(_pages(items)):
        if n:
            out += ["", "<PAGE>", ""]
        label = _folio(page[-1]) if len(page) > 1 else None
        body = page[:-1] if label else page
        first = True
        for item in body:
            if isinstance(item, _Table):
                lines = _table_lines(item)
            elif isinstance(item, _Rule):
                lines = ["_" * 10]
            else:
                lines = _para_lines(item)
            if not lines:
                continue
            if not first:
                out.append("")
            first = False
            out.extend(lines)
        if label:
            out += ["", " " * ((WIDTH - len(label)) // 2) + label]
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n" if out else ""


# Elements that stay open until closed (unlike <p>, <li> or a table's parts, which the parser closes
# for the next one): the WHATWG parser looks through all of them, at each new block, for a <p> to
# close, so thousands left open make it quadratic. No filing nests them so deep.
_CONTAINER = re.compile(
    r"<(/?)(?:div|blockquote|ul|ol|dl|section|article|aside|center|font|span|nav|header|footer|main"
    r"|form|fieldset|figure|details|b|i|u|em|strong|a|sup|sub|small|big|s|strike|tt|code|label)\b[^>]*>",
    re.IGNORECASE,
)
_MAX_DEPTH = 256


def _bounded(html: str) -> str:
    """``html`` with the start tags past ``_MAX_DEPTH`` open containers made blanks (text is kept)."""
    depth, cut = 0, []
    for m in _CONTAINER.finditer(html):
        if m.group(1):
            depth = max(0, depth - 1)
        elif not m.group(0).endswith("/>"):
            depth += 1
            if depth > _MAX_DEPTH:
                cut.append(m.span())
                depth -= 1
    if not cut:
        return html
    parts, pos = [], 0
    for a, b in cut:
        parts.append(html[pos:a] + " ")
        pos = b
    parts.append(html[pos:])
    return "".join(parts)


def html_to_text(html: str) -> str:
    """An HTML document as canonical EDGAR-style text (see the module's docstring). Linear time."""
    tree = LexborHTMLParser(_bounded(html))
    root = tree.root
    if root is None:
        return ""
    reader = _Reader(hr_is_page=not _PAGE_BREAK.search(html))
    _walk(root, reader)
    reader.flush()
    return _write(reader.sinks[0])
