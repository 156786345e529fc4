"""Text tables of the era: reading their columns, rows and cells, and rewriting cells in place.

A text table is columns aligned with spaces under a header and a rule of dashes. Its columns come from
the rule's dash runs (plus a label column left of the first run when the row labels stand there);
without a usable rule, from the gaps that are blank on every line. A cell belongs to the column
holding its last character: numbers are set flush right in their column and text flush left."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..models import (
    Instruction,
)
from ..text import normalise_heading
from .match import _plain
from .thresholds import MARGIN

_RULE_LINE = re.compile(r"^\s*[-_=]{3,}(?:\s+[-_=]{3,})*\s*$")


_CELL = re.compile(r"\S+(?: \S+)*")


_NUMBER = re.compile(r"^\(?\$?\s*\(?\d[\d,]*(?:\.\d+)?\)?%?\)?$")


_LEADER_TAIL = re.compile(r"(?:\s*\.{2,}|\s*[{}])+\s*$")


GAP = 3  # spaces between columns of a table laid out anew


@dataclass
class _Cell:
    col: int
    a: int  # in its line: first character of the value
    b: int  # just after its last
    text: str
    dollar: int | None = None  # a "$" set apart before the value


@dataclass
class _Row:
    line: int  # index into _Table.lines
    label: str
    cells: dict[int, _Cell]  # by column, the label column (0) left out


@dataclass
class _Table:
    start: int  # offset of the table's first line in the text
    lines: list[str]
    columns: list[tuple[int, int]]  # character columns [a, b); columns[0] holds the row labels
    titles: list[str]  # each column's header, its stacked lines joined
    rule: int | None
    rows: list[_Row]

    def offset(self, i: int) -> int:
        return self.start + sum(len(ln) + 1 for ln in self.lines[:i])


def _line_cells(line: str) -> list[tuple[int, int, str, int | None]]:
    """Cells of one line as (start, end, text, column of a "$" set apart before it)."""
    raw = [(m.start(), m.end(), m.group()) for m in _CELL.finditer(line)]
    out: list[tuple[int, int, str, int | None]] = []
    dollar = None
    for a, b, s in raw:
        if s == "$":
            dollar = a
            continue
        m = re.match(r"\$ +(?=\S)", s)
        if m and _is_number(s[m.end():]):
            # "$ 134,000,000": the sign stands in its own place, the amount is the value.
            out.append((a + m.end(), b, s[m.end():], a))
        else:
            out.append((a, b, s, dollar))
        dollar = None
    if dollar is not None:
        out.append((dollar, dollar + 1, "$", None))
    return out


def _column_at(columns: Sequence[tuple[int, int]], last: int) -> int:
    """The column holding character position ``last``."""
    k = 0
    for i, (a, _b) in enumerate(columns):
        if a <= last:
            k = i
    return k


def _read_table(text: str, start: int, end: int) -> _Table | None:
    """Columns, headers and rows of the text table in ``text[start:end]``, or None."""
    lines = text[start:end].split("\n")
    rule = next((i for i, ln in enumerate(lines) if _RULE_LINE.match(ln)), None)
    header = [i for i in range(rule) if lines[i].strip()] if rule is not None else []
    body = [i for i in range((rule + 1) if rule is not None else 0, len(lines))
            if lines[i].strip() and not _RULE_LINE.match(lines[i])]
    if not body:
        return None
    runs = [(m.start(), m.end()) for m in re.finditer(r"[-_=]{3,}", lines[rule])] if rule is not None else []
    if len(runs) >= 2:
        columns = list(runs)
        first = min(c[0] for i in body for c in _line_cells(lines[i]))
        if first < columns[0][0]:
            columns.insert(0, (0, columns[0][0]))
    else:
        columns = _gap_columns([lines[i] for i in header + body])
    if len(columns) < 2:
        return None
    titles = [""] * len(columns)
    for i in header:
        for a, b, s, _ in _line_cells(lines[i]):
            over = [min(b, cb) - max(a, ca) for ca, cb in columns]
            k = max(range(len(columns)), key=lambda j: (over[j], -j))
            if over[k] <= 0:
                k = _column_at(columns, b - 1)
            titles[k] = f"{titles[k]} {s}".strip()
    rows = []
    for i in body:
        label_parts, cells = [], {}
        for a, b, s, dollar in _line_cells(lines[i]):
            k = _column_at(columns, b - 1)
            if k == 0:
                label_parts.append(s)
            elif k in cells:
                c = cells[k]
                cells[k] = _Cell(k, c.a, b, lines[i][c.a:b], c.dollar)
            else:
                cells[k] = _Cell(k, a, b, s, dollar)
        label = _LEADER_TAIL.sub("", " ".join(label_parts)).strip()
        rows.append(_Row(i, label, cells))
    return _Table(start, lines, columns, titles, rule, rows)


def _gap_columns(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Columns as the runs of positions some cell covers, for a table without a usable rule."""
    width = max((len(ln) for ln in lines), default=0)
    used = [False] * (width + 1)
    for ln in lines:
        for a, b, _s, dollar in _line_cells(ln):
            for p in range(dollar if dollar is not None else a, b):
                used[p] = True
    out, a = [], None
    for p, u in enumerate(used):
        if u and a is None:
            a = p
        elif not u and a is not None:
            out.append((a, p))
            a = None
    return out


