"""What the commands report: a readable audit trail, --json wherever a command reports, a
reviewer's decision in the redline, and shell completion."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tracker.cli import app

from .test_review import AMBIGUOUS, KEY, deal

STICKER = "2005-SX1/sticker-2005-03-15"


def run(*args):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "120", "TERM": "dumb"})


def decided(tmp_path):
    """A sticker that needed a decision, decided and applied."""
    deal(CliRunner(), tmp_path, AMBIGUOUS)
    explain = json.loads(run("explain", STICKER, "--json").stdout)
    k = 1 + [c["page"] for c in explain["instructions"][0]["candidates"]].index("S-2")
    out = run("resolve", STICKER, "1", "--choose", str(k), "--why", "counsel: the body section", "--json")
    assert out.exit_code == 0, out.stderr
    assert run("apply", STICKER).exit_code == 0
    return json.loads(out.stdout)


def test_resolve_json_names_the_place_chosen(db_path, tmp_path):
    d = decided(tmp_path)
    assert set(d) == {"filing_id", "n", "start", "end"} and d["n"] == 1 and d["start"] < d["end"]


def test_the_redline_shows_who_decided_and_why_where_it_shaped_the_change(db_path, tmp_path):
    decided(tmp_path)
    report = json.loads(run("diff", KEY, "--format", "json").stdout)
    by_page = {c["page"]: c["provenance"][0] for c in report["changes"]}
    assert by_page["S-2"]["decision"]["who"] == "tester"
    assert by_page["S-2"]["decision"]["why"] == "counsel: the body section"
    assert by_page["S-1"]["decision"] is None
    text = run("diff", KEY).stdout
    assert "placed by tester's decision (counsel: the body section)" in text


def test_a_decision_taken_after_the_version_did_not_shape_it(db_path, tmp_path):
    deal(CliRunner(), tmp_path, AMBIGUOUS)
    assert run("apply", STICKER, "--partial").exit_code == 0
    assert run("resolve", STICKER, "2", "--choose", "1", "--why", "later").exit_code == 0
    report = json.loads(run("diff", KEY, "--format", "json").stdout)
    assert all(p["decision"] is None for c in report["changes"] for p in c["provenance"] or [])


def test_log_reads_as_lines_and_json_keeps_the_events(db_path, tmp_path):
    decided(tmp_path)
    lines = run("log").stdout.splitlines()
    assert len(lines) == len(json.loads(run("log", "--json").stdout)) == 6
    ingest, _, link, refused, resolve, apply = (line.strip().split("  ", 4) for line in lines)
    assert link[3:] == ["link", f"filing 2 amends {KEY} (found by series and date)"]
    assert refused[4] == f"filing 2 on {KEY}: needs_review, no version written (1 ambiguous, 1 applied)"
    assert ingest[3:] == ["ingest", f"stored filing 1 from base.txt: {KEY} (prospectus_supplement)"]
    assert resolve[2:4] == ["tester", "resolve"]
    assert resolve[4].startswith("instruction 1 of filing 2 placed at characters ")
    assert resolve[4].endswith("; why: counsel: the body section")
    assert apply[4] == f"filing 2 on {KEY}: applied, version 2 written (2 applied)"


def test_verify_json(db_path, tmp_path):
    decided(tmp_path)
    out = run("verify", "--json")
    result = json.loads(out.stdout)
    assert out.exit_code == 0 and result["ok"] is True and result["problems"] == []
    assert result["versions"] == 3 and result["events"] == 6 and result["first"] is None
    assert result["head"].startswith("6:") and result["records"] == 11


def test_shell_completion_is_offered():
    out = run("--show-completion", "bash")
    assert out.exit_code == 0 and "_TRACKER_COMPLETE" in out.stdout, (out.exception, out.stderr)


def test_search_leaves_stickers_out_unless_asked_and_names_a_bad_query(db_path):
    from .conftest import CORPUS

    assert run("ingest", str(CORPUS)).exit_code == 0
    hits = json.loads(run("search", "simple interest mortgage loans", "--json").stdout)
    assert hits and {h["document_kind"] for h in hits} == {"prospectus_supplement"}
    stickers = json.loads(run("search", "simple interest mortgage loans", "--kind", "sticker", "--json").stdout)
    assert stickers and {h["document"] for h in stickers} == {"2003-HE3/sticker-2004-01-09"}
    bad = run("search", '"simple interest')
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr == "Error: search query '\"simple interest': a quotation mark is not closed\n"


def test_the_seed_redline_dates_the_sticker_by_itself_and_cites_it_by_key(db_path):
    from .conftest import CORPUS

    assert run("ingest", str(CORPUS)).exit_code == 0
    report = json.loads(run("diff", "2003-HE3/prospectus-supplement", "--format", "json").stdout)
    [filing] = report["filings"]
    assert (filing["key"], filing["filed"], filing["filed_from"]) == (
        "2003-HE3/sticker-2004-01-09", "2004-01-09", "filing-text")
    assert filing["recorded"] != filing["filed"]  # the day of ingest, shown only as recorded
    assert {p["filing"] for c in report["changes"] for p in c["provenance"]} == {"2003-HE3/sticker-2004-01-09"}
    chart = report["changes"][1]["table"]
    assert chart["rows"][0]["cells"] == [[[0, "Certificates"]], [[0, "Moody's"]], [[0, "S&P"]]]
    assert [r["status"] for r in chart["rows"]] == ["kept", "kept", "changed", "changed", "changed", "changed"]
    text = run("diff", "2003-HE3/prospectus-supplement").stdout
    assert f"filed {filing['recorded']}" not in text
    assert ("Filing applied: 2003-HE3/sticker-2004-01-09 (no accession number), dated 2004-01-09, "
            f"effective 2004-01-09, recorded {filing['recorded']}") in text
