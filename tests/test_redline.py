"""Redlines: block-aligned comparison, provenance, the JSON report and its three renderings."""

from __future__ import annotations

import json
import re
import textwrap
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.redline import (
    Change,
    attach_provenance,
    compare,
    fold,
    render_html,
    render_markdown,
    render_text,
    report_json,
)
from tracker.segment import segment

P = [
    "The Trust will issue the Certificates on the Closing Date.",
    "Distributions will be made monthly on the 25th day of each month, beginning in January 2004.",
    "The Servicer will advance delinquent payments of principal and interest unless it deems them "
    "nonrecoverable.",
    "The Trustee will prepare a monthly statement for holders of the Certificates.",
]
NEW_P = "Distributions will be made quarterly."


def doc(paragraphs, width=70):
    return "SUMMARY\n\n" + "\n\n".join(textwrap.fill(p, width) for p in paragraphs) + "\n"


def span(text, part, start=0):
    i = text.index(part, start)
    return (i, i + len(part))


def wrapped(p, width=70):
    return textwrap.fill(p, width)


OLD = doc(P)


# --- compare on small texts --------------------------------------------------------------------


def test_replaced_paragraph():
    new = doc([P[0], NEW_P, P[2], P[3]])
    assert compare(OLD, new) == [
        Change(
            number=1,
            kind="replaced",
            old_span=span(OLD, wrapped(P[1])),
            new_span=span(new, NEW_P),
            old_text=wrapped(P[1]),
            new_text=NEW_P,
            page=None,
            heading=("SUMMARY",),
            diff=(
                (0, "Distributions will be made "),
                (-1, "monthly on the 25th day of each month,\nbeginning in January 2004."),
                (1, "quarterly."),
            ),
            before=P[0],
            after=wrapped(P[2]),
        )
    ]


def test_inserted_block():
    added = "A new paragraph is added here for the holders."
    new = doc(P[:2] + [added] + P[2:])
    end_of_p1 = span(OLD, wrapped(P[1]))[1]
    assert compare(OLD, new) == [
        Change(
            number=1,
            kind="inserted",
            old_span=(end_of_p1, end_of_p1),
            new_span=span(new, added),
            old_text="",
            new_text=added,
            page=None,
            heading=("SUMMARY",),
            diff=((1, added),),
            before=wrapped(P[1]),
            after=wrapped(P[2]),
        )
    ]


def test_deleted_block():
    new = doc(P[:1] + P[2:])
    end_of_p0 = span(new, P[0])[1]
    assert compare(OLD, new) == [
        Change(
            number=1,
            kind="deleted",
            old_span=span(OLD, wrapped(P[1])),
            new_span=(end_of_p0, end_of_p0),
            old_text=wrapped(P[1]),
            new_text="",
            page=None,
            heading=("SUMMARY",),
            diff=((-1, wrapped(P[1])),),
            before=P[0],
            after=wrapped(P[2]),
        )
    ]


def test_moved_paragraph_is_one_change():
    new = doc([P[0], P[2], P[3], P[1]])
    assert compare(OLD, new) == [
        Change(
            number=1,
            kind="moved",
            old_span=span(OLD, wrapped(P[1])),
            new_span=span(new, wrapped(P[1])),
            old_text=wrapped(P[1]),
            new_text=wrapped(P[1]),
            page=None,
            heading=("SUMMARY",),
            diff=((0, wrapped(P[1])),),
            before=wrapped(P[3]),
            after="",
            from_page=None,
            from_heading=("SUMMARY",),
        )
    ]


def test_nearly_identical_move_is_moved_with_its_word_diff():
    moved = P[1].replace("monthly", "each month")
    new = doc([P[0], P[2], P[3], moved])
    [c] = compare(OLD, new)
    assert (c.kind, c.old_text, c.new_text) == ("moved", wrapped(P[1]), wrapped(moved))
    assert [d for d in c.diff if d[0]] == [(-1, "monthly"), (1, "each month")]


