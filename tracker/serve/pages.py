"""The review screens as HTML, each made from the JSON its ``/api/`` twin returns.

What belongs here: one function per screen (the review queue, a filing, the decision on one
instruction, a document as of a date, the documents, a series' timeline, the redline's frame, an
error), each taking the data a service function returned and giving a whole page. Pure: no store,
no request. Every text goes through ``html.tag`` or ``html.esc``.
"""

from __future__ import annotations

import json
from typing import Any

from .. import render
from .html import Safe, badge, document_url, filing_url, join, marked, page, show_hidden, tag, url


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _tally(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())


def _path(heading: list[str] | None) -> Safe:
    """A heading path, its parts separated by chevrons (a dash when there is none)."""
    if not heading:
        return tag("span", "—", class_="muted")
    return tag("span", join(*[join(tag("span", " › ", class_="sep") if i else None, h)
                              for i, h in enumerate(heading)]), class_="path")


def _no_script(command: str) -> Safe:
    return tag("noscript", tag("p", "Without JavaScript, run: ", tag("code", command), class_="hint"))


def _action(label: str, post: str, body: str, next_url: str, *, secondary: bool = False,
            disabled: bool = False) -> Safe:
    """A button that sends ``body`` (JSON) to ``post`` and then opens ``next_url`` (app.js)."""
    return tag("button", label, type="button", data_post=post, data_body=body, data_next=next_url,
               class_="secondary" if secondary else None, disabled=disabled)


# --- the review queue ------------------------------------------------------------------------


def queue_page(data: dict[str, Any], database: str) -> str:
    """The amendments not applied, newest first, with their instructions that need a decision."""
    counts = data["counts"]
    if not data["amendments"]:
        body = [tag("h1", "Review queue"), tag("p", "Nothing waits for review: every amendment stored is applied.",
                                                class_="empty card")]
        return page("Review queue", body, active="queue", database=database)
    summary = (f"{_plural(counts['amendments'], 'amendment')} not applied ({_tally(counts['by_state'])}); "
               f"{_plural(counts['instructions'], 'instruction')} "
               f"{'needs' if counts['instructions'] == 1 else 'need'} a decision"
               + (f": {_tally(counts['by_status'])}" if counts["by_status"] else "") + ".")
    cards = [_queue_card(a) for a in data["amendments"]]
    return page("Review queue", tag("h1", "Review queue"), tag("p", summary, class_="sub counts"), cards,
                active="queue", database=database)


def _queue_card(a: dict[str, Any]) -> Safe:
    head = tag("div",
               tag("a", a["sticker"], href=filing_url(a["filing_id"]), class_="title"),
               tag("span", "amends", class_="muted"),
               tag("a", a["target"], href=document_url(a["target"])) if a["target"]
               else tag("span", "no document found to amend", class_="muted"),
               badge(a["state"]),
               tag("span", f"dated {a['date']}" if a["date"] else "undated", " · filing ", str(a["filing_id"]),
                   class_="muted right"),
               class_="card-head")
    rows = [tag("tr",
                tag("td", tag("a", f"#{i['n']}", href=filing_url(a["filing_id"], i["n"])), class_="n"),
                tag("td", badge(i["status"]), class_="st"),
                tag("td", tag("div", render.shorten(i["source_text"], 160), class_="words"),
                    tag("div", i["reason"], class_="reason") if i["reason"] else None),
                tag("td", tag("a", "Decide →", href=filing_url(a["filing_id"], i["n"]), class_="go"), class_="act"))
            for i in a["instructions"]]
    table = tag("table", tag("tbody", rows), class_="list queue") if rows else None
    return tag("section", head, tag("p", a["summary"] or "", class_="summary"), table, class_="card")


# --- a filing --------------------------------------------------------------------------------


