"""Scoring a parse against an answer file of the evaluation corpus.

What belongs here: comparing parsed instructions (``Instruction.to_json()``) with the corpus's
answers (schema in corpus/README.md) field by field, and pairing them up for one filing. Pure: dicts
in, values out; the eval command and the measuring script do the reading and printing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import HEADING_SEPARATOR as _DASHES
from .text import QUOTE_FOLD as _QUOTES


def fold_text(text: str | None) -> str:
    """Text as compared: white space folded, table-cell markers ('|') treated as white space."""
    if not text:
        return ""
    return " ".join(text.replace("|", " ").split())


def _heading_key(heading) -> list[str] | None:
    """A heading path compared without case, quotes, dashes or stray punctuation."""
    if not heading:
        return None
    parts: list[str] = []
    for h in heading:
        for p in _DASHES.split(str(h)):
            p = " ".join(p.translate(_QUOTES).replace('"', "").replace("'", "").split()).strip(" ,.;:").lower()
            if p:
                parts.append(p)
    return parts or None


def _ordinal_key(ordinal: dict | int | None, kind: str | None = None) -> tuple | None:
    if not ordinal:
        return None
    if isinstance(ordinal, int):
        # a bare number counts elements of the target's own kind ("ordinal": 2 on a bullet)
        slot = {"sentence": 0, "bullet": 2}.get(kind or "", 1)
        key = [None, None, None]
        key[slot] = ordinal
        return (*key, False)
    key = (ordinal.get("sentence"), ordinal.get("paragraph"), ordinal.get("bullet"), bool(ordinal.get("from_end")))
    return None if key == (None, None, None, False) else key


def _norm_term(term: str | None) -> str | None:
    if term is None:
        return None
    return " ".join(term.translate(_QUOTES).split()).strip(" ,.;:\"'").lower() or None


def _answer_text(want: dict) -> tuple[str | None, str | None, str | None]:
    """(full, starts, ends) of an answer's new text, all folded.

    An answer's ``new_text`` is used only when it agrees with its own ``new_text_starts``: some
    case files give there the text as applied (a column laid into its table), not as the sticker
    says it.
    """
    starts, ends = fold_text(want.get("new_text_starts")), fold_text(want.get("new_text_ends"))
    full = want.get("new_text")
    if full is not None:
        f = fold_text(full)
        if not starts or (f.startswith(starts) and f.endswith(ends)):
            return f, starts or None, ends or None
    return None, starts or None, ends or None


def compare_new_text(got: str | None, want: dict) -> list[str]:
    """Mismatches between a parsed new text and an answer's (full text, or its first/last 40 chars)."""
    g = fold_text(got)
    full, starts, ends = _answer_text(want)
    if full is not None:
        return [] if g == full else [f"new_text: got {_short(g)!r}, want {_short(full)!r}"]
    out = []
    if starts is None and ends is None:
        return [] if not g else [f"new_text: got {_short(g)!r}, want none"]
    if starts and not g.startswith(starts):
        out.append(f"new_text starts: got {g[:40]!r}, want {starts!r}")
    if ends and not g.endswith(ends):
        out.append(f"new_text ends: got {g[-40:]!r}, want {ends!r}")
    return out


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= 2 * n else s[:n] + " ... " + s[-n:]


# Words (not an element) a substitution changes: the older answers call them "value", the answers on
# real HTML bases "text".
_WORDS_KINDS = {"value", "text"}


def words_answer(want: dict) -> dict:
    """An answer of a case scored by its words, with the new text as the sticker gives it.

    There ``new_text`` is the passage around the change as it reads afterwards (``old_text_words``
    before): an insertion's own text is ``inserted_text``, and a substitution's new words are what
    turns the one passage into the other.
    """
    words, after = fold_text(want.get("old_text_words")), fold_text(want.get("new_text"))
    old = fold_text((want.get("target") or {}).get("old_text"))
    new = None
    if want.get("inserted_text") is not None:
        new = want["inserted_text"]
    elif old and old in words:
        a = words.index(old)
        head, tail = words[:a], words[a + len(old):]
        if after.startswith(head) and after.endswith(tail) and len(after) >= len(head) + len(tail):
            new = after[len(head): len(after) - len(tail)]
    if new is None:
        return want
    return {**want, "new_text": new, "new_text_starts": None, "new_text_ends": None}


_NAMED_PARTS = ("column", "row", "footnote", "clause", "contains")


