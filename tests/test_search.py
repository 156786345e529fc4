"""Full-text search: each distinct block text indexed once, versions as compressed block maps."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import row, rows
from tests.test_provenance import BASE, KEY, STICKER_A, STICKER_B, filing
from tracker import service, store as store_mod
from tracker.errors import UsageError
from tracker.query import SearchQuery, Term, parse_query
from tracker.segment import segment

D = dt.date.fromisoformat

FILINGS = [
    ("0000999999-03-000001", "20031223", "424B5", BASE),
    ("0000999999-04-000002", "20040112", "424B3", STICKER_A),
    ("0000999999-04-000003", "20040201", "424B3", STICKER_B),
]


def count(store, table: str) -> int:
    return row(store, f"SELECT COUNT(*) AS n FROM {table}")["n"]


@pytest.fixture
def ingested(store):
    for acc, filed, form, text in FILINGS:
        service.ingest_bytes(store, filing(acc, filed, form, text), source_name=f"{acc}.txt")
    return store


@pytest.fixture
def deal(ingested):
    results = service.link_and_apply_pending(ingested)
    assert [r["state"] for r in results] == ["applied", "applied"], results
    return ingested


def doc_versions(store):
    return store.versions_of(service.find_document(store, KEY).id)


@pytest.mark.sqlite_only
def test_versions_sharing_blocks_add_only_the_changed_texts(ingested):
    before = count(ingested, "block_texts")
    service.link_and_apply_pending(ingested)
    versions = doc_versions(ingested)
    assert [v.number for v in versions] == [1, 2, 3, 4]
    # v2 changes one paragraph (sticker A), v3 another (sticker B); v4 (A again, on top of B) has
    # only texts already indexed
    assert count(ingested, "block_texts") == before + 2
    assert count(ingested, "passages") == count(ingested, "block_texts")
    # every version still knows all its blocks, by reference
    for v in versions:
        blocks = ingested.version_blocks(v.id)
        expected = service.passages(segment(ingested.version_text(v)))
        assert [b[3] for b in blocks] == [p["block"] for p in expected]
        keys = {r["id"]: r["hash"] for r in rows(ingested, "SELECT id, hash FROM block_texts")}
        assert [keys[b[0]] for b in blocks] == [store_mod.block_key(p["text"], p["heading"]) for p in expected]
    ingested.db.execute("INSERT INTO passages (passages) VALUES ('integrity-check')")


def test_indexing_the_same_blocks_again_adds_nothing(deal):
    v = doc_versions(deal)[-1]
    passages = service.passages(segment(deal.version_text(v)))
    with deal.transaction():
        assert deal.index_passages(v.id, passages) == 0
        changed = [dict(p) for p in passages]
        changed[-1]["text"] += " A new closing sentence."
        assert deal.index_passages(v.id, changed) == 1
        deal.add_event("test", {"version": v.number}, {}, "tester")
    assert len(deal.version_blocks(v.id)) == len(passages)


def test_the_same_text_under_another_heading_is_its_own_passage():
    assert store_mod.block_key("Same words.", "SUMMARY > Advances") != store_mod.block_key("Same words.", "RISK FACTORS")
    assert store_mod.block_key("Same words.", "A") == store_mod.block_key("Same words.", "A")


def test_block_maps_round_trip_and_stay_small():
    blocks = [(1000 + i, f"S-{i // 40 + 1}", "paragraph" if i % 3 else "heading", 2 * i) for i in range(2000)]
    packed = store_mod.pack_blocks(blocks)
    assert store_mod.unpack_blocks(packed) == blocks
    assert len(packed) < 2000 * 2  # a couple of bytes a block
    assert store_mod.unpack_blocks(store_mod.pack_blocks([])) == []


def test_search_as_of_finds_the_version_in_force(deal):
    def hits(when, known=None):
        return [(h["version"], h["snippet"]) for h in
                service.search(deal, "purchase cut-off", as_of=D(when), known_at=D(known) if known else None,
                                  document=KEY)]

    [(v, snippet)] = hits("2003-12-31")
    assert v == 1 and "10%" in snippet
    [(v, snippet)] = hits("2004-01-06")
    assert v == 3 and "5%" in snippet
    [(v, snippet)] = hits("2004-01-06", "2004-01-20")  # the correction was not known yet
    assert v == 1 and "10%" in snippet
    [(v, snippet)] = hits("2004-01-10")
    assert v == 4 and "5%" in snippet
    # without a document: the prospectus text only, unless the stickers' own words are asked for
    assert {h["document"] for h in service.search(deal, "purchase cut-off", as_of=D("2004-02-02"))} == {KEY}
    assert {h["document"] for h in service.search(deal, "purchase cut-off", as_of=D("2004-02-02"),
                                                  kind="sticker")} == {"2003-ZZ1/sticker-2004-01-05"}
    everything = service.search(deal, "purchase cut-off", as_of=D("2004-02-02"), kind="all")
    assert [h["document_kind"] for h in everything] == ["prospectus_supplement", "sticker"]
    assert service.search(deal, "interest only", as_of=D("2003-12-31"), document=KEY) == []
    [hit] = service.search(deal, "interest only", as_of=D("2004-01-10"), known_at=D("2004-01-20"), document=KEY)
    assert hit["version"] == 2


def test_hits_carry_page_heading_kind_block_and_snippet(deal):
    hits = service.search(deal, "delinquent payments", as_of=D("2003-12-31"), document=KEY)
    [hit] = hits
    assert hit["page"] == "S-1"
    assert hit["heading"] == "SUMMARY > Advances"
    assert hit["kind"] == "paragraph" and isinstance(hit["block"], int)
    assert "[delinquent] [payments]" in hit["snippet"]
    assert hit["effective_date"] == "2003-12-22"
    later = service.search(deal, "simple interest loans", as_of=D("2004-01-10"), document=KEY)
    assert {h["page"] for h in later} >= {"S-2"}


def test_heading_words_match_the_blocks_under_them(deal):
    hits = service.search(deal, "optional termination purchase", as_of=D("2003-12-31"), document=KEY)
    assert [(h["kind"], h["heading"]) for h in hits] == [("paragraph", "SUMMARY > Optional Termination")]


def test_hits_are_best_first_then_in_text_order(deal):
    versions = [v.id for v in doc_versions(deal)]
    servicer = parse_query("servicer")
    hits = deal.search(servicer, versions, 100)
    assert hits == sorted(hits, key=lambda h: (h.rank, h.version_id, h.block))
    assert {h.version_id for h in hits} == set(versions)
    assert len(deal.search(servicer, versions, 3)) == 3
    assert deal.search(servicer, [], 10) == []


def test_search_text_cannot_inject_fts_or_sql(deal, backend):
    queries = ['"OR 1=1" --', "interest'; DROP TABLE block_texts; --", "NEAR(servicer advance)", "a* OR b",
               "heading: Advances", "text : servicer", "^servicer", "-servicer", "servicer_advance", "{text} : x"]
    for q in queries:
        service.search(deal, q)
    for q in ["", "  ", '"" ***', "--", '" OR 1=1 --', "OR servicer", "servicer OR"]:
        with pytest.raises(UsageError):
            service.search(deal, q)
    # A term built by hand, quotation marks and operators in its words, is still only words.
    odd = SearchQuery(((Term(('"unbalanced', "OR", "NEAR(x")),),))
    assert deal.search(odd, [v.id for v in doc_versions(deal)], 10) == []
    assert count(deal, "versions") == 6
    if backend == "sqlite":
        assert count(deal, "passages") == count(deal, "block_texts") > 0
    assert service.verify(deal)["ok"]


@pytest.mark.parametrize(
    "query, expression",
    [
        ("simple interest", '"simple" AND "interest"'),
        ('"simple interest" advances', '"simple interest" AND "advances"'),
        ("advance* OR servicer", '("advance"* OR "servicer")'),
        ("fee trustee OR servicer OR depositor", '"fee" AND ("trustee" OR "servicer" OR "depositor")'),
        ("AA- BBB+", '"AA" AND "BBB"'),
        ("or and", '"or" AND "and"'),  # lower case: words
    ],
)
def test_query_language(query, expression):
    from tracker.query import parse_query
    from tracker.store.search import fts5

    assert fts5(parse_query(query)) == expression


@pytest.mark.parametrize(
    "query, problem",
    [
        ('"simple interest', "a quotation mark is not closed"),
        ("OR servicer", "OR needs a term on each side"),
        ("servicer OR OR trustee", "OR needs a term on each side"),
        ('"  "', "a quoted phrase has no words"),
        ("!!", "nothing to search for"),
    ],
)
def test_unreadable_queries_are_refused_with_the_reason(query, problem):
    from tracker.query import parse_query

    with pytest.raises(UsageError, match=problem):
        parse_query(query)


def test_phrases_and_alternatives_find_what_they_say(deal):
    phrase = service.search(deal, '"delinquent payments"', as_of=D("2003-12-31"))
    assert [h["heading"] for h in phrase] == ["SUMMARY > Advances"]
    assert service.search(deal, '"payments delinquent"', as_of=D("2003-12-31")) == []
    either = service.search(deal, "delinquent OR termination", as_of=D("2003-12-31"))
    assert {h["heading"] for h in either} >= {"SUMMARY > Advances", "SUMMARY > Optional Termination"}
