"""The held-out evaluation cases in tests/cases: nothing applied wrongly, and no slide below today's rates.

Each folder under ``tests/cases`` is a constructed case in the format of the shared corpus (base.txt,
sticker.txt, expected.txt, case.json). The floors below are the rates measured when the cases were
written, rounded down: raise them when the engine improves, never lower them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.evaluate import evaluate

CASES = Path(__file__).parent / "cases"

PARSE_ACCURACY_FLOOR = 1.0  # measured 59/59 over 16 cases
EXACT_RATE_FLOOR = 1.0  # measured 55/55
DOCUMENTS_EXACT_FLOOR = 16  # measured 16/16


@pytest.fixture(scope="module")
def report():
    return evaluate(CASES)


def test_every_case_is_run(report):
    assert len(report["cases"]) == 16
    assert report["apply"]["instructions"] == 55


def test_nothing_is_applied_wrongly(report):
    wrong = [f for f in report["failures"] if "APPLIED WRONGLY" in f]
    assert report["apply"]["applied_wrongly"] == 0, "\n".join(wrong)


def test_parse_accuracy_does_not_drop(report):
    assert report["parse"]["accuracy"] >= PARSE_ACCURACY_FLOOR, "\n".join(report["failures"])


def test_exact_match_rate_does_not_drop(report):
    assert report["apply"]["exact_rate"] >= EXACT_RATE_FLOOR, "\n".join(report["failures"])


def test_documents_exact_do_not_drop(report):
    assert report["apply"]["documents_exact"] >= DOCUMENTS_EXACT_FLOOR, "\n".join(report["failures"])


# --- the fresh cases: written apart from the engine, 59 on text bases and 27 on HTML bases ----------
# Each batch measured before the engine was changed for it: the first 24, parse 36/70, instructions 27/67
# with 18 applied wrongly, documents 7/24; the next 14, parse 17/38, instructions 19/35 with 7 applied
# wrongly, documents 8/14; the next 16, parse 13/42, instructions 25/42 with 1 applied wrongly, documents
# 6/16; the next 16, parse 18/35, instructions 25/34 with 3 applied wrongly, documents 8/16; the last 16,
# parse 21/45, instructions 31/44 with 3 applied wrongly, documents 7/16. One of the first still counts
# as applied wrongly: a paragraph found one page off the page named is applied (the engine allows one
# page of drift, as the shared cases expect; this case does not).
FRESH = Path(__file__).parent / "cases-fresh"
FRESH_PARSE_FLOOR = 149  # of 230
FRESH_EXACT_FLOOR = 211  # of 222
FRESH_WRONG_CEILING = 1
FRESH_DOCUMENTS_FLOOR = 79  # of 86


def test_the_fresh_cases_do_not_slide():
    fresh = evaluate(FRESH)
    assert len(fresh["cases"]) == 86
    assert fresh["parse"]["matched"] >= FRESH_PARSE_FLOOR, "\n".join(fresh["failures"])
    assert fresh["apply"]["exact"] >= FRESH_EXACT_FLOOR, "\n".join(fresh["failures"])
    assert fresh["apply"]["applied_wrongly"] <= FRESH_WRONG_CEILING, "\n".join(fresh["failures"])
    assert fresh["apply"]["documents_exact"] >= FRESH_DOCUMENTS_FLOOR, "\n".join(fresh["failures"])
