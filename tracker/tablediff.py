"""Tables of a filing's text read into rows of cells, and two tables compared cell by cell.

What belongs here: reading a fixed-width text table (columns set apart by two or more spaces or by
dot leaders, rules of dashes) into a grid (``read_table``), and comparing two such tables row by row
and cell by cell (``compare_tables``), the one comparison every redline format draws. Pure functions.

A row is a line; a rule line (dashes, equals signs, underscores) is not a row: the rows above the
first rule are the table's header. A line with fewer cells than the widest row has its cells placed
in the columns whose centres lie nearest theirs, so a blank cell keeps its column.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

_CELL = re.compile(r"\S+(?: \S+)*")  # words set apart by single spaces
_LEADER = re.compile(r"\s*\.{3,}\s*|\s*(?:\. ){2,}\.?\s*")  # "Class A ......... $100"
_RULE = re.compile(r"[\s\-=_]*[\-=_]{2,}[\s\-=_]*")
MAX_PLACED_COLUMNS = 12  # beyond this, short rows are filled from the left


def read_table(text: str) -> dict[str, Any] | None:
    """The grid of a text table: {"header_rows": n, "rows": [[cell, ...], ...]}, or None.

    None when the text is no table: fewer than two rows, or no row of two cells or more.
    """
    rows: list[list[tuple[int, int, str]]] = []
    header = None
    for line in text.expandtabs().splitlines():
        if not line.strip():
            continue
        if _RULE.fullmatch(line):
            if header is None:
                header = len(rows)
            continue
        rows.append(_line_cells(line))
    width = max((len(r) for r in rows), default=0)
    if len(rows) < 2 or width < 2:
        return None
    centres = _centres(rows, width)
    grid = [_place(r, centres) for r in rows]
    header = header if header is not None and header < len(rows) else 0
    if header > 1:  # column titles over several lines are one title each
        grid[:header] = [[" ".join(c for c in column if c) for column in zip(*grid[:header])]]
        header = 1
    return {"header_rows": header, "rows": grid}


def _line_cells(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell on a line, split at wide gaps and dot leaders."""
    out = []
    for m in _CELL.finditer(line):
        pos = m.start()
        for piece in _LEADER.split(m.group()):
            if piece.strip():
                at = line.index(piece, pos)
                out.append((at, at + len(piece), piece.strip()))
                pos = at + len(piece)
    return out


def _centres(rows: list[list[tuple[int, int, str]]], width: int) -> list[float]:
    """The mean centre of each column over the rows that fill every column."""
    full = [r for r in rows if len(r) == width]
    return [sum((r[k][0] + r[k][1]) / 2 for r in full) / len(full) for k in range(width)]


def _place(cells: list[tuple[int, int, str]], centres: list[float]) -> list[str]:
    """A row's cells in the columns nearest them, in order; the columns left over are empty."""
    width = len(centres)
    out = [""] * width
    if len(cells) == width or width > MAX_PLACED_COLUMNS:
        for k, (_, _, text) in enumerate(cells):
            out[k] = text
        return out
    mids = [(a + b) / 2 for a, b, _ in cells]
    best = min(
        itertools.combinations(range(width), len(cells)),
        key=lambda cols: sum(abs(centres[c] - m) for c, m in zip(cols, mids)),
    )
    for c, (_, _, text) in zip(best, cells):
        out[c] = text
    return out


def compare_tables(old: str, new: str) -> dict[str, Any] | None:
    """Two text tables compared cell by cell (either may be empty: a table added or removed).

    The result: {"columns": n, "header_rows": n, "rows": [{"status", "cells"}]} where ``status`` is
    "kept", "changed", "inserted" or "deleted" and each cell is a list of [op, text] (op -1
    deleted, 0 kept, 1 inserted). Rows are paired by their text, then by their first cell (the row's
    label), then in order; columns by position. None when a side that is not empty is no table.
    """
    a = read_table(old) if old.strip() else {"header_rows": 0, "rows": []}
    b = read_table(new) if new.strip() else {"header_rows": 0, "rows": []}
    if a is None or b is None or not (a["rows"] or b["rows"]):
        return None
    width = max(len(r) for r in a["rows"] + b["rows"])
    rows: list[dict[str, Any]] = []
    for i, j in _pair_rows(a["rows"], b["rows"]):
        x = _pad(a["rows"][i], width) if i is not None else None
        y = _pad(b["rows"][j], width) if j is not None else None
        rows.append(_row(x, y))
    header = b["header_rows"] if b["rows"] else a["header_rows"]
    return {"columns": width, "header_rows": header, "rows": rows}


