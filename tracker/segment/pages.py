"""Pages of a text filing: where each begins, its printed label (S-8, 12, iv), and the running heads left out."""

from __future__ import annotations

import itertools
import re

from ..models import Page, page_label, page_number
from .lines import _page_lines


def _pages(text: str) -> tuple[list[Page], list[tuple[int, int]]]:
    """Pages and, for each, the content range that excludes its label line and its furniture."""
    pages, contents, _ = _pages_traced(text)
    return pages, contents


def _pages_traced(text: str) -> tuple[list[Page], list[tuple[int, int]], tuple]:
    """``_pages``, and what decided the pages beyond each one's own text: whether they were cut at
    ``<PAGE>`` lines, and the running heads and feet left out of every page's content."""
    bounds = []
    pos = 0
    for m in _page_lines(text):
        bounds.append((pos, m.start()))
        pos = m.end() + 1 if m.end() < len(text) else m.end()
    if not bounds:
        # No <PAGE> line: pages that end with their printed label (the HTML era's text).
        for end in _label_ends(text):
            bounds.append((pos, end))
            pos = end
    paged = bool(bounds)
    bounds.append((pos, len(text)))
    # A trailing <PAGE> leaves an empty last page: drop it.
    if len(bounds) > 1 and not text[bounds[-1][0] : bounds[-1][1]].strip():
        bounds.pop()
    pages, content = [], []
    for i, (a, b) in enumerate(bounds):
        label = None
        cend = b
        # The page's last non-blank line, found from the end.
        body = text[a:b]
        tail = len(body.rstrip())
        if tail:
            head = body.rfind("\n", 0, tail) + 1
            try:
                label = page_label(body[head:tail].strip())
            except ValueError:
                label = None
            # A one-line page holding only a number is text, not a footer.
            if label is not None and not body[:head].isspace() and head > 0:
                cend = a + head
            else:
                label = None
        pages.append(Page(i, label, a, b))
        content.append((a, cend))
    content, heads, feet = _without_running_heads(text, content)
    return pages, content, (paged, tuple(sorted(heads)), tuple(sorted(feet)))


# A line that may be a printed page label: short, alone on its line.
_LABEL_LINE = re.compile(r"^[ \t]*([A-Za-z]{0,2}[-\u2011\u2013]?\d{1,3}|[ivxlc]{1,8})[ \t]*$", re.MULTILINE)


def _label_ends(text: str) -> list[int]:
    """Where pages end in a text without ``<PAGE>`` lines: after each printed label line that
    stands alone between blank lines and numbers on from the label before (S-1, S-2, ...)."""
    ends: list[int] = []
    last: dict[str, int] = {}  # the last number seen of each kind of label
    for m in _LABEL_LINE.finditer(text):
        a, b = m.start(), m.end()
        if not (_blank_line_before(text, a) and _blank_line_after(text, b)):
            continue
        try:
            label = page_label(m.group(1))
        except ValueError:
            continue
        kind, number = _label_kind(label)
        if number is None:
            continue
        if kind in last and not 0 < number - last[kind] <= 2:
            continue
        last[kind] = number
        ends.append(b + 1 if b < len(text) else b)
    return ends if len(ends) >= 2 else []


def _blank_line_before(text: str, a: int) -> bool:
    """Whether the line starting at ``a`` opens the text or follows a blank line."""
    if a == 0:
        return True
    prev = text.rfind("\n", 0, a - 1) + 1
    return not text[prev : a - 1].strip()


def _blank_line_after(text: str, b: int) -> bool:
    """Whether the line ending at ``b`` ends the text or is followed by a blank line."""
    if b >= len(text) - 1:
        return True
    nxt = text.find("\n", b + 1)
    return not text[b + 1 : nxt if nxt >= 0 else len(text)].strip()


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _label_kind(label: str) -> tuple[str, int | None]:
    """("S", 8) for S-8, ("", 12) for 12, ("roman", 3) for iii."""
    got = page_number(label)
    if got is not None:
        return got
    total = 0
    for ch, nxt in itertools.zip_longest(label, label[1:]):
        value = _ROMAN.get(ch, 0)
        total += -value if nxt and _ROMAN.get(nxt, 0) > value else value
    return ("roman", total) if total else ("roman", None)


def _first_line(text: str, a: int, b: int) -> tuple[int, int]:
    """The span of the first non-blank line in ``text[a:b]`` ((b, b) when there is none)."""
    m = _NON_BLANK_LINE.search(text, a, b)
    return (m.start(1), m.end(1)) if m else (b, b)


def _last_line(text: str, a: int, b: int) -> tuple[int, int]:
    """The span of the last non-blank line in ``text[a:b]`` ((a, a) when there is none)."""
    end = b
    while end > a and text[end - 1].isspace():
        end -= 1
    if end == a:
        return (a, a)
    m = _NON_BLANK_LINE.match(text, max(a, text.rfind("\n", a, end) + 1), end)
    return (m.start(1), m.end(1))


_NON_BLANK_LINE = re.compile(r"[^\S\n]*(\S[^\n]*)")


def _repeated(text: str, lines: list[tuple[int, int]], head: bool) -> set[str]:
    """The short lines standing alone at the same place on most pages, and on three at least: a
    head has a blank line after it, a foot one before it (a line that opens or ends a table or a
    paragraph on each page is no furniture)."""
    counts: dict[str, int] = {}
    for a, b in lines:
        key = " ".join(text[a:b].split()).casefold()
        alone = _blank_line_after(text, b) if head else _blank_line_before(text, text.rfind("\n", 0, a) + 1)
        if key and len(key) <= 80 and alone:
            counts[key] = counts.get(key, 0) + 1
    return {k for k, n in counts.items() if n >= 3 and n * 2 > len(lines)}


def _without_running_heads(text: str, content: list[tuple[int, int]]
                           ) -> tuple[list[tuple[int, int]], set[str], set[str]]:
    """The pages' contents without their running head and foot: the same short first (or last,
    above the folio) line on most pages, a printer's running header or footer or its back-link
    "Table of Contents", which is page furniture; and the heads and feet found."""
    if len(content) < 2:
        return content, set(), set()
    firsts = [_first_line(text, a, b) for a, b in content]
    heads = _repeated(text, firsts, head=True)
    lasts = [_last_line(text, a, b) for a, b in content]
    feet = _repeated(text, lasts, head=False)
    if not heads and not feet:
        return content, heads, feet
    out = []
    for (a, b), (fa, fb), (la, lb) in zip(content, firsts, lasts):
        if " ".join(text[fa:fb].split()).casefold() in heads:
            a = min(b, fb + 1)
        if " ".join(text[la:lb].split()).casefold() in feet and la >= a:
            b = la
        out.append((a, b))
    return out, heads, feet
