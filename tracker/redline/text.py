"""The redline as plain text (``render_text``, with a choice of markers) and as Markdown (``render_markdown``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import UsageError
from ..tablediff import table_markdown, table_text
from .changes import fold
from .report import (
    _by,
    _cap,
    _confidence,
    _filing_dates,
    _filing_name,
    _kind,
    _marked,
    _version_line,
    _where,
    source_name,
)

# Marks for deleted and inserted text in the plain-text redline (open, close, open, close). The
# default brackets occur in no filing of the EDGAR era (ASCII and cp1252 texts), so ratings such as
# AA- and BBB+ cannot be read as marks; "wdiff" gives the classic [-...-] {+...+}, "ansi" colours.
MARKERS = {
    "brackets": ("⟦-", "-⟧", "⟦+", "+⟧"),
    "wdiff": ("[-", "-]", "{+", "+}"),
    "ansi": ("\x1b[9;31m", "\x1b[0m", "\x1b[4;32m", "\x1b[0m"),
}


def text_markers(spec: str | None) -> tuple[str, str, str, str]:
    """Marks by preset name (brackets, wdiff, ansi) or as four strings separated by spaces."""
    if not spec:
        return MARKERS["brackets"]
    if spec in MARKERS:
        return MARKERS[spec]
    parts = spec.split()
    if len(parts) != 4:
        raise UsageError(
            f"--markers takes {', '.join(MARKERS)} or four marks separated by spaces "
            f"(deleted open, close, inserted open, close), not {spec!r}"
        )
    return parts[0], parts[1], parts[2], parts[3]


def _check_markers(report: Mapping[str, Any], markers: Sequence[str]) -> None:
    """Refuse marks that the compared texts themselves contain: they would be read as changes."""
    for c in report["changes"]:
        for m in markers:
            if m and (m in c["old_text"] or m in c["new_text"]):
                raise UsageError(f"the mark {m!r} occurs in the text of change {c['number']}; "
                                 "choose others with --markers")


def render_text(report: Mapping[str, Any], markers: Sequence[str] = MARKERS["brackets"]) -> str:
    """The report for a terminal or an email: a header line per change, then its marked passage
    (a table as aligned columns, cell by cell); ``markers`` as ``text_markers`` gives them."""
    _check_markers(report, markers)
    marks = {-1: (markers[0], markers[1]), 1: (markers[2], markers[3])}
    doc = report["document"]
    title = f" — {doc['title']}" if doc.get("title") else ""
    s = report["summary"]
    lines = [
        f"Redline: {doc['key']}{title}",
        _version_line(report),
    ]
    for f in report["filings"]:
        lines.append(f"Filing applied: {_filing_name(f)}, {_filing_dates(f)}")
    if report["currency"]:
        lines.append(f"Currency: {report['currency']}")
    lines.append(
        f"{s['changes']} changes: {s['replaced']} replaced, {s['inserted']} inserted, "
        f"{s['deleted']} deleted, {s['moved']} moved"
    )
    for c in report["changes"]:
        page, path = _where(c)
        lines.append("")
        lines.append(f"Change {c['number']} — {page} — {path} — {_kind(c)} — {_by(c)}")
        if c.get("table"):
            lines.append(table_text(c["table"], lambda cell: _marked(cell, marks)))
        else:
            lines.append(_marked(c["diff"], marks))
    lines.append("")
    lines.append("Notices in force:" + ("" if report["notices"] else " none"))
    for n in report["notices"]:
        lines.append(f"  {source_name(n)}, notice {n['n']}: {fold(n['text'])}")
    lines.append("Instructions not applied:" + ("" if report["not_applied"] else " none"))
    for m in report["not_applied"]:
        lines.append(f"  {source_name(m)}, instruction {m['n']} ({m['status']}): {fold(m['reason'])}")
        lines.append(f"    says: {fold(m['source_text'])}")
    return "\n".join(lines) + "\n"


_MD_MARKS = {-1: ("~~", "~~"), 1: ("**", "**")}


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_~[]<>|#"})


def _md(text: str) -> str:
    """Document text made inert in Markdown: its special characters escaped."""
    return text.translate(_MD_SPECIAL)


def render_markdown(report: Mapping[str, Any]) -> str:
    """The report for tickets and wikis: a summary table, then each change, ~~deleted~~ **inserted**."""
    doc = report["document"]
    title = f" — {_md(doc['title'])}" if doc.get("title") else ""
    s = report["summary"]
    out = [f"# Redline: {_md(str(doc['key']))}{title}", "", _version_line(report) + ".", ""]
    if report["filings"]:
        out.append("Filings applied:")
        out.append("")
        for f in report["filings"]:
            out.append(f"- {_md(_filing_name(f))}, {_filing_dates(f)}")
        out.append("")
    if report["currency"]:
        out += [f"Currency: {_md(fold(report['currency']))}", ""]
    out.append(
        f"{s['changes']} changes: {s['replaced']} replaced, {s['inserted']} inserted, "
        f"{s['deleted']} deleted, {s['moved']} moved."
    )
    out.append("")
    if report["changes"]:
        out.append("| # | Page | Heading | Operation | Filing | Instruction | Status | Confidence |")
        out.append("|---|---|---|---|---|---|---|---|")
        for c in report["changes"]:
            prov = c["provenance"] or [{}]
            cells = [
                str(c["number"]),
                _md(c["page"] or ""),
                _md(" > ".join(c["heading"])),
                c["kind"],
                "<br>".join(_md(str(p.get("filing") or "")) for p in prov),
                "<br>".join(_md(str(p.get("n") or "")) for p in prov),
                "<br>".join(_md(str(p.get("status") or "")) for p in prov),
                "<br>".join(_confidence(p) for p in prov),
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    for c in report["changes"]:
        page, path = _where(c)
        out.append(f"## Change {c['number']} — {_md(page)} — {_md(path)} — {_md(_kind(c))}")
        out.append("")
        out.append(_cap(_md(_by(c))) + ".")
        out.append("")
        if c.get("table"):
            out.append(table_markdown(c["table"], lambda cell: _marked(cell, _MD_MARKS, _md)))
        else:
            # Markdown has no preformatted text with marks in it: the passage is folded to one line.
            out.append(_marked(_refold(c["diff"]), _MD_MARKS, _md).strip())
        out.append("")
    out += _md_list("Notices in force", [
        f"{_md(source_name(n))}, notice {n['n']}: {_md(fold(n['text']))}" for n in report["notices"]])
    out += _md_list("Instructions not applied", [
        f"{_md(source_name(m))}, instruction {m['n']} ({_md(str(m['status']))}): "
        f"{_md(fold(m['reason']))} — says: {_md(fold(m['source_text']))}" for m in report["not_applied"]])
    return "\n".join(out[:-1]) + "\n"


def _md_list(title: str, items: Sequence[str]) -> list[str]:
    """A section of list items already escaped, or saying there are none."""
    return [f"## {title}", "", *([f"- {i}" for i in items] or ["None."]), ""]


def _refold(diff: Sequence[Sequence[Any]]) -> list[tuple[int, str]]:
    """A diff with every run of white space (line breaks included) turned into one space."""
    return [(op, fold_keep_edges(text)) for op, text in diff]


def fold_keep_edges(text: str) -> str:
    """``fold(text)``, keeping one space at either end where ``text`` had white space."""
    core = " ".join(text.split())
    if not core:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")