def _row_key(label: str) -> str:
    """A row label compared loosely: "Class M-5 Certificates" and "M5" are one key."""
    s = _plain(_LEADER_TAIL.sub("", label)).casefold()
    s = re.sub(r"\b(?:class(?:es)?|certificates?|notes?|the)\b", " ", s)
    return re.sub(r"[^0-9a-z]", "", s)


def _is_number(s: str) -> bool:
    return bool(_NUMBER.match(s.strip()))


def _header_like(a: str, b: str) -> float:
    """How alike two column headers are (0..1): word order and extra words are forgiven."""
    a, b = normalise_heading(a), normalise_heading(b)
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.token_set_ratio(a, b) - 5) / 100


def _sticker_cells(new: str) -> list[str]:
    """The cells of a replacement given one per line (a leading ``|`` marks a cell) or as rows laid out
    in columns (two spaces or a tab between cells), in reading order, non-empty."""
    out = []
    for ln in new.split("\n"):
        s = ln.strip()
        if s.startswith("|"):
            s = s[1:].strip()
        out += [c for c in re.split(r" {2,}|\t+", s) if c.strip()]
    return out


def _value_pattern(olds: Sequence[str]) -> re.Pattern | None:
    """A pattern for values shaped like ``olds`` (all numbers), to pick them out of free text."""
    cores = [o.replace("$", "").strip() for o in olds]
    if not cores or not all(_is_number(c) for c in cores):
        return None
    digits = [re.sub(r"\D", "", c) for c in cores]
    grouped = all("," in c for c, d in zip(cores, digits))
    pct = all(c.endswith("%") for c in cores)
    if not pct and any(c.endswith("%") for c in cores):
        return None
    num = r"\d{1,3}(?:,\d{3})+" if grouped else r"\d+"
    dec = r"(?:\.\d+)?" if any("." in c for c in cores) else ""
    tail = r"%" if pct else r"(?!%)"
    return re.compile(r"(?<![\w.,/-])\(?" + num + dec + r"\)?" + tail + r"(?![\w/-]|[.,]\d)")


def _place(line: str, cell: _Cell | None, span: tuple[int, int], new: str, numeric: bool) -> str | None:
    """``line`` with ``new`` in ``cell`` (or in the empty column ``span``), alignment kept.

    Numbers keep their right edge, text its left edge. None when the value would touch a
    neighbour (cells are told apart by two spaces; one suffices after a "$").
    """
    if cell is not None:
        oa, ob = cell.a, cell.b
        if cell.dollar is not None and new.startswith("$"):
            new = new[1:].strip()
        elif cell.text.startswith("$") and not new.startswith("$"):
            new = "$" + (" " if cell.text[1:2] == " " else "") + new
    else:
        oa = ob = span[1] if numeric else span[0]
    a, b = (ob - len(new), ob) if numeric else (oa, oa + len(new))
    if a < 0:
        return None
    chars = list(line.ljust(max(b, ob)))
    chars[oa:ob] = " " * (ob - oa)
    blank = "".join(chars)
    if blank[a:b].strip():
        return None
    left = blank[:a].rstrip()
    if left and a - len(left) < (1 if left.endswith("$") else 2):
        return None
    right = blank[b:]
    if right.strip() and len(right) - len(right.lstrip()) < 2:
        return None
    return (blank[:a] + new + right).rstrip()


