"""Scanning a sticker: instructions, their new text and notices, in filing order.

How a sticker is read: every line start and every sentence start after the cover is a candidate; the
sentence that begins there is parsed as an instruction header (locator + action, ``headers``). A header
ending in a colon with nothing after it on its line opens a block of new text, which runs to the next
header, numbered item, instruction-like sentence or closing words. Group headers ("Front Cover Page:",
"Page S-5") give their place to the instructions under them."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..models import Amendment, Instruction, Notice, Target
from ..text import fold_space
from .blocks import _finish_block, _inline_text, _Item
from .builders import listed_deletions
from .clause import (
    _INSERTS,
    _VALUE_KINDS,
    _Clause,
    _clean_value,
    name_of,
    split_per_name,
)
from .fold import _CLOSE, _OPEN, _fold
from .forms import ACTIONS
from .headers import _ITEM_LEAD, _has_locator_evidence, _parse_header
from .sentences import (
    _BOILERPLATE,
    _CLOSING,
    _STARTER,
    _Candidate,
    _candidates,
    _closing,
    _line_end,
    _rstrip_pos,
    _sentence_end,
)
from .vocabulary import (
    _DOCUMENT_SUBJECT,
    _EDIT_WORDS,
    _LABEL,
    _LOCUS_RE,
    _NOUN,
    _PAGES_RE,
    _pages,
)


def parse_amendment(text: str) -> Amendment:
    """Parse a sticker's text into its instructions and notices, in filing order (n from 1)."""
    scanner = _Scanner(text)
    for cand in scanner.cands:
        if cand.start >= scanner.cursor:
            scanner.read(cand)
    scanner.close(len(text), trailing=True)
    return _assemble(scanner.items)


@dataclass
class _Sentence:
    """One candidate sentence: where it starts, where it ends, and its folded words."""

    cand: _Candidate
    end: int
    folded: object  # _Folded

    @property
    def h(self) -> str:
        return self.folded.s


