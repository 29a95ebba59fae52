"""The chat widget in a real browser (Debian chromium driven by Playwright) against real server processes.

One browser for the module (``browser``, in tests/service/api/conftest.py); every test gets a fresh
context and page with bounded timeouts. Screenshots of the answered and not-covered states go to
``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ROOT, Server, build_test_index, free_port, start_server, stop_server

ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # `make install-test` runs `npm ci`
TIMEOUT_MS = 30_000  # generous: the machine is shared; a hung step still fails in bounded time
NSATU = "NATO Security Assistance and Training for Ukraine"
OFF_CORPUS = "what is the boiling point of mercury on Jupiter?"
TITLE = "Ask the articles"
RUTTE = "Who is Mark Rutte?"
FOLLOW_UP = "When did he visit Japan?"
LIMIT_NOTE = "Questions are limited to 1000 characters; yours was cut to fit."

HOSTILE = """---
id: hostile-zorblax
title: "Zorblax <img src=x onerror=\\"window.__pwned=1;alert(1)\\"> report"
url: "javascript:window.__pwned=1"
---
The Zorblax protocol was designed by <script>window.__pwned=1;alert('xss')</script> engineers at Quillfeather Labs.

Its logo is <img src=x onerror="window.__pwned=1;alert(2)"> a purple heron drawn by hand.

Read the specification at [the Zorblax site](javascript:window.__pwned=1) or <a href="javascript:alert(3)">here</a>.
"""
# a table whose answers are quoted row by row ("| Band D | £2,130 | £213 |"); one cell holds markup
COUNCIL_TAX = """---
id: council-tax-bands
title: Council tax bands 2025/26
---
# Council tax bands 2025/26

The annual charge depends on the band your property is in.

| Band | Annual charge | Monthly (10 instalments) |
|---|---|---|
| Band A | £1,420 | £142 |
| Band B | £1,657 | <b>£165.70</b> |
| Band D | £2,130 | £213 |
"""


expect.set_options(timeout=TIMEOUT_MS)


@dataclass
class Tab:
    """A page plus everything it did that a test may need to assert on."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "Refused to" in m]


def open_tab(browser: Any, width: int = 1280, height: int = 860) -> Tab:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page)

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    page.on("console", lambda message: tab.console.append(message.text))
    return tab


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    opened = open_tab(browser)
    yield opened
    opened.page.context.close()


