from django.db import models
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import PeriodicTask


class JobRun(models.Model):
    """One run of a named job: when, how long, how it ended, how many items it did."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        OK = "ok", _("ok")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted")

    name = models.CharField(_("job"), max_length=100)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration = models.FloatField(_("duration (s)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.RUNNING)
    items = models.PositiveIntegerField(_("items"), default=0)
    error = models.TextField(_("error"), blank=True)
    # The PostgreSQL backend that ran it: a "running" row whose backend is gone was interrupted.
    backend_pid = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobrun_name_started")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.started_at:%Y-%m-%d %H:%M:%S}"


class ScheduledJob(PeriodicTask):
    """The beat schedule rows that run our jobs (name = job name), shown with their last run."""

    class Meta:
        proxy = True
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
