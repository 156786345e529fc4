"""The evaluation harness: run cases (base + sticker + expected result) and score parse and apply.

A case folder holds ``base.txt``, ``sticker.txt``, ``expected.txt`` and ``case.json`` (the answer),
or, on a real HTML base, ``base.htm`` and a ``case.json`` whose instructions carry the words they
replace (``old_text_words``) and their ``new_text`` instead of an expected text; a stickers folder
holds ``NAME.txt`` with its answer ``NAME.json`` and is scored on parsing alone. Each case runs in a
temporary database through the same service calls as the CLI.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import edgar, instructions, locate, scoring, segment, service
from .errors import InputError, NeedsReview, TrackerError
from .models import Amendment, Instruction, Ordinal, Target
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


def _sticker_text(data: bytes) -> str:
    parsed = edgar.read_filing(data)
    for doc in parsed.documents:
        if edgar.classify(doc, parsed.header).kind == "sticker":
            return doc.text
    return parsed.documents[0].text


def score_sticker(path: Path) -> tuple[int, int, list[str]]:
    """Parse one answered sticker; return (expected, matched, failure lines)."""
    answer = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    got = instructions.parse_amendment(_sticker_text(path.read_bytes())).to_json()
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
    replaced text, white space folded); when ``old_starts`` occurs more than once, None.
    """
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
    return fold(folded[:a] + " " + fold(want.get("new_text") or "") + " " + folded[b + len(ends) :])


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
    """Is one applied instruction right? Against its pinned span if any, else in context."""
    single = _expected_single(base_text, want)
    if single is not None:
        return fold(locate.apply_resolutions(base_text, [r])) == single
    return _lands_right(marked, r.n, expected_folded)


def instruction_from_answer(d: dict[str, Any]) -> Instruction:
    """An Instruction built from one answer entry (to score the locator apart from the parser)."""
    t = d["target"]
    o = t.get("ordinal")
    if isinstance(o, int):  # a bare number counts elements of the target's own kind
        o = {{"sentence": "sentence", "bullet": "bullet"}.get(t["kind"], "paragraph"): o}
    ordinal = (
        Ordinal(o.get("sentence"), o.get("paragraph"), o.get("bullet"), bool(o.get("from_end")), o.get("after"))
        if o
        else None
    )
    target = Target(
        t["kind"], t.get("page"), tuple(t["heading"]) if t.get("heading") else None, ordinal,
        t.get("term"), t.get("old_text"), locus=t.get("locus"), scope=t.get("scope"),
    )
    return Instruction(d["n"], d["op"], target, d.get("new_text"), source_text="", span=(0, 0))


def _words_case_base(folder: Path) -> Path | None:
    """The base file of a case scored by its words (no expected.txt), else None."""
    if (folder / "expected.txt").is_file():
        return None
    answer = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    for name in (answer.get("base_file"), "base.htm", "base.html", "base.txt"):
        if name and (folder / name).is_file():
            return folder / name
    return None


def _expected_by_words(base: str, wants: list[dict[str, Any]]) -> str | None:
    """The base with each instruction's ``old_text_words`` replaced by its ``new_text`` once, in order."""
    out = fold(base)
    for w in wants:
        old, new = fold(w.get("old_text_words") or ""), fold(w.get("new_text") or "")
        if not old or old not in out:
            return None
        out = out.replace(old, new, 1)
    return out


