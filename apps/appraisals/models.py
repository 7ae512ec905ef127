"""Appraisals (绩效考核): templates of weighted criteria, cycles per period, one appraisal per
employee per cycle, peer feedback and the history of every change.

Scores live as JSON on the appraisal ({criterion id: {"score": "85.00", "comment": ...}}):
they are always read and written together with their appraisal, and the criteria themselves
are snapshotted per cycle (TemplateSnapshot), so later template edits never move an open
or a closed appraisal.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.badges import badge_tones


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


GRADE_TONES = {"excellent": "success", "good": "primary", "pass": "secondary", "fail": "danger"}

# Default bands: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 below.
DEFAULT_GRADE_BANDS = [
    {"grade": "excellent", "min": "90"},
    {"grade": "good", "min": "80"},
    {"grade": "pass", "min": "60"},
    {"grade": "fail", "min": "0"},
]
# Forced distribution in percent of the people appraised: 优秀 at most 20 %, 不合格 at least 0 %.
DEFAULT_FORCED_DISTRIBUTION = {"excellent": {"max": 20}, "fail": {"min": 0}}


class CriterionGroup(models.TextChoices):
    RESULTS = "results", _("Work results")
    ABILITY = "ability", _("Work ability")
    ATTITUDE = "attitude", _("Work attitude")


class Template(models.Model):
    """A set of weighted criteria. Applies to the positions and departments it is assigned
    to (position first, then the nearest department up the tree), else the company default."""

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("company default"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    departments = models.ManyToManyField(
        "departments.Department", verbose_name=_("departments"), blank=True, related_name="appraisal_templates"
    )
    positions = models.ManyToManyField(
        "departments.Position", verbose_name=_("positions"), blank=True, related_name="appraisal_templates"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appraisal template")
        verbose_name_plural = _("appraisal templates")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="appraisal_one_default_template"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("appraisals:template_edit", args=[self.pk])


class Criterion(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="criteria")
    group = models.CharField(_("group"), max_length=20, choices=CriterionGroup.choices, default=CriterionGroup.RESULTS)
    name = models.CharField(_("criterion"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    guidance_excellent = models.TextField(_("guidance for Excellent"), blank=True)
    guidance_good = models.TextField(_("guidance for Good"), blank=True)
    guidance_pass = models.TextField(_("guidance for Pass"), blank=True)
    guidance_fail = models.TextField(_("guidance for Fail"), blank=True)
    # Bound to a KPI: the reviewer's score is proposed from its achievement (kpi_binding).
    indicator = models.ForeignKey(
        "kpis.Indicator",
        verbose_name=_("KPI"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appraisal_criteria",
        help_text=_("The reviewer's score is proposed from this KPI's achievement in the period."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["template", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    def snapshot(self) -> dict:
        return {
            "id": self.pk,
            "group": self.group,
            "name": self.name,
            "description": self.description,
            "weight": str(self.weight),
            "indicator_id": self.indicator_id,
            "indicator": str(self.indicator) if self.indicator_id else "",
            "guidance": {
                "excellent": self.guidance_excellent,
                "good": self.guidance_good,
                "pass": self.guidance_pass,
                "fail": self.guidance_fail,
            },
        }


class Stage(models.TextChoices):
    SELF = "self", _("Self-assessment")
    REVIEW = "review", _("Manager review")
    CALIBRATION = "calibration", _("HR calibration")
    PUBLISHED = "published", _("Results published")
    CLOSED = "closed", _("Closed")


badge_tones(
    Stage,
    {
        Stage.SELF: "info",
        Stage.REVIEW: "primary",
        Stage.CALIBRATION: "warning",
        Stage.PUBLISHED: "success",
        Stage.CLOSED: "secondary",
    },
)


class CycleKind(models.TextChoices):
    QUARTER = "quarter", _("Quarterly")
    ANNUAL = "annual", _("Annual")


class Cycle(models.Model):
    code = models.CharField(_("period"), max_length=10, unique=True)  # "2026Q3" or "2026"
    kind = models.CharField(_("kind"), max_length=10, choices=CycleKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    cutoff_date = models.DateField(
        _("joined before"), help_text=_("People who joined on or after this date are not appraised.")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.SELF)
    BADGES = {"stage": Stage}
    self_deadline = models.DateField(_("self-assessment deadline"))
    review_deadline = models.DateField(_("manager review deadline"))
    calibration_deadline = models.DateField(_("calibration deadline"))
    close_date = models.DateField(_("acknowledgement deadline"))
    grade_bands = models.JSONField(default=list)  # snapshotted bands, see DEFAULT_GRADE_BANDS
    forced_distribution = models.JSONField(default=dict, blank=True)
    distribution_is_hard = models.BooleanField(_("forced distribution is a hard rule"), default=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal cycle")
        verbose_name_plural = _("appraisal cycles")
        ordering = ["-period_end", "kind"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("appraisals:cycle", args=[self.code])

    @property
    def current_deadline(self):
        return {
            Stage.SELF: self.self_deadline,
            Stage.REVIEW: self.review_deadline,
            Stage.CALIBRATION: self.calibration_deadline,
            Stage.PUBLISHED: self.close_date,
        }.get(self.stage)

    # What templates ask about the stage (they never compare it with a literal).
    @property
    def in_self_assessment(self) -> bool:
        return self.stage == Stage.SELF

    @property
    def in_review(self) -> bool:
        return self.stage == Stage.REVIEW

    @property
    def in_calibration(self) -> bool:
        return self.stage == Stage.CALIBRATION

    @property
    def is_published(self) -> bool:
        return self.stage == Stage.PUBLISHED

    @property
    def results_out(self) -> bool:
        """Published or closed: people see their results."""
        return self.stage in (Stage.PUBLISHED, Stage.CLOSED)


class TemplateSnapshot(models.Model):
    """The criteria of a template as they were when the cycle opened."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="snapshots")
    template = models.ForeignKey(Template, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=100)
    criteria = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "template"], name="appraisal_snapshot_once")]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    SELF = "self", _("Awaiting self-assessment")
    SUBMITTED = "submitted", _("Awaiting manager")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Awaiting acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    OBJECTED = "objected", _("Objection raised")
    RESOLVED = "resolved", _("Objection resolved")


