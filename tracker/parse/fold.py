"""Folding a sticker's words for reading: one space for white space, « » for every style of quotation marks.

What belongs here: the folded copy of a span of sticker text and the map from folded offsets back to
the text. Headers are parsed on the folded copy; spans and new text are cut from the original."""

from __future__ import annotations

from dataclasses import dataclass

# --- folding ---------------------------------------------------------------------------------
# Headers are parsed on a folded copy: white space runs become one space and every kind of
# quotation mark pair becomes « ». ``_Folded.raw(i)`` maps a folded offset back to the text.

_OPEN, _CLOSE = "«", "»"


@dataclass
class _Folded:
    s: str
    pos: list[int]  # raw offset of each folded char; one extra entry for the end
    end: int

    def raw(self, i: int) -> int:
        return self.pos[i] if i < len(self.pos) else self.end


def _fold(text: str, start: int, end: int) -> _Folded:
    """Fold ``text[start:end]``: one space for white space, « » for any quotation marks."""
    out: list[str] = []
    pos: list[int] = []
    straight_open = False
    i = start
    while i < end:
        c = text[i]
        two = text[i : i + 2]
        if c.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                pos.append(i)
            i += 1
            continue
        if two in ("‘‘", "``"):
            out.append(_OPEN)
            pos.append(i)
            i += 2
            continue
        if two in ("’’", "''"):
            out.append(_CLOSE)
            pos.append(i)
            i += 2
            continue
        if c == "“":
            out.append(_OPEN)
        elif c == "”":
            out.append(_CLOSE)
        elif c == '"':
            out.append(_CLOSE if straight_open else _OPEN)
            straight_open = not straight_open
        elif c == "‘" and _single_quote_closes(text, i, end):
            out.append(_OPEN)
        elif c == "’" and _single_quote_is_close(text, i, end) and _OPEN in out and out.count(_OPEN) > out.count(_CLOSE):
            out.append(_CLOSE)
        else:
            out.append(c)
        pos.append(i)
        i += 1
    while out and out[-1] == " ":
        out.pop()
        pos.pop()
    if out and out[0] == " ":
        out.pop(0)
        pos.pop(0)
    return _Folded("".join(out), pos, end)


def _single_quote_is_close(text: str, i: int, end: int) -> bool:
    # An apostrophe (Moody’s) is followed by a letter; a closing quote is not.
    return i + 1 >= end or not text[i + 1].isalpha()


def _single_quote_closes(text: str, i: int, end: int) -> bool:
    j = i + 1
    while j < min(end, i + 300):
        if text[j] == "’" and _single_quote_is_close(text, j, end):
            return True
        j += 1
    return False


