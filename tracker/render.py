"""Turn use-case results into text for people: returns strings, never prints.

Also what makes stored text safe to show: a filing's control characters (a terminal's escape
sequences among them) are kept as stored but shown as visible symbols (``visible``), and escaped
in JSON (``to_json``); every output path of the CLI passes through one of the two.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

# Control characters but tab and newline: C0 as their Unicode pictures (ESC as "␛"), DEL as "␡", and
# C1 (which some terminals obey as CSI, OSC...) as the replacement character; one character each,
# so offsets into a text stay right.
_VISIBLE = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)} | {0x7F: 0x2421} | {
    c: 0xFFFD for c in range(0x80, 0xA0)}
# What JSON leaves raw (ensure_ascii=False escapes only C0): DEL and C1, as \u escapes.
_JSON_ESCAPE = {c: f"\\u{c:04x}" for c in [0x7F, *range(0x80, 0xA0)]}


def visible(text: str) -> str:
    """``text`` with every control character but tab and newline shown as a visible symbol."""
    return text.translate(_VISIBLE)


def visible_all(value: Any) -> Any:
    """``visible`` applied to every string inside a result (dicts, lists and tuples walked)."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {k: visible_all(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(visible_all(v) for v in value)
    return value


def one_line(text: str) -> str:
    """A message as one visible line (a file name may hold a newline)."""
    return visible(text).replace("\n", "\u2424")


def to_json(value: Any) -> str:
    """Any result as indented JSON (dates and other values as strings), every control character escaped."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str).translate(_JSON_ESCAPE) + "\n"


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], headers: Sequence[str] | None = None) -> str:
    """A plain text table with aligned columns (empty cells for None)."""
    headers = list(headers or columns)
    cells = [["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def ingest_report(report) -> str:
    """One line per file ingested and per amendment applied, then the counts."""
    lines = []
    for r in report.results:
        if r.status == "failed":
            continue
        docs = ", ".join(f"{d['key']} (document {d['id']}, {d['kind']})" for d in r.documents)
        lines.append(f"{r.status:8} filing {r.filing_id}: {r.path} -> {docs}")
    for a in report.applied:
        lines.append(f"amendment filing {a['filing_id']}: {a['state']}: {a['summary']}")
    new = sum(r.status == "new" for r in report.results)
    skipped = sum(r.status == "skipped" for r in report.results)
    lines.append(f"{new} new, {skipped} already stored, {len(report.failed)} failed")
    return "\n".join(lines) + "\n"


def needs_review(items: Sequence[dict[str, Any]]) -> str:
    """One line per amendment that waits for a reviewer: filing, sticker, target and counts."""
    return "".join(
        f"needs review: filing {a['filing_id']} ({a['sticker']}) on {a['target']}: {a['summary']} "
        f"(see 'tracker explain {a['filing_id']}')\n"
        for a in items
    )


def show_streams(view, json_out: bool) -> tuple[str, str]:
    """What ``tracker show`` prints: (stdout, stderr), the text and its currency statement, or
    both as one JSON object on stdout."""
    if json_out:
        return to_json(view.to_json()), ""
    return (view.text if view.text.endswith("\n") else view.text + "\n"), currency_statement(view.currency)


def currency_statement(c: dict[str, Any]) -> str:
    """The one paragraph that says what a reconstruction reflects."""
    when = f"as of {c['as_of']}" if c["as_of"] else "latest"
    if c.get("known_at"):
        when += f", as known at {c['known_at']}"
    base = c["base"]
    lines = [
        f"{c['document']}: version {c['version']} of {c['versions_total']} ({when}).",
        f"  Base: filing {base['filing_id']} ({base['filing']}), effective {base['effective_date']}, "
        f"recorded {base['recorded_date']}.",
    ]
    if not c["applied"]:
        lines.append("  Amendments applied: none.")
    for a in c["applied"]:
        note = " PARTIAL" if a["partial"] else ""
        lines.append(
            f"  Applied{note}: filing {a['filing_id']} ({a['sticker'] or a['filing']}), effective "
            f"{a['effective_date']}, recorded {a['recorded_date']} -> version {a['version']}."
        )
        for m in a["not_applied"]:
            lines.append(f"    instruction {m['n']} NOT applied ({m['status']}).")
        for n in a["notices"]:
            lines.append(f"    notice {n['n']}: {shorten(n['text'], 100)}")
    for v in c["later_versions"]:
        lines.append(
            f"  Later: version {v['version']} effective {v['effective_date']} (recorded {v['recorded_date']})."
        )
    for p in c["pending"]:
        lines.append(f"  Pending: filing {p['filing_id']} ({p['sticker']}) {p['state']}: {p['summary'] or ''}")
    return "\n".join(lines) + "\n"


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def timeline(rows: Sequence[dict[str, Any]]) -> str:
    """A series' documents one per line, by date, stickers with what they amend."""
    out = []
    for r in rows:
        extra = ""
        if r["kind"] == "sticker":
            extra = f"  amends {r['amends'] or '?'} [{r['amendment_state']}]"
        out.append(f"{r['date']}  {r['kind']:21} {r['key']} (document {r['id']}, filing {r['filing_id']}){extra}")
    return "\n".join(out) + "\n"


