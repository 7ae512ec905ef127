"""The process catalogue (流程), its published versions, change requests (流程变更申请,
approved on the approvals engine) and periodic reviews (流程审查).

A published ProcessVersion is never edited: a change request carries its proposed steps
as JSON and publication writes a new version. Steps keep a stable `key` across versions,
so a diff can tell a moved step from a removed-and-added one.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.badges import badge_tones


class Process(models.Model):
    class Status(models.TextChoices):
        IN_USE = "in_use", _("In use")
        RETIRED = "retired", _("Retired")

    badge_tones(Status, {Status.IN_USE: "success", Status.RETIRED: "secondary"})
    BADGES = {"status": Status}

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("owning department"),
        on_delete=models.PROTECT,
        related_name="owned_processes",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_processes",
    )
    purpose = models.TextField(_("purpose"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    start_trigger = models.CharField(_("start trigger"), max_length=200, blank=True)
    end_condition = models.CharField(_("end condition"), max_length=200, blank=True)
    target_cycle_days = models.PositiveIntegerField(_("target cycle time (working days)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IN_USE)
    next_review_date = models.DateField(_("next review date"), null=True, blank=True)
    current_version = models.ForeignKey(
        "ProcessVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The regulation articles (制度条款) this process implements: nodes of a published
    # policy version, so a link names the exact text it was made against.
    articles = models.ManyToManyField(
        "policies.PolicyNode",
        verbose_name=_("implements (regulation articles)"),
        blank=True,
        related_name="processes",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["status", "next_review_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("processes:detail", args=[self.code])

    @property
    def is_in_use(self) -> bool:
        return self.status == self.Status.IN_USE


class ProcessVersion(models.Model):
    """An immutable published snapshot of a process's steps."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    effective_date = models.DateField(_("effective date"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"))
    summary = models.CharField(_("change summary"), max_length=300, blank=True)
    change_request = models.OneToOneField(
        "ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_version",
    )

    class Meta:
        verbose_name = _("process version")
        verbose_name_plural = _("process versions")
        ordering = ["process", "-number"]
        constraints = [models.UniqueConstraint(fields=["process", "number"], name="process_version_unique")]

    def __str__(self) -> str:
        return f"{self.process.code} v{self.number}"


class ProcessStep(models.Model):
    version = models.ForeignKey(ProcessVersion, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=16, help_text="stable identity of the step across versions")
    order = models.PositiveIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=120)
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="process_steps",
    )
    position = models.ForeignKey(
        "departments.Position",
        verbose_name=_("responsible position"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="process_steps",
    )
    description = models.TextField(_("description"), blank=True)
    inputs = models.CharField(_("inputs (documents received)"), max_length=300, blank=True)
    outputs = models.CharField(_("outputs (documents produced)"), max_length=300, blank=True)
    time_limit_hours = models.PositiveIntegerField(_("time limit (hours)"), null=True, blank=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="process_step_key_unique"),
            models.UniqueConstraint(fields=["version", "order"], name="process_step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class StepLink(models.Model):
    """An arrow of the flow; `condition` labels a branch ("金额≥10万")."""

    from_step = models.ForeignKey(ProcessStep, on_delete=models.CASCADE, related_name="links_out")
    to_step = models.ForeignKey(ProcessStep, on_delete=models.CASCADE, related_name="links_in")
    condition = models.CharField(_("condition"), max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["from_step", "to_step"], name="step_link_unique")]


class ChangeRequest(models.Model):
    """A proposed change of a process's steps. Its approval runs on the approvals engine
    (kind "processes.change", apps/processes/approvals.py), which keeps the timeline; the
    status here mirrors the engine's and is changed only through the machine below."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("In approval")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved and published")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    badge_tones(
        Status,
        {
            Status.DRAFT: "light",
            Status.PENDING: "primary",
            Status.RETURNED: "warning",
            Status.APPROVED: "success",
            Status.REJECTED: "danger",
            Status.WITHDRAWN: "secondary",
        },
    )
    BADGES = {"status": Status}

    class Urgency(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="change_requests"
    )
    base_version = models.ForeignKey(ProcessVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        on_delete=models.PROTECT,
        related_name="process_change_requests",
    )
    title = models.CharField(_("title"), max_length=200)
    reason = models.TextField(_("reason for the change"))
    expected_effect = models.TextField(_("expected effect"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    marked_major = models.BooleanField(
        _("major change"), default=False, help_text=_("A major change also needs the general manager's approval.")
    )
    touches_other_departments = models.BooleanField(default=False, editable=False)
    proposed_steps = models.JSONField(default=list, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # Bumped on every edit and (re)submission.
    revision = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["process", "status"]),
            models.Index(fields=["proposer", "status"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("processes:cr_detail", args=[self.pk])

    @property
    def is_major(self) -> bool:
        return self.marked_major or self.touches_other_departments

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


PENDING_STATUSES = (ChangeRequest.Status.PENDING,)
OPEN_STATUSES = (ChangeRequest.Status.DRAFT, ChangeRequest.Status.RETURNED, *PENDING_STATUSES)


class ProcessReview(models.Model):
    """A periodic review (流程审查) recorded by operations management."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("review date"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    findings = models.TextField(_("findings"))
    next_review_date = models.DateField(_("next review date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("process review")
        verbose_name_plural = _("process reviews")
        ordering = ["-reviewed_on", "-pk"]


class ImprovementAction(models.Model):
    review = models.ForeignKey(ProcessReview, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("improvement action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="process_improvement_actions",
    )
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "done_at"])]