TABLE = """THE OFFERED CERTIFICATES

The certificates are offered in the classes shown below.

                      Principal          Interest
Class                 Amount             Rate
-------------------   ----------------   --------
Class A-1             $100,000,000       5.96%
Class A-2             $50,000,000        6.10%
Class M-1             $20,000,000        6.50%

Each class is rated by two rating agencies.
"""


def test_table_row_changed():
    new = TABLE.replace("$50,000,000        6.10%", "$45,000,000        6.15%")
    [c] = compare(TABLE, new)
    table_start = TABLE.index("                      Principal")
    table_end = TABLE.index("6.50%") + len("6.50%")
    assert c.kind == "replaced"
    assert (c.old_span, c.new_span) == ((table_start, table_end), (table_start, table_end))
    assert c.heading == ("THE OFFERED CERTIFICATES",)
    assert [d for d in c.diff if d[0]] == [(-1, "$50,000,000        6.10%"), (1, "$45,000,000        6.15%")]
    assert "".join(t for op, t in c.diff if op >= 0) == new[table_start:table_end]
    assert "".join(t for op, t in c.diff if op <= 0) == TABLE[table_start:table_end]


@pytest.mark.parametrize(
    "new",
    [
        doc(P, width=40),  # re-wrapped narrower
        doc(P, width=100),  # re-wrapped wider
        OLD.replace("\n\n", "\n\n\n"),  # more blank lines between blocks
        OLD.replace("\n", "   \n"),  # trailing blanks
    ],
    ids=["narrow", "wide", "blank-lines", "trailing-blanks"],
)
def test_rewrap_only_is_no_change(new):
    assert new != OLD
    assert compare(OLD, new) == []


def test_identical_texts_have_no_change():
    assert compare(OLD, OLD) == []


def test_word_marks_exact():
    old = "RATES\n\nThe certificates will bear interest at 5.96% per annum until\nthe first reset date.\n"
    new = "RATES\n\nThe certificates will bear interest at 6.10% per annum until the\nfirst reset date.\n"
    [c] = compare(old, new)
    # The re-wrap ("until\nthe" -> "until the\n") is no mark: kept text carries the new wrapping.
    assert c.diff == (
        (0, "The certificates will bear interest at "),
        (-1, "5.96%"),
        (1, "6.10%"),
        (0, " per annum until the\nfirst reset date."),
    )


def test_several_changes_are_numbered_in_new_text_order_and_stable():
    new = doc([P[0], NEW_P, P[2], "The Trustee will prepare a quarterly statement."])
    first = compare(OLD, new)
    assert [(c.number, c.kind, c.new_text) for c in first] == [
        (1, "replaced", NEW_P),
        (2, "replaced", "The Trustee will prepare a quarterly statement."),
    ]
    assert compare(OLD, new) == first
    assert compare(segment(OLD), segment(new)) == first


def test_pages_and_headings_come_from_the_new_version_or_the_old_for_deletions():
    old = (
        "INTRODUCTION\n\nFirst page text here.\n\nS-1\n<PAGE>\nRISK FACTORS\n\n"
        + wrapped(P[1])
        + "\n\nS-2\n"
    )
    new = old.replace(wrapped(P[1]), NEW_P)
    [c] = compare(old, new)
    assert (c.page, c.heading) == ("S-2", ("RISK FACTORS",))
    gone = old.replace("\n\n" + wrapped(P[1]), "")
    [d] = compare(old, gone)
    assert (d.kind, d.page, d.heading) == ("deleted", "S-2", ("RISK FACTORS",))


# --- compare on the shared cases ------------------------------------------------------------


def _cases():
    from tests.conftest import SHARED_CORPUS

    if not SHARED_CORPUS.is_dir():
        return []
    return sorted(p.name for p in (SHARED_CORPUS / "cases").iterdir() if (p / "expected.txt").exists())


def _find(text: str, words: str, pos: int = 0) -> re.Match:
    """Folded words found in wrapped text."""
    m = re.compile(r"\s+".join(map(re.escape, words.split()))).search(text, pos)
    assert m, words
    return m


