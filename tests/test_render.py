"""Tests for storyline.render over a hand-built storyline.report/1 dict (fictional story)."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser

import pytest

from storyline import render as R

SCRIPT = "<script>alert(1)</script>"

# Three articles about one invented event. The Lantern and Quayside Post share no outlet
# metadata with the third article, which comes from an undated file (outlet "unknown"),
# as does a fourth copy - so two "unknown" outlets must be told apart.
TEXT_A = (
    "Floodwater closed the Millbrook tram depot on Monday.\n"
    "\u201cThe pumps failed at midnight,\u201d depot chief Ada Quist said.\n"
    "About 40 trams were stranded, officials said."
)
TEXT_B = (
    "The Millbrook depot flooded overnight.\n"
    "More than 60 trams were stranded, according to the council.\n"
    "Ms Quist told reporters that the pumps failed at midnight. " + SCRIPT
)
TEXT_C = "Councillor Bram Dekker said the repair fund would reach \u20ac3 million."
TEXT_D = "Dekker said nothing more on Friday."


def _span(text: str, needle: str) -> dict:
    start = text.index(needle)
    return {"start": start, "end": start + len(needle), "text": needle}


def _evidence(article_id: str, text: str, needle: str) -> dict:
    return {"article_id": article_id, **_span(text, needle)}


def make_report() -> dict:
    flood = {
        "id": "story-flood",
        "title": "Millbrook tram depot flood",
        "articles": [
            {"id": "a1", "outlet": "The Lantern", "title": "Depot flood strands trams",
             "url": "https://lantern.example/flood", "published": "2025-05-13",
             "published_inferred": False, "source_group": "g1", "text": TEXT_A},
            {"id": "a2", "outlet": "Quayside Post", "title": "Council counts stranded trams",
             "url": "javascript:alert(1)", "published": None, "published_inferred": False,
             "source_group": "g2", "text": TEXT_B},
            {"id": "003_cd59dd6cd126f59f", "outlet": "unknown", "title": None, "url": None,
             "published": "2025-05-14", "published_inferred": True, "source_group": "g3", "text": TEXT_C},
            {"id": "004_ffee00aa11bb22cc", "outlet": "unknown", "title": None, "url": None,
             "published": None, "published_inferred": False, "source_group": "g4", "text": TEXT_D},
        ],
        "entities": [
            {"id": "e1", "name": "Ada Quist", "type": "PERSON", "aliases": ["Ms Quist", "Quist"],
             "article_ids": ["a1", "a2"],
             "titles": [{"title": "depot chief", "article_ids": ["a1"]},
                        {"title": "Head of Depot Operations",
                         "article_ids": ["a2", "003_cd59dd6cd126f59f"]}]},
            {"id": "e2", "name": "Bram Dekker " + SCRIPT, "type": "PERSON", "aliases": [],
             "article_ids": ["003_cd59dd6cd126f59f"],
             "titles": [{"title": "Councillor", "article_ids": ["003_cd59dd6cd126f59f"]}]},
            {"id": "e3", "name": "Millbrook Council", "type": "ORG", "aliases": [], "article_ids": ["a2"],
             "titles": []},
        ],
        "quotes": [
            {"id": "q1", "article_id": "a1", "speaker_entity_id": "e1",
             "speaker_text": "depot chief Ada Quist", "cue": "said", "kind": "direct",
             "said_on": "2025-05-12",
             **_span(TEXT_A, "The pumps failed at midnight,")},
            {"id": "q2", "article_id": "a2", "speaker_entity_id": "e1", "speaker_text": "Ms Quist",
             "cue": "told reporters", "kind": "indirect", "said_on": None,
             **_span(TEXT_B, "the pumps failed at midnight. " + SCRIPT)},
            {"id": "q3", "article_id": "003_cd59dd6cd126f59f", "speaker_entity_id": "e2",
             "speaker_text": "Councillor Bram Dekker", "cue": "said", "kind": "indirect", "said_on": None,
             **_span(TEXT_C, "the repair fund would reach \u20ac3 million")},
            {"id": "q4", "article_id": "a1", "speaker_entity_id": None, "speaker_text": "officials",
             "cue": "said", "kind": "indirect", "said_on": None,
             **_span(TEXT_A, "About 40 trams were stranded")},
            {"id": "q5", "article_id": "a2", "speaker_entity_id": None, "speaker_text": None,
             "cue": "", "kind": "mixed", "said_on": None, **_span(TEXT_B, "The Millbrook depot flooded")},
        ],
        "claims": [
            {"id": "c1", "article_id": "a1", "kind": "count", "value": "40",
             **_span(TEXT_A, "About 40 trams")},
            {"id": "c2", "article_id": "a2", "kind": "count", "value": ">60",
             **_span(TEXT_B, "More than 60 trams")},
        ],
        "events": [
            {"id": "ev1", "date": "2025-05-12", "description": "Floodwater closes the tram depot",
             "article_ids": ["a1", "a2"]},
        ],
        # Deliberately not in display order: the renderer must put conflicts first.
        "findings": [
            {"id": "f1", "kind": "single_source", "about": "Repair fund of \u20ac3 million",
             "detail": "Only one outlet reports the fund.",
             "evidence": [_evidence("003_cd59dd6cd126f59f", TEXT_C, "\u20ac3 million")]},
            {"id": "f2", "kind": "corroborated", "about": "Pumps failed at midnight",
             "detail": "Two independent outlets report Ada Quist saying so.",
             "evidence": [_evidence("a1", TEXT_A, "The pumps failed at midnight"),
                          _evidence("a2", TEXT_B, "the pumps failed at midnight")]},
            {"id": "f3", "kind": "conflict", "about": "Number of stranded trams",
             "detail": "40 vs more than 60",
             "evidence": [_evidence("a1", TEXT_A, "About 40 trams"),
                          _evidence("a2", TEXT_B, "More than 60 trams")]},
        ],
    }
    bakery = {
        "id": "story-bakery",
        "title": "Bakery wins regional prize",
        "articles": [
            {"id": "b1", "outlet": "Valley Crier", "title": "Rye loaf takes gold", "url": None,
             "published": "2025-06-01", "published_inferred": False, "source_group": "g9",
             "text": "The rye loaf from Pell's bakery took gold."},
        ],
        "entities": [], "quotes": [], "claims": [], "events": [], "findings": [],
    }
    return {"schema": "storyline.report/1", "stories": [flood, bakery]}


@pytest.fixture
def report() -> dict:
    return make_report()


def test_fixture_offsets_are_exact(report):
    # Guards the fixture itself: every offset must slice exactly its text.
    story = report["stories"][0]
    texts = {a["id"]: a["text"] for a in story["articles"]}
    spans = story["quotes"] + story["claims"] + [e for f in story["findings"] for e in f["evidence"]]
    for item in spans:
        assert texts[item["article_id"]][item["start"]:item["end"]] == item["text"]


# --------------------------------------------------------------------------- shared facts


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_each_format_contains_key_facts(report, fmt):
    out = R.render(report, fmt)
    for fact in [
        "Millbrook tram depot flood", "Bakery wins regional prize",
        "The Lantern", "Quayside Post", "Valley Crier",
        "Depot flood strands trams", "2025-05-13", "undated", "date inferred",
        "Ada Quist", "depot chief", "Head of Depot Operations",
        "The pumps failed at midnight", "said 2025-05-12", "indirect", "direct",
        "Number of stranded trams", "40 vs more than 60", "About 40 trams", "More than 60 trams",
        "Pumps failed at midnight", "Repair fund of", "officials", "unattributed",
        "Floodwater closes the tram depot",
    ]:
        assert fact in out, f"{fmt}: missing {fact!r}"


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_conflicts_come_before_corroborated_before_single_source(report, fmt):
    out = R.render(report, fmt)
    conflict = out.index("Number of stranded trams")
    corroborated = out.index("Pumps failed at midnight")
    single = out.index("Repair fund of")
    assert conflict < corroborated < single


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_shared_unknown_outlets_are_told_apart(report, fmt):
    out = R.render(report, fmt)
    if fmt == "md":
        out = out.replace("\\_", "_")  # Markdown escapes the underscore
    # No titles, so the short article id tells the two "unknown" articles apart.
    assert "unknown (003_cd59…)" in out
    assert "unknown (004_ffee…)" in out


def test_outlet_labels_prefer_titles_when_they_differ():
    labels = R._outlet_labels([
        {"id": "x1", "outlet": "unknown", "title": "Storm hits harbour"},
        {"id": "x2", "outlet": "unknown", "title": "Mayor pledges rebuilding fund for the whole coast"},
        {"id": "x3", "outlet": "Bay Herald", "title": "Storm hits harbour"},
    ])
    assert labels == {
        "x1": "unknown (Storm hits harbour)",
        "x2": "unknown (Mayor pledges rebuilding fu…)",
        "x3": "Bay Herald",
    }


def test_quotes_are_grouped_by_speaker_with_outlet(report):
    story = R._Story.build(report["stories"][0])
    groups = dict(story.speakers())
    assert list(groups) == ["Ada Quist", "Bram Dekker " + SCRIPT, "officials", "unattributed"]
    assert [q["id"] for q in groups["Ada Quist"]] == ["q1", "q2"]  # dated statement first
    assert R._quote_meta(story, groups["Ada Quist"][0]) == "The Lantern, direct (said), said 2025-05-12 Mon"
    assert R._quote_meta(story, groups["Ada Quist"][1]) == "Quayside Post, indirect (told reporters)"


# --------------------------------------------------------------------------- text


def test_text_fits_terminal_width_and_truncates_long_quotes(report):
    long_words = "word " * 200
    story = report["stories"][0]
    story["articles"][0]["text"] += "\n" + long_words
    story["quotes"][0] = {**story["quotes"][0], "text": long_words.strip()}
    for width in (80, 120):
        out = R.render_text(report, console_width=width)
        assert max(len(line) for line in out.splitlines()) <= width
    out = R.render_text(report, console_width=100)
    assert "…" in out
    assert long_words.strip() not in " ".join(out.split())
    # Markdown keeps the whole quote.
    assert long_words.strip() in R.render_markdown(report)


def test_text_without_color_has_no_escape_codes_and_color_has(report):
    assert "\x1b[" not in R.render_text(report, color=False)
    assert "\x1b[" in R.render_text(report, color=True)


def test_print_text_writes_to_given_console(report):
    from rich.console import Console

    console = Console(record=True, width=90, file=open("/dev/null", "w"))  # noqa: SIM115
    try:
        R.print_text(report, console)
    finally:
        console.file.close()
    assert "Number of stranded trams" in console.export_text()


def test_text_does_not_read_report_strings_as_rich_markup(report):
    story = report["stories"][0]
    story["articles"][0]["title"] = "[bold]Depot[/] flood [/red]"
    story["entities"][0]["name"] = "Ada [link=x]Quist"
    story["findings"][2]["about"] = "[red]stranded[/]"
    out = R.render_text(report, console_width=120)
    assert "[bold]Depot[/] flood [/red]" in out
    assert "Ada [link=x]Quist (2)" in out
    assert "[red]stranded[/]" in out


def test_text_section_headings(report):
    out = R.render_text(report)
    assert "1 conflict · 1 corroborated · 1 single-source" in out
    assert out.index("CONFLICTS (1)") < out.index("CORROBORATED (1)") < out.index("SINGLE SOURCE (1)")
    assert "Who said what" in out
    assert "No attributed statements found." in out  # the bakery story has no quotes
    assert "No findings." in out


# --------------------------------------------------------------------------- Markdown


def test_markdown_structure_and_escaping(report):
    md = R.render_markdown(report)
    assert md.startswith("# storyline report")
    assert "## Story 1: Millbrook tram depot flood" in md
    assert "| Outlet | Title | Date |" in md
    assert "### Conflicts (1)" in md
    assert "[Depot flood strands trams](<https://lantern.example/flood>)" in md
    assert "javascript:" not in md  # unsafe URLs are not linked
    # Raw HTML in untrusted text is backslash-escaped, never passed through.
    assert SCRIPT not in md
    assert r"\<script\>alert(1)\</script\>" in md
    # Evidence quoted per outlet under its finding.
    assert "  - The Lantern: “About 40 trams”" in md


# --------------------------------------------------------------------------- HTML


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.marks: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self._in_mark = 0
        self._mark_buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        for name in ("src",):
            if name in attrs:
                self.srcs.append(attrs[name])
        if tag == "mark":
            self._in_mark += 1
            self._mark_buf = []

    def handle_endtag(self, tag):
        if tag == "mark":
            self._in_mark -= 1
            self.marks.append("".join(self._mark_buf))

    def handle_data(self, data):
        if self._in_mark:
            self._mark_buf.append(data)


def _parse(page: str) -> _Collector:
    parser = _Collector()
    parser.feed(page)
    parser.close()
    return parser


def test_html_is_self_contained(report):
    page = R.render_html(report)
    parsed = _parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page
    assert "script" not in parsed.tags
    assert "link" not in parsed.tags
    assert parsed.srcs == []
    assert all(h.startswith("#") or h.startswith("https://") for h in parsed.hrefs)
    assert "javascript:alert(1)" not in parsed.hrefs


def test_html_escapes_script_in_article_text_quote_and_entity_name(report):
    page = R.render_html(report)
    assert SCRIPT not in page
    assert "<script" not in page.lower()
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    # Entity name (people table and speaker heading), quote (who said what) and article text.
    assert f"Bram Dekker {escaped}" in page
    assert f"the pumps failed at midnight. {escaped}</span>" in page
    assert f"Ms Quist told reporters that the pumps failed at midnight. {escaped}</div>" in page
    assert "script" not in _parse(page).tags


def test_html_highlights_exactly_the_evidence_slice(report):
    page = R.render_html(report)
    parsed = _parse(page)
    expected = [e["text"] for f in ("f3", "f2", "f1")
                for e in next(x for x in report["stories"][0]["findings"] if x["id"] == f)["evidence"]]
    assert parsed.marks == expected
    # The slice sits in its paragraph: text before and after it is shown unmarked.
    assert "<mark>About 40 trams</mark> were stranded, officials said.</blockquote>" in page
    assert "Councillor Bram Dekker said the repair fund would reach <mark>€3 million</mark>." in page


def test_html_does_not_highlight_when_offsets_disagree(report):
    bad = copy.deepcopy(report)
    ev = bad["stories"][0]["findings"][2]["evidence"][0]
    ev["start"] += 3  # now text[start:end] != evidence text
    page = R.render_html(bad)
    assert "<mark>About 40 trams</mark> were stranded" not in page
    assert "<mark>About 40 trams</mark></blockquote>" in page  # bare evidence, no context


def test_html_without_article_text_shows_bare_evidence(report):
    for art in report["stories"][0]["articles"]:
        del art["text"]
    page = R.render_html(report)
    flood = page[page.index('id="story-1"'):page.index('id="story-2"')]
    assert "<mark>More than 60 trams</mark></blockquote>" in flood
    assert "Article texts" not in flood


# --------------------------------------------------------------------------- dispatch and edge cases


def test_json_round_trips(report):
    out = R.render(report, "json")
    assert json.loads(out) == report
    assert "€3 million" in out  # ensure_ascii=False
    assert out.startswith("{\n  ")


@pytest.mark.parametrize("fmt", ["pdf", "", "TEXT", None])
def test_unknown_format_names_valid_formats(report, fmt):
    with pytest.raises(ValueError, match=r"valid formats: text, md, html, json"):
        R.render(report, fmt)


@pytest.mark.parametrize("report_", [{"schema": "storyline.report/1", "stories": []},
                                     {"schema": "storyline.report/1"}])
@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_empty_report_says_no_stories(report_, fmt):
    out = R.render(report_, fmt)
    assert "No stories in this report." in out


def test_empty_report_json():
    assert json.loads(R.render({"schema": "storyline.report/1", "stories": []}, "json"))["stories"] == []


def test_minimal_story_with_missing_optional_fields():
    # Only the story's id: renderers must not crash on absent lists.
    report = {"schema": "storyline.report/1", "stories": [{"id": "s1"}]}
    for fmt in ("text", "md", "html"):
        out = R.render(report, fmt)
        assert "s1" in out
        assert "No findings." in out


def test_speaker_falls_back_to_speaker_text_for_unknown_entity_id(report):
    story = report["stories"][0]
    story["quotes"][0]["speaker_entity_id"] = "e-missing"
    out = R.render_text(report)
    assert re.search(r"depot chief Ada Quist \(1\)", out)


# --------------------------------------------------------------------------- what matters first


@pytest.mark.parametrize(("kind", "text", "shown"), [
    # direct: one pair of quotation marks around the words, whether or not the slice carries them
    ("direct", "We will rebuild the pier", "“We will rebuild the pier”"),
    ("direct", "\u201cWe will rebuild the pier\u201d", "“We will rebuild the pier”"),
    ('direct', '"We will rebuild the pier"', "“We will rebuild the pier”"),
    # nested marks stay balanced: only an enclosing pair is taken off, never an inner mark
    ("direct", "I said, 'fine'", "“I said, 'fine'”"),
    ("direct", "'Tis done, she said 'fine'", "“'Tis done, she said 'fine'”"),
    ("direct", "We will rebuild the pier,", "“We will rebuild the pier”"),
    ("direct", "'I don't know'", "“I don't know”"),
    ("direct", "‘I don’t know’", "“I don’t know”"),
    # mixed: as written, so only the verbatim part reads as the speaker's words
    ("mixed", "she went to the harbour to share \u201clessons learned\u201d", "she went to the harbour to share "
     "\u201clessons learned\u201d"),
    ("mixed", 'the pier was "unsafe" and "closed"', 'the pier was "unsafe" and "closed"'),
    # indirect: reported words, no quotation marks added
    ("indirect", "the pier would stay closed", "the pier would stay closed"),
    ("indirect", "the row could damage relations", "the row could damage relations"),
])
def test_quotes_are_shown_as_the_text_gives_them(kind, text, shown):
    assert R.quote_display({"kind": kind, "text": text}) == shown


def test_mixed_quote_is_not_wrapped_in_quotation_marks_in_any_format(report):
    story = report["stories"][0]
    q5 = story["quotes"][4]
    assert q5["kind"] == "mixed"
    for fmt in ("text", "md", "html"):
        out = R.render(report, fmt, R.Display(full=True))
        assert "“The Millbrook depot flooded”" not in out
        assert "The Millbrook depot flooded" in out


def test_each_story_opens_with_its_summary(report):
    out = R.render_text(report, console_width=140)
    story = out[out.index("Story 1/2"):]
    head = story[:story.index("CONFLICTS")]
    # the two articles of unknown outlet are two source groups: two outlets, not one
    assert "4 articles from 4 outlets (The Lantern, Quayside Post, 2 unknown)" in head
    assert "4 independent sources" in head
    assert "2025-05-13 Tue to 2025-05-14 Wed (2 undated)" in head
    assert "Top conflicts:" in head and "1. Number of stranded trams — 40 vs more than 60" in head
    # then conflicts, corroborations, who said what, single-source items, and the reference tables last
    order = [story.index(s) for s in ("CONFLICTS (1)", "CORROBORATED (1)", "Who said what", "SINGLE SOURCE (1)",
                                      "Articles", "People", "Timeline")]
    assert order == sorted(order)


def _with_confidences(report: dict) -> dict:
    flood = report["stories"][0]
    text_a, text_b = flood["articles"][0]["text"], flood["articles"][1]["text"]
    flood["findings"].append({"id": "f4", "kind": "conflict", "about": "When the pumps failed", "detail": "A weak one.",
                              "confidence": 0.2, "signals": ["date_differs"],
                              "evidence": [_evidence("a1", text_a, "midnight"), _evidence("a2", text_b, "midnight")]})
    flood["findings"][2]["confidence"] = 0.9
    return report


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_conflicts_under_the_threshold_are_counted_not_listed(report, fmt):
    report = _with_confidences(report)
    if fmt == "text":  # wide enough that no count is wrapped
        default = R.render_text(report, console_width=200, display=R.Display(min_confidence=0.5))
    else:
        default = R.render(report, fmt, R.Display(min_confidence=0.5))
    assert "Number of stranded trams" in default
    assert "1 conflict below confidence 0.5 not listed" in default
    everything = R.render(report, fmt, R.Display(min_confidence=0.5, full=True))
    assert "When the pumps failed" in everything and "not listed" not in everything
    if fmt == "text":
        assert "When the pumps failed" not in default
    else:  # folded away under <details>, not listed open
        assert default.index("When the pumps failed") > default.index("more below confidence 0.5")


def test_single_source_items_are_grouped_by_outlet_and_folded_in_html(report):
    page = R.render_html(report)
    single = page[page.index("Single source (1)"):]
    assert single.index('<details class="group"><summary>unknown (003_cd59…) (1)</summary>') < \
        single.index("Repair fund of")


def test_single_source_items_about_the_main_actors_come_first():
    arts = [{"id": "a", "outlet": "Wire", "source_group": "g", "text": "Ada Quist spoke. Tram fares rose."}]
    finding = {"kind": "single_source", "detail": "", "evidence": []}
    story = R._Story.build({
        "articles": arts,
        "entities": [{"id": "e1", "name": "Ada Quist", "type": "PERSON", "aliases": [], "article_ids": ["a"]}],
        "quotes": [{"article_id": "a", "speaker_entity_id": "e1", "text": "x"}],
        "findings": [{**finding, "id": "f1", "about": "Tram fares rose"},
                     {**finding, "id": "f2", "about": "Ada Quist spoke"}],
    })
    assert [f["id"] for f in story.single_source_groups()[0][1]] == ["f2", "f1"]


def test_a_report_of_several_stories_states_their_order(report):
    out = R.render_text(report, display=R.Display(order="most conflicts first, then most articles"))
    assert out.startswith("2 stories, most conflicts first, then most articles:")
    assert "1. Millbrook tram depot flood (4 articles, 1 conflict)" in out


# --------------------------------------------------------------------------- filters and order


def test_filters_keep_what_is_asked(report):
    from storyline.filters import ReportFilter, filter_report

    report = _with_confidences(report)
    kinds = filter_report(report, ReportFilter(kinds=frozenset({"conflict"})))
    assert [s["id"] for s in kinds["stories"]] == ["story-flood"]  # the bakery has no conflict
    assert {f["id"] for f in kinds["stories"][0]["findings"]} == {"f3", "f4"}
    confident = filter_report(report, ReportFilter(min_confidence=0.5))
    assert "f4" not in {f["id"] for f in confident["stories"][0]["findings"]}
    two = filter_report(report, ReportFilter(min_sources=2))
    assert {f["id"] for f in two["stories"][0]["findings"]} == {"f2", "f3", "f4"}
    lantern = filter_report(report, ReportFilter(outlets=("lantern",)))
    story = lantern["stories"][0]
    assert {q["article_id"] for q in story["quotes"]} == {"a1"}
    assert "f1" not in {f["id"] for f in story["findings"]}  # cited only by an unknown outlet
    assert len(story["articles"]) == 4  # articles stay, so evidence can be shown in context
    quist = filter_report(report, ReportFilter(speakers=("ms quist",)))  # an alias of Ada Quist
    assert {q["id"] for q in quist["stories"][0]["quotes"]} == {"q1", "q2"}
    assert "f2" in {f["id"] for f in quist["stories"][0]["findings"]}  # it cites her quotes
    assert filter_report(report, ReportFilter(speakers=("nobody",)))["stories"] == []
    assert filter_report(report, ReportFilter()) == report


def test_parse_kinds_names_the_valid_ones():
    from storyline.filters import parse_kinds

    assert parse_kinds("conflict, single-source") == {"conflict", "single_source"}
    assert parse_kinds("conflicts,corroborated") == {"conflict", "corroborated"}
    with pytest.raises(ValueError, match="'rumour' is not a kind of finding; choose from conflict, corroborated"):
        parse_kinds("rumour")


@pytest.mark.parametrize(("by", "first"), [("conflicts", "b"), ("size", "a"), ("date", "c")])
def test_stories_are_ordered_by_the_stated_rule(by, first):
    from storyline.filters import sort_stories

    def story(sid: str, n: int, conflicts: int, published: str) -> dict:
        return {"id": sid, "title": sid, "articles": [{"id": f"{sid}{i}", "published": published} for i in range(n)],
                "findings": [{"kind": "conflict", "confidence": 0.9}] * conflicts}

    report = {"stories": [story("a", 5, 0, "2024-01-01"), story("b", 2, 2, "2024-01-02"),
                          story("c", 1, 0, "2024-02-01"), story("d", 1, 0, None)]}
    ordered = [s["id"] for s in sort_stories(report, by)["stories"]]
    assert ordered[0] == first
    if by == "date":
        assert ordered[-1] == "d"  # undated last
    with pytest.raises(ValueError, match="not a story order"):
        sort_stories(report, "alphabet")


# --------------------------------------------------------------------------- tables


def test_tidy_tables_one_row_per_observation(report):
    import csv

    from storyline.export import COLUMNS, rows, write_table

    findings = list(rows(report, "findings"))
    assert len(findings) == 5  # one row per evidence slice: 2 + 2 + 1
    corroborated = [r for r in findings if r["kind"] == "corroborated"]
    assert {r["speaker"] for r in corroborated} == {"Ada Quist"}  # the evidence cites her quotes
    assert {r["cue"] for r in corroborated} == {"said", "told reporters"}
    quotes = list(rows(report, "quotes"))
    texts = {a["id"]: a["text"] for a in report["stories"][0]["articles"]}
    for q in quotes:
        assert texts[q["article"]][q["start"]:q["end"]] == q["text"]
    tsv = write_table(report, "quotes", "tsv").splitlines()
    assert tsv[0].split("\t") == list(COLUMNS["quotes"])
    parsed = list(csv.DictReader(write_table(report, "claims", "csv").splitlines()))
    assert [c["value"] for c in parsed] == ["40", ">60"]
    with pytest.raises(ValueError, match="not a table"):
        list(rows(report, "events"))


@pytest.mark.parametrize(("detail", "reason"), [
    ("40 vs more than 60. Outlets disagree.", "40 vs more than 60."),
    ("Said by Ann Lee; Paul D. Ryan in 1 article. Check both.", "Said by Ann Lee; Paul D. Ryan in 1 article."),
    ("Mr. Ryan said so on Tuesday. Fox says Wednesday.", "Mr. Ryan said so on Tuesday."),
    ("One sentence only", "One sentence only"),
    ("Figures differ: 3.5 million vs 4 million. Rounded?", "Figures differ: 3.5 million vs 4 million."),
])
def test_why_is_the_details_first_sentence(detail, reason):
    assert R.why({"detail": detail}) == reason


def test_why_falls_back_to_signals():
    assert R.why({"detail": "", "signals": ["same_speaker", "date_differs"]}) == "same_speaker, date_differs"


def test_the_json_report_written_piece_by_piece_is_render_json(report, tmp_path, capsys):  # type: ignore[no-untyped-def]
    from storyline.output import ReportRequest, write_report

    data = copy.deepcopy(report)
    data["stories"][0]["title"] = "Ein “Pier” für Ålesund \u00e9"  # text beyond ASCII stays as written
    out = tmp_path / "report.json"
    assert write_report(data, ReportRequest("json", out), None) == [out]
    assert out.read_text(encoding="utf-8") == R.render_json(data) + "\n"
    assert not list(tmp_path.glob(".*.tmp"))
    assert write_report(data, ReportRequest("json", None), None) == []
    assert capsys.readouterr().out == R.render_json(data) + "\n"
