"""Opening a cycle and moving its stages. Bulk and idempotent: the UNIQUE (cycle, employee)
constraint plus ON CONFLICT DO NOTHING guarantee one appraisal per person, and the number of
queries does not grow with the number of employees (one insert per batch)."""

import re
from calendar import monthrange
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.roles import Role
from apps.departments.models import Department
from apps.notifications.services import notify_many
from apps.scheduling.calendar import first_working_day_of_quarter, next_working_day

from .models import (
    DEFAULT_FORCED_DISTRIBUTION,
    DEFAULT_GRADE_BANDS,
    Appraisal,
    Cycle,
    CycleEvent,
    CycleKind,
    Stage,
    Template,
    TemplateSnapshot,
)

BATCH = 2000
PERIOD_RE = re.compile(r"^(\d{4})(?:Q([1-4]))?$")


def parse_period(code: str) -> tuple[str, date, date]:
    """'2026Q3' -> (quarter, 2026-07-01, 2026-09-30); '2026' -> (annual, 2026-01-01, 2026-12-31)."""
    match = PERIOD_RE.match((code or "").strip().upper())
    if not match:
        raise ValidationError(
            _("“%(code)s” is not a period: use a quarter like 2026Q3 or a year like 2026.") % {"code": code}
        )
    year, quarter = int(match.group(1)), match.group(2)
    if quarter:
        first_month = 3 * (int(quarter) - 1) + 1
        end_month = first_month + 2
        return CycleKind.QUARTER, date(year, first_month, 1), date(year, end_month, monthrange(year, end_month)[1])
    return CycleKind.ANNUAL, date(year, 1, 1), date(year, 12, 31)


def previous_quarter_code(today: date) -> str:
    quarter = (today.month - 1) // 3 + 1
    return f"{today.year - 1}Q4" if quarter == 1 else f"{today.year}Q{quarter - 1}"


def default_dates(period_end: date, today: date) -> dict:
    """About 10, 20, 27 and 41 days after the opening, each on a working day."""
    start = max(today, period_end + timedelta(days=1))
    return {
        "cutoff_date": period_end.replace(day=1),  # joined before the period's last month
        "self_deadline": next_working_day(start + timedelta(days=10)),
        "review_deadline": next_working_day(start + timedelta(days=20)),
        "calibration_deadline": next_working_day(start + timedelta(days=27)),
        "close_date": next_working_day(start + timedelta(days=41)),
    }


def _effective_templates() -> tuple[dict, dict, Template | None]:
    """({department id: template id} resolved up the tree, {position id: template id}, default)."""
    templates = list(Template.objects.filter(is_active=True).prefetch_related("departments", "positions"))
    default = next((t for t in templates if t.is_default), None)
    by_position = {p.pk: t.pk for t in templates for p in t.positions.all()}
    direct = {d.pk: t.pk for t in templates for d in t.departments.all()}
    by_department = {}
    for dept_id, path in Department.objects.values_list("id", "path"):
        # nearest assigned department on the path, from the department itself up to the root
        chain = [int(p) for p in path.strip("/").split("/") if p][::-1]
        by_department[dept_id] = next((direct[i] for i in chain if i in direct), None)
    return by_department, by_position, default


def _snapshots(cycle: Cycle, template_ids: set[int]) -> dict[int, int]:
    existing = {s.template_id: s.pk for s in TemplateSnapshot.objects.filter(cycle=cycle)}
    missing = template_ids - set(existing)
    if missing:
        new = [
            TemplateSnapshot(cycle=cycle, template=t, name=t.name, criteria=[c.snapshot() for c in t.criteria.all()])
            for t in Template.objects.filter(pk__in=missing).prefetch_related("criteria")
        ]
        TemplateSnapshot.objects.bulk_create(new, ignore_conflicts=True)
        existing = {s.template_id: s.pk for s in TemplateSnapshot.objects.filter(cycle=cycle)}
    return existing


def reviewer_for(person: dict, heads: dict, active_ids: set[int]) -> int | None:
    """Their manager at this moment; without one, their department's head; a head without a
    manager (the top of the company) gets none and HR assigns one."""
    manager = person["manager_id"]
    if manager and manager != person["id"] and manager in active_ids:
        return manager
    head = heads.get(person["department_id"])
    if head and head != person["id"] and head in active_ids:
        return head
    return None


