"""Spreadsheet import: check everything, save all or nothing; export in the same format."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.kpis import services
from apps.kpis.importing import HEADER, ImportFileError, read_table, validate_rows
from apps.kpis.models import FigureImport, Measurement
from apps.kpis.periods import Period
from apps.kpis.tests.factories import IndicatorFactory, TargetFactory

pytestmark = pytest.mark.django_db


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def csv_bytes(rows) -> bytes:
    return ("\n".join(",".join(str(c) for c in r) for r in rows)).encode("utf-8-sig")


def upload(client, name, data):
    return client.post(reverse("kpis:import"), {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def quarterly(kpi):
    return IndicatorFactory(code="S-Q", department=kpi["sales_dept"], frequency="quarterly")


def test_a_good_xlsx_file_is_previewed_then_saved(kpi, client_for, quarterly):
    c = client_for(kpi["manager"])
    r = upload(
        c,
        "figures.xlsx",
        xlsx(
            [
                HEADER,
                ["S-1", "回款率", "2026-03", "%", 95, 93.5, "按时"],
                ["S-Q", "季度", "2026-Q1", "%", "", 88, ""],
                ["S-1", "回款率", "2026-04", "%", 95, None, ""],
            ]
        ),
    )
    batch = FigureImport.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("kpis:import_preview", args=[batch.pk])
    preview = c.get(r["Location"])
    assert preview.status_code == 200 and preview.context["bad_count"] == 0 and preview.context["save_count"] == 2
    assert not Measurement.objects.exists()  # nothing saved by the preview
    assert c.post(r["Location"]).status_code == 302
    m = Measurement.objects.get(indicator=kpi["sales_kpi"])
    assert (m.value, m.note, m.entered_by) == (D("93.5"), "按时", kpi["manager"])
    assert m.revisions.get().source == "import"
    assert Measurement.objects.get(indicator=quarterly).value == D(88)
    assert Measurement.objects.count() == 2  # the row with an empty actual was skipped


def test_a_good_csv_file_in_gbk_is_read(kpi):
    data = "指标编码,期间,实际值\nS-1,2026-03,91\n".encode("gb18030")
    rows = validate_rows(read_table("f.csv", data), user=kpi["manager"])
    assert [(r.indicator.code, r.period, r.number, r.errors) for r in rows] == [("S-1", Period(2026, 3), D(91), [])]


def test_bad_rows_are_named_and_nothing_is_saved(kpi, client_for, quarterly):
    c = client_for(kpi["manager"])
    upload(
        c,
        "f.csv",
        csv_bytes(
            [
                ["指标编码", "期间", "实际值"],
                ["S-1", "2026-03", "90"],  # fine
                ["S-1", "2026-03", "91"],  # repeated
                ["NOPE", "2026-03", "1"],  # unknown
                ["O-1", "2026-03", "1"],  # another department's
                ["S-1", "March", "1"],  # bad period
                ["S-Q", "2026-03", "1"],  # quarterly indicator, monthly period
                ["S-1", "2026-05", "abc"],
            ]
        ),
    )  # not a number
    batch = FigureImport.objects.get()
    preview = c.get(reverse("kpis:import_preview", args=[batch.pk]))
    errors = {r.line: r.errors for r in preview.context["rows"]}
    assert errors[2] == []
    assert "repeated" in errors[3][0]
    assert "Unknown indicator code" in errors[4][0]
    assert "may not enter" in errors[5][0]
    assert "not like 2026-03" in errors[6][0]
    assert "does not fit" in errors[7][0]
    assert "not a number" in errors[8][0]
    assert preview.context["bad_count"] == 6
    r = c.post(reverse("kpis:import_preview", args=[batch.pk]))
    assert r.status_code == 200 and not Measurement.objects.exists()


def test_nothing_is_half_saved_when_the_database_changed_since_the_preview(kpi):
    raw = read_table(
        "f.csv", csv_bytes([["指标编码", "期间", "实际值"], ["S-1", "2026-01", "90"], ["S-1", "2026-02", "80"]])
    )
    batch = FigureImport.objects.create(created_by=kpi["manager"], filename="f.csv", rows=raw)
    services.period_lock(period=Period(2026, 2), by=kpi["ops"])  # ops closed February meanwhile
    with pytest.raises(services.ImportNotValid):
        services.figure_import_apply(batch=batch, by=kpi["manager"])
    assert not Measurement.objects.exists()


def test_ops_may_import_into_a_locked_period(kpi):
    services.period_lock(period=Period(2026, 2), by=kpi["ops"])
    raw = read_table("f.csv", csv_bytes([["指标编码", "期间", "实际值"], ["S-1", "2026-02", "80"]]))
    assert [r.errors for r in validate_rows(raw, user=kpi["manager"])] == [["Period 2026-02 is locked."]]
    batch = FigureImport.objects.create(created_by=kpi["ops"], filename="f.csv", rows=raw)
    assert services.figure_import_apply(batch=batch, by=kpi["ops"]) == 1


def test_a_formula_cell_is_refused_with_its_formula_named(kpi, client_for):
    c = client_for(kpi["manager"])
    upload(c, "f.xlsx", xlsx([HEADER, ["S-1", "回款率", "2026-03", "%", 95, "=E2*0.9", ""]]))
    preview = c.get(reverse("kpis:import_preview", args=[FigureImport.objects.get().pk]))
    [row] = preview.context["rows"]
    assert row.errors == ["Column 实际值 holds a formula (=E2*0.9); paste the value instead."]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.xlsx", xlsx([]), "The file is empty"),
        ("blank-rows.xlsx", xlsx([[None, None], ["", " "]]), "The file is empty"),
        ("header-only.xlsx", xlsx([HEADER]), "header but no rows"),
        ("fake.xlsx", b"this is a text file, not a workbook", "not a valid Excel .xlsx file"),
        ("fake.xlsx", "指标编码,期间,实际值\nS-1,2026-03,1".encode(), "not a valid Excel .xlsx file"),
        ("figures.pdf", b"%PDF-1.4", "Unsupported file type"),
        ("empty.csv", b"\n\n", "The file is empty"),
        ("cols.csv", "编码,实际值\nS-1,1".encode(), "Missing columns: 期间"),
        ("binary.csv", b"\x00\x01\x02abc", "does not look like a CSV"),
    ],
    # Stable ids: the workbooks' bytes carry a timestamp, and pytest-xdist needs every worker
    # to collect the same test names.
    ids=["empty", "blank-rows", "header-only", "text-as-xlsx", "csv-as-xlsx", "pdf", "empty-csv", "cols", "binary"],
)
def test_files_that_cannot_be_read_get_a_clear_message(kpi, client_for, name, data, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(name, data)
    r = upload(client_for(kpi["manager"]), name, data)
    assert r.status_code == 200 and message in str(r.context["form"].errors["file"])
    assert not FigureImport.objects.exists()


def test_out_of_range_values_are_flagged_but_do_not_block(kpi):
    raw = read_table("f.csv", csv_bytes([["指标编码", "期间", "实际值"], ["S-1", "2026-03", "180"]]))
    [row] = validate_rows(raw, user=kpi["manager"])
    assert row.errors == [] and "outside the expected range" in row.warnings[0]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_and_import_use_the_same_format(kpi, client_for, fmt):
    TargetFactory(indicator=kpi["sales_kpi"], year=2026, index=3, value=D(95))
    services.measurement_save(
        indicator=kpi["sales_kpi"], period=Period(2026, 3), value=D("91.25"), note="初报", by=kpi["manager"]
    )
    c = client_for(kpi["manager"])
    r = c.get(reverse("kpis:export", args=["sales", "2026-03", fmt]))
    assert r.status_code == 200 and f"kpis-sales-2026-03.{fmt}" in r["Content-Disposition"]
    rows = read_table(f"x.{fmt}", r.content)
    assert {"code": "S-1", "period": "2026-03", "value": "91.25", "note": "初报"} in rows
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(r.content)).active
        assert [c.value for c in sheet[1]] == HEADER
    # the exported file imports back cleanly (a no-op: same figures)
    assert all(not row.errors for row in validate_rows(rows, user=kpi["manager"]))


def test_the_template_lists_the_departments_due_indicators_without_figures(kpi, client_for):
    services.measurement_save(indicator=kpi["sales_kpi"], period=Period(2026, 3), value=D(91), by=kpi["manager"])
    r = client_for(kpi["manager"]).get(reverse("kpis:template", args=["sales", "2026-03", "csv"]))
    rows = read_table("t.csv", r.content)
    assert {(row["code"], row["value"]) for row in rows} == {("S-1", ""), ("P-1", "")}
