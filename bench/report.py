"""Turn the phases' figures into ratios, target verdicts, a printed table and the JSON files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .figures import rate, ratio

# The targets (issue 7), on this 2-core machine.
TARGET_EXTRACTION_RATE = 500.0
TARGET_PEAK_RSS_MB = 400.0
TARGET_E2E_SHARE = 0.75
TARGET_P99_MS = 250.0


def same_messages(extraction: dict[str, Any], lines: set[int]) -> dict[str, Any]:
    """Extraction-only figures for exactly the archive lines an end-to-end run used."""
    rows = [r for r in extraction.get("per_report", []) if r[0] in lines]
    wall = sum(r[1] for r in rows)
    cpu = sum(r[2] for r in rows)
    return {
        "reports": len(rows),
        "reports_per_s": rate(len(rows), wall),
        "cpu_ms_per_report": round(cpu / len(rows) * 1000, 3) if rows else None,
    }


def ratios(results: dict[str, Any]) -> dict[str, Any]:
    ext = results.get("extraction") or {}
    broker = results.get("broker") or {}
    one = broker.get("e2e_1_worker") or {}
    two = broker.get("e2e_2_workers") or {}
    same = broker.get("extraction_same_messages") or {}
    same_run = broker.get("extraction_same_run") or {}
    plain = broker.get("aiokafka_passthrough") or {}
    bare = broker.get("faust_passthrough") or {}
    out = {
        "e2e_over_aiokafka_passthrough": ratio(one.get("reports_per_s"), plain.get("reports_per_s")),
        "e2e_over_faust_passthrough": ratio(one.get("reports_per_s"), bare.get("reports_per_s")),
        "e2e_over_extraction_only": ratio(one.get("reports_per_s"), same.get("reports_per_s")),
        "e2e_over_extraction_only_whole_archive": ratio(one.get("reports_per_s"), ext.get("reports_per_s")),
        # The same messages through handle() alone, measured in the broker phase right after the worker's run.
        "e2e_over_extraction_only_same_run": ratio(one.get("reports_per_s"), same_run.get("reports_per_s")),
        "extraction_cpu_share_same_run": ratio(same_run.get("cpu_ms_per_report"), one.get("worker_cpu_ms_per_report")),
        # CPU per report survives a busy machine: extraction CPU / worker CPU is the share of the worker's
        # work that is extraction, i.e. the best e2e / extraction-only ratio one core could reach.
        "extraction_cpu_share_of_worker_cpu": ratio(same.get("cpu_ms_per_report"), one.get("worker_cpu_ms_per_report")),
        "two_workers_over_one": ratio(two.get("reports_per_s"), one.get("reports_per_s")),
        "faust_passthrough_over_aiokafka_passthrough": ratio(bare.get("reports_per_s"), plain.get("reports_per_s")),
    }
    two_ext = results.get("extraction_2_processes") or {}
    out["extraction_2_processes_over_1"] = ratio(two_ext.get("reports_per_s"), two_ext.get("one_process_reports_per_s"))
    return out


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    ext = results.get("extraction") or {}
    lat = (results.get("broker") or {}).get("latency") or {}
    ratios = results.get("ratios") or {}
    # The extraction phase's figures for the same lines when it ran; else the broker phase's own measurement.
    share = ratios.get("e2e_over_extraction_only") or ratios.get("e2e_over_extraction_only_same_run")
    rows = [
        _target(
            f"extraction ≥ {TARGET_EXTRACTION_RATE:.0f} reports/s on one core (wall clock, one process)",
            ext.get("reports_per_s"),
            lambda v: v >= TARGET_EXTRACTION_RATE,
        ),
        _target(
            f"extraction ≥ {TARGET_EXTRACTION_RATE:.0f} reports per CPU-second (immune to a busy machine)",
            ext.get("reports_per_cpu_s"),
            lambda v: v >= TARGET_EXTRACTION_RATE,
        ),
        _target(
            f"extraction peak RSS ≤ {TARGET_PEAK_RSS_MB:.0f} MB",
            ext.get("peak_rss_mb"),
            lambda v: v <= TARGET_PEAK_RSS_MB,
        ),
        _target(
            f"end to end ≥ {TARGET_E2E_SHARE:.0%} of extraction-only, one worker (same messages)",
            share,
            lambda v: v >= TARGET_E2E_SHARE,
        ),
        _target(
            f"p99 produce→event latency ≤ {TARGET_P99_MS:.0f} ms at half capacity",
            lat.get("p99_ms"),
            lambda v: v <= TARGET_P99_MS,
        ),
    ]
    return rows


def _target(name: str, value: float | None, ok: Any) -> dict[str, Any]:
    return {"target": name, "value": value, "met": None if value is None else bool(ok(value))}


def write(results: dict[str, Any], paths: list[Path]) -> None:
    text = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def table(results: dict[str, Any]) -> str:
    """A plain-text summary for the terminal."""
    lines: list[str] = []
    m = results["machine"]
    lines.append(
        f"machine: {m['nproc']} × {m['cpu_model']}, {m['ram_gib']} GiB, Python {m['python']}; "
        f"load average {results['load_average']['start']} → {results['load_average']['end']}"
    )
    ext = results.get("extraction")
    if ext:
        lines += [
            "",
            f"EXTRACTION ONLY ({ext['reports']} of {ext['archive_reports']} reports, one process)",
            _row("reports/s (wall)", ext["reports_per_s"]),
            _row("reports per CPU-second", ext["reports_per_cpu_s"]),
            _row("MB/s", ext["mb_per_s"]),
            _row("per report p50 / p99 / max ms", f"{ext['p50_ms']} / {ext['p99_ms']} / {ext['max_ms']}"),
            _row("peak RSS MB (after imports)", f"{ext['peak_rss_mb']} ({ext['rss_start_mb']})"),
            _row("outcomes", ", ".join(f"{k} {v}" for k, v in ext["outcomes"].items()) + f"; {ext['events']} events"),
            "  slowest reports:",
        ]
        lines += [
            f"    {s['ms']:>8} ms  {s['chars'] or '-':>7} chars  {s['bytes']:>8} B  {s['outcome']:<11} {s['id']}"
            for s in ext["slowest"]
        ]
    two_ext = results.get("extraction_2_processes")
    if two_ext:
        lines.append(_row("2 processes at once, total reports/s", two_ext.get("reports_per_s")))
    prof = results.get("profile")
    if prof:
        sampled = prof["sampled"]
        lines += ["", f"PROFILE (sampled, {sampled['reports']} reports, {sampled['samples']} samples): stage shares"]
        lines += [f"    {s['share']:>6.1%}  {s['stage']}" for s in sampled["stages"]]
        lines.append("  hottest functions (own time):")
        lines += [f"    {s['share']:>6.1%}  {s['function']}" for s in sampled["by_own_time"][:10]]
    adv = results.get("adversarial")
    if adv:
        lines += ["", "ADVERSARIAL INPUTS (handle() at growing sizes; exponent 1 = linear)"]
        for name, fam in adv.items():
            sizes = "  ".join(
                f"{r['bytes'] / 1000:.0f}kB:{r['seconds']:.3f}s"
                if r.get("seconds") is not None
                else f"{r.get('bytes', 0) / 1000:.0f}kB:skipped"
                for r in fam["sizes"]
            )
            flag = "SUPERLINEAR" if fam["superlinear"] else "slow" if fam.get("skipped") else "linear"
            lines.append(f"  {name:<14} {flag:<11} exponent {fam['overall_exponent']}  {sizes}")
    broker = results.get("broker")
    if broker:
        lines += ["", f"ON THE BROKER ({broker.get('broker')}, {broker.get('reports')} reports)"]
        runs = (
            ("aiokafka_passthrough", "aiokafka passthrough"),
            ("faust_passthrough", "faust passthrough"),
            ("e2e_1_worker", "rasad, 1 worker"),
            ("e2e_2_workers", "rasad, 2 workers / 4 partitions"),
        )
        for key, label in runs:
            run = broker.get(key) or {}
            if "error" in run:
                lines.append(f"  {label:<32} not measured: {run['error'][:200]}")
            elif run:
                lines.append(
                    f"  {label:<32} {run['reports_per_s']:>9} reports/s  {run['mb_per_s']:>6} MB/s  CPU ms/report: "
                    f"worker {run['worker_cpu_ms_per_report']}, broker {run.get('broker_cpu_ms_per_report')}; "
                    f"worker busy {run['worker_cpu_utilisation']:.0%}, idle {run.get('idle_worker_cpu_share')}"
                )
        spy = (broker.get("e2e_1_worker") or {}).get("worker_profile") or {}
        if spy.get("categories"):
            lines.append(
                f"  where one worker's busy time goes (py-spy, {spy['samples']} samples, "
                f"{spy['idle_share']:.0%} of them idle in select()):"
            )
            lines += [f"    {c['share']:>6.1%}  {c['category']}" for c in spy["categories"]]
        elif spy.get("skipped"):
            lines.append(f"  worker profile skipped: {spy['skipped']}")
        same = broker.get("extraction_same_messages") or {}
        if same:
            lines.append(
                f"  {'extraction only, same messages':<32} {same['reports_per_s']:>9} reports/s  "
                f"CPU {same['cpu_ms_per_report']} ms/report"
            )
        same_run = broker.get("extraction_same_run") or {}
        if same_run.get("reports_per_s"):
            lines.append(
                f"  {'extraction only, same run':<32} {same_run['reports_per_s']:>9} reports/s  "
                f"CPU {same_run['cpu_ms_per_report']} ms/report (load average {same_run['load_average']})"
            )
        for key, label in (("latency", "rasad, 1 worker"), *runs[:2]):
            lat = broker.get(key) or {}
            lat = lat.get("latency", {}) if key != "latency" else lat
            if "error" in lat:
                lines.append(f"  latency, {label}: not measured: {lat['error'][:200]}")
            elif lat:
                lines.append(
                    f"  latency, {label:<22} at {lat['offered_reports_per_s']} reports/s: p50 {lat['p50_ms']} ms, "
                    f"p99 {lat['p99_ms']} ms, max {lat['max_ms']} ms ({lat['events']} outputs)"
                )
                if lat.get("report_to_extraction_p50_ms") is not None:
                    lines.append(
                        f"    of which report → extraction (first hop): p50 {lat['report_to_extraction_p50_ms']} ms, "
                        f"p99 {lat['report_to_extraction_p99_ms']} ms"
                    )
    lines += ["", "RATIOS"]
    lines += [_row(k, v) for k, v in results.get("ratios", {}).items()]
    lines += ["", "TARGETS"]
    for t in results.get("targets", []):
        verdict = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
        lines.append(f"  {verdict:<13} {t['target']}: {t['value']}")
    lines.append(f"\n{results['duration_s']} s in all")
    return "\n".join(lines)


def _row(label: str, value: Any) -> str:
    return f"  {label:<44} {value}"
