"""The new text as it goes into the document, and whether it can be what the target needs.

What belongs here: the new text without its delimiters (wrapping quotes, cell marks), wrapped as the
document's prose is, and the checks that refuse a new text that cannot be right (a definition that
defines nothing, a replacement that ran on into the next instruction)."""

from __future__ import annotations

import re
import textwrap

from ..models import (
    Instruction,
)
from .match import _fold, _plain
from .tables import _RULE_LINE, _cell_rows

WRAP = 78


def _unquote(s: str) -> str:
    t = s.strip()
    pairs = {"“": "”", '"': '"', "‘": "’", "'": "'"}
    if len(t) >= 2 and t[0] in pairs and t.endswith(pairs[t[0]]):
        inner = t[1:-1]
        # Only when the quotes wrap the whole text, not two quoted pieces.
        if pairs[t[0]] not in inner[:-1] or t[0] == pairs[t[0]] and inner.count(t[0]) == 0:
            return inner.strip()
    if len(t) >= 3 and t[0] in pairs and t.endswith(pairs[t[0]] + "."):
        inner = t[1:-2]
        if pairs[t[0]] not in inner:
            return inner.strip()
    return t


_CELL_MARK = re.compile(r"^([ \t]*)\|")


_EMPTY_CELL = re.compile(r"^[ \t]*\|[ \t]*(?:\n|$)", re.M)


def _strip_cell_marks(s: str) -> str:
    """The text without the ``|`` that starts a line: in the text of an HTML sticker it marks a
    table cell (the conversion put each cell on its own line) and is never part of the wording.
    A cell left empty leaves no line."""
    if "|" not in s:
        return s
    s = _EMPTY_CELL.sub("", s)
    return "\n".join(_CELL_MARK.sub(r"\1", ln) for ln in s.split("\n"))


def _new_text(ins: Instruction) -> str:
    """The instruction's new text as it goes into the document: cell marks and the quotation
    marks wrapping the whole of it dropped."""
    return _unquote(_strip_cell_marks(ins.new_text or ""))


def _wrap_prose(new: str, indent: str = "", first_width: int = WRAP) -> str:
    """Keep the sticker's line breaks, but wrap again a paragraph given as one long line or in lines
    longer than the text's own."""
    lines = new.split("\n")
    if all(len(ln) <= WRAP + 2 for ln in lines):
        return "\n".join(ln.rstrip() if i == 0 else indent + ln.strip() if ln.strip() else ""
                         for i, ln in enumerate(lines))
    # paragraphs are parted by blank lines; the lines of one paragraph are joined and wrapped again
    paras = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", new) if p.strip()]
    out = []
    for k, p in enumerate(paras):
        w = textwrap.wrap(p, width=WRAP, subsequent_indent=indent, initial_indent=indent,
                          break_long_words=False, break_on_hyphens=False)
        if k == 0 and w:
            # The first line continues where the replaced element started.
            w = textwrap.wrap(p, width=WRAP, subsequent_indent=indent,
                              initial_indent=" " * (WRAP - first_width),
                              break_long_words=False, break_on_hyphens=False)
            w[0] = w[0].lstrip()
        out.append("\n".join(w))
    return "\n\n".join(out)


def _column(text: str, pos: int) -> int:
    return pos - (text.rfind("\n", 0, pos) + 1)


# The wording of an amending instruction itself. A prospectus supplement does not say of its
# own text that it "is hereby amended", "is deleted in its entirety", "is changed to "9.50%"",
# "should read:" or that "the following paragraph is added"; a new text holding such words has
# most likely run on into the next instruction. (Plain "is deleted" or "is replaced by" are not
# enough: "a mortgage loan that is deleted from the trust" is ordinary prospectus prose.)
_ACTION_WORDING = re.compile(
    r"\b(?:is|are)\s+hereby\s+(?:deleted|replaced|amended|changed|revised|restated|supplemented"
    r"|modified|inserted|added|corrected)\b"
    r"|\b(?:is|are)\s+(?:deleted|replaced|amended|restated|revised)\s+in\s+(?:its|their)\s+entirety\b"
    r"|\b(?:is|are)\s+(?:(?:deleted|removed)\s+and\s+)?(?:replaced|amended|changed|revised|restated)"
    r"\s+(?:with|by|to\s+read(?:\s+as\s+follows)?)\s*(?:the\s+following\b|:)"
    r"|\b(?:is|are)\s+(?:changed|replaced|amended|revised|corrected)\s+(?:to|with|by)\s+[\"“‘]"
    r"|\bshould\s+(?:be\s+(?:deleted|replaced|amended|revised|changed|corrected)\b|read\s*(?:as\s+follows)?\s*:)"
    r"|\bthe\s+following\s+(?:new\s+)?(?:paragraph|sentence|text|language|bullet(?:\s+point)?|definition"
    r"|table|row|column|risk\s+factor|section|subsection|disclosure)s?\s+(?:is|are|will\s+be|shall\s+be)"
    r"\s+(?:hereby\s+)?(?:added|inserted|substituted)\b"
    # A sticker's locator and its closing words, which name "the Prospectus Supplement" from
    # outside (the supplement's own text says "this prospectus supplement").
    r"|\bon\s+page\s+S-\d+\s+of\s+the\s+prospectus\s+supplement\b"
    r"|\bnotwithstanding\s+anything\s+(?:to\s+the\s+contrary\s+)?(?:contained\s+)?in\s+the\s+prospectus\s+supplement\b"
    r"|\bcapitali[sz]ed\s+terms\b[^.]{0,80}?\bherein\b[^.]{0,80}?\bthe\s+prospectus\s+supplement\b",
    re.I,
)


