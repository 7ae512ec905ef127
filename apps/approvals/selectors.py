"""Reads of the approvals engine: the inbox tabs, the request page's stepper and timeline,
the time-in-stage report."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Prefetch, Q
from django.utils import timezone

from . import flows
from .machines import OPEN_TASKS
from .models import DECISIONS, Event, Mode, Request, Stage, Task
from .registry import kind_for, kinds

R, S, T = Request.Status, Stage.Status, Task.Status
TABS = ("waiting", "done", "mine", "cc")
DECIDED_TASKS = (T.APPROVED, T.REJECTED, T.RETURNED, T.TRANSFERRED, T.ESCALATED)


def department_options() -> list[tuple[str, str]]:
    """(id, indented name) of every department, for the inbox filter."""
    from apps.departments.models import Department

    rows = Department.objects.order_by("path").values_list("pk", "name", "depth")
    return [(str(pk), "\u3000" * depth + name) for pk, name, depth in rows]


def waiting_count(user) -> int:
    """What waits for `user` (the top bar and the inbox tab ask once per request)."""
    if not hasattr(user, "_approvals_waiting"):
        user._approvals_waiting = Task.objects.filter(assignee=user, status=T.PENDING).count()
    return user._approvals_waiting


def inbox_page(user, *, tab: str, page, per_page: int = 30, **filters):
    """One page of a tab: the page is found on the ids alone (a deep page does not join
    thousands of rows to throw them away), then its rows are loaded with what they show."""
    from django.core.paginator import Paginator

    qs = inbox(user, tab=tab, **filters)
    found = Paginator(qs.values_list("pk", flat=True), per_page).get_page(page)
    ids = list(found.object_list)
    rows = {row.pk: row for row in qs.filter(pk__in=ids)}
    found.object_list = [rows[pk] for pk in ids if pk in rows]
    return found


def inbox(user, *, tab: str, kind: str = "", department=None, date_from=None, date_to=None):
    """Rows of one tab, newest first (waiting: oldest first); each row has `.request`."""
    if tab == "mine":
        qs = Request.objects.filter(proposer=user).select_related("proposer", "department", "current_stage")
        prefix = ""
        qs = qs.order_by("-submitted_at", "-pk")
    else:
        statuses = {"waiting": (T.PENDING,), "done": DECIDED_TASKS, "cc": (T.COPY,)}[tab]
        qs = Task.objects.filter(assignee=user, status__in=statuses).select_related(
            "request__proposer", "request__department", "request__current_stage", "stage", "principal"
        )
        # the columns the page shows, not whole user rows
        qs = qs.only(
            "id",
            "status",
            "created_at",
            "decided_at",
            "request_id",
            "stage_id",
            "principal_id",
            "request__id",
            "request__title",
            "request__kind",
            "request__status",
            "request__submitted_at",
            "request__proposer__username",
            "request__proposer__display_name",
            "request__proposer__first_name",
            "request__proposer__last_name",
            "request__department__name",
            "request__current_stage__name",
            "stage__name",
            "principal__username",
            "principal__display_name",
            "principal__first_name",
            "principal__last_name",
        )
        prefix = "request__"
        order = {"waiting": ("created_at", "pk"), "done": ("-decided_at", "-pk"), "cc": ("-created_at", "-pk")}[tab]
        qs = qs.order_by(*order)
    if kind:
        qs = qs.filter(**{f"{prefix}kind": kind})
    if department is not None:
        qs = qs.filter(**{f"{prefix}department__path__startswith": department.path})
    if date_from:
        qs = qs.filter(**{f"{prefix}submitted_at__date__gte": date_from})
    if date_to:
        qs = qs.filter(**{f"{prefix}submitted_at__date__lte": date_to})
    return qs


# --- the request page ----------------------------------------------------------------------


@dataclass
class StepRow:
    index: int
    name: str
    mode: str
    mode_label: str
    state: str  # done, current, upcoming, skipped, not_needed, returned, rejected, cancelled
    people: list = field(default_factory=list)  # (name, status label, tone, on behalf of)
    note: str = ""
    condition: str = ""

    STEP_ICONS = {
        "done": "bi-check-lg",
        "current": "bi-hourglass-split",
        "rejected": "bi-x-lg",
        "returned": "bi-arrow-return-left",
        "skipped": "bi-skip-forward",
        "not_needed": "bi-skip-forward",
    }

    @property
    def icon(self) -> str:
        return self.STEP_ICONS.get(self.state, "")

    @property
    def passed_over(self) -> bool:
        """Skipped or not needed: nobody was asked, so no "—" for missing people."""
        return self.state in ("skipped", "not_needed")


def request_detail(pk: int) -> Request:
    return Request.objects.select_related(
        "proposer__department", "department", "owner_department", "flow_version__flow", "current_stage"
    ).get(pk=pk)


TASK_TONES = {
    T.APPROVED: "success",
    T.REJECTED: "danger",
    T.RETURNED: "warning",
    T.PENDING: "primary",
    T.QUEUED: "light",
    T.COPY: "info",
}


def stepper(req: Request) -> list[StepRow]:
    """Every stage of the request's flow version: what happened in the current submission,
    and for stages not reached yet the approvers they would ask today."""
    kind = kind_for(req.kind)
    rows_by_index: dict[int, Stage] = {}
    stages = (
        Stage.objects.filter(request=req, submission=req.submission)
        .order_by("index", "pk")
        .prefetch_related(
            Prefetch("tasks", queryset=Task.objects.select_related("assignee", "principal").order_by("pk"))
        )
    )
    for stage in stages:
        rows_by_index[stage.index] = stage  # the latest row of each index
    out = []
    for i, spec in enumerate(req.flow_version.stages):
        row = StepRow(
            index=i,
            name=spec["name"],
            mode=spec["mode"],
            mode_label=str(dict(flows.Mode.choices)[spec["mode"]]),
            state="upcoming",
            condition=""
            if spec["condition"]["type"] == "always"
            else flows.condition_text(spec["condition"], kind.fields if kind else {}),
        )
        stage = rows_by_index.get(i)
        if stage is not None:
            row.state = {
                S.ACTIVE: "current",
                S.APPROVED: "done",
                S.SKIPPED: "skipped",
                S.RETURNED: "returned",
                S.REJECTED: "rejected",
                S.CANCELLED: "cancelled",
            }.get(stage.status, "upcoming")
            if (
                row.state == "returned"
                and req.status == R.PENDING
                and req.current_stage
                and req.current_stage.index > i
            ):
                row.state = "done"
            row.people = [
                (
                    t.assignee.name,
                    t.get_status_display(),
                    TASK_TONES.get(t.status, "secondary"),
                    t.principal.name if t.principal else "",
                )
                for t in stage.tasks.all()
                # a 或签 pool's closed tasks are noise once someone decided
                if not (t.status == T.CANCELLED and stage.status != S.CANCELLED)
            ]
        elif not flows.applies(spec, req.facts):
            row.state = "not_needed"
        elif req.is_open:
            found = flows.resolve(
                spec, proposer=req.proposer, department=req.department, owner_department=req.owner_department
            )
            row.people = [(p.name, "", "light", "") for p in found.approvers[:12]]
            if len(found.approvers) > 12:
                row.note = f"+{len(found.approvers) - 12}"
        out.append(row)
    return out


def timeline(req: Request):
    return (
        Event.objects.filter(request=req)
        .select_related("actor", "on_behalf_of", "target")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def last_return(req: Request) -> Event | None:
    """Why a returned request came back: the approver's return (who, when, at which stage, and
    their comment), shown to the proposer where they edit and resubmit. None unless returned."""
    if req is None or req.status != R.RETURNED:
        return None
    return (
        Event.objects.filter(request=req, operation=Event.Operation.RETURN, submission=req.submission)
        .select_related("actor", "on_behalf_of")
        .order_by("-created_at", "-pk")
        .first()
    )


def my_pending_task(req: Request, user) -> Task | None:
    if req.status != R.PENDING or req.current_stage_id is None:
        return None
    return (
        Task.objects.filter(request=req, stage_id=req.current_stage_id, assignee=user, status=T.PENDING)
        .select_related("principal")
        .first()
    )


def reach(req: Request, task: Task | None, steps: list[StepRow]) -> dict[str, list[str]]:
    """Whom each operation on the request page reaches (names), for its confirm dialog: the
    proposer for reject and return; for approve, whoever is asked next (the next in order, the
    next stage's approvers from the stepper, or the proposer when it is the last); the pending
    approvers for urge and withdraw. One query."""
    proposer = [req.proposer.name]
    out: dict[str, list[str]] = {"reject": proposer, "return": proposer}
    if req.current_stage_id is None:
        return out
    open_ = list(
        Task.objects.filter(stage_id=req.current_stage_id, status__in=OPEN_TASKS)
        .select_related("assignee")
        .order_by("pk")
    )
    out["urge"] = out["withdraw"] = [t.assignee.name for t in open_ if t.status == T.PENDING]
    if task is None:
        return out
    mode = req.current_stage.mode
    others = [t for t in open_ if t.pk != task.pk]
    if mode == Mode.SEQUENTIAL and any(t.after_id == task.pk for t in others):
        out["approve"] = [t.assignee.name for t in others if t.after_id == task.pk]
    elif mode == Mode.ALL and others:
        out["approve"] = []  # the others in this stage still decide; nobody new is asked
    else:
        out["approve"] = next_asked(steps[req.current_stage.index + 1 :], req.proposer.name)
    return out


def next_asked(steps: list[StepRow], proposer_name: str) -> list[str]:
    """Who hears of it when the flow moves on to `steps` (the stepper's rows still ahead): the
    copied people up to the first stage that asks someone, and its approvers; the proposer when
    no stage is left. Submitting a draft reaches `next_asked(stepper(req), ...)`."""
    names: list[str] = []
    for row in steps:
        if row.state == "upcoming" and row.people:
            names += [p[0] for p in row.people]
            if row.mode != Mode.COPY:
                return names
    return [*names, proposer_name]  # the last stage: the proposer hears the result


def allowed_operations(req: Request, user, task: Task | None) -> list[str]:
    ops = []
    if task is not None:
        ops += ["approve", "reject", "return", "transfer", "add_before", "add_after"]
    if user.pk == req.proposer_id and req.is_open:
        ops.append("withdraw")
        if (
            req.status == R.PENDING
            and req.current_stage is not None
            and req.current_stage.urged_on != timezone.localdate()
        ):
            ops.append("urge")
    ops.append("comment")
    return ops


def return_targets(req: Request, steps: list[StepRow]) -> list[StepRow]:
    current = req.current_stage.index if req.current_stage else 0
    return [s for s in steps if s.index < current and s.state == "done" and s.mode != "cc"]


def open_tasks(req: Request):
    return Task.objects.filter(request=req, status__in=OPEN_TASKS)


# --- report ----------------------------------------------------------------------------------


def stage_times(*, since: datetime.date | None = None, kind: str = ""):
    """Per kind and stage: decisions, average and longest time spent in the stage."""
    spent = ExpressionWrapper(F("created_at") - F("stage_started_at"), output_field=DurationField())
    qs = Event.objects.filter(operation__in=DECISIONS, stage_started_at__isnull=False)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if kind:
        qs = qs.filter(request__kind=kind)
    rows = list(
        qs.values("request__kind", "stage_name")
        .annotate(
            decisions=Count("pk"),
            average=Avg(spent),
            longest=Max(spent),
            returned=Count("pk", filter=Q(operation=Event.Operation.RETURN)),
            rejected=Count("pk", filter=Q(operation=Event.Operation.REJECT)),
        )
        .order_by("request__kind", "stage_name")
    )
    labels = {code: k.label for code, k in kinds().items()}
    for row in rows:
        row["kind_label"] = labels.get(row["request__kind"], row["request__kind"])
    return rows


def waiting_now(kind: str = ""):
    """Requests waiting in a stage now, longest first."""
    qs = Stage.objects.filter(status=S.ACTIVE, request__status=R.PENDING).select_related("request__proposer")
    if kind:
        qs = qs.filter(request__kind=kind)
    return qs.order_by("entered_at")