def history(document, versions: Sequence[dict[str, Any]]) -> str:
    """A document's versions as a table: dates, what made each, hash, partial."""
    rows = [
        {**v, "partial": "partial" if v["partial"] else "", "sha": v["text_sha256"][:12]}
        for v in versions
    ]
    head = f"{document.key} ({document.title or document.kind})\n"
    return head + table(
        rows,
        ["number", "effective_date", "recorded_date", "made_by", "filing_id", "sha", "partial"],
        ["version", "effective", "recorded", "made by", "filing", "sha256", ""],
    )


def outline(view, pages, blocks) -> str:
    """The structure of a version: pages, then each block with its kind and heading path."""
    out = [f"{view.document.key} version {view.version.number}: {len(pages)} pages, {len(blocks)} blocks shown"]
    current = object()
    for b in blocks:
        if b["page"] != current:
            current = b["page"]
            out.append(f"--- page {current or '(unlabelled)'}")
        path = " > ".join(b["heading"])
        term = f" [{b['term']}]" if b["term"] else ""
        indent = "  " * max(b["level"] - 1, 0) if b["kind"] == "heading" else "    "
        out.append(f"{b['block_on_page']:3} {indent}{b['kind']:11}{term} {shorten(b['first_words'], 60)}  <{path}>")
    return "\n".join(out) + "\n"


def resolutions(result) -> str:
    """Per instruction of an amendment: status, the span chosen, why, and the runners-up."""
    out = [
        f"filing {result.filing_id} -> {result.document.key} (amends version {result.parent.number}): "
        f"{result.state}; {result.summary}"
    ]
    for r in result.resolutions:
        out.append(f"[{r['n']}] {r['status'].upper()} ({r['op']} {r['kind']}, confidence {r['confidence']:.2f})")
        out.append(f"    says: {shorten(r['source_text'], 110)}")
        if r["span"]:
            s = r["span"]
            path = " > ".join(r["heading"] or [])
            out.append(f"    at: page {s['page']} <{path}> chars {s['start']}-{s['end']}")
            out.append(f"        \"{s['first_words']} ... {s['last_words']}\"")
        if r["reason"]:
            out.append(f"    why: {r['reason']}")
        for k, c in enumerate(r["candidates"][1:3], start=2):
            out.append(f"    runner-up {k}: {c['score']:.2f} page {c['page']}: {c['why']}")
    return "\n".join(out) + "\n"


