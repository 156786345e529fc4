"""What the tests of the review server share: a database holding the bundled corpus and a sticker
that needs review, the command line over it, and a test client of the application."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from tracker import service
from tracker.cli import app
from tracker.store import Store

from .conftest import CORPUS

HOST, PORT = "127.0.0.1", 8765
ORIGIN = f"http://{HOST}:{PORT}"
KEY = "2003-HE3/prospectus-supplement"
STICKER_KEY = "2003-HE3/sticker-2004-02-02"

# "Advances" heads a paragraph of the summary on page S-8 and a section on page S-69, and this
# sticker names no page: the first instruction is ambiguous. The second names its page and applies.
STICKER = """Prospectus Supplement dated February 2, 2004 to Prospectus Supplement dated
December 22, 2003 (to Prospectus dated November 4, 2003)

$457,959,000 (APPROXIMATE)

CITIGROUP MORTGAGE LOAN TRUST INC.
ASSET BACKED PASS-THROUGH CERTIFICATES, SERIES 2003-HE3

CITIGROUP MORTGAGE LOAN TRUST INC.
DEPOSITOR

The paragraph under "Advances" should be deleted in its entirety and
replaced with the following:

The servicer will advance delinquent payments of interest on every mortgage
loan, subject to the limitations described in this prospectus supplement.

The definition of Prepayment Period on page S-56 shall be deleted in its
entirety and replaced with the following:

"Prepayment Period": The Prepayment Period is the calendar month preceding the
month in which such distribution date falls.
"""

# A later sticker whose one instruction names a page the supplement does not have: unresolved.
LATER = """Prospectus Supplement dated March 1, 2004 to Prospectus Supplement dated
December 22, 2003 (to Prospectus dated November 4, 2003)

CITIGROUP MORTGAGE LOAN TRUST INC.
ASSET BACKED PASS-THROUGH CERTIFICATES, SERIES 2003-HE3

The paragraph on page S-99 under the heading "Servicer Reports" should be deleted in its
entirety and replaced with the following:

The servicer will report monthly.
"""


def build(path, tmp, stickers=(STICKER,)) -> None:
    """Ingest the bundled corpus, then each sticker, into a new database at ``path``."""
    store = Store.open(path)
    try:
        service.ingest(store, [str(CORPUS)])
        for k, text in enumerate(stickers):
            sticker = tmp / f"sticker-{k}.txt"
            sticker.write_text(text, encoding="utf-8")
            service.ingest(store, [str(sticker)])
    finally:
        store.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    build(folder / "template.db", folder)
    return folder / "template.db"


@pytest.fixture
def db(template, tmp_path, monkeypatch):
    """A fresh copy of the database for one test, with ``tracker`` commands pointed at it."""
    path = tmp_path / "review.db"
    shutil.copy(template, path)
    monkeypatch.setenv("TRACKER_DB", str(path))
    return path


def cli(*args: str):
    """Run a ``tracker`` command (on ``$TRACKER_DB``); the result has exit_code, stdout, stderr."""
    return CliRunner().invoke(app, list(args))


def cli_json(*args: str):
    result = cli(*args, "--json")
    assert result.exit_code in (0, 3), result.output
    return json.loads(result.stdout)


def client(db_path, **headers):
    """A test client of the application over ``db_path``, as if it listened on HOST:PORT."""
    import warnings

    with warnings.catch_warnings():  # newer Starlette asks for httpx2 and still takes httpx
        warnings.filterwarnings("ignore", message=".*httpx2")
        from starlette.testclient import TestClient

    from tracker.serve.app import create_app

    return TestClient(create_app(db_path, HOST, PORT), base_url=ORIGIN, headers=headers)
