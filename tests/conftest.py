"""Shared fixtures: the bundled corpus, the shared evaluation corpus, a store, a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"

SEED_8K = CORPUS / "citigroup-mlt-2003-he2-form-8k-2003-12-08.txt"
SEED_OPINION = CORPUS / "citigroup-mlt-2003-he2-exhibit-5-1-opinion-2003-11-05.txt"
SEED_STICKER = CORPUS / "citigroup-mlt-2003-he3-sticker-2004-01-09.txt"
HE3_BASE = CORPUS / "citigroup-mlt-2003-he3-prospectus-supplement-2003-12-22.txt"


@pytest.fixture
def store(tmp_path):
    from tracker.store import Store

    s = Store.open(tmp_path / "t.db")
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "cli.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    monkeypatch.setenv("TRACKER_USER", "tester")
    return path


@pytest.fixture
def shared_corpus():
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return SHARED_CORPUS


@pytest.fixture(autouse=True)
def _fixed_user(monkeypatch):
    monkeypatch.setenv("TRACKER_USER", os.environ.get("TRACKER_USER", "tester"))


@pytest.fixture(autouse=True)
def _resumed_segmentations_checked(monkeypatch):
    """Every segmentation resumed from a parent's is compared with the whole text's (it raises
    when they differ), in every test that writes a version."""
    monkeypatch.setenv("TRACKER_CHECK_SEGMENT", "1")


def rows(store, sql: str, params=()) -> list[dict]:
    """Rows of a query on a store's own connection, as dicts: for tests that look under the store."""
    cur = store.conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def row(store, sql: str, params=()) -> dict | None:
    found = rows(store, sql, params)
    return found[0] if found else None
