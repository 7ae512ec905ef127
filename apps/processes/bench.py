"""`make bench` pages and jobs for processes, picked on the scale data."""

from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from .models import Process, ProcessStep


def pages(ctx) -> list[dict]:
    out = [
        {"name": "process catalogue", "path": reverse("processes:list"), "role": "staff"},
        {"name": "process catalogue, page 5", "path": reverse("processes:list") + "?page=5", "role": "staff"},
        {
            "name": "process catalogue, review due in 90 days",
            "path": reverse("processes:list") + "?review=90",
            "role": "ops",
        },
        {"name": "change requests list", "path": reverse("processes:cr_list"), "role": "ops"},
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
    from apps.approvals.models import Request

    pending = Request.objects.filter(kind="processes.change", status=Request.Status.PENDING)
    approval = pending.annotate(n=Count("events")).order_by("-n", "pk").first()
    if approval:
        out.append(
            {
                "name": "change request approval page (diff, diagram, stepper, timeline)",
                "path": approval.get_absolute_url(),
                "role": "admin",
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
        from .selectors import actions_overdue, reviews_due

        today = timezone.localdate()
        return len(reviews_due(today=today)) + len(actions_overdue(today=today))

    def publish_through_the_chain() -> int:
        """A change to the largest process, proposed, approved by each stage and published."""
        from apps.approvals.models import Task

        from . import services
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
        for _ in range(5):
            if not cr.is_pending:
                break
            task = Task.objects.filter(
                request__kind="processes.change", request__object_id=cr.pk, status=Task.Status.PENDING
            ).first()
            if task is None:
                break
            cr = services.change_request_transition(cr=cr, user=task.assignee, action="approve")
        return len(steps)

    return [
        {"name": "scheduled scans: reviews due, actions overdue", "run": overdue_scan},
        {
            "name": "change request on the largest process: submit, approve ×3, publish",
            "run": publish_through_the_chain,
        },
    ]
