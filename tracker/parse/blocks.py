"""The new text of an instruction as the sticker gives it, without the sticker's layout.

What belongs here: new text quoted on the header's own line, the end of a block (closing rules, the
underwriters' names and the date under them), and what is taken out of it: page breaks with the
sticker's own folios, EDGAR table tags, quotation marks that wrap the whole text (of any style, with
quotation marks inside), the cell mark that opens it, a list marker alone on its line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clause import _INSERTS, _VALUE_KINDS, _Clause, _clean_value
from .sentences import _BULLET_CHARS, _rstrip_pos

_FIRM = re.compile(
    r"\b(?:Securities|Capital|Markets|Brothers|Bank|Banc|Bancorp|Corporation|Corp\.|Inc\.|LLC|L\.L\.C\.|Ltd\.|"
    r"Co\.|Group|Partners|Boston|Sachs|Stanley|Lynch|Humphrey|Citigroup|Barclays|UBS|Suisse|Deutsche|Lehman|"
    r"Merrill|Goldman|Stearns|Morgan|RBS|Greenwich|Countrywide|Wachovia|JPMorgan|Nomura|Mizuho|Underwriters?|"
    r"Underwriting|CITIGROUP|LEHMAN BROTHERS|GOLDMAN|MORGAN|MERRILL|BEAR|STEARNS|SECURITIES|CAPITAL)\b|&",
)


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


def _finish_block(text: str, item: _Item, at: int, trailing: bool) -> None:
    """Cut the item's block of new text at ``at``; drop closing rules and underwriter lines."""
    raw = text[item.block_from : at]
    lines = raw.split("\n")
    if trailing:
        while lines and (not lines[-1].strip().strip("|").strip() or re.fullmatch(r"[\s|_\-=*]{3,}", lines[-1])
                         or _is_firm_line(lines[-1]) or (_DATE_LINE.fullmatch(lines[-1].strip().strip("|").strip())
                                                         and _closing_date(lines))):
            lines.pop()
    raw = _quoted_then_headings(lines)
    end = item.block_from + len(raw)
    item.end = _rstrip_pos(text, item.start, end)
    if item.clause is not None:
        item.clause.new_text = _clean_block(raw, item.clause.target.kind, item.clause.op)


_OPENING_QUOTE = ("“", '"', "‘‘", "``")
_CLOSING_QUOTE = ("”", '"', "’’", "''")


def _quoted_then_headings(lines: list[str]) -> str:
    """The block's lines joined; when the new text is a quotation that closes at the end of a paragraph and
    only short heading lines follow it (the sticker's own caption for its next item: "ANNEX A-1 UPDATE"),
    the block ends with the quotation."""
    raw = "\n".join(lines)
    body = raw.lstrip(" \t\n|")
    if not body.startswith(_OPENING_QUOTE):
        return raw
    paras = re.split(r"(\n[ \t|]*\n)", raw)
    for k in range(0, len(paras) - 2, 2):
        head = "".join(paras[: k + 1])
        tail = [p for p in paras[k + 2 :: 2] if p.strip()]
        if head.rstrip().rstrip(".").endswith(_CLOSING_QUOTE) and tail and all(_heading_line(p) for p in tail):
            return head
    return raw


def _heading_line(para: str) -> bool:
    """A short line with no sentence in it: a caption."""
    s = para.strip().strip("|").strip()
    return "\n" not in s and 0 < len(s.split()) <= 8 and not s.endswith((".", ":", ";", ",")) and s[:1].isupper()


def _closing_date(lines: list[str]) -> bool:
    """Whether the date on the last line is the filing's, under the underwriters' names (after a blank line or a
    firm's name), and not a value the new text ends with ("|$25,000,000" then "|April 15, 2019"; a column's
    dates one per line)."""
    if len(lines) < 2:
        return True
    before = lines[-2].strip().strip("|").strip()
    return not before or _is_firm_line(lines[-2])


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
    if s.endswith(".") and not re.search(r"\b(?:Co|Inc|Corp|Ltd|L\.L\.C|N\.A)\.$", s, re.I):
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
