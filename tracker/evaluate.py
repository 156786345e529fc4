"""The evaluation harness: run cases (base + sticker + answer) through the product and score them.

A case folder holds ``base.txt``, ``sticker.txt``, ``expected.txt`` and ``case.json`` (the answer),
or, on a real HTML base, ``base.htm`` and a ``case.json`` whose instructions carry the words they
replace (``old_text_words``) and their ``new_text`` instead of an expected text (and, when a correct
tool must refuse the whole sticker, ``"expect": "refuse"``). A stickers folder holds ``NAME.txt``
with its answer ``NAME.json`` and is scored on parsing alone, as ``tracker parse`` parses it.

Each case runs in a temporary database through the calls ``ingest`` and ``apply`` make: the base is
ingested (dated by the answer's ``base_date`` when it carries no date of its own), the sticker is
ingested as an amendment of it (``--amends``; dated by ``sticker_date`` when it has none) and
applied, strictly, or partially when the answer expects some instruction to be refused. Parsing is
scored on the instructions read back from the store, each instruction on its stored resolution, and
the document on the stored version. With ``use_answers`` the answer's own instructions are stored
in place of the parser's, which measures locating and applying alone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import diffing, scoring, service
from .errors import InputError, NeedsReview, TrackerError
from .models import Amendment, Instruction, Resolution, from_record
from .store import Store
from .text import fold_space

CONTEXT = 80  # raw characters of context on each side when checking a change against expected.txt


fold = fold_space  # how the corpus compares texts


@dataclass
class CaseResult:
    name: str
    expected: int = 0
    parse_expected: int = 0
    parsed_exact: int = 0
    applied_exact: int = 0
    refused: int = 0
    applied_wrong: int = 0
    document_exact: bool = False
    failures: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def find_cases(root: Path) -> tuple[list[Path], list[Path]]:
    """Case folders and parse-only sticker files under ``root`` (a corpus, a cases dir or one case)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"not a directory: {root}")
    if (root / "case.json").is_file():
        return [root], []
    cases = sorted(p.parent for p in root.glob("*/case.json"))
    cases += sorted(p.parent for p in root.glob("cases/*/case.json"))
    sticker_dir = root / "stickers" if (root / "stickers").is_dir() else root
    stickers = sorted(p for p in sticker_dir.glob("*.txt") if p.with_suffix(".json").is_file())
    if not cases and not stickers:
        raise InputError(f"no evaluation cases or answered stickers under {root}")
    return cases, stickers


def score_sticker(path: Path) -> tuple[int, int, list[str]]:
    """Parse one answered sticker as ``tracker parse`` does; return (expected, matched, failure lines)."""
    answer = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    got = service.parse_bytes(path.read_bytes()).to_json()
    score = scoring.score_parse(got, answer)
    return score.expected, score.matched, [f"{path.stem}: {line}" for line in score.mismatches]


def _marked(text: str, resolutions) -> str:
    """The text with every applied replacement wrapped in markers \\x00n\\x01 ... \\x02."""
    # An instruction that changes several places (its pieces) is marked at each of them.
    edits = [e for r in resolutions for e in r.edits()]
    for e in sorted(edits, key=lambda e: (e.start, e.end, e.n), reverse=True):
        text = text[: e.start] + f"\x00{e.n}\x01" + e.new + "\x02" + text[e.end :]
    return text


_MARKS = re.compile(r"\x00\d+\x01|\x02")


def _expected_single(base: str, want: dict[str, Any]) -> str | None:
    """base.txt with only this instruction's expected edit, folded, when case.json pins its span.

    The span is pinned by ``old_starts``/``old_ends`` (the first and last characters of the
    replaced text, white space folded); when ``old_starts`` occurs more than once, None. For an
    insertion the span pinned is the element it goes next to, which stays (the new text before it,
    or after it; after the last element of the container for an append). A column deleted pins its
    table, which stays without it: no single span says what it becomes (None).
    """
    if want.get("op") == "delete" and (want.get("target") or {}).get("kind") == "column":
        return None
    starts, ends = fold(want.get("old_starts") or ""), fold(want.get("old_ends") or "")
    if not starts or not ends:
        return None
    folded = fold(base)
    if folded.count(starts) != 1:
        return None
    a = folded.find(starts)
    b = folded.find(ends, a)
    if b < 0:
        return None
    new, anchor = fold(want.get("new_text") or ""), folded[a : b + len(ends)]
    op = want.get("op")
    if op in ("insert_after", "append", "insert_at"):
        new = f"{anchor} {new}"
    elif op == "insert_before":
        new = f"{new} {anchor}"
    return fold(folded[:a] + new + folded[b + len(ends) :])


