"""The review server through Starlette's test client: each screen as HTML and as the JSON the CLI's
``--json`` prints, the writes through the same use cases as ``resolve`` and ``apply``, errors as one
line with their status."""

from __future__ import annotations

import json
import re

import pytest

from tracker import service
from tracker.store import Store

from .serving import KEY, LATER, STICKER, STICKER_KEY, build, cli, cli_json, client, db, template  # noqa: F401

pytest.importorskip("starlette")
pytest.importorskip("httpx")


def events() -> list[dict]:
    return cli_json("log")


# --- the screens and their JSON ----------------------------------------------------------------


def test_the_queue_is_review_json_newest_first_with_counts(tmp_path, monkeypatch):
    path = tmp_path / "two.db"
    build(path, tmp_path, stickers=(STICKER, LATER))
    monkeypatch.setenv("TRACKER_DB", str(path))
    data = client(path).get("/api/").json()
    by_cli = {a["filing_id"]: a for a in cli_json("review")}
    assert [a["date"] for a in data["amendments"]] == ["2004-03-01", "2004-02-02"]
    assert [{k: v for k, v in a.items() if k != "date"} for a in data["amendments"]] == \
        [by_cli[a["filing_id"]] for a in data["amendments"]]
    assert data["counts"] == {"amendments": 2, "instructions": 2, "by_state": {"needs_review": 2},
                              "by_status": {"ambiguous": 1, "unresolved": 1}}
    page = client(path).get("/").text
    assert page.index("2003-HE3/sticker-2004-03-01") < page.index(STICKER_KEY)
    assert "2 amendments not applied (2 needs review); 2 instructions need a decision: 1 ambiguous, 1 unresolved." in page
    assert 'href="/filings/5/instructions/1"' in page and 'href="/filings/6/instructions/1"' in page


def test_an_empty_queue_says_so(db):
    with client(db) as c:
        assert c.post("/api/filings/5/instructions/1/decision", json={"choose": 1}).status_code == 200
        assert c.post("/api/filings/5/apply", json={"partial": False}).status_code == 200
        assert c.get("/api/").json() == {"counts": {"amendments": 0, "instructions": 0, "by_state": {},
                                                    "by_status": {}}, "amendments": []}
        assert "Nothing waits for review" in c.get("/").text


def test_the_filing_screen_is_explain_json_with_its_state(db):
    data = client(db).get("/api/filings/5").json()
    explained = cli_json("explain", "5")
    assert {k: data[k] for k in explained} == explained
    assert data["amendment"] == {"sticker": STICKER_KEY, "target": KEY, "state": "needs_review",
                                 "summary": "1 ambiguous, 1 applied", "version": None, "decidable": True}
    assert data["needs_decision"] == [1] and data["decisions"] == []
    page = client(db).get("/filings/5").text
    assert "The paragraph under “Advances” should be deleted in its entirety" in page
    assert 'data-post="/api/filings/5/apply"' in page and "Apply partial" in page
    assert "tracker apply 5" in page  # what to run where there is no JavaScript


def test_the_decide_screen_marks_each_candidate_on_its_page(db):
    data = client(db).get("/api/filings/5/instructions/1").json()
    assert data["instruction"]["status"] == "ambiguous"
    assert data["instruction"]["new_text"].startswith("The servicer will advance delinquent payments of interest")
    store = Store.open(db)
    try:
        parent = [v for v in store.versions_of(store.document_by_key(KEY).id) if v.number == 2][0]
        text = store.version_text(parent)
    finally:
        store.close()
    assert [(c["k"], c["page"]) for c in data["candidates"]][:2] == [(1, "S-8"), (2, "S-69")]
    for c in data["candidates"]:
        a, b = c["mark"]
        assert c["page_text"][a:b] == text[c["start"]:c["end"]]
    outline = cli_json("outline", KEY, "--as-of", "2004-01-09", "--page", "S-8")["blocks"]
    assert [(b["block_on_page"], b["start"]) for b in data["picker"]["blocks"]] == \
        [(b["block_on_page"], b["start"]) for b in outline]
    assert data["picker"]["page"] == "S-8" and "S-69" in data["pages"]
    page = client(db).get("/filings/5/instructions/1").text
    first = data["candidates"][0]
    marked = first["page_text"][first["mark"][0]:first["mark"][1]].replace('"', "&quot;")
    assert f"<mark>{marked}</mark>" in page
    assert page.count("Choose candidate ") == len(data["candidates"])
    assert 'data-body="{&quot;choose&quot;: 2}"' in page