def filing_page(data: dict[str, Any], database: str, decided: int | None = None) -> str:
    """Every instruction of an amending filing with what applying it now would do; Apply buttons."""
    a, fid = data["amendment"], data["filing_id"]
    title = f"Filing {fid}: {a['sticker']}"
    made = f"; it made version {a['version']}" if a["version"] else ""
    head = [
        tag("p", tag("a", "Review queue", href="/"), " › filing ", str(fid), class_="crumbs"),
        tag("h1", a["sticker"]),
        tag("p", "Amends ", tag("a", data["document"], href=document_url(data["document"])),
            " · stored state ", badge(a["state"]), " ", a["summary"] or "", made, class_="sub"),
    ]
    if decided is not None:
        head.append(tag("p", f"Decision recorded for instruction {decided}. Apply the filing to write the "
                        "version.", class_="flash"))
    rows = [_instruction_row(fid, r, a["decidable"]) for r in data["instructions"]]
    table = tag("table", tag("thead", tag("tr", [tag("th", h) for h in
                                                 ("#", "Status", "Confidence", "Instruction", "Where", "")])),
                tag("tbody", rows), class_="list")
    return page(title, head,
                tag("h2", f"Instructions, as applying them to version {data['parent_version']} would place them"),
                table, _apply_box(data), _decisions(data["decisions"]), database=database)


def _instruction_row(fid: int, r: dict[str, Any], decidable: bool) -> Safe:
    span = r["span"]
    where = (join(f"page {span['page'] or '—'} ", tag("br"), _path(r["heading"])) if span
             else tag("span", "not placed", class_="muted"))
    needs = r["status"] not in ("applied", "notice")
    link = tag("a", "Decide →" if needs and decidable else "Candidates", href=filing_url(fid, r["n"]),
               class_="go" if needs else None)
    return tag("tr",
               tag("td", str(r["n"])), tag("td", badge(r["status"])),
               tag("td", f"{r['confidence']:.2f}"),
               tag("td", tag("div", r["source_text"], class_="words"),
                   tag("div", r["reason"], class_="reason") if r["reason"] else None),
               tag("td", where), tag("td", link),
               class_="needs" if needs else None)


def _apply_box(data: dict[str, Any]) -> Safe:
    a, fid, key = data["amendment"], data["filing_id"], data["document"]
    post, after = url("api", "filings", fid, "apply"), document_url(key)
    if not a["decidable"]:
        note = tag("p", f"Already applied: version {a['version']} of {key}.", class_="muted")
    elif data["needs_decision"]:
        n = ", ".join(str(x) for x in data["needs_decision"])
        note = tag("p", f"Instruction(s) {n} would not be applied: Apply writes no version until each is decided; "
                   "Apply partial writes a version without them, marked partial.", class_="hint")
    else:
        note = tag("p", "Every instruction would be applied.", class_="hint")
    return tag("section",
               tag("div", _action("Apply", post, '{"partial": false}', after, disabled=not a["decidable"]),
                   _action("Apply partial", post, '{"partial": true}', after, secondary=True,
                           disabled=not a["decidable"]), class_="buttons"),
               note, tag("div", "", id="outcome", class_="outcome", role="status"),
               _no_script(f"tracker apply {fid}   (or: tracker apply {fid} --partial)"),
               class_="card actions")


def _decisions(decisions: list[dict[str, Any]]) -> Safe | None:
    if not decisions:
        return None
    items = [tag("li", f"Instruction {d['n']}: placed by {d['who']} at {d['at']}",
                 join(": ", tag("q", d["why"])) if d["why"] else None) for d in decisions]
    return join(tag("h2", "Reviewers' decisions"), tag("ul", items, class_="decisions"))


# --- deciding one instruction ----------------------------------------------------------------


def decide_page(data: dict[str, Any], database: str) -> str:
    """The instruction on top, its candidates side by side on their pages, and a page + block picker."""
    a, fid, ins = data["amendment"], data["filing_id"], data["instruction"]
    n = ins["n"]
    head = [
        tag("p", tag("a", "Review queue", href="/"), " › ", tag("a", f"filing {fid}", href=filing_url(fid)),
            f" › instruction {n}", class_="crumbs"),
        tag("h1", f"Instruction {n} of {a['sticker']}"),
        tag("p", "On ", tag("a", data["document"], href=document_url(data["document"])),
            f", version {data['parent_version']} · stored state ", badge(a["state"]), class_="sub"),
        _instruction_card(data),
    ]
    cands, span = data["candidates"], ins["span"]
    if cands:
        shown = tag("div", [_candidate(data, c) for c in cands], class_="candidates")
    elif span:
        shown = tag("p", f"Placed on page {span['page'] or '—'}, characters {span['start']}-{span['end']}: "
                    f"“{span['first_words']} … {span['last_words']}”", class_="card")
    else:
        shown = tag("p", "The engine found no place for this instruction: pick one below.", class_="empty card")
    body = [tag("h2", f"Candidates ({len(cands)})" if cands else "Where it goes"), shown]
    return page(f"Instruction {n} of filing {fid}", head, body, _picker(data), database=database)