def _pad(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row))


def _pair_rows(a: list[list[str]], b: list[list[str]]) -> list[tuple[int | None, int | None]]:
    """Row index pairs (old, new) in table order; None on the side that has no such row."""
    keys = [" ".join(r) for r in a], [" ".join(r) for r in b]
    out: list[tuple[int | None, int | None]] = []
    sm = SequenceMatcher(None, keys[0], keys[1], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out += zip(range(i1, i2), range(j1, j2))
        else:
            out += _pair_changed(a, b, list(range(i1, i2)), list(range(j1, j2)))
    return out


def _pair_changed(
    a: list[list[str]], b: list[list[str]], olds: list[int], news: list[int]
) -> list[tuple[int | None, int | None]]:
    """Changed rows paired by label where labels agree, else in order when the counts agree."""
    labels = {b[j][0]: j for j in news if b[j] and b[j][0]}
    by_label = {i: labels[a[i][0]] for i in olds if a[i] and a[i][0] in labels}
    if len(set(by_label.values())) != len(by_label) or not by_label:
        by_label = dict(zip(olds, news)) if len(olds) == len(news) else {}
    out: list[tuple[int | None, int | None]] = []
    taken = set(by_label.values())
    pending = [j for j in news if j not in taken]
    for i in olds:
        j = by_label.get(i)
        if j is None:
            out.append((i, None))
            continue
        while pending and pending[0] < j:
            out.append((None, pending.pop(0)))
        out.append((i, j))
    out += [(None, j) for j in pending]
    return out


def _row(old: list[str] | None, new: list[str] | None) -> dict[str, Any]:
    if old is None:
        return {"status": "inserted", "cells": [[[1, c]] if c else [] for c in new or []]}
    if new is None:
        return {"status": "deleted", "cells": [[[-1, c]] if c else [] for c in old]}
    cells = [_cell(x, y) for x, y in zip(old, new)]
    status = "kept" if old == new else "changed"
    return {"status": status, "cells": cells}


def _cell(old: str, new: str) -> list[list[Any]]:
    if old == new:
        return [[0, new]] if new else []
    if not old or not new or len(old.split()) == 1 == len(new.split()):
        return [[op, t] for op, t in ((-1, old), (1, new)) if t]
    from .diffing import word_diff

    return [[op, t] for op, t in word_diff(old, new) if t]


def cell_text(cell: list[list[Any]], side: int) -> str:
    """A compared cell's text on one side: 1 the new table's, -1 the old one's."""
    return "".join(t for op, t in cell if op in (0, side))


# --- rendering a compared table --------------------------------------------------------------


def table_text(table: dict[str, Any], mark: Callable[[list], str]) -> str:
    """A compared table as aligned text columns, each cell marked by ``mark`` (a cell's diff in,
    text out), a rule under the header rows."""
    rows = [[mark(c) for c in r["cells"]] for r in table["rows"]]
    widths = [max(len(r[k]) for r in rows) for k in range(table["columns"])]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    if 0 < table["header_rows"] < len(lines):
        lines.insert(table["header_rows"], "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def table_markdown(table: dict[str, Any], mark: Callable[[list], str]) -> str:
    """A compared table as a Markdown table (its first row the header), each cell marked by ``mark``."""
    rows = [[mark(c).replace("\n", " ") or " " for c in r["cells"]] for r in table["rows"]]
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|" + "---|" * table["columns"])
    return "\n".join(lines)


def table_html(table: dict[str, Any], mark: Callable[[list], str]) -> str:
    """A compared table as an HTML table: header rows in ``th``, a row added or removed marked by
    its class, each cell marked by ``mark`` (which escapes)."""
    out = ['<table class="cells">']
    for k, r in enumerate(table["rows"]):
        tag = "th" if k < table["header_rows"] else "td"
        cells = "".join(f"<{tag}>{mark(c)}</{tag}>" for c in r["cells"])
        out.append(f'<tr class="row-{r["status"]}">{cells}</tr>')
    out.append("</table>")
    return "\n".join(out)
