"""The approvals engine (审批): flows as data, running requests, their stages and the
approvers' tasks, one timeline per request, delegations.

A request belongs to a kind that a domain app registers (apps/<app>/approvals.py); the
engine knows the object only by (kind, object_id) and asks the kind's plug-in for the rest.
Statuses change only through apps.core.statemachine (see machines.py).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.badges import badge_tones
from apps.core.usercache import BumpingQuerySet, watch


class Flow(models.Model):
    """The approval flow of one kind; its stages live in versions."""

    kind = models.CharField(_("kind"), max_length=60, unique=True)
    current = models.ForeignKey(
        "FlowVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("version")
    )

    class Meta:
        verbose_name = _("approval flow")
        verbose_name_plural = _("approval flows")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind


class FlowVersion(models.Model):
    """An immutable list of stages. A running request keeps the version it started with.

    Each stage: {"key", "name", "mode" (Mode), "approvers": [{"type", ...}], "condition":
    {"type", ...}, "limit_days": working days before a reminder (escalation after twice that)}."""

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    stages = models.JSONField(default=list)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["flow", "-number"]
        constraints = [models.UniqueConstraint(fields=["flow", "number"], name="approvals_flow_version_unique")]

    def __str__(self) -> str:
        return f"{self.flow.kind} v{self.number}"


class Mode(models.TextChoices):
    SEQUENTIAL = "seq", _("In turn (依次)")
    ALL = "all", _("All must approve (会签)")
    ANY = "any", _("Any one approves (或签)")
    COPY = "cc", _("Copy (抄送)")


class Request(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("In approval")
        RETURNED = "returned", _("Returned to the proposer")
        APPROVED = "approved", _("Approved")
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

    kind = models.CharField(_("kind"), max_length=60)
    object_id = models.PositiveBigIntegerField()
    flow_version = models.ForeignKey(FlowVersion, on_delete=models.PROTECT, related_name="requests")
    title = models.CharField(_("title"), max_length=200)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the proposer's department when submitted",
    )
    owner_department = models.ForeignKey(
        "departments.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    facts = models.JSONField(default=dict, help_text="what the stage conditions read, taken at submission")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    submission = models.PositiveIntegerField(default=1)
    # Bumped on every change: a form carries the value the actor saw.
    version = models.PositiveIntegerField(default=1)
    current_stage = models.ForeignKey("Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), help_text="of a draft: when it was created")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "object_id"]),
            models.Index(fields=["proposer", "-submitted_at"]),
            models.Index(fields=["status", "-submitted_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("approvals:request", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.PENDING, self.Status.RETURNED)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def end_state(self) -> str:
        """The stepper's last step: done when approved, rejected when rejected, else upcoming."""
        return {self.Status.APPROVED: "done", self.Status.REJECTED: "rejected"}.get(self.status, "")


class Stage(models.Model):
    """One stage of one submission, as resolved when the request reached it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Not reached")
        ACTIVE = "active", _("In progress")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned")
        SKIPPED = "skipped", _("Skipped")
        CANCELLED = "cancelled", _("Cancelled")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="stages")
    submission = models.PositiveIntegerField()
    index = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    name = models.CharField(_("stage"), max_length=100)
    mode = models.CharField(max_length=4, choices=Mode.choices)
    limit_days = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    entered_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    urged_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["request", "submission", "index", "pk"]
        indexes = [models.Index(fields=["status", "entered_at"])]

    def __str__(self) -> str:
        return self.name


class TaskQuerySet(BumpingQuerySet):
    # "my approvals" in the top bar (apps/core/usercache.py) follows these rows
    bump_field = "assignee_id"
    bump_on = frozenset({"status"})


class Task(models.Model):
    """One approver's part in a stage. PENDING tasks are the inbox; QUEUED ones wait for
    `after` (依次 order, 加签 before/after); COPY tasks are the 抄送 tab."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PENDING = "pending", _("Waiting for decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned")
        TRANSFERRED = "transferred", _("Transferred")
        ESCALATED = "escalated", _("Escalated")
        SKIPPED = "skipped", _("Skipped")
        CANCELLED = "cancelled", _("Closed")
        COPY = "copy", _("Copied")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="tasks")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="tasks")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_tasks")
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="whom the assignee stands in for (delegation)",
    )
    after = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "pk"]
        indexes = [
            models.Index(fields=["assignee", "status", "-created_at"], name="approvals_task_inbox"),
            models.Index(fields=["assignee", "-decided_at"], name="approvals_task_done"),
        ]


watch(Task)


class Event(models.Model):
    """One line of a request's timeline, the same shape for every kind."""

    class Operation(models.TextChoices):
        CREATE = "create", _("Created")
        SUBMIT = "submit", _("Submitted")
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        RETURN = "return", _("Returned")
        TRANSFER = "transfer", _("Transferred")
        ADD_BEFORE = "add_before", _("Added an approver before")
        ADD_AFTER = "add_after", _("Added an approver after")
        WITHDRAW = "withdraw", _("Withdrawn")
        URGE = "urge", _("Urged")
        COMMENT = "comment", _("Commented")
        SKIP = "skip", _("Skipped")
        SUBSTITUTE = "substitute", _("Approver replaced")
        COPY = "copy", _("Copied")
        REMIND = "remind", _("Reminded")
        ESCALATE = "escalate", _("Escalated")
        EDIT = "edit", _("Edited")
        FINISH = "finish", _("Completed")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    stage_name = models.CharField(max_length=100, blank=True)
    submission = models.PositiveIntegerField(default=1)
    operation = models.CharField(max_length=12, choices=Operation.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the person transferred to, added, skipped or replaced",
    )
    opinion = models.TextField(_("opinion"), blank=True)
    stage_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"])]

    @property
    def time_in_stage(self):
        if self.stage_started_at and self.operation in DECISIONS:
            return self.created_at - self.stage_started_at
        return None


DECISIONS = (Event.Operation.APPROVE, Event.Operation.REJECT, Event.Operation.RETURN, Event.Operation.TRANSFER)


def attachment_path(instance, filename: str) -> str:
    return f"approvals/{instance.event.request_id}/{filename}"


class Attachment(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]


class Delegation(models.Model):
    """While away, `principal`'s approvals (of every kind, or of one) go to `delegate` (代理)."""

    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approver"), on_delete=models.CASCADE, related_name="+"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=60, blank=True, help_text=_("Empty: every kind."))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["principal", "start_date", "end_date"])]
