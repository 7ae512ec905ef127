"""The regulations library: policies, their versions (a tree of numbered nodes each),
the approval history and read-and-acknowledge (宣贯确认) records.

A version's body is stored flat: one PolicyNode per label in document order
(`ordinal`) with its `depth`, so a whole version is one indexed query and the tree is
rebuilt in Python (selectors.version_tree)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.badges import badge_tones


class Category(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted to departments")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Awaiting department approval")
    OPS_REVIEW = "ops_review", _("Awaiting operations approval")
    SCHEDULED = "scheduled", _("Approved, not yet in force")
    PUBLISHED = "published", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    RETIRED = "retired", _("Retired")


badge_tones(
    PolicyStatus,
    {
        PolicyStatus.DRAFT: "light",
        PolicyStatus.IN_REVIEW: "warning",
        PolicyStatus.PUBLISHED: "success",
        PolicyStatus.RETIRED: "secondary",
    },
)
badge_tones(
    VersionStatus,
    {
        VersionStatus.DRAFT: "light",
        VersionStatus.IN_REVIEW: "warning",
        VersionStatus.OPS_REVIEW: "warning",
        VersionStatus.SCHEDULED: "primary",
        VersionStatus.PUBLISHED: "success",
        VersionStatus.SUPERSEDED: "secondary",
        VersionStatus.RETIRED: "secondary",
    },
)

# A policy has at most one version being worked on at a time.
OPEN_VERSION_STATUSES = (
    VersionStatus.DRAFT,
    VersionStatus.IN_REVIEW,
    VersionStatus.OPS_REVIEW,
    VersionStatus.SCHEDULED,
)


class AckScope(models.TextChoices):
    NONE = "none", _("No acknowledgement")
    EVERYONE = "everyone", _("Everyone")
    DEPARTMENTS = "departments", _("Chosen departments")


class Policy(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL, related_name="policies"
    )
    owning_department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("owning department"),
        on_delete=models.PROTECT,
        related_name="owned_policies",
    )
    interpreting_department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("interpreting department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpreted_policies",
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.PUBLIC
    )
    allowed_departments = models.ManyToManyField(
        "departments.Department",
        verbose_name=_("visible to departments"),
        blank=True,
        related_name="restricted_policies",
        help_text=_("Only for restricted policies: these departments and their sub-departments may read it."),
    )
    review_interval_months = models.PositiveSmallIntegerField(_("review interval (months)"), default=12)
    next_review_date = models.DateField(_("next review date"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    BADGES = {"status": PolicyStatus}
    current_version = models.ForeignKey(
        "PolicyVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="current_of",
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
        help_text=_("The regulation whose publication retired this one (原《…》同时废止)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["status", "code"]),
            models.Index(fields=["next_review_date"]),
            GinIndex(fields=["title"], name="policy_title_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("policies:detail", args=[self.code])

    # What templates ask about the status (they never compare it with a literal).
    @property
    def is_published(self) -> bool:
        return self.status == PolicyStatus.PUBLISHED

    @property
    def is_retired(self) -> bool:
        return self.status == PolicyStatus.RETIRED


class PolicyVersion(models.Model):
    """One text of a policy. Editable only while a draft; published ones never change
    (services refuse it), superseded ones stay readable at /policies/<code>/v/<label>/."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    BADGES = {"status": VersionStatus}
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    change_summary = models.TextField(_("change summary"), blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    source_text = models.TextField(_("source text"), blank=True)
    interpreter_text = models.CharField(_("interpreting body as written"), max_length=200, blank=True)
    doc_number = models.CharField(_("document number"), max_length=60, blank=True)
    issuer_text = models.CharField(_("issued by (as written)"), max_length=200, blank=True)
    is_trial = models.BooleanField(_("on trial (试行)"), default=False)
    replaces = models.ManyToManyField(
        Policy,
        verbose_name=_("regulations it abolishes"),
        blank=True,
        related_name="replaced_by_versions",
        help_text=_("Retired, and shown as superseded by this one, when this version is published."),
    )
    parse_warnings = models.JSONField(default=list, blank=True)
    article_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    dept_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dept_approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    ack_scope = models.CharField(_("acknowledgement"), max_length=12, choices=AckScope.choices, default=AckScope.NONE)
    ack_departments = models.ManyToManyField(
        "departments.Department", verbose_name=_("departments that must acknowledge"), blank=True, related_name="+"
    )
    needs_training = models.BooleanField(
        _("needs training"),
        default=False,
        help_text=_("When it takes effect, everyone who must acknowledge it is to be trained on it (宣贯培训)."),
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "label"], name="policy_version_label_unique"),
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(status__in=[s.value for s in OPEN_VERSION_STATUSES]),
                name="policy_one_open_version",
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_date"])]

    def __str__(self) -> str:
        return f"{self.policy.code} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("policies:version", args=[self.policy.code, self.label])

    @property
    def warning_texts(self) -> list[str]:
        """The importer's warnings in the reader's language."""
        from .parsing.warnings import render_warnings

        return render_warnings(self.parse_warnings)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_VERSION_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_in_force(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def is_superseded(self) -> bool:
        return self.status == VersionStatus.SUPERSEDED

    @property
    def awaits_ops(self) -> bool:
        return self.status == VersionStatus.OPS_REVIEW


class PolicyNode(models.Model):
    """A numbered part of a version (编/章/节/条/一、/（一）/1./（1）) in document order."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="nodes")
    ordinal = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10)
    label = models.CharField(max_length=40)
    number = models.PositiveIntegerField(default=0)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    slug = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("policy text node")
        verbose_name_plural = _("policy text nodes")
        ordering = ["version", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["version", "ordinal"], name="policy_node_order_unique")]
        indexes = [GinIndex(fields=["text"], name="policy_node_text_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self) -> str:
        return f"{self.label} {self.heading}".strip()


class HistoryAction(models.TextChoices):
    CREATE = "create", _("Created")
    DRAFT = "draft", _("Draft started")
    EDIT = "edit", _("Text edited")
    DRAFT_DELETE = "draft_delete", _("Draft deleted")
    SUBMIT = "submit", _("Submitted for approval")
    DEPT_APPROVE = "dept_approve", _("Approved by the department head")
    RETURN = "return", _("Returned for changes")
    OPS_APPROVE = "ops_approve", _("Approved by operations")
    PUBLISH = "publish", _("Published")
    SUPERSEDE = "supersede", _("Superseded")
    RETIRE = "retire", _("Retired")
    REVIEW = "review", _("Periodic review")
    SETTINGS = "settings", _("Settings changed")


class PolicyHistory(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="history")
    version = models.ForeignKey(PolicyVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=HistoryAction.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("policy history entry")
        verbose_name_plural = _("policy history")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["policy", "-at"])]


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", _("Still valid, no change")
    REVISE = "revise", _("Needs revision")
    RETIRE = "retire", _("Retire it")


class AckSource(models.TextChoices):
    READ = "read", _("Read and confirmed")
    TRAINING = "training", _("Through training")


class Acknowledgement(models.Model):
    """Someone confirmed "我已阅读并理解" for one version, by reading it or through a training
    on it (passing its quiz, or attending a course without a quiz)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acks")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="acknowledgements")
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(_("how"), max_length=12, choices=AckSource.choices, default=AckSource.READ)
    via = models.CharField(_("training"), max_length=200, blank=True, help_text=_("The course, when through training."))

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="policy_ack_once")]
        indexes = [models.Index(fields=["version", "user"])]


def attachment_path(instance, filename: str) -> str:
    # A random folder per file: names stay as uploaded, nothing is guessable or overwritten.
    import uuid

    return f"policies/attachments/{instance.version_id}/{uuid.uuid4().hex}/{filename}"


class PolicyAttachment(models.Model):
    """A file that belongs to one version (a form, a template, the signed scan). Served
    only through the policy's visibility rules; copied by reference into the next draft."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["version", "name", "pk"]

    def __str__(self) -> str:
        return self.name
