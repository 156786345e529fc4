"""Hostile input through the CLI: each gives one `Error:` line or a recorded status, and writes nothing half-way.

The small base (``tests/zoo/base.txt``, Series 2099-Z1, pages S-1 to S-3) and a sticker that applies
to it (``tests/zoo/sticker-good.txt``) sit beside this file; the hostile variants are made here.
"""

from __future__ import annotations

import json
import os
import pathlib
import sqlite3

import pytest
from typer.testing import CliRunner

from tracker import service
from tracker.cli import app

ZOO = pathlib.Path(__file__).resolve().parent / "zoo"
BASE = ZOO / "base.txt"
GOOD_STICKER = ZOO / "sticker-good.txt"
CORPUS_HE3 = ZOO.parent.parent / "corpus" / "citigroup-mlt-2003-he3-prospectus-supplement-2003-12-22.txt"
BASE_KEY = "2099-Z1/prospectus-supplement"
TABLES = ("filings", "documents", "versions", "amendments", "instructions", "notices", "events", "blobs")

STICKER_HEAD = """Supplement dated December 1, 2003
To Prospectus Supplement dated November 3, 2003
(To Prospectus dated October 1, 2003)

ZOO MORTGAGE SECURITIES INC.
ASSET BACKED PASS-THROUGH CERTIFICATES, SERIES 2099-Z1

"""
REPLACE_FEE = (
    'The paragraph on page {page} under "{heading}" is deleted in its entirety and replaced with '
    "the following:\n\nThe servicer will be paid a monthly fee equal to one-twelfth of {rate} of the\n"
    "aggregate principal balance of the mortgage loans.\n\n"
)


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "120", "TERM": "dumb"})


