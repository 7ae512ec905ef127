"""Confirming the minutes moves onto the approvals engine: every minutes version that was
sent for confirmation becomes an approval request of kind "meetings.minutes" (one 会签 stage
of the attendees): each confirmation an approved task with its comment and time on the
timeline; a version still waiting gets the pending tasks of those who have not confirmed.
The next migration drops the old confirmation table."""

from django.db import migrations

KIND = "meetings.minutes"
STAGES = [
    {
        "key": "attendees",
        "name": "与会人确认",
        "mode": "all",
        "approvers": [{"type": "named"}],
        "condition": {"type": "always"},
        "limit_days": None,
    }
]


def forward(apps, schema_editor):
    MinutesVersion = apps.get_model("meetings", "MinutesVersion")
    MinutesConfirmation = apps.get_model("meetings", "MinutesConfirmation")
    Attendee = apps.get_model("meetings", "Attendee")
    Flow = apps.get_model("approvals", "Flow")
    FlowVersion = apps.get_model("approvals", "FlowVersion")
    Request = apps.get_model("approvals", "Request")
    Stage = apps.get_model("approvals", "Stage")
    Task = apps.get_model("approvals", "Task")
    Event = apps.get_model("approvals", "Event")

    flow, _created = Flow.objects.get_or_create(kind=KIND)
    flow_version = flow.current
    if flow_version is None:
        flow_version = FlowVersion.objects.create(flow=flow, number=1, stages=STAGES, note="")
        flow.current = flow_version
        flow.save(update_fields=["current"])

    asked = set(MinutesConfirmation.objects.values_list("version_id", flat=True))
    asked |= set(MinutesVersion.objects.filter(status="confirming").values_list("pk", flat=True))
    for v in MinutesVersion.objects.filter(pk__in=asked).select_related("meeting__organiser").order_by("pk"):
        meeting = v.meeting
        confirmations = list(MinutesConfirmation.objects.filter(version_id=v.pk).order_by("confirmed_at", "pk"))
        done = {c.user_id for c in confirmations}
        people = list(
            Attendee.objects.filter(meeting_id=meeting.pk)
            .exclude(user_id=meeting.organiser_id)
            .order_by("pk")
            .values_list("user_id", flat=True)
        )
        missing = [pk for pk in people if pk not in done]
        pending = v.status == "confirming"
        status = "pending" if pending else ("approved" if not missing else "withdrawn")
        asked_at = confirmations[0].confirmed_at if confirmations else v.created_at
        closed_at = (v.issued_at or asked_at) if not pending else None
        req = Request.objects.create(
            kind=KIND,
            object_id=v.pk,
            flow_version=flow_version,
            title=f"{meeting.title} · 会议纪要 v{v.number}"[:200],
            proposer_id=meeting.organiser_id,
            department_id=meeting.organiser.department_id,
            owner_department_id=meeting.department_id,
            facts={},
            status=status,
            submission=1,
            version=len(confirmations) + 1,
            submitted_at=asked_at,
            closed_at=closed_at,
        )
        spec = STAGES[0]
        stage = Stage.objects.create(
            request=req,
            submission=1,
            index=0,
            key=spec["key"],
            name=spec["name"],
            mode=spec["mode"],
            status="active" if pending else ("approved" if not missing else "cancelled"),
            entered_at=asked_at,
            decided_at=closed_at,
        )
        Event.objects.create(
            request=req, submission=1, operation="submit", actor_id=meeting.organiser_id, created_at=asked_at
        )
        for c in confirmations:
            Task.objects.create(
                request=req,
                stage=stage,
                assignee_id=c.user_id,
                status="approved",
                created_at=asked_at,
                decided_at=c.confirmed_at,
            )
            Event.objects.create(
                request=req,
                stage=stage,
                stage_name=spec["name"],
                submission=1,
                operation="approve",
                actor_id=c.user_id,
                opinion=c.comment,
                stage_started_at=asked_at,
                created_at=c.confirmed_at,
            )
        for pk in missing:
            Task.objects.create(
                request=req,
                stage=stage,
                assignee_id=pk,
                status="pending" if pending else "cancelled",
                created_at=asked_at,
                decided_at=None if pending else closed_at,
            )
        if pending:
            req.current_stage = stage
            req.save(update_fields=["current_stage"])
        elif missing:
            Event.objects.create(
                request=req,
                stage=stage,
                stage_name=spec["name"],
                submission=1,
                operation="withdraw",
                actor_id=v.issued_by_id or meeting.organiser_id,
                opinion="确认期限已过，纪要已签发。",
                created_at=closed_at,
            )
        else:
            Event.objects.create(request=req, submission=1, operation="finish", created_at=closed_at)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("approvals", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward)]  # one way: the old table goes in the next migration
