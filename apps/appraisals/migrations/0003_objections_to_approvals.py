"""Appraisal objections move onto the approvals engine: each objected or resolved appraisal
gets an approval request of kind "appraisals.objection" with its history (the objection, the
resolution) — an open one waits for the HR pool. The objection text and resolution stay on
the appraisal (they are part of its result); no table goes away."""

from django.db import migrations

KIND = "appraisals.objection"
STAGE = {
    "key": "hr",
    "name": "人力资源部处理",
    "mode": "any",
    "approvers": [{"type": "role", "role": "hr"}, {"type": "role", "role": "admin"}],
    "condition": {"type": "always"},
    "limit_days": 5,
}


def forward(apps, schema_editor):
    Appraisal = apps.get_model("appraisals", "Appraisal")
    AppraisalEvent = apps.get_model("appraisals", "AppraisalEvent")
    Flow = apps.get_model("approvals", "Flow")
    FlowVersion = apps.get_model("approvals", "FlowVersion")
    Request = apps.get_model("approvals", "Request")
    Stage = apps.get_model("approvals", "Stage")
    Task = apps.get_model("approvals", "Task")
    Event = apps.get_model("approvals", "Event")
    User = apps.get_model("accounts", "User")

    objected = Appraisal.objects.filter(status__in=["objected", "resolved"]).select_related("employee", "cycle")
    if not objected.exists():
        return
    flow, _created = Flow.objects.get_or_create(kind=KIND)
    version = flow.current
    if version is None:
        version = FlowVersion.objects.create(flow=flow, number=1, stages=[STAGE], note="")
        flow.current = version
        flow.save(update_fields=["current"])
    pool = list(
        User.objects.filter(groups__name__in=["hr", "admin"], is_active=True).distinct().values_list("pk", flat=True)
    )
    for a in objected.order_by("pk"):
        raised = AppraisalEvent.objects.filter(appraisal=a, action="objected").order_by("-created_at").first()
        resolved = AppraisalEvent.objects.filter(appraisal=a, action="objection_resolved").order_by("-created_at").first()
        at = raised.created_at if raised else a.updated_at
        req = Request.objects.create(
            kind=KIND,
            object_id=a.pk,
            flow_version=version,
            title=f"{a.employee.display_name or a.employee.username}: {a.cycle.code}",
            proposer_id=a.employee_id,
            department_id=a.department_id,
            owner_department_id=a.department_id,
            facts={},
            status="approved" if a.status == "resolved" else "pending",
            submitted_at=at,
            closed_at=resolved.created_at if (a.status == "resolved" and resolved) else None,
        )
        Event.objects.create(
            request=req, operation="submit", actor_id=a.employee_id, opinion=a.objection_reason, created_at=at
        )
        stage = Stage.objects.create(
            request=req,
            submission=1,
            index=0,
            key=STAGE["key"],
            name=STAGE["name"],
            mode=STAGE["mode"],
            limit_days=STAGE["limit_days"],
            status="approved" if a.status == "resolved" else "active",
            entered_at=at,
            decided_at=resolved.created_at if resolved else None,
        )
        if a.status == "resolved":
            when = resolved.created_at if resolved else a.updated_at
            actor = resolved.actor_id if resolved else None
            if actor:
                Task.objects.create(
                    request=req, stage=stage, assignee_id=actor, status="approved", created_at=at, decided_at=when
                )
            Event.objects.create(
                request=req,
                stage=stage,
                stage_name=STAGE["name"],
                operation="approve",
                actor_id=actor,
                opinion=a.objection_resolution,
                stage_started_at=at,
                created_at=when,
            )
            Event.objects.create(request=req, operation="finish", created_at=when)
        else:
            for pk in pool:
                if pk != a.employee_id:
                    Task.objects.create(request=req, stage=stage, assignee_id=pk, status="pending", created_at=at)
            req.current_stage = stage
            req.save(update_fields=["current_stage"])


class Migration(migrations.Migration):
    dependencies = [
        ("appraisals", "0002_criterion_indicator"),
        ("approvals", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(forward)]  # one way: the engine keeps the history from here on
