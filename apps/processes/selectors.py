"""Reads of the process module with the joins they need, and the state-based queries the
scheduler calls (idempotent: they describe what is due now, not what changed lately)."""

import datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.accounts.permissions import is_admin, is_ops, users_with_role
from apps.accounts.roles import Role
from apps.departments.models import Department, Position
from apps.departments.permissions import is_general_manager

from . import steps as steplib
from .models import (
    OPEN_STATUSES,
    ChangeRequest,
    ImprovementAction,
    Process,
    ProcessStep,
    ProcessVersion,
)

KIND = "processes.change"  # the approvals engine's kind (workflow.KIND)
SUBMITTED_OPEN = [s for s in OPEN_STATUSES if s != ChangeRequest.Status.DRAFT]


def catalogue() -> QuerySet[Process]:
    # Drafts are the proposer's own business until submitted.
    open_crs = (
        ChangeRequest.objects.filter(process=OuterRef("pk"), status__in=SUBMITTED_OPEN)
        .order_by()
        .values("process")
        .annotate(n=Count("pk"))
        .values("n")
    )
    n_steps = (
        ProcessStep.objects.filter(version=OuterRef("current_version"))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Process.objects.select_related("department", "owner", "current_version")
        .annotate(open_requests=Coalesce(Subquery(open_crs), 0), step_count=Coalesce(Subquery(n_steps), 0))
        .order_by("code")
    )


def process_detail(code: str) -> Process:
    return Process.objects.select_related(
        "department", "department__head", "owner", "current_version", "current_version__published_by"
    ).get(code=code)


def version_for(process: Process, number: int | None) -> ProcessVersion | None:
    if number is None or (process.current_version and process.current_version.number == number):
        return process.current_version
    return process.versions.select_related("published_by").get(number=number)


def version_step_rows(version: ProcessVersion | None) -> list[ProcessStep]:
    if version is None:
        return []
    return list(
        version.steps.select_related("department", "position").prefetch_related("links_out__to_step").order_by("order")
    )


def names_for(step_dicts: list[dict]) -> tuple[dict, dict]:
    """{department id: name}, {position id: name} for the steps (two queries)."""
    dept_ids = {s["department_id"] for s in step_dicts}
    pos_ids = {s["position_id"] for s in step_dicts if s.get("position_id")}
    depts = dict(Department.objects.filter(pk__in=dept_ids).values_list("pk", "name"))
    positions = dict(Position.objects.filter(pk__in=pos_ids).values_list("pk", "name")) if pos_ids else {}
    return depts, positions


def process_versions(process: Process) -> QuerySet[ProcessVersion]:
    return process.versions.select_related("published_by", "change_request").order_by("-number")


def process_open_requests(process: Process) -> QuerySet[ChangeRequest]:
    return process.change_requests.filter(status__in=SUBMITTED_OPEN).select_related("proposer").order_by("-created_at")


def process_reviews(process: Process):
    return process.reviews.select_related("reviewer").prefetch_related("actions__owner")[:10]


def department_processes(dept: Department) -> QuerySet[Process]:
    return catalogue().filter(department=dept)


def department_steps(dept: Department) -> QuerySet[ProcessStep]:
    """Steps of current versions that this department performs, in processes of any owner."""
    return (
        ProcessStep.objects.filter(
            department=dept,
            version__process__current_version=F("version"),
            version__process__status=Process.Status.IN_USE,
        )
        .select_related("version__process__department", "position")
        .order_by("version__process__code", "order")
    )


# --- change requests -------------------------------------------------------------------------


def change_request_detail(pk: int) -> ChangeRequest:
    return ChangeRequest.objects.select_related(
        "process__department__head",
        "process__current_version",
        "base_version",
        "proposer__department",
    ).get(pk=pk)


def diff_base(cr: ChangeRequest) -> ProcessVersion | None:
    """An open request is compared with the version current now; a closed one with the
    version it was written against (for an approved one: the version it replaced)."""
    return cr.process.current_version if cr.is_open else cr.base_version