def _instruction_card(data: dict[str, Any]) -> Safe:
    a, ins = data["amendment"], data["instruction"]
    fid, n = data["filing_id"], ins["n"]
    decided = [tag("p", f"Decided by {d['who']} at {d['at']}", join(": ", tag("q", d["why"])) if d["why"] else None,
                   class_="flash") for d in data["decisions"]]
    return tag("section",
               tag("div", badge(ins["status"]), tag("span", f"{ins['op']} {ins['kind']}", class_="op"),
                   tag("span", f"confidence {ins['confidence']:.2f}", class_="muted"), class_="card-head"),
               tag("div", "The sticker says", class_="label"), tag("blockquote", ins["source_text"], class_="says"),
               join(tag("div", "New text", class_="label"), tag("blockquote", ins["new_text"], class_="new"))
               if ins["new_text"] else None,
               tag("p", tag("strong", "Why it was not applied: "), ins["reason"], class_="reason")
               if ins["reason"] and ins["status"] not in ("applied", "notice") else None,
               decided,
               tag("label", "Your reason, kept in the audit trail (optional)", tag("textarea", "", id="why", rows="2"),
                   class_="why") if a["decidable"] else
               tag("p", f"This filing is already applied (version {a['version']}); a decision would change nothing.",
                   class_="hint"),
               tag("div", "", id="outcome", class_="outcome", role="status"),
               _no_script(f"tracker resolve {fid} {n} --choose K --why TEXT"),
               class_="card instruction")


def _candidate(data: dict[str, Any], c: dict[str, Any]) -> Safe:
    fid, n, k = data["filing_id"], data["instruction"]["n"], c["k"]
    top = data["candidates"][0]["score"]
    if k == 1:
        lost = ("The highest score, but the engine did not apply it (see why above)."
                if data["instruction"]["status"] not in ("applied", "notice") else "The engine chose it.")
    else:
        lost = f"Scored {c['score']:.3f}, {top - c['score']:.3f} below candidate 1."
    start, end = c["mark"]
    return tag("article",
               tag("header", tag("span", f"Candidate {k}", class_="k"),
                   tag("span", f"page {c['page'] or '—'}", class_="pg"),
                   tag("span", f"score {c['score']:.3f}", class_="score")),
               tag("div", _path(c["heading"]), class_="heading"),
               tag("p", c["why"], class_="why-found"),
               tag("p", tag("strong", "Why not: "), lost, class_="lost"),
               tag("pre", marked(c["page_text"], start, end), class_="page-text", tabindex="0",
                   aria_label=f"page {c['page'] or ''} with the candidate's span marked"),
               tag("div", _action(f"Choose candidate {k}", url("api", "filings", fid, "instructions", n, "decision"),
                                  f'{{"choose": {k}}}', filing_url(fid, decided=n),
                                  disabled=not data["amendment"]["decidable"]), class_="buttons"),
               class_="card candidate", id=f"candidate-{k}")


def _picker(data: dict[str, Any]) -> Safe:
    fid, n = data["filing_id"], data["instruction"]["n"]
    chosen = data["picker"]["page"]
    options = [tag("option", label, value=label, selected=label == chosen) for label in data["pages"]]
    form = tag("form",
               tag("label", "Page ", tag("select", options, name="page")),
               tag("button", "Show its blocks", type="submit", class_="secondary"),
               method="get", action=filing_url(fid, n), class_="picker")
    post = url("api", "filings", fid, "instructions", n, "decision")
    rows = [tag("tr",
                tag("td", str(b["block_on_page"])), tag("td", b["kind"]), tag("td", _path(b["heading"])),
                tag("td", render.shorten(b["first_words"], 90), class_="words"),
                tag("td", _action("Place here", post, json.dumps({"page": chosen, "block": b["block_on_page"]}),
                                  filing_url(fid, decided=n), secondary=True,
                                  disabled=not data["amendment"]["decidable"])))
            for b in data["picker"]["blocks"]]
    table = tag("table", tag("thead", tag("tr", [tag("th", h) for h in ("Block", "Kind", "Heading", "Begins", "")])),
                tag("tbody", rows), class_="list") if rows else None
    return tag("section",
               tag("h2", "Another place"),
               tag("p", "A target the engine did not offer: choose a printed page, then the block on it.", class_="sub"),
               form, table, _no_script(f"tracker resolve {fid} {n} --page PAGE --block N"), class_="card")


