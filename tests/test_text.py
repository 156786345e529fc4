"""The shared text rules: one folding of white space, quotes and dashes, one heading comparison."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.text import fold_space, is_abbreviation, normalise_heading, plain, same_heading, split_heading_path


@pytest.mark.parametrize(
    ("quoted", "parts"),
    [
        ("Summary—Advances", ("Summary", "Advances")),
        ("Summary -- Advances", ("Summary", "Advances")),
        ("Summary – Advances", ("Summary", "Advances")),
        ("Summary - Advances", ("Summary", "Advances")),
        ("Class A-1 Notes", ("Class A-1 Notes",)),
        ("Description of the Certificates---Advances,", ("Description of the Certificates", "Advances")),
    ],
)
def test_split_heading_path(quoted, parts):
    assert split_heading_path(quoted) == parts


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("RISK FACTORS", "Risk Factors", True),
        ("The Trustee", "Trustee", True),
        ("Fees and Expenses", "Fees & Expenses", True),
        ("“Servicing” Fees", '"Servicing" Fees', True),
        ("Summary of Terms", "Summary", True),
        ("Summary of Series Terms", "Summary", True),
        ("Servicing Fee", "Servicing Fees", False),  # a near miss is another heading
        ("Advances", "Servicer Advances", False),
    ],
)
def test_same_heading(a, b, same):
    assert same_heading(a, b) is same


@given(st.text())
def test_fold_space_is_idempotent_and_has_no_runs(s):
    f = fold_space(s)
    assert fold_space(f) == f
    assert "  " not in f and f == f.strip()


@given(st.text())
def test_plain_folds_quotes_and_dashes(s):
    p = plain(s)
    assert not set(p) & set("“”‘’—–")


def test_abbreviations():
    assert is_abbreviation("Inc") and is_abbreviation("U.S.") and is_abbreviation("No")
    assert not is_abbreviation("Trustee")


def test_normalise_heading_is_what_same_heading_compares():
    assert normalise_heading("The  Pooling -- Agreement") == "pooling agreement"