def compare_instruction(got: dict, want: dict) -> list[str]:
    """The mismatches (empty = exact) between a parsed instruction's JSON and a corpus answer."""
    if "old_text_words" in want:
        want = words_answer(want)
    out: list[str] = []
    if got.get("op") != want.get("op"):
        out.append(f"op: got {got.get('op')!r}, want {want.get('op')!r}")
    gt, wt = got.get("target") or {}, want.get("target") or {}
    if want.get("op") != "notice":
        same_words = want.get("op") == "substitute" and {gt.get("kind"), wt.get("kind")} <= _WORDS_KINDS
        if gt.get("kind") != wt.get("kind") and not same_words:
            out.append(f"kind: got {gt.get('kind')!r}, want {wt.get('kind')!r}")
        if (gt.get("page") or None) != (wt.get("page") or None):
            out.append(f"page: got {gt.get('page')!r}, want {wt.get('page')!r}")
        if _heading_key(gt.get("heading")) != _heading_key(wt.get("heading")):
            out.append(f"heading: got {gt.get('heading')!r}, want {wt.get('heading')!r}")
        if _ordinal_key(gt.get("ordinal"), gt.get("kind")) != _ordinal_key(wt.get("ordinal"), wt.get("kind")):
            out.append(f"ordinal: got {gt.get('ordinal')!r}, want {wt.get('ordinal')!r}")
        if _norm_term(gt.get("term")) != _norm_term(wt.get("term")):
            out.append(f"term: got {gt.get('term')!r}, want {wt.get('term')!r}")
        if fold_text(gt.get("old_text")).translate(_QUOTES) != fold_text(wt.get("old_text")).translate(_QUOTES):
            out.append(f"old_text: got {gt.get('old_text')!r}, want {wt.get('old_text')!r}")
        # scope ("all": every occurrence) is compared when the answer states it; older answers predate it
        if "scope" in wt and (gt.get("scope") or None) != (wt.get("scope") or None):
            out.append(f"scope: got {gt.get('scope')!r}, want {wt.get('scope')!r}")
        # the parts of a place later answers name (a cell's column and row, a footnote's or a clause's mark,
        # words the element holds) are compared when the answer states them
        for key in _NAMED_PARTS:
            mine = gt.get(key)
            if key == "row" and mine is None and len(got.get("rows") or ()) == 1:
                mine = got["rows"][0]  # a row named for an edit of rows ("after the row for Class B")
            if key in wt and _norm_term(mine) != _norm_term(wt.get(key)):
                out.append(f"{key}: got {mine!r}, want {wt.get(key)!r}")
    out.extend(compare_new_text(got.get("new_text"), want))
    return out


@dataclass(frozen=True)
class ParseScore:
    """How one parse compares with its answer: counts and one line per mismatch."""

    expected: int
    matched: int
    extra: int
    missing: int
    mismatches: tuple[str, ...] = ()
    pairs: tuple[tuple[int, int], ...] = ()  # (answer's n, parse's n) of each answer paired with a parse


def _as_items(amendment: dict) -> list[dict]:
    """Instructions and notices of a parse (or an answer) as instruction-shaped dicts, in order."""
    items = list(amendment.get("instructions") or [])
    for n in amendment.get("notices") or []:
        if "op" in n:
            items.append(n)
        else:
            items.append({"n": n.get("n"), "op": "notice", "target": {}, "new_text": n.get("text")})
    return sorted(items, key=lambda i: i.get("n") or 0)


def score_parse(got: dict, want: dict) -> ParseScore:
    """Score a parse (``Amendment.to_json()``) against an answer file: pair by n, then by best match."""
    got_items, want_items = _as_items(got), _as_items(want)
    unpaired_got = list(got_items)
    lines: list[str] = []
    matched = 0
    leftovers: list[dict] = []
    pairs: list[tuple[int, int]] = []
    for w in want_items:
        same_n = [g for g in unpaired_got if g.get("n") == w.get("n")]
        if same_n and not compare_instruction(same_n[0], w):
            unpaired_got.remove(same_n[0])
            pairs.append((w.get("n"), same_n[0].get("n")))
            matched += 1
        else:
            leftovers.append(w)
    # The rest paired closest first, whatever their numbers (a parse that missed one instruction
    # numbers the next ones one lower): the pair with the fewest mismatches, then the nearest numbers.
    found: dict[int, tuple[dict, list[str]]] = {}
    candidates = sorted(
        ((len(d), abs((g.get("n") or 0) - (w.get("n") or 0)), i, j, d)
         for i, w in enumerate(leftovers) for j, g in enumerate(unpaired_got)
         for d in [compare_instruction(g, w)]),
        key=lambda c: c[:4])
    used: set[int] = set()
    for _, _, i, j, diffs in candidates:
        if i not in found and j not in used:
            found[i] = (unpaired_got[j], diffs)
            used.add(j)
    missing = 0
    for i, w in enumerate(leftovers):
        if i not in found:
            missing += 1
            lines.append(f"{w.get('n')}: missing ({w.get('op')} {w.get('target', {}).get('kind')})")
            continue
        best, diffs = found[i]
        pairs.append((w.get("n"), best.get("n")))
        if diffs:
            lines.append(f"{w.get('n')}: " + "; ".join(diffs))
        else:
            matched += 1
    unpaired_got = [g for j, g in enumerate(unpaired_got) if j not in used]
    for g in unpaired_got:
        lines.append(f"extra {g.get('n')}: {g.get('op')} {(g.get('target') or {}).get('kind')} {g.get('source_text', '')[:60]!r}")
    return ParseScore(
        expected=len(want_items),
        matched=matched,
        extra=len(unpaired_got),
        missing=missing,
        mismatches=tuple(lines),
        pairs=tuple(pairs),
    )