@pytest.fixture
def narrow_tab(browser: Any) -> Iterator[Tab]:
    opened = open_tab(browser, width=320, height=640)
    yield opened
    opened.page.context.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def open_demo(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#article")).to_have_attribute("aria-busy", "false")
    page.get_by_role("button", name=TITLE).click()
    expect(page.get_by_role("region", name=TITLE)).to_be_visible()


def ask(page: Page, question: str) -> None:
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")


def last_answer(page: Page) -> Any:
    return page.get_by_role("article", name="Answer").last


def in_thread(locator: Any) -> tuple[float, float, float]:
    """(top, bottom, height): the element's edges relative to the visible part of its thread, and that part's height."""
    edges: list[float] = locator.evaluate(
        """e => {
            const thread = e.closest('.thread');
            const t = thread.getBoundingClientRect(), r = e.getBoundingClientRect();
            return [r.top - t.top, r.bottom - t.top, thread.clientHeight];
        }"""
    )
    return edges[0], edges[1], edges[2]


def api_ask(server: Server, question: str) -> dict[str, Any]:
    response = httpx.post(f"{server.url}/v1/ask", json={"question": question}, timeout=30)
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


# --- the demo page ----------------------------------------------------------------------------------------------


def test_demo_page_answers_with_citation_chips_and_shows_the_quote_in_context(server: Server, tab: Tab) -> None:
    page = tab.page
    open_demo(page, server.url)
    expect(page.locator("h1")).to_contain_text("Rutte")
    ask(page, "what is NSATU?")
    answer = last_answer(page)
    expect(answer).to_contain_text(NSATU)
    chips = answer.locator(".answer-text button.chip")
    assert chips.count() >= 1
    expected = api_ask(server, "what is NSATU?")["citations"][0]

    chips.first.click()
    expect(chips.first).to_have_attribute("aria-expanded", "true")
    evidence = answer.locator(".evidence")
    expect(evidence.locator(".doc-title")).to_have_text(expected["title"])
    mark = evidence.locator(".passage mark")
    expect(mark).to_have_text(expected["quote"])
    expect(evidence.locator("blockquote")).to_have_count(0)  # the quote is shown once, inside its passage
    passage = evidence.locator(".passage").inner_text()
    assert len(passage) > len(expected["quote"]), "the quote is shown inside its surrounding text"
    screenshot(page, "answered-desktop.png")

    chips.first.click()
    expect(evidence).to_be_hidden()
    assert tab.errors == [] and tab.dialogs == [] and tab.csp_violations() == []


def test_a_follow_up_is_answered_from_the_document_of_the_earlier_turn(text_server: Server, tab: Tab) -> None:
    """Ask, then a follow-up that only makes sense after it: the widget sends the conversation as
    ``history`` and the answer cites the lighthouse article (alone, the follow-up is not answered from it)."""
    page = tab.page
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/v1/ask") else None)
    open_demo(page, text_server.url)
    ask(page, "Who built the Skerrow Point lighthouse?")
    expect(page.get_by_role("article", name="Answer")).to_have_count(1)
    expect(last_answer(page)).to_contain_text("Tomas Brennan")
    ask(page, "When did he build it?")
    expect(page.get_by_role("article", name="Answer")).to_have_count(2)
    answer = last_answer(page)
    expect(answer).to_contain_text("1861")
    expect(answer.locator(".source-title").first).to_have_text("The Skerrow Point lighthouse")
    assert "history" not in sent[0]
    assert [turn["question"] for turn in sent[1]["history"]] == ["Who built the Skerrow Point lighthouse?"]
    assert "Tomas Brennan" in sent[1]["history"][0]["answer"]
    assert tab.errors == [] and tab.csp_violations() == []


def test_the_demo_page_suggests_no_question_about_another_corpus(text_server: Server, tab: Tab) -> None:
    """Serving the lighthouse articles, the question box said "e.g. what is NSATU?", a question about the
    default corpus: the page leaves the widget its neutral placeholder, whatever corpus is served."""
    open_demo(tab.page, text_server.url)
    box = tab.page.get_by_role("textbox", name="Your question")
    expect(box).to_have_attribute("placeholder", "Ask a question about the articles")


def test_off_corpus_question_shows_not_covered_with_closest_matches(server: Server, narrow_tab: Tab) -> None:
    page = narrow_tab.page
    expected = api_ask(server, OFF_CORPUS)
    assert expected["answerable"] is False, "the off-corpus question must be one the service abstains on"
    open_demo(page, server.url)
    ask(page, OFF_CORPUS)
    state = page.get_by_role("article", name="Not covered by the articles")
    expect(state).to_contain_text("Not covered by the articles")
    expect(state.locator(".reason")).to_have_text(f"Why: {expected['reason']}")
    expect(state).to_contain_text("Closest matches")
    assert state.locator(".matches li").count() == min(3, len(expected["passages"])) > 0
    assert state.locator("button.chip, mark").count() == 0, "closest matches are not citations"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "no horizontal scrolling at 320 px"
    box = page.get_by_role("region", name=TITLE).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    screenshot(page, "not-covered-320.png")
    assert narrow_tab.errors == [] and narrow_tab.csp_violations() == []


def test_narrow_answer_is_readable(server: Server, narrow_tab: Tab) -> None:
    page = narrow_tab.page
    page.goto(server.url)
    expect(page.locator("#article")).to_have_attribute("aria-busy", "false")
    screenshot(page, "demo-closed-320.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    open_demo(page, server.url)
    ask(page, "what is NSATU?")
    answer = last_answer(page)
    expect(answer).to_contain_text(NSATU)
    answer.locator(".answer-text button.chip").first.click()
    expect(answer.locator(".passage mark")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "answered-320.png")


def test_evidence_keeps_the_quote_when_the_article_cannot_be_loaded(server: Server, tab: Tab) -> None:
    page = tab.page
    open_demo(page, server.url)
    page.route("**/v1/documents/*", lambda route: route.abort())
    ask(page, "what is NSATU?")
    answer = last_answer(page)
    answer.locator(".answer-text button.chip").first.click()
    evidence = answer.locator(".evidence")
    expect(evidence.locator("blockquote")).to_contain_text(NSATU)
    expect(evidence.locator(".context-error")).to_contain_text("Could not load the article")


def test_keyboard_only_flow(server: Server, tab: Tab) -> None:
    page = tab.page
    page.goto(server.url)
    expect(page.locator("#article")).to_have_attribute("aria-busy", "false")
    launcher = page.get_by_role("button", name=TITLE)
    for _ in range(5):
        page.keyboard.press("Tab")
        if launcher.evaluate("e => e.matches(':focus')"):
            break
    assert launcher.evaluate("e => e.matches(':focus-visible')"), "the launcher is reachable with Tab"
    assert launcher.evaluate("e => getComputedStyle(e).outlineStyle") != "none", "focus is visible"
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="Your question")
    expect(box).to_be_focused()

    page.keyboard.type("what is")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("NSATU?")
    assert box.input_value() == "what is\nNSATU?", "Shift+Enter makes a new line and does not send"
    assert page.locator(".msg.user").count() == 0
    page.keyboard.press("Enter")
    answer = last_answer(page)
    expect(answer).to_contain_text(NSATU)
    expect(box).to_have_value("")

    chip = answer.locator(".answer-text button.chip").first
    page.keyboard.press("Shift+Tab")  # back from the textbox into the thread: the last focusable is a chip
    for _ in range(10):
        if chip.evaluate("e => e.matches(':focus')"):
            break
        page.keyboard.press("Shift+Tab")
    assert chip.evaluate("e => e.matches(':focus-visible')"), "the citation chip is reachable with the keyboard"
    page.keyboard.press("Enter")
    expect(chip).to_have_attribute("aria-expanded", "true")
    expect(answer.locator(".passage mark")).to_be_visible()

    page.keyboard.press("Escape")
    expect(page.get_by_role("region", name=TITLE)).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_panel_roles_labels_and_live_region(server: Server, tab: Tab) -> None:
    page = tab.page
    page.goto(server.url)
    launcher = page.get_by_role("button", name=TITLE)
    panel_id = launcher.get_attribute("aria-controls")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    panel = page.get_by_role("region", name=TITLE)
    expect(panel).to_have_attribute("id", panel_id or "missing")
    log = panel.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(panel.get_by_role("status")).to_be_attached()
    expect(panel.get_by_role("textbox", name="Your question")).to_have_attribute("aria-describedby", re.compile(r".+"))
    expect(panel.get_by_role("button", name="Send")).to_be_enabled()
    expect(panel.get_by_role("button", name=f"Close {TITLE}")).to_be_visible()
    ask(page, "what is NSATU?")
    expect(last_answer(page)).to_contain_text(NSATU)
    expect(log).to_have_attribute("aria-busy", "false")
    chip = log.get_by_role("button", name=re.compile(r"^Source 1: "))
    expect(chip.first).to_be_visible()
    unnamed = page.evaluate(
        """() => {
            const root = document.querySelector('.citeqa-widget').shadowRoot;
            return [...root.querySelectorAll('button, textarea')]
                .filter(e => !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length)).length;
        }"""
    )
    assert unnamed == 0, "every control has an accessible name"


def test_busy_state_while_waiting(server: Server, tab: Tab) -> None:
    page = tab.page
    open_demo(page, server.url)
    # The request is held until the busy state is checked. The handler must not block: sync
    # Playwright runs it on this thread, between the polls of the expectations below.
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    page.route("**/v1/ask", hold)
    ask(page, "what is NSATU?")
    panel = page.get_by_role("region", name=TITLE)
    expect(panel.get_by_role("button", name="Sending…")).to_be_disabled()
    expect(panel.get_by_role("status")).to_have_text("Looking in the articles…")
    expect(panel.get_by_role("log")).to_have_attribute("aria-busy", "true")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1, "the question never reached the network"
    held[0].continue_()
    expect(last_answer(page)).to_contain_text(NSATU)
    expect(panel.get_by_role("button", name="Send")).to_be_enabled()


def test_demo_page_has_an_icon_and_a_clean_console(server: Server, tab: Tab) -> None:
    """No 404 for /favicon.ico: the page names its icon, an asset served like the others."""
    page = tab.page
    open_demo(page, server.url)
    href = page.locator('link[rel="icon"]').evaluate("e => e.href")
    assert href.startswith(f"{server.url}/assets/")
    icon = page.request.get(href)
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    ask(page, "what is NSATU?")
    expect(last_answer(page)).to_contain_text(NSATU)
    assert tab.console == [] and tab.errors == []


@pytest.mark.parametrize(("width", "height"), [(1280, 600), (320, 640)], ids=["desktop", "320px"])
def test_the_question_stays_visible_above_its_answer(server: Server, browser: Any, width: int, height: int) -> None:
    """A short answer shows whole under its question; a long one (NSATU's, with its sources) starts
    right under its question, which stays in view instead of scrolling up behind the panel's header."""
    opened = open_tab(browser, width, height)
    page = opened.page
    try:
        open_demo(page, server.url)
        ask(page, RUTTE)
        expect(page.locator(".msg.bot")).to_have_count(1)
        question_top, _, thread = in_thread(page.locator(".msg.user").last)
        _, answer_bottom, _ = in_thread(last_answer(page))
        assert question_top >= 0 and answer_bottom <= thread, "both fit: both are shown whole"

        ask(page, "what is NSATU?")
        expect(last_answer(page)).to_contain_text(NSATU)
        question_top, question_bottom, thread = in_thread(page.locator(".msg.user").last)
        answer_top, answer_bottom, _ = in_thread(last_answer(page))
        assert answer_bottom - question_top > thread, "the pair must be taller than the thread for this test"
        assert 0 <= question_top and question_bottom <= thread, "the question is in view, whole"
        assert question_bottom < answer_top < thread / 2, "its answer starts right under it"
        screenshot(page, f"question-above-answer-{width}.png")
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("before", "caret"), [("", 0), ("what is NSATU?", len("what is "))], ids=["empty-box", "mid-question"]
)
def test_a_pasted_question_over_the_limit_is_cut_and_the_reader_is_told(
    server: Server, tab: Tab, before: str, caret: int
) -> None:
    """The box takes the API's 1000 characters. A longer paste is cut at its end, as maxlength would,
    and a note next to the box, part of its description and a polite live region, says so."""
    page = tab.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    open_demo(page, server.url)
    pasted = " ".join(["Which NATO programme coordinates security assistance and training for Ukraine"] * 15)
    assert len(pasted) > 1000
    page.evaluate("text => navigator.clipboard.writeText(text)", pasted)
    box = page.get_by_role("textbox", name="Your question")
    box.fill(before)
    box.evaluate("(e, at) => e.setSelectionRange(at, at)", caret)
    page.keyboard.press("ControlOrMeta+V")
    kept = pasted[: 1000 - len(before)]
    expect(box).to_have_value(before[:caret] + kept + before[caret:])
    assert box.evaluate("e => e.selectionEnd") == caret + len(kept), "the caret stays after the paste"
    note = page.get_by_role("region", name=TITLE).get_by_text(LIMIT_NOTE)
    expect(note).to_be_visible()
    expect(note).to_have_attribute("aria-live", "polite")
    expect(box).to_have_accessible_description(re.compile(re.escape(LIMIT_NOTE)))

    box.press("Enter")  # the API takes all 1000 characters
    expect(page.locator(".msg.bot")).to_have_count(1)
    expect(note).to_have_count(0)
    assert page.locator(".msg.error").count() == 0


