"""Scoring a parse against corpus answers: field comparisons and pairing."""

from __future__ import annotations

import copy

import pytest

from tracker.models import Amendment, Instruction, Notice, Ordinal, Target
from tracker.scoring import ParseScore, compare_instruction, score_parse

NEW = "The servicer will advance interest only, and will not advance principal on simple interest loans."

GOT = Instruction(
    1, "replace",
    Target("sentence", page="S-8", heading=("Summary", "Advances"), ordinal=Ordinal(sentence=2, paragraph=1)),
    NEW, "The second sentence ...:", (10, 200),
).to_json()

WANT = {
    "n": 1,
    "op": "replace",
    "target": {
        "kind": "sentence",
        "page": "S-8",
        "heading": ["SUMMARY", "Advances"],
        "ordinal": {"sentence": 2, "paragraph": 1, "bullet": None, "from_end": False},
        "term": None,
        "old_text": None,
    },
    "new_text_starts": NEW[:40],
    "new_text_ends": NEW[-40:],
}


def want_with(**changes) -> dict:
    w = copy.deepcopy(WANT)
    for key, value in changes.items():
        if key in w["target"]:
            w["target"][key] = value
        else:
            w[key] = value
    return w


def test_exact_match_has_no_mismatch():
    assert compare_instruction(GOT, WANT) == []


@pytest.mark.parametrize(
    "heading",
    [["Summary—Advances"], ["summary -- advances"], ["“Summary”", "Advances,"], ["Summary – Advances"]],
)
def test_heading_ignores_case_quotes_and_dashes(heading):
    assert compare_instruction(GOT, want_with(heading=heading)) == []


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"op": "substitute"}, ["op: got 'replace', want 'substitute'"]),
        ({"kind": "paragraph"}, ["kind: got 'sentence', want 'paragraph'"]),
        ({"page": "S-9"}, ["page: got 'S-8', want 'S-9'"]),
        ({"heading": ["Advances"]}, ["heading: got ['Summary', 'Advances'], want ['Advances']"]),
        ({"term": "Advances"}, ["term: got None, want 'Advances'"]),
        ({"old_text": "1.05%"}, ["old_text: got None, want '1.05%'"]),
        (
            {"ordinal": {"sentence": 2, "paragraph": 1, "bullet": None, "from_end": True}},
            ["ordinal: got {'sentence': 2, 'paragraph': 1, 'bullet': None, 'from_end': False}, "
             "want {'sentence': 2, 'paragraph': 1, 'bullet': None, 'from_end': True}"],
        ),
        ({"new_text_starts": "Another text entirely, forty characters"},
         ["new_text starts: got 'The servicer will advance interest only,', want 'Another text entirely, forty characters'"]),
        ({"new_text_ends": "does not end like this."},
         [f"new_text ends: got {NEW[-40:]!r}, want 'does not end like this.'"]),
    ],
)
def test_each_field_mismatch_is_named(changes, expected):
    assert compare_instruction(GOT, want_with(**changes)) == expected


def test_full_new_text_compared_whitespace_folded():
    assert compare_instruction(GOT, want_with(new_text="The servicer will advance interest only,\n and will not "
                                              "advance principal on simple   interest loans.")) == []
    assert compare_instruction(GOT, want_with(new_text=NEW + " More.", new_text_ends=(NEW + " More.")[-40:])) == [
        f"new_text: got {NEW!r}, want {NEW + ' More.'!r}"
    ]


def test_answer_full_text_that_disagrees_with_its_own_ends_is_not_used():
    # a case file may give the text as applied rather than as the sticker says it
    assert compare_instruction(GOT, want_with(new_text="Class A-1 Notes ....... $ 124,000,000")) == []


def test_table_cell_markers_count_as_white_space():
    got = dict(GOT, new_text="Principal Amount\n|\nClass A-1 Notes\n|$\n|124,000,000")
    want = want_with(new_text_starts="Principal Amount | Class A-1 Notes |$ |1", new_text_ends="Class A-1 Notes |$ |124,000,000")
    assert compare_instruction(got, want) == []


def test_missing_new_text():
    got = dict(GOT, new_text=None)
    assert compare_instruction(got, WANT) == [
        f"new_text starts: got '', want {NEW[:40]!r}",
        f"new_text ends: got '', want {NEW[-40:]!r}",
    ]


def test_score_parse_pairs_by_n_then_best_match():
    first = Instruction(1, "replace", Target("paragraph", page="S-8"), "Alpha text.", "", (0, 1))
    second = Instruction(2, "replace", Target("table", page="S-9"), "Beta text.", "", (1, 2))
    notice = Notice(3, "Notwithstanding anything to the contrary, the rate is 5%.", (2, 3))
    got = Amendment((first, second), (notice,)).to_json()
    want = {
        "instructions": [
            # numbered differently from the parse: paired by best match
            {"n": 2, "op": "replace", "target": {"kind": "paragraph", "page": "S-8"},
             "new_text_starts": "Alpha text.", "new_text_ends": "Alpha text."},
            {"n": 4, "op": "delete", "target": {"kind": "bullet", "page": "S-10"},
             "new_text_starts": None, "new_text_ends": None},
        ],
        "notices": [{"n": 3, "op": "notice", "target": {"kind": "value"},
                     "new_text_starts": "Notwithstanding anything to the contrary",
                     "new_text_ends": "contrary, the rate is 5%."[-40:]}],
    }
    score = score_parse(got, want)
    assert (score.expected, score.matched, score.extra, score.missing) == (3, 2, 0, 0)
    assert len(score.mismatches) == 1 and score.mismatches[0].startswith("4: op: got 'replace', want 'delete'")


def test_score_parse_counts_missing_and_extra():
    got = Amendment((Instruction(1, "replace", Target("paragraph"), "A.", "", (0, 1)),)).to_json()
    assert score_parse(got, {"instructions": [], "notices": []}) == ParseScore(
        expected=0, matched=0, extra=1, missing=0, mismatches=("extra 1: replace paragraph ''",)
    )
    empty = Amendment(()).to_json()
    want = {"instructions": [{"n": 1, "op": "replace", "target": {"kind": "table"}, "new_text_starts": "X"}]}
    assert score_parse(empty, want) == ParseScore(1, 0, 0, 1, ("1: missing (replace table)",))


def test_scope_is_compared_when_the_answer_states_it():
    want = copy.deepcopy(WANT)
    want["target"]["scope"] = "all"
    assert compare_instruction(GOT, want) == ["scope: got None, want 'all'"]
    got = copy.deepcopy(GOT)
    got["target"]["scope"] = "all"
    assert compare_instruction(got, want) == []
    # an answer without the key predates scope: not compared
    assert compare_instruction(got, WANT) == []
    want["target"]["scope"] = None
    assert compare_instruction(got, want) == ["scope: got 'all', want None"]


def test_the_parts_of_a_place_an_answer_names_are_compared():
    from tracker.scoring import compare_instruction
    want = {"op": "substitute", "target": {"kind": "value", "page": "S-3", "heading": None, "ordinal": None, "term": None,
                                           "old_text": "A", "footnote": "(3)"}, "new_text": "B"}
    got = {"op": "substitute", "target": {"kind": "value", "page": "S-3", "heading": None, "ordinal": None, "term": None,
                                          "old_text": "A"}, "new_text": "B"}
    assert compare_instruction(got, want) == ["footnote: got None, want '(3)'"]
    got["target"]["footnote"] = "(3)"
    assert compare_instruction(got, want) == []
    want["target"]["row"], got["rows"] = "Class B", ["Class B"]
    assert compare_instruction(got, want) == []
