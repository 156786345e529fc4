"""Writing an instruction back in a sticker's English; the parser reads it back the same."""

from __future__ import annotations

from dataclasses import replace

from ..models import Instruction, Target
from .vocabulary import _ORDINAL_NAMES

# --- writing an instruction back -------------------------------------------------------------


def _ordinal_word(k: int, from_end: bool) -> str:
    if from_end:
        return "last" if k == 1 else f"{_ORDINAL_NAMES.get(k, f'{k}th')} to last"
    return _ORDINAL_NAMES.get(k, f"{k}th")


def _render_locator(t: Target) -> str:
    """English for a target: 'the second sentence of the first paragraph on page S-8 under ...'."""
    o = t.ordinal
    parts: list[str] = []
    fe = bool(o and o.from_end)
    nouns = {"paragraph": "paragraph", "sentence": "sentence", "bullet": "bullet point", "definition": "definition",
             "risk_factor": "risk factor", "table": "table", "column": "column", "row": "row", "cell": "cell",
             "heading": "heading", "section": "section", "toc_entry": "table of contents", "text": "text", "value": "value"}
    if t.kind == "value" and o is None:
        head = "the text"
    elif t.kind == "value":
        head = ""
    else:
        head = f"the {nouns[t.kind]}"
        if o and t.kind == "sentence" and o.sentence:
            head = f"the {_ordinal_word(o.sentence, fe)} sentence"
        elif o and t.kind == "bullet" and o.bullet:
            head = f"the {_ordinal_word(o.bullet, fe)} bullet point"
        elif o and t.kind == "paragraph" and o.paragraph:
            head = f"the {_ordinal_word(o.paragraph, fe)} paragraph"
    if o:
        if t.kind not in ("paragraph",) and o.paragraph:
            parts.append(f"{'of' if head else 'in'} the {_ordinal_word(o.paragraph, fe)} paragraph")
        if t.kind != "bullet" and o.bullet:
            parts.append(f"(the {_ordinal_word(o.bullet, False)} bullet point)")
        if o.after:
            parts.append(f"following the {o.after}")
    if t.term:
        if t.kind == "definition":
            head = f"the definition of “{t.term}”"
        elif t.kind == "heading":
            head = f"the heading “{t.term}”"
        elif t.kind in ("risk_factor", "table", "column", "section"):
            head += f" entitled “{t.term}”"
        else:
            parts.append(f"that contains the defined term “{t.term}”")
    if t.clause:
        head = f"clause {t.clause} of " + (f"the definition of “{t.term}”" if t.term else "the text")
        parts = [p for p in parts if "defined term" not in p]
    if o and o.line:
        parts.insert(0, f"in the {_ordinal_word(o.line, False)} line of the text")
    if t.contains:
        parts.insert(0, f"containing the words “{t.contains}”")
    if t.footnote and t.kind == "paragraph" and not t.term:
        head = f"footnote {t.footnote}" + (" to the table" if not t.heading else "")
    if t.kind == "heading" and not t.term and t.heading:
        # the heading itself stands last in its path
        head = f"the heading “{t.heading[-1]}”"
        t = replace(t, heading=t.heading[:-1] or None)
    if t.pages and len(t.pages) > 1:
        parts.append("on pages " + ", ".join(t.pages[:-1]) + " and " + t.pages[-1])
    elif t.page:
        parts.append(f"on page {t.page}")
    if t.heading:
        parts.append("under the heading “" + "—".join(t.heading) + "”")
    if t.locus:
        parts.append(f"on the {t.locus}")
    return " ".join(p for p in [head, *parts] if p)


def render_instruction(instr: Instruction) -> str:
    """Write an instruction back in the sticker's English; ``parse_amendment`` reads it back the same."""
    t = instr.target
    loc = _render_locator(t)
    new = instr.new_text or ""
    if instr.op == "notice":
        return new
    if instr.op == "unsupported":
        return instr.source_text
    if instr.op == "substitute":
        lead = loc[0].upper() + loc[1:] if loc else ""
        subject = "the column heading entitled" if t.kind == "column" else "the reference to"
        if t.kind == "column":
            return f"{lead + ', ' if lead and lead != 'The column' else ''}{subject} “{t.old_text}” is deleted and replaced with “{new}”."
        where = loc.removeprefix("the text") if t.kind == "value" else loc
        where = where.strip()
        if t.scope == "all":
            place = f" {where}" if where else ""
            return f"All references{place} to “{t.old_text}” are deleted and replaced with “{new}”."
        prefix = f"In {where}, " if where and not where.startswith(("on ", "in ")) else (
            f"{where[0].upper() + where[1:]}, " if where else "")
        sentence = f"{prefix}{subject} “{t.old_text}” is deleted and replaced with “{new}”."
        return sentence[0].upper() + sentence[1:]
    cap = loc[0].upper() + loc[1:]
    if instr.op == "replace" or instr.op == "replace_column":
        return f"{cap} should be deleted in its entirety and replaced with the following:\n\n{new}"
    if instr.op == "replace_rows":
        return f"{cap} is hereby amended as follows:\n\n{new}"
    if instr.op == "delete":
        return f"{cap} is deleted in its entirety."
    if instr.op == "insert_after":
        return f"The following is inserted after {loc}:\n\n{new}"
    if instr.op == "insert_before":
        return f"The following is inserted before {loc}:\n\n{new}"
    if instr.op == "append":
        return f"The following is added at the end of {loc}:\n\n{new}"
    if instr.op == "insert_at":
        return f"The following is added to {loc}:\n\n{new}"
    return f"{cap} should read as follows:\n\n{new}"

