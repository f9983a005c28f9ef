"""The held-out gold set (tests/data/holdout_gold.jsonl): 21 SaudiNewsNet passages coded blind, never used to
write rules. Texts are read from ../shared/data at run time (the articles are not ours to ship)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import SHARED_EVAL
from workers.evaluate import evaluate_reports, load_holdout

GOLD = Path(__file__).resolve().parents[1] / "data" / "holdout_gold.jsonl"
DATA = SHARED_EVAL.parent / "data"
ARCHIVE = DATA / "saudinewsnet-2015-07.jsonl.gz"

EVENT_TYPES = {
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
    "Protests",
    "Riots",
}
ACTORS = {
    "SYRIAN_REGIME",
    "PRO_REGIME_MILITIA",
    "ISLAMIC_STATE",
    "HTS_NUSRA",
    "REBELS",
    "KURDISH_SDF",
    "COALITION",
    "RUSSIA",
    "TURKEY",
    "ISRAEL",
    "OTHER_FOREIGN",
    "CIVILIANS",
    "UNKNOWN",
}


def check_gold_event(g: dict, earliest: str = "2014-01-01", latest: str = "2015-07-31") -> None:
    """A hand-coded event uses the README's codes: event types, actor codes, governorate p-codes, and a date no later
    than the archive's last day (a passage may recall an earlier event with its date: «في 25 آذار»)."""
    assert g["event_type"] in EVENT_TYPES and g["actor1"] in ACTORS and g["actor2"] in ACTORS | {None}
    pcode = g["admin1_pcode"]
    assert pcode is None or (pcode[:2] == "SY" and 1 <= int(pcode[2:]) <= 14)
    # A place abroad has no governorate; a Syrian one may have none when none can be inferred («شمال سوريا»).
    assert g["country"] == "Syria" or g["admin1_pcode"] is None
    assert g["event_date"] is None or earliest <= date.fromisoformat(g["event_date"]).isoformat() <= latest


def test_holdout_gold_follows_the_conventions():
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 20 and len({r["id"] for r in records}) == len(records)
    for r in records:
        assert "text" not in r and len(r["span"]) == 2 and len(r["text_sha1"]) == 40
        for g in r["gold"]:
            check_gold_event(g)


@pytest.mark.skipif(not ARCHIVE.exists(), reason="../shared/data is not beside the repo")
def test_holdout_quality_floor(capsys):
    reports = load_holdout(GOLD, DATA)
    figures = evaluate_reports(reports)
    with capsys.disabled():
        print("\nheld-out:", json.dumps(figures))
    # Held out: a modest floor just below what was measured when the set was last scored (README, "Quality").
    assert figures["event_f1"] >= 0.87 and figures["actor_f1"] >= 0.84 and figures["fatalities_exact"] >= 0.9
    assert figures["sub_event_type_acc"] >= 0.97 and figures["event_date_exact"] >= 0.9