def test_axe_finds_no_wcag_violations_in_the_panel(server: Server, browser: Any) -> None:
    assert AXE.exists(), f"no {AXE}: run `make install-test` (installs axe-core with npm ci)"
    checked = open_tab(browser)
    page = checked.page
    page.add_init_script(path=str(AXE))  # evaluated by the browser itself, so the page's CSP does not apply
    try:
        open_demo(page, server.url)
        ask(page, "what is NSATU?")
        expect(last_answer(page)).to_contain_text(NSATU)
        last_answer(page).locator(".answer-text button.chip").first.click()
        expect(last_answer(page).locator(".passage mark")).to_be_visible()
        ask(page, OFF_CORPUS)
        expect(page.get_by_role("article", name="Not covered by the articles")).to_be_visible()
        screenshot(page, "not-covered-desktop.png")
        page.route("**/v1/ask", lambda route: route.abort())  # a failed question and its error
        ask(page, FOLLOW_UP)
        expect(error_state(page)).to_contain_text("Service unreachable")
        page.get_by_role("textbox", name="Your question").fill("x" * 1200)  # the limit's note
        expect(page.get_by_text(LIMIT_NOTE)).to_be_visible()
        screenshot(page, "failed-and-limit-desktop.png")
        violations = page.evaluate(
            """async () => {
                const result = await axe.run(document, {
                    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
                });
                return result.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
            }"""
        )
        assert violations == []
    finally:
        page.context.close()


