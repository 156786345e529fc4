"""Comparing what a sticker names with what a text has: words, a heading path, a page label.

What belongs here: folding white space, quotes and accents; likeness of two texts; whether a heading
path ends with the one named (by normalised words, a near miss is another heading); whether a page is
the one named or next to it; the pages before the first printed label (the cover)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from ..models import (
    Segmented,
    page_number,
)
from ..text import fold_space, normalise_heading, plain, split_heading_path
from .thresholds import COST_DEEPER, COST_DRIFT, COST_HEADING_PART

_fold = fold_space


_plain = plain


def _sim(a: str, b: str) -> float:
    a, b = _plain(a), _plain(b)
    if not a or not b:
        return 0.0
    return (fuzz.ratio(a, b) + fuzz.token_set_ratio(a, b)) / 200.0


def _heading_eq(a: str, b: str) -> bool:
    """Two normalised headings are the same heading: equal (a near miss is another heading)."""
    return a == b


def _heading_fit(path: Sequence[str], want: Sequence[str]) -> float | None:
    """Fit of a unit's heading path to the path named, or None when the last part is missing."""
    if not want:
        return 1.0
    # Many units share a path, and the instructions of one text name few: remembered.
    return _heading_fit_of(tuple(path), tuple(want))


@lru_cache(maxsize=8192)
def _heading_fit_of(path: tuple[str, ...], want: tuple[str, ...]) -> float | None:
    # a heading line that writes its own path ("Significant Mortgage Loans--The Westbrook Plaza Loan") is as
    # many levels as it names
    have = [_normalised_heading(part) for h in path for part in (split_heading_path(h) or (h,))]
    pos = None
    for j in range(len(have) - 1, -1, -1):
        if _heading_eq(have[j], want[-1]):
            pos = j
            break
    if pos is None:
        return None
    missing = 0
    k = pos - 1
    for w in reversed(want[:-1]):
        j = k
        while j >= 0 and not _heading_eq(have[j], w):
            j -= 1
        if j >= 0:
            k = j - 1
        else:
            missing += 1
    return 1.0 - COST_HEADING_PART * missing - COST_DEEPER * (len(have) - 1 - pos)


@lru_cache(maxsize=8192)
def _normalised_heading(h: str) -> str:
    return normalise_heading(h)


def _split_heading(heading: Sequence[str] | None) -> list[str]:
    """Normalised parts; a part like "Description of the Certificates--Advances" is two levels."""
    return [n for h in heading or () for part in split_heading_path(h) if (n := normalise_heading(part))]


def _page_cost(seg: Segmented, unit_pages: frozenset[int], named: Sequence[str]) -> float | None:
    """Cost of the unit's pages against the pages named: 0, drift, or None (too far)."""
    if not named:
        return 0.0
    n = len(seg.pages)
    if n and unit_pages and min(unit_pages) >= 0 and max(unit_pages) < n:
        exact, drift = _named_pages(seg, tuple(named))
        if not unit_pages.isdisjoint(exact):
            return 0.0
        return COST_DRIFT if not unit_pages.isdisjoint(drift) else None
    best = None
    for label in named:
        want = page_number(label)
        for p in unit_pages:
            have_label = seg.pages[p].label
            if have_label == label:
                return 0.0
            have = page_number(have_label)
            if want and have and want[0] == have[0] and abs(want[1] - have[1]) == 1:
                best = COST_DRIFT
    return best


_NAMED_PAGES: dict[tuple[int, tuple], tuple[tuple, frozenset[int], frozenset[int]]] = {}


def _named_pages(seg: Segmented, named: tuple[str, ...]) -> tuple[frozenset[int], frozenset[int]]:
    """The pages (indices) labelled as one of ``named``, and those one page off one of them, as
    ``_page_cost`` tells them; kept per pages tuple (identity checked), as it is asked per unit."""
    key = (id(seg.pages), named)
    hit = _NAMED_PAGES.get(key)
    if hit is None or hit[0] is not seg.pages:
        if len(_NAMED_PAGES) > 64:
            _NAMED_PAGES.clear()
        exact: set[int] = set()
        drift: set[int] = set()
        for label in named:
            want = page_number(label)
            for p, page in enumerate(seg.pages):
                have_label = page.label
                if have_label == label:
                    exact.add(p)
                    continue
                have = page_number(have_label)
                if want and have and want[0] == have[0] and abs(want[1] - have[1]) == 1:
                    drift.add(p)
        hit = (seg.pages, frozenset(exact), frozenset(drift))
        _NAMED_PAGES[key] = hit
    return hit[1], hit[2]


def _cover_pages(seg: Segmented) -> set[int]:
    out = set()
    for p in seg.pages:
        if p.label is not None:
            break
        out.add(p.index)
    return out