def _widen(lines: Sequence[str], at: int, by: int) -> list[str] | None:
    """Every line with ``by`` columns opened at position ``at``; None where that splits a cell.

    A rule's dash run is lengthened; on other lines the position must be blank, past the end,
    or the first character of a cell.
    """
    out = []
    for ln in lines:
        if at >= len(ln):
            out.append(ln)
            continue
        if _RULE_LINE.match(ln) and at > 0 and ln[at - 1] in "-_=" and ln[at] in "-_=":
            out.append(ln[:at] + ln[at] * by + ln[at:])
            continue
        inside = at > 0 and ln[at - 1] != " " and ln[at] != " "
        joined = at > 1 and ln[at - 1] == " " and ln[at - 2] not in " $" and ln[at] != " "
        if inside or joined:
            return None
        out.append(ln[:at] + " " * by + ln[at:])
    return out


def _numeric_column(tb: _Table, k: int) -> bool:
    olds = [r.cells[k].text for r in tb.rows if k in r.cells]
    return bool(olds) and all(_is_number(o.replace("$", "")) for o in olds)


def _column_edges(tb: _Table, k: int) -> tuple[int, int]:
    """Where column ``k``'s values stand: from the leftmost start to the rightmost end."""
    cells = [r.cells[k] for r in tb.rows if k in r.cells]
    return (min((c.a for c in cells), default=tb.columns[k][0]),
            max((c.b for c in cells), default=tb.columns[k][1]))


def _put_cells(tb: _Table, changes: Mapping[int, Mapping[int, str]]) -> tuple[list[str] | None, int]:
    """The table's lines with the cells ``changes[line][column]`` rewritten in place; or None and
    the column a value did not fit."""
    lines = list(tb.lines)
    by_line = {r.line: r for r in tb.rows}
    for i, cols in changes.items():
        row = by_line[i]
        for k, value in cols.items():
            numeric = _numeric_column(tb, k) or (k not in row.cells and _is_number(value))
            placed = _place(lines[i], row.cells.get(k), _column_edges(tb, k), value, numeric)
            if placed is None:
                return None, k
            lines[i] = placed
    return lines, -1


def _rewrite(tb: _Table, changes: Mapping[int, Mapping[int, str]]) -> list[str] | None:
    """The table's lines with the cells ``changes[line][column]`` rewritten, alignment kept.

    A column too narrow for its new values is widened, once, by as little as needed: numbers
    get room on their left, text on its right. None when that would split a cell.
    """
    widened: set[int] = set()
    while True:
        lines, k = _put_cells(tb, changes)
        if lines is not None:
            return lines
        if k in widened:
            return None
        widened.add(k)
        a, b = _column_edges(tb, k)
        at = a if _numeric_column(tb, k) else b
        for by in range(1, 41):
            wide = _widen(tb.lines, at, by)
            if wide is None:
                return None
            text = "\n".join(wide)
            t2 = _read_table(text, 0, len(text))
            if t2 is None or len(t2.columns) != len(tb.columns) or len(t2.rows) != len(tb.rows):
                return None
            if _put_cells(t2, changes)[1] != k:
                break
        else:
            return None
        t2.start = tb.start
        tb = t2


def _changed_span(tb: _Table, lines: Sequence[str]) -> tuple[tuple[int, int], str]:
    """The smallest run of whole lines that differs, as a span of the text and its new text."""
    first = next(i for i, (a, b) in enumerate(zip(tb.lines, lines)) if a != b)
    last = max(i for i, (a, b) in enumerate(zip(tb.lines, lines)) if a != b)
    start = tb.offset(first)
    end = tb.offset(last) + len(tb.lines[last])
    return (start, end), "\n".join(lines[first : last + 1])


def _find_column(tb: _Table, title: str) -> int | str:
    """The column whose header is ``title`` (fuzzy), or why there is none."""
    scored = sorted(((_header_like(t, title), k) for k, t in enumerate(tb.titles) if t), reverse=True)
    if not scored or scored[0][0] < 0.85:
        return f"no column titled {title!r}"
    if len(scored) > 1 and scored[1][0] >= 0.85 and scored[0][0] - scored[1][0] < MARGIN:
        return f"two columns look titled {title!r}: {tb.titles[scored[0][1]]!r}, {tb.titles[scored[1][1]]!r}"
    return scored[0][1]


def _column_values(new: str, title: str, olds: Sequence[str], tb: _Table) -> list[str]:
    """The new values of a column, in order, from the sticker's cells or restated rows."""
    cells = _sticker_cells(new)
    while cells and _header_like(cells[0], title) >= 0.85:
        cells.pop(0)
    pat = _value_pattern(olds)
    if pat is not None:
        return [m.group() for m in pat.finditer("\n".join(cells))]
    keys = {_row_key(r.label) for r in tb.rows if r.label}
    return [c for c in cells if c not in ("$", "}", "{") and _row_key(c) not in keys]


