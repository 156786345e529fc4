"""Scanning a sticker: where instructions begin, where their new text ends, notices and boilerplate."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..models import Amendment, Instruction, Notice, Target
from ..text import fold_space, is_abbreviation
from .actions import (
    _INSERTS,
    _VALUE_KINDS,
    ACTIONS,
    _Clause,
    _clean_value,
    _has_locator_evidence,
    _parse_header,
    listed_deletions,
)
from .fold import _CLOSE, _OPEN, _fold
from .vocabulary import (
    _DOCUMENT_SUBJECT,
    _EDIT_WORDS,
    _LABEL,
    _LOCUS_RE,
    _NOUN,
    _PAGES_RE,
    _pages,
)

# --- scanning a sticker ----------------------------------------------------------------------

_MARKER_LINE = re.compile(r"^[ \t]*(?:\|[ \t]*)*(?:(?P<num>\d{1,2})\.|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)|[a-z]\.|[•·●▪◦■□➢\-\*o])?[ \t]*(?:\|[ \t]*)*$")
_LEADING_MARKER = re.compile(r"[ \t]*(?:\|[ \t]*)*(?:(?P<num>\d{1,2})\.[ \t]+|\((?:\d{1,2}|[a-z])\)[ \t]+|[•·●▪◦■➢][ \t]*|o[ \t]+(?=[A-Z]))?(?:\|[ \t]*)*")
_BULLET_CHARS = "•·●▪◦■➢"
_BOILERPLATE = re.compile(
    r"(?:all (?:of the )?other (?:portions|parts|provisions|information|terms|sections)\b"
    r"|capitalized terms (?:used|not defined|that are used)"
    r"|until \d+ days after the date"
    r"|the date of this (?:prospectus )?supplement is"
    r"|this (?:prospectus )?supplement is dated"
    r"|\(?continued on (?:the )?(?:following|next|inside))"
    r"|(?:cusip|isin)(?: nos?\.| numbers?)?\s*:",  # the identifiers that close a pricing supplement
    re.I,
)
# Closing sentences of any wording: what stays as it was, and how to read the supplement. Only where the
# sentence speaks of the document, so that new text saying a rate "remains unchanged" is not cut.
_CLOSING = re.compile(
    r"\b(?:remains?|shall remain|will remain|continues? to (?:be|apply)|is|are) (?:otherwise )?"
    r"(?:unchanged|unmodified|unamended|not (?:amended|modified|changed)|in full force and effect)\b"
    r"|\b(?:should|must|may) (?:be )?read (?:this (?:\w+ )?supplement |it |them )?(?:together|in conjunction) with\b"
    r"|\bthis (?:\w+ )?supplement (?:should|must|is to) be read\b"
    r"|^except as (?:described|set forth|amended|modified|supplemented|provided|stated|noted|otherwise)\b",
    re.I,
)
_DOCUMENT_WORDS = re.compile(r"\b(?:prospectus|supplement|memorandum|circular|terms|information|provisions|document)\b", re.I)


def _closing(h: str, lines_before: str = "") -> bool:
    """Whether a sentence is boilerplate that closes a sticker (never an instruction, never new text).

    ``lines_before`` is the sentence's raw text before its closing words: a closing sentence is one
    sentence, so lines of other text before them (table rows that ran into it) are not part of it,
    unless every line holds a word or three (text laid out one word per line).
    """
    if _BOILERPLATE.match(h):
        return True
    m = _CLOSING.search(h) if len(h) < 300 else None
    if not (m and m.start() < 150 and _DOCUMENT_WORDS.search(h)):
        return False
    lines = lines_before.split("\n")
    return len(lines) == 1 or all(len(ln.split()) <= 3 for ln in lines)


_FIRM = re.compile(
    r"\b(?:Securities|Capital|Markets|Brothers|Bank|Banc|Bancorp|Corporation|Corp\.|Inc\.|LLC|L\.L\.C\.|Ltd\.|"
    r"Co\.|Group|Partners|Boston|Sachs|Stanley|Lynch|Humphrey|Citigroup|Barclays|UBS|Suisse|Deutsche|Lehman|"
    r"Merrill|Goldman|Stearns|Morgan|RBS|Greenwich|Countrywide|Wachovia|JPMorgan|Nomura|Mizuho|Underwriters?|"
    r"Underwriting|CITIGROUP|LEHMAN BROTHERS|GOLDMAN|MORGAN|MERRILL|BEAR|STEARNS|SECURITIES|CAPITAL)\b|&",
)


@dataclass
class _Candidate:
    line_start: int  # where a boundary here cuts the preceding text (markers included)
    start: int  # where the words begin
    number: int | None  # "2." item number when the line is a numbered item
    bullet: bool
    at_line: bool


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    i = 0
    for line in text.splitlines(keepends=True):
        spans.append((i, i + len(line.rstrip("\r\n"))))
        i += len(line)
    return spans


def _candidates(text: str) -> list[_Candidate]:
    """Where an instruction may begin: line starts (after cell, bullet and number markers), sentence starts."""
    lines = _line_spans(text)
    out: list[_Candidate] = []
    pending: tuple[int, int | None, bool] | None = None  # marker-only lines waiting for their content
    prev_line = ""
    for a, b in lines:
        line = text[a:b]
        if not line.strip() or _RULE.match(line):
            prev_line = ""
            continue
        mm = _MARKER_LINE.match(line)
        if mm:
            num = int(mm.group("num")) if mm.group("num") else None
            bullet = any(ch in line for ch in _BULLET_CHARS) or bool(re.search(r"^\s*\|?\s*[o\-\*]\s*$", line))
            if pending is None:
                pending = (a, num, bullet)
            else:
                pending = (pending[0], pending[1] if pending[1] is not None else num, pending[2] or bullet)
            prev_line = ""
            continue
        lm = _LEADING_MARKER.match(line)
        start = a + lm.end()
        num = int(lm.group("num")) if lm.group("num") else None
        bullet = any(ch in text[a:start] for ch in _BULLET_CHARS)
        line_start = a
        if pending is not None:
            line_start, num, bullet = pending[0], pending[1] if pending[1] is not None else num, pending[2] or bullet
            pending = None
            valid = True
        else:
            # a wrapped line that continues a sentence ("of the\nfollowing") is not a start, unless it
            # opens the closing words (after a last list item ending in ";")
            valid = (not _continues_sentence(prev_line) or text[a:start].strip() != "" or not prev_line.strip()
                     or bool(_BOILERPLATE.match(line[start - a:]) or _CLOSING.match(line[start - a:])))
        if valid:
            out.append(_Candidate(line_start, start, num, bullet, True))
        # sentence starts inside the line
        for sm in re.finditer(r"(?<=[.:;!?”\"’)])\s+(?=[A-Z“\"])", line):
            pos = a + sm.end()
            if pos <= start:
                continue
            w = re.search(r"([\w.]+)[.]\S*$", line[: sm.start()])
            if w and is_abbreviation(w.group(1)):
                continue
            out.append(_Candidate(pos, pos, None, False, False))
        prev_line = line
    return out


def _continues_sentence(prev_line: str) -> bool:
    """Whether the line after ``prev_line`` goes on with its sentence ('... of the' / 'Agent')."""
    words = prev_line.split()
    if not words:
        return False
    last = words[-1]
    return last[-1] in ",;-(" or (last[:1].islower() and last[-1].isalnum())


_STARTER = re.compile(
    r"\s*(?:\|\s*)*(?:\d{1,2}\.\s+|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)\s+|[•·●▪◦■➢]\s*)?"
    r"(?:The|This|These|On|In|Under|Notwithstanding|Reference|References|Capitalized|All|Each|Effective|Investors|"
    r"Please|Unless|Any|If|We|You|Our|Insert|Replace|Delete|Add|Except)\b|\s*[“\"]"
)
# A rule drawn across the page ("___________", "-----"): it ends what comes before it.
_RULE = re.compile(r"^[ \t|]*[_\-=*~]{3,}[ \t|]*$")
# A line that opens with a list marker and words: the next item, never the sentence before running on.
_ITEM_LINE = re.compile(r"\s*(?:\|\s*)*(?:\d{1,2}\.\s+|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)\s+|[•·●▪◦■➢]\s*)\S")


def _sentence_end(text: str, i: int, limit: int = 2500) -> int:
    """End of the sentence starting at ``i``: after its final period or colon (outside quotes)."""
    n = min(len(text), i + limit)
    curly = 0
    straight = False
    opened = i
    j = i
    while j < n:
        c = text[j]
        if c == "\n":
            k = text.find("\n", j + 1)
            nxt = text[j + 1 : k if k >= 0 else len(text)]
            if not nxt.strip() or nxt.lstrip().startswith("|") or nxt.strip().upper() == "<PAGE>" or _RULE.match(nxt):
                return _rstrip_pos(text, i, j)
            if _MARKER_LINE.match(nxt) and _marker_opens_item(text, i, j, k if k >= 0 else len(text)):
                return _rstrip_pos(text, i, j)
            if curly == 0 and not straight and _ITEM_LINE.match(nxt):
                return _rstrip_pos(text, i, j)
            if curly == 0 and not straight:
                prev = text[i:j].rstrip()
                # a closing quote ends its line's sentence; a cover line ("Series 2003-3") does not run
                # into the sentence that starts on the next line
                if prev.endswith(("”", '"', "’’")) and prev[-2:-1] not in (",",) and _STARTER.match(nxt):
                    return _rstrip_pos(text, i, j)
                last = prev.split()[-1] if prev.split() else ""
                if _STARTER.match(nxt) and (last[:1].isupper() or last[:1].isdigit() or last.endswith(")")):
                    return _rstrip_pos(text, i, j)
        elif c == "“" or text.startswith("‘‘", j):
            curly += 1
            opened = j
        elif c == "”" or text.startswith("’’", j):
            curly = max(0, curly - 1)
            if curly == 0 and not straight and _quote_ends_sentence(text, opened, j, n):
                return j + 1
        elif c == '"':
            straight = not straight
            if straight:
                opened = j
            elif curly == 0 and _quote_ends_sentence(text, opened, j, n):
                return j + 1
        elif curly == 0 and not straight:
            if c == ":" and (j + 1 >= n or text[j + 1].isspace()):
                return j + 1
            if c in ".!?" and (j + 1 >= n or text[j + 1].isspace()):
                nxt = text[j + 1 : j + 40].lstrip()
                word = re.search(r"([\w.]+)$", text[max(i, j - 12) : j])
                # "Corp. and" or "approx. five" go on; so does "Inc. (" after an abbreviation
                if not nxt[:1].islower() and not (c == "." and word and is_abbreviation(word.group(1))
                                                   and nxt[:1] in "(,;"):
                    return j + 1
        j += 1
    return _rstrip_pos(text, i, j)


def _marker_opens_item(text: str, i: int, j: int, k: int) -> bool:
    """Whether the marker alone on the line ``text[j+1:k]`` opens a new item, ending the sentence begun
    at ``i``: after a finished sentence or a colon, or before a capitalised line; in text laid out one
    word per line a lone dash, "o" or "(4)" inside a sentence ("Summary\n-\nAdvances", "footnote\n(4)\nto
    the table") is one of its words."""
    if text[i:j].rstrip().endswith((".", ":", ";")):
        return True
    marker = text[j + 1 : k].strip().strip("|").strip()
    if marker in ("-", "o", "*"):
        return False
    after = re.match(r"[\s|]*(\S)", text[k:])
    return after is None or not after.group(1).islower()


def _quote_ends_sentence(text: str, opened: int, closing: int, n: int) -> bool:
    """A closing quotation mark after a stop ends the sentence ('... the “Record Date.”'), unless the
    quotation is punctuation alone ('the “.” is deleted')."""
    if text[closing - 1] not in ".!?" or not (closing + 1 >= n or text[closing + 1].isspace()):
        return False
    after = text[closing + 1 : closing + 40].lstrip()
    if after[:1].islower():
        return False  # '... “Wells Fargo Bank, N.A.” in the Prospectus Supplement ...' goes on
    return any(ch.isalnum() for ch in text[opened:closing])


def _rstrip_pos(text: str, i: int, j: int) -> int:
    while j > i and text[j - 1].isspace():
        j -= 1
    return j


@dataclass
class _Item:
    kind: str  # "instruction" | "notice"
    start: int
    end: int
    clause: _Clause | None = None
    source: str = ""
    notice_text: str = ""
    block_from: int | None = None  # raw offset where its block of new text begins
    number: int | None = None


def parse_amendment(text: str) -> Amendment:
    """Parse a sticker's text into its instructions and notices, in filing order (n from 1)."""
    cands = _candidates(text)
    items: list[_Item] = []
    cursor = 0
    open_block: _Item | None = None
    last_number: int | None = None
    context: Target | None = None
    started = False

    group_locus: str | None = None  # set by a group header such as "Front Cover Page:"
    group_pages: tuple[str, ...] = ()  # set by a page header such as "Page S-5" or "1. Page S-5."
    group_number: int | None = None  # the numbered item a page header belongs to

    def close(at: int, trailing: bool, before_instruction: bool = False) -> None:
        nonlocal open_block, group_locus
        if open_block is None:
            return
        # a group header ("Summary of Terms:") just before the next instruction is not new text
        lines = text[open_block.block_from : at].rstrip().split("\n")
        g = _GROUP.fullmatch(lines[-1].strip(" \t|")) if len(lines) > 1 else None
        if g and before_instruction:
            at = open_block.block_from + len("\n".join(lines[:-1]))
            group_locus = _group_locus(g.group("g"))
        _finish_block(text, open_block, at, trailing)
        open_block = None

    for cand in cands:
        if cand.start < cursor:
            continue
        end = _sentence_end(text, cand.start)
        if end <= cand.start:
            continue
        folded = _fold(text, cand.start, end)
        h = folded.s
        closing = _CLOSING.search(h)
        before = text[cand.start : folded.raw(closing.start())] if closing else ""
        if _closing(h, before) or _BOILERPLATE.match(text[cand.start : end].strip()):
            close(cand.line_start, trailing=True)
            cursor = end
            continue
        if open_block is not None and cand.number is not None and last_number is not None and cand.number == last_number + 1:
            close(cand.line_start, trailing=False)
        if cand.number is not None and group_number is not None and cand.number != group_number:
            group_pages = ()
        gp = _page_group(h) if (cand.at_line or cand.start == cursor) else ()
        if gp:
            # "Page S-5" (or "1. Page S-5.") heading the instructions that follow: a locator, not new text
            close(cand.line_start, trailing=True, before_instruction=True)
            group_pages, group_number = gp, cand.number
            if cand.number is not None:
                last_number = cand.number
            cursor = end
            started = True
            continue
        parsed = _parse_header(h, context) if len(h) < 2000 else None
        if parsed == "leadin":
            if open_block is None:
                started = True
                cursor = end
            continue
        if parsed == "fact":
            # a statement of a new figure is a notice where it stands alone, and words of the new text
            # where a block is open
            parsed = "notice" if open_block is None else None
        if isinstance(parsed, list) and open_block is not None and not _ends_block(text, open_block, cand, h):
            # prose of the new text that reads like an edit ("the margin will be increased from 0.50% to
            # 1.00%"): words of the block
            parsed = None
        if parsed == "notice" and (cand.at_line or open_block is None):
            close(cand.line_start, trailing=True)
            nend = _notice_end(text, cand.start, end, cands)
            items.append(_Item("notice", cand.start, nend, notice_text=fold_space(text[cand.start:nend])))
            cursor = nend
            started = True
            continue
        if isinstance(parsed, list) and len(parsed) == 1 and parsed[0].listed:
            # "The following ... are deleted: (a) ...; (b) ...": the items, to the end of the paragraph
            list_end = _paragraph_end(text, end, cands)
            listed = listed_deletions(_fold(text, end, list_end).s, context)
            close(cand.line_start, trailing=True, before_instruction=True)
            started = True
            if listed is None:
                items.append(_Item("instruction", cand.start, list_end, clause=None, source=_strip_source(h)))
            else:
                for c in listed:
                    items.append(_Item("instruction", cand.start, list_end, clause=c, source=_strip_source(h),
                                       number=cand.number))
                    context = c.target
            cursor = list_end
            continue
        if isinstance(parsed, list):
            close(cand.line_start, trailing=True, before_instruction=True)
            started = True
            for c in parsed:
                a, b = folded.raw(c.start), folded.raw(c.end - 1) + 1 if c.end > 0 else cand.start
                colon = h.rfind(":", c.start, c.end)
                src_end = c.end if colon < 0 else colon + 1
                t = c.target
                if group_locus and not (t.page or t.heading or t.locus):
                    c.target = t = dataclasses.replace(t, locus=group_locus)
                if group_pages and not (t.page or t.locus) and t.scope != "all":
                    c.target = dataclasses.replace(t, page=group_pages[0], pages=group_pages if len(group_pages) > 1 else ())
                item = _Item("instruction", a if c.start else cand.start, b, clause=c,
                             source=_strip_source(h[c.start:src_end]), number=cand.number)
                items.append(item)
                context = c.target
                if c.block and c.new_text is None:
                    after = end if c.text_from is None else folded.raw(c.text_from)
                    inline = _inline_text(text, after) if c.text_from is None else None
                    edit = _edit_on_line(text, after, c) if inline is None and c.text_from is None else None
                    if edit is not None:
                        # "... is amended as follows: 3.6% shall be deleted and replaced with 7.4%."
                        item.clause, iend = edit
                        item.end = cursor = iend
                        context = item.clause.target
                    elif inline is not None:
                        new, iend = inline
                        c.new_text = _clean_value(new) if c.target.kind in _VALUE_KINDS and c.op not in _INSERTS else new
                        item.end = iend
                        cursor = iend
                    else:
                        item.block_from = after
                        item.end = after
                        open_block = item
                        cursor = after
                else:
                    cursor = end
            if cand.number is not None:
                last_number = cand.number
            continue
        # not a header: maybe an unsupported instruction
        if _looks_like_instruction(h, strong=not started or open_block is not None):
            if open_block is not None and not (cand.at_line and (h.endswith(":") or (
                    _instruction_shaped(h) and _block_complete(text, open_block.block_from, cand.line_start)))):
                continue
            close(cand.line_start, trailing=True)
            item = _Item("instruction", cand.start, end, clause=None, source=_strip_source(h))
            items.append(item)
            if h.endswith(":") and _inline_text(text, end) is None:
                item.block_from = end
                open_block = item
            cursor = end
            started = True
            continue
        if open_block is None and started:
            g = _GROUP.fullmatch(h)
            if g:
                group_locus = _group_locus(g.group("g"))
    close(len(text), trailing=True)
    return _assemble(items)


_GROUP = re.compile(r"(?P<g>[A-Z][\w'’&-]*(?: [\w'’&-]+){0,5}):")


_PAGE_GROUP = re.compile(
    r"^(?:(?:on|at|in) )?(?P<p>[Pp]ages? .+?)(?:,? (?:of|in) the (?:\w+ )?(?:prospectus supplement|prospectus|supplement))?\s*[.:]?$",
    re.I,
)


def _page_group(h: str) -> tuple[str, ...]:
    """The pages a header line names when it says nothing else ("Page S-5", "On page S-5:"), else ()."""
    m = _PAGE_GROUP.match(h)
    if not m:
        return ()
    pm = _PAGES_RE.match(m.group("p"))
    if not pm or pm.end() != len(m.group("p").rstrip()):
        return ()
    return _pages(m.group("p"))


def _group_locus(group: str) -> str | None:
    """The place a group header names for the instructions under it ("Front Cover Page:")."""
    m = _LOCUS_RE.search(group)
    return f"{(m.group('side') or 'front').lower()} cover page" if m else None


def _strip_source(h: str) -> str:
    return h.replace(_OPEN, "“").replace(_CLOSE, "”").strip()


def _looks_like_instruction(h: str, strong: bool) -> bool:
    """Instruction-like words (an edit verb and a locator) that matched no form: report, never drop."""
    if not _EDIT_WORDS.search(h) or _closing(h):
        return False
    if any(a.pattern.search(h) for a in ACTIONS if a.substitution):
        return True  # a quoted new value after an edit verb ("The Closing Date is changed to «X»")
    if _DOCUMENT_SUBJECT.match(h) and not _has_locator_evidence(h):
        return False
    if strong:
        return bool(_PAGES_RE.search(h) or re.search(rf"\b(?:under|entitled|titled|captioned) (?:the \w+ )?(?:entitled |titled )?{_OPEN}", h))
    return _has_locator_evidence(h)


_PASSIVE_EDIT = re.compile(
    r"\b(?:is|are|shall be|should be|has been|have been|must be)(?: hereby)?(?: (?:deleted|removed|struck)(?: in (?:its|their) "
    r"entirety)?,? and)? (?:deleted|removed|struck|replaced|amended|revised|changed|modified|restated|inserted|added|"
    r"supplemented|corrected|substituted)\b|\b(?:should|shall) (?:hereby )?read\b",
    re.I,
)
_ANY_NOUN = _NOUN.replace("(?P<noun>", "(?:")
_LOCATOR_OPENING = re.compile(
    rf"^(?:(?:on|in|under|within) (?:pages? {_LABEL}|(?:the )?{_OPEN}|the (?:[\w,-]+ ){{0,3}}{_ANY_NOUN})"
    rf"|(?:all|each|every|any) (?:of the )?(?:references?|occurrences?)\b|references? to\b"
    rf"|the (?:[\w-]+ ){{0,3}}{_NOUN}|the (?:reference|references|words?|phrase|figure|percentage) )",
    re.I,
)


def _instruction_shaped(h: str) -> bool:
    """A sentence built like an instruction: it opens with a locator and carries a passive edit verb.

    Used inside a block of new text, where prose may mention pages and headings: only such a sentence,
    at a line start after a finished sentence, ends the block (and is reported when no form reads it).
    """
    return bool(_LOCATOR_OPENING.match(h) and _PASSIVE_EDIT.search(h) and _has_locator_evidence(h))


def _ends_block(text: str, block: _Item, cand: _Candidate, h: str) -> bool:
    """Whether an instruction read inside an open block of new text ends it: it starts a line, and names
    a place (a page, a heading, an element) or is a numbered item."""
    if not cand.at_line:
        return False
    if cand.number is not None:
        return True
    named = _has_locator_evidence(h) or (_OPEN in h and bool(_LOCATOR_OPENING.match(h)))
    return named and (bool(_PASSIVE_EDIT.search(h)) or h.endswith(":") or bool(_STARTER.match(h)))


def _block_complete(text: str, block_from: int, at: int) -> bool:
    """Whether the new text before ``at`` ends a sentence (a period or a closing quotation mark)."""
    tail = text[block_from:at].rstrip().rstrip("|").rstrip()
    return bool(tail) and tail[-1] in ".!?”\"’)"


def _inline_text(text: str, after: int) -> tuple[str, int] | None:
    """New text given on the header's own line after the colon, when it is quoted: (text, end)."""
    j = after
    while j < len(text) and text[j] in " \t":
        j += 1
    if j >= len(text) or text[j] in "\r\n":
        return None
    quotes = {"“": "”", '"': '"', "‘": "’"}
    if text.startswith("‘‘", j) or text.startswith("``", j):
        close_q = "’’" if text[j] == "‘" else "''"
        k = text.find(close_q, j + 2)
        if k > 0 and _ends_line(text, k + 2):
            return text[j + 2 : k].strip(), _after_punct(text, k + 2)
        return None
    if text[j] in quotes:
        close_q = quotes[text[j]]
        depth = 0
        k = j
        while k < len(text):
            ch = text[k]
            if text[j] == "“" and ch == "“":
                depth += 1
            elif ch == close_q and k > j:
                if text[j] == "“":
                    depth -= 1
                    if depth == 0:
                        break
                else:
                    break
            k += 1
        if k < len(text) and _ends_line(text, k + 1):
            return text[j + 1 : k].strip(), _after_punct(text, k + 1)
    return None


def _ends_line(text: str, k: int) -> bool:
    """Whether only punctuation and spaces follow offset ``k`` on its line (a closing quote ends the text)."""
    e = text.find("\n", k)
    return not text[k : len(text) if e < 0 else e].strip(" \t.,;:|")


def _after_punct(text: str, k: int) -> int:
    while k < len(text) and text[k] in ".,;":
        k += 1
    return k


def _notice_end(text: str, start: int, first_end: int, cands: list[_Candidate]) -> int:
    """A notice runs to the end of its paragraph: a blank line, the next header or boilerplate.

    In a text with one paragraph per line (a sticker filed as HTML) its paragraph ends with the line
    that ends its sentence; a notice that ends in a colon ("... are as set forth below:") takes the
    paragraph it introduces too.
    """
    if not re.search(r"\n[ \t]*\n", text[first_end : first_end + 3000]):
        end = _line_end(text, max(start, first_end - 1))
        if text[start:first_end].rstrip().endswith(":"):
            nxt = re.search(r"\S", text[end:])
            if nxt:
                end = _line_end(text, end + nxt.start())
        return _rstrip_pos(text, start, end)
    m = re.search(r"\n[ \t]*\n", text[first_end:])
    end = first_end + m.start() if m else len(text)
    for c in cands:
        if first_end <= c.start < end:
            seg_end = _sentence_end(text, c.start)
            h = _fold(text, c.start, seg_end).s
            if _closing(h) or isinstance(_parse_header(h, None), list):
                end = c.line_start
                break
    return _rstrip_pos(text, start, end)


def _paragraph_end(text: str, start: int, cands: list[_Candidate]) -> int:
    """Where a list that goes on from ``start`` ends: its items may stand on lines of their own ("(a) ...",
    with blank lines between); a line that is no item after a finished item, closing words, or a blank
    line before anything but an item ends it."""
    pos = start
    end = start
    seen_item = False
    for line in text[start:].split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        words = line.strip().strip("|").strip()
        if not words:
            continue
        item = bool(_LIST_ITEM.match(line))
        first = line_start == start
        if not first and not item:
            if _closing(_fold(text, line_start, _sentence_end(text, line_start + len(line) - len(line.lstrip()))).s):
                break
            finished = text[start:end].rstrip().endswith((".", ":")) or not seen_item
            blank_before = not text[end:line_start].strip() and "\n\n" in text[end:line_start].replace(" ", "")
            if blank_before or (finished and seen_item):
                break
        seen_item = seen_item or item
        end = line_start + len(line)
    return _rstrip_pos(text, start, end)


_LIST_ITEM = re.compile(r"\s*(?:\|\s*)*(?:[•·●▪◦■➢]\s*)?\(\s*(?:[a-z]|[ivx]{1,4}|\d{1,2})\s*\)")


def _line_end(text: str, i: int) -> int:
    e = text.find("\n", i)
    return len(text) if e < 0 else e


def _edit_on_line(text: str, after: int, header: _Clause) -> tuple[_Clause, int] | None:
    """An edit that follows a header's colon on its line and names no place of its own: the header's
    place with that edit ("... is amended as follows: «A» is replaced with «B»."), and where it ends."""
    end = _line_end(text, after)
    rest = text[after:end].strip()
    if not rest or header.op not in ("replace", "replace_rows", "append"):
        return None
    got = _parse_header(_fold(text, after, end).s, None)
    if not isinstance(got, list) or len(got) != 1:
        return None
    edit = got[0]
    t = edit.target
    if edit.op not in ("substitute", "delete") or t.kind != "value" or t.page or t.heading or t.ordinal or t.term:
        return None
    target = dataclasses.replace(header.target, kind="value", old_text=t.old_text, term=None, scope=t.scope)
    return _Clause(edit.op, target, edit.new_text, False, (), 0, 0), _rstrip_pos(text, after, end)


def _finish_block(text: str, item: _Item, at: int, trailing: bool) -> None:
    """Cut the item's block of new text at ``at``; drop closing rules and underwriter lines."""
    raw = text[item.block_from : at]
    lines = raw.split("\n")
    if trailing:
        while lines and (not lines[-1].strip().strip("|").strip() or re.fullmatch(r"[\s|_\-=*]{3,}", lines[-1])
                         or _is_firm_line(lines[-1]) or _DATE_LINE.fullmatch(lines[-1].strip().strip("|").strip())):
            lines.pop()
    raw = "\n".join(lines)
    end = item.block_from + len(raw)
    item.end = _rstrip_pos(text, item.start, end)
    if item.clause is not None:
        item.clause.new_text = _clean_block(raw, item.clause.target.kind, item.clause.op)


# the filing's date alone on a closing line ("March 9, 2007"), under the underwriters' names
_DATE_LINE = re.compile(
    r"(?:Dated:? )?(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}\.?",
    re.I,
)


def _is_firm_line(line: str) -> bool:
    s = line.strip().strip("|").strip()
    if not s or len(s) > 60 or re.search(r"\d", s) or len(s.split()) > 7:
        return False
    if not s[0].isupper():
        return False
    if s.endswith(".") and not re.search(r"\b(?:Co|Inc|Corp|Ltd|L\.L\.C|N\.A)\.$", s):
        return False
    return bool(_FIRM.search(s)) or (s.isupper() and len(s.split()) <= 3 and s.isalpha())


# EDGAR's text tables of the 1990s and 2000s: <TABLE>, <CAPTION>, <FN> lines, and <S> and <C> marking
# where the columns start; layout, not words
_SGML_TABLE_LINE = re.compile(r"^\s*</?(?:TABLE|CAPTION|FN)>\s*$", re.I)
_SGML_CELL = re.compile(r"<[SC]>", re.I)
_FOLIO = re.compile(r"^\s*(?:[A-Z]{1,2}-)?\d{1,4}\s*$|^\s*[ivxlc]{1,6}\s*$")


def _without_page_breaks(lines: list[str]) -> list[str]:
    """Lines with every <PAGE> line gone, and the sticker's own page number just above it."""
    out: list[str] = []
    for ln in lines:
        if ln.strip().upper() == "<PAGE>":
            while out and not out[-1].strip():
                out.pop()
            if out and _FOLIO.match(out[-1]):
                out.pop()
            continue
        out.append(ln)
    return out


def _clean_block(raw: str, kind: str, op: str) -> str | None:
    """The new text as the sticker gives it: no page breaks with the sticker's own folios, no EDGAR
    table tags, no wrapping quotes, no leading cell marker."""
    lines = _without_page_breaks([_SGML_CELL.sub(lambda m: " " * len(m.group(0)), ln.rstrip())
                                  for ln in raw.split("\n")
                                  if not _SGML_TABLE_LINE.match(ln) and not (_SGML_CELL.search(ln) and
                                                                              not _SGML_CELL.sub("", ln).strip())])
    while lines and not lines[0].strip().strip("|").strip():
        lines.pop(0)
    while lines and not lines[-1].strip().strip("|").strip():
        lines.pop()
    if not lines:
        return None
    # the cell marker that opens the replacement belongs to the layout, not to the text
    lines[0] = re.sub(r"^\s*\|\s*", "", lines[0]) if lines[0].lstrip().startswith("|") else lines[0]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    if kind == "bullet" or re.match(rf"[ \t|]*[{_BULLET_CHARS}][ \t|]*\n", text):
        # a glyph alone on its line marks the item; the list gives the marker
        text = _strip_bullet_marker(text)
    text = _unwrap_quotes(text)
    if kind in _VALUE_KINDS and op not in _INSERTS and "\n" not in text.strip():
        text = _clean_value(text)
    return text


_ITEM_MARKER = re.compile(r"^[ \t]*(?:\|[ \t]*)*(?:[•·●▪◦■➢]|[o\-\*](?=\s))\s*(?:\|[ \t]*)*", re.M)


def _strip_bullet_marker(text: str) -> str:
    """One bullet item's text without its marker ('•', '|•' on its own line, 'o '): the list gives the marker.

    New text of several items keeps its markers: they separate the items.
    """
    first = _ITEM_MARKER.match(text)
    if not first or not text[first.end() :].strip():
        return text
    rest = text[first.end() :]
    if any(m.end() > m.start() and rest[m.end() : m.end() + 1].strip() for m in _ITEM_MARKER.finditer(rest) if m.start() > 0):
        return text
    return rest


def _straight_quotes_pair(inner: str) -> bool:
    """Whether the straight quotation marks inside a text open and close in turn ('a "CAP PROVIDER"'),
    so that a pair of them around the whole text wraps it."""
    opening = True
    for i, ch in enumerate(inner):
        if ch != '"':
            continue
        opens = i == 0 or inner[i - 1] in " \t\n([/-"
        if opens != opening:
            return False
        opening = not opening
    return opening


def _unwrap_quotes(text: str) -> str:
    """Drop quotation marks that wrap the whole text (a final period after them goes too)."""
    s = text.strip()
    if s.endswith(("”.", '".', "’’.", "’.")):
        s = s[:-1]
    pairs = [("“", "”"), ("‘‘", "’’"), ("``", "''"), ('"', '"'), ("‘", "’")]
    for o, c in pairs:
        if s.startswith(o) and s.endswith(c) and len(s) > len(o) + len(c):
            inner = s[len(o) : -len(c)]
            if o == '"':
                if '"' in inner and not _straight_quotes_pair(inner):
                    continue
            elif o == "‘":
                # an apostrophe inside (Moody’s) is followed by a letter; the other marks inside must pair
                depth = 0
                for i, ch in enumerate(inner):
                    if ch == "‘":
                        depth += 1
                    elif ch == "’" and not inner[i + 1 : i + 2].isalpha():
                        depth -= 1
                        if depth < 0:
                            break
                if depth != 0:
                    continue
            else:
                depth = 0
                ok = True
                for i in range(len(inner)):
                    if inner.startswith(o, i):
                        depth += 1
                    elif inner.startswith(c, i):
                        depth -= 1
                        if depth < 0:
                            ok = False
                            break
                if not ok or depth != 0:
                    continue
            return inner.strip()
    return text.strip()


def _assemble(items: list[_Item]) -> Amendment:
    instructions: list[Instruction] = []
    notices: list[Notice] = []
    n = 0
    for it in items:
        n += 1
        if it.kind == "notice":
            notices.append(Notice(n=n, text=it.notice_text, span=(it.start, it.end)))
            continue
        c = it.clause
        if c is None:
            instructions.append(Instruction(
                n=n, op="unsupported", target=Target(kind="text"), new_text=None, source_text=it.source,
                span=(it.start, max(it.start, it.end)), reason="no instruction form matches these words",
            ))
            continue
        new = c.new_text if c.op != "delete" else None
        if new is not None and not new.strip():
            new = None
        instructions.append(Instruction(
            n=n, op=c.op, target=c.target, new_text=new, source_text=it.source,
            span=(it.start, max(it.start, it.end)), rows=c.rows if c.op in ("replace_rows", "insert_at") or c.target.kind == "row" else (),
        ))
    return Amendment(instructions=tuple(instructions), notices=tuple(notices))


