"""Training report as XLSX: hours per person this year, then results per course."""

from io import BytesIO

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.core.spreadsheets import quoted_cell

from . import selectors
from .models import Attendance, Enrollment


def report_xlsx(year: int) -> bytes:
    wb = Workbook()
    people = wb.active
    people.title = str(_("Hours per person"))[:31]
    people.append(
        [str(_("Login")), str(_("Name")), str(_("Department")), str(_("Hours")), str(_("Minimum")), str(_("Short by"))]
    )
    hours: dict[int, float] = {}
    rows = (
        Enrollment.objects.filter(status=Attendance.PRESENT, session__starts_at__year=year)
        .values("person_id", "session__course_id", "session__course__hours")
        .distinct()
    )
    for r in rows.iterator(chunk_size=5000):
        hours[r["person_id"]] = hours.get(r["person_id"], 0) + float(r["session__course__hours"])
    minimum = float(selectors.MIN_HOURS_PER_YEAR)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .select_related("department")
        .order_by("department__path", "username")
    )
    for u in users.iterator(chunk_size=2000):
        h = hours.get(u.pk, 0)
        people.append(
            [
                quoted_cell(u.username),
                quoted_cell(u.name),
                quoted_cell(u.department.name if u.department_id else ""),
                h,
                minimum,
                max(minimum - h, 0),
            ]
        )
    people.freeze_panes = "A2"
    people.auto_filter.ref = people.dimensions
    courses = wb.create_sheet(str(_("Courses"))[:31])
    courses.append(
        [
            str(_("Course")),
            str(_("Plan")),
            str(_("Enrolled")),
            str(_("Present")),
            str(_("Attendance %")),
            str(_("Pass %")),
            str(_("Satisfaction")),
            str(_("Budget")),
            str(_("Cost")),
        ]
    )
    for r in selectors.course_results(year):
        c = r["course"]
        courses.append(
            [
                quoted_cell(c.title),
                quoted_cell(c.plan.title),
                r["enrolled"],
                r["present"],
                r["attendance"],
                r["pass_rate"],
                r["satisfaction"],
                float(c.budget),
                float(c.cost),
            ]
        )
    courses.freeze_panes = "A2"
    for ws, widths in ((people, [14, 12, 18, 8, 8, 8]), (courses, [30, 24, 8, 8, 10, 8, 10, 10, 10])):
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(65 + i)].width = w
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