badge_tones(
    Status,
    {
        Status.SELF: "light",
        Status.SUBMITTED: "info",
        Status.REVIEWED: "primary",
        Status.PUBLISHED: "success",
        Status.ACKNOWLEDGED: "success",
        Status.OBJECTED: "danger",
        Status.RESOLVED: "secondary",
    },
)


class Appraisal(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="appraisals")
    employee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appraisals")
    # Snapshotted at opening: later org changes do not move an appraisal.
    department = models.ForeignKey(
        "departments.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.ForeignKey(
        "departments.Position", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="appraisals_to_review"
    )
    form = models.ForeignKey(TemplateSnapshot, on_delete=models.CASCADE, related_name="appraisals")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SELF)
    BADGES = {"status": Status}
    is_excluded = models.BooleanField(_("excluded"), default=False)
    excluded_reason = models.CharField(_("reason for exclusion"), max_length=300, blank=True)

    self_scores = models.JSONField(default=dict, blank=True)
    self_summary = models.TextField(_("self-assessment summary"), blank=True)
    self_total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    manager_scores = models.JSONField(default=dict, blank=True)
    manager_summary = models.TextField(_("manager's comments"), blank=True)
    total = models.DecimalField(_("weighted total"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    final_grade = models.CharField(_("final grade"), max_length=20, choices=Grade.choices, blank=True)
    calibration_reason = models.TextField(_("calibration reason"), blank=True)

    acknowledged_at = models.DateTimeField(null=True, blank=True)
    objection_reason = models.TextField(_("objection"), blank=True)
    objection_resolution = models.TextField(_("resolution"), blank=True)

    bonus_coefficient = models.DecimalField(
        _("bonus coefficient"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    promotion_recommended = models.BooleanField(_("recommended for promotion"), default=False)
    improvement_plan = models.TextField(_("improvement plan"), blank=True)
    improvement_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("improvement plan owner"),
    )
    improvement_due = models.DateField(_("improvement plan due"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["cycle", "employee__employee_no"]
        constraints = [models.UniqueConstraint(fields=["cycle", "employee"], name="appraisal_once_per_cycle")]
        indexes = [
            models.Index(fields=["cycle", "reviewer"]),
            models.Index(fields=["cycle", "department"]),
            models.Index(fields=["employee", "cycle"]),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} · {self.employee_id}"

    def get_absolute_url(self) -> str:
        return reverse("appraisals:appraisal", args=[self.pk])

    @property
    def result_grade(self) -> str:
        return self.final_grade or self.grade

    @property
    def awaits_self_assessment(self) -> bool:
        return self.status == Status.SELF

    @property
    def is_reviewed(self) -> bool:
        return self.status == Status.REVIEWED

    @property
    def ready_for_review(self) -> bool:
        """Submitted, or (once the review stage began) not self-assessed: the reviewer acts."""
        return self.status == Status.SUBMITTED or (self.status == Status.SELF and self.cycle.in_review)


class PeerReview(models.Model):
    """A colleague's comments (360) on chosen criteria. Never sees scores; the employee
    sees the comments without the name."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="peer_reviews")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_reviews")
    criteria = models.JSONField(default=list)  # criterion ids from the snapshot
    deadline = models.DateField(_("deadline"))
    comments = models.JSONField(default=dict, blank=True)  # {criterion id: text}
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appraisal", "peer"], name="appraisal_peer_once")]
        ordering = ["created_at"]


EVENT_LABELS = {
    "self_submitted": _("Self-assessment submitted"),
    "review_submitted": _("Review submitted"),
    "review_changed": _("Review changed after submission"),
    "calibrated": _("Grade calibrated"),
    "acknowledged": _("Result acknowledged"),
    "objected": _("Objection raised"),
    "objection_resolved": _("Objection resolved"),
    "objection_grade": _("Grade changed on objection"),
    "objection_withdrawn": _("Objection withdrawn"),
    "followup": _("Follow-up recorded"),
    "excluded": _("Excluded"),
    "included": _("Included again"),
    "added": _("Added by HR"),
    "reviewer_changed": _("Reviewer changed"),
    "peers_invited": _("Colleagues invited"),
    "opened": _("Cycle opened"),
    "completed": _("Missing people added"),
    "advance": _("Moved to the next stage"),
    "back": _("Taken back to the previous stage"),
    "reminded": _("Reminder sent"),
    "publish": _("Results published"),
    "close": _("Cycle closed"),
    "settings": _("Settings changed"),
}
FIELD_LABELS = {
    "self_total": _("Self-assessment total"),
    "total": _("Weighted total"),
    "summary": _("Manager's comments"),
    "final_grade": _("Final grade"),
    "reviewer": _("Reviewer"),
    "is_excluded": _("Excluded"),
    "peers": _("Colleagues"),
    "bonus_coefficient": _("Bonus coefficient"),
    "promotion_recommended": _("Recommended for promotion"),
    "improvement_plan": _("Improvement plan"),
    "improvement_owner": _("Plan owner"),
    "improvement_due": _("Plan due"),
}


class AppraisalEvent(models.Model):
    """History: every change of an appraisal (scores after submission, calibration, reviewer,
    exclusion, acknowledgement, objection, follow-up)."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict, blank=True)  # {field: [before, after]}
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def label(self):
        return EVENT_LABELS.get(self.action, self.action)

    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field label, before, after), criterion ids replaced by the criterion's name."""
        names = {f"criterion {c['id']}": c["name"] for c in self.appraisal.form.criteria}
        grades = dict(Grade.choices)
        rows = []
        for key, value in self.changes.items():
            if not (isinstance(value, list) and len(value) == 2):
                continue
            before, after = value
            if key == "final_grade":
                before, after = grades.get(before, before), grades.get(after, after)
            rows.append((names.get(key) or FIELD_LABELS.get(key, key), before, after))
        return rows


class CycleEvent(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def label(self):
        return EVENT_LABELS.get(self.action, self.action)
