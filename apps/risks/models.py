"""The risk register (风险登记册): risks, their assessments on the company's likelihood ×
impact scale, response measures, key risk indicators bound to KPIs, and reviews.

A risk carries its latest inherent and residual scores (denormalised from its newest
assessment by the services) so the register, the heat map and the filters read one table.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.badges import badge_tones

from .scoring import LEVEL_ORDER, LEVEL_TONES, Level

SCALE_MAX = 10  # the largest matrix a company may set up (10 × 10)
TEXT_LIMIT = 2000


def _english() -> bool:
    """Editable lists keep a Chinese and an English name; the page's language picks one."""
    return (get_language() or "").startswith("en")


class Category(models.Model):
    """Editable list: strategic, operational, financial, compliance, market, IT/data, safety."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("risk category")
        verbose_name_plural = _("risk categories")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if _english() and self.name_en else self.name


class Axis(models.TextChoices):
    LIKELIHOOD = "likelihood", _("Likelihood")
    IMPACT = "impact", _("Impact")


class ScaleLevel(models.Model):
    """One step of the company's scale, with what it means written out (e.g. 5 = 几乎确定)."""

    axis = models.CharField(_("axis"), max_length=12, choices=Axis.choices)
    value = models.PositiveSmallIntegerField(
        _("value"), validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)]
    )
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40, blank=True)
    meaning = models.CharField(_("meaning"), max_length=300, blank=True)
    meaning_en = models.CharField(_("meaning (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["axis", "value"]
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        constraints = [models.UniqueConstraint(fields=["axis", "value"], name="risks_scale_level_once")]

    def __str__(self):
        return f"{self.value} {self.label}"

    @property
    def label(self) -> str:
        return self.name_en if _english() and self.name_en else self.name

    @property
    def meaning_text(self) -> str:
        return self.meaning_en if _english() and self.meaning_en else self.meaning


class LevelBand(models.Model):
    """The lowest score that reaches a level (低/中/高/极高); editable by ops."""

    level = models.CharField(_("level"), max_length=10, choices=Level.choices, unique=True)
    min_score = models.PositiveSmallIntegerField(_("from score"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["min_score"]
        verbose_name = _("level band")
        verbose_name_plural = _("level bands")

    def __str__(self):
        return f"{self.get_level_display()} ≥ {self.min_score}"


class Strategy(models.TextChoices):
    AVOID = "avoid", _("Avoid")
    REDUCE = "reduce", _("Reduce")
    TRANSFER = "transfer", _("Transfer")
    ACCEPT = "accept", _("Accept")


class Risk(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        OPEN = "open", _("In the register")
        CLOSED = "closed", _("Closed")

    class Acceptance(models.TextChoices):
        NONE = "", _("Not needed")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Acceptance approved")
        REJECTED = "rejected", _("Acceptance refused")

    badge_tones(Status, {Status.REPORTED: "info", Status.OPEN: "primary", Status.CLOSED: "secondary"})
    BADGES = {"status": Status}

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_LIMIT, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="risks", verbose_name=_("category"))
    department = models.ForeignKey(
        "departments.Department", on_delete=models.PROTECT, related_name="risks", verbose_name=_("owning department")
    )
    company_wide = models.BooleanField(
        _("company-wide"), default=False, help_text=_("Everyone in the company may see a company-wide risk.")
    )
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only the owner, the department head, operations management and the general manager see it."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_risks",
        verbose_name=_("owner"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reported_risks"
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    causes = models.TextField(_("causes"), max_length=TEXT_LIMIT, blank=True)
    consequences = models.TextField(_("consequences"), max_length=TEXT_LIMIT, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REPORTED)
    closed_reason = models.CharField(_("reason for closing"), max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    strategy = models.CharField(_("response"), max_length=10, choices=Strategy.choices, blank=True)
    strategy_note = models.TextField(_("response plan"), max_length=TEXT_LIMIT, blank=True)
    acceptance = models.CharField(
        _("acceptance"), max_length=10, choices=Acceptance.choices, blank=True, default=Acceptance.NONE
    )
    acceptance_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acceptance_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_date = models.DateField(_("next review"), null=True, blank=True)

    # The newest assessment, copied here by the services (see services.assess).
    likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    impact = models.PositiveSmallIntegerField(null=True, blank=True)
    inherent_score = models.PositiveSmallIntegerField(_("inherent score"), null=True, blank=True)
    inherent_level = models.CharField(_("inherent level"), max_length=10, choices=Level.choices, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_score = models.PositiveSmallIntegerField(_("residual score"), null=True, blank=True)
    residual_level = models.CharField(_("residual level"), max_length=10, choices=Level.choices, blank=True)
    in_warning = models.BooleanField(_("early warning"), default=False, db_index=True)

    policies = models.ManyToManyField(
        "policies.Policy", blank=True, related_name="risks", verbose_name=_("regulations")
    )
    articles = models.ManyToManyField(
        "policies.PolicyNode", blank=True, related_name="risks", verbose_name=_("regulation articles")
    )
    processes = models.ManyToManyField(
        "processes.Process", blank=True, related_name="risks", verbose_name=_("processes")
    )
    steps = models.ManyToManyField(
        "processes.ProcessStep", blank=True, related_name="risks", verbose_name=_("process steps")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        indexes = [
            models.Index(fields=["status", "residual_level"], name="risks_status_level"),
            models.Index(fields=["department", "status"], name="risks_department_status"),
            models.Index(fields=["likelihood", "impact"], name="risks_inherent_cell"),
            models.Index(fields=["residual_likelihood", "residual_impact"], name="risks_residual_cell"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:detail", args=[self.code])

    @property
    def is_reported(self) -> bool:
        return self.status == self.Status.REPORTED

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def acceptance_pending(self) -> bool:
        return self.acceptance == self.Acceptance.PENDING

    @property
    def level(self) -> str:
        """The level that counts now: residual where assessed, else inherent."""
        return self.residual_level or self.inherent_level

    @property
    def level_tone(self) -> str:
        return LEVEL_TONES.get(self.level, "secondary")

    @property
    def level_rank(self) -> int:
        return LEVEL_ORDER.get(self.level, -1)


class Assessment(models.Model):
    """One assessment; every reassessment is kept, so the risk shows its trend."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="assessments")
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    inherent_score = models.PositiveSmallIntegerField()
    inherent_level = models.CharField(max_length=10, choices=Level.choices)
    controls = models.TextField(_("existing controls"), max_length=TEXT_LIMIT, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"))
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"))
    residual_score = models.PositiveSmallIntegerField()
    residual_level = models.CharField(max_length=10, choices=Level.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["risk", "-assessed_at"], name="risks_assessment_risk_time")]

    def __str__(self):
        return f"{self.risk_id}: {self.inherent_score}/{self.residual_score}"


class Measure(models.Model):
    """A response measure: a tracked action with owner, due date, progress and evidence."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    badge_tones(
        Status,
        {Status.PLANNED: "secondary", Status.IN_PROGRESS: "primary", Status.DONE: "success", Status.CANCELLED: "light"},
    )
    BADGES = {"status": Status}
    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("measure"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_measures", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    progress_note = models.CharField(_("progress"), max_length=1000, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="risks/evidence/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("response measure")
        verbose_name_plural = _("response measures")
        indexes = [models.Index(fields=["status", "due_date"], name="risks_measure_open_due")]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Comparator(models.TextChoices):
    LT = "lt", _("below")
    LE = "le", _("at or below")
    GT = "gt", _("above")
    GE = "ge", _("at or above")


class KeyRiskIndicator(models.Model):
    """A KPI watched for a risk: a figure on the wrong side of the threshold is a breach."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="kris")
    indicator = models.ForeignKey(
        "kpis.Indicator", on_delete=models.CASCADE, related_name="risk_bindings", verbose_name=_("indicator")
    )
    comparator = models.CharField(_("warn when the figure is"), max_length=2, choices=Comparator.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=18, decimal_places=4)
    in_breach = models.BooleanField(default=False)
    last_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    last_period = models.CharField(max_length=20, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("key risk indicator")
        verbose_name_plural = _("key risk indicators")
        constraints = [models.UniqueConstraint(fields=["risk", "indicator"], name="risks_kri_once_per_indicator")]

    def __str__(self):
        return f"{self.indicator_id} {self.comparator} {self.threshold}"

    def breached_by(self, value) -> bool:
        if value is None:
            return False
        return {
            Comparator.LT: value < self.threshold,
            Comparator.LE: value <= self.threshold,
            Comparator.GT: value > self.threshold,
            Comparator.GE: value >= self.threshold,
        }[self.comparator]


class Breach(models.Model):
    """One breach of a KRI, from the first figure past the threshold to the first back inside.
    Its row is the "once per breach" guard: owner and ops are notified when it is created."""

    kri = models.ForeignKey(KeyRiskIndicator, on_delete=models.CASCADE, related_name="breaches")
    period = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=18, decimal_places=4)
    started_at = models.DateTimeField(default=timezone.now)  # the check's moment (a scan passes its own)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kri"], condition=models.Q(ended_at__isnull=True), name="risks_one_open_breach_per_kri"
            )
        ]

    def __str__(self):
        return f"{self.kri_id} {self.period}"


class Review(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("review note"), max_length=1000)
    next_review = models.DateField(_("next review"), null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("risk review")
        verbose_name_plural = _("risk reviews")

    def __str__(self):
        return f"{self.risk_id} {self.reviewed_at:%Y-%m-%d}"


class RegisterImport(models.Model):
    """An uploaded register checked row by row; applied whole or not at all."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.filename
