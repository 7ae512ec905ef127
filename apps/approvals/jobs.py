from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from .escalation import overdue_run


# Working hours, hourly: a stage that passes its limit is reminded the same day.
@job(
    "approvals.remind_and_escalate",
    _("Remind approvers of stages past their limit, then escalate to their managers."),
    schedule="5 8-19 * * 1-6",
)
def remind_and_escalate(now) -> int:
    return overdue_run(now=now)
