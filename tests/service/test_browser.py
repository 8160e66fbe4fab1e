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
    # the pages' Content-Security-Policy must hold nothing of theirs back (a style refused shows as a console error)
    refused: list[str] = []
    pg.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield pg
    assert dialogs == [], f"article markup ran as script: {dialogs}"
    assert refused == [], f"the page's own content was refused by its CSP: {refused}"
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
    listed = page.locator('#findings > .finding[data-kind="conflict"]')
    folded = page.locator('#hidden-conflicts .finding[data-kind="conflict"]')
    assert listed.count() + folded.count() >= 1
    if not listed.count():  # conflicts under the confidence threshold are folded, one click away
        assert not folded.first.is_visible()
        page.click("#hidden-conflicts summary")
    first = (listed if listed.count() else folded).first
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
    # a mixed quote reads as written: its verbatim part in its own marks, the rest without
    mixed = [m.splitlines()[-1] for m in page.locator("#quotes li.quote.mixed").all_inner_texts()]
    assert any(m.startswith('she went to the US to share "lessons learned"') for m in mixed), mixed
    assert page.locator("#outlets tbody tr").count() == 2
    # the summary comes first: outlets, sources and dates, then the top conflicts with why
    summary = page.locator("#summary").inner_text()
    assert "2 articles" in summary and "independent source" in summary
    # the top conflicts with why, or how many are held under the threshold
    assert ("Top conflicts" in summary) == bool(listed.count())
    assert bool(folded.count()) == ("below confidence" in summary)
    assert page.locator("#summary").bounding_box()["y"] < page.locator("#findings").bounding_box()["y"]
    _shots(page, "seed-story")


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


def _shots(page: Any, name: str) -> None:
    """Full-page screenshots at desktop width and at a phone's 390 px (looked at by hand)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, width in (("desktop", 1280), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
        shot = ARTIFACTS / f"{name}-{label}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    page.set_viewport_size({"width": 1280, "height": 900})


def _harbour_story(live_server: LiveServer) -> str:
    stories = httpx.get(f"{live_server.url}/stories", params={"limit": 500}).json()["stories"]
    for s in stories:
        report = httpx.get(f"{live_server.url}/stories/{s['id']}").json()["stories"][0]
        if {"harbour-times", "coast-herald"} <= {a["id"] for a in report["articles"]}:
            return str(s["id"])
    raise AssertionError("no story holds the two harbour articles")


def test_filters_narrow_the_story_page(live_server: LiveServer, page: Any) -> None:
    story_id = _harbour_story(live_server)
    page.goto(f"{live_server.url}/ui/stories/{story_id}")
    every = page.locator("#findings .finding, #single-source .finding").count()
    assert page.locator('#findings .finding[data-kind="conflict"]').count() >= 1
    # kind: only conflicts
    page.check('#filters input[name="kind"][value="conflict"]')
    page.click("#filters button")
    page.wait_for_url("**kind=conflict**")
    shown = page.locator(".finding")
    kinds = {shown.nth(i).get_attribute("data-kind") for i in range(shown.count())}
    assert kinds == {"conflict"}
    # outlet: the Coast Herald's words only
    page.goto(f"{live_server.url}/ui/stories/{story_id}")
    page.select_option('#filters select[name="outlet"]', "Coast Herald")
    page.click("#filters button")
    page.wait_for_url("**outlet=Coast+Herald**")
    badges = set(page.locator("#quotes li.quote .badge").all_inner_texts())
    assert badges == {"Coast Herald"}, badges
    # speaker: part of a name
    page.goto(f"{live_server.url}/ui/stories/{story_id}?speaker=reyes")
    names = page.locator("#quotes .speaker h3").all_inner_texts()
    assert names and all("Reyes" in n for n in names), names
    # confidence: above every finding's confidence nothing is left, and the page says so
    page.goto(f"{live_server.url}/ui/stories/{story_id}")
    page.fill('#filters input[name="min_confidence"]', "1")
    page.click("#filters button")
    page.wait_for_url("**min_confidence=1**")
    assert page.locator(".finding").count() <= every
    _shots(page, "story-filtered")


def test_finding_and_paragraph_link_both_ways(live_server: LiveServer, page: Any) -> None:
    story_id = _harbour_story(live_server)
    page.goto(f"{live_server.url}/ui/stories/{story_id}")
    conflict = page.locator('#findings .finding[data-kind="conflict"]').first
    cited = conflict.locator(".evidence .ev").first.inner_text()
    conflict.locator("a.to-text").first.click()
    page.wait_for_url("**/ui/articles/**#p*")
    anchor = page.url.rsplit("#", 1)[1]
    paragraph = page.locator(f"#text p#{anchor}")
    assert paragraph.is_visible() and cited in paragraph.inner_text()
    # and back: the paragraph names the finding that cites it
    back = paragraph.locator("a.finding-link.conflict").first
    back.click()
    page.wait_for_url(f"**/ui/stories/{story_id}#finding-*")
    target = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#{target}").get_attribute("data-kind") == "conflict"
    assert page.locator(f"#{target}").is_visible()


def test_article_quotes_name_the_resolved_speaker(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/ui/articles/harbour-times")
    resolved = page.locator("#article-quotes .speaker-name")
    names = resolved.all_inner_texts()
    said_as = [resolved.nth(i).get_attribute("title") for i in range(resolved.count())]
    # "Reyes added ..." is shown as the person the story resolved, with the text's word on hover
    assert "Alma Reyes" in names, names
    assert "the text says: Reyes" in said_as, said_as
    _shots(page, "article")


def test_phone_width_has_no_sideways_scroll(live_server: LiveServer, browser: Any) -> None:
    story_id = _harbour_story(live_server)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    pg = context.new_page()
    try:
        for path in (f"/ui/stories/{story_id}", "/ui/articles/harbour-times", "/ui/", "/ui/search?q=bridge"):
            pg.goto(f"{live_server.url}{path}")
            width = pg.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
    finally:
        context.close()


def test_story_tables_download(live_server: LiveServer, page: Any) -> None:
    story_id = _harbour_story(live_server)
    page.goto(f"{live_server.url}/ui/stories/{story_id}?kind=conflict")
    link = page.locator("#summary a", has_text="findings.csv")
    href = link.get_attribute("href")
    assert href.endswith("/findings.csv?kind=conflict")  # the download keeps the page's filters
    with page.expect_download() as info:
        link.click()
    body = Path(info.value.path()).read_text(encoding="utf-8")
    header, *rows = body.splitlines()
    assert header.startswith("story,article,outlet,url,speaker,cue,kind,text,start,end,confidence")
    assert rows and all(",conflict," in r for r in rows)
