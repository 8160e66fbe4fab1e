"""Publication dates read from the text on ECB+: the accuracy gate and the scorer."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from storyline.evaluation.pubdates import DatedDoc, evaluate_pubdates, score_dates

ROOT = Path(__file__).resolve().parents[1]
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus"


def test_score_dates_counts() -> None:
    d = date(2031, 5, 2)
    docs = [
        DatedDoc("1_1ecbplus.xml", "ecbplus", d, d, None, ("May 2, 2031",)),
        DatedDoc("1_2ecbplus.xml", "ecbplus", None, d, d, ("02 / 05 / 2031",)),
        DatedDoc("1_3ecbplus.xml", "ecbplus", d, None, date(2031, 5, 3), ("Posted May 2, 2031",)),
        DatedDoc("1_1ecb.xml", "ecb", None, date(1923, 4, 22), None, ()),
    ]
    result = score_dates(docs)
    plus = result["ecbplus"]
    counts = ("documents", "dated_by_storyline", "reader_dated", "agree_with_reader")
    assert [plus[name] for name in counts] == [3, 2, 2, 1]
    assert (plus["reader_dated_left_undated"], plus["dated_where_reader_is_not"]) == (1, 1)
    assert (plus["url_dated"], plus["agree_with_url"], plus["url_dated_left_undated"]) == (2, 0, 1)
    assert [x["name"] for x in plus["disagreements"]] == ["1_2ecbplus.xml", "1_3ecbplus.xml"]
    assert result["ecb"]["dated_by_storyline"] == 0 and result["ecb"]["reader_dated"] == 1


@pytest.mark.skipif(not ECBPLUS.is_dir(), reason="ECB+ is not in ../shared/data/ecbplus")
def test_ecbplus_gate() -> None:
    floors = json.loads((ROOT / "eval_baseline.json").read_text())["pubdates"]
    result = evaluate_pubdates(ECBPLUS)
    plus, ecb = result["ecbplus"], result["ecb"]
    assert plus["agree_with_reader"] / plus["reader_dated"] >= floors["ecbplus_agree_with_reader"]
    assert plus["dated_by_storyline"] / plus["documents"] >= floors["ecbplus_dated"]
    # no date is invented for the ECB half, which carries no date lines
    assert ecb["dated_by_storyline"] <= floors["ecb_dated_max"]
