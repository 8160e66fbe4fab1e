"""The story page in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from svc_support import ARTIFACTS, SEEDS, LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-quic",
         "--no-first-run", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}; apt-get install chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield pg
    assert dialogs == [], f"article markup ran as script: {dialogs}"
    context.close()


def _seed_story(live_server: LiveServer) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    ids = {p.stem for p in SEEDS.iterdir() if p.suffix == ".txt"}
    stories = httpx.get(f"{live_server.url}/stories", params={"limit": 500}).json()["stories"]
    for s in stories:
        report = httpx.get(f"{live_server.url}/stories/{s['id']}").json()["stories"][0]
        if ids <= {a["id"] for a in report["articles"]}:
            return str(s["id"])
    raise AssertionError("no story holds both seed articles")


def test_seed_story_page_shows_conflict_and_quotes(live_server: LiveServer, page: Any) -> None:
    story_id = _seed_story(live_server)
    page.goto(f"{live_server.url}/ui/stories/{story_id}")
    conflicts = page.locator('#findings .finding[data-kind="conflict"]')
    assert conflicts.count() >= 1
    first = conflicts.first
    assert first.is_visible()
    # conflicts come first, and each side's evidence is highlighted in its paragraph
    assert page.locator("#findings .finding").first.get_attribute("data-kind") == "conflict"
    marks = first.locator(".evidence .ev")
    assert marks.count() >= 2 and all(marks.nth(i).is_visible() for i in range(marks.count()))
    quotes = page.locator("#quotes li.quote")
    assert quotes.count() >= 10
    speakers = page.locator("#quotes .speaker h3").all_inner_texts()
    assert any("Mattinson" in s for s in speakers), speakers
    assert "lessons learned" in page.locator("#quotes").inner_text()
    assert page.locator("#outlets tbody tr").count() == 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "seed-story.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_story_list_and_search_in_the_browser(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/ui/")
    rows = page.locator("#stories tbody tr")
    assert rows.count() >= 2
    page.fill('header input[name="q"]', "pandas")
    page.press('header input[name="q"]', "Enter")
    page.wait_for_url("**/ui/search?q=pandas")
    assert page.locator("#hits li").count() >= 1
    page.locator("#hits li a").first.click()
    page.wait_for_url("**/ui/articles/zoo-note")
    # the script in the article is shown as text, and never ran
    assert "<script>alert('xss')</script>" in page.locator("#text").inner_text()
    assert page.locator("#text span.q").count() >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)
