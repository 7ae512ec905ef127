"""The bench harness's bookkeeping (no server, no load tool): log parsing, percentiles,
the results file's shape, the bench database's URL and data marker."""

import json

from bench import db, report


def test_server_times_keep_only_measured_requests_by_page(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        "0:w 200 90000\n0:m 200 12000\n0:m 200 14000\n1:m 302 5000\n- 200 1000\ngarbage\n"
        "mix:w 200 7000\nmix:m 200 8000\n"
    )
    times = report.server_times(str(log))
    assert times == {0: [12.0, 14.0], 1: [5.0], "mix": [8.0]}


def test_nearest_rank_percentiles():
    values = [float(v) for v in range(1, 101)]
    assert report.percentile(values, 0.5) == 50.0
    assert report.percentile(values, 0.95) == 95.0
    assert report.percentile(values, 0.99) == 99.0
    assert report.percentile([7.0], 0.99) == 7.0


def test_results_file_has_exactly_the_agreed_keys(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS", tmp_path / "results.json")
    load = {"requests": 30, "failures": 0, "elapsed": 3.0}
    rows = [
        report.page_figures({"name": "floor", "path": "/floor/", "role": "staff"}, load, [10.0] * 30),
        report.page_figures({"name": "broken", "path": "", "role": ""}, None, []),
    ]
    rows[0]["x_floor"], rows[0]["peer"] = 1.0, None
    report.write_results(rows, [{"name": "scan", "seconds": 1.5, "items": 10}], "2 cores")
    data = json.loads((tmp_path / "results.json").read_text())
    assert set(data) == {"machine", "when", "summary", "pages", "jobs"}
    assert [set(p) for p in data["pages"]] == [
        {"name", "path", "role", "p50_ms", "p95_ms", "p99_ms", "rps", "errors", "x_floor"}
    ] * 2
    assert data["pages"][0]["rps"] == 10.0 and data["pages"][1]["p95_ms"] is None
    assert data["jobs"] == [{"name": "scan", "seconds": 1.5, "items": 10}]


def test_findings_name_pages_over_twice_the_floor_and_slower_than_their_admin_peer():
    rows = [
        {"name": "floor", "p95_ms": 10.0, "x_floor": 1.0, "errors": 0},
        {"name": "list", "p95_ms": 50.0, "x_floor": 5.0, "errors": 0, "peer": "admin: x"},
        {"name": "admin: x", "p95_ms": 40.0, "x_floor": 4.0, "errors": 0},
    ]
    notes = report.findings(rows)
    assert any("list" in n and "5.0× the floor" in n for n in notes)
    assert any("slower than its admin peer" in n for n in notes)
    assert not any(n.startswith("admin: x") for n in notes)


def test_bench_database_is_the_same_server_with_its_own_name(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opsportal_x?sslmode=disable")
    monkeypatch.delenv("BENCH_DB_NAME", raising=False)
    assert db.bench_database_url() == "postgres://postgres@127.0.0.1:5432/opsportal_bench?sslmode=disable"


def test_data_marker_asks_for_new_data_when_a_generator_changes():
    wanted = db.wanted_marker(sizes=[])
    assert db.marker_differences(wanted, wanted) == []
    assert db.marker_differences(None, wanted) == ["no scale data yet"]
    older = {**wanted, "code": dict.fromkeys(wanted["code"], "0")}
    assert any(r == "apps/departments/scale.py changed" for r in db.marker_differences(older, wanted))


def test_table_and_readme_carry_the_floor_the_mix_and_the_sizes(tmp_path, monkeypatch):
    rows = [
        {
            "name": "floor",
            "role": "staff",
            "p50_ms": 9.0,
            "p95_ms": 10.0,
            "p99_ms": 11.0,
            "rps": 5.0,
            "errors": 0,
            "x_floor": 1.0,
        },
        {
            "name": "list",
            "role": "staff",
            "p50_ms": 20.0,
            "p95_ms": 25.0,
            "p99_ms": 30.0,
            "rps": 2.0,
            "errors": 0,
            "x_floor": 2.5,
            "peer": "admin: x",
        },
        {
            "name": "admin: x",
            "role": "admin",
            "p50_ms": 40.0,
            "p95_ms": 50.0,
            "p99_ms": 60.0,
            "rps": 1.0,
            "errors": 0,
            "x_floor": 5.0,
        },
    ]
    summary = {
        "floor_p95_ms": 10.0,
        "bare_p95_ms": 4.0,
        "floor_x_bare": 2.5,
        "sizes": {"list": 20.0},
        "mixed": {
            "users": 40,
            "think": [0.2, 0.8],
            "seconds": 60,
            "pages": ["a", "b"],
            "requests": 3000,
            "rps": 50.0,
            "p50_ms": 30.0,
            "p95_ms": 90.0,
            "p99_ms": 150.0,
            "errors": 0,
        },
    }
    text = report.table(rows, [], summary)
    assert "**2.50×** the bare view" in text
    assert "**50.0 requests/s**" in text and "p99 150.0 ms" in text
    assert "| list | staff | 20.0 | 25.0 | 30.0 | 2.0 | 0 | 2.50 | 0.50 (admin 50 ms) | 1.25× (20 → 25 ms) |" in text
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\nbefore\n{report.START}\nold\n{report.END}\nafter\n")
    monkeypatch.setattr(report, "README", readme)
    assert report.write_readme(text, "Measured today.")
    body = readme.read_text()
    assert "old" not in body and "Measured today." in body and body.endswith(f"{report.END}\nafter\n")