def run_words_case(folder: Path, base_path: Path) -> CaseResult:
    """A case on a real base scored by words: through the store, as ``ingest`` and ``apply`` run it."""
    answer = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    wants = answer.get("instructions", [])
    result = CaseResult(name=folder.name, expected=len(wants))
    sticker_bytes = (folder / "sticker.txt").read_bytes()
    score = scoring.score_parse(instructions.parse_amendment(_sticker_text(sticker_bytes)).to_json(), answer)
    result.parse_expected, result.parsed_exact = score.expected, score.matched
    result.failures += [f"{folder.name}: parse: {line}" for line in score.mismatches]
    refuse = answer.get("expect") == "refuse"
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "eval.db")
        try:
            base_text, rows, amended = _through_store(store, base_path.read_bytes(), base_path.name, sticker_bytes)
        finally:
            store.close()
    by_n = {r["n"]: r for r in rows}
    for w in wants:
        r = by_n.get(w["n"])
        if refuse or w.get("expect") in ("refuse", "refused"):
            if r is not None and r["status"] == "applied":
                result.applied_wrong += 1
                result.failures.append(f"{folder.name}: [{w['n']}] APPLIED, but should be refused")
            elif r is None:
                result.refused += 1
                result.failures.append(f"{folder.name}: [{w['n']}] not recorded: no status to review")
            else:
                result.applied_exact += 1
            continue
        if r is None:
            result.refused += 1
            result.failures.append(f"{folder.name}: [{w['n']}] not parsed or not recorded as an amendment")
        elif r["status"] != "applied":
            result.refused += 1
            result.failures.append(f"{folder.name}: [{w['n']}] refused: {r['status']}: {r['reason']}")
        else:
            alone = base_text[: r["start"]] + (r["replacement"] or "") + base_text[r["end"] :]
            if fold(alone) == _expected_by_words(base_text, [w]):
                result.applied_exact += 1
            else:
                result.applied_wrong += 1
                result.failures.append(f"{folder.name}: [{w['n']}] APPLIED WRONGLY: {r['reason']}")
    if refuse:
        result.document_exact = amended is None and bool(rows) and all(r["status"] != "applied" for r in rows)
    else:
        expected = _expected_by_words(base_text, wants)
        result.document_exact = amended is not None and expected is not None and fold(amended) == expected
    if not result.document_exact:
        result.failures.append(f"{folder.name}: document does not match the answer's words")
    return result


def _words_case_from_answers(folder: Path, base_path: Path) -> CaseResult:
    """A words case with the answer's own instructions resolved (the locator and applier alone)."""
    answer = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    wants = answer.get("instructions", [])
    result = CaseResult(name=folder.name, expected=len(wants))
    base_text = edgar.read_filing(base_path.read_bytes()).documents[0].text
    amendment = Amendment(tuple(instruction_from_answer(d) for d in wants))
    by_n = {r.n: r for r in locate.resolve_amendment(amendment, segment.segment(base_text))}
    refuse = answer.get("expect") == "refuse"
    for w in wants:
        r = by_n[w["n"]]
        if r.status != "applied":
            if refuse:
                result.applied_exact += 1
            else:
                result.refused += 1
                result.failures.append(f"{folder.name}: [{w['n']}] refused: {r.status}: {r.reason}")
        elif refuse or fold(locate.apply_resolutions(base_text, [r])) != _expected_by_words(base_text, [w]):
            result.applied_wrong += 1
            result.failures.append(f"{folder.name}: [{w['n']}] APPLIED WRONGLY: {r.reason}")
        else:
            result.applied_exact += 1
    return result


def _through_store(store: Store, base: bytes, base_name: str, sticker: bytes
                   ) -> tuple[str, list[dict[str, Any]], str | None]:
    """Ingest a base and a sticker that amends it, apply strictly: (base text, instruction rows, new text).

    The new text is None when no version was written (a refusal, or no amendment recorded).
    """
    first = service.ingest_bytes(store, base, source_name=base_name)
    target = store.row("SELECT * FROM documents WHERE id = ?", [first.documents[0]["id"]])
    base_version = store.row("SELECT * FROM versions WHERE document_id = ? AND number = 1", [target["id"]])
    base_text = service.version_text(store, base_version)
    second = service.ingest_bytes(store, sticker, source_name="sticker.txt", amends_document=target)
    if not store.row("SELECT 1 AS x FROM amendments WHERE filing_id = ?", [second.filing_id]):
        return base_text, [], None
    try:
        applied = service.apply_amendment(store, second.filing_id)
        version = applied.version
    except NeedsReview:
        version = None
    except TrackerError:
        return base_text, [], None
    rows = store.rows("SELECT * FROM instructions WHERE filing_id = ? ORDER BY n", [second.filing_id])
    return base_text, rows, service.version_text(store, version) if version else None


