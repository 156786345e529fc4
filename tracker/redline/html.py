"""The redline as one self-contained HTML page (``render_html``) that prints on Letter or A4."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from ..tablediff import table_html
from .changes import fold
from .report import _by, _cap, _confidence, _kind, _marked, _where, source_name

_CSS = """
:root { color-scheme: light; }
body { font-family: Georgia, "Times New Roman", serif; color: #111; background: #fff;
  margin: 2em auto; max-width: 60em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #999; margin-top: 1.6em; }
h3 { font-size: 1em; margin: 1.2em 0 0.3em; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.1em 1em; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
th { background: #eee; }
.currency { border-left: 3px solid #777; padding-left: 0.6em; }
.redline { font-family: "Courier New", Courier, monospace; font-size: 0.85em; white-space: pre-wrap;
  overflow-wrap: anywhere; border: 1px solid #ccc; padding: 0.6em; background: #fafafa; }
.context { color: #666; }
del { color: #a00000; background: #fde8e8; text-decoration: line-through; }
ins { color: #005a00; background: #e6f6e6; text-decoration: underline; }
.by, .says { font-size: 0.9em; color: #333; }
.legend { font-size: 0.9em; }
table.cells { width: auto; margin: 0.4em 0; }
table.cells tr.row-inserted td { background: #e6f6e6; }
table.cells tr.row-deleted td { background: #fde8e8; }
.none { font-style: italic; }
@page { margin: 16mm 14mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, .change h3 { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .redline { background: none; }
  del, ins { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v), quote=True)


_HTML_MARKS = {-1: ("<del>", "</del>"), 1: ("<ins>", "</ins>")}


_FILED_FROM = {"edgar-header": "EDGAR filing date", "filing-text": "printed on the filing"}


_LEGEND = ('<p class="legend">Legend: <del>deleted text</del> <ins>inserted text</ins> '
           "<span class=\"context\">unchanged text around a change</span>; in tables each cell is "
           "compared on its own.</p>")


def _stamp_html(g: Mapping[str, Any]) -> list[str]:
    """The redline's stamp: when, from which database, by which version of tracker."""
    if not g:
        return []
    return [f"<dt>Generated</dt><dd>{_e(g.get('at'))} from {_e(g.get('database'))} "
            f"by tracker {_e(g.get('tracker'))}</dd>"]


def render_html(report: Mapping[str, Any]) -> str:
    """One self-contained HTML page (inline CSS, nothing fetched, no script) that prints on Letter or A4."""
    doc = report["document"]
    title = f"Redline: {doc['key']}" + (f" — {doc['title']}" if doc.get("title") else "")
    h = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">', f"<title>{_e(title)}</title>",
         f"<style>{_CSS}</style>", "</head>", "<body>"]
    h += _html_header(report, title)
    h += _html_summary(report)
    h += _html_changes(report["changes"])
    h += _html_list("notices", "Notices in force", [
        f"{_e(source_name(n))}, notice {_e(n['n'])}: {_e(fold(n['text']))}" for n in report["notices"]])
    h += _html_list("not-applied", "Instructions not applied", [
        f"{_e(source_name(m))}, instruction {_e(m['n'])} ({_e(m['status'])}): {_e(fold(m['reason']))}<br>"
        f"<span class=\"says\">Says: “{_e(fold(m['source_text']))}”</span>" for m in report["not_applied"]])
    h += ["</body>", "</html>"]
    return "\n".join(h) + "\n"


def _html_header(report: Mapping[str, Any], title: str) -> list[str]:
    """The title, the two versions compared, the filings applied between them and the currency."""
    doc, fr, to = report["document"], report["from"], report["to"]
    h = [
        "<header>",
        f"<h1>{_e(title)}</h1>",
        '<dl class="meta">',
        f"<dt>Document</dt><dd>{_e(doc['key'])}</dd>",
        f"<dt>From</dt><dd>version {_e(fr['number'])}, effective {_e(fr['effective_date'])}, "
        f"recorded {_e(fr['recorded_date'])}</dd>",
        f"<dt>To</dt><dd>version {_e(to['number'])}, effective {_e(to['effective_date'])}, "
        f"recorded {_e(to['recorded_date'])}</dd>",
        *_stamp_html(report.get("generated") or {}),
        "</dl>",
        _LEGEND,
        "<h2>Filings applied</h2>",
    ]
    if report["filings"]:
        h.append("<table><thead><tr><th>Filing</th><th>Accession number</th><th>Its date</th>"
                 "<th>Effective</th><th>Recorded</th><th>Title</th></tr></thead><tbody>")
        for f in report["filings"]:
            own = f"{f['filed']} ({_FILED_FROM.get(f.get('filed_from') or '', '')})" if f.get("filed") else "not stated"
            h.append(
                f"<tr><td>{_e(f.get('key') or f['filing_id'])}</td><td>{_e(f['accession'] or 'none')}</td>"
                f"<td>{_e(own)}</td><td>{_e(f['effective'])}</td><td>{_e(f.get('recorded'))}</td>"
                f"<td>{_e(f['title'])}</td></tr>"
            )
        h.append("</tbody></table>")
    else:
        h.append('<p class="none">None.</p>')
    h.append(f'<p class="currency">{_e(report["currency"]) or "No currency statement given."}</p>')
    h.append("</header>")
    return h


def _html_summary(report: Mapping[str, Any]) -> list[str]:
    """The counts, and one row per change linking to it."""
    s = report["summary"]
    h = ['<section id="summary">', "<h2>Summary of changes</h2>",
         f"<p>{s['changes']} changes: {s['replaced']} replaced, {s['inserted']} inserted, "
         f"{s['deleted']} deleted, {s['moved']} moved.</p>"]
    if report["changes"]:
        h.append(
            '<table class="changes"><thead><tr><th>#</th><th>Page</th><th>Heading</th><th>Operation</th>'
            "<th>Filing</th><th>Instruction</th><th>Status</th><th>Confidence</th></tr></thead><tbody>"
        )
        for c in report["changes"]:
            prov = c["provenance"] or []
            filings = "<br>".join(_e(source_name(p)) for p in prov)
            says = "<br>".join(f"{_e(p.get('n'))}. {_e(fold(p.get('source_text') or ''))}" for p in prov)
            status = "<br>".join(_e(p.get("status")) for p in prov)
            conf = "<br>".join(_confidence(p) for p in prov)
            h.append(
                f'<tr><td><a href="#change-{c["number"]}">{c["number"]}</a></td>'
                f"<td>{_e(c['page'] or '')}</td><td>{_e(' > '.join(c['heading']))}</td>"
                f"<td>{_e(c['kind'])}</td><td>{filings}</td><td>{says}</td><td>{status}</td>"
                f"<td>{conf}</td></tr>"
            )
        h.append("</tbody></table>")
    h.append("</section>")
    return h


def _html_changes(changes: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each change with its place, its source and its marked words (tables cell by cell)."""
    h = ['<section id="changes">', "<h2>Changes</h2>"]
    if not changes:
        h.append('<p class="none">No changes.</p>')
    for c in changes:
        page, path = _where(c)
        h.append(f'<article class="change" id="change-{c["number"]}">')
        h.append(f"<h3>Change {c['number']} — {_e(page)} — {_e(path)} — {_e(_kind(c))}</h3>")
        h.append(f'<p class="by">{_e(_cap(_by(c)))}.</p>')
        for p in c["provenance"] or []:
            says = _e(fold(p.get("source_text") or ""))
            h.append(f'<p class="says">Instruction {_e(p.get("n"))} ({_e(p.get("status"))}): “{says}”</p>')
        if c.get("table"):
            grid = table_html(c["table"], lambda cell: _marked(cell, _HTML_MARKS, _e))
            around = [f'<div class="redline context">{_e(x)}</div>' for x in (c["before"], c["after"])]
            h.append(("" if not c["before"] else around[0]) + grid + ("" if not c["after"] else around[1]))
        else:
            before = f'<span class="context">{_e(c["before"])}\n\n</span>' if c["before"] else ""
            after = f'<span class="context">\n\n{_e(c["after"])}</span>' if c["after"] else ""
            body = _marked(c["diff"], _HTML_MARKS, _e)
            h.append(f'<div class="redline">{before}{body}{after}</div>')
        h.append("</article>")
    h.append("</section>")
    return h


def _html_list(anchor: str, title: str, items: Sequence[str]) -> list[str]:
    """A section listing items already escaped, or saying there are none."""
    h = [f'<section id="{anchor}">', f"<h2>{title}</h2>"]
    h += ['<p class="none">None.</p>'] if not items else ["<ul>", *(f"<li>{i}</li>" for i in items), "</ul>"]
    h.append("</section>")
    return h
