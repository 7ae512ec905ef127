"""Figures from the server's access log and the load generator, the table, results.json."""

from __future__ import annotations

import json
import math
import os
import platform
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def server_times(access_log: str) -> dict[int | str, list[float]]:
    """Measured (not warm-up) request times in ms, by page index ("mix" for the mixed scenario)."""
    times: dict[int | str, list[float]] = defaultdict(list)
    with open(access_log, errors="replace") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) != 3 or not parts[0].endswith(":m"):
                continue
            key = parts[0][:-2]
            try:
                times["mix" if key == "mix" else int(key)].append(int(parts[2]) / 1000.0)
            except ValueError:
                continue
    return times


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    rank = max(1, math.ceil(p * len(sorted_values)))
    return sorted_values[rank - 1]


def page_figures(page: dict, load: dict | None, times: list[float]) -> dict:
    row = {k: page.get(k, "") for k in ("name", "path", "role")}
    if load is None or not times:
        row.update(
            p50_ms=None,
            p95_ms=None,
            p99_ms=None,
            rps=None,
            errors=(load or {}).get("failures") if load else None,
            x_floor=None,
        )
        return row
    values = sorted(times)
    row.update(
        p50_ms=round(percentile(values, 0.50), 1),
        p95_ms=round(percentile(values, 0.95), 1),
        p99_ms=round(percentile(values, 0.99), 1),
        rps=round(load["requests"] / load["elapsed"], 1) if load["elapsed"] else None,
        errors=load["failures"],
        x_floor=None,
    )
    return row


def machine(database: str = "", load: float | None = None) -> str:
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0] if load is None else load
    return (
        f"{os.cpu_count()} cores ({cpu}), {ram:.0f} GiB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}{', ' + database if database else ''}; "
        f"load average {load:.1f} before the load started (other processes on the machine)"
    )


def write_results(rows: list[dict], jobs: list[dict], machine_text: str, summary: dict | None = None) -> dict:
    keys = ("name", "path", "role", "p50_ms", "p95_ms", "p99_ms", "rps", "errors", "x_floor")
    data = {
        "machine": machine_text,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "summary": summary or {},
        "pages": [{k: r.get(k) for k in keys} for r in rows],
        "jobs": [{k: j.get(k) for k in ("name", "seconds", "items")} for j in jobs],
    }
    RESULTS.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return data


def _fmt(value, digits=1) -> str:
    return "—" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def summary_lines(summary: dict) -> list[str]:
    out = []
    if summary.get("floor_x_bare"):
        out.append(
            f"- floor p95 {summary['floor_p95_ms']} ms = **{summary['floor_x_bare']:.2f}×** the bare view "
            f"(same middleware, no template: {summary['bare_p95_ms']} ms)"
        )
    mixed = summary.get("mixed")
    if mixed and mixed.get("requests"):
        out.append(
            f"- mixed scenario: {mixed['users']} people browsing ({len(mixed['pages'])} pages, think time "
            f"{mixed['think'][0]:g}–{mixed['think'][1]:g} s) for {mixed['seconds']:.0f} s: "
            f"**{mixed['rps']} requests/s**, "
            f"p50 {mixed['p50_ms']} ms, p95 {mixed['p95_ms']} ms, p99 {mixed['p99_ms']} ms, {mixed['errors']} errors"
        )
    return out


def table(rows: list[dict], jobs: list[dict], summary: dict | None = None) -> str:
    """A Markdown table (printed, and written into the README)."""
    by_name = {r["name"]: r for r in rows}
    sizes = (summary or {}).get("sizes") or {}
    out = summary_lines(summary or {})
    if out:
        out.append("")
    out += [
        "| page | role | p50 ms | p95 ms | p99 ms | rps | errors | × floor | × admin peer | small → large |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        peer = by_name.get(r.get("peer") or "")
        ratio = (r["p95_ms"] / peer["p95_ms"]) if peer and r.get("p95_ms") and peer.get("p95_ms") else None
        peer_text = f"{ratio:.2f} (admin {peer['p95_ms']:.0f} ms)" if ratio else "—"
        small = sizes.get(r["name"])
        size_text = (
            f"{r['p95_ms'] / small:.2f}× ({small:.0f} → {r['p95_ms']:.0f} ms)" if small and r.get("p95_ms") else "—"
        )
        out.append(
            f"| {r['name']} | {r['role'] or '—'} | {_fmt(r['p50_ms'])} | {_fmt(r['p95_ms'])} | "
            f"{_fmt(r['p99_ms'])} | {_fmt(r['rps'])} | {_fmt(r['errors'])} | {_fmt(r['x_floor'], 2)} | "
            f"{peer_text} | {size_text} |"
        )
    if jobs:
        out += ["", "| job | seconds | items |", "| --- | ---: | ---: |"]
        out += [f"| {j['name']} | {_fmt(j['seconds'], 2)} | {_fmt(j['items'])} |" for j in jobs]
    return "\n".join(out)


def findings(rows: list[dict]) -> list[str]:
    by_name = {r["name"]: r for r in rows}
    notes = []
    for r in rows:
        if r.get("x_floor") and r["x_floor"] > 2 and not r["name"].startswith("admin"):
            notes.append(f"{r['name']}: p95 {r['p95_ms']} ms is {r['x_floor']:.1f}× the floor")
        peer = by_name.get(r.get("peer") or "")
        if peer and r.get("p95_ms") and peer.get("p95_ms") and r["p95_ms"] > peer["p95_ms"]:
            notes.append(
                f"{r['name']}: p95 {r['p95_ms']} ms is slower than its admin peer {peer['name']} ({peer['p95_ms']} ms)"
            )
        if r.get("errors"):
            notes.append(f"{r['name']}: {r['errors']} errors")
        if r.get("p95_ms") is None:
            notes.append(f"{r['name']}: not measured")
    return notes


README = RESULTS.parent.parent / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_readme(text: str, heading: str) -> bool:
    """Replace the README's measured table (between the bench markers) with this run's."""
    try:
        readme = README.read_text()
    except OSError:
        return False
    if START not in readme or END not in readme:
        return False
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{before}{START}\n{heading}\n\n{text}\n{END}{after}")
    return True
