"""Training and development (培训与发展): yearly and quarterly plans of courses, sessions with
enrolment and attendance, quizzes and satisfaction surveys, certificates, each person's record,
and personal development plans.

Hours count when a person attended a session (present): a course's hours once per course and
person, however many sessions they attended (a course split over several sessions is one course).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.badges import badge_tones

TEXT_LIMIT = 2000


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")

    badge_tones(Status, {Status.DRAFT: "secondary", Status.PENDING: "warning", Status.APPROVED: "success"})
    BADGES = {"status": Status}

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    department = models.ForeignKey(
        "departments.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_plans",
        verbose_name=_("department"),
        help_text=_("Empty for the company-wide plan."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(_("needs and goals"), max_length=TEXT_LIMIT, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "quarter", "department__path"]
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:plan", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Course(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External")
        ONLINE = "online", _("Online")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="courses", verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), max_length=TEXT_LIMIT, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INTERNAL)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses_taught",
        verbose_name=_("trainer (colleague)"),
    )
    external_trainer = models.CharField(_("trainer (external)"), max_length=120, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, default=0)
    cost = models.DecimalField(_("actual cost (yuan)"), max_digits=12, decimal_places=2, default=0)
    planned_month = models.PositiveSmallIntegerField(
        _("planned month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    audience_departments = models.ManyToManyField(
        "departments.Department", blank=True, related_name="+", verbose_name=_("audience: departments")
    )
    audience_positions = models.ManyToManyField(
        "departments.Position", blank=True, related_name="+", verbose_name=_("audience: positions")
    )
    audience_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("audience: people")
    )
    open_signup = models.BooleanField(_("open for sign-up"), default=False)
    policies = models.ManyToManyField(
        "policies.Policy", blank=True, related_name="courses", verbose_name=_("regulations covered")
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=3, validators=[MinValueValidator(1)])
    certificate_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Empty when the course grants no certificate."),
    )

    class Meta:
        ordering = ["planned_month", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course", args=[self.pk])

    @property
    def trainer_name(self) -> str:
        return self.trainer.name if self.trainer_id else self.external_trainer


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    badge_tones(Status, {Status.SCHEDULED: "primary", Status.DONE: "success", Status.CANCELLED: "secondary"})
    BADGES = {"status": Status}

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place or link"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("organiser")
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.course} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("training:session", args=[self.pk])

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class Attendance(models.TextChoices):
    # With a context: "Present" and "Enrolled" are also report headings (counts of people).
    ENROLLED = "enrolled", pgettext_lazy("attendance", "Enrolled")
    PRESENT = "present", pgettext_lazy("attendance", "Present")
    ABSENT = "absent", pgettext_lazy("attendance", "Absent")
    EXCUSED = "excused", pgettext_lazy("attendance", "Excused")


class Enrollment(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_enrollments")
    status = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.ENROLLED)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="training_enrol_once")]
        indexes = [models.Index(fields=["person", "status"], name="training_enrol_person")]

    def __str__(self):
        return f"{self.person_id} @ {self.session_id}"

    @property
    def may_withdraw(self) -> bool:
        return self.status == Attendance.ENROLLED


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One answer")
        MULTIPLE = "multiple", _("Several answers")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text

    @property
    def is_multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=300)
    correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text


class QuizAttempt(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attempts")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()  # percent of questions answered exactly right
    passed = models.BooleanField()
    answers = models.JSONField(default=dict)  # {question id: [choice ids]}: HR only
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        constraints = [models.UniqueConstraint(fields=["course", "person", "number"], name="training_attempt_once")]

    def __str__(self):
        return f"{self.person_id} {self.course_id} #{self.number}"


class SurveyResponse(models.Model):
    """Satisfaction after a session. Comments are shown to HR only, never with a name to trainers."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="survey")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="training_survey_once")]

    def __str__(self):
        return f"{self.session_id}: {self.rating}"


class Certificate(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="certificates")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    issued_on = models.DateField(_("issued"))
    expires_on = models.DateField(_("expires"))

    class Meta:
        ordering = ["expires_on"]
        constraints = [models.UniqueConstraint(fields=["course", "person", "issued_on"], name="training_cert_once")]

    def __str__(self):
        return f"{self.course} · {self.person_id}"


class DevelopmentPlan(models.Model):
    """A personal development or improvement plan (个人发展计划)."""

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        DONE = "done", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class Reason(models.TextChoices):
        APPRAISAL = "appraisal", _("Appraisal result")
        MANAGER = "manager", _("Manager's choice")

    badge_tones(Status, {Status.OPEN: "primary", Status.DONE: "success", Status.CANCELLED: "secondary"})
    BADGES = {"status": Status}

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="development_plans")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentored_plans",
        verbose_name=_("mentor"),
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    appraisal = models.OneToOneField(
        "appraisals.Appraisal", null=True, blank=True, on_delete=models.SET_NULL, related_name="development_plan"
    )
    goals = models.TextField(_("goals"), max_length=TEXT_LIMIT)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), max_length=TEXT_LIMIT, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")

    def __str__(self):
        return f"{self.person_id} {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("training:development", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class DevelopmentAction(models.Model):
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("course")
    )
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title


class CheckIn(models.Model):
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="checkins")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("check-in note"), max_length=1000)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.plan_id} {self.at:%Y-%m-%d}"


class CareerStep(models.Model):
    """A path from one position to the next, with what it asks for."""

    from_position = models.ForeignKey(
        "departments.Position", on_delete=models.CASCADE, related_name="+", verbose_name=_("from position")
    )
    to_position = models.ForeignKey(
        "departments.Position", on_delete=models.CASCADE, related_name="+", verbose_name=_("to position")
    )
    courses = models.ManyToManyField(Course, blank=True, related_name="+", verbose_name=_("courses required"))
    min_grade = models.CharField(_("last appraisal at least"), max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["from_position", "to_position"], name="training_career_step")]

    def __str__(self):
        return f"{self.from_position_id} → {self.to_position_id}"


class TrainingNeed(models.Model):
    """Someone is to be trained on a regulation version that asked for it (宣贯培训): made when
    the version takes effect for everyone it asks to acknowledge; met when they pass the quiz of
    a course covering the regulation (or attend one without a quiz)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_needs")
    version = models.ForeignKey(
        "policies.PolicyVersion", on_delete=models.CASCADE, related_name="training_needs", verbose_name=_("regulation")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    met_by = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("met by")
    )

    class Meta:
        verbose_name = _("regulation training need")
        verbose_name_plural = _("regulation training needs")
        constraints = [models.UniqueConstraint(fields=["person", "version"], name="training_need_once")]
        indexes = [models.Index(fields=["person", "met_at"], name="training_need_person")]

    def __str__(self):
        return f"{self.person_id} / {self.version_id}"
