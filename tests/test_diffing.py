"""diff-match-patch wrapper: exact patches, word diffs, refusal of patches that do not fit."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.diffing import apply_edit_chain, apply_patch, changed_ranges, make_patch, patch_from_edits, word_diff
from tracker.errors import PatchError


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


@given(st.text(max_size=400), st.text(max_size=400))
@settings(max_examples=150, deadline=None)
def test_patch_round_trip_any_text(a, b):
    assert apply_patch(a, make_patch(a, b), sha(b)) == b


def test_patch_round_trip_non_ascii_paragraphs():
    a = "Société Générale — “quoted” text.\n\nSecond paragraph stays.\n"
    b = "SOCIÉTÉ GÉNÉRALE — “quoted” text, amended.\n\nSecond paragraph stays.\n"
    assert apply_patch(a, make_patch(a, b), sha(b)) == b


def test_patch_on_wrong_parent_is_refused():
    a = "The servicer will advance interest and principal.\n" * 3
    b = a.replace("interest and principal", "only interest", 1)
    patch = make_patch(a, b)
    other = "An entirely different document that shares nothing with the first.\n"
    with pytest.raises(PatchError):
        apply_patch(other, patch, sha(b))


def test_patch_with_wrong_expected_hash_is_refused():
    a, b = "one two three", "one 2 three"
    with pytest.raises(PatchError, match="hash"):
        apply_patch(a, make_patch(a, b), sha("something else"))


def test_malformed_patch_is_refused():
    with pytest.raises(PatchError):
        apply_patch("text", "@@ not a patch")


def test_word_diff_marks_whole_words():
    diffs = word_diff("rated Aaa by Moody's", "rated Aa1 by Moody's")
    assert diffs == [(0, "rated "), (-1, "Aaa"), (1, "Aa1"), (0, " by Moody's")]


@given(st.text(max_size=200), st.text(max_size=200))
@settings(max_examples=100, deadline=None)
def test_word_diff_reassembles_both_sides(a, b):
    diffs = word_diff(a, b)
    assert "".join(t for op, t in diffs if op <= 0) == a
    assert "".join(t for op, t in diffs if op >= 0) == b


def _steps(draw_text, data):
    """A text and a chain of random exact deltas on it (each step in the previous text's offsets)."""
    text = draw_text
    chain = []
    current = text
    for _ in range(data.draw(st.integers(0, 6))):
        cuts = sorted(data.draw(st.lists(st.integers(0, len(current)), max_size=6)))
        edits = []
        for a, b in zip(cuts[::2], cuts[1::2]):
            edits.append((a, b, data.draw(st.text(alphabet="abcXY \n", max_size=8))))
        chain.append(edits)
        current = apply_edit_chain(current, [edits])
    return text, chain, current


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcdXY \n", max_size=60), st.data())
def test_changed_ranges_cover_every_difference_of_a_chain(text, data):
    old, chain, new = _steps(text, data)
    ranges = changed_ranges(chain)
    o = n = 0
    for os_, oe, ns, ne in ranges:
        assert o <= os_ <= oe and n <= ns <= ne  # sorted, apart, well formed
        assert old[o:os_] == new[n:ns]  # between the ranges the two texts agree
        o, n = oe, ne
    assert old[o:] == new[n:]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdXY \n", max_size=80), st.data(), st.sampled_from([256, 1]))
def test_a_chain_replayed_in_one_pass_is_each_step_applied_in_turn(text, data, most):
    import tracker.diffing as diffing

    old, chain, new = _steps(text, data)
    step_by_step = old
    for edits in chain:
        step_by_step = diffing.apply_edits(step_by_step, edits)
    assert step_by_step == new
    kept, diffing.MAX_PIECES = diffing.MAX_PIECES, most  # pieces joined every step, or seldom
    try:
        assert apply_edit_chain(old, chain) == new
    finally:
        diffing.MAX_PIECES = kept


def test_changed_ranges_of_two_steps_are_where_they_changed():
    old = "alpha beta gamma delta"
    step1 = [(6, 10, "BETA!")]  # alpha BETA! gamma delta
    step2 = [(0, 5, "A"), (18, 23, "")]  # A BETA! gamma
    assert apply_edit_chain(old, [step1, step2]) == "A BETA! gamma "
    assert changed_ranges([step1, step2]) == [(0, 5, 0, 1), (6, 10, 2, 7), (17, 22, 14, 14)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdXY .\n", min_size=0, max_size=2500), st.data())
def test_the_audit_patch_of_known_edits_replays_to_the_same_text(text, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = [(a, b, data.draw(st.text(alphabet="abcXY .\n", max_size=40))) for a, b in zip(cuts[::2], cuts[1::2])]
    new = apply_edit_chain(text, [edits])
    patch = patch_from_edits(text, edits)
    assert apply_patch(text, patch, hashlib.sha256(new.encode("utf-8")).hexdigest()) == new
