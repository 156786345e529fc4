"""The review server's guard: a wrong Host, another origin and anything but a JSON POST are refused
before they reach the store; every text on a page is escaped, hidden characters shown."""

from __future__ import annotations

import pytest

from tracker.serve.guard import allowed_hosts, refusal
from tracker.serve.html import esc, tag, url

from .serving import ORIGIN, PORT, cli, cli_json, client, db, template  # noqa: F401

pytest.importorskip("starlette")

DECIDE = "/api/filings/5/instructions/1/decision"


def count_events() -> int:
    return len(cli_json("log"))


@pytest.mark.parametrize("headers, status, message", [
    ({"Origin": "http://evil.example"}, 403,
     "requests from 'http://evil.example' are refused: only pages of this server may send them"),
    ({"Origin": "null"}, 403, "requests from 'null' are refused: only pages of this server may send them"),
    ({"Origin": f"http://localhost:{PORT}"}, 403,  # another origin, though the same machine
     f"requests from 'http://localhost:{PORT}' are refused: only pages of this server may send them"),
    ({"Host": f"evil.example:{PORT}"}, 400, f"the Host 'evil.example:{PORT}' is not this server's"),
    ({"Host": "127.0.0.1:9999"}, 400, f"the Host '127.0.0.1:9999' is not this server's"),
])
def test_a_post_from_elsewhere_is_refused_and_writes_nothing(db, headers, status, message):
    before = count_events()
    answer = client(db).post(DECIDE, json={"choose": 1}, headers=headers)
    assert (answer.status_code, answer.json()) == (status, {"error": message})
    assert count_events() == before
    assert cli_json("explain", "5")["instructions"][0]["status"] == "ambiguous"


@pytest.mark.parametrize("content_type, body", [
    ("application/x-www-form-urlencoded", b"choose=1"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"choose\"\r\n\r\n1\r\n--x--\r\n"),
    ("text/plain", b'{"choose": 1}'),  # what a cross-site form or a "simple" fetch can send
    (None, b'{"choose": 1}'),
])
def test_a_post_that_is_not_json_is_refused(db, content_type, body):
    before = count_events()
    headers = {"Content-Type": content_type} if content_type else {}
    answer = client(db).post(DECIDE, content=body, headers=headers)
    assert answer.status_code == 415
    assert answer.json()["error"].startswith("a POST must send JSON with 'Content-Type: application/json'")
    assert count_events() == before


def test_a_page_asked_under_another_name_is_refused(db):
    """DNS rebinding: a page of another site that resolves its own name to this machine."""
    answer = client(db).get("/api/filings/5", headers={"Host": f"attacker.example:{PORT}"})
    assert (answer.status_code, answer.json()) == (400, {"error": f"the Host 'attacker.example:{PORT}' is not this server's"})


def test_the_same_origin_may_post(db):
    answer = client(db).post(DECIDE, json={"choose": 1}, headers={"Origin": ORIGIN})
    assert answer.status_code == 200 and answer.json()["n"] == 1
    assert client(db).post(DECIDE, json={"choose": 1},
                           headers={"Content-Type": "application/json; charset=utf-8"}).status_code == 200


def test_other_methods_are_refused(db):
    assert client(db).put("/api/filings/5/apply", json={}).status_code == 405
    assert client(db).delete("/api/filings/5/apply").status_code == 405
    answer = client(db).get("/api/filings/5/apply")
    assert (answer.status_code, answer.json()) == (405, {"error": "GET is not allowed at /api/filings/5/apply"})


def test_every_answer_forbids_framing_and_foreign_scripts(db):
    for answer in (client(db).get("/"), client(db).get("/nowhere"),
                   client(db).post(DECIDE, content=b"x", headers={"Content-Type": "text/plain"})):
        assert answer.headers["x-frame-options"] == "DENY"
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host, port, expected", [
    ("127.0.0.1", 8765, {"127.0.0.1:8765", "localhost:8765", "[::1]:8765"}),
    ("::1", 8000, {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}),
    ("192.0.2.7", 80, {"192.0.2.7:80", "192.0.2.7", "127.0.0.1:80", "127.0.0.1", "localhost:80", "localhost",
                       "[::1]:80", "[::1]"}),
])
def test_the_names_of_this_server(host, port, expected):
    assert allowed_hosts(host, port) == expected


