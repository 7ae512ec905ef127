from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
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


class CompanyDay(models.Model):
    """The company's own calendar on top of the State Council's (apps/scheduling/calendar.py):
    a closure (days off that are working days officially) or extra working days."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("company closed")
        WORKING = "working", _("extra working day")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CLOSED)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"), help_text=_("The same as the first day for a single day."))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("company calendar day")
        verbose_name_plural = _("company calendar")
        ordering = ["-first_day"]
        constraints = [
            models.CheckConstraint(condition=models.Q(last_day__gte=models.F("first_day")), name="companyday_in_order")
        ]

    def __str__(self) -> str:
        days = f"{self.first_day}" if self.first_day == self.last_day else f"{self.first_day} – {self.last_day}"
        return f"{days} {self.get_kind_display()}: {self.reason}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.first_day and self.last_day:
            if self.last_day < self.first_day:
                raise ValidationError({"last_day": _("The last day cannot be before the first day.")})
            if (self.last_day - self.first_day).days > 366:
                raise ValidationError({"last_day": _("Enter at most one year at a time.")})


@receiver([post_save, post_delete], sender=CompanyDay)
def _company_days_changed(**kwargs):
    from . import calendar

    calendar.forget_company_days()  # this process, now (its own transaction sees the change)
    transaction.on_commit(calendar.company_days_changed)  # every process, once others can see it