# --- error states -----------------------------------------------------------------------------------------------


def start_unready_server(index_dir: Path, log: Path) -> Server:
    """A real ``citeqa serve`` over a directory with no index: alive (healthz) but never ready (503)."""
    return start_server(index_dir, log, probe="/healthz", timeout=60)


def error_state(page: Page, title: str = TITLE) -> Any:
    return page.get_by_role("region", name=title).get_by_role("alert")


def test_not_ready_then_unreachable_keep_the_question_for_retry(tmp_path: Path, tab: Tab) -> None:
    page = tab.page
    (tmp_path / "empty").mkdir()
    unready = start_unready_server(tmp_path / "empty", tmp_path / "unready.log")
    try:
        page.goto(unready.url)
        page.get_by_role("button", name=TITLE).click()
        ask(page, "what is NSATU?")
        expect(error_state(page)).to_contain_text("Service not ready")
        expect(error_state(page)).to_contain_text("not ready")
        expect(page.get_by_role("textbox", name="Your question")).to_have_value("what is NSATU?")
    finally:
        stop_server(unready)
    error_state(page).get_by_role("button", name="Retry").click()
    expect(error_state(page)).to_contain_text("Service unreachable")
    expect(error_state(page)).to_have_count(1)
    expect(page.get_by_role("textbox", name="Your question")).to_have_value("what is NSATU?")
    assert page.get_by_role("article", name="Answer").count() == 0


