"""The stored form of instructions: what the parser made is what apply and eval read back.

Instructions are generated from the dataclass fields themselves (a field added to ``Target``,
``Ordinal`` or ``Instruction`` is generated, stored and compared with no change here), and every
instruction the parser makes on the real stickers goes through a real store and back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import types
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import service
from tracker.models import OPS, TARGET_KINDS, Amendment, Instruction, Notice, Target, from_record, to_record
from tracker.store import Store

from .conftest import CORPUS, HE3_BASE, SHARED_CORPUS

ROOT = Path(__file__).resolve().parents[1]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)

# Fields whose values the dataclasses check: drawn from what they accept.
CHECKED = {
    (Instruction, "n"): st.integers(1, 99),
    (Instruction, "op"): st.sampled_from(OPS),
    (Target, "kind"): st.sampled_from(TARGET_KINDS),
}


def values(tp) -> st.SearchStrategy:
    """Values of an annotated type, built from its parts."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([values(a) for a in args])
    if tp is type(None):
        return st.none()
    if dataclasses.is_dataclass(tp):
        return instances(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(values(args[0]), max_size=3).map(tuple)
        return st.tuples(*[values(a) for a in args])
    if tp is str:
        return TEXT
    if tp is int:
        return st.integers(0, 10**6)
    return st.from_type(tp)


def instances(cls) -> st.SearchStrategy:
    """Instances of a dataclass, each field drawn from its annotation."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: CHECKED[cls, f.name] if (cls, f.name) in CHECKED else values(hints[f.name])
              for f in dataclasses.fields(cls)}
    return st.fixed_dictionaries(fields).map(lambda kw: cls(**kw))


def numbered(items: list) -> tuple:
    """In filing order: numbered 1, 2, ... as a parse numbers them."""
    return tuple(dataclasses.replace(x, n=k) for k, x in enumerate(items, start=1))


AMENDMENTS = st.builds(
    Amendment,
    st.lists(instances(Instruction), min_size=1, max_size=4).map(numbered),
    st.lists(instances(Notice), max_size=2).map(numbered),
)


def through_json(cls, value):
    return from_record(cls, json.loads(json.dumps(to_record(value), ensure_ascii=False)))


@given(instances(Instruction))
def test_an_instruction_survives_its_record(ins):
    assert through_json(Instruction, ins) == ins


# --- through a real store ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def based(tmp_path_factory):
    """A store holding one document to amend."""
    store = Store.open(tmp_path_factory.mktemp("codec") / "t.db")
    result = service.ingest_bytes(store, HE3_BASE.read_bytes(), source_name=HE3_BASE.name)
    yield store, service.find_document(store, str(result.documents[0]["id"]))
    store.close()


_SERIAL = itertools.count(1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(AMENDMENTS)
def test_instructions_given_to_ingest_are_read_back_equal(based, amendment):
    store, base = based
    data = f"SUPPLEMENT {next(_SERIAL)} TO THE PROSPECTUS SUPPLEMENT\n".encode()
    result = service.ingest_bytes(store, data, source_name="given.txt", amends_document=base,
                                  date=dt.date(2004, 1, 9), given=amendment)
    assert store.parsed_amendment(result.filing_id) == amendment


def _stickers() -> list:
    found = sorted(CORPUS.glob("*sticker*")) + sorted((ROOT / "tests" / "cases").glob("*/sticker.txt"))
    if SHARED_CORPUS.is_dir():
        found += sorted((SHARED_CORPUS / "stickers").glob("*.txt"))
        found += sorted((SHARED_CORPUS / "cases").glob("*/sticker.txt"))
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in found]


@pytest.mark.parametrize("path", _stickers())
def test_what_the_parser_makes_is_what_the_store_gives_back(based, path):
    store, base = based
    prepared = service.prepare(path.read_bytes(), path.name, amends=True)
    (parsed,) = [d.amendment for d in prepared.documents if d.amendment is not None]
    if not (parsed.instructions or parsed.notices):
        pytest.skip("no instruction parsed")
    result = service.store_prepared(store, prepared, amends_document=base, date=dt.date(2004, 1, 9))
    assert store.parsed_amendment(result.filing_id) == parsed


def test_the_corpus_has_fields_the_old_stored_form_lost(based):
    """The round trip above is tested on instructions with pages, an anchored ordinal or rows."""
    lossy = [
        i for p in _stickers() for i in service.parse_bytes(p.values[0].read_bytes()).instructions
        if i.target.pages or i.rows or (i.target.ordinal and i.target.ordinal.after)
    ]
    assert len(lossy) >= (1 if not SHARED_CORPUS.is_dir() else 7)


# --- fields added later, rows stored before ---------------------------------------------------


def test_a_field_added_later_round_trips_and_old_records_take_its_default():
    wider = dataclasses.make_dataclass(
        "WiderTarget",
        [("sheet", int | None, None), ("marks", tuple[str, ...], ())],
        bases=(Target,), frozen=True,
    )
    value = wider("cell", page="S-4", heading=("Summary",), column="Pass-Through Rate", sheet=2, marks=("(5)",))
    assert through_json(wider, value) == value
    old = to_record(Target("cell", page="S-4"))
    assert from_record(wider, old) == wider("cell", page="S-4")


def test_rows_stored_before_whole_records_still_read(based):
    """A database made before the record column: the target in the answer schema's shape."""
    store, base = based
    prepared = service.prepare(Path(CORPUS / "citigroup-mlt-2003-he3-sticker-2004-01-09.txt").read_bytes(),
                               "old.txt", amends=True)
    parsed = next(d.amendment for d in prepared.documents if d.amendment is not None)
    result = service.store_prepared(store, prepared, amends_document=base, date=dt.date(2004, 1, 9))
    with store.transaction():
        for ins in parsed.instructions:
            store.conn.execute(
                "UPDATE instructions SET record = NULL, target = ? WHERE filing_id = ? AND n = ?",
                [json.dumps(ins.target.to_json()), result.filing_id, ins.n])
        store.conn.execute("UPDATE notices SET record = NULL WHERE filing_id = ?", [result.filing_id])
    read = store.parsed_amendment(result.filing_id)
    assert [i.to_json() for i in read.instructions] == [i.to_json() for i in parsed.instructions]
    assert [n.text for n in read.notices] == [n.text for n in parsed.notices]