class _Scanner:
    """The state of a sticker's reading: items so far, the block of new text open, the groups named."""

    def __init__(self, text: str):
        self.text = text
        self.cands = _candidates(text)
        self.items: list[_Item] = []
        self.cursor = 0
        self.open_block: _Item | None = None
        self.last_number: int | None = None
        self.context: Target | None = None
        self.started = False
        self.group_locus: str | None = None  # set by a group header such as "Front Cover Page:"
        self.group_pages: tuple[str, ...] = ()  # set by a page header such as "Page S-5" or "1. Page S-5."
        self.group_number: int | None = None  # the numbered item a page header belongs to

    def close(self, at: int, trailing: bool, before_instruction: bool = False) -> None:
        """End the open block of new text at ``at``."""
        block = self.open_block
        if block is None:
            return
        # a group header ("Summary of Terms:") just before the next instruction is not new text
        lines = self.text[block.block_from : at].rstrip().split("\n")
        g = _GROUP.fullmatch(lines[-1].strip(" \t|")) if len(lines) > 1 else None
        if g and before_instruction:
            at = block.block_from + len("\n".join(lines[:-1]))
            self.group_locus = _group_locus(g.group("g"))
        _finish_block(self.text, block, at, trailing)
        self.open_block = None

    def read(self, cand: _Candidate) -> None:
        """Read the sentence that starts at a candidate: closing words, a group, a header, or neither."""
        text = self.text
        end = _sentence_end(text, cand.start)
        if end <= cand.start:
            return
        sentence = _Sentence(cand, end, _fold(text, cand.start, end))
        h = sentence.h
        closing = _CLOSING.search(h)
        before = text[cand.start : sentence.folded.raw(closing.start())] if closing else ""
        if _closing(h, before) or _BOILERPLATE.match(text[cand.start : end].strip()):
            self.close(cand.line_start, trailing=True)
            self.cursor = end
            return
        if self.open_block is not None and cand.number is not None and self.last_number is not None \
                and cand.number == self.last_number + 1:
            self.close(cand.line_start, trailing=False)
        if cand.number is not None and self.group_number is not None and cand.number != self.group_number:
            self.group_pages = ()
        if self._page_group(sentence):
            return
        parsed = _parse_header(h, self.context) if len(h) < 2000 else None
        if parsed == "leadin":
            if self.open_block is None:
                self.started = True
                self.cursor = end
            return
        if parsed == "fact":
            # a statement of a new figure is a notice where it stands alone, and words of the new text
            # where a block is open
            parsed = "notice" if self.open_block is None else None
        if isinstance(parsed, list) and self.open_block is not None and not _ends_block(text, self.open_block, cand, h):
            # prose of the new text that reads like an edit ("the margin will be increased from 0.50% to
            # 1.00%"): words of the block
            parsed = None
        if parsed == "notice" and (cand.at_line or self.open_block is None):
            self._notice(sentence)
        elif isinstance(parsed, list) and len(parsed) == 1 and parsed[0].listed:
            self._listed(sentence)
        elif isinstance(parsed, list):
            self._instructions(sentence, parsed)
        elif _looks_like_instruction(h, strong=not self.started or self.open_block is not None):
            self._unsupported(sentence)
        elif self.open_block is None and self.started:
            g = _GROUP.fullmatch(h)
            if g:
                self.group_locus = _group_locus(g.group("g"))

    def _page_group(self, sentence: _Sentence) -> bool:
        """'Page S-5' (or '1. Page S-5.') heading the instructions that follow: a locator, not new text."""
        cand = sentence.cand
        gp = _page_group(sentence.h) if (cand.at_line or cand.start == self.cursor) else ()
        if not gp:
            return False
        self.close(cand.line_start, trailing=True, before_instruction=True)
        self.group_pages, self.group_number = gp, cand.number
        if cand.number is not None:
            self.last_number = cand.number
        self.cursor = sentence.end
        self.started = True
        return True

    def _notice(self, sentence: _Sentence) -> None:
        cand = sentence.cand
        self.close(cand.line_start, trailing=True)
        nend = _notice_end(self.text, cand.start, sentence.end, self.cands)
        words = fold_space(self.text[cand.start:nend])
        lead = _ITEM_LEAD.match(words)  # "Second, notwithstanding ...": the item's number is not the notice's
        if lead:
            words = words[lead.end():]
            words = words[:1].upper() + words[1:]
        self.items.append(_Item("notice", cand.start, nend, notice_text=words))
        self.cursor = nend
        self.started = True

    def _listed(self, sentence: _Sentence) -> None:
        """'The following ... are deleted: (a) ...; (b) ...': the items, to the end of the paragraph."""
        cand, end, text = sentence.cand, sentence.end, self.text
        list_end = _paragraph_end(text, end)
        listed = listed_deletions(_fold(text, end, list_end).s, self.context)
        self.close(cand.line_start, trailing=True, before_instruction=True)
        self.started = True
        source = _strip_source(sentence.h)
        if listed is None:
            self.items.append(_Item("instruction", cand.start, list_end, clause=None, source=source))
        for c in listed or ():
            self.items.append(_Item("instruction", cand.start, list_end, clause=c, source=source, number=cand.number))
            self.context = c.target
        self.cursor = list_end

    def _instructions(self, sentence: _Sentence, clauses: list[_Clause]) -> None:
        """The clauses a header sentence holds, each an item; a block of new text opened after the last."""
        cand, h, folded = sentence.cand, sentence.h, sentence.folded
        self.close(cand.line_start, trailing=True, before_instruction=True)
        self.started = True
        for c in clauses:
            a, b = folded.raw(c.start), folded.raw(c.end - 1) + 1 if c.end > 0 else cand.start
            colon = h.rfind(":", c.start, c.end)
            src_end = c.end if colon < 0 else colon + 1
            self._in_groups(c)
            item = _Item("instruction", a if c.start else cand.start, b, clause=c,
                         source=_strip_source(h[c.start:src_end]), number=cand.number)
            self.items.append(item)
            self.context = c.target
            if c.block and c.new_text is None:
                self._new_text(item, c, sentence)
            else:
                self.cursor = sentence.end
        if cand.number is not None:
            self.last_number = cand.number

    def _in_groups(self, c: _Clause) -> None:
        """A clause under a group header takes its place ("Front Cover Page:", "Page S-5")."""
        t = c.target
        if self.group_locus and not (t.page or t.heading or t.locus):
            c.target = t = dataclasses.replace(t, locus=self.group_locus)
        if self.group_pages and not (t.page or t.locus) and t.scope != "all":
            pages = self.group_pages
            c.target = dataclasses.replace(t, page=pages[0], pages=pages if len(pages) > 1 else ())

    def _new_text(self, item: _Item, c: _Clause, sentence: _Sentence) -> None:
        """The new text of a clause: quoted on its line, an edit on its line, or a block that follows."""
        text = self.text
        after = sentence.end if c.text_from is None else sentence.folded.raw(c.text_from)
        inline = _inline_text(text, after) if c.text_from is None else None
        edit = _edit_on_line(text, after, c) if inline is None and c.text_from is None else None
        if edit is not None:
            # "... is amended as follows: 3.6% shall be deleted and replaced with 7.4%."
            item.clause, iend = edit
            item.end = self.cursor = iend
            self.context = item.clause.target
        elif inline is not None:
            new, iend = inline
            c.new_text = _clean_value(new) if c.target.kind in _VALUE_KINDS and c.op not in _INSERTS else new
            item.end = self.cursor = iend
        else:
            item.block_from = item.end = self.cursor = after
            self.open_block = item

    def _unsupported(self, sentence: _Sentence) -> None:
        """Words of an instruction that no form reads: reported, never dropped."""
        cand, end, h, text = sentence.cand, sentence.end, sentence.h, self.text
        block = self.open_block
        if block is not None and not (cand.at_line and (h.endswith(":") or (
                _instruction_shaped(h) and _block_complete(text, block.block_from, cand.line_start)))):
            return
        self.close(cand.line_start, trailing=True)
        item = _Item("instruction", cand.start, end, clause=None, source=_strip_source(h))
        self.items.append(item)
        if h.endswith(":") and _inline_text(text, end) is None:
            item.block_from = end
            self.open_block = item
        self.cursor = end
        self.started = True


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
        return bool(_PAGES_RE.search(h) or re.search(rf"\b(?:under|entitled|titled|captioned) (?:the \w+ )?(?:entitled |titled )?{_OPEN}",
                                                     h, re.I))
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
    a place (a page, a heading, an element), or is a numbered item, or opens with the marker of the
    open instruction's own line at its column."""
    if not cand.at_line:
        return False
    if cand.number is not None:
        return True
    if _same_marker(text, block.start, cand) and _block_complete(text, block.block_from or block.start, cand.line_start):
        return True  # the sticker's next item, marked and placed as the one whose block is open
    named = _has_locator_evidence(h) or (_OPEN in h and bool(_LOCATOR_OPENING.match(h)))
    return named and (bool(_PASSIVE_EDIT.search(h)) or h.endswith(":") or bool(_STARTER.match(h)))