def _lands_right(marked: str, n: int, expected_folded: str) -> bool:
    """Does replacement n, with its neighbours on both sides, appear as such in the expected text?"""
    start = marked.index(f"\x00{n}\x01")
    body_start = start + len(f"\x00{n}\x01")
    end = marked.index("\x02", body_start)
    before = _MARKS.sub("", marked[:start])[-CONTEXT:]
    after = _MARKS.sub("", marked[end + 1 :])[:CONTEXT]
    body = _MARKS.sub("", marked[body_start:end])
    return fold(before + body + after) in expected_folded


def _correct(base_text, r, want, marked, expected_folded) -> bool:
    """Is one applied instruction right? Against its pinned span if any; else is what it changes one of
    the changes that turn the base into the expected text, word for word and in the same place; else
    in context."""
    single = _expected_single(base_text, want)
    if single is not None:
        mine = fold(diffing.apply_resolutions(base_text, [r]))
        return mine == single or (_about_bullets(want) and _no_markers(mine) == _no_markers(single))
    return _among_expected_changes(base_text, r, expected_folded) or _lands_right(marked, r.n, expected_folded)


_WORD = re.compile(r"\S+")
# a list item's marker standing alone: layout the answers' pinned words leave out
_MARKER_TOKEN = re.compile(r"(?:(?<= )|^)(?:[•·▪◦■o*-]|\(\w{1,3}\)|\d{1,2}\.)(?= |$)")


def _about_bullets(want: dict[str, Any]) -> bool:
    """Whether an answer acts on a bullet item or adds one (its words pinned without the marker)."""
    t = want.get("target") or {}
    return t.get("kind") == "bullet" or (t.get("ordinal") or {}).get("bullet") is not None or \
        want.get("new_kind") == "bullet" or t.get("new_kind") == "bullet"


def _no_markers(folded: str) -> str:
    return fold(_MARKER_TOKEN.sub("", folded))


def _word_changes(old: list[str], new: list[str]) -> list[tuple[int, int, list[str]]]:
    """(old start, old end, new words) of each change between two word lists."""
    from difflib import SequenceMatcher

    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return [(i1, i2, new[j1:j2]) for tag, i1, i2, j1, j2 in ops if tag != "equal"]


def _among_expected_changes(base: str, r: Resolution, expected_folded: str) -> bool:
    """Whether every change ``r`` makes, in words, is a change of the base into the expected text at the
    same words (or a part of one, where two instructions' changes touch)."""
    words = _WORD.findall(base)
    want = _word_changes(words, expected_folded.split())
    mine = _word_changes(words, _WORD.findall(diffing.apply_resolutions(base, [r])))
    if not mine:
        return False
    for a, b, new in mine:
        if not any(wa <= a and b <= wb and (a, b, new) == (wa, wb, wnew) or (
                wa <= a and b <= wb and " ".join(new) in " ".join(wnew)) for wa, wb, wnew in want):
            return False
    return True


def instruction_from_answer(d: dict[str, Any]) -> Instruction:
    """An Instruction built from one answer entry (to score the locator apart from the parser).

    Read with the store's codec, so every field the answer gives that ``Instruction`` or ``Target``
    has is kept.
    """
    if "old_text_words" in d:
        # a case scored by its words gives the passage around the change; the instruction's own new
        # text is what the sticker says (the inserted text, the new words of a substitution)
        d = {**d, "new_text": scoring.words_answer(d)["new_text"]}
    t = dict(d["target"])
    o = t.get("ordinal")
    if isinstance(o, int):  # a bare number counts elements of the target's own kind
        t["ordinal"] = {{"sentence": "sentence", "bullet": "bullet"}.get(t["kind"], "paragraph"): o}
    if t.get("ordinal"):
        t["ordinal"] = {**t["ordinal"], "from_end": bool(t["ordinal"].get("from_end"))}
    return from_record(Instruction, {**d, "target": t, "source_text": "", "span": [0, 0]})


def base_file(folder: Path, answer: dict[str, Any]) -> Path:
    for name in (answer.get("base_file"), "base.txt", "base.htm", "base.html"):
        if name and (folder / name).is_file():
            return folder / name
    raise InputError(f"{folder.name}: no base file")


def expected_by_words(base: str, wants: list[dict[str, Any]]) -> str | None:
    """The base with each instruction's ``old_text_words`` replaced by its ``new_text`` once, in order."""
    out = fold(base)
    for w in wants:
        old, new = fold(w.get("old_text_words") or ""), fold(w.get("new_text") or "")
        if not old or old not in out:
            return None
        out = fold(out.replace(old, new, 1))  # a deletion leaves the spaces on both sides: one
    return out


