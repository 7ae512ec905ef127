from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.appraisals.models import Appraisal

from .helpers import appraisal_of, publish, review_all

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(response.content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_the_cycle_export_has_a_row_per_employee_and_a_column_per_criterion(org, cycle, client_for):
    review_all(cycle, score_of=lambda a: "91" if a.employee == org["staff"] else "80")
    publish_target = appraisal_of(cycle, org["staff"])
    rows = _rows(client_for(org["hr"]).get(reverse("appraisals:cycle_export", args=[cycle.code])))
    header, body = rows[0], rows[1:]
    criteria = [c["name"] for c in publish_target.form.criteria]
    assert (
        header[:6] == ["工号", "姓名", "部门", "岗位", "考核人", "状态"] and header[6 : 6 + len(criteria)] == criteria
    )
    assert len(body) == Appraisal.objects.filter(cycle=cycle, is_excluded=False).count()
    staff_row = next(r for r in body if r[1] == org["staff"].name)
    assert staff_row[6 : 6 + len(criteria)] == [91.0] * len(criteria)
    assert staff_row[header.index("加权总分")] == 91.0 and staff_row[header.index("等级")] == "优秀"
    assert staff_row[header.index("考核人")] == org["manager"].name


def test_the_history_export_lists_every_cycle_of_the_person(org, open_cycle, client_for):
    first = open_cycle("2025Q4")
    review_all(first)
    publish(first, org["hr"])
    open_cycle("2026Q1")
    rows = _rows(client_for(org["staff"]).get(reverse("appraisals:person_history", args=["staff"])))
    assert [r[0] for r in rows[1:]] == ["2025Q4", "2026Q1"]
    assert rows[1][5] == 85.0 and rows[1][6] == "良好"
    assert rows[2][5] is None  # not published yet: no result shown


@pytest.mark.parametrize("method", ["average", "annual"])
def test_the_annual_summary_averages_the_quarters_or_takes_the_annual_result(org, open_cycle, client_for, method):
    for code, score in (("2025Q3", "70"), ("2025Q4", "90")):
        c = open_cycle(code, forced_distribution={})
        review_all(c, score_of=lambda a, s=score: s)
        publish(c, org["hr"])
    annual = open_cycle("2025")
    review_all(annual, score_of=lambda a: "62")
    publish(annual, org["hr"])
    rows = _rows(client_for(org["hr"]).get(reverse("appraisals:annual_export", args=[2025]) + f"?method={method}"))
    staff_row = next(r for r in rows[1:] if r[1] == org["staff"].name)
    if method == "average":
        assert rows[0][3:] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "平均", "等级"]
        assert staff_row[3:] == [None, None, 70.0, 90.0, 80.0, "良好"]
    else:
        assert staff_row[3:] == [62.0, "合格"]


HOSTILE = '=HYPERLINK("http://evil.example","click")'


def _hostile_cell(response, text):
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == text]
    assert cells, f"{text!r} not exported"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_every_appraisal_export_writes_formula_like_text_as_text(org, open_cycle, client_for):
    for person in (org["staff"], org["manager"]):
        person.display_name = HOSTILE
        person.save(update_fields=["display_name"])
    first = open_cycle("2025Q4")
    review_all(first)
    publish(first, org["hr"])
    Appraisal.objects.filter(cycle=first).update(objection_reason="@SUM(1+1)*cmd|' /C calc'!A0")
    hr = client_for(org["hr"])
    _hostile_cell(hr.get(reverse("appraisals:cycle_export", args=[first.code])), HOSTILE)
    _hostile_cell(hr.get(reverse("appraisals:cycle_export", args=[first.code])), "@SUM(1+1)*cmd|' /C calc'!A0")
    _hostile_cell(hr.get(reverse("appraisals:annual_export", args=[2025]) + "?method=average"), HOSTILE)
    response = client_for(org["staff"]).get(reverse("appraisals:person_history", args=["staff"]))
    _hostile_cell(response, HOSTILE)  # the reviewer's name
    assert response["Cache-Control"] == "private, no-store"


def test_the_cycle_export_has_a_sheet_per_template_each_with_a_frozen_filtered_header(
    org, default_template, open_cycle, client_for
):
    from apps.appraisals.models import Criterion, Template

    sales = Template.objects.create(name="销售岗位考核表")
    Criterion.objects.create(template=sales, name="销售目标完成率", weight=100)
    sales.departments.add(org["sales_dept"])
    cycle = open_cycle()
    review_all(cycle)
    response = client_for(org["hr"]).get(reverse("appraisals:cycle_export", args=[cycle.code]))
    book = load_workbook(BytesIO(response.content))
    sheets = {ws.title: ws for ws in book.worksheets}
    assert set(sheets) == {default_template.name, "销售岗位考核表"}
    rows = {title: [list(r) for r in ws.iter_rows(values_only=True)] for title, ws in sheets.items()}
    sales_rows = rows["销售岗位考核表"]
    assert "销售目标完成率" in sales_rows[0] and "销售目标完成率" not in rows[default_template.name][0]
    assert {r[1] for r in sales_rows[1:]} == {org["staff"].name, org["manager"].name}
    assert sum(len(r) - 1 for r in rows.values()) == Appraisal.objects.filter(cycle=cycle, is_excluded=False).count()
    for title, ws in sheets.items():
        assert ws.freeze_panes == "A2" and ws["A1"].font.b
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{len(rows[title])}"
        assert 6 <= ws.column_dimensions["B"].width <= 60  # as wide as the names, within bounds