@pytest.mark.parametrize("method, headers, expected", [
    ("GET", {"host": "localhost:8765"}, None),
    ("GET", {"host": "LOCALHOST:8765"}, None),
    ("GET", {}, 400),
    ("GET", {"host": "localhost:8765", "origin": "http://localhost:8765"}, None),
    ("GET", {"host": "localhost:8765", "origin": "https://localhost:8765"}, 403),
    ("POST", {"host": "localhost:8765", "content-type": "application/json"}, None),
    ("POST", {"host": "localhost:8765", "content-type": "Application/JSON; charset=utf-8"}, None),
    ("POST", {"host": "localhost:8765", "content-type": "application/json-patch+json"}, 415),
    ("PATCH", {"host": "localhost:8765"}, 405),
])
def test_refusal(method, headers, expected):
    found = refusal(method, headers, allowed_hosts("127.0.0.1", 8765))
    assert (found[0] if found else None) == expected


# --- escaping ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
    ('"quoted" \'single\'', "&quot;quoted&quot; &#x27;single&#x27;"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("red\x1b[31m", 'red<span class="ctl" title="U+001B">\u241b</span>[31m'),
    ("nul\x00", 'nul<span class="ctl" title="U+0000">\u2400</span>'),
    ("del\x7f", 'del<span class="ctl" title="U+007F">\u2421</span>'),
    ("abc\u202edcba", 'abc<span class="ctl" title="U+202E">U+202E</span>dcba'),
    ("zero\u200bwidth", 'zero<span class="ctl" title="U+200B">U+200B</span>width'),
    ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
    (None, ""),
])
def test_esc(text, expected):
    assert esc(text) == expected


def test_tag_escapes_children_and_attributes():
    assert tag("a", "<b>", href='/x" onclick="y', class_="c") == \
        '<a href="/x&quot; onclick=&quot;y" class="c">&lt;b&gt;</a>'
    assert tag("button", "Go", disabled=True, hidden=False, title=None) == "<button disabled>Go</button>"
    assert tag("p", tag("b", "safe"), ["<", None, "x"]) == "<p><b>safe</b>&lt;x</p>"
    assert tag("span", title="a\x1bb") == '<span title="a\ufffdb"></span>'
    assert url("documents", "2003-HE3/prospectus supplement", as_of="2004-01-09", known_at=None) == \
        "/documents/2003-HE3/prospectus%20supplement?as_of=2004-01-09"


ODD = ("PROSPECTUS SUPPLEMENT dated March 1, 2005\n\nSERIES 2005-ZZ1\n\n"
       'A <img src=x onerror="alert(1)"> claim & more, \x1b[31m coloured, \u202e reversed\n')


def test_a_documents_own_text_reaches_the_page_escaped_and_visible(tmp_path, monkeypatch):
    path = tmp_path / "odd.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    (tmp_path / "odd.txt").write_text(ODD, encoding="utf-8")
    assert cli("ingest", str(tmp_path / "odd.txt")).exit_code == 0
    page = client(path).get("/documents/2005-ZZ1/prospectus-supplement").text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; claim &amp; more" in page
    assert "<img" not in page
    assert '<span class="ctl" title="U+001B">\u241b</span>[31m' in page
    assert '<span class="ctl" title="U+202E">U+202E</span> reversed' in page
    assert "\x1b" not in page and "\u202e" not in page
    api = client(path).get("/api/documents/2005-ZZ1/prospectus-supplement").json()
    assert "\x1b[31m" in api["text"]  # the JSON keeps the text exactly; only the page shows it


def test_the_redlines_text_shows_hidden_characters_too():
    from tracker.serve.pages import redline_page

    versions = [{"number": 1, "effective_date": "2005-03-01", "made_by": "original"}]
    made = redline_page("<html><head><title>t</title></head><body><p>a\x1bb <ins>c\u202e</ins></p></body></html>",
                        "k", versions, None, None)
    assert '<p>a<span class="ctl" title="U+001B">\u241b</span>b <ins>c<span class="ctl" title="U+202E">U+202E' in made
    assert "\x1b" not in made and "\u202e" not in made
