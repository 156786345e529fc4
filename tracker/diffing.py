"""Exact diffs and patches between texts: the only module that imports diff_match_patch.

``Diff_Timeout`` is 0 so the same pair always gives the same diff; a patch that does not apply
cleanly, or applies to a text with the wrong hash, raises ``PatchError`` instead of returning a
near miss.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re

from typing import TYPE_CHECKING

from .errors import PatchError

if TYPE_CHECKING:
    from diff_match_patch import diff_match_patch


def _engine() -> diff_match_patch:
    from diff_match_patch import diff_match_patch  # here, not above: replaying deltas needs none

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    # Exact application only: no fuzzy matching of a patch's context.
    dmp.Match_Threshold = 0.0
    dmp.Patch_DeleteThreshold = 0.0
    return dmp


def make_patch(old: str, new: str) -> str:
    """A diff-match-patch patch (its text form) that turns ``old`` into ``new``."""
    dmp = _engine()
    diffs = dmp.diff_main(old, new, False)
    dmp.diff_cleanupEfficiency(diffs)
    return dmp.patch_toText(dmp.patch_make(old, diffs))


def apply_patch(old: str, patch_text: str, expected_sha256: str | None = None) -> str:
    """Apply a patch made by ``make_patch``; raise ``PatchError`` unless every hunk applies exactly."""
    dmp = _engine()
    try:
        patches = dmp.patch_fromText(patch_text)
    except ValueError as exc:
        raise PatchError(f"malformed patch: {exc}") from None
    new, results = dmp.patch_apply(patches, old)
    if not all(results):
        failed = [i + 1 for i, ok in enumerate(results) if not ok]
        raise PatchError(f"patch hunks {failed} do not apply")
    if expected_sha256 is not None:
        got = hashlib.sha256(new.encode("utf-8")).hexdigest()
        if got != expected_sha256:
            raise PatchError(f"patched text has hash {got[:12]}, expected {expected_sha256[:12]}")
    return new


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """A word-level diff: a list of (op, text) with op -1 deleted, 0 kept, 1 inserted."""
    dmp = _engine()
    tokens: dict[str, int] = {}
    vocabulary: list[str] = [""]

    def encode(text: str) -> str:
        out = []
        for word in _words(text):
            code = tokens.get(word)
            if code is None:
                code = len(vocabulary)
                tokens[word] = code
                vocabulary.append(word)
            out.append(chr(code))
        return "".join(out)

    from rapidfuzz.distance import Indel  # imported here: it costs 20 ms, and reading needs none

    a, b = encode(old), encode(new)
    # The alignment itself is a longest common subsequence of the words (rapidfuzz's bit-parallel
    # Indel, in C: diff-match-patch's bisection in Python costs some 10 ms a paragraph), then
    # diff-match-patch's semantic clean-up, so that a rewritten passage reads as one deletion
    # and one insertion instead of a confetti of shared small words.
    diffs: list[list] = []
    for op in Indel.opcodes(a, b):
        if op.tag == "equal":
            diffs.append([0, a[op.src_start:op.src_end]])
            continue
        if op.src_end > op.src_start:
            diffs.append([-1, a[op.src_start:op.src_end]])
        if op.dest_end > op.dest_start:
            diffs.append([1, b[op.dest_start:op.dest_end]])
    dmp.diff_cleanupMerge(diffs)
    dmp.diff_cleanupSemantic(diffs)
    return [(op, "".join(vocabulary[ord(c)] for c in chunk)) for op, chunk in diffs]


_WORD_OR_SPACE = re.compile(r"\s+|\S+")


def _words(text: str) -> list[str]:
    """Split into words and the white space between them, keeping every character."""
    return _WORD_OR_SPACE.findall(text)


def diff_ops(old: str, new: str) -> list[tuple[int, str]]:
    """An exact character diff: (op, text) with op -1 deleted, 0 kept, 1 inserted; semantically cleaned."""
    dmp = _engine()
    diffs = dmp.diff_main(old, new, False)
    dmp.diff_cleanupSemantic(diffs)
    return [(op, text) for op, text in diffs]


Edit = tuple[int, int, str]  # replace old[start:end] by the string


def apply_edits(old: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits given in ``old``'s coordinates; exact, no matching involved."""
    out, pos = [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos or end < start or end > len(old):
            raise PatchError(f"edit {start}..{end} overlaps another or falls outside the text")
        out.append(old[pos:start])
        out.append(new)
        pos = end
    out.append(old[pos:])
    return "".join(out)


def resolution_edits(resolutions) -> list[Edit]:
    """The exact edits the applied resolutions make (an instruction may change several places), in
    instruction order, so that insertions at one point keep the order of their instructions."""
    applied = sorted((r for r in resolutions if r.status == "applied"), key=lambda r: r.n)
    return [(e.start, e.end, e.new) for r in applied for e in r.edits()]


def apply_resolutions(text: str, resolutions) -> str:
    """Apply every applied resolution to ``text`` (the applier of ``apply``, ``ingest`` and ``eval``);
    raise ``PatchError`` when two of them change the same text or one falls outside it."""
    try:
        return apply_edits(text, resolution_edits(resolutions))
    except PatchError as exc:
        spans = sorted((e.start, e.end, r.n) for r in resolutions if r.status == "applied" for e in r.edits())
        pairs = [(a[2], b[2]) for a, b in zip(spans, spans[1:]) if b[0] < a[1]]
        if pairs:
            raise PatchError(f"instructions {pairs[0][0]} and {pairs[0][1]} overlap; resolve them first") from None
        raise PatchError(f"an instruction's span falls outside the text: {exc}") from None


# Pieces a replayed text is kept in at most: past it they are joined (one copy of the text), so
# that each step of a long chain walks a short list.
MAX_PIECES = 256


def apply_edit_chain(text: str, chain: list[list[Edit]], span: tuple[int, int] | None = None) -> str:
    """``apply_edits`` for each list of edits in turn (each in the coordinates of the text the one
    before made), without building the texts in between. With ``span``, the first text is
    ``text[start:end]`` (a document's text within its filing's), not copied out first.

    The text is kept as pieces, each a span of a string (of the first text, or of an edit's new
    text), and each step walks the pieces once, cutting spans, copying no characters; the pieces
    are joined once at the end (or once every ``MAX_PIECES`` pieces), so replaying 30 deltas on a
    megabyte costs one copy of it, and replaying a thousand a few.
    """
    start, end = span if span is not None else (0, len(text))
    pieces: list[tuple[str, int, int]] = [(text, start, end)]
    total = end - start
    for edits in chain:
        if len(pieces) > MAX_PIECES:
            text = _joined(pieces)
            pieces = [(text, 0, len(text))]
        pieces, total = _edited(pieces, total, edits)
    return _joined(pieces)


def _edited(pieces: list[tuple[str, int, int]], total: int, edits: list[Edit]) -> tuple[list, int]:
    """The pieces of the text ``edits`` make of the text ``pieces`` hold (``total`` characters).

    Where each piece ends is found by bisection; the whole pieces between two edits are copied
    as one slice of the list."""
    ends = list(itertools.accumulate([b - a for _, a, b in pieces]))
    out: list[tuple[str, int, int]] = []
    pos = 0  # how far the text is copied (or skipped)
    grown = 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos or end < start or end > total:
            raise PatchError(f"edit {start}..{end} overlaps another or falls outside the text")
        _copy(pieces, ends, pos, start, out)
        if new:
            out.append((new, 0, len(new)))
        pos = end
        grown += len(new) - (end - start)
    _copy(pieces, ends, pos, total, out)
    return out, total + grown


def _copy(pieces: list[tuple[str, int, int]], ends: list[int], frm: int, to: int, out: list) -> None:
    """The pieces of the text from offset ``frm`` to ``to`` (cut where a piece crosses either)."""
    if to <= frm:
        return
    i = bisect.bisect_right(ends, frm)  # the piece holding ``frm``
    j = bisect.bisect_left(ends, to)  # the piece holding the last character before ``to``
    src, a, b = pieces[i]
    first = a + frm - (ends[i] - (b - a))
    if i == j:
        out.append((src, first, first + to - frm))
        return
    out.append((src, first, b))
    out.extend(pieces[i + 1:j])
    src, a, b = pieces[j]
    out.append((src, a, b - (ends[j] - to)))


def _joined(pieces: list[tuple[str, int, int]]) -> str:
    return "".join(src if (a == 0 and b == len(src)) else src[a:b] for src, a, b in pieces)


Changed = tuple[int, int, int, int]  # old_start, old_end, new_start, new_end


def changed_ranges(chain: list[list[Edit]]) -> list[Changed]:
    """Where a chain of exact deltas changed a text, in the first text's and the last text's offsets.

    Each step's edits are in the offsets of the text the step before made (as ``apply_edit_chain``
    takes them). The ranges come sorted and apart; outside them the first and the last text hold
    the same characters in the same order. Nothing is diffed: the deltas say where the changes are.
    """
    # Each region: [old_start, old_end, start, end] with start/end in the current text.
    regions: list[list[int]] = []
    for edits in chain:
        items = sorted(
            [(r[2], r[3], 0, r) for r in regions] + [(e[0], e[1], 1, e) for e in edits],
            key=lambda x: (x[0], x[1], x[2]),
        )
        clusters: list[list] = []  # [start, end, members], touching items joined
        for start, end, kind, item in items:
            if clusters and start <= clusters[-1][1]:
                clusters[-1][1] = max(clusters[-1][1], end)
                clusters[-1][2].append((kind, item))
            else:
                clusters.append([start, end, [(kind, item)]])
        out: list[list[int]] = []
        grown = 0  # how much longer the earlier regions made the current text than the first
        moved = 0  # how much longer this step's earlier edits make the next text than the current
        for start, end, members in clusters:
            region_growth = sum((r[3] - r[2]) - (r[1] - r[0]) for kind, r in members if kind == 0)
            edit_growth = sum(len(e[2]) - (e[1] - e[0]) for kind, e in members if kind == 1)
            out.append([start - grown, end - grown - region_growth, start + moved, end + moved + edit_growth])
            grown += region_growth
            moved += edit_growth
        regions = out
    return [(r[0], r[1], r[2], r[3]) for r in regions]


PATCH_WINDOW = 256  # characters of unchanged text kept around each edit when its patch is made


def patch_from_edits(old: str, edits: list[Edit]) -> str:
    """The diff-match-patch patch for known edits: only each edited span is diffed (word level).

    Each group of nearby edits is made into patches on a window of the text around it, and the
    patches are moved to where the window stands: ``patch_make`` copies its whole text once per
    insertion or deletion, which on a megabyte costs more than the diffing. The patches carry
    their exact offsets, and ``apply_patch`` applies them only there.
    """
    dmp = _engine()
    patches = []
    shift = 0  # how much longer the edits so far made the text
    for group in _groups(sorted(edits, key=lambda e: (e[0], e[1]))):
        lo = max(0, group[0][0] - PATCH_WINDOW)
        hi = min(len(old), group[-1][1] + PATCH_WINDOW)
        diffs: list[tuple[int, str]] = []
        pos = lo
        for start, end, new in group:
            if start > pos:
                diffs.append((0, old[pos:start]))
            # Word by word: a replaced paragraph costs a diff of a few hundred words, not of a
            # few thousand characters (diff_bisect is quadratic in pure Python).
            diffs.extend(word_diff(old[start:end], new))
            pos = end
        if pos < hi:
            diffs.append((0, old[pos:hi]))
        merged: list[list] = []
        for op, text in diffs:
            if not text:
                continue
            if merged and merged[-1][0] == op:
                merged[-1][1] += text
            else:
                merged.append([op, text])
        # Patches are in rolling offsets (each after the ones before it were applied): in the
        # text the earlier groups changed, this window starts at lo + shift.
        for patch in dmp.patch_make(old[lo:hi], [tuple(d) for d in merged]):
            patch.start1 += lo + shift
            patch.start2 += lo + shift
            patches.append(patch)
        shift += sum(len(new) - (end - start) for start, end, new in group)
    return dmp.patch_toText(patches)


def _groups(edits: list[Edit]) -> list[list[Edit]]:
    """Sorted edits in groups whose windows would overlap."""
    groups: list[list[Edit]] = []
    for e in edits:
        if groups and e[0] - groups[-1][-1][1] <= 2 * PATCH_WINDOW:
            groups[-1].append(e)
        else:
            groups.append([e])
    return groups
