"""The second blind held-out set (tests/data/holdout2_gold.jsonl): 17 SaudiNewsNet passages (15 with events, 2 quiet),
coded and committed before the extractor was ever run on them. It is for MEASURING: do not write rules from its errors,
and do not raise the floor below to the measured figures (that would turn it into a tuning set like the first one).
Texts are read from ../shared/data at run time (the articles are not ours to ship)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import SHARED_EVAL
from workers.evaluate import evaluate_reports, load_holdout

from .test_holdout import check_gold_event

GOLD = Path(__file__).resolve().parents[1] / "data" / "holdout2_gold.jsonl"
FIRST = Path(__file__).resolve().parents[1] / "data" / "holdout_gold.jsonl"
DATA = SHARED_EVAL.parent / "data"
ARCHIVE = DATA / "saudinewsnet-2015-07.jsonl.gz"


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_holdout2_gold_follows_the_conventions():
    records = _records(GOLD)
    assert len(records) >= 15 and len({r["id"] for r in records}) == len(records)
    assert not {r["id"] for r in records} & {r["id"] for r in _records(FIRST)}, "an article of the first held-out set"
    assert sum(not r["gold"] for r in records) >= 2, "a few quiet passages"
    for r in records:
        assert "text" not in r and len(r["span"]) == 2 and r["span"][0] < r["span"][1] and len(r["text_sha1"]) == 40
        for g in r["gold"]:
            check_gold_event(g)
            assert g["evidence"] and len(g["evidence"].split()) <= 20


@pytest.mark.skipif(not ARCHIVE.exists(), reason="../shared/data is not beside the repo")
def test_holdout2_passages_rebuild_and_figures(capsys):
    reports = load_holdout(GOLD, DATA)  # raises HoldoutTextMissing if a passage's SHA-1 differs
    for r in reports:
        assert hashlib.sha1(r["text"].encode("utf-8")).hexdigest() in {x["text_sha1"] for x in _records(GOLD)}
        for g in r["gold"]:
            assert g["evidence"] in r["text"]
    dev_lines = (SHARED_EVAL / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    dev_texts = [json.loads(line)["text"] for line in dev_lines if line.strip()]
    assert not any(r["text"][:200] in t or t[:200] in r["text"] for r in reports for t in dev_texts)
    figures = evaluate_reports(reports)
    with capsys.disabled():
        print("\nheld-out 2:", json.dumps(figures))
    # A sanity floor only: this set measures, it does not tune.
    assert figures["event_f1"] >= 0.5