@pytest.mark.parametrize("name", _cases())
def test_shared_case_every_change_found_and_nothing_else(shared_corpus, name):
    case_dir = shared_corpus / "cases" / name
    base = (case_dir / "base.txt").read_text(encoding="utf-8")
    expected = (case_dir / "expected.txt").read_text(encoding="utf-8")
    case = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    changes = compare(base, expected)
    instructions = case["instructions"]
    assert len(changes) == len(instructions)
    # Each instruction's replaced span meets exactly one change, a different one each time.
    claimed = []
    for ins in instructions:
        a = _find(base, ins["old_starts"])
        b = _find(base, ins["old_ends"], a.start())
        claimed.append([c.number for c in changes if c.old_span[0] < b.end() and a.start() < c.old_span[1]])
    assert claimed == [[n] for n in range(1, len(instructions) + 1)]
    # Nothing else: the old text with each change applied is the expected text (white space
    # folded), and every change really changes words.
    text = base
    for c in sorted(changes, key=lambda c: c.old_span, reverse=True):
        text = text[: c.old_span[0]] + c.new_text + text[c.old_span[1] :]
    assert fold(text) == fold(expected)
    assert all(fold(c.old_text) != fold(c.new_text) for c in changes)
    for c in changes:
        assert expected[c.new_span[0] : c.new_span[1]] == c.new_text
        assert base[c.old_span[0] : c.old_span[1]] == c.old_text
        assert "".join(t for op, t in c.diff if op >= 0) == c.new_text


def test_shared_case_against_itself_has_no_change(shared_corpus):
    base = (shared_corpus / "cases" / "long-beach-2004-5" / "base.txt").read_text(encoding="utf-8")
    assert compare(base, base) == []


def test_a_sticker_on_a_megabyte_is_fast(shared_corpus):
    """Four differently spelled copies of every case (about 1 MB), two of them amended."""
    import time

    bases = sorted((shared_corpus / "cases").glob("*/base.txt"))
    variants = [("", ""), ("e", "ë"), ("a", "ä"), ("o", "ö")]

    def spelled(text, k):
        a, b = variants[k]
        return text.replace(a, b) if a else text

    old_parts = [spelled(p.read_text(encoding="utf-8"), k) for k in range(4) for p in bases]
    new_parts = list(old_parts)
    for k, i in ((1, 5), (3, 6)):
        expected = (bases[i].parent / "expected.txt").read_text(encoding="utf-8")
        new_parts[k * len(bases) + i] = spelled(expected, k)
    old, new = segment("\n<PAGE>\n".join(old_parts)), segment("\n<PAGE>\n".join(new_parts))
    assert len(old.text) > 1_000_000
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        changes = compare(old, new)
        timings.append(time.perf_counter() - t0)
    want = len(json.loads((bases[5].parent / "case.json").read_text())["instructions"]) + len(
        json.loads((bases[6].parent / "case.json").read_text())["instructions"]
    )
    assert len(changes) == want
    # About 40 ms on an idle machine; the bound leaves room for a busy one while still catching
    # a comparison that diffs unchanged blocks (seconds).
    assert min(timings) < 0.25


# --- property: one paragraph replaced => one change at that paragraph ------------------------

_word = st.text(alphabet="abcdefghklmnprstuwyz", min_size=2, max_size=9)
_sentence = st.lists(_word, min_size=3, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    paragraphs=st.lists(_paragraph, min_size=2, max_size=8, unique_by=fold),
    replacement=_paragraph,
    data=st.data(),
)
def test_property_one_paragraph_replaced_is_one_change(paragraphs, replacement, data):
    k = data.draw(st.integers(0, len(paragraphs) - 1), label="k")
    if any(fold(replacement) == fold(p) for p in paragraphs):
        return
    old = doc(paragraphs)
    new = doc(paragraphs[:k] + [replacement] + paragraphs[k + 1 :])
    [c] = compare(old, new)
    # Paragraph k starts after the heading and the k paragraphs before it (each with its blank line).
    start = len("SUMMARY\n\n") + sum(len(wrapped(p)) + 2 for p in paragraphs[:k])
    old_start = new_start = start
    assert c.kind == "replaced"
    assert c.old_span == (old_start, old_start + len(wrapped(paragraphs[k])))
    assert c.new_span == (new_start, new_start + len(wrapped(replacement)))


