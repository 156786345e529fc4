"""Locating edits inside tables: a column or rows restated, one cell by its column and row, rows deleted."""

from __future__ import annotations

import re

from dataclasses import replace

from ..models import (
    Candidate,
    Instruction,
    Resolution,
    Segmented,
)
from ..text import normalise_heading
from .decide import _decide, _nothing_reason, _Scored
from .edits import _substitute_text
from .fit import _locator_fit, _term_cost
from .match import _sim
from .tables import (
    _NOT_HERE,
    _column_edit,
    _find_column,
    _header_like,
    _read_table,
    _row_key,
    _rows_edit,
    _sticker_cells,
    row_line,
)
from .thresholds import COST_DRIFT, COST_TERM
from .units import _page_of, _Units


def _resolve_table_edit(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """``replace_column`` / ``replace_rows``: the table the locator and the new cells point to."""
    t = ins.target
    scored: list[_Scored] = []
    refusals: list[tuple[float, str]] = []
    for u in units.tables:
        why: list[str] = []
        located = _locator_fit(ins, seg, u, why)
        if located is None:
            continue
        fit, ordinal_ok = located
        tb = _read_table(seg.text, u.start, u.end)
        if tb is None:
            continue
        if t.term and ins.op == "replace_rows":
            like = max([_header_like(t.term, u.term or "")] + [_header_like(t.term, x) for x in tb.titles])
            if like < 0.85:
                fit -= COST_TERM * (1 - like)
        made = _column_edit(ins, tb) if ins.op == "replace_column" else _rows_edit(ins, tb)
        if isinstance(made, str):
            refusals.append((fit, f"{', '.join(why)}: {made}"))
            continue
        span, rep = made
        sim = _sim(seg.text[span[0]:span[1]], "\n".join(_sticker_cells(ins.new_text or "")))
        why.append(f"similarity {sim:.2f}")
        scored.append(_Scored(u, max(0.0, fit), sim, (max(0.0, fit) + sim) / 2, ", ".join(why),
                              span, rep, ordinal_ok))
    # A table that lacks the column or rows named is not the target; one that has them but
    # cannot take the new cells is, and then the instruction is refused.
    refusals = [r for r in refusals if not _NOT_HERE.search(r[1])] or refusals
    if scored:
        best_fit = max(s.fit for s in scored)
        worse = [r for r in refusals if r[0] > best_fit + 1e-9 and not _NOT_HERE.search(r[1])]
        if worse:
            # The table the locator names best cannot take the edit: do not fall back silently.
            return Resolution(ins.n, "unsupported", 0.0, reason=max(worse)[1])
        if len(scored) == 1 and scored[0].fit >= 1 - COST_DRIFT and scored[0].ordinal_ok:
            # The only table in reach that takes the cells, named surely: the new cells are few
            # and say little by similarity, so the locator alone decides.
            s = scored[0]
            cand = Candidate(s.span[0], s.span[1], round(s.fit, 3),
                             seg.pages[_page_of(seg, s.span[0])].label, s.unit.heading, s.why)
            return Resolution(ins.n, "applied", round(s.fit, 3), s.span[0], s.span[1],
                              s.replacement, (cand,), f"{ins.op}: {s.why}")
        return _decide(ins, seg, scored)
    if refusals:
        why = max(refusals)[1]
        return Resolution(ins.n, "unresolved" if _NOT_HERE.search(why) else "unsupported", 0.0,
                          reason=why)
    return Resolution(ins.n, "unresolved", 0.0, reason=_nothing_reason(ins))


def _resolve_cell(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """Old words in one cell, the column and row named, in a table the locator reaches (by its title
    when named): the cell must hold them once; two tables that both could are ambiguous."""
    t = ins.target
    scored: list[_Scored] = []
    missing: list[str] = []
    for u, fit, why, tb in _reached_tables(ins, seg, units):
        rows = [r for r in tb.rows if _row_key(r.label) == _row_key(t.row)]
        if len(rows) != 1:
            missing.append(f"{', '.join(why)}: {'no' if not rows else 'no single'} row {t.row!r}")
            continue
        row, old = rows[0], t.old_text or ""
        if not old and t.column and ins.op == "replace":
            # the whole cell anew: its words are the old ones
            k = _find_column(tb, t.column)
            old = row.cells[k].text if isinstance(k, int) and k in row.cells else "\x00"
        elif not old and ins.op == "replace":
            # "the entry in the row captioned «X» is amended to read «742»": the row's one value
            values = [c for k, c in row.cells.items() if k != 0]
            old = values[0].text if len(values) == 1 else "\x00"
        if t.column:
            k = _find_column(tb, t.column)
            if isinstance(k, str) or k not in row.cells:
                missing.append(f"{', '.join(why)}: {k if isinstance(k, str) else 'no ' + repr(t.column) + ' cell'}")
                continue
            cells = [(k, row.cells[k])]
        else:
            # the row alone is named: the old words in exactly one of its cells
            cells = [(k, c) for k, c in row.cells.items() if old in c.text]
        if len(cells) != 1 or cells[0][1].text.count(old) != 1:
            missing.append(f"{', '.join(why)}: row {row.label!r} does not hold {old!r} once"
                           + (f" in its {t.column!r} cell" if t.column else ""))
            continue
        k, cell = cells[0]
        at = tb.offset(row.line) + cell.a + cell.text.index(old)
        why.append(f"column {tb.titles[k]!r}, row {row.label!r}")
        scored.append(_Scored(u, fit, 1.0, (fit + 1.0) / 2, ", ".join(why), (at, at + len(old)),
                              _substitute_text(ins)))
    return _decided(ins, seg, scored, missing)


def _resolve_row_delete(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """Rows deleted from a table the locator reaches: every row named must be there, once each."""
    scored: list[_Scored] = []
    missing: list[str] = []
    for u, fit, why, tb in _reached_tables(ins, seg, units):
        lines = []
        for label in ins.rows:
            found = [r for r in tb.rows if _row_key(r.label) == _row_key(str(label))]
            if len(found) != 1:
                missing.append(f"{', '.join(why)}: {'no' if not found else 'no single'} row {label!r}")
                break
            lines.append(found[0].line)
        else:
            a, b = tb.offset(min(lines)), tb.offset(max(lines) + 1)
            keep = "".join(ln + "\n" for i, ln in enumerate(tb.lines[min(lines) : max(lines) + 1], min(lines))
                           if i not in lines)
            why.append("rows " + ", ".join(tb.rows[[r.line for r in tb.rows].index(i)].label for i in lines))
            scored.append(_Scored(u, fit, 1.0, (fit + 1.0) / 2, ", ".join(why), (a, min(b, len(seg.text))), keep))
    return _decided(ins, seg, scored, missing)


def _resolve_column_delete(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """A column taken out of a table the locator reaches: its header lines, its part of the rule and its
    cells, with the space before it; refused where a word of another column runs into it."""
    scored: list[_Scored] = []
    missing: list[str] = []
    title = ins.target.term or ""
    # the term names the column, not the table
    for u, fit, why, tb in _reached_tables(replace(ins, target=replace(ins.target, term=None)), seg, units):
        k = _find_column(tb, title) if title else "the column is not named"
        if isinstance(k, str):
            missing.append(f"{', '.join(why)}: {k}")
            continue
        if k == 0:
            missing.append(f"{', '.join(why)}: the column of row labels is the table's own")
            continue
        lines = _without_column(tb, k)
        if lines is None:
            missing.append(f"{', '.join(why)}: another column's words run into column {tb.titles[k]!r}")
            continue
        why.append(f"column {tb.titles[k]!r}")
        a, b = tb.offset(0), tb.offset(len(tb.lines)) - 1
        scored.append(_Scored(u, fit, 1.0, (fit + 1.0) / 2, ", ".join(why), (a, min(b, len(seg.text))),
                              "\n".join(lines)))
    return _decided(ins, seg, scored, missing)


def _without_column(tb, k: int) -> list[str] | None:
    """The table's lines with column ``k`` (and the space before it) cut out; None when a word of
    another column crosses the cut (a rule of dashes may be cut anywhere)."""
    a = tb.columns[k - 1][1]
    last = k == len(tb.columns) - 1
    out = []
    for line in tb.lines:
        b = len(line) if last else tb.columns[k][1]
        for m in re.finditer(r"\S+(?: \S+)*", line):
            inside = a <= m.start() and m.end() <= b
            outside = m.end() <= a or m.start() >= b
            if not (inside or outside or re.fullmatch(r"[-=_ ]+", m.group())):
                return None
        out.append((line[:a] + line[b:]).rstrip())
    return out


# a table-of-contents line: its title, a leader of dots (or spaces), its page
_TOC_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<title>\S.*?)(?:\s*\.{2,}\s*|\s{2,})(?P<page>[A-Z]{0,2}-?\d{1,4}|[ivxlc]{1,6})[ \t]*$")


def _resolve_toc_entry(ins: Instruction, seg: Segmented) -> Resolution:
    """An entry of a table of contents, named by its title, deleted or given anew: the one line whose title
    is the one named (on the page named, when one is)."""
    t = ins.target
    if ins.op not in ("delete", "replace") or not t.term:
        return Resolution(ins.n, "unsupported", 0.0, reason=f"cannot {ins.op} a table of contents entry"
                          + ("" if t.term else " not named by its title"))
    want = normalise_heading(t.term)
    hits = []
    for b in seg.blocks:
        if b.kind != "toc" or (t.page and seg.pages[_page_of(seg, b.start)].label != t.page):
            continue
        pos = b.start
        for line in seg.text[b.start:b.end].split("\n"):
            m = _TOC_LINE.match(line)
            if m and normalise_heading(m.group("title")) == want:
                hits.append((pos, pos + len(line), m))
            pos += len(line) + 1
    if len(hits) != 1:
        where = f" on page {t.page}" if t.page else ""
        return Resolution(ins.n, "unresolved" if not hits else "ambiguous", 0.0,
                          reason=f"{'no' if not hits else len(hits)} table of contents entr{'y' if len(hits) < 2 else 'ies'} "
                                 f"titled {t.term!r}{where}")
    a, b, m = hits[0]
    if ins.op == "delete":
        a, b, rep = a, min(b + 1, len(seg.text)), ""
    else:
        rep = m.group("indent") + " ".join((ins.new_text or "").split())
    label = seg.pages[_page_of(seg, a)].label
    return Resolution(ins.n, "applied", 1.0, a, b, rep, (Candidate(a, b, 1.0, label, (), m.group("title")),),
                      f"{ins.op} table of contents entry: page {label}, {m.group('title')!r}")


def _resolve_row_insert(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """A row added before or after a row named by its label, laid out in the table's columns."""
    scored: list[_Scored] = []
    missing: list[str] = []
    for u, fit, why, tb in _reached_tables(ins, seg, units):
        found = [r for r in tb.rows if _row_key(r.label) == _row_key(str(ins.rows[0]))]
        if len(found) != 1:
            missing.append(f"{', '.join(why)}: {'no' if not found else 'no single'} row {ins.rows[0]!r}")
            continue
        line = row_line(tb, ins.new_text or "")
        if line.startswith("cannot"):
            missing.append(f"{', '.join(why)}: {line}")
            continue
        at = tb.offset(found[0].line + (1 if ins.op == "insert_after" else 0))
        why.append(f"{'after' if ins.op == 'insert_after' else 'before'} row {found[0].label!r}")
        scored.append(_Scored(u, fit, 1.0, (fit + 1.0) / 2, ", ".join(why), (at, at), line + "\n"))
    return _decided(ins, seg, scored, missing)


def _reached_tables(ins: Instruction, seg: Segmented, units: _Units):
    """Each table the locator reaches (by its title too, when one is named) and can read in columns:
    (unit, fit, the reasons so far, the table read). "The table under «X»" where no heading «X» holds
    a table: «X» is the table's own caption."""
    found = list(_fitting_tables(ins, seg, units))
    t = ins.target
    if not found and t.heading and not t.term:
        named = replace(ins, target=replace(t, term=t.heading[-1], heading=tuple(t.heading[:-1]) or None))
        found = list(_fitting_tables(named, seg, units))
    return found


def _fitting_tables(ins: Instruction, seg: Segmented, units: _Units):
    t = ins.target
    for u in units.tables:
        why: list[str] = []
        located = _locator_fit(ins, seg, u, why)
        if located is None or (t.term and _term_cost(t.term, seg, u, why) is None):
            continue
        tb = _read_table(seg.text, u.start, u.end)
        if tb is not None:
            yield u, located[0], why, tb


def _decided(ins: Instruction, seg: Segmented, scored: list[_Scored], missing: list[str]) -> Resolution:
    """The choice among the tables that could take the edit, or why none could."""
    if not scored:
        return Resolution(ins.n, "unresolved", 0.0, reason=missing[0] if missing else _nothing_reason(ins))
    return _decide(ins, seg, scored)
