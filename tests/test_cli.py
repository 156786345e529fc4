"""The CLI end to end on the bundled corpus: streams, exit codes, and nothing half-written."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from tracker.cli import app

from .conftest import CORPUS, HE3_BASE, SEED_8K, SEED_OPINION, SEED_STICKER

HE3 = "2003-HE3/prospectus-supplement"


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args):
    result = runner.invoke(app, list(args), env={"COLUMNS": "120", "TERM": "dumb"})
    return result


@pytest.fixture
def ingested(runner, db_path):
    result = run(runner, "ingest", str(CORPUS))
    assert result.exit_code == 0, result.output + result.stderr
    return db_path


def counts(db_path):
    import sqlite3

    con = sqlite3.connect(db_path)
    out = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
           for t in ("filings", "documents", "versions", "events", "blobs")}
    con.close()
    return out


def test_ingest_corpus_creates_documents_and_applies_the_sticker(runner, ingested):
    docs = json.loads(run(runner, "documents", "--json").stdout)
    assert sorted((d["key"], d["kind"]) for d in docs) == [
        ("2003-HE2/8-k-2003-12-08", "8-K"),
        ("2003-HE2/exhibit-5.1", "exhibit"),
        ("2003-HE3/prospectus-supplement", "prospectus_supplement"),
        ("2003-HE3/sticker-2004-01-09", "sticker"),
    ]
    versions = {d["key"]: d["versions"] for d in docs}
    assert versions[HE3] == 2


def test_ingest_twice_changes_nothing_and_says_so(runner, ingested):
    before = counts(ingested)
    result = run(runner, "ingest", str(CORPUS))
    assert result.exit_code == 0
    assert "0 new, 4 already stored, 0 failed" in result.stdout
    assert counts(ingested) == before


def test_timeline_of_each_series(runner, ingested):
    he3 = run(runner, "timeline", "2003-HE3").stdout.splitlines()
    assert [line.split()[0] for line in he3] == ["2003-12-22", "2004-01-09"]
    assert "prospectus_supplement" in he3[0] and "sticker" in he3[1] and "[applied]" in he3[1]
    he2 = run(runner, "timeline", "2003-he2").stdout.splitlines()
    assert [line.split()[1] for line in he2] == ["exhibit", "8-K"]


def test_show_as_of_dates(runner, ingested):
    before = run(runner, "show", HE3, "--as-of", "2004-01-08")
    after = run(runner, "show", HE3, "--as-of", "2004-01-09")
    assert before.exit_code == after.exit_code == 0
    assert "version 1 of 2" in before.stderr and "version 2 of 2" in after.stderr
    new_advances = "The servicer will advance\nonly interest with respect to any simple interest mortgage loan."
    folded = lambda s: " ".join(s.split())
    assert folded(new_advances) in folded(after.stdout)
    assert folded(new_advances) not in folded(before.stdout)
    assert before.stdout == HE3_BASE.read_text()
    # stdout carries only the document; the statement is on stderr
    assert "Applied" not in after.stdout and "Applied: filing" in after.stderr


def test_show_json_has_text_and_currency(runner, ingested):
    out = json.loads(run(runner, "show", HE3, "--as-of", "2004-01-09", "--json").stdout)
    assert out["version"] == 2 and out["currency"]["applied"][0]["sticker"] == "2003-HE3/sticker-2004-01-09"
    assert out["currency"]["applied"][0]["not_applied"] == []


def test_history_lists_versions(runner, ingested):
    out = run(runner, "history", HE3).stdout
    assert re.search(r"^1\s+2003-12-22 .* original", out, re.M)
    assert re.search(r"^2\s+2004-01-09 .* 2003-HE3/sticker-2004-01-09", out, re.M)


def test_verify_passes_then_catches_a_flipped_byte(runner, ingested):
    ok = run(runner, "verify")
    assert ok.exit_code == 0 and ok.stdout.startswith("ok:")
    import sqlite3
    import zlib

    con = sqlite3.connect(ingested)
    digest, data = con.execute("SELECT sha256, data FROM blobs ORDER BY size LIMIT 1").fetchone()
    raw = bytearray(zlib.decompress(data))
    raw[10] ^= 0x01
    con.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", [zlib.compress(bytes(raw)), digest])
    con.commit()
    con.close()
    bad = run(runner, "verify")
    assert bad.exit_code == 1
    assert f"blob {digest[:12]}" in bad.stderr
    assert bad.stderr.strip().splitlines()[-1].startswith("Error: ")


def test_log_shows_a_chained_event_per_write(runner, ingested):
    events = json.loads(run(runner, "log", "--json").stdout)
    assert [e["command"] for e in events].count("ingest") == 4
    assert "apply" in [e["command"] for e in events]
    for prev, cur in zip(events, events[1:]):
        assert cur["prev_hash"] == prev["hash"]


def test_outline_of_a_page(runner, ingested):
    out = run(runner, "outline", HE3, "--page", "S-8")
    assert out.exit_code == 0
    assert "page S-8" in out.stdout and "Advances" in out.stdout


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["show", "no-such-document"], 1, "no document matches"),
        (["show", "999"], 1, "no document with id 999"),
        (["show", HE3, "--as-of", "2004-13-45"], 2, "not a date"),
        (["show", HE3, "--as-of", "January 9"], 2, "not a date"),
        (["show", HE3, "--as-of", "1999-01-01"], 1, "did not exist on 1999-01-01"),
        (["show", "2003-HE"], 1, "matches 4 documents"),
        (["timeline", "1999-X9"], 1, "no filings of series"),
        (["outline", HE3, "--page", "S-999"], 1, "page S-999 is not in"),
        (["explain", "12345"], 1, "no filing with id 12345"),
    ],
)
def test_bad_requests_give_one_line_errors(runner, ingested, args, code, message):
    result = run(runner, *args)
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert result.stdout == ""


def test_bad_inputs_write_nothing(runner, db_path, tmp_path):
    cases = {
        "empty.txt": b"",
        "binary.txt": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4,
        "truncated.txt": b"<SEC-DOCUMENT>0000950123-04-000001.txt\n<DOCUMENT>\n<TYPE>424B5\n<TEXT>\nSome text",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        result = run(runner, "ingest", str(tmp_path / name))
        assert result.exit_code == 1, name
        assert result.stderr.startswith("Error: "), name
    missing = run(runner, "ingest", str(tmp_path / "missing.txt"))
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    assert not db_path.exists()  # every input refused: no database file left behind


def test_a_directory_with_junk_ingests_the_good_files(runner, db_path, tmp_path):
    shutil.copy(SEED_8K, tmp_path / "8k.txt")
    (tmp_path / "junk.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = run(runner, "ingest", str(tmp_path))
    assert result.exit_code == 1
    assert "junk.txt" in result.stderr and "1 new, 0 already stored, 1 failed" in result.stdout
    assert counts(db_path)["filings"] == 1


def test_a_sticker_without_its_base_is_kept_pending(runner, db_path):
    result = run(runner, "ingest", str(SEED_STICKER))
    assert result.exit_code == 0
    assert "pending" in result.stdout
    review = run(runner, "review").stdout
    assert "2003-HE3/sticker-2004-01-09" in review and "no prospectus supplement" in review
    # the base arrives later: the pending sticker is applied then
    later = run(runner, "ingest", str(HE3_BASE))
    assert later.exit_code == 0 and "applied" in later.stdout
    assert "version 2 of 2" in run(runner, "show", HE3).stderr


def test_parse_json_of_the_seed_sticker(runner):
    out = json.loads(run(runner, "parse", str(SEED_STICKER), "--json").stdout)
    assert set(out) == {"instructions", "notices"}
    got = [(i["op"], i["target"]["kind"], i["target"]["page"]) for i in out["instructions"]]
    assert got == [
        ("replace", "paragraph", "S-8"),
        ("replace", "table", "S-9"),
        ("replace", "risk_factor", "S-19"),
        ("replace", "definition", "S-56"),
        ("replace", "paragraph", "S-69"),
    ]


def test_every_command_has_help_and_is_in_the_readme(runner):
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    for name, command in app.registered_commands and [(c.name or c.callback.__name__, c) for c in app.registered_commands]:
        name = name.replace("_cmd", "")
        result = run(runner, name, "--help")
        assert result.exit_code == 0, name
        assert "Example:" in result.stdout, name
        assert f"`{name}" in readme, name


def test_version(runner):
    assert run(runner, "--version").stdout.startswith("tracker ")


def test_diff_text_names_each_change_with_its_filing(runner, ingested):
    out = run(runner, "diff", HE3)
    assert out.exit_code == 0
    headers = [line for line in out.stdout.splitlines() if line.startswith("Change ")]
    pages = [h.split(" — ")[1] for h in headers]
    assert pages == ["page S-8", "page S-9", "page S-19", "page S-19", "page S-56", "page S-69"]
    assert all("instruction" in h for h in headers)
    assert "⟦+45.03%+⟧" in out.stdout and "⟦-33.36%-⟧" in out.stdout
    assert "by 2003-HE3/sticker-2004-01-09 (no accession number), instruction 2" in out.stdout


def test_diff_between_dates_with_no_change_is_empty(runner, ingested):
    out = run(runner, "diff", HE3, "--from", "2003-12-22", "--to", "2003-12-31", "--format", "json")
    report = json.loads(out.stdout)
    assert report["changes"] == [] and report["summary"]["changes"] == 0


def test_diff_html_report_is_self_contained(runner, ingested, tmp_path):
    from html.parser import HTMLParser

    target = tmp_path / "redline.html"
    out = run(runner, "diff", HE3, "--format", "html", "-o", str(target))
    assert out.exit_code == 0 and out.stdout == "" and "wrote" in out.stderr
    html = target.read_text()

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids, self.links, self.tags = set(), [], []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            self.tags.append(tag)
            if "id" in a:
                self.ids.add(a["id"])
            if tag == "a" and "href" in a:
                self.links.append(a["href"])

    c = Collect()
    c.feed(html)
    anchors = [link for link in c.links if link.startswith("#change-")]
    assert len(anchors) == 6 and all(link[1:] in c.ids for link in anchors)
    assert "script" not in c.tags and "http://" not in html and "https://" not in html
    assert c.tags.count("del") >= 6 and c.tags.count("ins") >= 6


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--format", "rtf"], 2, "unknown format"),
        (["--markers", "<< >>"], 2, "--markers takes"),
        (["--from", "v9"], 1, "has no version v9"),
        (["--to", "2004-02-30"], 2, "not a date"),
        (["-o", "/nonexistent-dir/x.html"], 1, "directory does not exist"),
    ],
)
def test_diff_bad_options(runner, ingested, args, code, message):
    out = run(runner, "diff", HE3, *args)
    assert out.exit_code == code and message in out.stderr and out.stderr.startswith("Error: ")


def test_blame_and_search_through_the_cli(runner, ingested):
    blame = run(runner, "blame", HE3, "--json")
    blocks = json.loads(blame.stdout)["blocks"]
    changed = {b["page"] for b in blocks if b["changed_by"]}
    assert changed == {"S-8", "S-9", "S-19", "S-56", "S-69"}
    hits = json.loads(run(runner, "search", "simple interest advances", "--as-of", "2004-01-01", "--json").stdout)
    assert hits and all(h["document"] == HE3 and h["version"] == 1 for h in hits)


@pytest.mark.parametrize(
    "args, message",
    [
        (["show"], "Missing argument"),
        (["show", "--bogus"], "No such option"),
        (["bogus-command"], "No such command"),
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(db_path, args, message):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "tracker.cli", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert proc.stdout == ""
