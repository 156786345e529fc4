"""Segmenting an edited text again where it changed only: always what segmenting it whole gives."""

from __future__ import annotations

import functools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import HE3_BASE
from tracker import structure
from tracker.diffing import apply_edits
from tracker.read import read_filing
from tracker.segment import resegment, segment, segment_traced
from tracker.store import text_sha256

# What edits put in a text: pieces that change how the segmenter reads what is around them.
FRAGMENTS = [
    "", "\n", "\n\n", "\n<PAGE>\n", "RISK FACTORS\n\n", "\n\nSUMMARY\n\n", "Advances\n\n", "S-5\n",
    "\n\n                         Centred Title Heading\n\n",
    "THE YIELD ON YOUR CERTIFICATES WILL BE AFFECTED BY PREPAYMENTS.\n\n", "     ----   ----\n",
    "   o  a bullet item\n", "lower case text that runs on\n", "\n\nRisks Related to the Notes\n\n",
    "Economic conditions may reduce payments on your notes.\n\n", "Class A     1.00     2.00\n",
    '"Defined Term" means the term so defined.', "DESCRIPTION OF THE CERTIFICATES\n\n", "  (1) Approximate.\n",
    "The servicer will advance delinquent payments of principal and interest.",
]


@functools.cache
def base() -> str:
    return read_filing(HE3_BASE.read_bytes()).documents[0].text


@st.composite
def edits_of(draw, text: str):
    """One to three edits that do not overlap: at a block's or page's edge or anywhere, deleting
    nothing or up to a page, putting a tricky fragment or a piece of the text itself there."""
    seg = segment_cached(text)
    edges = sorted({b.start for b in seg.blocks} | {b.end for b in seg.blocks} | {p.start for p in seg.pages}
                   | {p.end for p in seg.pages})
    out = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            at = draw(st.sampled_from(edges)) + draw(st.integers(-2, 2))
        else:
            at = draw(st.integers(0, len(text)))
        at = max(0, min(len(text), at))
        end = min(len(text), at + draw(st.sampled_from([0, 0, 1, 7, 60, 400, 3000])))
        if draw(st.booleans()):
            new = draw(st.sampled_from(FRAGMENTS))
        else:
            src = draw(st.integers(0, len(text)))
            new = text[src:src + draw(st.sampled_from([3, 80, 700]))]
        out.append((at, end, new))
    out.sort()
    kept, reach = [], -1
    for e in out:
        if e[0] > reach:
            kept.append(e)
            reach = max(e[0], e[1])
    return kept


_SEGMENTED: dict[str, tuple] = {}


def segment_cached(text: str):
    if text not in _SEGMENTED:
        _SEGMENTED.clear()
        _SEGMENTED[text] = segment_traced(text)
    return _SEGMENTED[text][0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_a_resumed_segmentation_is_the_whole_texts(data):
    text = base()
    segment_cached(text)
    seg, trace = _SEGMENTED[text]
    edits = data.draw(edits_of(text))
    new = apply_edits(text, edits)
    got_seg, got_trace, _ = resegment(seg, trace, edits, new)
    want_seg, want_trace = segment_traced(new)
    assert got_seg == want_seg
    assert got_trace == want_trace


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_a_chain_of_edits_and_its_stored_splices_read_back_as_segmenting_afresh(data):
    text = base()
    seg, trace = segment_traced(text)
    records = [structure.pack(seg, text_sha256(text), trace)]
    parent = structure.load_chain(records, text, text_sha256(text))
    for _ in range(4):
        edits = data.draw(edits_of(text))
        text = apply_edits(text, edits)
        seg, trace, splice = resegment(parent.seg, parent.trace, edits, text)
        assert (seg, trace) == segment_traced(text)
        digest = text_sha256(text)
        if splice is None:
            records = [structure.pack(seg, digest, trace)]
        else:
            records.append(structure.pack_splice(parent, seg, digest, trace, splice))
        parent = structure.load_chain(records, text, digest)
        assert parent is not None and parent.seg == seg and parent.trace == trace


def test_a_sticker_sized_edit_reads_a_few_pages_only():
    text = base()
    seg, trace = segment_traced(text)
    para = [b for b in seg.blocks if b.kind == "paragraph"][len(seg.blocks) // 3]
    edits = [(para.start, para.end, "The trustee will advance the fee.")]
    got, _, splice = resegment(seg, trace, edits, apply_edits(text, edits))
    assert got == segment(apply_edits(text, edits))
    assert splice is not None
    [(a, b, c, d)] = splice.states
    assert b - a <= 4 and d - c <= 4  # pages read again
    [(a, b, c, d)] = splice.blocks
    assert b - a < 60


def test_no_trace_or_few_pages_segments_the_whole_text():
    text = base()
    seg, _ = segment_traced(text)
    edits = [(10, 20, "x")]
    new = apply_edits(text, edits)
    got, trace, splice = resegment(seg, None, edits, new)
    assert splice is None and (got, trace) == segment_traced(new)
    short = "SUMMARY\n\nA paragraph.\n"
    s, t = segment_traced(short)
    got, _, splice = resegment(s, t, [(0, 1, "s")], "sUMMARY\n\nA paragraph.\n")
    assert splice is None and got == segment("sUMMARY\n\nA paragraph.\n")


def test_a_splice_alone_or_on_another_text_is_not_used():
    text = base()
    seg, trace = segment_traced(text)
    whole = structure.pack(seg, text_sha256(text), trace)
    parent = structure.load_chain([whole], text, text_sha256(text))
    edits = [(1000, 1010, "changed")]
    new = apply_edits(text, edits)
    s2, t2, splice = resegment(seg, trace, edits, new)
    piece = structure.pack_splice(parent, s2, text_sha256(new), t2, splice)
    assert structure.load_chain([piece], new, text_sha256(new)) is None
    assert structure.load_chain([whole, piece], text, text_sha256(text)) is None
    assert structure.load_chain([whole, piece], new, text_sha256(new)).seg == segment(new)
    assert structure.load(whole, text, text_sha256(text)) == seg
