"""End-to-end in real headless Chromium (Debian's ``chromium``, driven by Playwright; no browser
download): search, dossier, timeline order, a highlighted claim on its article, language switch,
keyboard use, and the same journey without JavaScript. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("MERCATO_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
OPENDA = "person:lois-openda"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no chromium at {CHROMIUM} (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python package) is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, web_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=web_url, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    # A CSP violation or a script error shows up here.
    assert not errors, errors


def label(lang: str, key: str) -> str:
    """Section titles come from the knowledge layer's wording, whatever it says today."""
    from mercato.knowledge.render import templates

    return templates(lang)["label"][key]


def shot(pg: Any, name: str, full: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def test_search_dossier_timeline_article_language(page: Any) -> None:
    pg = page
    pg.goto("/")
    pg.fill("#q", "opnda")  # a typo
    first = pg.locator("#suggestions li a").first
    first.wait_for(state="visible")
    assert "Loïs Openda" in first.inner_text()
    shot(pg, "01-search-suggestions", full=False)
    first.click()
    pg.wait_for_url(f"**/players/{OPENDA}")
    assert pg.locator("h1").inner_text() == "Loïs Openda"
    assert pg.locator("#future").inner_text() == label("en", "future")

    # The chronicle is in publication order, oldest first.
    days = pg.locator("ol.timeline li.event").evaluate_all("els => els.map(e => e.dataset.published)")
    assert len(days) >= 7 and days == sorted(days)
    assert days[0] == "2025-06-02" and days[-1] == "2025-06-24"
    # The Atlético link is official; its credibility reasons are one click away.
    top = pg.locator("ol.links li.link").first
    assert "Atlético Madrid" in top.locator("h3").inner_text()
    assert top.locator(".badge.stage-official").count() == 1
    top.locator("details.why summary").click()
    assert top.locator("details.why li").count() >= 1
    shot(pg, "02-player-dossier")

    # Follow a piece of evidence to its article: the claim's sentence is highlighted there.
    evidence = pg.locator("ol.timeline blockquote.evidence a").first
    quote = evidence.inner_text().strip("“”")
    evidence.click()
    pg.wait_for_url(re.compile(r".*/articles/\d+#claim-\d+$"))
    claim_id = pg.url.rsplit("#", 1)[1]
    mark = pg.locator(f"mark.claim:has(#{claim_id})")
    assert mark.count() == 1 and mark.is_visible()
    marked = pg.locator("mark.claim").evaluate_all(
        f"els => els.filter(m => (' ' + m.dataset.claims + ' ').includes(' {claim_id.split('-')[1]} '))"
        ".map(m => m.textContent).join('')"
    )
    assert marked == quote
    # The target sentence is drawn in the strong highlight colour (CSS :has(:target)).
    colour = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour == "rgb(255, 224, 102)", colour
    assert pg.locator("a.ent.ent-player").count() >= 1
    shot(pg, "03-article-highlight", full=False)

    # Switch the language: the select submits itself; the choice sticks to later pages.
    pg.goto(f"/players/{OPENDA}")
    with pg.expect_navigation():
        pg.select_option("#lang", "it")
    assert "lang=it" in pg.url
    assert pg.locator("#future").inner_text() == label("it", "future")
    assert pg.locator("html").get_attribute("lang") == "it"
    shot(pg, "04-player-italian", full=False)
    pg.goto("/clubs/club:juventus")
    assert pg.locator("#incoming").inner_text() == label("it", "incoming")
    with pg.expect_navigation():
        pg.select_option("#lang", "de")
    assert pg.locator("#incoming").inner_text() == label("de", "incoming")
    assert pg.locator("html").get_attribute("lang") == "de"


def test_keyboard_search(page: Any) -> None:
    pg = page
    pg.goto("/")
    pg.focus("#q")
    pg.keyboard.type("kolo muani")
    pg.locator("#suggestions li a").first.wait_for(state="visible")
    pg.keyboard.press("ArrowDown")
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    assert "/players/person:randal-muani" in pg.url
    # The story of his loan, every report origin first.
    pg.goto("/stories?player=person:randal-muani")
    pg.locator("a", has_text="Juventus").first.click()
    roles = pg.locator(".badge.role").all_inner_texts()
    assert roles and roles[0] == "origin"
    shot(pg, "05-story")


def test_without_javascript(browser: Any, web_url: str) -> None:
    context = browser.new_context(base_url=web_url, java_script_enabled=False, viewport={"width": 390, "height": 844})
    pg = context.new_page()
    try:
        pg.goto("/")
        pg.fill("#q", "bastoni")
        with pg.expect_navigation():
            pg.press("#q", "Enter")
        assert "/players/person:alessandro-bastoni" in pg.url
        assert pg.locator("ol.timeline li.event").count() >= 3
        # The language form has a visible submit button when scripts do not run.
        pg.select_option("#lang", "fr")
        with pg.expect_navigation():
            pg.click(".langswitch button")
        assert "lang=fr" in pg.url and pg.locator("html").get_attribute("lang") == "fr"
        shot(pg, "06-mobile-no-js")
    finally:
        context.close()
