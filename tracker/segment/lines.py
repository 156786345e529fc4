"""Lines of a filing and what each looks like: rules, bullets, leaders, cell gaps, capitals, sentence ends."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..models import page_label

_PAGE_LINE = re.compile(r"^[ \t]*<page>[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


_PAGE_TAG = re.compile(r"<page>", re.IGNORECASE)


# A rule of dashes: one run of three strokes or more, or several runs of two or more (a printer sets
# "--" under a short column head such as "0%").
_RULE = re.compile(r"^\s*(?:[-_=]{3,}|[-_=]{2,}(?=\s+[-_=]{2}))(?:\s+[-_=]{2,})*\s*$")


_BULLET = re.compile(r"^(?:[o*\-•·▪■]|\([a-zA-Z]{1,4}\)|\(\d{1,3}\)|\d{1,2}\.)(?=\s)\s+|^[•·▪■]")


_LEADER = re.compile(r"\.{3,}\s*(\S.*?)\s*$")


_CELL_GAP = re.compile(r"\S(?: {3,}|\t)\S")


_ABBREV_END = re.compile(r"\b(?:Corp|Inc|Co|Ltd|Bros|N\.A|L\.P|U\.S|S\.A|L\.L\.C|P\.C|Jr|Sr)\.$")


_MINOR = frozenset(
    "a an and as at but by for from in into of on or per the to under upon via with vs nor "
    "than that its their our your".split()
)


# Sections that end a RISK FACTORS section even when set flush left in capitals like a risk
# factor title would be.
_MAJOR_SECTION = re.compile(
    r"^(?:the\s+)?(?:summary|risk factors|description of|mortgage pool|the mortgage pool|"
    r"yield|prepayment and yield|maturity and prepayment|federal income tax|state (?:and local )?tax|"
    r"erisa|ratings?|legal (?:investment|matters)|underwriting|method of distribution|"
    r"use of proceeds|glossary|index|experts|servicing|the (?:master )?servicer|the trustee|"
    r"the depositor|the sponsor|the seller|the issuing entity|the issuer|the originator|"
    r"pooling and servicing|the pooling|static pool|affiliations|reports to|incorporation|"
    r"where you can find|annex|appendix|schedule|table of contents|additional information)\b",
    re.IGNORECASE,
)


class _Line:
    """One line: ``start`` is the offset of its first character, ``end`` the offset just after its
    last non-blank one, ``text`` the line without its newline and trailing blanks."""

    __slots__ = ("start", "end", "text", "stripped", "indent")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        # ``text`` has no trailing blanks, so stripping its head is stripping both ends.
        self.stripped = stripped = text.lstrip()
        self.indent = len(text) - len(stripped)

    @property
    def first(self) -> int:
        return self.start + self.indent


def _lines(text: str, start: int, end: int) -> list[_Line]:
    out = []
    if start >= end:
        return out
    pos = start
    for raw in text[start:end].split("\n"):
        content = raw.rstrip()
        out.append(_Line(pos, pos + len(content), content))
        pos += len(raw) + 1
    # A text ending in a newline has no empty line after it.
    if text[end - 1] == "\n":
        out.pop()
    return out


def _page_lines(text: str) -> Iterable[re.Match]:
    """``_PAGE_LINE.finditer(text)``: the regex is tried only on the lines holding a ``<page>``."""
    seen = -1
    for hit in _PAGE_TAG.finditer(text):
        line_start = text.rfind("\n", 0, hit.start()) + 1
        if line_start == seen:
            continue
        seen = line_start
        m = _PAGE_LINE.match(text, line_start)
        if m:
            yield m


# A risk factor's title is a sentence ("THE YIELD ON YOUR CERTIFICATES WILL BE AFFECTED ..."), a
# section's name is not: a verb tells them apart even when both start with a section's words.
_SENTENCE_VERB = re.compile(
    r"\b(?:may|will|could|might|can|cannot|should|would|must|is|are|was|were|do|does|did|not|has|have)\b",
    re.IGNORECASE,
)


def _is_major_section(heading: str) -> bool:
    """Is this capitalised line the name of a major section (which ends RISK FACTORS)?"""
    return (
        bool(_MAJOR_SECTION.match(heading))
        and len(heading.split()) <= 8
        and not _SENTENCE_VERB.search(heading)
    )


def _letters(s: str) -> str:
    return "".join(filter(str.isalpha, s))


_ASCII_LOWER = re.compile(r"[a-z]")


_ASCII_ALPHA = re.compile(r"[A-Za-z]")


def _has_letter(s: str) -> bool:
    return bool(_ASCII_ALPHA.search(s)) or any(ch.isalpha() for ch in s)


def _is_caps(s: str) -> bool:
    # Fast answer for prose: one lower-case ASCII letter is enough to say no.
    if _ASCII_LOWER.search(s):
        return False
    letters = _letters(s)
    return len(letters) >= 2 and letters.isupper()


def _is_title_case(s: str) -> bool:
    words = [w.strip("“”\"'‘’(),:;-—–") for w in s.split()]
    words = [w for w in words if w and w[0].isalpha()]
    if not words:
        return False
    major = [w for w in words[1:] if w.lower() not in _MINOR]
    if not words[0][0].isupper():
        return False
    if not major:
        return True
    caps = sum(1 for w in major if w[0].isupper())
    return caps / len(major) >= 0.75


def _ends_sentence(s: str) -> bool:
    s = s.rstrip().rstrip("”’\"')]")
    return s.endswith((".", "?", "!", ":", ";"))


def _ends_without_stop(s: str) -> bool:
    """True when a line ends the way a heading does: no final period (an abbreviation is fine)."""
    s = s.rstrip().rstrip("”’\"')")
    if s.endswith((",", ";", ":")):
        return False
    # An abbreviation is at most six characters: the last seven hold it and what precedes it.
    if s.endswith(".") and not _ABBREV_END.search(s[-7:]):
        return False
    return not s.endswith(("?", "!"))


_BULLET_STARTS = frozenset("o*-•·▪■(")


def _leader(text: str) -> re.Match | None:
    """``_LEADER.search(text)``, skipping the regex for the lines without three dots in a row."""
    return _LEADER.search(text) if "..." in text else None


def _cell_gap(s: str) -> bool:
    """``_CELL_GAP.search(s)``, skipping the regex for lines without a run of spaces or a tab."""
    return ("   " in s or "\t" in s) and _CELL_GAP.search(s) is not None


def _page_ref(s: str) -> bool:
    try:
        page_label(s)
        return True
    except ValueError:
        return False


def _bullet_marker(line: _Line) -> int:
    """Length of the bullet marker (with its following spaces) at the line's start, else 0."""
    s = line.stripped
    if not s or not (s[0] in _BULLET_STARTS or s[0].isdigit()):
        return 0
    m = _BULLET.match(s)
    return m.end() if m else 0
