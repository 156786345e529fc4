"""The review screens in a real browser: Debian's Chromium, headless, driven by Playwright, against
``tracker serve`` listening on a free port of this machine.

A reviewer opens the queue, opens the ambiguous instruction, chooses a candidate, applies the filing
and sees the new version; then ``tracker log`` shows both writes with the reviewer's name and
``tracker verify`` passes. The pictures in docs/ are taken here: ``TRACKER_REGEN=1`` writes them
(like every pinned output, on purpose), otherwise they go to the test's own folder.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time

import pytest

from tracker import serve

from .conftest import ROOT
from .serving import KEY, LATER, STICKER, STICKER_KEY, build, cli, cli_json, db  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1360, "height": 940}


def chromium() -> str:
    """Debian's Chromium; CI installs it, so there a missing one fails instead of skipping."""
    found = shutil.which("chromium") or (CHROMIUM if os.path.exists(CHROMIUM) else None)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed; .ci/run installs Debian's chromium")
    pytest.skip("Chromium is not installed here (apt-get install chromium)")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The bundled corpus with two stickers waiting: an ambiguous one and a later unresolved one."""
    folder = tmp_path_factory.mktemp("review-browser")
    build(folder / "template.db", folder, stickers=(STICKER, LATER))
    return folder / "template.db"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def base(db, monkeypatch):
    """The URL of a review server over a fresh copy of the database, run in a thread for one test
    (in the database's folder, as a user serves ``tracker.db`` where it lies)."""
    monkeypatch.setenv("TRACKER_USER", "analyst")
    monkeypatch.chdir(db.parent)
    sock = serve.listen("127.0.0.1", 0)
    server = serve.server(db.name, sock, "127.0.0.1")
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the server did not start"
    yield serve.address(sock, "127.0.0.1")
    server.should_exit = True
    thread.join(60)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    yield context.new_page()
    context.close()


def shoot(page, name: str, folder, until: str = "main") -> None:
    """A picture of the page from its top to the end of ``until``; into docs/ with TRACKER_REGEN=1."""
    path = folder / f"serve-{name}.png"
    box = page.locator(until).bounding_box()
    bottom = box["y"] + box["height"] + page.evaluate("window.scrollY") + 24
    page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": bottom})
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("TRACKER_REGEN"):
        shutil.copy(path, ROOT / "docs" / path.name)


def test_choose_a_candidate_apply_and_see_the_new_version(page, base, tmp_path):
    from playwright.sync_api import expect

    page.goto(base)
    card = page.locator("section.card", has_text=STICKER_KEY)
    expect(card.locator(".badge.s-ambiguous")).to_have_text("ambiguous")
    expect(page.locator(".counts")).to_have_text("2 amendments not applied (2 needs review); 2 instructions need a "
                                                 "decision: 1 ambiguous, 1 unresolved.")
    shoot(page, "queue", tmp_path)

    card.get_by_role("link", name="Decide →").click()
    expect(page).to_have_url(re.compile(r"/filings/5/instructions/1$"))
    expect(page.locator("blockquote.says")).to_contain_text('The paragraph under “Advances” should be deleted')
    candidates = page.locator("article.candidate")
    expect(candidates).to_have_count(5)
    expect(candidates.nth(0).locator(".pg")).to_have_text("page S-8")
    expect(candidates.nth(1).locator(".pg")).to_have_text("page S-69")
    for k in range(5):  # each marked span is scrolled into its page's view
        panel, mark = candidates.nth(k).locator("pre.page-text"), candidates.nth(k).locator("mark")
        box, marked = panel.bounding_box(), mark.bounding_box()
        assert marked["y"] < box["y"] + box["height"] and marked["y"] + marked["height"] > box["y"], k
    page.fill("#why", "the body section, per counsel")
    shoot(page, "decide", tmp_path, until="#candidate-2")  # the instruction and the first two candidates

    page.locator("#candidate-2").get_by_role("button", name="Choose candidate 2").click()
    expect(page).to_have_url(re.compile(r"/filings/5\?decided=1$"))
    expect(page.locator(".flash")).to_contain_text("Decision recorded for instruction 1")
    expect(page.locator("tbody tr").first.locator(".badge")).to_have_text("applied")

    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page).to_have_url(f"{base}documents/{KEY}")
    expect(page.locator(".currency h2")).to_have_text("Version 3 of 3 (latest)")
    expect(page.locator(".currency")).to_contain_text(f"Applied: {STICKER_KEY}, effective 2004-02-02")
    expect(page.locator(".currency")).to_contain_text("Pending: 2003-HE3/sticker-2004-03-01")
    expect(page.locator("pre.doc-text")).to_contain_text("The servicer will advance delinquent payments of interest on every")

    page.get_by_role("link", name="redline from v2").click()
    expect(page.locator("article.change")).to_have_count(2)
    change = page.locator("article.change", has_text="placed by analyst's decision")
    expect(change.locator(".by")).to_contain_text("instruction 1, placed by analyst's decision (the body section, "
                                                  "per counsel)")
    expect(change.locator("h3")).to_contain_text("page S-69")
    expect(change.locator("ins").first).to_be_visible()
    shoot(page, "redline", tmp_path, until="#changes")  # from the versions picked to the last change

    log = cli_json("log")
    assert [(e["command"], e["actor"]) for e in log[-2:]] == [("resolve", "analyst"), ("apply", "analyst")]
    assert log[-2]["inputs"]["why"] == "the body section, per counsel"
    lines = cli("log").stdout.splitlines()[-2:]
    assert "analyst  resolve  instruction 1 of filing 5 placed at characters 204387-205536" in lines[0]
    assert f"analyst  apply  filing 5 on {KEY}: applied, version 3 written (2 applied)" in lines[1]
    verified = cli("verify")
    assert verified.exit_code == 0 and verified.stdout.startswith("ok: ")