def _column_edit(ins: Instruction, tb: _Table) -> tuple[tuple[int, int], str] | str:
    """Replace every value of the column ``ins.target.term``: the span and text, or why not."""
    title = ins.target.term or ""
    if not title:
        return "the column is not named"
    k = _find_column(tb, title)
    if isinstance(k, str):
        return k
    rows = [r for r in tb.rows if k in r.cells]
    olds = [r.cells[k].text for r in rows]
    values = _column_values(ins.new_text or "", title, olds, tb)
    if len(values) != len(rows):
        return (f"the sticker gives {len(values)} values for column {tb.titles[k]!r}, "
                f"which holds {len(rows)}")
    lines = _rewrite(tb, {r.line: {k: v} for r, v in zip(rows, values)})
    if lines is None:
        return f"the new values do not fit column {tb.titles[k]!r} and it cannot be widened safely"
    if lines == tb.lines:
        return f"column {tb.titles[k]!r} already holds these values"
    return _changed_span(tb, lines)


def _sticker_rows(new: str, wanted: Sequence[str], tb: _Table) -> tuple[list[str], list[tuple[str, list[str]]]] | str:
    """The sticker's mini-table as (header cells, [(row label, value cells)]), or why not."""
    cells = _sticker_cells(new)
    keys = {_row_key(w) for w in wanted if _row_key(w)}
    if not keys:
        keys = {_row_key(r.label) for r in tb.rows if _row_key(r.label)}
    starts = [i for i, c in enumerate(cells) if _row_key(c) in keys]
    if not starts:
        return "the new text names none of the rows"
    header = cells[: starts[0]]
    rows = []
    for j, i in enumerate(starts):
        stop = starts[j + 1] if j + 1 < len(starts) else len(cells)
        vals: list[str] = []
        for c in cells[i + 1 : stop]:
            if vals and vals[-1] == "$":
                vals[-1] = "$" + c
            elif c not in ("}", "{"):
                vals.append(c)
        rows.append((cells[i], [v for v in vals if v != "$"]))
    if len({len(v) for _, v in rows}) != 1:
        return "the sticker's rows do not hold the same number of cells"
    missing = [w for w in wanted if _row_key(w) and _row_key(w) not in {_row_key(lb) for lb, _ in rows}]
    if missing:
        return f"the new text gives no row for {missing[0]!r}"
    return header, rows


def _rows_edit(ins: Instruction, tb: _Table) -> tuple[tuple[int, int], str] | str:
    """Restate the cells of the rows ``ins.rows`` from the sticker's mini-table, or say why not."""
    got = _sticker_rows(ins.new_text or "", ins.rows, tb)
    if isinstance(got, str):
        # "the rows for the Class A-3 and Class A-4 Notes are deleted and the following rows substituted":
        # new rows of their own labels (Class A-4a, Class A-4b) take the place of those named
        block = _rows_restated_as_new(ins, tb)
        return got if isinstance(block, str) else block
    header, rows = got
    found = []
    for label, _values in rows:
        hits = [r for r in tb.rows if r.label and _row_key(r.label) == _row_key(label)]
        if len(hits) != 1:
            return f"row {label!r} is {'not in the table' if not hits else 'in the table twice'}"
        found.append(hits[0])
    width = len(rows[0][1])
    value_cols = list(range(1, len(tb.columns)))
    cols = _map_headers(header[-width:] if len(header) in (width, width + 1) else [], tb)
    if cols is None:
        if width != len(value_cols):
            return (f"the sticker's rows give {width} values, the table has {len(value_cols)} "
                    f"value columns, and the headers do not say which")
        cols = value_cols
    changes: dict[int, dict[int, str]] = {}
    for row, (_label, values) in zip(found, rows):
        for k, v in zip(cols, values):
            if _numeric_column(tb, k) and not _is_number(v.replace("$", "")):
                return f"{v!r} does not look like the values of column {tb.titles[k] or k!r}"
        changes[row.line] = dict(zip(cols, values))
    lines = _rewrite(tb, changes)
    if lines is None:
        return "the new cells do not fit the table's columns and they cannot be widened safely"
    if lines == tb.lines:
        return "the rows already read as the sticker gives them"
    return _changed_span(tb, lines)


