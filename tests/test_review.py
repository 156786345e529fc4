"""Strict refusal, partial versions, conflicts and reviewer decisions, through the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tracker.cli import app

BASE = """PROSPECTUS SUPPLEMENT dated March 1, 2005
(To Prospectus dated February 1, 2005)

$200,000,000 (Approximate)

SAMPLE HOME EQUITY TRUST 2005-SX1
ASSET BACKED CERTIFICATES, SERIES 2005-SX1

SAMPLE SECURITIES CORP.
Depositor

<PAGE>

SUMMARY

Servicing Fee

The servicer will be paid a monthly fee equal to one-twelfth of 0.50% per
annum of the principal balance of each mortgage loan.

Trustee Fee

The trustee will be paid a monthly fee equal to one-twelfth of 0.01% per
annum of the principal balance of each mortgage loan.

                                     S-1

<PAGE>

DESCRIPTION OF THE CERTIFICATES

Servicing Fee

The servicer will be paid a monthly fee equal to one-twelfth of 0.50% per
annum of the principal balance of each mortgage loan.

                                     S-2
"""

HEAD = """Supplement dated March 15, 2005 to Prospectus Supplement dated March 1, 2005
(To Prospectus dated February 1, 2005)

SAMPLE HOME EQUITY TRUST 2005-SX1
ASSET BACKED CERTIFICATES, SERIES 2005-SX1

"""

# "Servicing Fee" heads a paragraph on S-1 and an identical one on S-2, and no page is named.
AMBIGUOUS = HEAD + """1. The paragraph under the heading "Servicing Fee" is deleted in its entirety and
replaced with the following:

The servicer will be paid a monthly fee equal to one-twelfth of 0.45% per
annum of the principal balance of each mortgage loan.

2. The paragraph on page S-1 under the heading "Trustee Fee" is deleted in its entirety
and replaced with the following:

The trustee will be paid a monthly fee equal to one-twelfth of 0.0125% per
annum of the principal balance of each mortgage loan.
"""

CONFLICT = HEAD + """1. The paragraph on page S-1 under the heading "Trustee Fee" is deleted in its entirety
and replaced with the following:

The trustee will be paid a monthly fee equal to one-twelfth of 0.02% per
annum of the principal balance of each mortgage loan.

2. The paragraph on page S-1 under the heading "Trustee Fee" is deleted in its entirety
and replaced with the following:

