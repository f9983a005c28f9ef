"""Worst-case inputs for regex backtracking and quadratic loops, timed through handle() at growing sizes.

Each family (one Arabic word repeated, digit runs, commas, a long list of places, dense event sentences,
real articles glued together) is timed at sizes up to the largest message a worker accepts
(RASAD_MAX_REPORT_BYTES, 1 MB). The growth exponent between sizes says whether time is linear (≈1) or
worse; a size whose predicted time exceeds the per-input limit is skipped and its prediction reported.
Run as a child per family (`python -m bench.adversarial FAMILY`) so a runaway input can be killed.
"""

from __future__ import annotations

import math
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import orjson

from workers.handling import handle
from workers.io import read_lines
from workers.settings import Settings

from .archive import DEFAULT_ARCHIVE, REPO
from .extraction import warm_up

# Growth exponent above which an input family is reported as superlinear.
SUPERLINEAR = 1.25
MIN_TIMED = 0.01
DEFAULT_SIZES = (16_000, 64_000, 256_000, 0)  # message bytes; 0 = the worker's cap (max_report_bytes)
_TOWNS = ("دوما", "حرستا", "كفرنبل", "سراقب", "معرة النعمان", "جسر الشغور", "أريحا", "تلبيسة", "الرستن", "داريا")


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: unit * max(1, n // len(unit.encode()))


def _towns_list(n: int) -> str:
    towns = "، ".join(_TOWNS[i % len(_TOWNS)] for i in range(n // 12))
    return f"قتل 5 مدنيين في قصف على بلدات {towns}."


def _dense_events(n: int) -> str:
    sentence = "استشهد 3 مدنيين جراء قصف الطائرات الحربية على مدينة {} في ريف دمشق. "
    out: list[str] = []
    size = 0
    while size < n:
        out.append(sentence.format(_TOWNS[len(out) % len(_TOWNS)]))
        size += len(out[-1].encode())
    return "".join(out)


def _articles(archive: Path) -> Callable[[int], str]:
    def build(n: int) -> str:
        out: list[str] = []
        size = 0
        for _, raw in read_lines(archive):
            try:
                text = orjson.loads(raw).get("text")
            except (orjson.JSONDecodeError, AttributeError):
                continue
            if isinstance(text, str):
                out.append(text)
                size += len(text.encode())
            if size >= n:
                break
        # Cut to n bytes (at a character boundary) so the message can be sized exactly.
        return "\n\n".join(out).encode()[:n].decode("utf-8", "ignore")

    return build


FAMILIES: dict[str, tuple[str, Callable[[Path], Callable[[int], str]]]] = {
    "one_word": ("«اشتباكات» (a trigger word) repeated", lambda _: _repeat("اشتباكات ")),
    "one_letter": ("one Arabic letter, no spaces (one huge token)", lambda _: _repeat("ب")),
    "digits": ("a run of digits after «قتل»", lambda _: lambda n: "قتل " + "7" * max(1, n - 8)),
    "arabic_digits": ("Arabic-Indic digits separated by spaces", lambda _: _repeat("٣ ")),
    # With a deed in the text, so every clause goes through the candidate stages (a text without one stops early).
    "commas": ("a shelling, then «، » repeated", lambda _: lambda n: "قتل 3 في قصف على حلب" + "، " * max(1, n // 3)),
    "spaces": ("a shelling, then spaces and blank lines", lambda _: lambda n: "قصف على حلب" + " \n\n" * max(1, n // 3)),
    # Each shelling names no side, so each searched back for the last side said to fire: to the report's start.
    "sideless_shellings": (
        "shellings with no side named, each with a toll split by place",
        lambda _: _repeat("قصف على حلب. قتل 5. وقتل 5 أشخاص، 3 منهم في سراقب، "),
    ),
    # Each quarter named without its city looked at every place of the report for one.
    "town_and_quarter": (
        "a town and a quarter unknown to the gazetteer, sentence after sentence",
        lambda _: _repeat("قصفت الطائرات بلدة سراقب في ريف إدلب وحي الزهور. "),
    ),
    "place_list": ("one coordinated list of towns after a killing", lambda _: _towns_list),
    "dense_events": ("one killing sentence after another, towns rotating", lambda _: _dense_events),
    "articles": ("real archive articles glued together", _articles),
}


def message(text: str) -> bytes:
    return orjson.dumps(
        {"id": "adversarial", "source": "bench", "published_at": "2015-07-22T10:00:00+03:00", "text": text}
    )


def sized_message(build: Callable[[int], str], target: int) -> bytes:
    """A message of at most `target` bytes (the text shrunk until the JSON fits)."""
    text_target = target - 120
    raw = message(build(text_target))
    while len(raw) > target and text_target > 0:
        text_target -= max(1, len(raw) - target)
        raw = message(build(text_target))
    return raw


def run_family(name: str, sizes: tuple[int, ...], limit: float, archive: Path) -> list[dict[str, Any]]:
    """Time one family at each size, printing one JSON line per size as it goes (the parent may kill us)."""
    max_bytes = Settings.from_env({}).max_report_bytes
    warm_up(max_bytes)
    build = FAMILIES[name][1](archive)
    results: list[dict[str, Any]] = []
    exponent = 1.0
    for size in sorted(s or max_bytes for s in sizes):
        raw = sized_message(build, min(size, max_bytes))
        row: dict[str, Any] = {"family": name, "bytes": len(raw)}
        if results and not results[-1].get("seconds"):
            row["skipped"] = "a smaller size was skipped or failed"
        elif results:
            prev = results[-1]
            predicted = prev["seconds"] * (len(raw) / prev["bytes"]) ** max(exponent, 1.0)
            if predicted > limit:
                row |= {
                    "skipped": f"predicted {predicted:.0f} s > limit {limit:.0f} s",
                    "predicted_s": round(predicted, 1),
                }
        if "skipped" not in row:
            started = time.perf_counter()
            outcome = handle(raw, max_bytes)
            row |= {
                "seconds": round(time.perf_counter() - started, 4),
                "outcome": outcome.kind,
                "events": len(outcome.events),
                "reason": outcome.dead_letter.reason if outcome.dead_letter else None,
            }
            # Below ~10 ms a timing is mostly noise: no exponent from it.
            if results and (results[-1].get("seconds") or 0) >= MIN_TIMED and row["seconds"] >= MIN_TIMED:
                prev = results[-1]
                exponent = math.log(max(row["seconds"], 1e-6) / max(prev["seconds"], 1e-6)) / math.log(
                    row["bytes"] / prev["bytes"]
                )
                row["exponent"] = round(exponent, 2)
            row["us_per_byte"] = round(row["seconds"] / row["bytes"] * 1e6, 3)
        results.append(row)
        sys.stdout.buffer.write(orjson.dumps(row) + b"\n")
        sys.stdout.flush()
    return results


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per family: the growth exponent from the smallest to the largest size timed (a pair of neighbouring
    sizes can mislead when their content differs, as real articles do), the worst neighbouring pair, and
    whether the family is superlinear: an overall exponent above SUPERLINEAR, or a size killed for taking too
    long. A size skipped because even linear growth from the last one would pass the limit is
    reported as skipped (slow, not superlinear) when no exponent says otherwise."""
    out: dict[str, Any] = {}
    for name, (description, _) in FAMILIES.items():
        mine = [r for r in rows if r["family"] == name]
        if not mine:
            continue
        timed = [r for r in mine if r.get("seconds") is not None and r["seconds"] >= MIN_TIMED]
        overall = None
        if len(timed) >= 2 and timed[-1]["bytes"] > timed[0]["bytes"]:
            overall = round(
                math.log(timed[-1]["seconds"] / timed[0]["seconds"]) / math.log(timed[-1]["bytes"] / timed[0]["bytes"]),
                2,
            )
        killed = any(r.get("timed_out") for r in mine)
        worst = max((r["exponent"] for r in mine if "exponent" in r), default=None)
        out[name] = {
            "description": description,
            "sizes": mine,
            "largest_timed_bytes": max((r["bytes"] for r in mine if r.get("seconds") is not None), default=None),
            "largest_timed_seconds": max((r["seconds"] for r in mine if r.get("seconds") is not None), default=None),
            "overall_exponent": overall,
            "worst_exponent": worst,
            "skipped": any("predicted" in str(r.get("skipped", "")) for r in mine),
            "superlinear": killed or (overall is not None and overall > SUPERLINEAR),
        }
    return out


@click.command(help=__doc__)
@click.argument("family", type=click.Choice(sorted(FAMILIES)))
@click.option(
    "--sizes", default=",".join(map(str, DEFAULT_SIZES)), show_default=True, help="Message bytes; 0 = the cap."
)
@click.option("--limit", type=float, default=20.0, show_default=True, help="Skip a size predicted to take longer (s).")
@click.option("--archive", type=click.Path(path_type=Path), default=DEFAULT_ARCHIVE)
def main(family: str, sizes: str, limit: float, archive: Path) -> None:
    run_family(family, tuple(int(s) for s in sizes.split(",") if s.strip()), limit, archive)


def run_all(
    families: list[str], sizes: tuple[int, ...], limit: float, archive: Path, startup: float = 30.0
) -> dict[str, Any]:
    """Each family in its own child; a child still running past its deadline is killed and the size it was on
    reported as timed out."""
    rows: list[dict[str, Any]] = []
    for name in families:
        args = ["--sizes", ",".join(map(str, sizes)), "--limit", str(limit), "--archive", str(archive)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.adversarial", name, *args], cwd=REPO, stdout=subprocess.PIPE
        )
        mine: list[dict[str, Any]] = []
        try:
            out, _ = proc.communicate(timeout=startup + limit * (len(sizes) + 1))
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            mine = [orjson.loads(line) for line in out.splitlines() if line.strip()]
            mine.append({"family": name, "timed_out": True, "skipped": "killed: ran past the per-family deadline"})
        else:
            mine = [orjson.loads(line) for line in out.splitlines() if line.strip()]
            if proc.returncode != 0:
                mine.append({"family": name, "skipped": f"child exited with code {proc.returncode}"})
        rows += mine
    return summarise(rows)


if __name__ == "__main__":
    main()
