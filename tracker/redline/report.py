"""The structured redline report (``report_json``) and the wording every renderer shares."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from .changes import KINDS, Change


def report_json(meta: Mapping[str, Any], changes: Sequence[Change]) -> dict:
    """The structured redline report: ``meta`` normalised, a summary, and the changes.

    ``meta`` keys (all optional; dates may be ``datetime.date`` or ISO strings):

    - ``document``: {"key": str, "title": str | None}
    - ``from_version`` / ``to_version``: {"number": int, "effective_date": date, "recorded_date": date}
    - ``filings``: the filings applied between the two versions, in order, each
      {"filing_id": int, "key": str | None, "accession": str | None, "sha256": str | None,
      "filed": date | None (the filing's own date), "filed_from": "edgar-header" | "filing-text" |
      None, "recorded": date | None, "effective": date | None, "title": str | None}
    - ``currency``: one paragraph saying what the new version reflects
    - ``notices``: [{"filing": str, "accession": str | None, "n": int, "text": str}]
    - ``not_applied``: [{"filing": str, "accession": str | None, "n": int, "status": str,
      "reason": str, "source_text": str}]
    - ``generated``: {"at": time, "database": path, "tracker": version}, the redline's stamp

    The result: {"document", "from", "to", "filings", "currency", "summary", "changes", "notices",
    "not_applied", "generated"} with ``summary`` = {"changes": n, "replaced": n, "inserted": n,
    "deleted": n, "moved": n} and ``changes`` as ``Change.to_json`` gives them. JSON-serialisable.
    """
    doc = meta.get("document") or {}
    counts = Counter(c.kind for c in changes)

    def version(v: Mapping[str, Any] | None) -> dict:
        v = v or {}
        return {
            "number": v.get("number"),
            "effective_date": _str(v.get("effective_date")),
            "recorded_date": _str(v.get("recorded_date")),
        }

    return {
        "document": {"key": doc.get("key"), "title": doc.get("title")},
        "from": version(meta.get("from_version")),
        "to": version(meta.get("to_version")),
        "filings": [
            {
                "filing_id": f.get("filing_id"),
                "key": f.get("key"),
                "accession": f.get("accession"),
                "sha256": f.get("sha256"),
                "filed": _str(f.get("filed")),
                "filed_from": f.get("filed_from"),
                "recorded": _str(f.get("recorded")),
                "effective": _str(f.get("effective")),
                "title": f.get("title"),
            }
            for f in meta.get("filings") or ()
        ],
        "currency": meta.get("currency") or "",
        "summary": {"changes": len(changes), **{k: counts.get(k, 0) for k in KINDS}},
        "changes": [c.to_json() for c in changes],
        "notices": [
            {"filing": _str(n.get("filing")), "accession": n.get("accession"), "n": n.get("n"),
             "text": n.get("text") or ""}
            for n in meta.get("notices") or ()
        ],
        "not_applied": [
            {
                "filing": _str(m.get("filing")),
                "accession": m.get("accession"),
                "n": m.get("n"),
                "status": m.get("status"),
                "reason": m.get("reason") or "",
                "source_text": m.get("source_text") or "",
            }
            for m in meta.get("not_applied") or ()
        ],
        "generated": dict(meta.get("generated") or {}),
    }


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


def _where(c: Mapping[str, Any]) -> tuple[str, str]:
    page = f"page {c['page']}" if c["page"] else "unlabelled page"
    path = " > ".join(c["heading"]) if c["heading"] else "(no heading)"
    return page, path


def _kind(c: Mapping[str, Any]) -> str:
    """The operation, and for a moved passage where it came from."""
    if c["kind"] != "moved":
        return c["kind"]
    page = f"page {c['from_page']}" if c["from_page"] else "unlabelled page"
    path = " > ".join(c["from_heading"]) if c["from_heading"] else "(no heading)"
    return f"moved from {page}, {path}"


def _by(c: Mapping[str, Any]) -> str:
    prov = c["provenance"]
    if not prov:
        return "no instruction claims it"
    return "; ".join(_claim(p) for p in prov)


def _cap(text: str) -> str:
    """The first letter in capitals, the rest (a document key, say) as it is."""
    return text[:1].upper() + text[1:]


def _claim(p: Mapping[str, Any]) -> str:
    """Who made a change: the filing by key and accession, the instruction, and the reviewer's
    decision that placed it, if one did."""
    out = f"by {source_name(p)}, instruction {p.get('n')}"
    d = p.get("decision")
    if d:
        out += f", placed by {d.get('who')}'s decision" + (f" ({d['why']})" if d.get("why") else "")
    return out


def source_name(p: Mapping[str, Any]) -> str:
    """A filing named by its key and its accession number."""
    acc = p.get("accession")
    return f"{p.get('filing')} (accession {acc})" if acc else f"{p.get('filing')} (no accession number)"


def _confidence(p: Mapping[str, Any]) -> str:
    return "" if p.get("confidence") is None else f"{float(p['confidence']):.2f}"


def _filing_name(f: Mapping[str, Any]) -> str:
    return source_name({"filing": f.get("key") or f"filing {f.get('filing_id')}", "accession": f.get("accession")})


def _filing_dates(f: Mapping[str, Any]) -> str:
    """The filing's own date (EDGAR's, or the one printed on it), its effective and recorded dates."""
    own = {"edgar-header": "filed", "filing-text": "dated"}.get(f.get("filed_from") or "", "filed")
    filed = f"{own} {f['filed']}" if f.get("filed") else "no filing date stated"
    recorded = f", recorded {f['recorded']}" if f.get("recorded") else ""
    return f"{filed}, effective {f['effective']}{recorded}"


def _version_line(r: Mapping[str, Any]) -> str:
    def one(v: Mapping[str, Any]) -> str:
        return f"version {v['number']} (effective {v['effective_date']}, recorded {v['recorded_date']})"

    return f"From {one(r['from'])} to {one(r['to'])}"


def _split_space(text: str) -> tuple[str, str, str]:
    """Leading white space, the core, trailing white space: marks go around the core only."""
    core = text.strip()
    if not core:
        return text, "", ""
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return lead, core, trail


def _marked(diff: Sequence[Sequence[Any]], marks: Mapping[int, tuple[str, str]], esc=lambda s: s) -> str:
    out = []
    for op, text in diff:
        if op == 0:
            out.append(esc(text))
            continue
        lead, core, trail = _split_space(text)
        if not core:
            out.append(esc(text))
            continue
        left, right = marks[op]
        out.append(f"{esc(lead)}{left}{esc(core)}{right}{esc(trail)}")
    return "".join(out)