# --- a document as of a date -----------------------------------------------------------------


def document_page(data: dict[str, Any], database: str) -> str:
    """A document's text as of a date, with the date picker, the currency statement and its versions."""
    doc, c = data["document"], data["currency"]
    key = doc["key"]
    series = tag("a", f"series {doc['series']}", href=url("series", doc["series"])) if doc["series"] else None
    picker = tag("form",
                 tag("label", "As of ", tag("input", type="date", name="as_of", value=c["as_of"] or "")),
                 tag("label", "as known at ", tag("input", type="date", name="known_at", value=c["known_at"] or "")),
                 tag("button", "Show", type="submit"), tag("a", "latest", href=document_url(key)),
                 method="get", action=document_url(key), class_="asof")
    when = f"as of {c['as_of']}" if c["as_of"] else "latest"
    return page(key,
                tag("p", tag("a", "Documents", href="/documents"), " › ", key, class_="crumbs"),
                tag("h1", doc["title"] or key), tag("p", key, " · ", doc["kind"], " · ", series, class_="sub"),
                picker,
                tag("section", tag("h2", f"Version {data['version']} of {c['versions_total']} ({when})"),
                    _currency(c), class_="card currency"),
                _history(key, data["history"], data["version"]),
                tag("h2", f"Text of version {data['version']}"),
                tag("pre", data["text"], class_="doc-text"),
                active="documents", database=database)


def _currency(c: dict[str, Any]) -> Safe:
    """The currency statement as a list: the base, each filing applied, later versions, pending ones."""
    base = c["base"]
    items = [tag("li", tag("strong", "Base: "), f"filing {base['filing_id']} ({base['filing']}), effective "
                 f"{base['effective_date']}, recorded {base['recorded_date']}.")]
    if not c["applied"]:
        items.append(tag("li", "Amendments applied: none."))
    for a in c["applied"]:
        missing = [tag("li", f"instruction {m['n']} NOT applied ({m['status']})", class_="warn")
                   for m in a["not_applied"]]
        notices = [tag("li", f"notice {x['n']}: {render.shorten(x['text'], 160)}") for x in a["notices"]]
        items.append(tag("li", tag("strong", "Applied partially: " if a["partial"] else "Applied: "),
                         tag("a", a["sticker"] or a["filing"], href=filing_url(a["filing_id"])),
                         f", effective {a['effective_date']}, recorded {a['recorded_date']} → version {a['version']}.",
                         tag("ul", missing, notices) if missing or notices else None))
    for v in c["later_versions"]:
        items.append(tag("li", tag("strong", "Later: "), f"version {v['version']} effective {v['effective_date']} "
                         f"(recorded {v['recorded_date']})."))
    for p in c["pending"]:
        items.append(tag("li", tag("strong", "Pending: "), tag("a", p["sticker"], href=filing_url(p["filing_id"])),
                         " ", badge(p["state"]), " ", p["summary"] or "", class_="warn"))
    return tag("ul", items, class_="statement")


def _history(key: str, versions: list[dict[str, Any]], shown: int) -> Safe:
    rows = []
    for v in versions:
        redline = (tag("a", "redline from v" + str(v["number"] - 1),
                       href=url("documents", key, "redline", **{"from": f"v{v['number'] - 1}", "to": f"v{v['number']}"}))
                   if v["number"] > 1 else None)
        rows.append(tag("tr",
                        tag("td", tag("a", f"v{v['number']}", href=document_url(key, as_of=v["effective_date"]))),
                        tag("td", v["effective_date"]), tag("td", v["recorded_date"]), tag("td", v["made_by"]),
                        tag("td", "partial" if v["partial"] else ""), tag("td", redline),
                        class_="shown" if v["number"] == shown else None))
    head = tag("tr", [tag("th", h) for h in ("Version", "Effective", "Recorded", "Made by", "", "")])
    return join(tag("h2", "Version history"), tag("table", tag("thead", head), tag("tbody", rows), class_="list"))


