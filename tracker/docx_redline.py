"""The redline as a Word document: the version in force, every change a native tracked change.

What belongs here: laying out a redline report and the two versions' segmented texts as a .docx
(``render_docx``). The body is the newer version, one Word section per printed page of the filing
(its header names the page); each change is a revision (``w:ins``/``w:del``) whose author is the
filing that made it (key and accession number) and whose date is its effective date, with a comment
giving the sticker's instruction, its status and any reviewer's decision. A changed table is a Word
table whose cells carry the revisions; a row added or removed is a tracked row. Accepting every
change gives the newer version's text, rejecting every change the older one's (a moved passage is
shown inserted where it now stands). A cover page states the versions, the filings, the legend and
the stamp; the footer repeats the stamp with page numbers.

python-docx writes the package, styles, sections, tables and comments; it has no API for revision
marks, so the ``w:ins``/``w:del`` elements are made here as OOXML.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from .models import Block, Segmented
from .redline import fold_keep_edges, source_name
from .tablediff import compare_tables, read_table
from .text import fold_space

_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")  # where one block of a change ends and the next begins
UNCLAIMED = "tracker (no instruction claims this change)"


def render_docx(report: Mapping[str, Any], old: Segmented, new: Segmented) -> bytes:
    """The redline as .docx bytes: a cover page, then the newer version with tracked changes."""
    w = _Writer(report)
    w.cover()
    w.body(old, new)
    return w.save()


class _Writer:
    """One document being written: its revision ids and the report it lays out."""

    def __init__(self, report: Mapping[str, Any]) -> None:
        self.report = report
        self.doc = Document()
        self.ids = itertools.count(1)
        self.body_el = self.doc.element.body
        _styles(self.doc)
        _settings(self.doc)
        _properties(self.doc, report)
        _footer(self.doc.sections[0], report)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    # --- the cover page ------------------------------------------------------------------------

    def cover(self) -> None:
        r, doc = self.report, self.doc
        d = r["document"]
        doc.add_paragraph(f"Redline: {d['key']}", style="Title")
        if d.get("title"):
            doc.add_paragraph(d["title"], style="Subtitle")
        g = r.get("generated") or {}
        rows = [("From", _version(r["from"])), ("To", _version(r["to"]))]
        if g:
            rows.append(("Generated", f"{g.get('at')} from {g.get('database')} by tracker {g.get('tracker')}"))
        self.plain_table(rows, widths=(1.0, 5.5))
        doc.add_paragraph("Filings applied", style="Heading 2")
        if r["filings"]:
            self.plain_table(
                [("Filing", "Accession number", "Its date", "Effective", "Recorded")]
                + [(f.get("key") or str(f["filing_id"]), f.get("accession") or "none",
                    f.get("filed") or "not stated", f.get("effective") or "", f.get("recorded") or "")
                   for f in r["filings"]],
                header=True,
            )
        else:
            doc.add_paragraph("None.")
        doc.add_paragraph(
            "Each change below is a tracked change made by the filing named as its author and dated "
            "with its effective date; its comment quotes the instruction and gives its status. "
            "Accept all changes to read the newer version, reject all to read the older one.",
        )
        p = doc.add_paragraph("Legend: ")
        ins = p.add_run("inserted text")
        ins.font.underline = True
        ins.font.color.rgb = RGBColor(0x00, 0x5A, 0x00)
        p.add_run(", ")
        gone = p.add_run("deleted text")
        gone.font.strike = True
        gone.font.color.rgb = RGBColor(0xA0, 0x00, 0x00)
        p.add_run(" (as tracked changes show them; colours depend on the reviewer's settings), "
                  "a comment on each change.")
        if r.get("currency"):
            doc.add_paragraph(fold_space(r["currency"]), style="Quote")
        self.change_summary()
        for title, items, line in (
            ("Notices in force", r["notices"], lambda n: f"{source_name(n)}, notice {n['n']}: {fold_space(n['text'])}"),
            ("Instructions not applied", r["not_applied"],
             lambda m: f"{source_name(m)}, instruction {m['n']} ({m['status']}): {fold_space(m['reason'])}"),
        ):
            if items:
                doc.add_paragraph(title, style="Heading 2")
                for it in items:
                    doc.add_paragraph(line(it), style="List Bullet")

    def change_summary(self) -> None:
        changes = self.report["changes"]
        s = self.report["summary"]
        self.doc.add_paragraph(
            f"{s['changes']} changes: {s['replaced']} replaced, {s['inserted']} inserted, "
            f"{s['deleted']} deleted, {s['moved']} moved", style="Heading 2")
        if changes:
            self.plain_table(
                [("#", "Page", "Heading", "Change", "Filing", "Instruction", "Status")]
                + [(str(c["number"]), c["page"] or "", " > ".join(c["heading"]), c["kind"],
                    "; ".join(source_name(p) for p in c["provenance"] or []),
                    "; ".join(str(p.get("n")) for p in c["provenance"] or []),
                    "; ".join(str(p.get("status")) for p in c["provenance"] or []))
                   for c in changes],
                header=True, widths=(0.3, 0.45, 1.85, 0.8, 1.45, 0.85, 0.8),
            )

    def plain_table(self, rows: Sequence[Sequence[str]], header: bool = False,
                    widths: Sequence[float] | None = None) -> None:
        """A table of facts on the cover; ``widths`` in inches per column."""
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        table.autofit = widths is None
        for k, (row, values) in enumerate(zip(table.rows, rows)):
            for j, (cell, value) in enumerate(zip(row.cells, values)):
                run = cell.paragraphs[0].add_run(value)
                run.bold = header and k == 0
                run.font.size = Pt(9)
                if widths:
                    cell.width = Inches(widths[j])
        for column, width in zip(table.columns, widths or ()):
            column.width = Inches(width)
        self.doc.add_paragraph(style="Table Gap")

    # --- the body --------------------------------------------------------------------------------

    def body(self, old: Segmented, new: Segmented) -> None:
        page = None
        for item in _items(new, self.report["changes"]):
            where = item[1].page if item[0] == "block" else (item[2][0].page if item[2] else page)
            if where != page:
                page = where
                self.new_page(new, where)
            if item[0] == "block":
                self.block(new, item[1])
            else:
                self.change(item[1], item[2])

    def new_page(self, new: Segmented, index: int | None) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.header.is_linked_to_previous = False
        label = new.pages[index].label if new.pages and index is not None else None
        head = section.header.paragraphs[0]
        head.text = f"{self.report['document']['key']} — " + (
            f"page {label} of the filing" if label else "unnumbered page of the filing")
        head.style = "Header"

    def block(self, seg: Segmented, b: Block) -> None:
        text = seg.text[b.start : b.end]
        if b.kind == "table":
            grid = read_table(text)
            if grid is not None:
                self.table(compare_tables(text, text), None)
                return
        p = self.doc.add_paragraph(style=_style(b))
        if b.kind in ("table", "toc"):
            _lines(p._p, text)
        else:
            p._p.append(_run(fold_space(text)))

    def change(self, c: Mapping[str, Any], covered: Sequence[Block]) -> None:
        author, date = _author(c), _date(c, self.report)
        if c.get("table"):
            first, last = self.table(c["table"], (author, date))
        else:
            first = last = None
            style = _style(covered[0]) if len(covered) == 1 else "Normal"
            for runs, mark in _paragraphs(c):
                p = self.doc.add_paragraph(style=style)
                for op, text in runs:
                    self.tracked(p._p, op, text, author, date)
                if mark:
                    _mark_paragraph(p._p, mark, author, date, next(self.ids))
                first = first if first is not None else p._p
                last = p._p
        if first is not None:
            self.comment(c, first, last, author, date)

    def tracked(self, parent, op: int, text: str, author: str, date: str, bold: bool = False) -> None:
        """Append ``text`` to ``parent``: kept as it is, or inside a ``w:ins``/``w:del``."""
        if op == 0:
            parent.append(_run(text, bold=bold))
            return
        mark = _revision("w:ins" if op > 0 else "w:del", author, date, next(self.ids))
        mark.append(_run(text, deleted=op < 0, bold=bold))
        parent.append(mark)

    def table(self, table: Mapping[str, Any], who: tuple[str, str] | None):
        """A compared table as a Word table; with ``who`` (author, date), its changes tracked."""
        t = self.doc.add_table(rows=len(table["rows"]), cols=table["columns"])
        t.style = "Table Grid"
        for k, (row, r) in enumerate(zip(t.rows, table["rows"])):
            if who and r["status"] in ("inserted", "deleted"):
                _mark_row(row._tr, 1 if r["status"] == "inserted" else -1, *who, next(self.ids))
            if k < table["header_rows"]:
                _header_row(row._tr)
            for cell, parts in zip(row.cells, r["cells"]):
                p = cell.paragraphs[0]._p
                for op, text in parts:
                    if who:
                        self.tracked(p, op, text, *who, bold=k < table["header_rows"])
                    elif op >= 0:
                        p.append(_run(text, bold=k < table["header_rows"]))
        self.doc.add_paragraph(style="Table Gap")  # tables in Word need a paragraph between them
        return t.rows[0].cells[0].paragraphs[0]._p, t.rows[-1].cells[-1].paragraphs[0]._p

    def comment(self, c: Mapping[str, Any], first, last, author: str, date: str) -> None:
        """A comment over the change: what it is, where, and each instruction that made it."""
        lines = [f"Change {c['number']}: {c['kind']}, page {c['page'] or '(unlabelled)'}, "
                 + (" > ".join(c["heading"]) or "(no heading)")]
        if c["kind"] == "moved":
            lines.append(f"Moved from page {c['from_page'] or '(unlabelled)'}, "
                         + (" > ".join(c["from_heading"]) or "(no heading)"))
        for p in c["provenance"] or []:
            lines.append(f"{source_name(p)}, instruction {p.get('n')} ({p.get('status')}"
                         + (f", confidence {float(p['confidence']):.2f}" if p.get("confidence") is not None else "")
                         + f"): {fold_space(p.get('source_text') or '')}")
            d = p.get("decision")
            if d:
                lines.append(f"Placed by {d.get('who')}'s decision on {d.get('at')}"
                             + (f": {d['why']}" if d.get("why") else ""))
        if not c["provenance"]:
            lines.append("No instruction claims this change.")
        note = self.doc.comments.add_comment(lines[0], author=author, initials="")
        note._comment_elm.set(qn("w:date"), date)
        for line in lines[1:]:
            note.add_paragraph(line)
        _anchor(first, last, note.comment_id)


# --- the body's pieces -------------------------------------------------------------------------


def _items(new: Segmented, changes: Sequence[Mapping[str, Any]]) -> Iterator[tuple]:
    """The newer version in order: ("block", block) unchanged, or ("change", change, its blocks)."""
    units = [b for b in new.blocks if b.kind != "risk_factor"]
    pending = sorted(changes, key=lambda c: (tuple(c["new_span"]), c["number"]))
    i = 0
    for c in pending:
        start, end = c["new_span"]
        while i < len(units) and units[i].start < start:
            yield ("block", units[i])
            i += 1
        covered = []
        while start < end and i < len(units) and units[i].end <= end:
            covered.append(units[i])
            i += 1
        yield ("change", c, covered)
    for b in units[i:]:
        yield ("block", b)


def _paragraphs(c: Mapping[str, Any]) -> list[tuple[list[tuple[int, str]], int]]:
    """A change's word diff cut into paragraphs at its blank lines: each paragraph's runs (op, text)
    and the revision of its paragraph mark (1 inserted, -1 deleted, 0 none)."""
    diff = [(op, t) for op, t in c["diff"]]
    if c["kind"] == "moved":  # shown where it now stands: all of it new there
        diff = [(1, t) for op, t in diff if op >= 0]
    paras: list[list[tuple[int, str]]] = [[]]
    marks: list[int] = []
    for op, text in diff:
        for k, part in enumerate(_BLANK_LINE.split(text)):
            if k:
                marks.append(op)
                paras.append([])
            if part.strip():
                paras[-1].append((op, fold_keep_edges(part)))
    marks.append({"inserted": 1, "moved": 1, "deleted": -1}.get(c["kind"], 0))
    return list(zip(paras, marks))


# --- OOXML pieces ------------------------------------------------------------------------------


def _run(text: str, deleted: bool = False, bold: bool = False):
    r = OxmlElement("w:r")
    if bold:
        rpr = OxmlElement("w:rPr")
        rpr.append(OxmlElement("w:b"))
        r.append(rpr)
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def _lines(p, text: str) -> None:
    """Text whose line breaks matter (a table of contents, a table read as text), line by line."""
    for k, line in enumerate(text.splitlines()):
        r = _run(line.rstrip())
        if k:
            r.insert(0, OxmlElement("w:br"))
        p.append(r)


def _revision(tag: str, author: str, date: str, rid: int):
    el = OxmlElement(tag)
    el.set(qn("w:id"), str(rid))
    el.set(qn("w:author"), author)
    el.set(qn("w:date"), date)
    return el


def _mark_paragraph(p, op: int, author: str, date: str, rid: int) -> None:
    """Track the paragraph mark itself: a paragraph added, or joined to the next when removed."""
    ppr = p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    rpr.append(_revision("w:ins" if op > 0 else "w:del", author, date, rid))


def _mark_row(tr, op: int, author: str, date: str, rid: int) -> None:
    trpr = tr.get_or_add_trPr()
    trpr.append(_revision("w:ins" if op > 0 else "w:del", author, date, rid))


def _header_row(tr) -> None:
    tr.get_or_add_trPr().insert(0, OxmlElement("w:tblHeader"))


def _anchor(first, last, comment_id: int) -> None:
    """Mark a comment's range from the start of paragraph ``first`` to the end of ``last``."""
    start = OxmlElement("w:commentRangeStart")
    start.set(qn("w:id"), str(comment_id))
    ppr = first.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    end = OxmlElement("w:commentRangeEnd")
    end.set(qn("w:id"), str(comment_id))
    ref_run = OxmlElement("w:r")
    ref = OxmlElement("w:commentReference")
    ref.set(qn("w:id"), str(comment_id))
    ref_run.append(ref)
    last.append(end)
    last.append(ref_run)


