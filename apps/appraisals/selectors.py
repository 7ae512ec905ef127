"""Reads that cross tables, with their joins done up front (constant queries per page)."""

from collections import Counter, defaultdict

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, F, Func, Q

from . import scoring
from .models import Appraisal, Cycle, PeerReview, Stage, Status

# Long texts and score JSON that list pages never show: not loaded for thousands of rows.
HEAVY = [
    "self_scores",
    "manager_scores",
    "self_summary",
    "manager_summary",
    "objection_reason",
    "objection_resolution",
    "improvement_plan",
]
RESULT_STATUSES = [Status.REVIEWED, Status.PUBLISHED, Status.ACKNOWLEDGED, Status.OBJECTED, Status.RESOLVED]
GAP_OUTLIER = 15  # points between self and manager total worth a second look
RATER_OUTLIER = 8  # points a reviewer's average is above/below the company's


def reviewed_below(user, cycle_id: int) -> set[int]:
    """Employees below `user` in the cycle's review chain (direct and indirect), one
    recursive query, remembered on the user object for the request."""
    cache = user.__dict__.setdefault("_appraisals_below", {})
    if cycle_id not in cache:
        table = Appraisal._meta.db_table
        # table name from model meta, values bound
        sql = f"""
            WITH RECURSIVE below(employee_id) AS (
                SELECT employee_id FROM {table} WHERE cycle_id = %s AND reviewer_id = %s
                UNION
                SELECT a.employee_id FROM {table} a JOIN below b ON a.reviewer_id = b.employee_id
                WHERE a.cycle_id = %s
            ) SELECT employee_id FROM below"""  # nosec B608
        with connection.cursor() as cursor:
            cursor.execute(sql, [cycle_id, user.pk, cycle_id])
            cache[cycle_id] = {row[0] for row in cursor.fetchall()} - {user.pk}
    return cache[cycle_id]


def current_cycle() -> Cycle | None:
    return (
        Cycle.objects.exclude(stage=Stage.CLOSED).order_by("-period_end", "kind").first()
        or Cycle.objects.order_by("-period_end").first()
    )


def my_appraisals(user):
    return (
        Appraisal.objects.filter(employee=user, is_excluded=False)
        .select_related("cycle", "reviewer")
        .order_by("-cycle__period_end", "cycle__kind")
    )


def appraisal_detail(pk: int) -> Appraisal:
    return Appraisal.objects.select_related(
        "cycle", "form", "employee", "reviewer", "department", "position", "improvement_owner"
    ).get(pk=pk)


def appraisal_events(appraisal):
    return appraisal.events.select_related("actor")


def peer_minimum() -> int:
    return getattr(settings, "APPRAISAL_PEER_MIN_ANSWERS", 3)


def peer_feedback_for(appraisal) -> dict:
    """Peer feedback, anonymous: how many were asked and answered, and the comments only
    once at least peer_minimum() colleagues answered (with fewer, a reader could tell who
    wrote what). Comments are sorted by their text, so their order says nothing about who
    answered first; no name leaves this function."""
    names = {str(c["id"]): c["name"] for c in appraisal.form.criteria}
    rows = list(PeerReview.objects.filter(appraisal=appraisal).values_list("submitted_at", "comments"))
    answered = [comments for submitted_at, comments in rows if submitted_at]
    out = defaultdict(list)
    if len(answered) >= peer_minimum():
        for comments in answered:
            for key, text in comments.items():
                if text:
                    out[names.get(key, key)].append(text)
    return {
        "invited": len(rows),
        "answered": len(answered),
        "minimum": peer_minimum(),
        "comments": {name: sorted(texts) for name, texts in out.items()},
    }


def team_rows(user, cycle):
    """The people `user` reviews in `cycle` (never their own appraisal)."""
    return (
        Appraisal.objects.filter(cycle=cycle, reviewer=user, is_excluded=False)
        .exclude(employee=user)
        .select_related("employee", "department", "position", "cycle")
        .defer(*HEAVY)
        .order_by("department__path", "employee__employee_no")
    )


def indirect_rows(user, cycle):
    below = reviewed_below(user, cycle.pk)
    return (
        Appraisal.objects.filter(cycle=cycle, employee_id__in=below, is_excluded=False)
        .exclude(reviewer=user)
        .select_related("employee", "department", "reviewer")
        .defer(*HEAVY)
        .order_by("department__path", "employee__employee_no")
    )


def team_stats(rows) -> dict:
    """From already-loaded rows: counts per status, average total, grade distribution."""
    totals = [r.total for r in rows if r.total is not None and r.status in RESULT_STATUSES]
    grades = Counter(r.result_grade for r in rows if r.status in RESULT_STATUSES and r.result_grade)
    return {
        "count": len(rows),
        "self_done": sum(r.status != Status.SELF for r in rows),
        "reviewed": len(totals),
        "average": (sum(totals) / len(totals)).quantize(scoring.TWO_PLACES) if totals else None,
        "grades": scoring.distribution(grades, {}),
    }