def test_api_4xx_message_is_shown(default_index: Path, tmp_path: Path, tab: Tab) -> None:
    keyed = start_server(default_index, tmp_path / "keyed.log", env={"CITEQA_API_KEY": "s3cret-key"})
    try:
        page = tab.page
        open_demo(page, keyed.url)
        ask(page, "what is NSATU?")
        expect(error_state(page)).to_contain_text("Request refused")
        expect(error_state(page)).to_contain_text("missing or wrong API key")
        expect(page.get_by_role("textbox", name="Your question")).to_have_value("what is NSATU?")
    finally:
        stop_server(keyed)


@pytest.fixture(scope="module")
def limited_server(default_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose operator allows questions of 40 characters at most (the widget's box takes 1,000)."""
    log = tmp_path_factory.mktemp("limited-server") / "server.log"
    running = start_server(default_index, log, env={"CITEQA_MAX_QUESTION_CHARS": "40"})
    yield running
    stop_server(running)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("Qui a construit le phare ?", "the question looks like French"),
        ("what is NSATU and who pays for it, and since when?", "question: at most 40 characters"),
    ],
    ids=["unsupported-language", "too-long"],
)
def test_a_refusal_shows_the_servers_message_and_no_retry(
    limited_server: Server, tab: Tab, question: str, message: str
) -> None:
    """A 4xx refusal is not transient: sending the same question again would get the same answer."""
    page = tab.page
    open_demo(page, limited_server.url)
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if r.url.endswith("/v1/ask") else None)
    ask(page, question)
    expect(error_state(page)).to_contain_text("Request refused")
    expect(error_state(page)).to_contain_text(message)
    expect(error_state(page).get_by_role("button", name="Retry")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Your question")).to_have_value(question)
    assert statuses == [422]


@pytest.mark.parametrize(
    ("status", "heading"), [(429, "Too many questions"), (500, "Service error"), (502, "Service error")]
)
def test_a_transient_failure_offers_retry_and_retry_asks_again(
    server: Server, tab: Tab, status: int, heading: str
) -> None:
    page = tab.page
    open_demo(page, server.url)
    failures = [status]

    def fail_once(route: Any) -> None:
        if failures:
            code = failures.pop()
            body = {
                "error": {"code": "rate_limited" if code == 429 else "internal_error", "message": f"HTTP {code} here"}
            }
            route.fulfill(status=code, content_type="application/json", body=json.dumps(body))
        else:
            route.continue_()

    page.route("**/v1/ask", fail_once)
    ask(page, "what is NSATU?")
    expect(error_state(page)).to_contain_text(heading)
    expect(error_state(page)).to_contain_text(f"HTTP {status} here")
    error_state(page).get_by_role("button", name="Retry").click()
    expect(last_answer(page)).to_contain_text(NSATU)
    expect(error_state(page)).to_have_count(0)


def test_a_failed_question_keeps_one_bubble_and_stays_out_of_the_history(server: Server, tab: Tab) -> None:
    """The trial: a follow-up fails (service unreachable), is sent again with Enter, fails again, and
    is retried once the service is back. The thread shows it once; no request's history holds it."""
    page = tab.page
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/v1/ask") else None)
    open_demo(page, server.url)
    ask(page, RUTTE)
    expect(page.locator(".msg.bot")).to_have_count(1)
    page.route("**/v1/ask", lambda route: route.abort())  # the service is down
    ask(page, FOLLOW_UP)
    expect(error_state(page)).to_contain_text("Service unreachable")
    box = page.get_by_role("textbox", name="Your question")
    expect(box).to_have_value(FOLLOW_UP)
    box.press("Enter")
    expect(page.get_by_role("log")).to_have_attribute("aria-busy", "false")
    expect(error_state(page)).to_contain_text("Service unreachable")
    questions = page.locator(".msg.user")
    expect(questions).to_have_count(2)
    expect(questions.last).to_contain_text(FOLLOW_UP)
    expect(questions.last).to_have_class(re.compile(r"\bfailed\b"))

    page.unroute("**/v1/ask")  # the service is back
    error_state(page).get_by_role("button", name="Retry").click()
    expect(page.locator(".msg.bot")).to_have_count(2)
    expect(questions).to_have_count(2)
    expect(questions.first).to_contain_text(RUTTE)
    expect(questions.last).to_contain_text(FOLLOW_UP)
    expect(questions.last).not_to_have_class(re.compile(r"\bfailed\b"))
    expect(error_state(page)).to_have_count(0)
    assert [body["question"] for body in sent] == [RUTTE, FOLLOW_UP, FOLLOW_UP, FOLLOW_UP]
    assert [[turn["question"] for turn in body.get("history", [])] for body in sent] == [[], [RUTTE], [RUTTE], [RUTTE]]

    ask(page, "what is NSATU?")
    expect(last_answer(page)).to_contain_text(NSATU)
    assert [turn["question"] for turn in sent[-1]["history"]] == [RUTTE, FOLLOW_UP], "answered turns only"


def test_a_failed_question_replaced_by_another_leaves_no_bubble(server: Server, tab: Tab) -> None:
    page = tab.page
    open_demo(page, server.url)
    page.route("**/v1/ask", lambda route: route.abort())
    ask(page, FOLLOW_UP)
    expect(error_state(page)).to_contain_text("Service unreachable")
    page.unroute("**/v1/ask")
    ask(page, "what is NSATU?")
    expect(last_answer(page)).to_contain_text(NSATU)
    expect(page.locator(".msg.user")).to_have_count(1)
    expect(page.locator(".msg.user")).to_contain_text("what is NSATU?")
    expect(error_state(page)).to_have_count(0)


# --- another origin ---------------------------------------------------------------------------------------------

EMBED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another site</title>
<style>
  body {{ color: rgb(255, 0, 0); font-family: monospace; font-size: 30px; }}
  button {{ background: rgb(255, 0, 0) !important; }}
  p {{ margin: 40px; }}
</style></head>
<body>
<h1>A page on another origin</h1>
<button id="own">The host page's own button</button>
<div id="slot"></div>
<script src="{api}/widget.js" data-api="{api}" data-position="inline" data-target="#slot"
        data-title="Ask this site" data-placeholder="Your question here" defer></script>
</body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class StaticSite:
    origin: str
    root: Path

    def page(self, name: str, api: str) -> str:
        (self.root / name).write_text(EMBED_PAGE.format(api=api))
        return f"{self.origin}/{name}"


@pytest.fixture(scope="module")
def other_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSite]:
    root = tmp_path_factory.mktemp("other-origin")
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield StaticSite(f"http://127.0.0.1:{httpd.server_address[1]}", root)
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Path:
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    (corpus / "japan-nato-rutte-visit.md").write_text((ROOT / "corpus" / "japan-nato-rutte-visit.md").read_text())
    (corpus / "hostile.md").write_text(HOSTILE)
    (corpus / "council-tax.md").write_text(COUNCIL_TAX)
    return build_test_index(corpus, tmp_path_factory.mktemp("hostile-index"), embedder)


