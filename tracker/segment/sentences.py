"""Sentence spans inside a block: where a sentence ends, abbreviations and numbered references aside."""

from __future__ import annotations

import re

from ..text import COMPANY_SUFFIXES as _SUFFIX
from ..text import NEVER_END as _NEVER_END

_STOP = re.compile(r"[.?!]+[\"'”’)\]]*(?=\s|$)")


# ``_STOP`` for a text without "?" or "!": opening with a literal, it is searched for far faster.
_STOP_DOT = re.compile(r"\.\.*[\"'”’)\]]*(?=\s|$)")


_NON_BLANK = re.compile(r"\S")


_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")


_NUMBERED = re.compile(r"(?:No|Nos)\.\s*\d", re.I)


_WORD_REVERSED = re.compile(r"[^\s(“\"]*")


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (abbreviation-aware), blank space excluded."""
    out: list[tuple[int, int]] = []
    seg_start = start
    chunk = text[start:end]
    stops = _STOP if "?" in chunk or "!" in chunk else _STOP_DOT
    for m in stops.finditer(chunk):
        stop = start + m.end()
        # The first non-blank character after the stop (slicing the rest would cost a copy of
        # the rest of the paragraph for every stop in it). A stop is followed by a blank or
        # ends the text, and mostly by one blank.
        nb = stop + 1
        if nb >= end:
            continue
        nxt = text[nb]
        if nxt.isspace():
            found = _NON_BLANK.search(text, nb, end)
            if found is None:
                continue
            nb = found.start()
            nxt = text[nb]
        # What follows must open a sentence (the first test of ``_sentence_ends``).
        if not (nxt.isupper() or nxt.isdigit() or nxt in "“\"‘'(["):
            continue
        # A few characters of what follows: a company name may run on ("Corp. No. 2").
        after = text[nb : min(end, nb + 12)]
        if not _sentence_ends(text, start + m.start(), stop, after):
            continue
        s = _trim(text, seg_start, stop)
        if s:
            out.append(s)
        seg_start = stop
    s = _trim(text, seg_start, end)
    if s:
        out.append(s)
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


def _sentence_ends(text: str, dot: int, stop: int, after: str) -> bool:
    nxt = after[0]
    if not (nxt.isupper() or nxt.isdigit() or nxt in "“\"‘'(["):
        return False
    if text[dot] != ".":
        return True
    if text[dot + 1 : stop].strip(".") and text[dot + 1 : stop][0] in "\"”'’":
        # "... the “Record Date.” The": a period inside closing quotes ends the sentence.
        return True
    # The word before the period: back to a blank or an opening "(", "“" or '"'. Read
    # backwards (reversed) from up to 40 characters before it, and further when the word is
    # longer.
    lo = max(0, dot - 40)
    j = dot - _WORD_REVERSED.match(text[lo:dot][::-1]).end()
    if j == lo:
        while j > 0 and not text[j - 1].isspace() and text[j - 1] not in "(“\"":
            j -= 1
    word = text[j:dot].casefold()
    bare = word.rstrip(".")
    if bare in _NEVER_END:
        return False
    if len(bare) == 1 and bare.isalpha() and text[j:dot].isupper():
        # An initial ("J. Smith", "J.P. Morgan") is not the end of a sentence.
        return False
    if _DOTTED.fullmatch(bare) and bare not in _SUFFIX:
        # Dotted abbreviations like "u.s.a" or "n.y" run on.
        return False
    if bare in _SUFFIX:
        # "Holdings Corp. No. 2, a Delaware corporation": a numbered name runs on.
        if _NUMBERED.match(after):
            return False
        return nxt.isupper() and not after.startswith(("(", "“", '"'))
    return True
