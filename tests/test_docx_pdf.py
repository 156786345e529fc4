"""Word and PDF redlines: tracked changes with their filing and date, comments, tables by cells,
what LibreOffice makes of the .docx, and the PDF's page numbers and footer."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader
from typer.testing import CliRunner

from tracker.cli import app
from tracker.docx_redline import render_docx
from tracker.redline import attach_provenance, compare, report_json
from tracker.segment import segment

from .conftest import CORPUS
from .test_redline import SMALL_OLD

HE3 = "2003-HE3/prospectus-supplement"
SEED = "2003-HE3/sticker-2004-01-09 (no accession number)"
W_INS, W_DEL = qn("w:ins"), qn("w:del")


def run(*args):
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "120", "TERM": "dumb"})
    assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    run("--db", str(path), "ingest", str(CORPUS))
    return path


@pytest.fixture(scope="module")
def seed_docx(seed_db):
    target = seed_db.parent / "redline.docx"
    run("--db", str(seed_db), "diff", HE3, "--format", "docx", "-o", str(target))
    return target


def soffice() -> str:
    """LibreOffice's command; CI installs it, so there a missing one fails instead of skipping."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is not installed; .ci/run installs it")
    pytest.skip("LibreOffice (soffice) is not installed here")


def to_pdf(path: Path) -> PdfReader:
    out = path.parent / "lo"
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{path.parent}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=300)
    return PdfReader(out / (path.stem + ".pdf"))


# --- reading a .docx back ----------------------------------------------------------------------


def body_elements(document):
    """The body after the cover page (the cover's section ends at the first section break)."""
    seen_break = False
    for el in document.element.body.iterchildren():
        if seen_break:
            yield el
        elif el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            seen_break = True


def side_text(el, side: int) -> str:
    """An element's text with every change accepted (side 1) or rejected (side -1)."""
    out = []
    for node in el.iter(qn("w:t"), qn("w:delText")):
        inside = {a.tag for a in node.iterancestors()} & {W_INS, W_DEL}
        if (W_INS in inside and side < 0) or (W_DEL in inside and side > 0):
            continue
        out.append(node.text or "")
        out.append(" ")
    return "".join(out)


def words(text: str) -> Counter:
    """The words of a text, leaving out rules and dot leaders (a table's furniture)."""
    return Counter(w for w in text.split() if not re.fullmatch(r"[.\-=_]+", w))


def version_words(text: str) -> Counter:
    seg = segment(text)
    return words(" ".join(text[b.start:b.end] for b in seg.blocks if b.kind != "risk_factor"))


# --- the seed sticker's redline ----------------------------------------------------------------


def test_each_change_is_tracked_with_the_filing_as_author_and_its_date(seed_db, seed_docx):
    document = docx.Document(str(seed_docx))
    body = document.element.body
    marks = list(body.iter(W_INS, W_DEL))
    assert len(marks) >= 12
    assert {(m.get(qn("w:author")), m.get(qn("w:date"))) for m in marks} == {(SEED, "2004-01-09T00:00:00Z")}
    # one comment per change, by the same filing, quoting the instruction and its status
    comments = list(document.comments)
    assert len(comments) == 6
    assert {(c.author, c._comment_elm.get(qn("w:date"))) for c in comments} == {(SEED, "2004-01-09T00:00:00Z")}
    assert document.settings.element.find(qn("w:trackRevisions")) is not None
    texts = [c.text for c in comments]
    assert [t.split(":")[0] for t in texts] == [f"Change {n}" for n in range(1, 7)]
    assert "instruction 2 (applied" in texts[1] and "page S-9" in texts[1]
    # every comment is anchored in the body
    assert len(list(body.iter(qn("w:commentRangeStart")))) == 6


def test_the_ratings_chart_is_a_word_table_with_changed_cells(seed_docx):
    document = docx.Document(str(seed_docx))
    chart = next(t for t in document.tables if t.rows[0].cells[0].text == "Certificates")
    m1 = chart.rows[2]._tr
    assert side_text(m1, -1).split() == ["Class", "M-1", "Aa2", "AA"]
    assert side_text(m1, 1).split() == ["Class", "M-1", "A3", "AA-"]
    deleted = [t.text for t in m1.iter(qn("w:delText"))]
    assert deleted == ["Aa2", "AA"]