def diff_for(cr: ChangeRequest):
    base = steplib.version_steps(diff_base(cr))
    return base, steplib.diff_steps(base, cr.proposed_steps)


def impact(changes, process: Process, depts: dict, positions: dict) -> dict:
    """Departments and positions whose work changes, with what happens to them."""
    dept_ids, pos_ids = set(), set()
    for c in changes:
        if c.kind == "same":
            continue
        dept_ids |= c.department_ids
        pos_ids |= c.position_ids
    return {
        "departments": sorted(depts.get(d, "?") for d in dept_ids),
        "positions": sorted(positions.get(p, "?") for p in pos_ids),
        "other_departments": sorted(depts.get(d, "?") for d in dept_ids - {process.department_id}),
        "counts": {
            k: sum(1 for c in changes if c.kind == k or (k == "moved" and c.moved and c.kind == "changed"))
            for k in ("added", "removed", "changed", "moved")
        },
    }


def visible_requests(user) -> QuerySet[ChangeRequest]:
    """Change requests the user may see, each with `stage_name`: the approval stage it waits in."""
    from apps.approvals.models import Request, Task

    approval = Request.objects.filter(kind=KIND, object_id=OuterRef("pk")).order_by("-pk")
    stage = approval.values("current_stage__name")[:1]
    qs = ChangeRequest.objects.select_related("process__department", "proposer").annotate(stage_name=Subquery(stage))
    if is_ops(user) or is_admin(user) or is_general_manager(user):
        return qs
    tasks = Task.objects.filter(request__kind=KIND).filter(Q(assignee=user) | Q(principal=user))
    return qs.filter(
        Q(proposer=user) | Q(process__department__head=user) | Q(pk__in=tasks.values("request__object_id"))
    )


# --- scheduled work: state-based, idempotent -------------------------------------------------


def reviews_due(*, today: datetime.date, within_days: int = 0) -> QuerySet[Process]:
    """Processes in use whose periodic review is due (or due within `within_days`)."""
    return (
        Process.objects.filter(
            status=Process.Status.IN_USE, next_review_date__lte=today + datetime.timedelta(days=within_days)
        )
        .select_related("department", "owner")
        .order_by("next_review_date")
    )


def actions_overdue(*, today: datetime.date) -> QuerySet[ImprovementAction]:
    return (
        ImprovementAction.objects.filter(done_at__isnull=True, due_date__lt=today)
        .select_related("owner", "review__process")
        .order_by("due_date")
    )


def open_actions_for(user) -> QuerySet[ImprovementAction]:
    return (
        ImprovementAction.objects.filter(owner=user, done_at__isnull=True)
        .select_related("review__process")
        .order_by("due_date")
    )


def ops_users():
    return users_with_role(Role.OPS)


# --- regulation articles a process implements (apps.policies) ------------------------------


def process_articles(process: Process, user) -> list:
    """The linked articles the user may read (restricted policies stay hidden), grouped
    per policy: [(policy, [node, ...]), ...]. Each node gets `.url` and `.superseded`."""
    from django.urls import reverse

    from apps.policies.selectors import visible_policies

    nodes = (
        process.articles.filter(version__policy__in=visible_policies(user))
        .select_related("version__policy")
        .order_by("version__policy__code", "ordinal")
    )
    groups: dict[int, tuple] = {}
    for node in nodes:
        policy = node.version.policy
        node.superseded = node.version_id != policy.current_version_id
        base = (
            reverse("policies:version", args=[policy.code, node.version.label])
            if node.superseded
            else policy.get_absolute_url()
        )
        node.url = f"{base}#{node.slug}"
        groups.setdefault(policy.pk, (policy, []))[1].append(node)
    return list(groups.values())


def review_counts(*, today: datetime.date, horizon_days: int = 30) -> dict:
    """Processes in use overdue for review, and due within the horizon (overdue ones included, as the lists count them):
    one aggregate query."""
    from django.db.models import Count, Q

    return reviews_due(today=today, within_days=horizon_days).aggregate(
        overdue=Count("pk", filter=Q(next_review_date__lt=today)),
        soon=Count("pk"),
    )