The trustee will be paid a monthly fee equal to one-twelfth of 0.03% per
annum of the principal balance of each mortgage loan.
"""

KEY = "2005-SX1/prospectus-supplement"


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args):
    return runner.invoke(app, list(args))


def deal(runner, tmp_path, sticker_text):
    (tmp_path / "base.txt").write_text(BASE)
    (tmp_path / "sticker.txt").write_text(sticker_text)
    assert run(runner, "ingest", str(tmp_path / "base.txt")).exit_code == 0
    return run(runner, "ingest", str(tmp_path / "sticker.txt"))


def versions(runner):
    return json.loads(run(runner, "history", KEY, "--json").stdout)["versions"]


def test_strict_by_default_nothing_written_and_statuses_recorded(runner, db_path, tmp_path):
    result = deal(runner, tmp_path, AMBIGUOUS)
    assert result.exit_code == 3 and "needs_review" in result.stdout
    assert len(versions(runner)) == 1
    apply = run(runner, "apply", "2005-SX1/sticker-2005-03-15")
    assert apply.exit_code == 3
    assert "[1] AMBIGUOUS" in apply.stdout and "[2] APPLIED" in apply.stdout
    assert apply.stderr.startswith("Error: ") and "no version written" in apply.stderr
    review = run(runner, "review", "--json")
    items = json.loads(review.stdout)
    assert [(i["n"], i["status"]) for i in items[0]["instructions"]] == [(1, "ambiguous")]
    assert len(versions(runner)) == 1


def test_explain_shows_the_runner_up(runner, db_path, tmp_path):
    deal(runner, tmp_path, AMBIGUOUS)
    out = json.loads(run(runner, "explain", "2005-SX1/sticker-2005-03-15", "--json").stdout)
    first = out["instructions"][0]
    assert first["status"] == "ambiguous"
    assert {c["page"] for c in first["candidates"][:2]} == {"S-1", "S-2"}


def test_partial_version_says_what_it_lacks(runner, db_path, tmp_path):
    deal(runner, tmp_path, AMBIGUOUS)
    result = run(runner, "apply", "2005-SX1/sticker-2005-03-15", "--partial")
    assert result.exit_code == 0
    assert [v["partial"] for v in versions(runner)] == [0, 1]
    show = run(runner, "show", KEY)
    assert "Applied PARTIAL" in show.stderr and "instruction 1 NOT applied (ambiguous)" in show.stderr
    assert "0.0125%" in show.stdout and "0.45%" not in show.stdout


def test_reviewer_decision_completes_the_apply(runner, db_path, tmp_path):
    deal(runner, tmp_path, AMBIGUOUS)
    explain = json.loads(run(runner, "explain", "2005-SX1/sticker-2005-03-15", "--json").stdout)
    k = 1 + [c["page"] for c in explain["instructions"][0]["candidates"]].index("S-2")
    decided = run(runner, "resolve", "2005-SX1/sticker-2005-03-15", "1", "--choose", str(k),
                  "--why", "counsel: the body section")
    assert decided.exit_code == 0
    assert run(runner, "apply", "2005-SX1/sticker-2005-03-15").exit_code == 0
    text = run(runner, "show", KEY).stdout
    s1, s2 = text.split("S-1\n", 1)
    assert "0.50%" in s1 and "0.45%" in s2
    events = json.loads(run(runner, "log", "--kind", "resolve", "--json").stdout)
    assert events[0]["actor"] == "tester" and events[0]["inputs"]["why"] == "counsel: the body section"


def test_resolve_by_page_and_block(runner, db_path, tmp_path):
    deal(runner, tmp_path, AMBIGUOUS)
    outline = json.loads(run(runner, "outline", KEY, "--page", "S-1", "--json").stdout)
    block = next(b["block_on_page"] for b in outline["blocks"]
                 if b["kind"] == "paragraph" and b["first_words"].startswith("The servicer"))
    assert run(runner, "resolve", "2005-SX1/sticker-2005-03-15", "1", "--page", "S-1",
               "--block", str(block)).exit_code == 0
    assert run(runner, "apply", "2005-SX1/sticker-2005-03-15").exit_code == 0
    s1 = run(runner, "show", KEY).stdout.split("S-1\n", 1)[0]
    assert "0.45%" in s1


def test_two_instructions_on_one_paragraph_conflict(runner, db_path, tmp_path):
    result = deal(runner, tmp_path, CONFLICT)
    assert result.exit_code == 3 and "needs_review" in result.stdout
    apply = run(runner, "apply", "2005-SX1/sticker-2005-03-15")
    assert apply.exit_code == 3
    assert "[1] CONFLICT" in apply.stdout and "[2] CONFLICT" in apply.stdout
    assert len(versions(runner)) == 1


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["resolve", "2005-SX1/sticker-2005-03-15", "9", "--choose", "1"], 1, "has no instruction 9"),
        (["resolve", "2005-SX1/sticker-2005-03-15", "1"], 2, "give either --choose K"),
        (["resolve", "2005-SX1/sticker-2005-03-15", "1", "--choose", "99"], 2, "candidates"),
        (["resolve", "2005-SX1/sticker-2005-03-15", "1", "--page", "S-77", "--block", "1"], 1, "page S-77"),
        (["apply", KEY], 1, "is not an amendment"),
    ],
)
def test_bad_review_commands(runner, db_path, tmp_path, args, code, message):
    deal(runner, tmp_path, AMBIGUOUS)
    result = run(runner, *args)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr


def test_a_sticker_of_notices_only_says_the_text_is_unchanged(tmp_path):
    from tests.conftest import HE3_BASE
    from tracker import service
    from tracker.store import Store

    sticker = tmp_path / "notice.txt"
    sticker.write_text("Supplement dated January 15, 2004\nto Prospectus Supplement dated December 22, 2003\n\n"
                       "Notwithstanding anything to the contrary in the prospectus supplement, the Servicer may "
                       "resign only with the consent of the Trustee.\n")
    store = Store.open(tmp_path / "n.db")
    service.ingest(store, [str(HE3_BASE)])
    doc = service.find_document(store, "2003-HE3/prospectus-supplement")
    report = service.ingest(store, [str(sticker)], amends=doc.key)
    [applied] = report.applied
    assert "1 notice and no instruction: the text is unchanged" in str(applied)
    first, second = store.versions_of(doc.id)
    assert first.text_sha256 == second.text_sha256
    store.close()
