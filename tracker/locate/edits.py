"""The exact edit an instruction makes on one unit: the span replaced and the text put there.

What belongs here: replacing, inserting, appending and deleting on each kind of unit (prose, sentences,
bullets with their markers, headings, sections, tables), and finding old words exactly once."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..models import (
    Block,
    Instruction,
    Segmented,
)
from ..segment import (
    bullet_body,
)
from ..text import normalise_heading
from .match import _fold, _plain
from .newtext import WRAP, _column, _new_text, _strip_cell_marks, _unquote, _wrap_prose
from .tables import _layout_cells
from .units import _Unit


def _edit(ins: Instruction, seg: Segmented, u: _Unit) -> tuple[tuple[int, int], str] | None:
    """The span and exact replacement string for ``ins`` acting on unit ``u``, or None."""
    text = seg.text
    op = ins.op
    new = _new_text(ins)
    start, end = u.start, u.end
    if u.kind == "bullet" and u.block is not None:
        start = bullet_body(seg, u.block)[0]
    if ins.target.clause:
        return _clause_edit(ins, text, start, end, new)
    if u.kind == "section" and u.block is not None:
        return _section_edit(op, seg, u, new)
    if u.kind == "heading" and u.block is not None and op != "delete":
        return _heading_edit(op, seg, u, new)
    if ins.target.kind == "value" and ins.target.old_text or op == "substitute":
        words = _words_edit(ins, text, start, end, new, table=u.kind == "table")
        if words is not False:
            return words
    if ins.target.ordinal is not None and ins.target.ordinal.line is not None:
        return None  # a printed line counted holds words, never a whole element
    if u.kind == "bullet" and u.block is not None and op in ("insert_after", "insert_before") \
            and not _PROSE_NOT_BULLET.search(ins.source_text or ""):
        return _bullet_insert(op, seg, u, new)
    if op == "replace":
        if u.kind == "sentence":
            return (start, end), _fold(new)
        if u.kind == "table":
            return _replace_table(seg, u, _unquote(ins.new_text or ""))
        col = _column(text, start)
        rep = _wrap_prose(new, " " * col, WRAP - col)
        if len(u.parts) > 1:
            # Keep the page break the paragraph ran across, after the new paragraph.
            between = text[u.parts[0][1] : u.parts[-1][0]]
            return (start, end), rep + _page_gap(between)
        return (start, end), rep
    if op == "append" and u.kind == "bullet":
        return _bullet_append(text, start, end, new)
    if op in ("insert_after", "insert_at", "append"):
        if u.kind == "sentence":
            return (end, end), " " + _fold(new)
        # A paragraph added after a bullet stands where the paragraphs around the list do.
        col = _prose_column(seg, u.block) if u.kind == "bullet" and u.block else _column(text, u.start)
        return (end, end), "\n\n" + " " * col + _wrap_prose(new, " " * col, WRAP - col)
    if op == "insert_before":
        if u.kind == "sentence":
            return (start, start), _fold(new) + " "
        col = _column(text, u.start)
        return (u.start, u.start), _wrap_prose(new, " " * col, WRAP - col) + "\n\n" + " " * col
    if op == "delete":
        if u.kind == "sentence":
            m = re.match(r"\s*", text[end:])
            return (start, end + (m.end() if m else 0)), ""
        # Take the blank lines after the element too, so no gap is left.
        m = re.match(r"[ \t]*(?:\n[ \t]*)*", text[end:])
        stop = end + (m.end() if m else 0)
        line_start = text.rfind("\n", 0, u.start) + 1
        return (line_start, stop), ""
    return None


def _words_edit(ins: Instruction, text: str, start: int, end: int, new: str, table: bool = False):
    """An edit of words named in the instruction, inside ``start:end``: put next to, taken out or
    replaced; None when the words are not there exactly once (in a table: once in the rows whose
    labels the sticker's words name); False when the edit is not of words."""
    op = ins.op
    if op in ("insert_after", "insert_before"):
        # words put next to words: "inserting «, as amended,» after «Pooling Agreement»"
        hits = _on_line(text, start, end, _find_all(text, ins.target.old_text, start, end), ins)
        if len(hits) != 1:
            return None
        a, b = hits[0]
        new = _fold(new)
        if op == "insert_after":
            return (b, b), ("" if new[:1] in ",.;:)" else " ") + new
        return (a, a), new + ("" if new[-1:] in "(" else " ")
    if op == "delete":
        # words taken out ("the words «or any Subsequent Contract» are deleted"): the words, and the space
        # before them (or after them at the start of a line), never the element
        hits = _on_line(text, start, end, _find_all(text, ins.target.old_text, start, end), ins)
        if len(hits) != 1:
            return None
        return _with_a_space(text, *hits[0]), ""
    if op in ("substitute", "replace"):
        old = ins.target.old_text or ""
        hits = _on_line(text, start, end, _find_all(text, old, start, end), ins)
        new = new.rstrip(".") if not old.endswith(".") else new
        if (ins.target.scope or "").startswith("all occurrences in") and hits:
            # every occurrence within the element: one span from the first to the last, each replaced
            a, b = hits[0][0], hits[-1][1]
            parts, pos = [], a
            for x, y in hits:
                parts += [text[pos:x], new]
                pos = y
            return (a, b), "".join(parts)
        if len(hits) > 1 and table:
            hits = _in_rows_named(ins.source_text or "", text, hits)
        if len(hits) != 1:
            return None
        a, b = hits[0]
        return (a, b), new
    return False


def _in_rows_named(words: str, text: str, hits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The hits in table rows whose labels (the first cell of the line, four characters or more) the
    sticker's words name: "the amount to be purchased by Eastlake Capital Markets LLC"."""
    said = _plain(words).casefold()
    out = []
    for a, b in hits:
        line = text[text.rfind("\n", 0, a) + 1 : a].strip()
        label = re.split(r" {2,}|\t", line)[0] if line else ""
        if len(label) >= 4 and _plain(label).casefold() in said:
            out.append((a, b))
    return out


# What an insertion next to a bullet adds when it is not a bullet item itself.
_PROSE_NOT_BULLET = re.compile(
    r"\bfollowing\s+(?:new\s+)?(?:paragraph|sentence|text|language|disclosure)s?\b", re.I)


# A bullet marker the new text may bring: a symbol, or a number or letter.
_NEW_MARKER = re.compile(r"^\s*(?:(?P<sym>[•·▪■*o\-])|(?P<num>\(\w{1,4}\)|\d{1,2}\.))(?=\s)\s*")


_SYMBOL = re.compile(r"[•·▪■*o\-]")


def _bullet_insert(op: str, seg: Segmented, u: _Unit, new: str) -> tuple[tuple[int, int], str] | None:
    """A new bullet item next to bullet ``u``: the list's own marker and indentation, set apart
    from its neighbours as the list's items are. A list numbered or lettered takes a new item
    only when the new text brings its own number (none is made up); None otherwise."""
    text = seg.text
    b = u.block
    line_start = text.rfind("\n", 0, b.start) + 1
    body = bullet_body(seg, b)[0]
    prefix = text[line_start:body]
    marker = prefix.strip()
    m = _NEW_MARKER.match(new)
    rest = (new[m.end():] if m else new).strip()
    if not rest or _NEW_MARKER.match(rest):
        return None
    if not _SYMBOL.fullmatch(marker):
        if not (m and m.group("num")):
            return None
        lead = prefix[: len(prefix) - len(prefix.lstrip())]
        prefix = lead + m.group("num") + prefix[len(lead) + len(marker):]
    item = prefix + _wrap_prose(rest, " " * len(prefix), WRAP - len(prefix))
    # The gap the list leaves between items (a blank line or none).
    gap = "\n\n"
    blocks = seg.blocks
    for j in (b.index + 1, b.index - 1):
        if 0 <= j < len(blocks) and blocks[j].kind == "bullet" and blocks[j].page == b.page:
            a, z = (b, blocks[j]) if j > b.index else (blocks[j], b)
            between = text[a.end : z.start]
            gap = "\n\n" if re.search(r"\n[ \t]*\n", between) else "\n"
            break
    if op == "insert_after":
        return (u.end, u.end), gap + item
    return (line_start, line_start), item + gap


def _heading_edit(op: str, seg: Segmented, u: _Unit, new: str) -> tuple[tuple[int, int], str] | None:
    """A heading line replaced (one line, centred again when it was centred), or a paragraph put
    right before the heading line or right after it, indented as the paragraphs around it."""
    text = seg.text
    b = u.block
    line_start = text.rfind("\n", 0, b.start) + 1
    if op == "replace":
        words = _fold(new)
        if not words:
            return None
        indent = b.start - line_start
        first = text[b.start : text.find("\n", b.start) if "\n" in text[b.start : b.end] else b.end]
        if indent >= 4:
            # Centred: the new words keep the old line's centre.
            centre = indent + len(first.rstrip()) / 2
            return (line_start, b.end), " " * max(0, round(centre - len(words) / 2)) + words
        return (b.start, b.end), words
    col = _prose_column(seg, b)
    para = " " * col + _wrap_prose(new.strip(), " " * col, WRAP - col)
    if op == "insert_before":
        return (line_start, line_start), para + "\n\n"
    if op == "insert_after":
        return (b.end, b.end), "\n\n" + para
    return None


def _prose_column(seg: Segmented, near: Block) -> int:
    """The column the paragraphs nearest to ``near`` start at (after it first, then before)."""
    blocks = seg.blocks
    for j in list(range(near.index + 1, min(len(blocks), near.index + 6))) + \
            list(range(near.index - 1, max(-1, near.index - 6), -1)):
        if blocks[j].kind in ("paragraph", "definition"):
            return _column(seg.text, blocks[j].start)
    return 0


def _section_edit(op: str, seg: Segmented, u: _Unit, new: str) -> tuple[tuple[int, int], str] | None:
    """Add ``new`` as a paragraph at the end of section ``u`` (after its last block, so before
    the next heading of the same or a higher level and before any page break in between), or
    before its heading line; or replace everything under the heading (its body, sub-sections
    too) while the heading stays. The new paragraph is indented as the section's paragraphs are;
    page breaks inside a replaced body are kept, after the new text. New text that opens with the
    section's own heading restates it: the heading is not written twice. Deleting a section takes its
    heading and all under it, and keeps the page breaks inside."""
    text = seg.text
    inner = [b for b in seg.blocks[u.block.index + 1 : u.extra["last"].index + 1]
             if b.kind in ("paragraph", "definition")]
    col = _column(text, inner[-1].start) if inner else 0
    if op == "replace":
        body = [b for b in seg.blocks[u.block.index + 1 : u.extra["last"].index + 1]
                if b.kind != "risk_factor"]
        if not body or not new.strip():
            return None
        first, _, rest = new.strip().partition("\n\n")
        if rest.strip() and normalise_heading(first) == normalise_heading(text[u.block.start : u.block.end]):
            new = rest  # the restated section opens with its own heading, which stays where it is
        start = body[0].start
        col = _column(text, start)
        lead = ""
        if body[0].kind in ("table", "toc"):
            # A table's span starts at its line's start: indent as the section's paragraphs.
            col = _column(text, inner[0].start) if inner else 0
            lead = " " * col
        rep = lead + _wrap_prose(new.strip(), " " * col, WRAP - col)
        for a, z in zip(body, body[1:]):
            between = text[a.end : z.start]
            if "<PAGE>" in between.upper():
                rep += _page_gap(between)
        return (start, u.end), rep
    if op == "delete":
        # the heading and everything under it, with the blank lines after; the page breaks inside stay
        blocks = seg.blocks[u.block.index : u.extra["last"].index + 1]
        gaps = "".join(_page_gap(text[a.end : z.start]) for a, z in zip(blocks, blocks[1:])
                       if "<PAGE>" in text[a.end : z.start].upper())
        m = re.match(r"[ \t]*(?:\n[ \t]*)*", text[u.end :])
        line_start = text.rfind("\n", 0, u.block.start) + 1
        return (line_start, u.end + (m.end() if m else 0)), (gaps.lstrip("\n") + "\n\n" if gaps else "")
    if op in ("append", "insert_after"):
        end = u.end
        return (end, end), "\n\n" + " " * col + _wrap_prose(new.strip(), " " * col, WRAP - col)
    if op == "insert_before":
        line_start = text.rfind("\n", 0, u.start) + 1
        return (line_start, line_start), " " * col + _wrap_prose(new.strip(), " " * col, WRAP - col) + "\n\n"
    return None


def _page_gap(between: str) -> str:
    """The page break a paragraph ran across (label line, ``<PAGE>``), put after the new text."""
    return "\n\n" + between.strip("\n")


def _find_all(text: str, old: str, start: int, end: int) -> list[tuple[int, int]]:
    """Occurrences of ``old`` in ``text[start:end]``: white space and quote style are free."""
    old = _unquote(old.strip())
    if not old:
        return []
    parts = []
    for ch in old:
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in "“”\"":
            parts.append("[“”\"]")
        elif ch in "‘’'":
            parts.append("[‘’']")
        else:
            parts.append(re.escape(ch))
    pat = "".join(parts)
    # A number must not be part of a longer number ("1.05%" is not in "11.05%" or "1.050%").
    if old[0].isdigit() or old[0] in "$.":
        pat = r"(?<![\d.,])" + pat
    if old[-1].isdigit():
        pat = pat + r"(?![\d])(?![.,]\d)"
    # Nor a word part of a longer word or hyphenated name ("Trust" is not in "Trustee",
    # "Class A" not in "Class A-1", "Servicer" not in "Sub-Servicer").
    if old[0].isalpha():
        pat = r"(?<!\w)(?<!\w-)" + pat
    if old[-1].isalnum():
        pat = pat + r"(?!\w)(?!-\w)"
    return [(m.start(), m.end()) for m in re.compile(pat).finditer(text, start, end)]


def _replace_table(seg: Segmented, u: _Unit, new: str) -> tuple[tuple[int, int], str]:
    text = seg.text
    # Laid out in columns when the cells' shape is certain; else one cell per line, as given,
    # without the cell marks.
    new = _layout_cells(new) or _unquote(_strip_cell_marks(new))
    start, end = u.start, u.end
    title = None
    if u.block is not None and u.term:
        # The title line is the heading block just before the table.
        for b in reversed(seg.blocks[: u.block.index]):
            if b.kind == "heading":
                if b.term == u.term or text[b.start:b.end].strip() == u.term:
                    title = b
                break
            if b.kind != "risk_factor":
                break
    if title is not None:
        head = _plain(new)[: len(u.term) + 20]
        old_head = _plain(text[start:end])[: len(u.term) + 20]
        title_like = fuzz.partial_ratio(_plain(u.term).casefold(), head.casefold())
        header_like = fuzz.ratio(old_head.casefold(), head.casefold())
        if title_like > header_like:
            # The replacement brings its own title: the old title line goes too.
            line_start = text.rfind("\n", 0, title.start) + 1
            return (line_start, end), new.strip("\n")
    return (start, end), new.strip("\n")


_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]


def _next_mark(mark: str) -> str | None:
    """The mark of the clause after ``mark``: (ii) -> (iii), (b) -> (c), (2) -> (3)."""
    inner = mark.strip("()")
    if inner.lower() in _ROMAN[:-1] and (len(inner) > 1 or inner.lower() in "ivx"):
        nxt = _ROMAN[_ROMAN.index(inner.lower()) + 1]
        return f"({nxt.upper() if inner.isupper() else nxt})"
    if inner.isdigit():
        return f"({int(inner) + 1})"
    if len(inner) == 1 and inner.isalpha():
        return f"({chr(ord(inner) + 1)})"
    return None


def _clause_edit(ins: Instruction, text: str, start: int, end: int, new: str):
    """A clause inside the element ('clause (ii) of the definition of «X»') given anew: from its mark to the
    next clause's mark (without the 'and' or 'or' before it), or for the last one to the comma the new clause
    ends with, or to the end of the sentence; None unless the
    element holds the mark once. Only replacement: a clause taken out would leave the others misnumbered."""
    mark = ins.target.clause or ""
    body = text[start:end]
    hits = [m.start() for m in re.finditer(re.escape(mark), body)]
    if ins.op != "replace" or len(hits) != 1:
        return None
    a = hits[0]
    rep = _fold(new)
    nxt = _next_mark(mark)
    b = body.find(nxt, a) if nxt else -1
    if b >= 0:
        tail = re.search(r"(?:\s+(?:and|or|and/or))?\s*$", body[a:b])
        b = a + tail.start()
    else:
        # the last clause: to the comma or semicolon the new clause ends with ("(ii) $1,894,440, but in no
        # event ..."), else to the end of the sentence
        stop = re.search(rf"{re.escape(rep[-1])}(?=\s)" if rep[-1:] in (",", ";") else r"\.(?=\s|$)", body[a:])
        b = a + (stop.end() if rep[-1:] in (",", ";") else stop.start()) if stop else len(body.rstrip())
    if not rep.startswith(mark):
        rep = f"{mark} {rep}"
    return (start + a, start + b), rep


def _on_line(text: str, start: int, end: int, hits: list[tuple[int, int]], ins: Instruction) -> list[tuple[int, int]]:
    """The occurrences that begin on the printed line the sticker counts ("in the fourth line of the
    paragraph"), lines counted within ``text[start:end]``; all of them when no line is counted."""
    o = ins.target.ordinal
    if o is None or o.line is None:
        return hits
    lines, pos = [], start
    for ln in text[start:end].split("\n"):
        if ln.strip():
            lines.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    if o.line > len(lines):
        return []
    a, b = lines[o.line - 1]
    return [h for h in hits if a <= h[0] < b]


def _bullet_append(text: str, start: int, end: int, new: str) -> tuple[tuple[int, int], str]:
    """Words added at the end of a bullet point ("... is revised by adding the following at the end thereof"):
    in its text, before the list's punctuation that closes it (";", "; and", ", or"), or after its last
    sentence when the words are a sentence of their own."""
    new = _fold(new)
    body = text[start:end].rstrip()
    m = re.search(r"\s*(?:[;,](?:\s+(?:and|or|and/or))?|\.)$", body)
    sentence = new[:1].isupper() and new.rstrip().endswith((".", "!", "?"))
    if m and not (sentence and m.group().strip() == "."):
        at = start + m.start()
        return (at, at), " " + new.rstrip(".;,")
    at = start + len(body)
    return (at, at), " " + new


def _with_a_space(text: str, a: int, b: int) -> tuple[int, int]:
    """The span of words to delete, with one space next to them (before, or after at a line's start) so
    no double space is left."""
    if not text[a:a + 1].isalnum() and text[a:a + 1] not in "(\"“‘$":
        return a, b  # ", subject to a cap," taken from "outparcel, subject to a cap, upon": the space after stays
    if a > 0 and text[a - 1] == " ":
        return a - 1, b
    if b < len(text) and text[b] == " ":
        return a, b + 1
    return a, b


def _substitute_text(ins: Instruction) -> str:
    """What replaces the old wording: the sticker's words, without the sentence's own period
    (unless the old wording ended with one too)."""
    new = _new_text(ins)
    old = ins.target.old_text or ""
    return new if old.rstrip().endswith(".") else new.rstrip(".")