def counts(db_path) -> dict[str, int]:
    if not pathlib.Path(db_path).exists():
        return {t: 0 for t in TABLES}
    con = sqlite3.connect(db_path)
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def one_error_line(result, *words: str) -> str:
    """The single `Error: ...` line on stderr (no traceback, no internal error), holding ``words``."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    assert "internal error" not in lines[0] and "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


@pytest.fixture
def based(runner, db_path):
    """A database holding the zoo base (document 1, one version)."""
    result = run(runner, "ingest", BASE)
    assert result.exit_code == 0, result.stderr
    return db_path


# --- files that are not filings ---------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _zip_bytes(tmp_path) -> bytes:
    import zipfile

    target = tmp_path / "real.zip"
    with zipfile.ZipFile(target, "w") as z:
        z.writestr("filing.txt", BASE.read_text())
    return target.read_bytes()


@pytest.mark.parametrize(
    "name, make, words",
    [
        ("empty.txt", lambda tmp: b"", ("empty file",)),
        ("blank.txt", lambda tmp: b" \n\r\n\t\n", ("white space",)),
        ("report.pdf.txt", lambda tmp: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", ("PDF",)),
        ("archive.txt", _zip_bytes, ("ZIP",)),
        ("image.txt", lambda tmp: PNG + os.urandom(512), ("PNG",)),
        ("nul.txt", lambda tmp: b"SERIES 2099-Z1\x00\x00\x00 some words", ("NUL",)),
        ("controls.txt", lambda tmp: bytes(range(1, 9)) * 200 + b"words", ("control characters",)),
        ("digits.txt", lambda tmp: b"12345 678.90\n" * 40, ("no letters",)),
        (
            "text-no-end.txt",
            lambda tmp: b"<SEC-DOCUMENT>0000950123-03-000001.txt : 20031203\n<DOCUMENT>\n<TYPE>424B5\n"
            b"<TEXT>\nThe servicer will be paid a fee and the text stops here",
            ("truncated SGML", "no </TEXT>"),
        ),
        (
            "no-text.txt",
            lambda tmp: b"<SEC-DOCUMENT>0000950123-03-000001.txt : 20031203\n<DOCUMENT>\n<TYPE>424B5\n"
            b"<SEQUENCE>1\n",
            ("truncated SGML", "before its <TEXT>"),
        ),
        (
            "no-document.txt",
            lambda tmp: b"<SEC-DOCUMENT>0000950123-03-000001.txt : 20031203\n<SEC-HEADER>\n"
            b"ACCESSION NUMBER:\t\t0000950123-03-000001\n</SEC-HEADER>\n",
            ("holds no <DOCUMENT>",),
        ),
    ],
)
def test_not_a_filing_is_refused_with_one_line_and_nothing_written(runner, based, tmp_path, name, make, words):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    before = counts(based)
    result = run(runner, "ingest", path)
    assert result.exit_code == 1
    line = one_error_line(result, *words)
    assert name in line
    assert "0 new, 0 already stored, 1 failed" in result.stdout
    assert counts(based) == before


def test_a_file_over_the_size_limit_is_refused_without_being_read(runner, based, tmp_path, monkeypatch):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:  # sparse: 120 MB on paper, a few bytes on disk
        fh.write(b"PROSPECTUS SUPPLEMENT\n")
        fh.truncate(120 * 1024 * 1024)
    assert big.stat().st_size > service.MAX_FILE_BYTES
    reads = []
    real_read_bytes = pathlib.Path.read_bytes

    def watched(self):
        reads.append(self)
        return real_read_bytes(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", watched)
    before = counts(based)
    result = run(runner, "ingest", big)
    assert result.exit_code == 1
    one_error_line(result, "huge.txt", str(120 * 1024 * 1024), f"{service.MAX_FILE_BYTES} byte limit")
    assert [p for p in reads if p.name == "huge.txt"] == []
    assert counts(based) == before


def test_a_folder_with_one_huge_and_one_good_file_keeps_the_good_one(runner, db_path, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-base.txt").write_bytes(BASE.read_bytes())
    with open(folder / "b-huge.txt", "wb") as fh:
        fh.truncate(service.MAX_FILE_BYTES + 1)
    result = run(runner, "ingest", folder)
    assert result.exit_code == 1
    one_error_line(result, "b-huge.txt", "byte limit")
    assert "1 new, 0 already stored, 1 failed" in result.stdout
    assert counts(db_path)["filings"] == 1 and counts(db_path)["versions"] == 1


# --- SGML defects that can still be read ------------------------------------------------------

SGML_HEAD = (
    "<SEC-DOCUMENT>0000950123-03-000777.txt : 20031203\n"
    "<SEC-HEADER>0000950123-03-000777.hdr.sgml : 20031203\n"
    "ACCESSION NUMBER:\t\t0000950123-03-000777\n"
    "CONFORMED SUBMISSION TYPE:\t424B5\n"
    "FILED AS OF DATE:\t\t20031203\n"
    "</SEC-HEADER>\n"
)


def _sgml(body: str, *, head: str = SGML_HEAD, close_text: bool = True, close_document: bool = True) -> str:
    out = head + "<DOCUMENT>\n<TYPE>424B5\n<SEQUENCE>1\n<TEXT>\n" + body
    if close_text:
        out += "</TEXT>\n"
    if close_document:
        out += "</DOCUMENT>\n"
    return out + "</SEC-DOCUMENT>\n"


def test_sgml_missing_its_closing_document_tag_is_read_up_to_its_text_end(runner, db_path, tmp_path):
    path = tmp_path / "no-doc-end.txt"
    path.write_text(_sgml(BASE.read_text(), close_document=False))
    result = run(runner, "ingest", path)
    assert result.exit_code == 0, result.stderr
    shown = run(runner, "show", BASE_KEY)
    assert shown.exit_code == 0
    assert shown.stdout == BASE.read_text()
    filing = json.loads(run(runner, "filings", "--json").stdout)[0]
    assert filing["accession"] == "0000950123-03-000777" and filing["format"] == "sgml"


def test_sgml_with_a_duplicated_header_keeps_the_first(runner, db_path, tmp_path):
    second = SGML_HEAD.replace("000777", "000778").replace("20031203", "20040230")
    path = tmp_path / "two-headers.txt"
    path.write_text(_sgml(BASE.read_text(), head=SGML_HEAD + second.split("\n", 1)[1]))
    result = run(runner, "ingest", path)
    assert result.exit_code == 0, result.stderr
    filing = json.loads(run(runner, "filings", "--json").stdout)[0]
    assert filing["accession"] == "0000950123-03-000777"
    assert filing["recorded_date"] == "2003-12-03"
    assert counts(db_path)["documents"] == 1


def test_a_second_document_cut_off_fails_the_whole_filing(runner, based, tmp_path):
    whole = _sgml(BASE.read_text())
    cut = whole.replace("</SEC-DOCUMENT>\n", "<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\nan exhibit that never ends")
    path = tmp_path / "cut.txt"
    path.write_text(cut)
    before = counts(based)
    result = run(runner, "ingest", path)
    assert result.exit_code == 1
    one_error_line(result, "truncated SGML", "document 2")
    assert counts(based) == before


# --- encodings and newlines of the era --------------------------------------------------------


def _variant_bytes(kind: str) -> bytes:
    text = BASE.read_text().replace('"Cut-off Date"', "\u201cCut-off Date\u201d")
    text = text.replace("SUMMARY\n", "SUMMARY \u00a7 r\u00e9sum\u00e9\n")
    if kind == "cp1252":
        return text.encode("cp1252")
    if kind == "latin-1":
        # 0x81 is undefined in cp1252, so the reader must fall back to latin-1
        return text.replace("\u201c", '"').replace("\u201d", '"').encode("latin-1") + b"\x81\n"
    if kind == "utf-16":
        return text.encode("utf-16")
    if kind == "utf-8-sig":
        return text.encode("utf-8-sig")
    if kind == "mixed-newlines":
        lines = text.encode("utf-8").split(b"\n")
        ends = [b"\r\n", b"\n", b"\r"]
        return b"".join(line + ends[i % 3] for i, line in enumerate(lines))
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind, encoding",
    [("cp1252", "cp1252"), ("latin-1", "latin-1"), ("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig"),
     ("mixed-newlines", "utf-8")],
)
def test_encodings_and_newlines_ingest_and_take_a_sticker(runner, db_path, tmp_path, kind, encoding):
    path = tmp_path / f"base-{kind}.txt"
    path.write_bytes(_variant_bytes(kind))
    result = run(runner, "ingest", path)
    assert result.exit_code == 0, result.stderr
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT encoding FROM filings").fetchall() == [(encoding,)]
    con.close()
    text = run(runner, "show", BASE_KEY).stdout
    assert "\r" not in text and "\ufeff" not in text
    assert "SUMMARY \u00a7 r\u00e9sum\u00e9" in text
    applied = run(runner, "ingest", GOOD_STICKER)
    assert applied.exit_code == 0, applied.stderr
    assert "applied: 1 applied; version 2 written" in applied.stdout
    assert "one-twelfth of 0.40%" in run(runner, "show", BASE_KEY).stdout
    assert run(runner, "verify").exit_code == 0


# --- stickers that cannot be applied as written -----------------------------------------------

HOSTILE_STICKERS = {
    "missing-page": (REPLACE_FEE.format(page="S-9", heading="Servicing Fee", rate="0.40%"), {"unresolved"}),
    "missing-heading": (REPLACE_FEE.format(page="S-1", heading="Trustee Fee", rate="0.40%"), {"unresolved"}),
    "term-twice": (
        'The definition of "Cut-off Date" in the Glossary is deleted in its entirety and replaced with '
        'the following:\n\n"Cut-off Date" means December 1, 2003.\n\n'
        'The definition of "Cut-off Date" in the Glossary is deleted in its entirety and replaced with '
        'the following:\n\n"Cut-off Date" means December 2, 2003.\n',
        {"conflict"},
    ),
    "cut-mid-sentence": (
        'The paragraph on page S-1 under "Servicing Fee" is deleted in its entirety and\n', {"unsupported"}
    ),
    "same-paragraph-twice": (
        REPLACE_FEE.format(page="S-1", heading="Servicing Fee", rate="0.40%")
        + REPLACE_FEE.format(page="S-1", heading="Servicing Fee", rate="0.45%"),
        {"conflict"},
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_STICKERS))
def test_a_sticker_that_cannot_apply_is_left_needing_review(runner, based, tmp_path, name):
    body, statuses = HOSTILE_STICKERS[name]
    path = tmp_path / f"sticker-{name}.txt"
    path.write_text(STICKER_HEAD + body)
    result = run(runner, "ingest", path)
    assert result.exit_code == 3, result.stderr
    assert "needs_review" in result.stdout
    assert result.stderr.startswith(f"needs review: filing 2 (2099-Z1/sticker-2003-12-01) on {BASE_KEY}: ")
    after_ingest = counts(based)
    assert after_ingest["versions"] == 2  # the base and the sticker's own text; no amended version
    review = json.loads(run(runner, "review", "--json").stdout)
    assert [(r["filing_id"], r["state"], r["target"]) for r in review] == [(2, "needs_review", BASE_KEY)]
    assert {i["status"] for i in review[0]["instructions"]} == statuses
    assert all(i["status"] != "pending" for i in review[0]["instructions"])
    again = run(runner, "apply", "2")
    assert again.exit_code == 3
    one_error_line(again, "no version written")
    assert "version 1 of 1" in run(runner, "show", BASE_KEY).stderr
    after_apply = counts(based)
    # a refused apply records its statuses as one more event, and writes no version
    assert after_apply["versions"] == after_ingest["versions"]
    assert after_apply["events"] == after_ingest["events"] + 1


def test_a_base_defining_a_term_twice_makes_the_definition_ambiguous(runner, db_path, tmp_path):
    base = tmp_path / "base-twice.txt"
    base.write_text(BASE.read_text().replace(
        '"Determination Date" means the 15th day of each month.', '"Cut-off Date" means October 1, 2003.'))
    assert run(runner, "ingest", base).exit_code == 0
    sticker = tmp_path / "sticker.txt"
    sticker.write_text(STICKER_HEAD + 'The definition of "Cut-off Date" in the Glossary is deleted in its '
                       'entirety and replaced with the following:\n\n"Cut-off Date" means December 1, 2003.\n')
    result = run(runner, "ingest", sticker)
    assert result.exit_code == 3 and "needs_review" in result.stdout
    review = json.loads(run(runner, "review", "--json").stdout)
    assert [i["status"] for i in review[0]["instructions"]] == ["ambiguous"]
    assert counts(db_path)["versions"] == 2


def test_the_good_sticker_applies_then_partial_apply_of_a_bad_one_is_marked(runner, based, tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text(STICKER_HEAD + REPLACE_FEE.format(page="S-1", heading="Servicing Fee", rate="0.40%")
                    + REPLACE_FEE.format(page="S-1", heading="Trustee Fee", rate="0.45%"))
    assert "needs_review" in run(runner, "ingest", path).stdout
    partial = run(runner, "apply", "2", "--partial")
    assert partial.exit_code == 0, partial.stderr
    shown = run(runner, "show", BASE_KEY, "--json")
    view = json.loads(shown.stdout)
    assert view["version"] == 2 and view["currency"]["applied"][0]["partial"] is True
    assert [m["status"] for m in view["currency"]["applied"][0]["not_applied"]] == ["unresolved"]


# --- dates ------------------------------------------------------------------------------------


def test_an_impossible_date_in_a_filing_does_not_crash(runner, db_path, tmp_path):
    base = tmp_path / "base-feb30.txt"
    base.write_text(BASE.read_text().replace("November 3, 2003.", "February 30, 2004."))
    result = run(runner, "ingest", base)
    # the impossible date is reported, never replaced (by the day of ingest or any other), with the way out
    assert result.exit_code == 1
    one_error_line(result, "'February 30, 2004'", "not a real date", "--date")
    assert not db_path.exists()
    assert run(runner, "ingest", base, "--date", "2003-11-03").exit_code == 0
    sticker = tmp_path / "sticker-feb30.txt"
    sticker.write_text(STICKER_HEAD.replace("December 1, 2003", "February 30, 2004")
                       + REPLACE_FEE.format(page="S-1", heading="Servicing Fee", rate="0.40%"))
    result = run(runner, "ingest", sticker)
    assert result.exit_code == 1 and "--date" in result.stderr and "internal error" not in result.stderr
    result = run(runner, "ingest", sticker, "--date", "2003-12-01")
    assert result.exit_code in (0, 3) and "internal error" not in result.stderr
    assert run(runner, "verify").exit_code == 0
    docs = json.loads(run(runner, "documents", "--json").stdout)
    assert len(docs) == 2 and all(d["document_date"] != "2004-02-30" for d in docs)


@pytest.mark.parametrize("option", ["--as-of", "--known-at"])
@pytest.mark.parametrize("value", ["2004-02-30", "2003-13-01", "2004-1-9x", "yesterday", ""])
def test_an_impossible_date_option_is_a_usage_error(runner, based, option, value):
    result = run(runner, "show", BASE_KEY, option, value)
    assert result.exit_code == 2
    one_error_line(result, "not a date")
    assert result.stdout == ""


# --- names ------------------------------------------------------------------------------------


def test_a_key_that_matches_two_documents_is_refused(runner, based):
    assert run(runner, "ingest", GOOD_STICKER).exit_code == 0
    before = counts(based)
    for command in (["show", "2099-z1"], ["history", "2099-Z1"], ["apply", "2099-Z1"], ["outline", "z1"]):
        result = run(runner, *command)
        assert result.exit_code == 1, command
        line = one_error_line(result, "matches 2 documents")
        assert BASE_KEY in line and "2099-Z1/sticker-2003-12-01" in line
    assert counts(based) == before


def test_amends_naming_two_documents_ingests_nothing(runner, based, tmp_path):
    assert run(runner, "ingest", GOOD_STICKER).exit_code == 0
    before = counts(based)
    other = tmp_path / "other.txt"
    other.write_text(STICKER_HEAD.replace("December 1", "December 5")
                     + REPLACE_FEE.format(page="S-1", heading="Servicing Fee", rate="0.30%"))
    result = run(runner, "ingest", other, "--amends", "2099-Z1")
    assert result.exit_code == 1
    one_error_line(result, "matches 2 documents")
    assert counts(based) == before


# --- the database path ------------------------------------------------------------------------


def test_db_in_a_missing_directory(runner, tmp_path):
    db = tmp_path / "no" / "such" / "dir" / "t.db"
    result = run(runner, "--db", db, "ingest", BASE)
    assert result.exit_code == 1
    one_error_line(result, "directory does not exist")
    assert not db.parent.exists()


def test_db_under_a_regular_file(runner, tmp_path):
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a directory")
    result = run(runner, "--db", blocker / "t.db", "ingest", BASE)
    assert result.exit_code == 1
    one_error_line(result, "cannot open database")
    assert blocker.read_text() == "not a directory"


def test_db_that_is_a_directory(runner, tmp_path):
    result = run(runner, "--db", tmp_path, "ingest", BASE)
    assert result.exit_code == 1
    one_error_line(result, "database path is a directory")


def test_db_that_is_not_a_database(runner, tmp_path):
    db = tmp_path / "t.db"
    db.write_bytes(b"this is not sqlite" * 100)
    result = run(runner, "--db", db, "documents")
    assert result.exit_code == 1
    one_error_line(result, "cannot open database")
    assert db.read_bytes() == b"this is not sqlite" * 100


def test_reading_commands_do_not_create_a_database(runner, tmp_path):
    db = tmp_path / "t.db"
    for command in (["documents"], ["show", "x"], ["verify"], ["log"], ["review"]):
        result = run(runner, "--db", db, *command)
        assert result.exit_code == 1, command
        one_error_line(result, "no database at")
    assert not db.exists()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_db_in_a_directory_that_is_not_writable(runner, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = run(runner, "--db", locked / "t.db", "ingest", BASE)
        assert result.exit_code == 1
        one_error_line(result, "cannot open database")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


# --- text from the user never becomes SQL -----------------------------------------------------

HOSTILE_NAMES = ["'", '"', "x'; DROP TABLE documents; --", "%", "_", "2099%", "x -- y", "' OR 1=1 --",
                 '" OR ""="', "1 OR 1=1", "1; DELETE FROM events", "\\", "%' --", "0x1", "  "]


def _schema_and_counts(db_path):
    con = sqlite3.connect(db_path)
    try:
        names = sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master"))
    finally:
        con.close()
    return names, counts(db_path)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_not_found_and_change_nothing(runner, based, tmp_path, name):
    assert run(runner, "ingest", GOOD_STICKER).exit_code == 0
    before = _schema_and_counts(based)
    other = tmp_path / "other.txt"
    other.write_text(STICKER_HEAD.replace("December 1", "December 7")
                     + REPLACE_FEE.format(page="S-1", heading="Servicing Fee", rate="0.35%"))
    commands = [
        ["show", name], ["history", name], ["outline", name], ["timeline", name], ["apply", name],
        ["explain", name], ["resolve", name, "1", "--choose", "1"], ["outline", BASE_KEY, "--page", name],
        ["ingest", other, "--amends", name],
    ]
    for command in commands:
        result = run(runner, *command)
        assert result.exit_code in (1, 2), (command, result.stdout, result.stderr)
        line = one_error_line(result)
        assert any(w in line for w in ("no document", "no filing", "not in", "name a document")), line
    assert _schema_and_counts(based) == before


def test_hostile_text_in_a_decision_is_kept_as_text(runner, based, tmp_path):
    path = tmp_path / "sticker.txt"
    path.write_text(STICKER_HEAD + REPLACE_FEE.format(page="S-1", heading="Trustee Fee", rate="0.40%"))
    assert "needs_review" in run(runner, "ingest", path).stdout
    why = "'); DROP TABLE decisions; -- 100% sure"
    result = run(runner, "resolve", "2", "1", "--page", "S-1", "--block", "5", "--why", why)
    assert result.exit_code == 0, result.stderr
    con = sqlite3.connect(based)
    try:
        assert con.execute("SELECT why FROM decisions").fetchall() == [(why,)]
    finally:
        con.close()
    assert run(runner, "verify").exit_code == 0


# --- one accession number, one filing ---------------------------------------------------------


def test_other_bytes_under_a_stored_accession_number_are_an_error_naming_both(runner, db_path, tmp_path):
    first = tmp_path / "first.txt"
    first.write_text(_sgml(BASE.read_text()))
    assert run(runner, "ingest", first).exit_code == 0
    again = run(runner, "ingest", first)  # the same bytes: an idempotent skip
    assert again.exit_code == 0 and "0 new, 1 already stored, 0 failed" in again.stdout
    before = counts(db_path)
    other = tmp_path / "other.txt"
    other.write_text(_sgml(BASE.read_text().replace("0.50%", "0.55%")))
    result = run(runner, "ingest", other)
    assert result.exit_code == 1 and "0 new, 0 already stored, 1 failed" in result.stdout
    one_error_line(result, "0000950123-03-000777", "filing 1", "first.txt", "other.txt", "other bytes")
    assert counts(db_path) == before


# --- dates that cannot lie ----------------------------------------------------------------------


def test_an_amendment_dated_before_its_document_is_refused_and_never_in_force(runner, based, tmp_path):
    early = tmp_path / "early.txt"
    early.write_text(GOOD_STICKER.read_text().replace("Supplement dated December 1, 2003",
                                                      "Supplement dated October 2, 2003"))
    result = run(runner, "ingest", early)
    assert result.exit_code == 3
    assert "dated 2003-10-02, before 2099-Z1/prospectus-supplement (effective 2003-11-03)" in result.stdout
    assert json.loads(run(runner, "show", BASE_KEY, "--json").stdout)["version"] == 1
    before = run(runner, "show", BASE_KEY, "--as-of", "2003-10-05")
    assert before.exit_code == 1 and before.stdout == ""
    one_error_line(before, "did not exist on 2003-10-05")


def test_no_version_is_written_before_its_document_whatever_the_path(based):
    from tracker.errors import InputError
    from tracker.store import Store

    store = Store.open(based)
    try:
        doc = service.find_document(store, BASE_KEY)
        original = store.versions_of(doc.id)[0]
        text = store.version_text(original)
        at = text.index("0.50%")
        with pytest.raises(InputError, match="dated before the document it amends"):
            with store.transaction():
                service.write_version(store, doc.id, original, original.filing_id, "2003-12-01", text,
                                      [(at, at + 5, "0.40%")], "2003-10-02", partial=False)
        assert len(store.versions_of(doc.id)) == 1
    finally:
        store.close()


# --- what a filing prints cannot drive the terminal ---------------------------------------------

ESCAPES = "\x1b[2J\x1b]0;owned\x07\x1b]8;;http://x.example/\x1b\\link\x1b]8;;\x1b\\\x9b31m\x7f"


def test_control_characters_are_stored_but_shown_as_symbols(runner, db_path, tmp_path):
    base = tmp_path / "base.txt"
    base.write_text(BASE.read_text().replace("Advances are reimbursable", f"Advances {ESCAPES}are reimbursable"))
    assert run(runner, "ingest", base).exit_code == 0
    sticker = tmp_path / "sticker.txt"
    sticker.write_text(GOOD_STICKER.read_text().replace("aggregate principal", f"aggregate {ESCAPES}principal"))
    assert run(runner, "ingest", sticker).exit_code == 0
    from tracker.store import Store

    raw = service.show(Store.open(db_path), BASE_KEY).text
    assert ESCAPES in raw  # the bytes stay as filed
    outputs = {
        "show": run(runner, "show", BASE_KEY), "blame": run(runner, "blame", BASE_KEY),
        "search": run(runner, "search", "reimbursable"), "log": run(runner, "log"),
        "explain": run(runner, "explain", "2"),
        **{f"diff {f}": run(runner, "diff", BASE_KEY, "--format", f) for f in ("text", "md", "html", "json")},
        "diff ansi": run(runner, "diff", BASE_KEY, "--markers", "ansi"),
        "show json": run(runner, "show", BASE_KEY, "--json"),
    }
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.stderr)
        body = result.stdout + result.stderr
        if name == "diff ansi":  # the marks' own colours, and nothing of the filing's
            body = body.replace("\x1b[9;31m", "").replace("\x1b[4;32m", "").replace("\x1b[0m", "")
        assert not [c for c in body if (ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0], name
    assert "\u241b[2J" in outputs["show"].stdout
    assert json.loads(outputs["show json"].stdout)["text"] == raw  # JSON escapes keep the value exact
    docx = tmp_path / "r.docx"
    assert run(runner, "diff", BASE_KEY, "--format", "docx", "-o", docx).exit_code == 0
    import zipfile

    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    assert "\x1b" not in xml and "\u241b" in xml


# --- what is not a file -----------------------------------------------------------------------


@pytest.mark.parametrize("make, words", [
    (lambda tmp: (os.mkfifo(tmp / "fifo"), tmp / "fifo")[1], ("not a regular file", "a FIFO")),
    (lambda tmp: pathlib.Path("/dev/zero"), ("not a regular file", "a device")),
])
def test_what_is_not_a_file_is_never_called_empty_and_leaves_no_database(runner, db_path, tmp_path, make, words):
    result = run(runner, "ingest", make(tmp_path))
    assert result.exit_code == 1
    line = one_error_line(result, *words)
    assert "empty" not in line
    assert not db_path.exists()


def test_a_refused_huge_file_leaves_no_database(runner, db_path, tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(service.MAX_FILE_BYTES + 1)
    result = run(runner, "ingest", big)
    assert result.exit_code == 1
    one_error_line(result, "byte limit")
    assert not db_path.exists()


def test_mixed_utf8_and_cp1252_is_read_with_a_warning(runner, db_path, tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(BASE.read_text().replace("SUMMARY\n", "SUMMARY r\u00e9sum\u00e9\n").encode("utf-8")
                     .replace(b'"Cut-off Date"', b"\x93Cut-off Date\x94"))
    result = run(runner, "ingest", path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("warning: mixed.txt: mixes UTF-8") and "cp1252" in result.stderr
    text = run(runner, "show", BASE_KEY).stdout
    assert "SUMMARY r\u00e9sum\u00e9" in text and "\u201cCut-off Date\u201d" in text
    assert json.loads(run(runner, "filings", "--json").stdout)[0]["format"] == "text"
    assert run(runner, "verify").exit_code == 0
