"""What a script sees: exit 0 when an amendment is applied, 3 when it waits for review, 1 when
nothing could be done; ``--amends`` always makes an amendment; dates never come from the day of ingest.

Inputs are the small base and sticker in ``tests/zoo`` (Series 2099-Z1, November 3 and December 1,
2003) and variants of them made here.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from tracker.cli import app

from .conftest import SEED_8K
from .test_zoo import BASE, BASE_KEY, GOOD_STICKER, REPLACE_FEE, STICKER_HEAD, counts

# The good sticker's instruction under a cover the classifier does not read as a sticker, with no date.
NOTICE = ("IMPORTANT NOTICE TO INVESTORS\n\nZOO MORTGAGE SECURITIES INC.\nSERIES 2099-Z1\n\n"
          + REPLACE_FEE.format(page="S-1", heading="Servicing Fee", rate="0.40%"))
UNRESOLVABLE = STICKER_HEAD + REPLACE_FEE.format(page="S-1", heading="Trustee Fee", rate="0.40%")


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "120", "TERM": "dumb"})


@pytest.fixture
def based(runner, db_path):
    assert run(runner, "ingest", BASE).exit_code == 0
    return db_path


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def versions(runner, key=BASE_KEY):
    return json.loads(run(runner, "history", key, "--json").stdout)["versions"]


def query(db_path, sql):
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# --- ingest and apply: applied or refused, by exit code alone --------------------------------


@pytest.mark.parametrize("amends", [False, True])
def test_ingest_of_a_sticker_that_applies_exits_0(runner, based, amends):
    result = run(runner, "ingest", GOOD_STICKER, *(["--amends", BASE_KEY] if amends else []))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "" and len(versions(runner)) == 2


@pytest.mark.parametrize("amends", [False, True])
def test_ingest_of_a_sticker_that_needs_review_exits_3_and_says_which(runner, based, tmp_path, amends):
    sticker = write(tmp_path, "sticker.txt", UNRESOLVABLE)
    result = run(runner, "ingest", sticker, *(["--amends", BASE_KEY] if amends else []))
    assert result.exit_code == 3, result.stderr
    assert result.stderr == (f"needs review: filing 2 (2099-Z1/sticker-2003-12-01) on {BASE_KEY}: 1 unresolved "
                             "(see 'tracker explain 2')\n")
    assert len(versions(runner)) == 1
    assert query(based, "SELECT n, status FROM instructions") == [(1, "unresolved")]
    # the same file again: still waiting for review, still exit 3
    assert run(runner, "ingest", sticker).exit_code == 3


def test_a_folder_with_one_sticker_needing_review_exits_3(runner, db_path, tmp_path):
    folder = tmp_path / "deal"
    folder.mkdir()
    (folder / "base.txt").write_bytes(BASE.read_bytes())
    write(folder, "sticker.txt", UNRESOLVABLE)
    result = run(runner, "ingest", folder)
    assert result.exit_code == 3 and "needs review: filing 2 " in result.stderr


def test_apply_dry_run_exits_3_when_applying_would_write_nothing(runner, based, tmp_path):
    run(runner, "ingest", write(tmp_path, "sticker.txt", UNRESOLVABLE))
    dry = run(runner, "apply", "2", "--dry-run")
    assert dry.exit_code == 3 and "[1] UNRESOLVED" in dry.stdout
    assert dry.stderr.startswith("Error: filing 2 on 2099-Z1/prospectus-supplement: 1 unresolved")
    assert run(runner, "apply", "2").exit_code == 3
    assert run(runner, "apply", "2", "--partial", "--dry-run").exit_code == 0
    assert len(versions(runner)) == 1


# --- --amends always amends -------------------------------------------------------------------


def test_amends_makes_a_filing_of_any_kind_an_amendment(runner, based, tmp_path):
    notice = write(tmp_path, "notice.txt", NOTICE)
    result = run(runner, "ingest", notice, "--amends", BASE_KEY, "--date", "2003-12-01")
    assert result.exit_code == 0, result.stderr
    assert query(based, "SELECT state FROM amendments") == [("applied",)]
    assert [v["effective_date"] for v in versions(runner)] == ["2003-11-03", "2003-12-01"]
    assert "0.40%" in run(runner, "show", BASE_KEY).stdout


def test_amends_on_a_filing_stored_before_makes_it_an_amendment(runner, based, tmp_path):
    notice = write(tmp_path, "notice.txt", NOTICE)
    undated = run(runner, "ingest", notice)  # the day of ingest is only the day it was recorded
    assert undated.exit_code == 1 and "has no date of its own" in undated.stderr and "--date" in undated.stderr
    first = run(runner, "ingest", notice, "--date", "2003-12-01")
    assert first.exit_code == 0 and query(based, "SELECT COUNT(*) FROM amendments") == [(0,)]
    result = run(runner, "ingest", notice, "--amends", BASE_KEY)
    assert result.exit_code == 0, result.stderr
    assert [v["effective_date"] for v in versions(runner)] == ["2003-11-03", "2003-12-01"]
    assert run(runner, "ingest", SEED_8K).exit_code == 0
    other = run(runner, "ingest", notice, "--amends", "2003-HE2/8-k")
    assert other.exit_code == 1 and "already amends 2099-Z1/prospectus-supplement" in other.stderr


def test_amends_on_a_filing_without_instructions_writes_nothing(runner, based, tmp_path):
    before = counts(based)
    text = STICKER_HEAD + "The Trustee's address is unchanged.\n"
    result = run(runner, "ingest", write(tmp_path, "letter.txt", text), "--amends", BASE_KEY)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'letter.txt'}: no amending instruction found, so it cannot amend {BASE_KEY}"]
    assert counts(based) == before


# --- dates ------------------------------------------------------------------------------------


def test_an_undated_base_is_refused_until_given_a_date(runner, db_path, tmp_path):
    undated = write(tmp_path, "base.txt", BASE.read_text().replace(
        "          The date of this prospectus supplement is November 3, 2003.\n", ""))
    refused = run(runner, "ingest", undated)
    assert refused.exit_code == 1 and refused.stdout.endswith("0 new, 0 already stored, 1 failed\n")
    (line,) = refused.stderr.strip().splitlines()
    assert line.startswith("Error: ") and "has no date of its own" in line and "--date YYYY-MM-DD" in line
    assert counts(db_path)["filings"] == 0
    assert run(runner, "ingest", undated, "--date", "2003-11-03").exit_code == 0
    (v,) = versions(runner)
    assert v["effective_date"] == "2003-11-03" and v["recorded_date"] != "2003-11-03"  # recorded: the ingest day
    timeline = json.loads(run(runner, "timeline", "2099-Z1", "--json").stdout)
    assert [(d["key"], d["date"]) for d in timeline] == [(BASE_KEY, "2003-11-03")]
    assert run(runner, "ingest", GOOD_STICKER).exit_code == 0


def test_a_malformed_date_is_a_usage_error(runner, db_path):
    result = run(runner, "ingest", BASE, "--date", "2003-02-30")
    assert result.exit_code == 2 and counts(db_path)["filings"] == 0


def test_a_date_does_not_override_a_documents_own(runner, db_path):
    assert run(runner, "ingest", BASE, "--date", "2001-01-01").exit_code == 0
    assert [v["effective_date"] for v in versions(runner)] == ["2003-11-03"]


def test_a_sticker_dated_before_its_document_is_refused_with_the_reason(runner, based, tmp_path):
    early = write(tmp_path, "early.txt", GOOD_STICKER.read_text().replace(
        "Supplement dated December 1, 2003", "Supplement dated October 15, 2003"))
    result = run(runner, "ingest", early)
    assert result.exit_code == 3
    assert "dated 2003-10-15, before 2099-Z1/prospectus-supplement (effective 2003-11-03)" in result.stderr
    assert len(versions(runner)) == 1
    assert query(based, "SELECT status, reason FROM instructions") == [
        ("conflict", "the amendment is dated 2003-10-15, before 2099-Z1/prospectus-supplement (effective 2003-11-03)")]
    review = json.loads(run(runner, "review", "--json").stdout)
    assert [(r["state"], r["instructions"][0]["status"]) for r in review] == [("needs_review", "conflict")]
    assert run(runner, "apply", "2", "--partial").exit_code == 3
    assert len(versions(runner)) == 1
