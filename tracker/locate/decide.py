"""Choosing among the places that satisfy every constraint, or refusing with the reason.

What belongs here: the scored candidate, the rule that similarity may only choose among places the
locator cannot tell apart and only when decisive, and the reasons given when nothing fits."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from ..models import (
    Candidate,
    Instruction,
    Resolution,
    Segmented,
)
from .match import _plain
from .thresholds import DECISIVE_MARGIN, DECISIVE_SIM, MIN_SCORE
from .units import _page_of, _Unit


@dataclass
class _Scored:
    unit: _Unit
    fit: float
    sim: float
    score: float
    why: str
    span: tuple[int, int]
    replacement: str
    ordinal_ok: bool = True


def _decide(ins: Instruction, seg: Segmented, scored: list[_Scored]) -> Resolution:
    """Choose among the places that satisfy every constraint named, or refuse with the reason.

    The locator ranks them by how closely they fit (the page named before the page next to it, a
    block right under the heading named before one under a sub-heading of it). The best fitting
    places are those the locator cannot tell apart; when there are several, the new text may pick
    one only when it is decisive, else the instruction is ambiguous and every candidate is shown.
    """
    if not scored:
        return Resolution(ins.n, "unresolved", 0.0, reason=_nothing_reason(ins))
    scored.sort(key=lambda s: (-s.fit, -s.score, s.span[0]))
    # One place reached as two kinds of unit (a bullet that is also a paragraph) counts once.
    seen: set[tuple[int, int]] = set()
    scored = [s for s in scored if not (s.span in seen or seen.add(s.span))]
    top = [s for s in scored if s.fit > scored[0].fit - 1e-9]
    top.sort(key=lambda s: (-s.sim, s.span[0]))
    rest = [s for s in scored if s not in top]
    cands = tuple(
        Candidate(s.span[0], s.span[1], round(s.score, 3),
                  seg.pages[_page_of(seg, s.span[0])].label, s.unit.heading, s.why)
        for s in (top + rest)[:5]
    )
    best = top[0]
    if len(top) > 1:
        second = top[1]
        # words the sticker names the element by ("the sentence containing «X»", "the sentence beginning «X»")
        # are meant to name one: when several hold them, the new text does not choose
        named_by_words = ins.target.contains or (ins.target.old_text and ins.target.kind in ("sentence", "paragraph")
                                                 and ins.op != "substitute")
        if ins.op != "replace" or named_by_words or not _decisive(seg, best, second):
            closest = "both" if len(top) == 2 else "the two closest"
            what = (f"the new text is like {closest} ({best.sim:.2f} and {second.sim:.2f})"
                    if ins.op == "replace" and not named_by_words
                    else f"each holds {ins.target.contains!r}" if ins.target.contains
                    else f"each begins {ins.target.old_text!r}" if named_by_words
                    else "nothing in the instruction tells them apart")
            return Resolution(ins.n, "ambiguous", round(best.score, 3), candidates=cands,
                              reason=f"{len(top)} places fit the locator equally and {what}: "
                                     f"{best.why}; and {second.why}")
    if best.score < MIN_SCORE:
        return Resolution(ins.n, "unresolved", round(best.score, 3), candidates=cands,
                          reason=f"best candidate too weak ({best.score:.2f}): {best.why}")
    return Resolution(ins.n, "applied", round(min(1.0, best.score), 3), best.span[0], best.span[1],
                      best.replacement, cands, f"{ins.op} {ins.target.kind}: {best.why}")


def _decisive(seg: Segmented, best: _Scored, second: _Scored) -> bool:
    """Whether the new text tells the best place from the second: like it, and clearly more like it.

    Clearly more: by DECISIVE_MARGIN in similarity, or, between places alike in wording (two fee
    paragraphs that differ by a name and a rate), by changing at most half as many words of it as
    of the other, and few of them.
    """
    if best.sim < DECISIVE_SIM:
        return False
    if best.sim - second.sim >= DECISIVE_MARGIN:
        return True
    new = _plain(best.replacement).split()
    d1 = Indel.distance(_plain(seg.text[best.span[0]:best.span[1]]).split(), new)
    d2 = Indel.distance(_plain(seg.text[second.span[0]:second.span[1]]).split(), new)
    return 2 * d1 <= d2 and d1 <= 0.25 * len(new)


def _nothing_reason(ins: Instruction) -> str:
    t = ins.target
    bits = [t.kind]
    if t.page:
        bits.append(f"on page {t.page}")
    if t.heading:
        bits.append("under " + " > ".join(t.heading))
    if t.term:
        bits.append(f"named {t.term!r}")
    if ins.op == "substitute" and t.old_text:
        bits.append(f"holding {t.old_text!r} once")
    return "no " + " ".join(bits) + " in the text"