# --- provenance ------------------------------------------------------------------------------


def _edit(n, new_start, new_end):
    return {
        "start": 0,
        "end": 0,
        "new_start": new_start,
        "new_end": new_end,
        "filing": "2003-HE3/sticker-2004-01-09",
        "accession": "0001162318-04-000012",
        "filing_id": 7,
        "n": n,
        "op": "replace",
        "source_text": f"instruction {n}",
        "status": "applied",
        "confidence": 0.9,
    }


def test_attach_provenance_by_overlap():
    new = doc([P[0], NEW_P, P[2], "The Trustee will prepare a quarterly statement."])
    changes = compare(OLD, new)
    s1, e1 = changes[0].new_span
    s2, e2 = changes[1].new_span
    edits = [_edit(2, s2 - 2, e2), _edit(1, s1, e1), _edit(9, 0, 5)]  # the last claims unchanged text
    got = attach_provenance(changes, edits)
    assert [[p["n"] for p in c.provenance] for c in got] == [[1], [2]]
    assert got[0].provenance[0] == _edit(1, s1, e1)
    assert attach_provenance(changes, [_edit(9, 0, 5)])[0].provenance is None


def test_attach_provenance_to_a_deletion():
    new = doc(P[:1] + P[2:])
    [c] = compare(OLD, new)
    # The instruction removed the paragraph and one of the blank lines around it: its empty new
    # span sits in the white space where the paragraph was, not at the change's point.
    gap = new.index(wrapped(P[2])) - 1
    [got] = attach_provenance([c], [_edit(3, gap, gap), _edit(4, new.index(wrapped(P[2])), len(new))])
    assert [p["n"] for p in got.provenance] == [3]


# --- reports ---------------------------------------------------------------------------------

SMALL_OLD = """RISK FACTORS

Prepayments May Reduce Yield

Borrowers may prepay their loans at any time. Prepayments will reduce
the yield on certificates bought at a premium.

S-8
<PAGE>
Interest Rates

The certificates will bear interest at 5.96% per annum.

S-9
"""
SMALL_NEW = SMALL_OLD.replace("at any time.", "at any time without penalty.").replace(
    "5.96%", "6.10% <script>alert(1)</script>"
)

META = {
    "document": {"key": "citigroup-mlt-2003-he3", "title": "Prospectus Supplement dated December 22, 2003"},
    "from_version": {"number": 1, "effective_date": "2003-12-22", "recorded_date": "2003-12-23"},
    "to_version": {"number": 2, "effective_date": "2004-01-09", "recorded_date": "2004-01-09"},
    "filings": [
        {
            "filing_id": 7,
            "key": "2003-HE3/sticker-2004-01-09",
            "accession": "0001162318-04-000012",
            "filed": "2004-01-09",
            "filed_from": "edgar-header",
            "recorded": "2004-01-10",
            "effective": "2004-01-09",
            "title": "Supplement",
        }
    ],
    "currency": "Version 2 of 2: every filing recorded is applied.",
    "notices": [
        {"filing": "2003-HE3/sticker-2004-01-09", "accession": "0001162318-04-000012", "n": 3,
         "text": "Notwithstanding anything to the\ncontrary."}
    ],
    "not_applied": [
        {
            "filing": "2003-HE3/sticker-2004-01-09",
            "accession": "0001162318-04-000012",
            "n": 4,
            "status": "ambiguous",
            "reason": "two tables fit",
            "source_text": "The table on page S-40 <b>",
        }
    ],
}


@pytest.fixture
def report():
    changes = compare(SMALL_OLD, SMALL_NEW)
    s, e = changes[0].new_span
    prov = _edit(2, s, e) | {"source_text": "The first paragraph under 'Prepayments' is replaced"}
    return report_json(META, attach_provenance(changes, [prov]))


