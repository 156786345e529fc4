"""Records: what the store hands back is typed, checks itself, and goes to JSON and back unchanged."""

from __future__ import annotations

import json

import pytest

from tests.conftest import HE3_BASE, SEED_STICKER, rows
from tracker import service
from tracker.query import parse_query
from tracker.store.versions import unpack_edits
from tracker.records import AmendmentRecord, Document, Event, Filing, SearchHit, StoredInstruction, Version


@pytest.fixture(scope="module")
def applied(tmp_path_factory):
    from tracker.store import Store

    store = Store.open(tmp_path_factory.mktemp("records") / "t.db")
    service.ingest(store, [str(HE3_BASE), str(SEED_STICKER)])
    yield store
    store.close()


def every_record(store) -> list:
    versions = store.all_versions()
    found = [*store.filings(), *store.documents(), *versions, *store.amendments(), *store.events()]
    for a in store.amendments():
        found += store.instructions_of(a.filing_id)
    found += store.search(parse_query("servicer"), [v.id for v in versions], 5)
    return found


def test_every_kind_of_record_is_made(applied):
    kinds = {type(r) for r in every_record(applied)}
    assert kinds == {Filing, Document, Version, AmendmentRecord, StoredInstruction, Event, SearchHit}


def test_records_round_trip_through_json(applied):
    for record in every_record(applied):
        data = json.loads(json.dumps(record.to_json()))
        assert type(record).from_json(data) == record, record


def test_records_read_as_the_rows_they_come_from(applied):
    version = applied.all_versions()[-1]
    row = rows(applied, "SELECT * FROM versions WHERE id = ?", [version.id])[0]
    # the exact edits and the audit patch are kept together, compressed (``edits``)
    edits = row.pop("edits")
    assert row.pop("delta") is None and row.pop("patch") is None
    assert (version.delta, version.patch) == unpack_edits(edits)
    assert {k: v for k, v in version.to_json().items() if k in row} == row
    assert version.partial is False and version.snapshot is False and version.number == 2
    assert version.edits() and all(len(e) == 3 for e in version.edits())
    document = applied.document(1)
    assert document.to_json() == rows(applied, "SELECT * FROM documents WHERE id = 1")[0]
    assert document.preliminary is False


def test_a_filing_is_named_by_its_accession_or_the_start_of_its_hash(applied):
    filing = applied.filings()[0]
    assert filing.label == (filing.accession or filing.sha256[:12])


def test_records_check_themselves():
    with pytest.raises(ValueError, match="sha256"):
        Filing(1, "abc", None, "x", "text", "utf-8", None, None, "2004-01-09", None, None, "")
    with pytest.raises(ValueError, match="state"):
        AmendmentRecord(1, 2, None, None, "done", None, None, "s", None)
    with pytest.raises(ValueError, match="start at 1"):
        Version(1, 1, 0, None, 1, "2004-01-09", "2004-01-09", "0" * 64, True, None, None, False, "", "", "")


def test_an_event_keeps_the_json_its_hash_covers(applied):
    from tracker.store import event_hash

    for event in applied.events():
        again = Event.from_json(event.to_json())
        assert again.inputs == event.inputs and event_hash(again) == event.hash