def test_accepting_every_change_gives_the_new_version_and_rejecting_the_old(seed_db, seed_docx):
    from tracker import service
    from tracker.store import Store

    store = Store.open(seed_db, create=False)
    versions = store.versions_of(service.find_document(store, HE3).id)
    old, new = (store.version_text(v) for v in versions)
    store.close()
    document = docx.Document(str(seed_docx))
    body = list(body_elements(document))
    assert words(" ".join(side_text(el, 1) for el in body)) == version_words(new)
    assert words(" ".join(side_text(el, -1) for el in body)) == version_words(old)


def test_libreoffice_opens_the_seed_redline_with_a_page_per_filing_page(seed_docx):
    pdf = to_pdf(seed_docx)
    pages = [p.extract_text() for p in pdf.pages]
    labels = [p.label for p in segment(Path(CORPUS / "citigroup-mlt-2003-he3-prospectus-supplement-2003-12-22.txt")
                                       .read_text(encoding="latin-1")).pages]
    assert len(pages) >= 1 + len(labels)
    assert "Redline: 2003-HE3/prospectus" in pages[0]
    s9 = next(p for p in pages if "page S-9 of the filing" in p)
    assert "Ratings" in s9 and "Baa3" in s9 and "Aa2" in s9  # the deleted figure shows, struck
    assert re.search(r"page 1 of \d+", pages[0].replace("\n", " "))


# --- a small redline, page by page ---------------------------------------------------------------

# the first page of the redline tests' small text, then a table on the second
OLD = SMALL_OLD.split("Interest Rates")[0] + """Interest Rates

                 Rate      Margin
                 ----      ------
Class A          5.96%     0.30%
Class M-1        6.50%     0.70%

S-9
"""
NEW = OLD.replace("at any time.", "at any time without penalty.").replace("6.50%", "6.75%")


@pytest.fixture
def small_docx(tmp_path):
    changes = compare(OLD, NEW)
    edits = [{"new_start": c.new_span[0], "new_end": c.new_span[1], "filing": "he3/sticker",
              "accession": "0001162318-04-000012", "n": k, "status": "applied", "effective": "2004-01-09",
              "source_text": f"instruction {k}",
              "decision": {"who": "counsel", "why": "per the trustee", "at": "2004-01-10"} if k == 2 else None}
             for k, c in enumerate(changes, start=1)]
    report = report_json({"document": {"key": "he3"},
                          "from_version": {"number": 1, "effective_date": "2003-12-22", "recorded_date": "2003-12-23"},
                          "to_version": {"number": 2, "effective_date": "2004-01-09", "recorded_date": "2004-01-10"},
                          "generated": {"at": "2026-01-01T00:00:00+00:00", "database": "x.db", "tracker": "0"}},
                         attach_provenance(changes, edits))
    path = tmp_path / "small.docx"
    path.write_bytes(render_docx(report, segment(OLD), segment(NEW)))
    return path


def test_small_redline_marks_and_comments(small_docx):
    document = docx.Document(str(small_docx))
    marks = [(m.tag, "".join(t.text for t in m.iter(qn("w:t"), qn("w:delText"))))
             for m in document.element.body.iter(W_INS, W_DEL)]
    assert marks == [(W_DEL, "time."), (W_INS, "time without penalty."), (W_DEL, "6.50%"), (W_INS, "6.75%")]
    authors = {m.get(qn("w:author")) for m in document.element.body.iter(W_INS, W_DEL)}
    assert authors == {"he3/sticker (accession 0001162318-04-000012)"}
    second = list(document.comments)[1].text
    assert "Placed by counsel's decision on 2004-01-10: per the trustee" in second


def test_libreoffice_lays_out_a_cover_and_one_page_per_filing_page(small_docx):
    pdf = to_pdf(small_docx)
    pages = [p.extract_text() for p in pdf.pages]
    assert len(pages) == 3
    assert "page S-8 of the filing" in pages[1] and "without penalty" in pages[1]
    assert "page S-9 of the filing" in pages[2] and "6.75%" in pages[2]
    assert all(f"page {k} of 3" in p for k, p in enumerate(pages, start=1))


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_has_page_numbers_the_footer_and_the_legend(seed_db):
    target = seed_db.parent / "redline.pdf"
    run("--db", str(seed_db), "diff", HE3, "--format", "pdf", "-o", str(target))
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    n = len(pages)
    assert n >= 2
    for k, text in enumerate(pages, start=1):
        assert f"page {k} of {n}" in text
        assert f"{HE3} — version 1 (effective 2003-12-22) to version 2 (effective 2004-01-09)" in text
        assert f"from {seed_db}" in text and "generated 20" in text
    assert "Legend: deleted text inserted text" in pages[0]
    assert "dated 2004-01-09 (printed on the filing)" in pages[0] or "2004-01-09 (printed on the filing)" in pages[0]
