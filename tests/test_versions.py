"""Versions (``store/versions.py``, ``store/blobs.py``): texts kept as snapshots, exact deltas or
slices of their filing's text, and read back exactly."""

from __future__ import annotations

import datetime as dt

from tests.conftest import HE3_BASE, execute, row, rows
from tests.test_provenance import BASE, KEY, deal, filing  # noqa: F401  (deal: a fixture)
from tracker import service


def test_versions_read_back_exactly_through_snapshots_and_deltas(store, monkeypatch):
    """Reading any version gives the text applying its edits gave, across snapshot boundaries."""
    from tracker.store import versions as stored_versions

    monkeypatch.setattr(stored_versions, "SNAPSHOT_EVERY", 3)
    monkeypatch.setattr(stored_versions, "SNAPSHOT_SHARE", 100.0)  # by count alone
    service.ingest_bytes(store, filing("0000999999-03-000001", "20031223", "424B5", BASE), source_name="b")
    doc = service.find_document(store, KEY)
    head = store.versions_of(doc.id)[0]
    expected = [store.version_text(head)]
    for i in range(7):
        text = expected[-1]
        at = text.index("10%") if i == 0 else text.index(f"rev{i - 1}")
        end = at + (3 if i == 0 else len(f"rev{i - 1}"))
        with store.transaction():
            head = service.write_version(store, doc.id, head, 1, head.recorded_date, text, [(at, end, f"rev{i}")],
                                         "2004-01-01", partial=False)
            store.add_event("test", {"version": head.number}, {}, "tester")
        expected.append(text[:at] + f"rev{i}" + text[end:])
    versions = store.versions_of(doc.id)
    assert [v.snapshot for v in versions] == [1, 0, 0, 1, 0, 0, 1, 0]
    assert [store.version_text(v) for v in versions] == expected
    assert service.verify(store)["ok"]


def test_a_snapshot_comes_when_the_edits_kept_since_the_last_outweigh_a_share_of_the_text(store, monkeypatch):
    """A long history costs its edits, not a copy of the text every so many versions: a version
    keeps its whole text only once the edits kept since the last snapshot outweigh a share of it."""
    from tracker.store import versions as stored_versions

    monkeypatch.setattr(stored_versions, "SNAPSHOT_SHARE", 0.3)
    monkeypatch.setattr(stored_versions, "SNAPSHOT_FLOOR", 0)
    service.ingest_bytes(store, filing("0000999999-03-000001", "20031223", "424B5", BASE), source_name="b")
    doc = service.find_document(store, KEY)
    head = store.versions_of(doc.id)[0]
    text = store.version_text(head)
    expected = [text]
    for i in range(12):
        at = text.index("10%") if i == 0 else text.index(f"revision {i - 1}.")
        end = at + (3 if i == 0 else len(f"revision {i - 1}."))
        with store.transaction():
            head = service.write_version(store, doc.id, head, 1, head.recorded_date, text,
                                         [(at, end, f"revision {i}.")], "2004-01-01", partial=False)
            store.add_event("test", {"version": head.number}, {}, "tester")
        text = text[:at] + f"revision {i}." + text[end:]
        expected.append(text)
    versions = store.versions_of(doc.id)
    assert [store.version_text(v) for v in versions] == expected
    kept = [len(r["edits"]) for r in rows(store, "SELECT edits FROM versions WHERE edits IS NOT NULL ORDER BY id")]
    flags = [v.snapshot for v in versions][1:]
    assert 1 in flags and flags.index(1) > 0
    # the snapshot comes with the first version whose edits, added to those since the last, pass the share
    first = flags.index(1)
    assert sum(kept[:first + 1]) > 0.3 * len(expected[first + 1]) >= sum(kept[:first])
    assert service.verify(store)["ok"]


def test_a_version_kept_before_its_edits_were_packed_reads_back(deal):
    """Rows made before the edits and patch were kept together (in ``delta`` and ``patch``) read as ever."""
    doc = service.find_document(deal, KEY)
    versions = deal.versions_of(doc.id)
    texts = [deal.version_text(v) for v in versions]
    with deal.transaction():
        for v in versions[1:]:
            execute(deal, "UPDATE versions SET delta = ?, patch = ?, edits = NULL WHERE id = ?",
                    [v.delta, v.patch, v.id])
        deal.commit_all_records()  # as the migration that made the column commits a database made before
    again = deal.versions_of(doc.id)
    assert [(v.delta, v.patch) for v in again] == [(v.delta, v.patch) for v in versions]
    assert [deal.version_text(v) for v in again] == texts
    assert service.verify(deal)["ok"]


def test_a_text_read_from_a_known_ancestor_is_the_text_read_from_its_snapshot(deal):
    doc = service.find_document(deal, KEY)
    versions = deal.versions_of(doc.id)
    texts = {v.id: deal.version_text(v) for v in versions}
    for old in versions:
        for new in versions:
            got = deal.version_text(new, known={old.id: texts[old.id]})
            assert got == texts[new.id]


def test_an_original_text_is_kept_as_a_slice_of_its_filing(store):
    from tracker.read import read_filing

    data = HE3_BASE.read_bytes()
    service.ingest(store, [str(HE3_BASE)])
    [version] = store.all_versions()
    sliced = store.get_text_slice(version.text_sha256)
    assert sliced is not None and sliced[0] == row(store, "SELECT sha256 FROM filings")["sha256"]
    # no second copy of a megabyte: the filing's bytes are the only blob
    assert [r["sha256"] for r in rows(store, "SELECT sha256 FROM blobs")] == [sliced[0]]
    assert store.version_text(version) == read_filing(data).documents[0].text
    assert service.verify(store)["ok"]
    with store.transaction():
        store.conn.execute('UPDATE text_slices SET "end" = "end" - 1')
    problems = service.verify(store)["problems"]
    assert any("text hash mismatch" in p for p in problems), problems


def test_a_converted_html_text_is_kept_as_its_own_blob(store):
    html = b"<html><body><p>PROSPECTUS SUPPLEMENT</p><p>The servicer will advance interest.</p></body></html>"
    service.ingest_bytes(store, html, source_name="doc.htm", date=dt.date(2004, 1, 9))
    [version] = store.all_versions()
    assert store.get_text_slice(version.text_sha256) is None
    assert "The servicer will advance interest." in store.version_text(version)