def test_report_json_shape(report):
    assert json.loads(json.dumps(report)) == report
    assert list(report) == [
        "document", "from", "to", "filings", "currency", "summary", "changes", "notices", "not_applied",
        "generated",
    ]
    assert report["summary"] == {"changes": 2, "replaced": 2, "inserted": 0, "deleted": 0, "moved": 0}
    assert report["from"] == {"number": 1, "effective_date": "2003-12-22", "recorded_date": "2003-12-23"}
    assert report["filings"] == [
        {
            "filing_id": 7,
            "key": "2003-HE3/sticker-2004-01-09",
            "accession": "0001162318-04-000012",
            "sha256": None,
            "filed": "2004-01-09",
            "filed_from": "edgar-header",
            "recorded": "2004-01-10",
            "effective": "2004-01-09",
            "title": "Supplement",
        }
    ]
    assert [(c["number"], c["page"], c["heading"], c["kind"]) for c in report["changes"]] == [
        (1, "S-8", ["RISK FACTORS", "Prepayments May Reduce Yield"], "replaced"),
        (2, "S-9", ["RISK FACTORS", "Interest Rates"], "replaced"),
    ]
    assert report["changes"][1]["provenance"] is None


def test_render_text_whole(report):
    assert render_text(report) == (
        "Redline: citigroup-mlt-2003-he3 — Prospectus Supplement dated December 22, 2003\n"
        "From version 1 (effective 2003-12-22, recorded 2003-12-23) to version 2 (effective 2004-01-09, "
        "recorded 2004-01-09)\n"
        "Filing applied: 2003-HE3/sticker-2004-01-09 (accession 0001162318-04-000012), filed 2004-01-09, effective 2004-01-09, "
        "recorded 2004-01-10\n"
        "Currency: Version 2 of 2: every filing recorded is applied.\n"
        "2 changes: 2 replaced, 0 inserted, 0 deleted, 0 moved\n"
        "\n"
        "Change 1 — page S-8 — RISK FACTORS > Prepayments May Reduce Yield — replaced — "
        "by 2003-HE3/sticker-2004-01-09 (accession 0001162318-04-000012), instruction 2\n"
        "Borrowers may prepay their loans at any ⟦-time.-⟧⟦+time without penalty.+⟧ Prepayments will reduce\n"
        "the yield on certificates bought at a premium.\n"
        "\n"
        "Change 2 — page S-9 — RISK FACTORS > Interest Rates — replaced — no instruction claims it\n"
        "The certificates will bear interest at ⟦-5.96%-⟧⟦+6.10% <script>alert(1)</script>+⟧ per annum.\n"
        "\n"
        "Notices in force:\n"
        "  2003-HE3/sticker-2004-01-09 (accession 0001162318-04-000012), notice 3: Notwithstanding anything to the contrary.\n"
        "Instructions not applied:\n"
        "  2003-HE3/sticker-2004-01-09 (accession 0001162318-04-000012), instruction 4 (ambiguous): two tables fit\n"
        "    says: The table on page S-40 <b>\n"
    )


def test_render_markdown_whole(report):
    assert render_markdown(report) == (
        "# Redline: citigroup-mlt-2003-he3 — Prospectus Supplement dated December 22, 2003\n"
        "\n"
        "From version 1 (effective 2003-12-22, recorded 2003-12-23) to version 2 (effective 2004-01-09, "
        "recorded 2004-01-09).\n"
        "\n"
        "Filings applied:\n"
        "\n"
        "- 2003-HE3/sticker-2004-01-09 (accession 0001162318-04-000012), filed 2004-01-09, effective 2004-01-09, recorded 2004-01-10\n"
        "\n"
        "Currency: Version 2 of 2: every filing recorded is applied.\n"
        "\n"
        "2 changes: 2 replaced, 0 inserted, 0 deleted, 0 moved.\n"
        "\n"
        "| # | Page | Heading | Operation | Filing | Instruction | Status | Confidence |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| 1 | S-8 | RISK FACTORS \\> Prepayments May Reduce Yield | replaced | 2003-HE3/sticker-2004-01-09 | 2 "
        "| applied | 0.90 |\n"
        "| 2 | S-9 | RISK FACTORS \\> Interest Rates | replaced |  |  |  |  |\n"
        "\n"
        "## Change 1 — page S-8 — RISK FACTORS \\> Prepayments May Reduce Yield — replaced\n"
        "\n"
        "By 2003-HE3/sticker-2004-01-09 (accession 0001162318-04-000012), instruction 2.\n"
        "\n"
        "Borrowers may prepay their loans at any ~~time.~~**time without penalty.** Prepayments will "
        "reduce the yield on certificates bought at a premium.\n"
        "\n"
        "## Change 2 — page S-9 — RISK FACTORS \\> Interest Rates — replaced\n"
        "\n"
        "No instruction claims it.\n"
        "\n"
        "The certificates will bear interest at ~~5.96%~~**6.10% \\<script\\>alert(1)\\</script\\>** "
        "per annum.\n"
        "\n"
        "## Notices in force\n"
        "\n"
        "- 2003-HE3/sticker-2004-01-09 (accession 0001162318-04-000012), notice 3: Notwithstanding anything to the contrary.\n"
        "\n"
        "## Instructions not applied\n"
        "\n"
        "- 2003-HE3/sticker-2004-01-09 (accession 0001162318-04-000012), instruction 4 (ambiguous): two tables fit — says: "
        "The table on page S-40 \\<b\\>\n"
    )