def _rows_restated_as_new(ins: Instruction, tb: _Table) -> tuple[tuple[int, int], str] | str:
    """The rows named, one after another in the table, replaced by the sticker's rows (one per line, a
    label and a value per column) laid out in the table's columns; or why not."""
    if not ins.rows:
        return "no rows are named"
    lines_of = []
    for label in ins.rows:
        hits = [r.line for r in tb.rows if r.label and _row_key(r.label) == _row_key(str(label))]
        if len(hits) != 1:
            return f"row {label!r} is {'not in the table' if not hits else 'in the table twice'}"
        lines_of.append(hits[0])
    first, last = min(lines_of), max(lines_of)
    between = [r.line for r in tb.rows if first <= r.line <= last]
    if sorted(between) != sorted(lines_of):
        return "the rows named are not one after another in the table"
    new_rows = []
    for ln in (ins.new_text or "").split("\n"):
        if not ln.strip():
            continue
        laid = row_line(tb, ln)
        if laid.startswith("cannot"):
            return laid
        new_rows.append(laid)
    if not new_rows:
        return "the new text gives no rows"
    start, end = tb.offset(first), tb.offset(last) + len(tb.lines[last])
    return (start, end), "\n".join(new_rows)


def _map_headers(headers: Sequence[str], tb: _Table) -> list[int] | None:
    """The table column each of the sticker's headers names (one each, all told apart), or None."""
    if not headers:
        return None
    out = []
    for h in headers:
        scored = sorted(((_header_like(t, h), k) for k, t in enumerate(tb.titles) if k and t),
                        reverse=True)
        if not scored or scored[0][0] < 0.8:
            return None
        if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.1:
            return None
        out.append(scored[0][1])
    return out if len(set(out)) == len(out) else None


_NOT_HERE = re.compile(r": (?:no column titled|row .* is not in the table$|the new text names none)")


def _cell_rows(new: str) -> list[list[str]] | None:
    """A table given one cell per line, as rows; None when it is not in that form.

    In the text of an HTML sticker a row's first cell stands alone on its line and each further
    cell starts with ``|``; a ``$`` cell is joined to the amount after it.
    """
    lines = [ln.strip() for ln in new.strip("\n").split("\n")]
    if not any(ln.startswith("|") for ln in lines):
        return None
    rows: list[list[str]] = [[]]
    for ln in lines:
        if not ln:
            continue
        if not ln.startswith("|") and rows[-1]:
            rows.append([])
        rows[-1].append(ln[1:].strip() if ln.startswith("|") else ln)
    out = []
    for row in rows:
        cells: list[str] = []
        for c in row:
            if cells and cells[-1] == "$" and c:
                cells[-1] = "$ " + c
            elif c:
                cells.append(c)
        if cells:
            out.append(cells)
    return out


def _layout_cells(new: str) -> str | None:
    """A table given one cell per line, laid out in aligned columns under a rule of dashes.

    Only when its shape is certain: a header row and at least two body rows, every row with as
    many cells as the header (at least two). Cell order is kept, so the words read the same.
    """
    rows = _cell_rows(new)
    if not rows or len(rows) < 3:
        return None
    n = len(rows[0])
    if n < 2 or any(len(r) != n for r in rows):
        return None
    widths = [max(len(r[k]) for r in rows) for k in range(n)]
    numeric = [k > 0 and all(_is_number(r[k].replace("$", "")) for r in rows[1:]) for k in range(n)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(widths[k]) if numeric[k] else c.ljust(widths[k]) for k, c in enumerate(cells)]
        return (" " * GAP).join(parts).rstrip()

    out = [line(rows[0]), (" " * GAP).join("-" * w for w in widths)]
    out += [line(r) for r in rows[1:]]
    return "\n".join(out)


def row_line(tb: _Table, new: str) -> str | str:
    """A new row for the table from the sticker's words (its label, then one value per value column,
    set apart by two spaces or given one per line), laid out in the table's columns; or why not (a
    string starting with "cannot")."""
    lines = [ln for ln in new.split("\n") if ln.strip()]
    cells = [c for c in re.split(r"\s{2,}|\t", lines[0].strip().lstrip("|").strip())] if len(lines) == 1 else \
        _sticker_cells(new)
    cells = [c.strip() for c in cells if c.strip() and c.strip() not in ("$", "}", "{")]
    values = len(tb.columns) - 1
    if len(cells) != values + 1:
        return f"cannot lay out the new row: it gives {len(cells) - 1} values for {values} value columns"
    label_at = min((tb.lines[r.line].find(r.label) for r in tb.rows if r.label), default=0)
    line = " " * max(0, label_at) + cells[0]
    for k, value in enumerate(cells[1:], start=1):
        placed = _place(line, None, _column_edges(tb, k), value, _numeric_column(tb, k))
        if placed is None:
            return f"cannot lay out the new row: {value!r} does not fit column {tb.titles[k] or k!r}"
        line = placed
    return line
