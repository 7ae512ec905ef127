"""Regulation drafts move onto the approvals engine: every version that was ever submitted
becomes an approval request of kind "policies.draft" with its whole approval history (each
submit, department approval, operations approval and return a timeline line; each decision
a stage and a task of its approver); a draft in approval gets its waiting stage with its
approvers (the owning department's head, or the operations pool without the author and the
department's approver: four eyes). The moved history rows leave policies' history, and
"awaiting operations approval" becomes "in approval". The next migration drops the old
columns."""

from django.db import migrations

KIND = "policies.draft"
STAGES = [
    {
        "key": "head",
        "name": "归口部门负责人审批",
        "mode": "seq",
        "approvers": [{"type": "owner_head"}],
        "condition": {"type": "always"},
        "limit_days": 3,
    },
    {
        "key": "ops",
        "name": "运营管理部审批",
        "mode": "any",
        "approvers": [{"type": "role", "role": "ops"}],
        "condition": {"type": "always"},
        "limit_days": 3,
    },
]
MOVED = ("submit", "dept_approve", "ops_approve", "return")
IN_FLIGHT = {"in_review": 0, "ops_review": 1}


def _stage(Stage, req, *, index, submission, status, entered_at, decided_at=None):
    spec = STAGES[index]
    return Stage.objects.create(
        request=req,
        submission=submission,
        index=index,
        key=spec["key"],
        name=spec["name"],
        mode=spec["mode"],
        limit_days=spec["limit_days"],
        status=status,
        entered_at=entered_at,
        decided_at=decided_at,
    )


def _head(Department, dept_id, barred):
    """The head of the department, else of the nearest ancestor with a head nobody barred."""
    seen = set()
    while dept_id and dept_id not in seen:
        seen.add(dept_id)
        dept = Department.objects.filter(pk=dept_id).values("head_id", "parent_id").first()
        if dept is None:
            return None
        if dept["head_id"] and dept["head_id"] not in barred:
            return dept["head_id"]
        dept_id = dept["parent_id"]
    return None


def forward(apps, schema_editor):
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    PolicyHistory = apps.get_model("policies", "PolicyHistory")
    Department = apps.get_model("departments", "Department")
    Flow = apps.get_model("approvals", "Flow")
    FlowVersion = apps.get_model("approvals", "FlowVersion")
    Request = apps.get_model("approvals", "Request")
    Stage = apps.get_model("approvals", "Stage")
    Task = apps.get_model("approvals", "Task")
    Event = apps.get_model("approvals", "Event")
    User = apps.get_model("accounts", "User")

    flow, _created = Flow.objects.get_or_create(kind=KIND)
    flow_version = flow.current
    if flow_version is None:
        flow_version = FlowVersion.objects.create(flow=flow, number=1, stages=STAGES, note="")
        flow.current = flow_version
        flow.save(update_fields=["current"])
    ops_ids = list(User.objects.filter(groups__name="ops", is_active=True).order_by("pk").values_list("pk", flat=True))

    submitted = set(PolicyHistory.objects.filter(action__in=MOVED, version__isnull=False).values_list("version_id", flat=True))
    submitted |= set(PolicyVersion.objects.filter(status__in=list(IN_FLIGHT)).values_list("pk", flat=True))
    versions = PolicyVersion.objects.filter(pk__in=submitted).select_related("policy").order_by("pk")
    for v in versions.iterator(chunk_size=500):
        rows = list(PolicyHistory.objects.filter(version_id=v.pk, action__in=MOVED).order_by("at", "pk"))
        first_submit = next((h for h in rows if h.action == "submit"), None)
        proposer_id = (first_submit.actor_id if first_submit else None) or v.created_by_id
        if proposer_id is None:
            proposer_id = User.objects.filter(is_superuser=True).order_by("pk").values_list("pk", flat=True).first()
        if proposer_id is None:
            continue  # nobody to name as proposer (no user at all): nothing to move
        proposer = User.objects.get(pk=proposer_id)
        last = rows[-1].action if rows else ""
        if v.status in IN_FLIGHT:
            status = "pending"
        elif last == "return" or v.status == "draft":
            status = "returned"
        else:
            status = "approved"
        submissions = max(1, sum(1 for h in rows if h.action == "submit"))
        submitted_at = v.submitted_at or (first_submit.at if first_submit else v.created_at)
        req = Request.objects.create(
            kind=KIND,
            object_id=v.pk,
            flow_version=flow_version,
            title=f"{v.policy.code} {v.label} {v.title}"[:200],
            proposer_id=proposer_id,
            department_id=proposer.department_id,
            owner_department_id=v.policy.owning_department_id,
            facts={"major": v.policy.current_version_id in (None, v.pk)},
            status=status,
            submission=submissions,
            version=len(rows) + 1,
            submitted_at=submitted_at,
            closed_at=(v.approved_at or (rows[-1].at if rows else None)) if status == "approved" else None,
        )
        submission, started = 0, submitted_at
        for h in rows:
            stage = None
            if h.action == "submit":
                submission += 1
                started = h.at
                operation = "submit"
            else:
                index = 1 if h.action == "ops_approve" or h.from_status == "ops_review" else 0
                decided = "returned" if h.action == "return" else "approved"
                stage = _stage(
                    Stage,
                    req,
                    index=index,
                    submission=max(1, submission),
                    status=decided,
                    entered_at=started,
                    decided_at=h.at,
                )
                if h.actor_id:
                    Task.objects.create(
                        request=req, stage=stage, assignee_id=h.actor_id, status=decided, created_at=started, decided_at=h.at
                    )
                operation = "return" if h.action == "return" else "approve"
            Event.objects.create(
                request=req,
                stage=stage,
                stage_name=stage.name if stage else "",
                submission=max(1, submission),
                operation=operation,
                actor_id=h.actor_id,
                opinion=h.comment,
                stage_started_at=started if stage else None,
                created_at=h.at,
            )
            if stage is not None:
                started = h.at
            if h.action == "ops_approve":
                Event.objects.create(request=req, submission=max(1, submission), operation="finish", created_at=h.at)
        index = IN_FLIGHT.get(v.status)
        if index is not None:
            stage = _stage(Stage, req, index=index, submission=submissions, status="active", entered_at=started)
            barred = {proposer_id, v.created_by_id} - {None}
            if index == 0:
                head = _head(Department, v.policy.owning_department_id, barred)
                people = [head] if head else []
            else:
                barred.add(v.dept_approved_by_id)
                people = [pk for pk in ops_ids if pk not in barred]
            for pk in people:
                Task.objects.create(request=req, stage=stage, assignee_id=pk, status="pending", created_at=started)
            req.current_stage = stage
            req.save(update_fields=["current_stage"])
    PolicyHistory.objects.filter(action__in=MOVED).delete()
    PolicyVersion.objects.filter(status="ops_review").update(status="in_review")


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0005_ack_source_and_needs_training"),
        ("approvals", "0001_initial"),
        ("accounts", "0001_initial"),
        ("departments", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward)]  # one way: the old columns go in the next migration
