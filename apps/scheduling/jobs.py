from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import JobRun
from .registry import job

KEEP_DAYS = 90
KEEP_IDLE_DAYS = 7  # successful runs that found nothing to do (the every-minute mail retry)


@job("scheduling.prune_runs", _("Forget job runs and sent mail older than 90 days."))
def prune_runs(now) -> int:
    from django.db.models import Q

    from apps.notifications.models import OutboundEmail

    cutoff = now - timedelta(days=KEEP_DAYS)
    idle = Q(outcome=JobRun.Outcome.OK, items=0, started_at__lt=now - timedelta(days=KEEP_IDLE_DAYS))
    runs, _n = JobRun.objects.filter(Q(started_at__lt=cutoff) | idle).exclude(outcome=JobRun.Outcome.RUNNING).delete()
    mails, _n = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT, sent_at__lt=cutoff).delete()
    return runs + mails


# --- The modules' own scheduled work: each calls the module's idempotent, state-based service.
# A module may register its jobs itself in apps/<app>/jobs.py (policies does: policies.publish_due);
# these are for the modules that expose a service but no job.


@job("kpis.remind_missing_figures", _("Remind the responsible person of indicator figures still missing."))
def kpis_remind_missing_figures(now) -> int:
    from apps.kpis.services import figures_missing_remind

    return figures_missing_remind(today=timezone.localdate(now))


@job(
    "appraisals.open_previous_quarter",
    _("On the first working day of a quarter, open the previous quarter's appraisal cycle."),
)
def appraisals_open_previous_quarter(now) -> int:
    from apps.appraisals.services import appraisal_cycle_open_previous_quarter

    cycle = appraisal_cycle_open_previous_quarter(today=timezone.localdate(now))
    return 0 if cycle is None else cycle.appraisals.count()


@job("appraisals.advance_due_stages", _("Move appraisal cycles to their next stage when a deadline has passed."))
def appraisals_advance_due_stages(now) -> int:
    from apps.appraisals.services import appraisal_stages_advance_due

    return len(appraisal_stages_advance_due(today=timezone.localdate(now)))