class _Outline(HTMLParser):
    """What the HTML tests look at: tags seen, ids, summary links, headings and text."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.rows: list[list[str]] = []  # hrefs in each row of the change table
        self.in_changes_table = False
        self.h2: list[str] = []
        self._h2 = False
        self.text: list[str] = []
        self.attr_values: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        self.attr_values += [v or "" for v in a.values()]
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "table" and a.get("class") == "changes":
            self.in_changes_table = True
        if self.in_changes_table and tag == "tr":
            self.rows.append([])
        if self.in_changes_table and tag == "a":
            self.rows[-1].append(a.get("href"))
        if tag == "h2":
            self._h2 = True

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_changes_table = False
        if tag == "h2":
            self._h2 = False

    def handle_data(self, data):
        self.text.append(data)
        if self._h2:
            self.h2.append(data)


def test_render_html_structure(report):
    page = render_html(report)
    p = _Outline()
    p.feed(page)
    p.close()
    assert page.startswith("<!DOCTYPE html>")
    # One row per change (after the header row), each linking to an anchor that exists.
    rows = p.rows[1:]
    assert rows == [["#change-1"], ["#change-2"]]
    assert all(href[1:] in p.ids for [href] in rows)
    assert {"change-1", "change-2"} <= p.ids
    # one of each per change, and one in the legend
    assert p.tags.count("del") == 3 and p.tags.count("ins") == 3
    assert "Legend:" in "".join(p.text)
    assert "script" not in p.tags and "b" not in p.tags
    assert "http" not in page
    assert not any(v.startswith(("http", "//")) for v in p.attr_values)
    assert "<link" not in page and "<img" not in page and "@import" not in page and "url(" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = "".join(p.text)
    assert "6.10% <script>alert(1)</script>" in text
    assert "The table on page S-40 <b>" in text
    assert "The first paragraph under 'Prepayments' is replaced" in text
    assert p.h2 == [
        "Filings applied", "Summary of changes", "Changes", "Notices in force", "Instructions not applied"
    ]
    assert "@page" in page and "@media print" in page
    # Context around a change: the unchanged heading before it.
    assert "Prepayments May Reduce Yield\n\n" in text


def test_render_html_every_change_present_on_a_shared_case(shared_corpus):
    case_dir = shared_corpus / "cases" / "auto-cik1129068"
    base = (case_dir / "base.txt").read_text(encoding="utf-8")
    expected = (case_dir / "expected.txt").read_text(encoding="utf-8")
    changes = compare(base, expected)
    page = render_html(report_json({"document": {"key": "auto"}}, changes))
    p = _Outline()
    p.feed(page)
    assert [r for r in p.rows[1:]] == [[f"#change-{c.number}"] for c in changes]
    assert {f"change-{c.number}" for c in changes} <= p.ids
    assert p.tags.count("ins") >= len(changes)


def test_change_checks_itself():
    with pytest.raises(ValueError):
        Change(1, "renamed", (0, 0), (0, 0), "", "", None, (), ())
    with pytest.raises(ValueError):
        Change(0, "moved", (0, 0), (0, 0), "", "", None, (), ())