def run_case(folder: Path, *, use_answers: bool = False) -> CaseResult:
    """Parse, resolve and apply one case; score each instruction and the whole document."""
    words_base = _words_case_base(folder)
    if words_base is not None:
        if use_answers:
            return _words_case_from_answers(folder, words_base)
        return run_words_case(folder, words_base)
    answer = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    result = CaseResult(name=folder.name, expected=len(answer.get("instructions", [])))
    base_bytes = (folder / "base.txt").read_bytes()
    sticker_bytes = (folder / "sticker.txt").read_bytes()
    expected_folded = fold((folder / "expected.txt").read_text(encoding="utf-8"))
    amendment = instructions.parse_amendment(_sticker_text(sticker_bytes))
    got = amendment.to_json()
    if use_answers:
        amendment = Amendment(tuple(instruction_from_answer(d) for d in answer.get("instructions", [])))
    score = scoring.score_parse(got, answer)
    result.parse_expected = score.expected
    result.parsed_exact = score.matched
    result.failures += [f"{folder.name}: parse: {line}" for line in score.mismatches]

    base_text = edgar.read_filing(base_bytes).documents[0].text
    resolutions = locate.resolve_amendment(amendment, segment.segment(base_text))
    by_n = {r.n: r for r in resolutions}
    marked = _marked(base_text, resolutions)
    for want in answer.get("instructions", []):
        r = by_n.get(want["n"])
        if want.get("expect") == "refused":
            # The answer says the target is not there: refusing is the right outcome.
            if r is None or r.status != "applied":
                result.applied_exact += 1
            else:
                result.applied_wrong += 1
                result.failures += [f"{folder.name}: [{r.n}] APPLIED, but should be refused: {r.reason}"]
            continue
        if r is None:
            result.refused += 1
            result.failures += [f"{folder.name}: [{want['n']}] not parsed"]
            continue
        if r.status != "applied":
            result.refused += 1
            result.failures += [f"{folder.name}: [{r.n}] refused: {r.status}: {r.reason}"]
        elif _correct(base_text, r, want, marked, expected_folded):
            result.applied_exact += 1
        else:
            result.applied_wrong += 1
            result.failures += [f"{folder.name}: [{r.n}] APPLIED WRONGLY: {r.reason}"]
    if use_answers:
        document = fold(locate.apply_resolutions(base_text, resolutions))
    else:
        must_refuse = any(w.get("expect") == "refused" for w in answer.get("instructions", []))
        document = _document_through_store(base_bytes, sticker_bytes, partial=must_refuse)
    result.document_exact = document == expected_folded
    if not result.document_exact:
        result.failures.append(f"{folder.name}: document does not match expected.txt")
    return result


def _document_through_store(base: bytes, sticker: bytes, *, partial: bool = False) -> str | None:
    """The amended text as the store keeps it after ingest + apply, folded (None if refused).

    Strict unless the answer expects some instruction to be refused; then a partial version.
    """
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "eval.db")
        try:
            first = service.ingest_bytes(store, base, source_name="base.txt")
            target = store.row("SELECT * FROM documents WHERE id = ?", [first.documents[0]["id"]])
            second = service.ingest_bytes(store, sticker, source_name="sticker.txt", amends_document=target)
            if not store.row("SELECT 1 AS x FROM amendments WHERE filing_id = ?", [second.filing_id]):
                return None
            try:
                applied = service.apply_amendment(store, second.filing_id, partial=partial)
            except NeedsReview:
                return None
            if applied.version is None:
                return None
            return fold(service.version_text(store, applied.version))
        except TrackerError:
            return None
        finally:
            store.close()


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
