"""Where sentences of a sticker begin and end, and which of them close it.

What belongs here: the candidate starts (line starts after cell, bullet and number marks, and sentence
starts inside a line), the end of a sentence (a stop or colon outside quotation marks, a list item or
a rule on the next line, a line of text laid out one word per line), and the closing words of a
sticker in any wording ("Except as described above, ... remains unchanged")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import is_abbreviation

_MARKER_LINE = re.compile(r"^[ \t]*(?:\|[ \t]*)*(?:(?P<num>\d{1,2})\.|\((?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})\)|[a-zA-Z]\.|[•·●▪◦■□➢\-\*o])?[ \t]*(?:\|[ \t]*)*$")


_LEADING_MARKER = re.compile(r"[ \t]*(?:\|[ \t]*)*(?:(?P<num>\d{1,2})\.[ \t]+|\((?:\d{1,2}|[a-zA-Z]|[ivxlc]{2,6})\)[ \t]+|[a-zA-Z]\.[ \t]+(?=[A-Z][a-z])|[•·●▪◦■➢][ \t]*|[o\-*][ \t]+(?=[A-Z]))?(?:\|[ \t]*)*")


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
    r"(?:unchanged|unmodified|unamended|not (?:otherwise )?(?:amended|modified|changed)|in full force and effect)\b"
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
    r"|\s*(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Finally|Lastly|Additionally),"
)


# A rule drawn across the page ("___________", "-----"): it ends what comes before it.
_RULE = re.compile(r"^[ \t|]*[_\-=*~]{3,}[ \t|]*$")


# A line that opens with a list marker and words: the next item, never the sentence before running on.
_ITEM_LINE = re.compile(r"\s*(?:\|\s*)*(?:\d{1,2}\.\s+|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)\s+|[•·●▪◦■➢]\s*)\S")


# Words after which a phrase goes on, never a sentence's last: "Under" alone on its line, "the", "Page"
_OPENS_PHRASE = frozenset("under on in of to at for from the a an and or page pages paragraph sentence "
                          "caption heading section entitled titled captioned headed within".split())


# "Page S-4: The second paragraph ...": a page named before the instruction, not a sentence of its own
_PAGE_ONLY = re.compile(r"\s*(?:on )?page (?:[A-Z]{1,2}-)?\d{1,4}\s*$", re.I)


def _sentence_end(text: str, i: int, limit: int = 2500) -> int:
    """End of the sentence starting at ``i``: after its final period or colon (outside quotes)."""
    n = min(len(text), i + limit)
    curly = 0
    single = 0  # single quotation marks open (counted in ``curly`` too)
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
            if curly == 0 and not straight and _ITEM_LINE.match(nxt) and not _goes_on(text[i:j]):
                return _rstrip_pos(text, i, j)
            if curly == 0 and not straight:
                prev = text[i:j].rstrip()
                # a closing quote ends its line's sentence; a cover line ("Series 2003-3") does not run
                # into the sentence that starts on the next line
                if prev.endswith(("”", '"', "’’")) and prev[-2:-1] not in (",",) and _STARTER.match(nxt):
                    return _rstrip_pos(text, i, j)
                last = prev.split()[-1] if prev.split() else ""
                if _STARTER.match(nxt) and (last[:1].isupper() or last[:1].isdigit() or last.endswith(")")) \
                        and not last.endswith((",", ";")) and last.lower() not in _OPENS_PHRASE:
                    # ("«A»,\n«B» and «C» are deleted" goes on; so does "Under\n«Advances», the ...")
                    return _rstrip_pos(text, i, j)
        elif c == "“" or text.startswith(("‘‘", "``"), j):
            curly += 1
            opened = j
        elif c == "‘" and not text.startswith("‘‘", j - 1) and j + 1 < n and text[j + 1].isalnum():
            # a single quotation mark opening ("‘Wells Fargo Bank, N.A.’")
            single += 1
            curly += 1
            opened = j
        elif c == "’" and single and not text.startswith("’’", j) and not text.startswith("’’", j - 1) \
                and (j + 1 >= n or not text[j + 1].isalpha()):
            single -= 1
            curly = max(0, curly - 1)
            if curly == 0 and not straight and _quote_ends_sentence(text, opened, j, n):
                return j + 1
        elif c == "”" or text.startswith("’’", j) or (curly and text.startswith("''", j)):
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
            if c == ":" and (j + 1 >= n or text[j + 1].isspace()) and not _PAGE_ONLY.match(text, i, j):
                return j + 1
            if c in ".!?" and (j + 1 >= n or text[j + 1].isspace()):
                nxt = text[j + 1 : j + 40].lstrip()
                word = re.search(r"([\w.]+)$", text[max(i, j - 12) : j])
                # "Corp. and" or "approx. five" go on; so do "Inc. (" and "Loan No. 12" after an abbreviation
                if not nxt[:1].islower() and not (c == "." and word and is_abbreviation(word.group(1))
                                                   and (nxt[:1] in "(,;" or nxt[:1].isdigit())):
                    return j + 1
        j += 1
    return _rstrip_pos(text, i, j)


def _goes_on(before: str) -> bool:
    """Whether a sentence goes on past its line's end into a numbered part: "... by (i) replacing «A» with
    «B»,\n(ii) replacing ..." (a comma, or "and"/"or", before the mark)."""
    tail = before.rstrip()
    return tail.endswith(",") or bool(re.search(r"\b(?:and|or)$", tail))


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


def _line_end(text: str, i: int) -> int:
    e = text.find("\n", i)
    return len(text) if e < 0 else e
