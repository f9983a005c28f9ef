"""Score extracted events against hand-made gold, ACLED-style (the rules of the project's eval scorer).

Events are matched per report on event_type + admin1_pcode, then paired greedily by agreement
(sub-event type, place, actors, toll). Prints precision/recall/F1 and per-field accuracies.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")


def norm_ar(s: str | None) -> str:
    s = _DIACRITICS.sub("", s or "")
    s = re.sub("[إأآٱ]", "ا", s).replace("ة", "ه").replace("ى", "ي")
    s = re.sub(r"\b(ال)", "", s)
    return re.sub(r"\s+", " ", s).strip()


def _code(actor: Any) -> str | None:
    return actor.get("code") if isinstance(actor, dict) else actor


def _actors(ev: dict[str, Any]) -> set[str]:
    return {c for c in (_code(ev.get("actor1")), _code(ev.get("actor2"))) if c}


def _place_match(g: dict[str, Any], p: dict[str, Any]) -> bool:
    gl, pl = norm_ar(g.get("location_ar")), norm_ar(p.get("location_ar"))
    return bool(gl and pl and (gl in pl or pl in gl))


def _pair_score(g: dict[str, Any], p: dict[str, Any]) -> float | None:
    if g["event_type"] != p.get("event_type") or g.get("admin1_pcode") != p.get("admin1_pcode"):
        return None
    return (
        1.0
        + (g["sub_event_type"] == p.get("sub_event_type"))
        + _place_match(g, p)
        + 0.5 * len(_actors(g) & _actors(p))
        + 0.5 * (g.get("fatalities") is not None and g.get("fatalities") == p.get("fatalities"))
    )


def match(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    pairs = [(s, i, j) for i, g in enumerate(gold) for j, p in enumerate(pred) if (s := _pair_score(g, p)) is not None]
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((gold[i], pred[j]))
    return out


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: dict[str, list[dict[str, Any]]], predicted: Iterable[dict[str, Any]]) -> dict[str, Any]:
    pred: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in predicted:
        if e.get("report_id") in gold:
            pred[e["report_id"]].append(e)
    n_gold = sum(len(v) for v in gold.values())
    n_pred = sum(len(v) for v in pred.values())
    matched: list[tuple[dict[str, Any], dict[str, Any]]] = []
    quiet_ok = quiet_n = 0
    for rid, events in gold.items():
        matched += match(events, pred.get(rid, []))
        if not events:
            quiet_n += 1
            quiet_ok += not pred.get(rid)
    precision = len(matched) / n_pred if n_pred else 0.0
    recall = len(matched) / n_gold if n_gold else 0.0

    def rate(pairs: list[Any], ok: Any) -> float | None:
        return round(sum(bool(ok(g, p)) for g, p in pairs) / len(pairs), 3) if pairs else None

    actor_f1 = []
    for g, p in matched:
        ga, pa = _actors(g), _actors(p)
        inter = len(ga & pa)
        actor_f1.append(_f1(inter / len(pa) if pa else 0.0, inter / len(ga) if ga else 0.0) if ga or pa else 1.0)
    return {
        "reports": len(gold),
        "gold_events": n_gold,
        "predicted_events": n_pred,
        "matched": len(matched),
        "event_precision": round(precision, 3),
        "event_recall": round(recall, 3),
        "event_f1": round(_f1(precision, recall), 3),
        "sub_event_type_acc": rate(matched, lambda g, p: g["sub_event_type"] == p.get("sub_event_type")),
        "actor_f1": round(sum(actor_f1) / len(actor_f1), 3) if actor_f1 else None,
        "fatalities_exact": rate(
            [(g, p) for g, p in matched if g.get("fatalities") is not None],
            lambda g, p: g["fatalities"] == p.get("fatalities"),
        ),
        "event_date_exact": rate(
            [(g, p) for g, p in matched if g.get("event_date")],
            lambda g, p: g["event_date"] == p.get("event_date"),
        ),
        "location_match": rate(matched, _place_match),
        "quiet_reports_correct": f"{quiet_ok}/{quiet_n}",
    }


def evaluate_reports(reports: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Run the extractor on gold reports (dev.jsonl's shape: the report's fields and `gold`, or `events`) and
    score its events against theirs."""
    from .intake import report_from_dict
    from .pipeline.run import extract

    gold: dict[str, list[dict[str, Any]]] = {}
    predicted: list[dict[str, Any]] = []
    for r in reports:
        gold[r["id"]] = r["gold"] if "gold" in r else r["events"]
        predicted += [e.to_dict() for e in extract(report_from_dict(r))]
    return score(gold, predicted)


# ---------------------------------------------------------------- held-out set

HOLDOUT_GOLD = "tests/data/holdout_gold.jsonl"
_LEADING_ID = re.compile(r'\{"id": "([^"]+)"')


class HoldoutTextMissing(LookupError):
    """The archive a held-out record points to is not there, or its passage is not the one coded."""


def load_holdout(gold_path: str | Path, data_dir: str | Path) -> list[dict[str, Any]]:
    """Rebuild the held-out reports (dev.jsonl's shape) from ids + gold and the archive in `data_dir`.

    The gold file carries no article text (the SaudiNewsNet articles remain the newspapers' copyright): each
    record names its archive, the article id and the character span of the coded passage, with a SHA-1 of the
    passage so that a different copy of the archive is noticed instead of silently scored.
    """
    records = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in records:
        wanted[r["archive"]][r["id"]] = {}
    for archive, ids in wanted.items():
        path = Path(data_dir) / archive
        if not path.exists():
            raise HoldoutTextMissing(f"{path} not found")
        opener = gzip.open if archive.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                # Cheap prefilter: parse only lines whose leading id is wanted (or that do not lead with one).
                head = _LEADING_ID.match(line)
                if head is None or head.group(1) in ids:
                    article = json.loads(line) if line.strip() else {}
                    if article.get("id") in ids:
                        ids[article["id"]] = article
    out = []
    for r in records:
        article = wanted[r["archive"]][r["id"]]
        if not article:
            raise HoldoutTextMissing(f"{r['id']} not in {r['archive']}")
        start, end = r["span"]
        text = article["text"][start:end]
        if hashlib.sha1(text.encode("utf-8")).hexdigest() != r["text_sha1"]:
            raise HoldoutTextMissing(f"{r['id']}: the passage differs from the one coded")
        out.append(
            {
                "id": r["id"],
                "source": article["source"],
                "url": article.get("url"),
                "published_at": article["published_at"],
                "language": article.get("language") or "ar",
                "title": article.get("title"),
                "text": text,
                "gold": r["gold"],
                "gold_comment": r.get("gold_comment"),
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m workers.evaluate [GOLD | --gold GOLD] [--data DIR] [--write OUT]`: score a held-out set (default
    tests/data/holdout_gold.jsonl), or write it out
    with texts (dev.jsonl's shape) for `rasad eval OUT`."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m workers.evaluate")
    ap.add_argument("gold", nargs="?", default=HOLDOUT_GOLD)
    ap.add_argument("--gold", dest="gold_file", help="gold file to score, same as GOLD (e.g. the second held-out set)")
    ap.add_argument("--data", default="../shared/data", help="directory holding the archive(s)")
    ap.add_argument("--write", help="write the reports with texts and gold to this JSONL file and stop")
    args = ap.parse_args(argv)
    reports = load_holdout(args.gold_file or args.gold, args.data)
    if args.write:
        with open(args.write, "w", encoding="utf-8") as fh:
            for r in reports:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        return 0
    for key, value in evaluate_reports(reports).items():
        print(f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
