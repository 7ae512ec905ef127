"""`make bench` pages and jobs for processes, picked on the scale data."""

from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from .models import ChangeRequest, Process, ProcessStep


def pages(ctx) -> list[dict]:
    out = [
        {"name": "process catalogue", "path": reverse("processes:list"), "role": "staff"},
        {"name": "process catalogue, page 5", "path": reverse("processes:list") + "?page=5", "role": "staff"},
        {
            "name": "process catalogue, review due in 90 days",
            "path": reverse("processes:list") + "?review=90",
            "role": "ops",
        },
        {"name": "approvals inbox (ops pool)", "path": reverse("processes:inbox"), "role": "ops"},
        {"name": "approvals inbox (busy department head)", "path": reverse("processes:inbox"), "role": "manager"},
        {"name": "change requests list", "path": reverse("processes:cr_list"), "role": "ops"},
        {"name": "approval time report", "path": reverse("processes:report") + "?days=365", "role": "ops"},
    ]
    big = (
        ProcessStep.objects.filter(version__process__current_version=F("version"))
        .values("version__process__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if big:
        out.append(
            {
                "name": f"process page with diagram ({big['n']} steps)",
                "path": reverse("processes:detail", args=[big["version__process__code"]]),
                "role": "staff",
            }
        )
    cr = (
        ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING_OPS)
        .annotate(n=Count("events"))
        .order_by("-n", "pk")
        .first()
    )
    if cr:
        out.append(
            {
                "name": "change request page (diff, diagram, history)",
                "path": reverse("processes:cr_detail", args=[cr.pk]),
                "role": "ops",
            }
        )
    manager = ctx["users"].get("manager") if "users" in ctx else None
    if manager is not None and manager.department_id:
        code = manager.department.code
        out.append(
            {
                "name": "department processes and steps",
                "path": reverse("processes:department", args=[code]),
                "role": "staff",
            }
        )
    return out


def jobs(ctx) -> list[dict]:
    def overdue_scan() -> int:
        from .selectors import actions_overdue, approvals_overdue, reviews_due

        today = timezone.localdate()
        return len(approvals_overdue(today=today)) + len(reviews_due(today=today)) + len(actions_overdue(today=today))

    def publish_through_the_chain() -> int:
        """A change to the largest process, proposed, approved by each stage and published."""
        from . import services
        from . import workflow as wf
        from .steps import version_steps

        users = ctx["users"]
        big = (
            Process.objects.filter(status=Process.Status.IN_USE, current_version__isnull=False)
            .annotate(n=Count("current_version__steps"))
            .order_by("-n")
            .first()
        )
        if big is None:
            return 0
        steps = version_steps(big.current_version)
        steps[0] = {**steps[0], "name": steps[0]["name"][:100] + "·"}
        proposer = users["staff"]
        cr = services.change_request_create(
            process=big, proposer=proposer, title="bench", reason="bench", steps=steps, marked_major=True
        )
        cr = services.change_request_transition(cr=cr, user=proposer, action="submit")
        approvers = list(users.values())
        for _ in range(5):
            if not cr.is_pending:
                break
            decider = next((u for u in approvers if wf.may_decide(cr, u)), None) or cr.assignee
            if decider is None:
                break
            cr = services.change_request_transition(cr=cr, user=decider, action="approve")
        return len(steps)

    return [
        {"name": "scheduled scans: approvals overdue, reviews due, actions overdue", "run": overdue_scan},
        {
            "name": "change request on the largest process: submit, approve ×3, publish",
            "run": publish_through_the_chain,
        },
    ]