def eligible_people(cycle: Cycle):
    User = get_user_model()
    active_on_last_day = Q(is_active=True, leave_date__isnull=True) | Q(leave_date__gt=cycle.period_end)
    joined_in_time = Q(hire_date__isnull=True) | Q(hire_date__lt=cycle.cutoff_date)
    return User.objects.filter(active_on_last_day & joined_in_time)


class LeftOut(models.TextChoices):
    """Why an account active in the period is not enrolled automatically (HR decides)."""

    ADMIN = "admin", gettext_lazy("Administrator account")
    BOARD = "board", gettext_lazy("Board or supervisory board")
    NO_DEPARTMENT = "no_department", gettext_lazy("No department")
    NO_REVIEWER = "no_reviewer", gettext_lazy("Nobody to review them")


def not_appraised_departments() -> set[int]:
    """The departments whose members are not employees appraised by HR (the board and the
    supervisory board by default; APPRAISAL_NOT_APPRAISED_DEPARTMENTS lists codes), with
    their sub-departments."""
    codes = getattr(settings, "APPRAISAL_NOT_APPRAISED_DEPARTMENTS", ("board", "supervisors"))
    rows = list(Department.objects.values_list("id", "code", "path"))
    roots = [path for _id, code, path in rows if code in codes]
    return {pk for pk, _code, path in rows if any(path.startswith(root) for root in roots)}


def candidate_rows(queryset) -> list[dict]:
    """The fields opening needs, with whether the account is an administrator."""
    admins = Group.objects.filter(name=Role.ADMIN, user=OuterRef("pk"))
    return list(
        queryset.annotate(admin_role=Exists(admins)).values(
            "id", "department_id", "position_id", "manager_id", "is_superuser", "admin_role"
        )
    )


def sort_people(cycle: Cycle, people: list[dict]) -> tuple[list[dict], list[tuple[dict, str]]]:
    """(people to enrol, [(person, LeftOut reason)]): administrators, the board, accounts
    without a department and people nobody could review are left for HR to decide."""
    User = get_user_model()
    board = not_appraised_departments()
    heads = dict(Department.objects.exclude(head=None).values_list("id", "head_id"))
    active_ids = set(
        User.objects.filter(Q(is_active=True) | Q(leave_date__gt=cycle.period_end)).values_list("id", flat=True)
    )
    enrol, left = [], []
    for p in people:
        if p.get("is_superuser") or p.get("admin_role"):
            left.append((p, LeftOut.ADMIN))
        elif p["department_id"] is None:
            left.append((p, LeftOut.NO_DEPARTMENT))
        elif p["department_id"] in board:
            left.append((p, LeftOut.BOARD))
        elif reviewer_for(p, heads, active_ids) is None:
            left.append((p, LeftOut.NO_REVIEWER))
        else:
            enrol.append(p)
    return enrol, left


def left_out(cycle: Cycle) -> list[dict]:
    """Accounts active in the period that are not in the cycle (not even excluded), with why
    they were not enrolled: the list HR decides on."""
    User = get_user_model()
    rows = candidate_rows(eligible_people(cycle).exclude(appraisals__cycle=cycle))
    _enrol, left = sort_people(cycle, rows)
    users = User.objects.in_bulk([p["id"] for p, _reason in left])
    departments = Department.objects.in_bulk({u.department_id for u in users.values() if u.department_id})
    out = []
    for p, reason in left:
        user = users[p["id"]]
        out.append({"user": user, "department": departments.get(user.department_id), "reason": LeftOut(reason)})
    out.sort(key=lambda r: (r["reason"], r["user"].employee_no or "", r["user"].username))
    return out


def check_dates(*, period_start: date, period_end: date, dates: dict) -> None:
    """Deadlines fall in or after the period they assess and follow the stages; the join
    cut-off falls within the period."""
    if not (dates["self_deadline"] <= dates["review_deadline"] <= dates["calibration_deadline"] <= dates["close_date"]):
        raise ValidationError(
            _("Deadlines must follow the stages: self-assessment, review, calibration, acknowledgement.")
        )
    if dates["self_deadline"] < period_start:
        raise ValidationError(
            _("The deadlines must fall in or after the period they assess (from %(date)s).") % {"date": period_start}
        )
    if not (period_start < dates["cutoff_date"] <= period_end + timedelta(days=1)):
        raise ValidationError(
            _("The join cut-off must fall within the period (%(start)s – %(end)s).")
            % {"start": period_start, "end": period_end}
        )


def open_cycle_of_same_kind(kind: str, code: str) -> Cycle | None:
    return Cycle.objects.filter(kind=kind).exclude(stage=Stage.CLOSED).exclude(code=code).order_by("period_end").first()