@dataclass
class Run:
    """What the store kept of one case: the base text, the instructions read back (None when no
    amendment was recorded), each instruction's stored resolution, and the new version's text (None
    when none was written)."""

    base_text: str
    amendment: Amendment | None = None
    resolutions: dict[int, Resolution] = field(default_factory=dict)
    document: str | None = None
    error: str | None = None


def case_date(value: str | None) -> dt.date | None:
    """A date of case.json; one given only by its year is taken as the year's last day, which a
    sticker of that year cannot be dated after (so it never falls before its base)."""
    if not value:
        return None
    return dt.date(int(value), 12, 31) if re.fullmatch(r"\d{4}", value) else dt.date.fromisoformat(value)


def run_through_store(base: Path, sticker: Path, answer: dict[str, Any], *, partial: bool,
                      given: Amendment | None = None) -> Run:
    """Ingest the base, ingest the sticker as an amendment of it, apply; read back what was stored."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "eval.db")
        try:
            first = service.ingest_bytes(store, base.read_bytes(), source_name=base.name,
                                         date=case_date(answer.get("base_date")))
            target = service.find_document(store, str(first.documents[0]["id"]))
            run = Run(store.version_text(store.versions_of(target.id)[0]))
            try:
                second = service.ingest_bytes(store, sticker.read_bytes(), source_name=sticker.name,
                                              amends_document=target, date=case_date(answer.get("sticker_date")),
                                              given=given)
                version = service.apply_amendment(store, second.filing_id, partial=partial).version
            except NeedsReview:
                version = None
            except TrackerError as exc:
                run.error = str(exc)
                return run
            run.amendment = store.parsed_amendment(second.filing_id)
            run.resolutions = {r.n: r for r in service.stored_resolutions(store, second.filing_id)}
            run.document = store.version_text(version) if version else None
            return run
        finally:
            store.close()


def _must_refuse(want: dict[str, Any]) -> bool:
    return want.get("expect") in ("refuse", "refused")


class _Check:
    """How a case says what is right: ``expected.txt``, or the answer's old and new words."""

    def __init__(self, folder: Path, answer: dict[str, Any], run: Run):
        self.run, self.wants = run, answer.get("instructions", [])
        self.refuse_all = answer.get("expect") == "refuse"
        expected = folder / "expected.txt"
        if expected.is_file():
            self.expected: str | None = fold(expected.read_text(encoding="utf-8"))
            self.marked = _marked(run.base_text, list(run.resolutions.values()))
        else:
            self.expected, self.marked = None, None

    def instruction(self, r: Resolution, want: dict[str, Any]) -> bool:
        """Is one applied instruction right?"""
        base = self.run.base_text
        if self.expected is not None:
            return _correct(base, r, want, self.marked, self.expected)
        mine, expected = fold(diffing.apply_resolutions(base, [r])), expected_by_words(base, [want])
        return mine == expected or (_about_bullets(want) and expected is not None
                                    and _no_markers(mine) == _no_markers(expected))

    def document(self) -> bool:
        run = self.run
        if self.refuse_all:
            return run.document is None and bool(run.resolutions) and all(
                r.status != "applied" for r in run.resolutions.values())
        want = self.expected if self.expected is not None else expected_by_words(run.base_text, self.wants)
        if run.document is None or want is None:
            return False
        got = fold(run.document)
        return got == want or (any(_about_bullets(w) for w in self.wants) and _no_markers(got) == _no_markers(want))


def run_case(folder: Path, *, use_answers: bool = False) -> CaseResult:
    """Run one case through the store; score its parse, each instruction and the whole document."""
    answer = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    wants = answer.get("instructions", [])
    result = CaseResult(name=folder.name, expected=len(wants))
    refuse_all = answer.get("expect") == "refuse"
    given = Amendment(tuple(instruction_from_answer(d) for d in wants)) if use_answers else None
    try:
        run = run_through_store(base_file(folder, answer), folder / "sticker.txt", answer, given=given,
                                partial=not refuse_all and any(_must_refuse(w) for w in wants))
    except TrackerError as exc:
        result.refused = len(wants)
        result.failures.append(f"{folder.name}: could not be run: {exc}")
        return result
    if run.error:
        result.failures.append(f"{folder.name}: the sticker was not recorded as an amendment: {run.error}")
    paired: dict[int, int] = {}
    if not use_answers:
        got = run.amendment.to_json() if run.amendment else {"instructions": [], "notices": []}
        score = scoring.score_parse(got, answer)
        result.parse_expected, result.parsed_exact = score.expected, score.matched
        result.failures += [f"{folder.name}: parse: {line}" for line in score.mismatches]
        # an instruction is judged by the one the parse read for it, whatever its number
        paired = dict(score.pairs)
    check = _Check(folder, answer, run)
    for want in wants:
        # an answer the parse read nothing for has no resolution (not the one that happens to share its number)
        n = paired.get(want["n"]) if not use_answers else want["n"]
        r = run.resolutions.get(n) if n is not None else None
        _score_instruction(result, want, r, check, refuse_all or _must_refuse(want))
    result.document_exact = check.document()
    if not result.document_exact:
        result.failures.append(f"{folder.name}: document does not match the answer")
    return result


