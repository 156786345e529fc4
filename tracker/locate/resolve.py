"""Resolving an amendment: each instruction to a Resolution, in order, with conflicts marked.

What belongs here: the dispatch from an instruction to the way it is located (a unit of its kind, a
table edit, a counted position, every occurrence), the pool of units of the target's kind, scoring
one unit, a reviewer's override, and the overlaps between instructions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..models import (
    Amendment,
    Candidate,
    Instruction,
    Ordinal,
    Resolution,
    Segmented,
    Target,
)
from ..segment import definition_term
from ..text import normalise_heading
from .decide import _decide, _Scored
from .edits import _edit
from .everywhere import _resolve_everywhere, _resolve_value
from .fit import _locator_fit, _term_cost
from .match import _cover_pages, _heading_eq, _heading_fit, _named_pages, _sim, _split_heading
from .newtext import implausible_new_text
from .table_edits import (
    _resolve_cell,
    _resolve_column_delete,
    _resolve_row_delete,
    _resolve_toc_entry,
    _resolve_row_insert,
    _resolve_table_edit,
)
from .units import _build_units, _page_of, _Sentences, _Unit, _Units, unit_page


def resolve_amendment(
    amendment: Amendment,
    seg: Segmented,
    overrides: Mapping[int, tuple[int, int]] | None = None,
) -> tuple[Resolution, ...]:
    """Resolve every instruction of ``amendment`` against ``seg``: one Resolution each, in order."""
    overrides = overrides or {}
    units = _build_units(seg)
    # Sentence units (paragraphs split into sentences) serve sentence targets only: built on
    # demand, where a locator can reach, and shared by the instructions.
    sent = _Sentences(seg, units)
    out: list[Resolution] = []
    for ins in amendment.instructions:
        if ins.n in overrides:
            out.append(_override(ins, seg, overrides[ins.n]))
        else:
            out.append(resolve_instruction(ins, seg, units, sent))
    return _mark_conflicts(out)


def _override(ins: Instruction, seg: Segmented, span: tuple[int, int]) -> Resolution:
    start, end = span
    if not 0 <= start <= end <= len(seg.text):
        return Resolution(ins.n, "unresolved", 0.0, reason=f"reviewer's span {span} is outside the text")
    unit = _Unit(ins.target.kind, start, end, frozenset({_page_of(seg, start)}), (), None,
                 parts=((start, end),))
    made = _edit(ins, seg, unit)
    if made is None:
        return Resolution(ins.n, "unsupported", 0.0, reason=f"cannot perform {ins.op} on the chosen span")
    (a, b), rep = made
    cand = Candidate(a, b, 1.0, seg.pages[unit_page(seg, a)].label, (), "chosen by reviewer")
    return Resolution(ins.n, "applied", 1.0, a, b, rep, (cand,), "chosen by reviewer")


def _mark_conflicts(res: list[Resolution]) -> tuple[Resolution, ...]:
    applied = [r for r in res if r.status == "applied"]
    bad: dict[int, int] = {}
    for i, a in enumerate(applied):
        for b in applied[i + 1 :]:
            if _edits_overlap(a, b):
                bad[a.n] = b.n
                bad[b.n] = a.n
    out = []
    for r in res:
        if r.n in bad:
            r = Resolution(r.n, "conflict", r.confidence, r.start, r.end, r.replacement,
                           r.candidates, f"overlaps instruction {bad[r.n]}; neither applied")
        out.append(r)
    return tuple(out)


def _edits_overlap(a: Resolution, b: Resolution) -> bool:
    """Do two applied resolutions touch the same text? Piece by piece: another instruction may
    change the text between two places a global substitution changes."""
    if not _overlap((a.start, a.end), (b.start, b.end)):
        return False  # the pieces lie inside the spans they cover
    return any(_overlap((x.start, x.end), (y.start, y.end)) for x in a.edits() for y in b.edits())


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:
        # An insertion conflicts only with a span it falls strictly inside.
        p, (s, e) = (a[0], b) if a[0] == a[1] else (b[0], a)
        if a[0] == a[1] and b[0] == b[1]:
            return False
        return s < p < e
    return a[0] < b[1] and b[0] < a[1]


def resolve_instruction(
    ins: Instruction, seg: Segmented, units: _Units | None = None,
    sent: list[_Unit] | _Sentences | None = None,
) -> Resolution:
    """Resolve one instruction (without conflict checks against the others)."""
    if ins.op == "notice":
        return Resolution(ins.n, "notice", 1.0, reason="notice: changes no text")
    if ins.op == "unsupported":
        return Resolution(ins.n, "unsupported", 0.0, reason=ins.reason or "the sticker's wording was not understood")
    if ins.op in ("replace_rows", "replace_column") and not ins.new_text:
        return Resolution(ins.n, "unsupported", 0.0, reason=f"{ins.op} without new cells")
    if ins.op in ("replace", "substitute", "insert_after", "insert_before", "insert_at", "append") \
            and ins.new_text is None:
        return Resolution(ins.n, "unsupported", 0.0, reason=f"{ins.op} without new text")
    doubt = implausible_new_text(ins)
    if doubt is not None:
        return Resolution(ins.n, "unsupported", 0.0, reason=doubt)
    units = units or _build_units(seg)
    if sent is None:
        sent = _Sentences(seg, units) if ins.target.kind == "sentence" else []
    t = ins.target
    if t.scope == "all":
        return _resolve_everywhere(ins, seg, units)
    if ins.op in ("replace_rows", "replace_column"):
        return _resolve_table_edit(ins, seg, units)
    if ins.op == "insert_at" and t.ordinal is not None and t.kind in _CONTAINERS:
        return _resolve_position(ins, seg, units, sent)
    if ins.op == "insert_at" and t.kind == "definition" and t.ordinal is None:
        return _resolve_alphabetical(ins, seg, units)
    if ins.op == "append" and t.kind == "section" and _LAST_BULLET.search(ins.source_text or ""):
        # "added as the last bullet point under «X»": after the section's last bullet, wherever its list ends
        after = resolve_instruction(replace(ins, op="insert_after", target=replace(
            t, kind="bullet", ordinal=Ordinal(bullet=1, from_end=True))), seg, units)
        if after.status == "applied" or after.status == "ambiguous":
            return replace(after, reason=f"as the last bullet point: {after.reason}")
    if t.ordinal is not None and t.ordinal.run:
        return _resolve_run(ins, seg, units, sent)
    if t.kind == "cell" and t.row:
        return _resolve_cell(ins, seg, units)
    if t.kind == "row" and ins.op == "delete" and ins.rows:
        return _resolve_row_delete(ins, seg, units)
    if t.kind == "column" and ins.op == "delete":
        return _resolve_column_delete(ins, seg, units)
    if t.kind == "toc_entry" and ins.op in ("delete", "replace"):
        return _resolve_toc_entry(ins, seg)
    if t.kind == "row" and ins.op in ("insert_after", "insert_before") and len(ins.rows) == 1:
        return _resolve_row_insert(ins, seg, units)
    if t.kind == "value" and ins.op == "replace" and not t.old_text:
        return _resolve_value(ins, seg)
    if t.kind == "heading" and not t.term:
        if not t.heading:
            return Resolution(ins.n, "unsupported", 0.0, reason="the heading is not named")
        # "The heading "X"": the last part named is the heading itself.
        ins = _named(ins, t.heading[-1], t.heading[:-1])
    pool = _pool(ins, seg, units, sent)
    if pool is None:
        return Resolution(ins.n, "unsupported", 0.0,
                          reason=f"cannot {ins.op} a {t.kind} target")
    scored = [s for s in (_score(ins, seg, u) for u in _in_reach(ins, seg, pool)) if s is not None]
    if not scored and t.kind == "table" and not t.term and t.heading:
        # "The table under the caption "X"": a caption names the table, it is not a heading
        # the table sits under.
        named = _named(ins, t.heading[-1], t.heading[:-1])
        want = normalise_heading(t.heading[-1])
        scored = [s for s in (_score(named, seg, u) for u in _in_reach(named, seg, pool)) if s is not None
                  and _heading_eq(normalise_heading(s.unit.term or ""), want)]
        if scored:
            ins = named
    if not scored and t.kind == "paragraph" and t.footnote and not t.term and t.heading:
        # "Footnote (2) to the table under «X»": «X» is the table's caption; the footnote is one of the
        # notes that follow that table, before the next heading
        named = _named(ins, None, t.heading[:-1])
        notes = _notes_of(seg, units, normalise_heading(t.heading[-1]))
        scored = [s for s in (_score(named, seg, u) for u in pool if u.start in notes) if s is not None]
        if scored:
            ins = named
    return _decide(ins, seg, scored)


def _notes_of(seg: Segmented, units: _Units, caption: str) -> set[int]:
    """Where each paragraph after a table captioned so starts, up to the next heading or table."""
    starts: set[int] = set()
    for tu in units.tables:
        if tu.block is None or not _heading_eq(normalise_heading(tu.term or ""), caption):
            continue
        for b in seg.blocks[tu.block.index + 1 :]:
            if b.kind in ("heading", "table", "toc"):
                break
            starts.add(b.start)
    return starts


# What a counted position can be in: "as the third bullet point under «X»" (a section), "in the risk factor
# entitled «Y»", "as the second sentence of the first paragraph".
_CONTAINERS = ("section", "risk_factor", "paragraph")


def _resolve_position(ins: Instruction, seg: Segmented, units: _Units, sent) -> Resolution:
    """New text put at the Nth place in a container: before its Nth element, or after its last one when
    N is one past the count; any other N is out of range."""
    t, o = ins.target, ins.target.ordinal
    slot = "sentence" if o.sentence else "bullet" if o.bullet else "paragraph" if o.paragraph else None
    if slot is None or o.from_end:
        return Resolution(ins.n, "unsupported", 0.0, reason="the position is not counted from the start")
    n = getattr(o, slot)
    heading = tuple(t.heading or ()) + ((t.term,) if t.kind == "risk_factor" and t.term else ())
    within = {"paragraph": o.paragraph} if t.kind == "paragraph" and slot == "sentence" else {}

    def at(op: str, ordinal: Ordinal) -> Resolution:
        target = Target(slot, page=t.page, heading=heading or None, ordinal=ordinal, locus=t.locus, pages=t.pages)
        return resolve_instruction(replace(ins, op=op, target=target), seg, units, sent if slot == "sentence" else None)

    before = at("insert_before", Ordinal(**{slot: n}, **within))
    if before.status == "applied" or n == 1:
        return replace(before, reason=f"as {slot} {n}: {before.reason}")
    after = at("insert_after", Ordinal(**{slot: n - 1}, **within))
    last = at("insert_after", Ordinal(**{slot: 1}, from_end=True, **within))
    if after.status == "applied" and last.status == "applied" and (after.start, after.end) == (last.start, last.end):
        return replace(after, reason=f"as {slot} {n}, after the last: {after.reason}")
    return replace(before, reason=f"no {slot} {n} to put the text before, nor {n - 1} to follow as the last: "
                                  f"{before.reason}")


_LAST_BULLET = re.compile(r"\b(?:as|to be) (?:a |the )?(?:new )?(?:last|final) bullet", re.I)


def _resolve_alphabetical(ins: Instruction, seg: Segmented, units: _Units) -> Resolution:
    """A new definition added to a glossary "in alphabetical order": after the last definition whose term
    comes before its own (before the first when none does), among the definitions the locator reaches;
    refused when they are not in alphabetical order themselves or stand under more than one heading."""
    # the term it defines, read as the segmenter reads a glossary's own definitions
    new_term = definition_term(" ".join((ins.new_text or "").split()))
    if not new_term:
        return Resolution(ins.n, "unsupported", 0.0, reason="the new definition's term is not at its start")
    reach = [u for u in units.definitions if u.term and _locator_fit(ins, seg, u, []) is not None]
    groups = {u.heading for u in reach}
    if not reach:
        return Resolution(ins.n, "unresolved", 0.0, reason="no glossary of definitions where the sticker says")
    if len(groups) > 1:
        return Resolution(ins.n, "ambiguous", 0.0,
                          reason=f"definitions stand under {len(groups)} headings: "
                                 + "; ".join(" > ".join(g) for g in sorted(groups)))
    keys = [normalise_heading(u.term).casefold() for u in reach]
    if keys != sorted(keys):
        return Resolution(ins.n, "unsupported", 0.0, reason="the glossary is not in alphabetical order")
    mine = normalise_heading(new_term).casefold()
    if mine in keys:
        return Resolution(ins.n, "unsupported", 0.0, reason=f"the glossary already defines {new_term!r}")
    before = [u for u, k in zip(reach, keys) if k < mine]
    anchor, op = (before[-1], "insert_after") if before else (reach[0], "insert_before")
    target = Target("definition", heading=anchor.heading or None, term=anchor.term)
    got = resolve_instruction(replace(ins, op=op, target=target), seg, units)
    where = f"{'after' if before else 'before'} the definition of {anchor.term!r}"
    return replace(got, reason=f"in alphabetical order, {where}: {got.reason}")


def _resolve_run(ins: Instruction, seg: Segmented, units: _Units, sent) -> Resolution:
    """Several elements in a row ("the first two sentences of the paragraph", "the last three paragraphs
    under «X»"): the first and the last are located as any one is, in the same paragraph for sentences,
    and the span from one to the other is replaced or deleted."""
    t, o = ins.target, ins.target.ordinal
    slot = "sentence" if t.kind == "sentence" else "bullet" if t.kind == "bullet" else "paragraph"
    if ins.op not in ("replace", "delete") or getattr(o, slot) is None:
        return Resolution(ins.n, "unsupported", 0.0, reason=f"cannot {ins.op} a run of {slot}s")
    n = getattr(o, slot)
    ends = (n, n - o.run + 1) if o.from_end else (n, n + o.run - 1)
    if min(ends) < 1:
        return Resolution(ins.n, "unresolved", 0.0, reason=f"a run of {o.run} {slot}s from {slot} {n}")
    got = []
    for k in ends:
        one = replace(ins, op="delete", target=replace(t, ordinal=replace(o, run=None, **{slot: k})))
        r = resolve_instruction(one, seg, units, sent)
        if r.status != "applied":
            return replace(r, n=ins.n, reason=f"{slot} {k} of the run: {r.reason}")
        got.append(r)
    start = min(r.start for r in got)
    end = max(len(seg.text[: r.end].rstrip()) for r in got)  # a deletion's span takes the space after it
    if slot == "sentence" and re.search(r"\n[ \t]*\n", seg.text[start:end]):
        return Resolution(ins.n, "unresolved", 0.0, reason="the sentences of the run are not in one paragraph")
    unit = _Unit(t.kind, start, end, frozenset({_page_of(seg, start), _page_of(seg, end)}), (), None,
                 parts=((start, end),))
    made = _edit(replace(ins, target=replace(t, ordinal=None)), seg, unit)
    if made is None:
        return Resolution(ins.n, "unsupported", 0.0, reason=f"cannot {ins.op} a run of {slot}s here")
    (x, y), rep = made
    return Resolution(ins.n, "applied", min(r.confidence for r in got), x, y, rep, got[0].candidates,
                      f"{ins.op} {slot}s {min(ends)}-{max(ends)}{' from the end' if o.from_end else ''}: "
                      f"{got[0].reason}")


def _named(ins: Instruction, term: str, heading: Sequence[str]) -> Instruction:
    """``ins`` with its target named by ``term`` under ``heading`` (None when empty)."""
    t = replace(ins.target, term=term, heading=tuple(heading) or None)
    return replace(ins, target=t)


def _pool(ins: Instruction, seg: Segmented, units: _Units, sent: list[_Unit] | _Sentences) -> list[_Unit] | None:
    t = ins.target
    if (ins.op == "substitute" or (t.kind == "value" and t.old_text)) \
            and t.ordinal is not None and t.ordinal.bullet is not None:
        # "... in the fourth bullet": only bullets are counted as bullets.
        return units.bullets
    if (ins.op == "substitute" or (t.kind == "value" and t.old_text)) and t.ordinal is not None \
            and t.ordinal.sentence is not None and isinstance(sent, _Sentences):
        # "... in the first sentence of the second paragraph": the old wording is searched in that sentence
        return sent.units_for(replace(ins, target=replace(t, kind="sentence")))
    if t.footnote and (ins.op == "substitute" or (t.kind == "value" and t.old_text)):
        # words in a footnote: only the paragraphs that open with its mark
        return _footnotes(seg, units, t.footnote)
    if ins.op == "substitute":
        # The old wording is searched in every element of the scope.
        # (A bullet unit is never among the paragraph units, which are all of kind paragraph.)
        return units.paragraphs + [b for b in units.bullets if b.position and (
            b.kind == "bullet" or b not in units.paragraphs)] + units.tables
    kind = t.kind
    if kind == "value" and t.old_text:
        return units.paragraphs + units.bullets + units.tables
    if kind == "paragraph" and t.footnote:
        return _footnotes(seg, units, t.footnote)
    if kind == "paragraph" or kind == "text":
        return units.paragraphs
    if kind == "sentence":
        return sent.units_for(ins) if isinstance(sent, _Sentences) else sent
    if kind == "bullet":
        return units.bullets
    if kind == "table":
        return units.tables
    if kind == "risk_factor":
        return units.risks
    if kind == "definition":
        return units.definitions + [p for p in units.paragraphs if p.block and p.block.kind == "paragraph"]
    if kind == "section" and ins.op in ("append", "insert_after", "insert_before", "replace", "delete"):
        return units.sections
    if kind == "heading" and ins.op in ("replace", "delete", "insert_after", "insert_before"):
        return units.heads
    return None


def _in_reach(ins: Instruction, seg: Segmented, pool: list[_Unit]) -> list[_Unit]:
    """The units of ``pool`` on the cover, the pages and under the heading the locator names: those
    ``_score`` may not refuse for where they stand. The same tests as ``_locator_fit``'s, on sets
    made once per instruction and once per heading path, so that only these are scored."""
    t = ins.target
    named = list(t.pages) or ([t.page] if t.page else [])
    want = _split_heading(t.heading)
    cover = t.locus and "cover" in t.locus.lower() and not t.page
    if not (named or want or cover) or not seg.pages:
        return pool
    allowed = None
    if named:
        exact, drift = _named_pages(seg, tuple(named))
        allowed = exact | drift
    covers = _cover_pages(seg) if cover else None
    fits: dict[tuple[str, ...], bool] = {}
    out = []
    for u in pool:
        if allowed is not None and allowed.isdisjoint(u.pages):
            continue
        if covers is not None and covers.isdisjoint(u.pages):
            continue
        if want:
            ok = fits.get(u.heading)
            if ok is None:
                ok = fits[u.heading] = _heading_fit(u.heading, want) is not None
            if not ok:
                continue
        out.append(u)
    return out


def _footnotes(seg: Segmented, units: _Units, footnote: str) -> list[_Unit]:
    """A footnote by its mark: the paragraphs that open with it."""
    mark = footnote.strip("()")
    pattern = re.compile(rf"\s*(?:\(\s*{re.escape(mark)}\s*\)|{re.escape(mark)}(?:[.)]|\s))")
    return [u for u in units.paragraphs if pattern.match(seg.text, u.start)]


def _score(ins: Instruction, seg: Segmented, u: _Unit) -> _Scored | None:
    t = ins.target
    why: list[str] = []
    located = _locator_fit(ins, seg, u, why)
    if located is None:
        return None
    fit, ordinal_ok = located
    # Term.
    if t.term and u.kind in ("table", "risk_factor", "definition", "paragraph", "sentence", "heading"):
        c = _term_cost(t.term, seg, u, why)
        if c is None:
            return None
        fit -= c
    # The edit itself.
    made = _edit(ins, seg, u)
    if made is None:
        return None
    span, rep = made
    if ins.op == "substitute" or (t.kind == "value" and t.old_text):
        sim = 1.0  # the old wording was found exactly once
    elif ins.op in ("replace",):
        sim = _sim(seg.text[span[0]:span[1]], rep)
        why.append(f"similarity {sim:.2f}")
    else:
        sim = None
    fit = max(0.0, fit)
    score = fit if sim is None else (fit + sim) / 2
    return _Scored(u, fit, sim if sim is not None else 0.0, score, ", ".join(why), span, rep,
                   ordinal_ok)