def review(items: Sequence[dict[str, Any]]) -> str:
    """The amendments waiting for a reviewer, with their instructions not applied."""
    if not items:
        return "Nothing pending.\n"
    out = []
    for a in items:
        out.append(f"filing {a['filing_id']} {a['sticker']} -> {a['target'] or '(no target found)'}: {a['state']}: {a['summary'] or ''}")
        for i in a["instructions"]:
            out.append(f"  [{i['n']}] {i['status']}: {shorten(i['source_text'], 90)} {('- ' + i['reason']) if i['reason'] else ''}")
    return "\n".join(out) + "\n"


def events(rows: Sequence[dict[str, Any]]) -> str:
    """The audit trail one readable line per event: number, time, actor, command, what changed."""
    out = []
    for e in rows:
        when = str(e["at"]).replace("T", " ")[:19]
        out.append(f"{e['id']:4}  {when}  {e['actor']}  {e['command']}  {event_summary(e)}")
    return "\n".join(out) + ("\n" if out else "")


def event_summary(e: dict[str, Any]) -> str:
    """What one event changed, in words (the raw inputs and outputs are in ``log --json``)."""
    i, o = e["inputs"] or {}, e["outputs"] or {}
    if e["command"] == "ingest" and "amends" in i:
        return f"filing {i.get('filing_id')} now amends {i['amends']}"
    if e["command"] == "ingest":
        docs = ", ".join(f"{d.get('key')} ({d.get('kind')})" for d in o.get("documents") or [])
        return f"stored filing {o.get('filing_id')} from {i.get('source')}: {docs}"
    if e["command"] == "apply":
        counts: dict[str, int] = {}
        for status in (o.get("statuses") or {}).values():
            counts[status] = counts.get(status, 0) + 1
        made = f"version {o['version']} written" if o.get("version") else "no version written"
        rebased = f"; versions rebased: {o['rebased']}" if o.get("rebased") else ""
        tally = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        return f"filing {i.get('filing_id')} on {i.get('document')}: {o.get('state')}, {made} ({tally}){rebased}"
    if e["command"] == "link":
        if o.get("target") is None:
            return f"filing {i.get('filing_id')} not linked: {o.get('why')}"
        return f"filing {i.get('filing_id')} amends {o['target']} (found by {o.get('how')})"
    if e["command"] == "migrate":
        return f"{i.get('reason')}: {o.get('committed')} records"
    if e["command"] == "resolve":
        why = f"; why: {i['why']}" if i.get("why") else ""
        return (f"instruction {i.get('n')} of filing {i.get('filing_id')} placed at characters "
                f"{o.get('start')}-{o.get('end')}{why}")
    return shorten(f"in={json.dumps(i)} out={json.dumps(o)}", 160)


def _by(c: dict[str, Any] | None) -> str:
    if not c:
        return "original"
    n = f", instruction {c['n']}" if c.get("n") else ""
    return f"v{c['version']} filing {c['filing_id']} ({c['filing']}){n}"


def blame(result: dict[str, Any]) -> str:
    """Each block of a version with what last changed it."""
    out = []
    for b in result["blocks"]:
        out.append(f"{b['page'] or '-':6} {_by(b['changed_by']):48} {b['kind']:10} {shorten(b['first_words'], 60)}")
    return "\n".join(out) + "\n"


def deleted(result: dict[str, Any]) -> str:
    """The text amendments removed, who removed it and what replaced it."""
    if not result["deleted"]:
        return "No text was removed.\n"
    out = []
    for d in result["deleted"]:
        who = _by(d) if d.get("version") else "?"
        out.append(f"removed by {who}:\n  - {shorten(d['deleted'], 200)}\n  + {shorten(d['replaced_by'], 200) or '(nothing)'}")
    return "\n".join(out) + "\n"


def search(hits: Sequence[dict[str, Any]]) -> str:
    """Search hits: document, version, page, heading path and snippet."""
    if not hits:
        return "No matches.\n"
    out = []
    for h in hits:
        out.append(f"{h['document']} v{h['version']} page {h['page'] or '-'} <{h['heading']}>\n    {shorten(h['snippet'], 160)}")
    return "\n".join(out) + "\n"