def build_appraisals(cycle: Cycle, people: list[dict]) -> list[Appraisal]:
    """Unsaved appraisals for `people` (dicts of id, department_id, position_id, manager_id)."""
    User = get_user_model()
    by_department, by_position, default = _effective_templates()
    heads = dict(Department.objects.exclude(head=None).values_list("id", "head_id"))
    active_ids = set(
        User.objects.filter(Q(is_active=True) | Q(leave_date__gt=cycle.period_end)).values_list("id", flat=True)
    )
    chosen = {}
    for p in people:
        template_id = (
            by_position.get(p["position_id"]) or by_department.get(p["department_id"]) or (default and default.pk)
        )
        if not template_id:
            raise ValidationError(
                _("No appraisal template applies to some people: mark one template as the company default.")
            )
        chosen[p["id"]] = template_id
    snapshot_of = _snapshots(cycle, set(chosen.values()))
    return [
        Appraisal(
            cycle=cycle,
            employee_id=p["id"],
            department_id=p["department_id"],
            position_id=p["position_id"],
            reviewer_id=reviewer_for(p, heads, active_ids),
            form_id=snapshot_of[chosen[p["id"]]],
        )
        for p in people
    ]


@transaction.atomic
def appraisal_cycle_open(
    *,
    code: str,
    actor=None,
    today: date | None = None,
    cutoff_date: date | None = None,
    self_deadline: date | None = None,
    review_deadline: date | None = None,
    calibration_deadline: date | None = None,
    close_date: date | None = None,
    grade_bands: list | None = None,
    forced_distribution: dict | None = None,
    notify: bool = True,
) -> tuple[Cycle, int]:
    """Open (or complete) the cycle for `code`; returns (cycle, appraisals created).
    Running it again creates nothing twice; after the self-assessment stage it adds nobody."""
    today = today or timezone.localdate()
    kind, start, end = parse_period(code)
    code = code.strip().upper()
    dates = default_dates(end, today)
    given = {
        "cutoff_date": cutoff_date,
        "self_deadline": self_deadline,
        "review_deadline": review_deadline,
        "calibration_deadline": calibration_deadline,
        "close_date": close_date,
    }
    dates.update({k: v for k, v in given.items() if v})
    check_dates(period_start=start, period_end=end, dates=dates)
    other = open_cycle_of_same_kind(kind, code)
    if other is not None:
        raise ValidationError(
            _("Cycle %(other)s is still open (“%(stage)s”): close it before opening %(code)s.")
            % {"other": other.code, "stage": other.get_stage_display(), "code": code}
        )
    cycle, created = Cycle.objects.get_or_create(
        code=code,
        defaults={
            "kind": kind,
            "period_start": start,
            "period_end": end,
            "opened_by": actor,
            **dates,
            "grade_bands": grade_bands or DEFAULT_GRADE_BANDS,
            "forced_distribution": DEFAULT_FORCED_DISTRIBUTION if forced_distribution is None else forced_distribution,
        },
    )
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)  # two openers at once: one generates
    if cycle.stage != Stage.SELF:
        return cycle, 0
    already = set(Appraisal.objects.filter(cycle=cycle).values_list("employee_id", flat=True))
    people, _left = sort_people(cycle, [p for p in candidate_rows(eligible_people(cycle)) if p["id"] not in already])
    rows = build_appraisals(cycle, people)
    Appraisal.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    CycleEvent.objects.create(
        cycle=cycle, actor=actor, action="opened" if created else "completed", detail={"created": len(rows)}
    )
    if notify and rows:
        User = get_user_model()
        notify_many(
            recipients=[User(pk=r.employee_id) for r in rows],
            kind="appraisals.self_open",
            title=_("Appraisal %(code)s: please fill in your self-assessment") % {"code": cycle.code},
            url=reverse("appraisals:home"),
            subject=cycle,
        )
    return cycle, len(rows)


def appraisal_cycle_open_previous_quarter(*, today: date) -> Cycle | None:
    """Scheduled: on (or after, if a run was missed) the first working day of a quarter, open
    the previous quarter's cycle unless it exists. State-based, so running twice is harmless."""
    if today < first_working_day_of_quarter(today):
        return None
    code = previous_quarter_code(today)
    if Cycle.objects.filter(code=code).exists():
        return None
    if open_cycle_of_same_kind(CycleKind.QUARTER, code) is not None:
        return None  # the previous quarter is still running: tried again tomorrow
    cycle, _created = appraisal_cycle_open(code=code, today=today)
    return cycle