def _results(cycle):
    return Appraisal.objects.filter(cycle=cycle, is_excluded=False, status__in=RESULT_STATUSES)


def cycle_grade_counts(cycle) -> Counter:
    return Counter(
        dict(_results(cycle).values_list("final_grade").annotate(n=Count("id")).values_list("final_grade", "n"))
    )


def cycle_status_counts(cycle, *, department=None) -> dict:
    qs = Appraisal.objects.filter(cycle=cycle, is_excluded=False)
    if department is not None:
        qs = qs.filter(department__path__startswith=department.path)
    return dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def calibration_overview(cycle, overrides: dict | None = None) -> dict:
    """Company and per-department distribution against the cycle's forced distribution,
    and the outliers worth a look. A fixed handful of queries whatever the company size.
    `overrides` ({appraisal id: grade}, not saved yet) shows the distribution as it would be."""
    company_counts = cycle_grade_counts(cycle)
    per_dept = defaultdict(Counter)
    names = {}
    for dept_id, name, grade, n in (
        _results(cycle)
        .values_list("department_id", "department__name", "final_grade")
        .annotate(n=Count("id"))
        .order_by("department__path")
    ):
        per_dept[dept_id][grade] += n
        names[dept_id] = name or "—"
    pending = 0
    if overrides:
        for pk, dept_id, old in (
            _results(cycle).filter(pk__in=list(overrides)).values_list("pk", "department_id", "final_grade")
        ):
            new = overrides[pk]
            if new != old:
                pending += 1
                for counts in (company_counts, per_dept[dept_id]):
                    counts[old] -= 1
                    counts[new] += 1
    company = scoring.distribution(company_counts, cycle.forced_distribution)
    departments = []
    for dept_id, counts in per_dept.items():
        rows = scoring.distribution(counts, cycle.forced_distribution)
        departments.append(
            {
                "id": dept_id,
                "name": names[dept_id],
                "rows": rows,
                "total": sum(counts.values()),
                "breaches": scoring.distribution_breaches(rows),
            }
        )
    status_counts = cycle_status_counts(cycle)
    avg = _results(cycle).aggregate(avg=Avg("total"))["avg"]
    gaps = (
        _results(cycle)
        .exclude(self_total=None)
        .annotate(gap=Func(F("total") - F("self_total"), function="ABS"))
        .filter(gap__gte=GAP_OUTLIER)
        .select_related("employee", "department", "reviewer")
        .order_by("-gap")[:20]
    )
    raters = []
    if avg is not None:
        for row in (
            _results(cycle)
            .exclude(reviewer=None)
            .values("reviewer_id", "reviewer__display_name", "reviewer__username")
            .annotate(avg=Avg("total"), n=Count("id"))
            .filter(n__gte=3)
            .filter(Q(avg__gte=avg + RATER_OUTLIER) | Q(avg__lte=avg - RATER_OUTLIER))
            .order_by("-avg")[:20]
        ):
            row["name"] = row["reviewer__display_name"] or row["reviewer__username"]
            row["delta"] = row["avg"] - avg
            raters.append(row)
    return {
        "company": company,
        "pending": pending,
        "breaches": scoring.distribution_breaches(company),
        "departments": departments,
        "status_counts": status_counts,
        "average": avg,
        "gaps": list(gaps),
        "raters": raters,
    }


def calibration_rows(cycle, *, department=None, grade=None):
    qs = (
        _results(cycle)
        .select_related("employee", "department", "reviewer")
        .defer(*HEAVY)
        .order_by("department__path", "-total")
    )
    if department:
        qs = qs.filter(department_id=department)
    if grade:
        qs = qs.filter(final_grade=grade)
    return qs


def cycle_participants(cycle, *, q: str = "", status: str = "", excluded: bool = False, department=None):
    qs = (
        Appraisal.objects.filter(cycle=cycle, is_excluded=excluded)
        .select_related("employee", "department", "reviewer")
        .defer(*HEAVY)
        .order_by("department__path", "employee__employee_no")
    )
    if status:
        qs = qs.filter(status=status)
    if department is not None:  # the department and those below it
        qs = qs.filter(department__path__startswith=department.path)
    if q:
        qs = qs.filter(
            Q(employee__display_name__icontains=q)
            | Q(employee__username__icontains=q)
            | Q(employee__employee_no__icontains=q)
        )
    return qs


def peer_requests_for(user):
    return (
        PeerReview.objects.filter(peer=user, submitted_at=None)
        .select_related("appraisal__employee", "appraisal__cycle")
        .order_by("deadline")
    )


