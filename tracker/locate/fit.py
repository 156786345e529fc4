"""The constraints a unit must meet to be a candidate: the cover, the page named (one page of drift),
the heading path, the ordinal and the term or title. A unit that breaks one is out of reach; how
closely the others fit ranks them."""

from __future__ import annotations

from ..models import (
    Instruction,
    Ordinal,
    Segmented,
)
from ..text import normalise_heading
from .match import _cover_pages, _heading_fit, _page_cost, _plain, _split_heading
from .thresholds import COST_ORDINAL, COST_TERM
from .units import _Unit


def _locator_fit(ins: Instruction, seg: Segmented, u: _Unit, why: list[str]) -> tuple[float, bool] | None:
    """How well unit ``u`` fits the locator's cover, page, heading and ordinal, and whether the
    ordinal is the one named; None when it is out of reach (wrong page, heading missing)."""
    t = ins.target
    fit = 1.0
    # Front cover: only the pages before the first labelled page.
    if t.locus and "cover" in t.locus.lower() and not t.page:
        if not u.pages & _cover_pages(seg):
            return None
        why.append("front cover")
    if t.old_text and t.kind in ("sentence", "paragraph") and ins.op != "substitute":
        # "the sentence beginning «The Servicer will not»": it opens with these words
        if not _plain(seg.text[u.start:u.end]).casefold().startswith(_plain(t.old_text).casefold()):
            return None
        why.append(f"begins {t.old_text!r}")
    if t.contains:
        # "the sentence containing the words «subject to the consent»": it holds these words
        if _plain(t.contains).casefold() not in _plain(seg.text[u.start:u.end]).casefold():
            return None
        why.append(f"holds {t.contains!r}")
    # Page.
    named = list(t.pages) or ([t.page] if t.page else [])
    cost = _page_cost(seg, u.pages, named)
    if cost is None:
        return None
    fit -= cost
    labels = sorted({seg.pages[p].label or "cover" for p in u.pages})
    why.append("page " + "/".join(labels) + (" (one page off)" if cost else ""))
    # Heading.
    want = _split_heading(t.heading)
    hf = _heading_fit(u.heading, want)
    if hf is None:
        return None
    fit -= 1.0 - hf
    if u.heading:
        why.append("under " + " > ".join(u.heading))
    # Ordinal.
    o = t.ordinal
    ordinal_ok = True
    if o is not None:
        # A page named without a heading: paragraphs are counted on that page. The ordinal named
        # must hold: "the fifth paragraph" where there are two is not the second.
        c = _ordinal_cost(o, u, t.kind, why, by_page=bool(named) and not want)
        if c:
            return None
    return fit, ordinal_ok


def _ordinal_cost(o: Ordinal, u: _Unit, kind: str, why: list[str], by_page: bool = False) -> float:
    """What a unit's place costs against the ordinal named (0 when it is the one named).

    With ``by_page`` (a page named, no heading) paragraphs are counted among those that start
    on their page, not under their heading.
    """
    cost = 0.0
    if by_page and not o.after and o.paragraph is not None and u.kind in ("paragraph", "sentence"):
        why.append("paragraphs counted on their page")

    def at(n: int | None, counts: list[tuple[int, int] | None], from_end: bool, what: str) -> float:
        """Match ``n`` against any of the ways of counting (under the heading, after a table)."""
        if n is None:
            return 0.0
        pos, count = counts[0]
        for c in counts:
            if c is not None and (c[1] - c[0] + 1 if from_end else c[0]) == n:
                extra = "" if c == counts[0] else f", {c[0]} after the table"
                why.append(f"{what} {pos} of {count}{extra}")
                return 0.0
        named = f"{n} from the end" if from_end else str(n)
        why.append(f"{what} {pos} of {count} (named: {named})")
        return COST_ORDINAL

    # "the first paragraph following the table" counts from the table; "... following the bullet points" from
    # the list
    after_key = "after_bullets" if o.after and o.after.startswith("bullet") else "after_table"

    def para_counts(pos: int, count: int, after: tuple[int, int] | None,
                    on_page: tuple[int, int] | None = None) -> list:
        if by_page and not o.after:
            return [on_page or (-99, -99)]
        if o.after:
            # "the first paragraph following the table": only the count after a table.
            return [(pos, count), after] if after else [(pos, count), (-99, -99)]
        return [(pos, count), after]

    if u.kind == "sentence":
        # One from_end flag counts every element named from the end ("the last sentence of the final
        # paragraph"); ``paragraph_from_end`` gives the paragraph's own direction where it differs.
        sentence_from_end = o.from_end and o.sentence is not None
        para_from_end = o.from_end if o.paragraph_from_end is None else o.paragraph_from_end
        if o.paragraph is not None:
            counts = para_counts(u.para_position, u.para_count, u.extra.get(f"para_{after_key}"),
                                 u.extra.get("para_on_page"))
            if o.after:
                counts = counts[1:]
            c = at(o.paragraph, counts, para_from_end, "paragraph")
            cost += c
            cost += at(o.sentence, [(u.position, u.count)], sentence_from_end, "sentence")
        else:
            pos, count = u.extra.get("in_section", (u.position, u.count))
            cost += at(o.sentence, [(pos, count)], sentence_from_end, "sentence")
    elif u.kind == "bullet":
        cost += at(o.bullet if o.bullet is not None else o.paragraph, [(u.position, u.count)],
                   o.from_end, "bullet")
    elif u.kind == "paragraph" and o.paragraph is not None:
        counts = para_counts(u.position, u.count, u.extra.get(after_key), u.extra.get("on_page"))
        if o.after:
            counts = counts[1:]
        cost += at(o.paragraph, counts, o.from_end, "paragraph")
    elif u.kind == "table" and o.paragraph is not None:
        cost += at(o.paragraph, [(u.position, u.count)], o.from_end, "table")
    return cost


def _quoted_start(want: str, have: str) -> bool:
    """Whether a normalised title named is the first words (four or more) of a unit's longer title."""
    return len(want.split()) >= 4 and have.startswith(want + " ")


def _term_cost(term: str, seg: Segmented, u: _Unit, why: list[str]) -> float | None:
    want = normalise_heading(term)
    if u.kind == "heading":
        # A heading is named by its own words: only that heading.
        if normalise_heading(u.term or "") != want:
            return None
        why.append(f"heading {u.term!r}")
        return 0.0
    if u.kind in ("table", "risk_factor", "definition") or (u.kind == "paragraph" and u.term):
        have = normalise_heading(u.term or "")
        if not have:
            return None if u.kind != "table" else COST_TERM
        if have == want:
            why.append(f"titled {u.term!r}" if u.kind != "definition" else f"defines {u.term!r}")
            return 0.0
        if u.kind != "definition" and _quoted_start(want, have):
            # a long title quoted by its first words ("the risk factor entitled «Prepayments may ...»")
            why.append(f"titled {u.term!r} (its first words named)")
            return 0.0
        return None
    # A sentence or paragraph in the element titled so ("the risk factor entitled «X» is amended by
    # deleting the last sentence"): the title stands in its heading path.
    for h in u.heading:
        have = normalise_heading(h)
        if have == want or _quoted_start(want, have):
            why.append(f"under {h!r}")
            return 0.0
    # A sentence or paragraph named by a term it uses.
    body = _plain(seg.text[u.start:u.end]).casefold()
    if _plain(term).casefold() in body:
        why.append(f"uses {term!r}")
        return 0.0
    return COST_TERM