def test_the_picker_shows_the_page_asked(db):
    data = client(db).get("/api/filings/5/instructions/1", params={"page": "S-69"}).json()
    assert data["picker"]["page"] == "S-69"
    assert {b["page"] for b in data["picker"]["blocks"]} == {"S-69"}
    assert client(db).get("/api/filings/5/instructions/1", params={"page": "S-999"}).json() == \
        {"error": "page S-999 is not in 2003-HE3/prospectus-supplement"}


def test_the_document_screen_is_show_json_with_history(db):
    data = client(db).get(f"/api/documents/{KEY}", params={"as_of": "2003-12-31"}).json()
    shown = cli_json("show", KEY, "--as-of", "2003-12-31")
    assert {k: data[k] for k in shown} == shown and data["version"] == 1
    assert data["history"] == cli_json("history", KEY)["versions"]
    page = client(db).get(f"/documents/{KEY}", params={"as_of": "2004-01-10"}).text
    assert "Version 2 of 2 (as of 2004-01-10)" in page
    assert 'value="2004-01-10"' in page and 'type="date"' in page
    assert STICKER_KEY not in page  # dated after the date asked
    latest = client(db).get(f"/documents/{KEY}").text
    assert "Version 2 of 2 (latest)" in latest and "Pending: " in latest and STICKER_KEY in latest


def test_the_redline_is_the_diff_renderers(db):
    data = client(db).get(f"/api/documents/{KEY}/redline", params={"from": "v1", "to": "v2"}).json()
    diffed = json.loads(cli("diff", KEY, "--from", "v1", "--to", "v2", "--format", "json").stdout)
    for report in (data, diffed):
        report["generated"].pop("at")
        report["generated"].pop("database")
    assert data == diffed
    page = client(db).get(f"/documents/{KEY}/redline", params={"from": "v1", "to": "v2"}).text
    assert page.startswith("<!DOCTYPE html>") and "<h1>Redline: 2003-HE3/prospectus-supplement" in page
    assert "<del>" in page and "<ins>" in page
    assert '<option value="v1" selected>' in page and '<option value="v2" selected>' in page


def test_the_timeline_and_the_documents(db):
    assert client(db).get("/api/series/2003-HE3").json() == cli_json("timeline", "2003-HE3")
    assert client(db).get("/api/documents").json() == cli_json("documents")
    page = client(db).get("/series/2003-HE3").text
    assert STICKER_KEY in page and "needs_review" in page
    assert 'href="/documents/2003-HE3/prospectus-supplement"' in client(db).get("/documents").text


