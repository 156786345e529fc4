"""Stored segmentations: they round-trip exactly, and a stale one is never used."""

from __future__ import annotations

import zlib

import pytest

from tests.conftest import HE3_BASE, SEED_8K, SEED_STICKER
from tests.test_provenance import KEY, deal  # noqa: F401  (a fixture)
from tracker import service, structure
from tracker.read import read_filing
from tracker.segment import segment
from tracker.store import block_key, text_sha256


def _text(path) -> str:
    return read_filing(path.read_bytes()).documents[0].text


@pytest.mark.parametrize("path", [HE3_BASE, SEED_8K, SEED_STICKER], ids=lambda p: p.name)
def test_a_packed_structure_loads_back_equal(path):
    text = _text(path)
    seg = segment(text)
    digest = text_sha256(text)
    back = structure.load(structure.pack(seg, digest), text, digest)
    assert back == seg
    assert back.blocks and all(b.term == o.term and b.heading == o.heading for b, o in zip(back.blocks, seg.blocks))


def test_a_structure_of_another_text_or_segmenter_is_not_used(monkeypatch):
    text = _text(HE3_BASE)
    digest = text_sha256(text)
    data = structure.pack(segment(text), digest)
    other = text.replace("Advances", "Advancez", 1)
    assert structure.load(data, other, text_sha256(other)) is None
    assert structure.load(data, text[:-1], digest) is None
    assert structure.load(b"not zlib", text, digest) is None
    assert structure.load(zlib.compress(b"{}"), text, digest) is None
    monkeypatch.setattr(structure, "segmenter", lambda: "a later segmenter")
    assert structure.load(data, text, digest) is None


def redline_of(store, key: str) -> dict:
    """The redline report without its stamp, which says when it was made, to the second."""
    return {k: v for k, v in service.diff_report(store, key).items() if k != "generated"}


def test_versions_keep_their_structure_and_reads_use_it(store, monkeypatch):
    service.ingest(store, [str(HE3_BASE), str(SEED_STICKER)])
    doc = service.find_document(store, "2003-HE3/prospectus-supplement")
    versions = store.versions_of(doc.id)
    assert len(versions) == 2
    for v in versions:
        text = store.version_text(v)
        stored = structure.load_chain(store.structure_chain(v.id), text, v.text_sha256)
        assert stored.seg == segment(text)
    # With the structures stored, reading commands do not segment at all.
    before = redline_of(store, doc.key)

    def refuse(text):
        raise AssertionError("segmented although a current structure is stored")

    import tracker.redline.changes
    import tracker.segment

    monkeypatch.setattr(tracker.segment, "segment", refuse)
    monkeypatch.setattr(tracker.redline.changes, "segment", refuse)
    assert redline_of(store, doc.key) == before
    assert service.outline(store, doc.key, page="S-8")


def test_a_version_without_a_stored_structure_is_segmented_afresh(store):
    service.ingest(store, [str(HE3_BASE), str(SEED_STICKER)])
    doc = service.find_document(store, "2003-HE3/prospectus-supplement")
    before = redline_of(store, doc.key)
    with store.transaction():
        store.conn.execute("DELETE FROM version_structure")
    assert redline_of(store, doc.key) == before


def test_a_block_map_reusing_its_parents_ids_is_what_indexing_afresh_gives(deal):
    # deal: an original, a sticker, and a correction filed late that rebases the sticker's version
    doc = service.find_document(deal, KEY)
    versions = deal.versions_of(doc.id)
    assert len(versions) >= 3
    hashes = dict(deal.conn.execute("SELECT id, hash FROM block_texts"))
    for v in versions:
        fresh = service.passages(segment(deal.version_text(v)))
        stored = deal.version_blocks(v.id)
        assert [hashes[i] for i, *_ in stored] == [block_key(p["text"], p["heading"]) for p in fresh]
        assert [(page, kind, block) for _, page, kind, block in stored] == [
            (p["page"], p["kind"], p["block"]) for p in fresh
        ]


def test_a_diff_told_where_the_deltas_changed_the_text_finds_what_a_full_comparison_finds(deal):
    from tracker import diffing, redline

    doc = service.find_document(deal, KEY)
    chain = deal.versions_of(doc.id)
    by_id = {v.id: v for v in chain}
    for new in chain:
        path = [new]
        while path[-1].parent_id:
            path.append(by_id[path[-1].parent_id])
        path.reverse()
        for k, old in enumerate(path[:-1]):
            steps = [v.edits() for v in path[k + 1:]]
            a = service.segmented(deal, old)
            b = service.segmented(deal, new)
            hinted = redline.compare(a, b, changed=diffing.changed_ranges(steps))
            assert hinted == redline.compare(a, b)
            assert hinted  # every step of this deal changes something
