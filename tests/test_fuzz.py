"""Arbitrary bytes and text through the pure core: nothing but a TrackerError ever comes out.

Also: block spans from ``segment`` lie inside the text, in order; resolving arbitrary stickers
against arbitrary bases gives spans inside the base, and applying them either works or raises a
TrackerError.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import diffing, instructions, locate, segment
from tracker import read
from tracker.errors import TrackerError

ZOO = Path(__file__).resolve().parent / "zoo"
BASE = (ZOO / "base.txt").read_text()
STICKER = (ZOO / "sticker-good.txt").read_text()

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# pieces of real filings, glued in any order: markup, page breaks, quotes, headings, instructions
PIECES = [
    "<PAGE>", "<SEC-HEADER>", "</SEC-HEADER>", "<DOCUMENT>", "</DOCUMENT>", "<TEXT>", "</TEXT>",
    "<TYPE>424B5", "ACCESSION NUMBER: 0000950123-03-000001", "FILED AS OF DATE: 20040230",
    "<TABLE>", "</TABLE>", "<S>", "<C>", "<html><body><p>", "</p>", "&amp;", "&#8220;",
    "S-8", "S-", "   S-12", "SUMMARY", "Advances", "RISK FACTORS", '"Cut-off Date" means',
    "\u201cServicing Fee\u201d", "'", '"', "\u2014", "\u00a7", "\ufeff", "\r\n", "\r", "\n", "\n\n", "\t", "\x0c",
    "The paragraph on page S-1 under \"Servicing Fee\" is deleted in its entirety and replaced with the following:",
    "The first sentence of the second paragraph under the heading \u201cAdvances\u201d is amended to read:",
    "The definition of \"Cut-off Date\" is deleted.", "Notwithstanding anything to the contrary,",
    "Supplement dated February 30, 2004", "To Prospectus Supplement dated November 3, 2003",
    "SERIES 2099-Z1", "U.S.", "N.A.", "5.96%", "No. 2", "\u2022", "(a)", "1.", "x" * 3000,
]
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=30), max_size=40).map(" ".join),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=30), max_size=40).map("\n".join),
)


def _mutations(source: str):
    """Real text with a slice cut out, doubled or replaced: near misses of real filings."""
    return st.tuples(
        st.integers(0, len(source)), st.integers(0, 400), st.sampled_from(["cut", "double", "insert"]),
        st.sampled_from(PIECES),
    ).map(lambda t: _mutate(source, *t))


def _mutate(source: str, at: int, width: int, how: str, piece: str) -> str:
    end = min(len(source), at + width)
    if how == "cut":
        return source[:at] + source[end:]
    if how == "double":
        return source[:end] + source[at:end] + source[end:]
    return source[:at] + piece + source[at:]


@FUZZ
@given(st.binary(max_size=2000) | st.sampled_from([b"", b"\x00", b"\xff\xfe", b"\xfe\xff\x00", b"%PDF"]))
def test_read_filing_on_bytes_raises_only_tracker_errors(data):
    try:
        parsed = read.read_filing(data)
    except TrackerError:
        return
    assert parsed.documents
    for doc in parsed.documents:
        assert isinstance(doc.text, str)


@FUZZ
@given(texts | _mutations(BASE), st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_read_filing_on_encoded_text_raises_only_tracker_errors(text, encoding):
    data = text.encode(encoding, errors="replace")
    try:
        parsed = read.read_filing(data)
    except TrackerError:
        return
    for doc in parsed.documents:
        meta = read.classify(doc, parsed.header)
        assert meta.kind in ("prospectus", "prospectus_supplement", "sticker", "8-K", "exhibit", "other")


@FUZZ
@given(texts | _mutations(BASE))
def test_segment_spans_lie_in_the_text_in_order(text):
    try:
        seg = segment.segment(text)
    except TrackerError:
        return
    previous_start = 0
    for b in seg.blocks:
        assert 0 <= b.start <= b.end <= len(text)
        assert b.start >= previous_start
        previous_start = b.start
        assert 0 <= b.page < max(1, len(seg.pages))
    for page in seg.pages:
        assert 0 <= page.start <= page.end <= len(text)


@FUZZ
@given(texts | _mutations(STICKER))
def test_parse_amendment_raises_only_tracker_errors(text):
    try:
        amendment = instructions.parse_amendment(text)
    except TrackerError:
        return
    numbers = sorted([i.n for i in amendment.instructions] + [n.n for n in amendment.notices])
    assert numbers == list(range(1, len(numbers) + 1))  # instructions and notices share filing order
    for ins in amendment.instructions:
        assert 0 <= ins.span[0] <= ins.span[1] <= len(text)


@FUZZ
@given(texts | _mutations(STICKER), texts | _mutations(BASE))
def test_resolve_and_apply_raise_only_tracker_errors(sticker, base):
    try:
        amendment = instructions.parse_amendment(sticker)
        seg = segment.segment(base)
        resolutions = locate.resolve_amendment(amendment, seg)
    except TrackerError:
        return
    assert [r.n for r in resolutions] == [i.n for i in amendment.instructions]
    for r in resolutions:
        if r.status == "applied":
            assert 0 <= r.start <= r.end <= len(base)
    try:
        out = diffing.apply_resolutions(base, resolutions)
    except TrackerError:
        return
    assert isinstance(out, str)