# --- listings --------------------------------------------------------------------------------


def documents_page(rows: list[dict[str, Any]], database: str) -> str:
    """Every stored document, with links to its screen and its series' timeline."""
    body = [tag("tr",
                tag("td", tag("a", r["key"], href=document_url(r["key"]))), tag("td", r["kind"]),
                tag("td", tag("a", r["series"], href=url("series", r["series"])) if r["series"] else None),
                tag("td", r["document_date"]), tag("td", str(r["versions"])))
            for r in rows]
    head = tag("tr", [tag("th", h) for h in ("Document", "Kind", "Series", "Date", "Versions")])
    table = tag("table", tag("thead", head), tag("tbody", body), class_="list") if rows else \
        tag("p", "No documents are stored.", class_="empty card")
    return page("Documents", tag("h1", "Documents"), table, active="documents", database=database)


def timeline_page(series: str, rows: list[dict[str, Any]], database: str) -> str:
    """Every document of a series in date order; stickers with what they amend and their state."""
    body = [tag("tr",
                tag("td", r["date"]), tag("td", r["kind"]),
                tag("td", tag("a", r["key"], href=document_url(r["key"]))),
                tag("td", join("amends ", tag("a", r["amends"], href=document_url(r["amends"])), " ",
                               tag("a", badge(r["amendment_state"]), href=filing_url(r["filing_id"])))
                    if r["kind"] == "sticker" and r["amends"] else None))
            for r in rows]
    head = tag("tr", [tag("th", h) for h in ("Date", "Kind", "Document", "")])
    return page(f"Series {series}", tag("p", tag("a", "Documents", href="/documents"), f" › series {series}",
                                        class_="crumbs"),
                tag("h1", f"Timeline of series {series}"),
                tag("table", tag("thead", head), tag("tbody", body), class_="list"),
                active="documents", database=database)


# --- the redline and errors ------------------------------------------------------------------

_BAR_CSS = """
.srv-bar { font: 14px/1.4 system-ui, "DejaVu Sans", sans-serif; display: flex; flex-wrap: wrap; gap: .6em 1.2em;
  align-items: center; padding: .6em .9em; margin: 0 0 1.2em; background: #1d2330; color: #fff; border-radius: 6px; }
.srv-bar a { color: #cfd6e4; text-decoration: none; } .srv-bar label { color: #cfd6e4; }
.srv-bar select, .srv-bar button { font: inherit; }
"""


def redline_page(report_html: str, key: str, versions: list[dict[str, Any]], from_ref: str | None,
                 to_ref: str | None) -> str:
    """The redline as ``tracker diff --format html`` makes it, with a bar to pick the two versions
    (and hidden characters in its text shown)."""
    first, last = f"v{versions[0]['number']}", f"v{versions[-1]['number']}"

    def pick(name: str, current: str) -> Safe:
        return tag("select", [tag("option", f"v{v['number']} ({v['effective_date']}, {v['made_by']})",
                                  value=f"v{v['number']}", selected=f"v{v['number']}" == current)
                              for v in versions], name=name)

    bar = tag("nav",
              tag("a", "← " + key, href=document_url(key)), tag("a", "Review queue", href="/"),
              tag("form", tag("label", "From ", pick("from", from_ref or first)),
                  tag("label", " to ", pick("to", to_ref or last)), " ",
                  tag("button", "Compare", type="submit"), method="get", action=url("documents", key, "redline")),
              class_="srv-bar")
    head, body = report_html.split("<body>", 1)
    return f"{head}<body>\n<style>{_BAR_CSS}</style>\n{bar}{show_hidden(body)}"


def error_page(status: int, message: str, database: str) -> str:
    """An error: its status and the one-line message the CLI would print."""
    return page(f"Error {status}", tag("h1", f"Error {status}"), tag("p", message, class_="card error"),
                tag("p", tag("a", "Back to the review queue", href="/")), database=database)