# --- home: how things stand --------------------------------------------------------------
# In each stage, the appraisals still waiting for someone, and whom: the employee or the
# reviewer. Calibration waits for HR, a closed cycle for nobody.
WAITING_IN_STAGE = {
    Stage.SELF: ((Status.SELF,), "employee"),
    Stage.REVIEW: ((Status.SELF, Status.SUBMITTED), "reviewer"),
    Stage.CALIBRATION: ((Status.SELF, Status.SUBMITTED), "reviewer"),
    Stage.PUBLISHED: ((Status.PUBLISHED,), "employee"),
}


def running_cycles():
    return Cycle.objects.exclude(stage=Stage.CLOSED).order_by("-period_end", "kind")


def _in_subtrees(departments, field: str = "department__path") -> Q:
    q = Q(pk__in=[])
    for d in departments:
        q |= Q(**{f"{field}__startswith": d.path})
    return q


def cycle_progress(cycles, *, departments=None) -> list[dict]:
    """Appraisals of `cycles` counted per cycle, department and status (in the subtrees of
    `departments`, or all): one aggregate query whatever the number of people."""
    qs = Appraisal.objects.filter(cycle__in=cycles, is_excluded=False)
    if departments is not None:
        qs = qs.filter(_in_subtrees(departments))
    return list(
        qs.values("cycle_id", "department__code", "department__name", "department__path", "status")
        .annotate(n=Count("pk"))
        .order_by("cycle_id", "department__path", "status")
    )


def stage_laggards(cycle, *, departments):
    """Who the team's appraisals of `cycle` wait for in its current stage (employees who have
    not filled in or acknowledged, reviewers who have not reviewed). One query."""
    from django.contrib.auth import get_user_model

    waiting = WAITING_IN_STAGE.get(cycle.stage)
    User = get_user_model()
    if waiting is None:
        return User.objects.none()
    statuses, who = waiting
    rows = Appraisal.objects.filter(cycle=cycle, is_excluded=False, status__in=statuses).filter(
        _in_subtrees(departments)
    )
    return User.objects.filter(pk__in=rows.values(f"{who}_id"), is_active=True).only("pk", "preferred_language")


FORWARD_ACTION = {
    Stage.SELF: "advance",
    Stage.REVIEW: "advance",
    Stage.CALIBRATION: "publish",
    Stage.PUBLISHED: "close",
}


def stage_panel(cycle, status_counts: dict, *, today) -> dict:
    """What the stage buttons' confirm dialogs say: who is behind, how many people the
    step notifies, and whether (and why not) the cycle can go back a stage."""
    from . import services
    from .models import CycleEvent

    total = sum(status_counts.values())
    self_pending = status_counts.get(Status.SELF, 0)
    action = FORWARD_ACTION.get(cycle.stage)
    back_to = services.BACK_TO.get(cycle.stage)
    panel = {
        "action": action,
        "total": total,
        "self_pending": self_pending,
        "review_pending": self_pending + status_counts.get(Status.SUBMITTED, 0),
        "unacknowledged": status_counts.get(Status.PUBLISHED, 0),
        "reach": len(services.step_recipients(cycle, action)) if action else 0,
        "back_to": back_to,
        "can_remind": cycle.stage in (Stage.SELF, Stage.REVIEW),
    }
    if back_to:
        panel["back_problems"] = services.back_problems(cycle)
        panel["back_reach"] = len(services.step_recipients(cycle, "back"))
        deadline_field = services.STAGE_DEADLINE[back_to]
        panel["back_deadline"] = getattr(cycle, deadline_field)
        panel["back_deadline_passed"] = panel["back_deadline"] < today
        panel["back_label"] = Stage(back_to).label
    panel["forward_hidden"] = {"action": action, "from": cycle.stage}
    panel["back_hidden"] = {"action": "back", "from": cycle.stage}
    pending = {
        Stage.SELF: (panel["self_pending"], Status.SELF),
        Stage.REVIEW: (panel["review_pending"], ""),
        Stage.PUBLISHED: (panel["unacknowledged"], Status.PUBLISHED),
    }.get(cycle.stage, (0, ""))
    panel["pending"], panel["pending_status"] = pending
    if cycle.stage == Stage.REVIEW and panel["review_pending"] == status_counts.get(Status.SUBMITTED, 0):
        panel["pending_status"] = Status.SUBMITTED
    elif cycle.stage == Stage.REVIEW and not status_counts.get(Status.SUBMITTED):
        panel["pending_status"] = Status.SELF
    if panel["can_remind"]:
        panel["reminded_today"] = CycleEvent.objects.filter(
            cycle=cycle, action="reminded", detail__stage=cycle.stage, detail__date=today.isoformat()
        ).exists()
    from django.urls import reverse

    panel["remind_action"] = (
        reverse("appraisals:cycle_remind", args=[cycle.code])
        if panel["can_remind"] and panel["pending"] and not panel.get("reminded_today")
        else ""
    )
    return panel
