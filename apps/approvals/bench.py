"""`make bench` pages of the approvals engine, on its scale data (apps/approvals/scale.py):
the inbox of an approver with 2,000 waiting and 20,000 finished requests, a request page with
30 timeline entries, the time-in-stage report and the flow editor."""

from django.urls import reverse

from .models import Request
from .scale import TIMELINE_TITLE


def pages(ctx) -> list[dict]:
    inbox = reverse("approvals:inbox")
    out = [
        {"name": "my approvals: waiting (2,000)", "path": inbox, "role": "gm"},
        {"name": "my approvals: decided by me (20,000)", "path": inbox + "?tab=done", "role": "gm"},
        {"name": "my approvals: decided by me, page 100", "path": inbox + "?tab=done&page=100", "role": "gm"},
        {"name": "time in stage report", "path": reverse("approvals:report") + "?days=365", "role": "ops"},
        {"name": "approval flows", "path": reverse("approvals:flows"), "role": "admin"},
    ]
    long = Request.objects.filter(title=TIMELINE_TITLE).order_by("-pk").first()
    if long is not None:
        out.append({"name": "approval request with 30 timeline entries", "path": long.get_absolute_url(), "role": "gm"})
    return out


def jobs(ctx) -> list[dict]:
    def overdue() -> int:
        from django.utils import timezone

        from .escalation import overdue_run

        return overdue_run(now=timezone.now())

    return [{"name": "approvals: remind and escalate stages past their limit", "run": overdue}]