def _same_marker(text: str, header_start: int, cand: _Candidate) -> bool:
    """Whether the candidate's line opens with the same list marker, at the same column, as the line of
    the instruction that starts at ``header_start`` ("o", "•", "(b)" after "(a)")."""
    line = text.rfind("\n", 0, header_start) + 1
    mine, theirs = text[line:header_start], text[cand.line_start : cand.start]
    if not mine.strip() or not theirs.strip() or "\n" in theirs.strip("\n"):
        return False
    indent = len(mine) - len(mine.lstrip()), len(theirs) - len(theirs.lstrip("\n").lstrip())
    shape = [re.sub(r"\d+|[a-zA-Z]+", "x", m.strip().strip("|").strip()) for m in (mine, theirs)]
    return indent[0] == indent[1] and shape[0] == shape[1]


def _block_complete(text: str, block_from: int, at: int) -> bool:
    """Whether the new text before ``at`` ends a sentence (a period or a closing quotation mark)."""
    tail = text[block_from:at].rstrip().rstrip("|").rstrip()
    return bool(tail) and tail[-1] in ".!?”\"’)"


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


def _paragraph_end(text: str, start: int) -> int:
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
        if c.names:
            pieces = split_per_name(new or "", [name_of(t) for t in c.names])
            if pieces is None:
                instructions.append(Instruction(
                    n=n, op="unsupported", target=c.target, new_text=new, source_text=it.source,
                    span=(it.start, max(it.start, it.end)),
                    reason=f"names {len(c.names)} elements, and the new text does not give one for each in turn",
                ))
                continue
            for k, (t, piece) in enumerate(zip(c.names, pieces)):
                n += k > 0
                instructions.append(Instruction(n=n, op=c.op, target=t, new_text=piece, source_text=it.source,
                                                span=(it.start, max(it.start, it.end))))
            continue
        instructions.append(Instruction(
            n=n, op=c.op, target=c.target, new_text=new, source_text=it.source,
            span=(it.start, max(it.start, it.end)), rows=c.rows if c.op in ("replace_rows", "insert_at") or c.target.kind == "row" else (),
        ))
    return Amendment(instructions=tuple(instructions), notices=tuple(notices))
