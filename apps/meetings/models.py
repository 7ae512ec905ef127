"""Meetings (会议), their series, agenda, attendance, minutes (会议纪要) with versions,
decisions (决议) and action items (待办事项) tracked until the organiser accepts them."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class MeetingType(models.TextChoices):
    DEPARTMENT = "department", _("Department meeting")
    OPERATIONS = "operations", _("Operations review")
    SPECIAL = "special", _("Special meeting")
    COORDINATION = "coordination", _("Coordination meeting")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Series(models.Model):
    """A recurring meeting. The generator job makes its meetings `horizon_days` ahead."""

    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=MeetingType.choices, default=MeetingType.DEPARTMENT)
    organiser = models.ForeignKey(USER, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+")
    minute_taker = models.ForeignKey(
        USER, verbose_name=_("minute-taker"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        "departments.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("weekday"), default=0, help_text=_("0 = Monday … 4 = Friday"))
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), default=1)
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    horizon_days = models.PositiveSmallIntegerField(_("plan ahead (days)"), default=28)
    confidential = models.BooleanField(_("confidential"), default=False)
    confirm_days = models.PositiveSmallIntegerField(
        _("attendees confirm the minutes within (working days)"), default=0, help_text=_("0: no confirmation")
    )
    attendees = models.ManyToManyField(USER, verbose_name=_("attendees"), blank=True, related_name="+")
    attendee_departments = models.ManyToManyField(
        "departments.Department", verbose_name=_("whole departments"), blank=True, related_name="+"
    )
    agenda_template = models.TextField(_("standing agenda"), blank=True, help_text=_("One item per line"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:series", args=[self.pk])


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("meeting status", "Scheduled")
    HELD = "held", pgettext_lazy("meeting status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class Meeting(models.Model):
    series = models.ForeignKey(
        Series, verbose_name=_("series"), null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=MeetingType.choices, default=MeetingType.SPECIAL)
    organiser = models.ForeignKey(USER, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+")
    minute_taker = models.ForeignKey(
        USER, verbose_name=_("minute-taker"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        "departments.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    # The series' date when it fell on a non-working day and the meeting moved to `date`.
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    confirm_days = models.PositiveSmallIntegerField(
        _("attendees confirm the minutes within (working days)"), default=0, help_text=_("0: no confirmation")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    invited_departments = models.ManyToManyField(
        "departments.Department", verbose_name=_("whole departments"), blank=True, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: bumped by every change
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            # The generator's idempotency: one meeting per series and planned date.
            models.UniqueConstraint(fields=["series", "planned_date"], name="meeting_series_planned_unique")
        ]
        indexes = [models.Index(fields=["department", "date"]), models.Index(fields=["series", "date"])]

    def __str__(self) -> str:
        return f"{self.title} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def status_tone(self) -> str:
        return {MeetingStatus.SCHEDULED: "primary", MeetingStatus.HELD: "success"}.get(self.status, "secondary")

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def was_moved(self) -> bool:
        return bool(self.planned_date and self.planned_date != self.date)


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", pgettext_lazy("attendance", "Not recorded")
    PRESENT = "present", pgettext_lazy("attendance", "Present")
    ABSENT = "absent", pgettext_lazy("attendance", "Absent")
    EXCUSED = "excused", pgettext_lazy("attendance", "Excused")
    DELEGATE = "delegate", pgettext_lazy("attendance", "Sent a delegate")


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(USER, verbose_name=_("attendee"), on_delete=models.CASCADE, related_name="+")
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    delegate = models.ForeignKey(
        USER, verbose_name=_("delegate"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meeting_attendee_unique")]
        indexes = [models.Index(fields=["user", "meeting"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.meeting_id}"

    @property
    def is_delegate(self) -> bool:
        return self.attendance == Attendance.DELEGATE


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("agenda item"), max_length=300)
    presenter = models.ForeignKey(
        USER, verbose_name=_("presenter"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_allotted = models.PositiveSmallIntegerField(_("time (minutes)"), null=True, blank=True)
    notes = models.TextField(pgettext_lazy("meeting", "minutes"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("minutes status", "Draft")
    CONFIRMING = "confirming", pgettext_lazy("minutes status", "Waiting for confirmation")
    ISSUED = "issued", pgettext_lazy("minutes status", "Issued")
    SUPERSEDED = "superseded", pgettext_lazy("minutes status", "Superseded")


class MinutesVersion(models.Model):
    """The minutes document. Only the newest version is editable, and only until issued (签发);
    a correction opens the next version. An issued version keeps the document as issued in
    `snapshot`, so earlier versions read as they were."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("status"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    confirm_until = models.DateField(_("confirm by"), null=True, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        ordering = ["meeting", "-number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="minutes_version_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == MinutesStatus.DRAFT

    @property
    def is_confirming(self) -> bool:
        return self.status == MinutesStatus.CONFIRMING

    @property
    def is_issued(self) -> bool:
        return self.status == MinutesStatus.ISSUED

    @property
    def status_tone(self) -> str:
        return {MinutesStatus.ISSUED: "success", MinutesStatus.CONFIRMING: "warning"}.get(self.status, "secondary")


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("decision"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.meeting_id]) + f"#decision-{self.pk}"