def test_place_it_on_a_page_and_block_the_engine_did_not_offer(page, base):
    from playwright.sync_api import expect

    page.goto(f"{base}filings/5/instructions/1")
    page.select_option("select[name=page]", "S-69")
    page.get_by_role("button", name="Show its blocks").click()
    expect(page).to_have_url(re.compile(r"/filings/5/instructions/1\?page=S-69$"))
    row = page.locator("table.list tr", has_text="Subject to the limitations set forth")
    number = int(row.locator("td").first.inner_text())
    row.get_by_role("button", name="Place here").click()
    expect(page).to_have_url(re.compile(r"/filings/5\?decided=1$"))
    decided = cli_json("log")[-1]
    assert (decided["command"], decided["actor"]) == ("resolve", "analyst")
    assert (decided["inputs"]["page"], decided["inputs"]["block"], decided["inputs"]["choose"]) == ("S-69", number, None)


def test_a_refused_apply_shows_the_reason_and_writes_no_version(page, base):
    from playwright.sync_api import expect

    page.goto(f"{base}filings/5")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.locator("#outcome.error")).to_have_text(
        f"filing 5 on {KEY}: 1 ambiguous, 1 applied; no version written (see 'tracker explain 5', then "
        "'tracker resolve' or 'tracker apply 5 --partial')")
    expect(page).to_have_url(f"{base}filings/5")
    assert [v["number"] for v in cli_json("history", KEY)["versions"]] == [1, 2]


def test_without_javascript_every_screen_still_shows(browser, base):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base)
        page.locator("section.card", has_text=STICKER_KEY).get_by_role("link", name="Decide →").click()
        expect(page.locator("article.candidate")).to_have_count(5)
        expect(page.locator(".instruction noscript, .instruction .hint").first).to_be_attached()
        assert "tracker resolve 5 1 --choose K --why TEXT" in page.content()
        page.select_option("select[name=page]", "S-56")
        page.get_by_role("button", name="Show its blocks").click()
        expect(page.locator("form.picker select")).to_have_value("S-56")

        page.goto(f"{base}documents/{KEY}")
        page.fill("input[name=as_of]", "2003-12-31")
        page.get_by_role("button", name="Show").click()
        expect(page.locator(".currency h2")).to_have_text("Version 1 of 2 (as of 2003-12-31)")

        page.goto(f"{base}documents/{KEY}/redline")
        page.select_option("select[name=from]", "v1")
        page.select_option("select[name=to]", "v2")
        page.get_by_role("button", name="Compare").click()
        expect(page).to_have_url(re.compile(r"redline\?from=v1&to=v2$"))
        expect(page.locator("#summary")).to_contain_text("6 changes")
    finally:
        context.close()
    assert [e["command"] for e in cli_json("log")].count("resolve") == 0