def test_the_script_and_the_stylesheet(db):
    c = client(db)
    js = c.get("/static/app.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert '"Content-Type": "application/json"' in js.text
    assert c.get("/static/app.css").headers["content-type"].startswith("text/css")
    assert c.get("/static/secrets.txt").status_code == 404


# --- the writes --------------------------------------------------------------------------------


def test_choose_then_apply_records_two_events_with_the_actor(db, monkeypatch):
    monkeypatch.setenv("TRACKER_USER", "analyst")
    before = len(events())
    with client(db) as c:
        decided = c.post("/api/filings/5/instructions/1/decision", json={"choose": 2, "why": "the body, per counsel"})
        assert decided.status_code == 200
        candidate = c.get("/api/filings/5/instructions/1").json()
        applied = c.post("/api/filings/5/apply", json={"partial": False})
    assert decided.json() == {"filing_id": 5, "n": 1, "start": 204387, "end": 205536}
    assert candidate["decisions"][0]["who"] == "analyst"
    assert applied.status_code == 200
    result = applied.json()
    assert (result["state"], result["version"], result["document"]) == ("applied", 3, KEY)
    log = events()[before:]
    assert [(e["command"], e["actor"]) for e in log] == [("resolve", "analyst"), ("apply", "analyst")]
    assert log[0]["inputs"] == {"filing_id": 5, "n": 1, "choose": 2, "page": None, "block": None,
                                "why": "the body, per counsel"}
    assert log[1]["outputs"]["state"] == "applied" and log[1]["outputs"]["version"] == 3
    assert cli("verify").exit_code == 0
    s69 = cli("show", KEY).stdout.split("S-68", 1)[1]
    assert "The servicer will advance delinquent payments of interest on every mortgage" in s69


def test_a_decision_by_page_and_block_is_resolves(db, tmp_path):
    c = client(db)
    blocks = c.get("/api/filings/5/instructions/1", params={"page": "S-69"}).json()["picker"]["blocks"]
    k = next(b["block_on_page"] for b in blocks if b["kind"] == "paragraph")
    answer = c.post("/api/filings/5/instructions/1/decision", json={"page": "S-69", "block": k})
    assert answer.status_code == 200
    by_cli = cli_json("resolve", "5", "1", "--page", "S-69", "--block", str(k))
    assert answer.json() == by_cli
    assert (answer.json()["start"], answer.json()["end"]) == (blocks[k - 1]["start"], blocks[k - 1]["end"])


@pytest.mark.parametrize("body, status, message", [
    ({"choose": 1, "page": "S-8", "block": 1}, 400, "give either --choose K or both --page and --block"),
    ({}, 400, "give either --choose K or both --page and --block"),
    ({"choose": 99}, 400, "instruction 1 has 5 candidates; --choose takes 1..5"),
    ({"choose": "1"}, 400, "'choose' must be a whole number"),
    ({"choose": True}, 400, "'choose' must be a whole number"),
    ({"page": 9, "block": 1}, 400, "'page' must be str"),
    ({"choose": 1, "who": "me"}, 400, "unknown field(s) who: give choose, or page and block, and why"),
    ({"page": "S-777", "block": 1}, 404, "page S-777 is not in 2003-HE3/prospectus-supplement"),
    ({"page": "S-8", "block": 999}, 400, "page S-8 has 12 blocks; --block takes 1..12"),
])
def test_a_bad_decision_is_one_line_and_writes_nothing(db, body, status, message):
    before = len(events())
    answer = client(db).post("/api/filings/5/instructions/1/decision", json=body)
    assert (answer.status_code, answer.json()) == (status, {"error": message})
    assert len(events()) == before


@pytest.mark.parametrize("path, body, status, message", [
    ("/api/filings/99/apply", {}, 404, "no filing with id 99"),
    ("/api/filings/3/apply", {}, 404, "filing 3 is not an amendment"),
    ("/api/filings/5/instructions/9/decision", {"choose": 1}, 404, "filing 5 has no instruction 9"),
    ("/api/filings/5/apply", {"partial": "yes"}, 400, "'partial' must be bool"),
    ("/api/filings/5/apply", {"partial": False, "dry_run": True}, 400, "unknown field(s) dry_run: give partial"),
    ("/api/filings/5/apply", [], 400, "the body must be a JSON object"),
])
def test_bad_writes(db, path, body, status, message):
    answer = client(db).post(path, json=body)
    assert (answer.status_code, answer.json()) == (status, {"error": message})


def test_a_body_that_is_not_json(db):
    answer = client(db).post("/api/filings/5/apply", content=b"{partial", headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["error"].startswith("the body is not JSON: ")
    huge = client(db).post("/api/filings/5/apply", content=b" " * 70_000, headers={"Content-Type": "application/json"})
    assert (huge.status_code, huge.json()) == (400, {"error": "the body is over 65536 bytes"})


def test_a_strict_apply_that_needs_review_is_409_with_what_it_found(db):
    answer = client(db).post("/api/filings/5/apply", json={"partial": False})
    assert answer.status_code == 409
    body = answer.json()
    assert body["error"] == ("filing 5 on 2003-HE3/prospectus-supplement: 1 ambiguous, 1 applied; no version written "
                             "(see 'tracker explain 5', then 'tracker resolve' or 'tracker apply 5 --partial')")
    assert body["result"]["state"] == "needs_review" and body["result"]["version"] is None
    assert [e["command"] for e in events()][-1] == "apply"  # the statuses are recorded, as the CLI's


def test_applied_twice_or_decided_after_is_409(db):
    c = client(db)
    assert c.post("/api/filings/5/apply", json={"partial": True}).json()["version"] == 3
    before = len(events())
    again = c.post("/api/filings/5/apply", json={"partial": False})
    assert (again.status_code, again.json()) == (409, {"error": "filing 5 is already applied as version 3"})
    late = c.post("/api/filings/5/instructions/1/decision", json={"choose": 1})
    assert (late.status_code, late.json()) == (409, {"error": "filing 5 is already applied as version 3; a decision "
                                                               "would change nothing"})
    assert len(events()) == before
    page = c.get("/filings/5").text
    assert "Already applied: version 3" in page and re.search(r"<button[^>]*disabled[^>]*>Apply</button>", page)


def test_a_busy_database_is_409(db, monkeypatch):
    import sqlite3

    monkeypatch.setattr("tracker.store.db.BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        answer = client(db).post("/api/filings/5/instructions/1/decision", json={"choose": 1})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer.status_code == 409
    assert answer.json()["error"].startswith("the database is busy (another writer?)")


# --- errors on the screens -----------------------------------------------------------------------


@pytest.mark.parametrize("path, status, message", [
    ("/documents/no-such-thing", 404, "no document matches 'no-such-thing' (see 'tracker documents')"),
    (f"/documents/{KEY}?as_of=2004-13-45", 400, None),
    (f"/documents/{KEY}/redline?from=v9", 404, "2003-HE3/prospectus-supplement has no version v9 (it has 1..2)"),
    ("/series/1999-XX", 404, "no filings of series '1999-XX' (known: 2003-HE2, 2003-HE3)"),
    ("/filings/99", 404, "no filing with id 99"),
    ("/filings/5/instructions/7", 404, "filing 5 has no instruction 7"),
])
def test_errors_are_one_line_as_json_and_as_a_page(db, path, status, message):
    api = client(db).get("/api" + path)
    assert api.status_code == status
    error = api.json()["error"]
    assert "\n" not in error and "Traceback" not in error
    if message:
        assert error == message
    else:  # the CLI's own words for a bad date
        assert error == cli("show", KEY, "--as-of", "2004-13-45").stderr.strip().removeprefix("Error: ")
    page = client(db).get(path)
    assert page.status_code == status and page.headers["content-type"].startswith("text/html")
    assert f"<h1>Error {status}</h1>" in page.text and error.replace("'", "&#x27;") in page.text


def test_a_path_with_no_screen_is_404(db):
    assert client(db).get("/api/nowhere").json() == {"error": "there is no page at /api/nowhere"}
    page = client(db).get("/nowhere")
    assert page.status_code == 404 and "there is no page at /nowhere" in page.text


def test_a_bug_is_a_one_line_500(db, monkeypatch):
    def broken(store):
        raise KeyError("boom")

    monkeypatch.setattr(service, "review_queue", broken)
    answer = client(db).get("/api/")
    assert (answer.status_code, answer.json()) == (500, {"error": "internal error: KeyError: 'boom'"})
