"""Process change requests move onto the approvals engine: each request becomes an approval
request of kind "processes.change" with its whole history (every event a timeline line, every
decision a stage and a task of its approver, the waiting stage with its approvers), process
delegations become engine delegations for that kind. The next migration drops the old
columns and tables."""

from django.db import migrations

KIND = "processes.change"
STAGES = [
    {
        "key": "head",
        "name": "部门负责人审批",
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
    {
        "key": "gm",
        "name": "总经理审批",
        "mode": "seq",
        "approvers": [{"type": "gm"}],
        "condition": {"type": "major"},
        "limit_days": 3,
    },
]
INDEX = {"pending_head": 0, "pending_ops": 1, "pending_gm": 2}
STATUS = {"pending_head": "pending", "pending_ops": "pending", "pending_gm": "pending"}
OPERATION = {
    "create": "create",
    "edit": "edit",
    "submit": "submit",
    "approve": "approve",
    "skip": "skip",
    "reject": "reject",
    "return": "return",
    "withdraw": "withdraw",
    "publish": "finish",
}
STAGE_STATUS = {"approve": "approved", "skip": "skipped", "reject": "rejected", "return": "returned"}
TASK_STATUS = {"approve": "approved", "reject": "rejected", "return": "returned"}


def forward(apps, schema_editor):
    ChangeRequest = apps.get_model("processes", "ChangeRequest")
    OldEvent = apps.get_model("processes", "ChangeRequestEvent")
    OldDelegation = apps.get_model("processes", "Delegation")
    Flow = apps.get_model("approvals", "Flow")
    FlowVersion = apps.get_model("approvals", "FlowVersion")
    Request = apps.get_model("approvals", "Request")
    Stage = apps.get_model("approvals", "Stage")
    Task = apps.get_model("approvals", "Task")
    Event = apps.get_model("approvals", "Event")
    Delegation = apps.get_model("approvals", "Delegation")
    User = apps.get_model("accounts", "User")

    flow, _created = Flow.objects.get_or_create(kind=KIND)
    version = flow.current
    if version is None:
        version = FlowVersion.objects.create(flow=flow, number=1, stages=STAGES, note="")
        flow.current = version
        flow.save(update_fields=["current"])
    ops_ids = list(User.objects.filter(groups__name="ops", is_active=True).order_by("pk").values_list("pk", flat=True))

    crs = ChangeRequest.objects.select_related("proposer", "process").order_by("pk")
    for cr in crs.iterator(chunk_size=500):
        events = list(OldEvent.objects.filter(request_id=cr.pk).order_by("created_at", "pk"))
        submissions = sum(1 for e in events if e.action == "submit")
        status = STATUS.get(cr.status, cr.status)
        req = Request.objects.create(
            kind=KIND,
            object_id=cr.pk,
            flow_version=version,
            title=cr.title[:200],
            proposer_id=cr.proposer_id,
            department_id=cr.proposer.department_id,
            owner_department_id=cr.process.department_id,
            facts={"major": cr.marked_major or cr.touches_other_departments, "crosses": cr.touches_other_departments},
            status=status,
            submission=max(1, submissions),
            version=cr.revision,
            submitted_at=cr.submitted_at or cr.created_at,
            closed_at=cr.closed_at,
        )
        submission = 0
        for e in events:
            if e.action == "submit":
                submission += 1
            index = INDEX.get(e.from_status)
            spec = STAGES[index] if index is not None else None
            stage = None
            if e.action in STAGE_STATUS and spec is not None:
                stage = Stage.objects.create(
                    request=req,
                    submission=max(1, submission),
                    index=index,
                    key=spec["key"],
                    name=spec["name"],
                    mode=spec["mode"],
                    limit_days=spec["limit_days"],
                    status=STAGE_STATUS[e.action],
                    entered_at=e.stage_started_at or e.created_at,
                    decided_at=e.created_at,
                )
                if e.action in TASK_STATUS and e.actor_id:
                    Task.objects.create(
                        request=req,
                        stage=stage,
                        assignee_id=e.actor_id,
                        principal_id=e.on_behalf_of_id,
                        status=TASK_STATUS[e.action],
                        created_at=stage.entered_at,
                        decided_at=e.created_at,
                    )
            skipped = e.action == "skip"
            Event.objects.create(
                request=req,
                stage=stage,
                stage_name=spec["name"] if spec else "",
                submission=max(1, submission),
                operation=OPERATION[e.action],
                actor_id=e.actor_id,
                on_behalf_of_id=None if skipped else e.on_behalf_of_id,
                target_id=e.on_behalf_of_id if skipped else None,
                opinion=e.comment,
                stage_started_at=e.stage_started_at,
                created_at=e.created_at,
            )
        index = INDEX.get(cr.status)
        if index is not None:
            spec = STAGES[index]
            stage = Stage.objects.create(
                request=req,
                submission=max(1, submissions),
                index=index,
                key=spec["key"],
                name=spec["name"],
                mode=spec["mode"],
                limit_days=spec["limit_days"],
                status="active",
                entered_at=cr.stage_entered_at or cr.submitted_at or cr.created_at,
            )
            if cr.assignee_id:
                people = [(cr.assignee_id, cr.assignee_principal_id)]
            else:  # the operations pool (或签)
                people = [(pk, None) for pk in ops_ids if pk != cr.proposer_id]
            for assignee, principal in people:
                Task.objects.create(
                    request=req,
                    stage=stage,
                    assignee_id=assignee,
                    principal_id=principal,
                    status="pending",
                    created_at=stage.entered_at,
                )
            req.current_stage = stage
            req.save(update_fields=["current_stage"])
    ChangeRequest.objects.filter(status__in=list(STATUS)).update(status="pending")

    for d in OldDelegation.objects.order_by("pk").iterator():
        new = Delegation.objects.create(
            principal_id=d.principal_id,
            delegate_id=d.delegate_id,
            kind=KIND,
            start_date=d.start_date,
            end_date=d.end_date,
            note=d.note,
            cancelled_at=d.cancelled_at,
        )
        Delegation.objects.filter(pk=new.pk).update(created_at=d.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("processes", "0002_process_articles"),
        ("approvals", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward)]  # one way: the old tables go in the next migration
