from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from .escalation import overdue_run


@job(
    "approvals.remind_and_escalate", _("Remind approvers of stages past their limit, then escalate to their managers.")
)
def remind_and_escalate(now) -> int:
    return overdue_run(now=now)
