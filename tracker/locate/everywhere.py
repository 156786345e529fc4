"""Edits that act on words wherever they stand: every occurrence of a global substitution, and
the values on a front cover."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..models import (
    Candidate,
    Edit,
    Instruction,
    Resolution,
    Segmented,
    page_number,
)
from .edits import _find_all, _substitute_text, _with_a_space
from .fit import _locator_fit
from .match import _cover_pages, _plain
from .newtext import _new_text
from .thresholds import MARGIN
from .units import _page_of, _Units


def _resolve_everywhere(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """A global substitution: every exact occurrence of the old wording (white space and quote
    style free, never inside a longer word or number) is replaced, in one resolution made of
    pieces. A page, heading or cover named narrows "everywhere" to the elements in reach."""
    t = ins.target
    if ins.op not in ("substitute", "replace", "delete") or not t.old_text:
        return Resolution(ins.n, "unsupported", 0.0,
                          reason=f"cannot {ins.op} every {t.kind}: only the old wording can be replaced or "
                                 "deleted everywhere")
    text = seg.text
    hits = _find_all(text, t.old_text, 0, len(text))
    if t.page or t.pages or t.heading or t.locus:
        reach = []
        for u in units.paragraphs + units.bullets + units.tables + units.definitions + units.risks:
            if _locator_fit(ins, seg, u, []) is not None:
                reach.append((u.start, u.end))
        hits = [h for h in hits if any(a <= h[0] and h[1] <= b for a, b in reach)]
    if not hits:
        where = " where the sticker says" if (t.page or t.pages or t.heading or t.locus) else ""
        return Resolution(ins.n, "unresolved", 0.0,
                          reason=f"no occurrence of {t.old_text!r} in the text{where}")
    if ins.op == "delete":
        # words taken out wherever they stand: each with the space before it (after it at a line's start)
        new, hits = "", [_with_a_space(text, a, b) for a, b in hits]
    else:
        new = _substitute_text(ins)
        if not new.strip():
            return Resolution(ins.n, "unsupported", 0.0, reason="the new wording is empty")
    pieces = tuple(Edit(a, b, new, ins.n) for a, b in hits)
    start, end = hits[0][0], hits[-1][1]
    rebuilt, pos = [], start
    for e in pieces:
        rebuilt += [text[pos:e.start], e.new]
        pos = e.end
    rebuilt.append(text[pos:end])
    cands = tuple(
        Candidate(a, b, 1.0, seg.pages[_page_of(seg, a)].label, (), f"{text[a:b]!r} at {a}")
        for a, b in hits[:20]
    )
    pages = sorted({seg.pages[_page_of(seg, a)].label or "cover" for a, _ in hits},
                   key=lambda x: (x != "cover", page_number(x) or ("", 0), x))
    return Resolution(ins.n, "applied", 1.0, start, end, "".join(rebuilt), cands,
                      f"{ins.op} every {t.old_text!r}: {len(hits)} occurrence"
                      f"{'s' if len(hits) > 1 else ''} (page{'s' if len(pages) > 1 else ''} "
                      f"{', '.join(pages)})", pieces=pieces)


def _resolve_value(ins: Instruction, seg: Segmented) -> Resolution:
    """A short value on the front cover (or a named page), found by similarity when unique."""
    t = ins.target
    new = _new_text(ins).strip()
    if new.endswith(".") and not re.search(r"\b[A-Z]\.$", new):
        new = new[:-1]  # sentence punctuation of the sticker, not part of the value
    if t.page:
        pages = {p.index for p in seg.pages if p.label == t.page}
    else:
        pages = _cover_pages(seg)
    if not pages:
        return Resolution(ins.n, "unresolved", 0.0, reason="no front cover or named page in the text")
    text = seg.text
    cells: list[tuple[int, int]] = []
    table_spans = [(b.start, b.end) for b in seg.blocks if b.kind in ("table", "toc")]
    for p in sorted(pages):
        page = seg.pages[p]
        for m in re.finditer(r"[^\n]+", text[page.start:page.end]):
            ls = page.start + m.start()
            if any(a <= ls < b for a, b in table_spans):
                continue  # a value named without row or column is not a table cell
            for c in re.finditer(r"\S+(?: \S+)*", m.group()):
                cells.append((ls + c.start(), ls + c.end()))
    want = _plain(new).casefold()
    shape = re.sub(r"\d", "9", want)
    scored = []
    for a, b in cells:
        have = _plain(text[a:b]).casefold()
        r = fuzz.ratio(want, have) / 100
        sr = fuzz.ratio(shape, re.sub(r"\d", "9", have)) / 100
        s = (r + sr) / 2
        scored.append((s, a, b))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < 0.8:
        return Resolution(ins.n, "unresolved", scored[0][0] if scored else 0.0,
                          reason="no value on the page looks like the new one")
    cands = tuple(
        Candidate(a, b, round(s, 3), seg.pages[_page_of(seg, a)].label,
                  (), f"value {text[a:b]!r} on the {'cover' if not t.page else 'page'}, similarity {s:.2f}")
        for s, a, b in scored[:3]
    )
    best = scored[0]
    if len(scored) > 1 and best[0] - scored[1][0] < MARGIN:
        return Resolution(ins.n, "ambiguous", best[0], candidates=cands,
                          reason=f"two values look alike: {text[best[1]:best[2]]!r} and "
                                 f"{text[scored[1][1]:scored[1][2]]!r}")
    return Resolution(ins.n, "applied", round(best[0], 3), best[1], best[2], new, cands,
                      f"replaces {text[best[1]:best[2]]!r}: {cands[0].why}")