# Words that give a term its meaning ("X" means ..., X: ..., X refers to ...).
_DEFINING = re.compile(r"\bmeans\b|\bshall\s+mean\b|\brefers?\s+to\b|\bis\s+defined\b"
                       r"|\bhas\s+the\s+meaning\b|:", re.I)


# A paragraph may legitimately shrink to a placeholder.
_PLACEHOLDER = re.compile(r"^\W*(?:\[.*\]|reserved|intentionally\s+(?:omitted|left\s+blank|deleted)"
                          r"|omitted|none|not\s+applicable|n/?a)\W*$", re.I)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*\S")


def _words(s: str) -> list[str]:
    return re.findall(r"[\w$%][\w$%.,'’/-]*", _plain(s))


def _bare(s: str) -> str:
    """Plain, case-folded, without quotation marks: for asking whether a text names a term."""
    return _fold(re.sub(r"[\"']", "", _plain(s)).casefold())


def _looks_tabular(new: str) -> bool:
    """Columns, rows or figures: what any form of a table has and prose lacks.

    A table comes laid out (a rule of dashes; lines with columns set apart by runs of spaces),
    one cell per line (``|`` cells of an HTML sticker; many short lines), or folded flat, when
    it is still mostly figures. A prose paragraph has none of these: its lines are long and
    its words mostly words.
    """
    lines = [ln for ln in new.split("\n") if ln.strip()]
    if any(_RULE_LINE.match(ln) for ln in lines) or _cell_rows(new):
        return True
    if sum(bool(re.search(r"\S {2,}\S", ln.strip())) for ln in lines) >= 2:
        return True
    if len(lines) >= 4 and sorted(len(ln.strip()) for ln in lines)[len(lines) // 2] < 40:
        return True
    tokens = _plain(new).split()
    figures = [w for w in tokens if re.search(r"\d", w)]
    return len(figures) >= 3 and len(figures) >= 0.15 * len(tokens)


def implausible_new_text(ins: Instruction) -> str | None:
    """Why the instruction's new text cannot be what its target needs, or None when it can be."""
    if ins.new_text is None or ins.op in ("delete", "notice", "unsupported"):
        return None
    raw = ins.new_text
    new = _unquote(raw)
    t = ins.target
    if not new.strip():
        # Words may be struck out ("the words "or the servicer" are deleted"); a paragraph, a
        # definition or a table replaced by nothing is a delete, which the parser says as such.
        if ins.op == "substitute" or t.old_text:
            return None
        return f"the new text is empty: nothing to {ins.op}"
    m = _ACTION_WORDING.search(raw)
    if m:
        return (f"the new text holds the wording of an instruction ({_fold(m.group())!r}): "
                f"it likely runs on into the next one")
    if ins.op == "substitute" or t.old_text:
        # A changed word or figure stays within its sentence.
        if _PARAGRAPH_BREAK.search(new) and not _PARAGRAPH_BREAK.search(t.old_text or ""):
            return "the new wording runs over a paragraph break, which the old wording does not"
        return None
    if ins.op != "replace":
        return None
    words = _words(new)
    if t.kind == "definition":
        # A definition says what its term means: it names the term and says more than it, or it
        # carries the defining words ("means", a colon). The bare term is not a definition.
        term_words = _words(t.term or "")
        if len(words) < len(term_words) + 4:
            return (f"the new text ({_fold(new)[:60]!r}) is too short to define "
                    f"{t.term or 'a term'!r}")
        if t.term and _bare(t.term) not in _bare(new) and not _DEFINING.search(new):
            return f"the new text neither names {t.term!r} nor says what it means"
    elif t.kind == "risk_factor":
        # A risk factor is a title line and a body; its replacement starts with a title: either
        # on a line of its own, or the title named (when the text was folded onto one line).
        lines = [ln.strip() for ln in new.strip().split("\n") if ln.strip()]
        own_line = len(lines) >= 2 and len(lines[0]) <= 300 and len(_words(" ".join(lines[1:]))) >= 5
        named = bool(t.term) and _bare(new).startswith(_bare(t.term)) \
            and len(words) >= len(_words(t.term)) + 5
        if not (own_line or named):
            return "the new text does not read as a risk factor: a title followed by its body"
    elif t.kind == "table":
        if not _looks_tabular(new):
            return "the new text does not look like a table: no columns, rows or figures"
    elif t.kind == "sentence":
        if _PARAGRAPH_BREAK.search(new.strip()):
            return "the new text runs over a paragraph break: it is more than a sentence"
    elif t.kind == "paragraph":
        # A paragraph is prose: a few words without an end (a bare term or heading) are a piece
        # of the sticker, unless they are a placeholder ("[Reserved]", "Intentionally omitted").
        if len(words) <= 3 and not re.search(r"[.:;!?)\]]\W*$", new.strip()) \
                and not _PLACEHOLDER.match(new.strip()):
            return f"the new text ({_fold(new)!r}) is a fragment, not a paragraph"
    return None