# --- document parts ----------------------------------------------------------------------------


def _styles(doc) -> None:
    """A serif face throughout, black headings, and a small gap after each table."""
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        style.font.name = "Times New Roman"
        style.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.styles["Normal"].paragraph_format.space_after = Pt(4)
    doc.styles["Title"].font.size = Pt(20)
    gap = doc.styles.add_style("Table Gap", WD_STYLE_TYPE.PARAGRAPH)
    gap.base_style = doc.styles["Normal"]
    gap.font.size = Pt(4)


def _settings(doc) -> None:
    """Track further edits too: counsel's own changes show beside the filings'."""
    settings = doc.settings.element
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    # The schema fixes the order of settings: trackRevisions comes before these (Word checks).
    later = {qn(f"w:{t}") for t in ("doNotTrackMoves", "doNotTrackFormatting", "documentProtection",
                                     "autoFormatOverride", "styleLockTheme", "styleLockQFSet",
                                     "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit",
                                     "hyphenationZone", "doNotHyphenateCaps", "characterSpacingControl",
                                     "compat", "rsids", "mathPr", "themeFontLang", "clrSchemeMapping")}
    first_later = next((c for c in settings if c.tag in later), None)
    if first_later is not None:
        first_later.addprevious(OxmlElement("w:trackRevisions"))
    else:
        settings.append(OxmlElement("w:trackRevisions"))


