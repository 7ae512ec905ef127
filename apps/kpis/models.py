"""Indicators (指标), their targets and figures per period, and period locks.

A period is stored as (year, index) at the indicator's frequency (see periods.py); the
frequency lives on the indicator, so (indicator, year, index) names one period exactly.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .achievement import DEFAULT_AMBER, DEFAULT_GREEN, Direction
from .periods import Frequency, Period

VALUE = {"max_digits": 18, "decimal_places": 4}


class Scope(models.TextChoices):
    COMPANY = "company", _("Company")
    DEPARTMENT = "department", _("Department")
    PERSON = "person", _("Person")


class RollUp(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    WEIGHTED = "weighted", _("Weighted average")


class YearRule(models.TextChoices):
    """How the periods of a year make up the year: flows add up (sales), levels and rates
    average (market share, satisfaction). Used to split a yearly target evenly."""

    SUM = "sum", _("Periods add up to the year")
    AVERAGE = "average", _("Each period carries the yearly level")


def _first_of_year() -> date:
    return date(timezone.localdate().year, 1, 1)  # the portal's year, not the server's (UTC) one


class Indicator(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    definition = models.TextField(_("definition"), blank=True)
    formula = models.TextField(_("formula"), blank=True, help_text=_("How the figure is calculated, in words."))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    range_low = models.DecimalField(_("range low"), null=True, blank=True, **VALUE)
    range_high = models.DecimalField(_("range high"), null=True, blank=True, **VALUE)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    year_rule = models.CharField(_("periods in a year"), max_length=10, choices=YearRule.choices, default=YearRule.SUM)
    scope = models.CharField(
        pgettext_lazy("indicator", "scope"), max_length=12, choices=Scope.choices, default=Scope.DEPARTMENT
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("owning department"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="personal_indicators",
        help_text=_("Only for person-scope indicators."),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("indicator", "responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_indicators",
    )
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    rollup = models.CharField(
        _("roll-up rule"),
        max_length=10,
        choices=RollUp.choices,
        default=RollUp.SUM,
        help_text=_("How this indicator's children add up to it."),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=8,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(0)],
        help_text=_("Weight in the parent's weighted roll-up."),
    )
    green_pct = models.DecimalField(
        _("green from (percent of target)"), max_digits=6, decimal_places=2, default=DEFAULT_GREEN
    )
    amber_pct = models.DecimalField(
        _("amber from (percent of target)"), max_digits=6, decimal_places=2, default=DEFAULT_AMBER
    )
    valid_min = models.DecimalField(
        _("plausible minimum"),
        null=True,
        blank=True,
        **VALUE,
        help_text=_("Figures below this are flagged before saving."),
    )
    valid_max = models.DecimalField(
        _("plausible maximum"),
        null=True,
        blank=True,
        **VALUE,
        help_text=_("Figures above this are flagged before saving."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind after (working days)"),
        default=5,
        help_text=_("Working days after the period's end before a missing figure is chased."),
    )
    active_from = models.DateField(_("tracked from"), default=_first_of_year)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The processes this indicator measures (process management links nothing from its side).
    processes = models.ManyToManyField(
        "processes.Process", verbose_name=_("linked processes"), blank=True, related_name="indicators"
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(scope="person") | models.Q(person__isnull=False), name="kpi_person_scope_has_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("kpis:indicator", args=[self.pk])

    def period(self, year: int, index: int) -> Period:
        return Period(year, index, self.frequency)


class PeriodFields(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    index = models.PositiveSmallIntegerField(_("period"))

    class Meta:
        abstract = True

    @property
    def period(self) -> Period:
        return Period(self.year, self.index, self.indicator.frequency)


class Target(PeriodFields):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(_("target"), **VALUE)
    # None -> the indicator's thresholds
    green_pct = models.DecimalField(
        _("green from (percent of target)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    amber_pct = models.DecimalField(
        _("amber from (percent of target)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "index"], name="kpi_target_once_per_period")
        ]


def evidence_path(instance, filename: str) -> str:
    return f"kpis/evidence/{instance.indicator_id}/{instance.year}-{instance.index}/{filename}"


class Measurement(PeriodFields):
    """The actual figure (实际值). A cleared value stays as a row with value None so the
    history of corrections survives."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(_("actual"), null=True, blank=True, **VALUE)
    note = models.CharField(_("note"), max_length=500, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "index"], name="kpi_measurement_once_per_period")
        ]
        indexes = [models.Index(fields=["year", "index"], name="kpi_measurement_period")]


class MeasurementRevision(models.Model):
    """One correction: who changed what from what."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    old_value = models.DecimalField(null=True, blank=True, **VALUE)
    new_value = models.DecimalField(null=True, blank=True, **VALUE)
    old_note = models.CharField(max_length=500, blank=True)
    new_note = models.CharField(max_length=500, blank=True)
    evidence_changed = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    source = models.CharField(max_length=20, default="form")  # form, inline, import

    class Meta:
        ordering = ["-changed_at", "-pk"]


class PeriodLock(models.Model):
    """A closed period: after ops lock it, only ops change its figures."""

    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    year = models.PositiveSmallIntegerField()
    index = models.PositiveSmallIntegerField()
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    locked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("period lock")
        verbose_name_plural = _("period locks")
        ordering = ["-year", "-index"]
        constraints = [models.UniqueConstraint(fields=["frequency", "year", "index"], name="kpi_lock_once")]

    @property
    def period(self) -> Period:
        return Period(self.year, self.index, self.frequency)


class FigureImport(models.Model):
    """An uploaded figures file waiting for confirmation; rows kept here, not in the session."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_count = models.PositiveIntegerField(default=0)