@pytest.fixture(scope="module")
def cors_server(
    hostile_index: Path, other_origin: StaticSite, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A server over the default article plus a hostile document, allowing ``other_origin`` (CORS)."""
    log = tmp_path_factory.mktemp("cors-server") / "server.log"
    running = start_server(hostile_index, log, env={"CITEQA_CORS_ORIGINS": json.dumps([other_origin.origin])})
    yield running
    stop_server(running)


def test_embedding_on_an_allowed_origin_works_and_styles_do_not_cross(
    cors_server: Server, other_origin: StaticSite, tab: Tab
) -> None:
    page = tab.page
    page.goto(other_origin.page("allowed.html", cors_server.url))
    panel = page.get_by_role("region", name="Ask this site")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("textbox", name="Your question")).to_have_attribute("placeholder", "Your question here")
    ask(page, "what is NSATU?")
    answer = last_answer(page)
    expect(answer).to_contain_text(NSATU)
    answer.locator(".answer-text button.chip").first.click()
    expect(answer.locator(".passage mark")).to_contain_text("NSATU")

    send = panel.get_by_role("button", name="Send")
    assert send.evaluate("e => getComputedStyle(e).backgroundColor") != "rgb(255, 0, 0)", "host CSS leaked in"
    assert answer.evaluate("e => getComputedStyle(e).color") != "rgb(255, 0, 0)", "host colour inherited"
    assert "monospace" not in answer.evaluate("e => getComputedStyle(e).fontFamily")
    screenshot(page, "embedded-inline-other-origin.png")
    own = page.locator("#own")
    assert own.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 0, 0)", "widget CSS leaked out"
    assert tab.errors == []


def test_embedding_on_an_origin_not_allowed_is_refused(server: Server, other_origin: StaticSite, tab: Tab) -> None:
    """The browser hides why a cross-origin call failed; the widget tells a CORS refusal (the service is
    up) from an unreachable service, names the origin and the setting, and offers no Retry that cannot work."""
    page = tab.page
    page.goto(other_origin.page("refused.html", server.url))
    ask(page, "what is NSATU?")
    error = error_state(page, "Ask this site")
    expect(error).to_contain_text("This site is not allowed")
    expect(error).to_contain_text(
        f"The service at {server.url} is up but does not let this site ({other_origin.origin})"
    )
    expect(error).to_contain_text(f"add {other_origin.origin} to the service's CITEQA_CORS_ORIGINS setting")
    expect(error.get_by_role("button", name="Retry")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Your question")).to_have_value("what is NSATU?")
    assert page.get_by_role("article", name="Answer").count() == 0
    assert any("CORS" in m for m in tab.console), "the browser refused the cross-origin call"


def test_embedding_with_the_service_down_says_unreachable(
    cors_server: Server, other_origin: StaticSite, tab: Tab
) -> None:
    """On an allowed origin, a service that does not answer at all is "unreachable", with a Retry."""
    page = tab.page
    page.goto(other_origin.page("allowed.html", cors_server.url))
    expect(page.get_by_role("region", name="Ask this site")).to_be_visible()
    page.route(f"{cors_server.url}/**", lambda route: route.abort())
    ask(page, "what is NSATU?")
    error = error_state(page, "Ask this site")
    expect(error).to_contain_text("Service unreachable")
    expect(error).to_contain_text(f"Could not reach the service at {cors_server.url}")
    expect(error.get_by_role("button", name="Retry")).to_be_visible()
    page.unroute(f"{cors_server.url}/**")
    error.get_by_role("button", name="Retry").click()
    expect(last_answer(page)).to_contain_text(NSATU)


# --- hostile content --------------------------------------------------------------------------------------------


def test_hostile_document_is_shown_as_text_and_runs_nothing(cors_server: Server, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{cors_server.url}/?doc=hostile-zorblax")
    expect(page.locator("#article")).to_have_attribute("aria-busy", "false")
    expect(page.locator("h1")).to_contain_text("<img src=x onerror=")
    expect(page.locator("#body")).to_contain_text("<script>window.__pwned=1;alert('xss')</script>")
    page.get_by_role("button", name=TITLE).click()
    ask(page, "who designed the Zorblax protocol?")
    answer = last_answer(page)
    expect(answer).to_contain_text("<script>window.__pwned=1;alert('xss')</script>")
    answer.locator(".answer-text button.chip").first.click()
    evidence = answer.locator(".evidence")
    expect(evidence.locator(".doc-title")).to_contain_text('<img src=x onerror="window.__pwned=1;alert(1)">')
    expect(evidence.locator(".passage mark")).to_contain_text("<script>")
    expect(evidence.get_by_role("link")).to_have_count(0)  # the javascript: url is not made a link

    ask(page, "what does the Zorblax logo show?")
    expect(page.locator(".msg.bot")).to_have_count(2)
    second = page.locator(".msg.bot").last
    expect(second).to_contain_text(re.compile(r'<img src=x onerror="|<a href="javascript:'))
    second.locator(".answer-text button.chip").first.click()
    expect(second.locator(".passage mark")).to_be_visible()
    page.wait_for_timeout(500)  # give any injected handler (img onerror) time to fire
    screenshot(page, "hostile-as-text.png")
    assert page.evaluate("window.__pwned") is None
    assert tab.dialogs == []
    assert tab.errors == []
    counts = page.evaluate(
        """() => {
            const root = document.querySelector('.citeqa-widget').shadowRoot;
            const all = (sel) => document.querySelectorAll(sel).length + root.querySelectorAll(sel).length;
            return {script: root.querySelectorAll('script').length, img: all('img'),
                    jsLinks: all('a[href^="javascript:"]')};
        }"""
    )
    assert counts == {"script": 0, "img": 0, "jsLinks": 0}


def test_a_table_answer_is_shown_as_a_table_with_its_chips(cors_server: Server, tab: Tab) -> None:
    """A new user's widget showed "| Vaccine | Price per dose | ... | [1] | Hepatitis B | £45 | ..." with its
    pipes: quotes of table rows are shown as a table, the header's cells as column headings."""
    question = "What is the annual charge for a Band D property?"
    expected = api_ask(cors_server, question)
    quotes = [c["quote"] for c in expected["citations"]]
    assert quotes[:2] == ["| Band | Annual charge | Monthly (10 instalments) |", "| Band D | £2,130 | £213 |"]
    page = tab.page
    open_demo(page, cors_server.url)
    ask(page, question)
    table = last_answer(page).locator(".answer-text table")
    expect(table.locator("th")).to_have_text(["Band", "Annual charge", re.compile(r"^Monthly \(10 instalments\)")])
    expect(table.locator("tbody tr").first.locator("td")).to_have_text(["Band D", "£2,130", re.compile("^£213")])
    assert "|" not in last_answer(page).locator(".answer-text").inner_text()
    chips = table.locator("button.chip")
    expect(chips).to_have_count(2)
    chips.last.click()
    expect(last_answer(page).locator(".evidence .passage mark")).to_have_text(quotes[1])
    screenshot(page, "table-answer.png")

    ask(page, "How much is the monthly instalment for Band B?")  # a cell's markup is shown as text
    expect(page.get_by_role("article", name="Answer")).to_have_count(2)
    expect(last_answer(page).locator(".answer-text td")).to_contain_text(["Band B", "£1,657", "<b>£165.70</b>"])
    assert tab.errors == [] and tab.dialogs == [] and tab.csp_violations() == []