def _properties(doc, report: Mapping[str, Any]) -> None:
    props = doc.core_properties
    props.title = f"Redline: {report['document']['key']}"
    props.subject = f"{_version(report['from'])} to {_version(report['to'])}"
    props.author = "tracker"
    g = report.get("generated") or {}
    props.comments = f"Generated {g.get('at')} from {g.get('database')} by tracker {g.get('tracker')}" if g else ""


def _footer(section, report: Mapping[str, Any]) -> None:
    """The stamp on every page: document, versions, time, database, and page N of M."""
    g = report.get("generated") or {}
    p = section.footer.paragraphs[0]
    p.style = "Footer"
    text = (f"{report['document']['key']} — version {report['from']['number']} to version "
            f"{report['to']['number']}" + (f" — generated {g.get('at')} from {g.get('database')}" if g else "")
            + " — page ")
    p._p.append(_run(text))
    p._p.append(_field("PAGE"))
    p._p.append(_run(" of "))
    p._p.append(_field("NUMPAGES"))
    for run in p.runs:
        run.font.size = Pt(8)


def _field(instr: str):
    f = OxmlElement("w:fldSimple")
    f.set(qn("w:instr"), instr)
    f.append(_run("1"))
    return f


# --- wording -----------------------------------------------------------------------------------


def _style(b: Block) -> str:
    if b.kind == "heading":
        return f"Heading {min(max(b.level, 1), 3)}"
    if b.kind == "bullet":
        return "List Bullet"
    return "Normal"


def _author(c: Mapping[str, Any] | None) -> str:
    """The revision's author: the filing that made the change, by key and accession number."""
    prov = (c or {}).get("provenance") or []
    return source_name(prov[0]) if prov else UNCLAIMED


def _date(c: Mapping[str, Any], report: Mapping[str, Any]) -> str:
    """The revision's date: the effective date of the filing that made it (else the newer version's)."""
    prov = c.get("provenance") or []
    day = (prov[0].get("effective") if prov else None) or report["to"]["effective_date"]
    return f"{day}T00:00:00Z"


def _version(v: Mapping[str, Any]) -> str:
    return f"version {v['number']} (effective {v['effective_date']}, recorded {v['recorded_date']})"
