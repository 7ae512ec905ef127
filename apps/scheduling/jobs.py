from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .models import JobRun
from .registry import job

KEEP_DAYS = 90


@job("scheduling.prune_runs", _("Forget job runs and sent mail older than 90 days."))
def prune_runs(now) -> int:
    from apps.notifications.models import OutboundEmail

    cutoff = now - timedelta(days=KEEP_DAYS)
    runs, _n = JobRun.objects.filter(started_at__lt=cutoff).exclude(outcome=JobRun.Outcome.RUNNING).delete()
    mails, _n = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT, sent_at__lt=cutoff).delete()
    return runs + mails