class FollowUpKind(models.TextChoices):
    PROCESS_CHANGE = "process_change", _("Process change proposed")
    POLICY_DRAFT = "policy_draft", _("Regulation draft started")
    INDICATOR_TARGET = "indicator_target", _("Indicator target set")


class DecisionFollowUp(models.Model):
    """Work a decision started elsewhere (the back-reference lives here: the other modules
    know nothing of meetings)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices)
    target_label = models.CharField(_("object"), max_length=200)
    target_url = models.CharField(max_length=500)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision", "pk"]


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
    DONE = "done", pgettext_lazy("action status", "Done, waiting for acceptance")
    ACCEPTED = "accepted", pgettext_lazy("action status", "Accepted")
    CANCELLED = "cancelled", pgettext_lazy("action status", "Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
ACTION_TONES = {
    ActionStatus.OPEN: "secondary",
    ActionStatus.IN_PROGRESS: "info",
    ActionStatus.DONE: "primary",
    ActionStatus.ACCEPTED: "success",
    ActionStatus.CANCELLED: "light",
}
UNFINISHED_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    # The owner's department when assigned: "my department's actions" and the reports group by it.
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    expected_result = models.TextField(_("expected result"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_date"]),
            models.Index(fields=["department", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["meeting", "status"]),
            models.Index(fields=["due_date", "id"], name="action_due_order"),  # the list's order, then LIMIT
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:action", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.is_open and self.due_date < timezone.localdate()

    @property
    def status_tone(self) -> str:
        return ACTION_TONES[self.status]


class ActionEvent(models.TextChoices):
    CREATED = "created", _("Assigned")
    PROGRESS = "progress", _("Progress update")
    DONE = "done", _("Marked done")
    ACCEPTED = "accepted", _("Accepted")
    REOPENED = "reopened", _("Reopened")
    CANCELLED = "cancelled", _("Cancelled")


def evidence_path(instance, filename: str) -> str:
    return f"meetings/evidence/{instance.action_id}/{filename}"


class ActionUpdate(models.Model):
    """The history of an action item: every change of status or progress, with its note."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    event = models.CharField(_("event"), max_length=12, choices=ActionEvent.choices)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        ordering = ["action", "pk"]


class ActionLink(models.Model):
    """A generic link from an action item to an object of another module; `kind` names an
    entry of apps/meetings/links.py (more kinds can be registered there later)."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=30)
    ref = models.CharField(_("reference"), max_length=120)
    label = models.CharField(_("label"), max_length=300)
    url = models.CharField(max_length=500)

    class Meta:
        ordering = ["action", "pk"]
        constraints = [models.UniqueConstraint(fields=["action", "kind", "ref"], name="action_link_unique")]


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL; revoking makes a new one."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="meetings_calendar_token")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
