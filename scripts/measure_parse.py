"""Measure the amendment parser on the shared corpus: one line per failing instruction, then the total.

Usage: python scripts/measure_parse.py [--verbose] [FOLDER]
Reads ../shared/corpus relative to the project root (stickers/*.txt with their .json answers, and
cases/*/sticker.txt with case.json), or FOLDER: another corpus, or a folder of cases (tests/cases).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.parse import parse_amendment  # noqa: E402
from tracker.scoring import score_parse  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def pairs(corpus: Path = CORPUS) -> list[tuple[str, Path, Path]]:
    """(name, sticker text, answer json) for every sticker and every case of the corpus."""
    out = []
    for txt in sorted((corpus / "stickers").glob("*.txt")):
        ans = txt.with_suffix(".json")
        if ans.exists():
            out.append((f"stickers/{txt.stem}", txt, ans))
    case_dirs = sorted((corpus / "cases").glob("*/")) if (corpus / "cases").is_dir() else sorted(corpus.glob("*/"))
    for case in case_dirs:
        if (case / "sticker.txt").exists() and (case / "case.json").exists():
            out.append((f"cases/{case.name}", case / "sticker.txt", case / "case.json"))
    return out


def measure(corpus: Path = CORPUS, verbose: bool = False) -> tuple[int, int, list[str]]:
    """(matched, expected, report lines) over the corpus."""
    matched = expected = 0
    lines: list[str] = []
    for name, txt, ans in pairs(corpus):
        got = parse_amendment(txt.read_text(encoding="utf-8")).to_json()
        score = score_parse(got, json.loads(ans.read_text(encoding="utf-8")))
        matched += score.matched
        expected += score.expected
        for m in score.mismatches:
            lines.append(f"{name} {m}")
        if verbose:
            lines.append(f"{name}: {score.matched}/{score.expected} extra {score.extra}")
    return matched, expected, lines


def main(argv: list[str]) -> int:
    folders = [a for a in argv if not a.startswith("--")]
    corpus = Path(folders[0]) if folders else CORPUS
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 1
    matched, expected, lines = measure(corpus, verbose="--verbose" in argv)
    for line in lines:
        print(line)
    pct = 100.0 * matched / expected if expected else 0.0
    print(f"parse accuracy: {matched}/{expected} ({pct:.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
