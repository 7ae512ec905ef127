"""Training report as XLSX: hours per person this year, then results per course."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from apps.core.spreadsheets import XlsxWriter

from . import selectors
from .models import Attendance, Enrollment


def report_xlsx(year: int) -> bytes:
    """Through the portal's one spreadsheet writer: bold frozen header, autofilter, widths."""
    writer = XlsxWriter(
        _("Hours per person"),
        [_("Login"), _("Name"), _("Department"), _("Hours"), _("Minimum"), _("Short by")],
        widths=[14, 12, 18, 8, 8, 8],
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
        writer.append(
            [
                u.username,
                u.name,
                u.department.name if u.department_id else "",
                h,
                minimum,
                max(minimum - h, 0),
            ]
        )
    writer.add_sheet(
        _("Courses"),
        [
            _("Course"),
            _("Plan"),
            _("Enrolled"),
            _("Present"),
            _("Attendance %"),
            _("Pass %"),
            _("Satisfaction"),
            _("Budget"),
            _("Cost"),
        ],
        widths=[30, 24, 8, 8, 10, 8, 10, 10, 10],
    )
    for r in selectors.course_results(year):
        c = r["course"]
        writer.append(
            [
                c.title,
                c.plan.title,
                r["enrolled"],
                r["present"],
                r["attendance"],
                r["pass_rate"],
                r["satisfaction"],
                float(c.budget),
                float(c.cost),
            ]
        )
    return writer.to_bytes()