def _score_instruction(result: CaseResult, want: dict[str, Any], r: Resolution | None, check: _Check,
                       must_refuse: bool) -> None:
    """Count one instruction as exact, refused or applied wrongly, against its stored resolution."""
    name, n = result.name, want["n"]
    if r is None:
        result.refused += 1
        result.failures.append(f"{name}: [{n}] not parsed or not recorded: no status to review")
    elif must_refuse:
        if r.status == "applied":
            result.applied_wrong += 1
            result.failures.append(f"{name}: [{n}] APPLIED, but should be refused: {r.reason}")
        else:
            result.applied_exact += 1
    elif r.status != "applied":
        result.refused += 1
        result.failures.append(f"{name}: [{n}] refused: {r.status}: {r.reason}")
    elif check.instruction(r, want):
        result.applied_exact += 1
    else:
        result.applied_wrong += 1
        result.failures.append(f"{name}: [{n}] APPLIED WRONGLY: {r.reason}")


def evaluate(root: Path, *, use_answers: bool = False) -> dict[str, Any]:
    """Run every case and answered sticker under ``root``; return totals and failure lines.

    With ``use_answers`` the cases' own instructions (case.json) are resolved instead of the
    parser's, which measures locating and applying alone.
    """
    cases, stickers = find_cases(Path(root))
    case_results = [run_case(c, use_answers=use_answers) for c in cases]
    parse_expected = sum(c.parse_expected for c in case_results)
    parse_matched = sum(c.parsed_exact for c in case_results)
    failures = [line for c in case_results for line in c.failures]
    sticker_expected = sticker_matched = 0
    for s in stickers:
        e, m, lines = score_sticker(s)
        sticker_expected += e
        sticker_matched += m
        failures += [f"stickers/{line}" for line in lines]
    total = parse_expected + sticker_expected
    instr = sum(c.expected for c in case_results)
    return {
        "cases": [c.to_json() for c in case_results],
        "parse": {
            "expected": total,
            "matched": parse_matched + sticker_matched,
            "accuracy": round((parse_matched + sticker_matched) / total, 4) if total else None,
            "cases": {"expected": parse_expected, "matched": parse_matched},
            "stickers": {"expected": sticker_expected, "matched": sticker_matched},
        },
        "apply": {
            "instructions": instr,
            "exact": sum(c.applied_exact for c in case_results),
            "exact_rate": round(sum(c.applied_exact for c in case_results) / instr, 4) if instr else None,
            "refused": sum(c.refused for c in case_results),
            "applied_wrongly": sum(c.applied_wrong for c in case_results),
            "documents": len(case_results),
            "documents_exact": sum(c.document_exact for c in case_results),
        },
        "failures": failures,
    }


def render(report: dict[str, Any]) -> str:
    """The evaluation report as text: one line per case, totals, then one line per failure."""
    lines = [f"{'case':32} {'instr':>5} {'parsed':>6} {'exact':>5} {'refused':>7} {'wrong':>5}  document"]
    for c in report["cases"]:
        lines.append(
            f"{c['name']:32} {c['expected']:5} {c['parsed_exact']:6} {c['applied_exact']:5} "
            f"{c['refused']:7} {c['applied_wrong']:5}  {'exact' if c['document_exact'] else 'differs'}"
        )
    p, a = report["parse"], report["apply"]
    pct = lambda x: "n/a" if x is None else f"{100 * x:.1f}%"
    lines += [
        "",
        f"parse accuracy: {p['matched']}/{p['expected']} = {pct(p['accuracy'])} "
        f"(cases {p['cases']['matched']}/{p['cases']['expected']}, stickers {p['stickers']['matched']}/{p['stickers']['expected']})",
        f"exact match per instruction: {a['exact']}/{a['instructions']} = {pct(a['exact_rate'])}; "
        f"refused {a['refused']}; applied wrongly {a['applied_wrongly']}",
        f"exact match per document: {a['documents_exact']}/{a['documents']}",
    ]
    if report["failures"]:
        lines += ["", "failures:"] + [f"  {f}" for f in report["failures"]]
    return "\n".join(lines) + "\n"
