"""XLSX exports, written through the portal's one spreadsheet writer (apps/core/spreadsheets.py)."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.core.spreadsheets import XlsxWriter

from . import scoring
from .models import DEFAULT_GRADE_BANDS, Appraisal, Cycle, Grade, Stage, Status, TemplateSnapshot
from .selectors import RESULT_STATUSES


class _Grades:
    """Grade labels in the active language, as plain strings (openpyxl refuses lazy ones)."""

    def get(self, key, default=""):
        return str(dict(Grade.choices).get(key, default)) if key else default


GRADES = _Grades()


def _status_labels() -> dict:
    # resolved once per export: a lazy label per row costs a catalogue lookup each time
    return {k: str(v) for k, v in Status.choices}


def _num(value):
    return float(value) if value not in (None, "") else None


def _book(title: str, header: list[str]):
    writer = XlsxWriter(title, header)
    return writer, writer


def _bytes(writer: XlsxWriter) -> bytes:
    return writer.to_bytes()


def cycle_results(cycle: Cycle) -> bytes:
    """One row per employee, one column per criterion (the manager's score); one sheet per
    appraisal template where the templates' criteria differ (templates with the same
    criteria share a sheet)."""
    used = set(Appraisal.objects.filter(cycle=cycle, is_excluded=False).values_list("form_id", flat=True).distinct())
    groups: dict[tuple, list] = {}  # criterion names -> the snapshots that have exactly them
    for snap in TemplateSnapshot.objects.filter(cycle=cycle, pk__in=used).order_by("pk"):
        groups.setdefault(tuple(c["name"] for c in snap.criteria), []).append(snap)

    def header(columns):
        return [
            _("Employee number"),
            _("Name"),
            _("Department"),
            _("Position"),
            _("Reviewer"),
            _("Status"),
            *columns,
            _("Self-assessment total"),
            _("Weighted total"),
            _("Grade"),
            _("Final grade"),
            _("Calibration reason"),
            _("Objection"),
            _("Bonus coefficient"),
            _("Recommended for promotion"),
            _("Improvement plan"),
        ]

    writer, sheet_of = None, {}
    for columns, snaps in groups.items() or [((), [])]:
        title = cycle.code if len(groups) <= 1 else "、".join(s.name for s in snaps)
        if writer is None:
            writer = XlsxWriter(title, header(columns))
        else:
            writer.add_sheet(title, header(columns))
        for snap in snaps:
            sheet_of[snap.pk] = (writer._current, columns)
    statuses, yes = _status_labels(), _("yes")
    rows = (
        Appraisal.objects.filter(cycle=cycle, is_excluded=False)
        .select_related("employee", "department", "position", "reviewer", "form")
        .order_by("department__path", "employee__employee_no")
    )
    for a in rows.iterator(chunk_size=1000):
        sheet, columns = sheet_of[a.form_id]
        by_name = {c["name"]: (a.manager_scores.get(str(c["id"])) or {}).get("score") for c in a.form.criteria}
        writer.append_to(
            sheet,
            [
                a.employee.employee_no or "",
                a.employee.name,
                a.department.name if a.department else "",
                a.position.name if a.position else "",
                a.reviewer.name if a.reviewer else "",
                statuses[a.status],
                *[_num(by_name.get(col)) for col in columns],
                _num(a.self_total),
                _num(a.total),
                GRADES.get(a.grade, ""),
                GRADES.get(a.final_grade, ""),
                a.calibration_reason,
                a.objection_reason,
                _num(a.bonus_coefficient),
                yes if a.promotion_recommended else "",
                a.improvement_plan,
            ],
        )
    return _bytes(writer)


def employee_history(employee) -> bytes:
    header = [
        _("Period"),
        _("Department"),
        _("Reviewer"),
        _("Status"),
        _("Self-assessment total"),
        _("Weighted total"),
        _("Final grade"),
        _("Bonus coefficient"),
    ]
    wb, ws = _book(employee.username, header)
    for a in (
        Appraisal.objects.filter(employee=employee, is_excluded=False)
        .select_related("cycle", "department", "reviewer")
        .order_by("cycle__period_end", "cycle__kind")
    ):
        published = a.cycle.stage in (Stage.PUBLISHED, Stage.CLOSED)
        ws.append(
            [
                a.cycle.code,
                a.department.name if a.department else "",
                a.reviewer.name if a.reviewer else "",
                a.get_status_display(),
                _num(a.self_total),
                _num(a.total) if published else None,
                GRADES.get(a.final_grade, "") if published else "",
                _num(a.bonus_coefficient),
            ]
        )
    return _bytes(wb)


def annual_summary(year: int, method: str) -> bytes:
    """method 'average': the average of the year's published quarters, graded with the
    annual cycle's bands (default bands without one); 'annual': the annual cycle's result."""
    annual = Cycle.objects.filter(code=str(year)).first()
    bands = annual.grade_bands if annual else DEFAULT_GRADE_BANDS
    header = [_("Employee number"), _("Name"), _("Department")]
    if method == "annual":
        header += [_("Weighted total"), _("Final grade")]
    else:
        header += [f"{year}Q{q}" for q in range(1, 5)] + [_("Average"), _("Grade")]
    wb, ws = _book(str(year), header)
    if method == "annual":
        if annual is None or annual.stage not in (Stage.PUBLISHED, Stage.CLOSED):
            return _bytes(wb)
        for e_no, name, uname, dept, total, grade in (
            Appraisal.objects.filter(cycle=annual, is_excluded=False, status__in=RESULT_STATUSES)
            .order_by("department__path", "employee__employee_no")
            .values_list(
                "employee__employee_no",
                "employee__display_name",
                "employee__username",
                "department__name",
                "total",
                "final_grade",
            )
        ):
            ws.append([e_no or "", name or uname, dept or "", _num(total), GRADES.get(grade, "")])
        return _bytes(wb)
    people, totals = {}, defaultdict(dict)
    for e_id, e_no, name, uname, dept, code, total in (
        Appraisal.objects.filter(
            cycle__code__in=[f"{year}Q{q}" for q in range(1, 5)],
            is_excluded=False,
            cycle__stage__in=[Stage.PUBLISHED, Stage.CLOSED],
            status__in=RESULT_STATUSES,
        )
        .order_by("employee__employee_no", "cycle__period_end")
        .values_list(
            "employee_id",
            "employee__employee_no",
            "employee__display_name",
            "employee__username",
            "department__name",
            "cycle__code",
            "total",
        )
    ):
        people[e_id] = (e_no or "", name or uname, dept or "")  # the latest quarter's department
        totals[e_id][code] = total
    for e_id, (e_no, name, dept) in people.items():
        quarters = [totals[e_id].get(f"{year}Q{q}") for q in range(1, 5)]
        present = [t for t in quarters if t is not None]
        avg = (sum(present) / len(present)).quantize(Decimal("0.01")) if present else None
        ws.append(
            [e_no, name, dept, *[_num(t) for t in quarters], _num(avg), GRADES.get(scoring.grade_for(avg, bands), "")]
        )
    return _bytes(wb)
