"""The blind held-out sets, coded before the extractor was ever run on their passages (README, "Quality"):
- tests/data/holdout2_gold.jsonl: 17 SaudiNewsNet passages (15 with events, 2 quiet), 47 events;
- tests/data/holdout3_gold.jsonl: 32 passages (28 with events, 4 quiet), 84 events, coded by two annotators
  (21–25 and 26–31 July) and first scored at commit 043c689;
- tests/data/holdout4_gold.jsonl: 14 passages (12 with events, 2 quiet), 49 events, first scored at db43662;
- tests/data/holdout5_gold.jsonl: 18 passages (14 with events, 4 quiet), 37 events, coded by two annotators
  (21–24 and 25–31 July), committed at ef8e89c and first scored at 00e4345;
- tests/data/holdout6_gold.jsonl: 17 passages (13 with events, 4 quiet), 34 events, coded by two annotators
  (21–25 and 26–31 July), committed at 61426d1 and first scored there (code of f0397b3).
Their first scores are the honest estimate of unseen performance; the floors below are sanity floors only.
Texts are read from ../shared/data at run time (the articles are not ours to ship)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import SHARED_EVAL
from workers.evaluate import evaluate_reports, load_holdout

from .test_holdout import check_gold_event

HERE = Path(__file__).resolve().parents[1] / "data"
FIRST = HERE / "holdout_gold.jsonl"
BLIND_SETS = {
    "holdout2": (HERE / "holdout2_gold.jsonl", 15),
    "holdout3": (HERE / "holdout3_gold.jsonl", 30),
    "holdout4": (HERE / "holdout4_gold.jsonl", 14),
    "holdout5": (HERE / "holdout5_gold.jsonl", 18),
    "holdout6": (HERE / "holdout6_gold.jsonl", 17),
}
DATA = SHARED_EVAL.parent / "data"
ARCHIVE = DATA / "saudinewsnet-2015-07.jsonl.gz"


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", BLIND_SETS)
def test_blind_gold_follows_the_conventions(name):
    path, passages = BLIND_SETS[name]
    records = _records(path)
    assert len(records) >= passages and len({r["id"] for r in records}) == len(records)
    earlier = [p for p, _ in BLIND_SETS.values() if p != path] + [FIRST]
    assert not {r["id"] for r in records} & {r["id"] for p in earlier for r in _records(p)}, "an article of another set"
    assert sum(not r["gold"] for r in records) >= 2, "a few quiet passages"
    for r in records:
        assert "text" not in r and len(r["span"]) == 2 and r["span"][0] < r["span"][1] and len(r["text_sha1"]) == 40
        for g in r["gold"]:
            check_gold_event(g)
            assert g["evidence"] and len(g["evidence"].split()) <= 20


@pytest.mark.skipif(not ARCHIVE.exists(), reason="../shared/data is not beside the repo")
@pytest.mark.parametrize("name", BLIND_SETS)
def test_blind_passages_rebuild_and_figures(name, capsys):
    path, _ = BLIND_SETS[name]
    reports = load_holdout(path, DATA)  # raises HoldoutTextMissing if a passage's SHA-1 differs
    for r in reports:
        assert hashlib.sha1(r["text"].encode("utf-8")).hexdigest() in {x["text_sha1"] for x in _records(path)}
        for g in r["gold"]:
            assert g["evidence"] in r["text"]
    dev_lines = (SHARED_EVAL / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    dev_texts = [json.loads(line)["text"] for line in dev_lines if line.strip()]
    assert not any(r["text"][:200] in t or t[:200] in r["text"] for r in reports for t in dev_texts)
    figures = evaluate_reports(reports)
    with capsys.disabled():
        print(f"\n{name}:", json.dumps(figures))
    # A sanity floor only: these sets measure, they do not tune.
    assert figures["event_f1"] >= 0.5


WEB_SETS = sorted((HERE / "web").glob("set*_gold.jsonl"))


@pytest.mark.parametrize("path", WEB_SETS, ids=lambda p: p.stem)
def test_web_gold_follows_the_conventions_and_holds_no_text(path):
    records = _records(path)
    assert len(records) == 20 and len({r["id"] for r in records}) == 20
    others = [p for p in WEB_SETS if p != path]
    assert not {r["url"] for r in records} & {r["url"] for p in others for r in _records(p)}, "a page of another set"
    for r in records:
        assert "text" not in r and len(r["text_sha1"]) == 40 and r["text_chars"] > 0
        assert r["url"].startswith("http")
        for g in r["gold"]:
            # Pages of 2012–2023: an event is no later than its page (it may recall an earlier one).
            check_gold_event(g, earliest="2011-03-01", latest=r["published_at"][:10])
