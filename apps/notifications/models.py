from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message to one person. `kind` is a dotted code owned by the module that
    sends it ("policies.ack_required"); `url` points at the object it is about.

    `subject_type`/`subject_id` name the thing the message asks the recipient to do something
    about ("policies.policy", 12). Doing it resolves the message (`resolved_at`, and it counts
    as read); a newer message of the same kind about the same subject replaces an open one,
    so a person sees one item per thing to do (services.resolve / notify(subject=...))."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Waiting for the recipient's next daily digest mail.
    digest_pending = models.BooleanField(_("in next digest"), default=False)
    subject_type = models.CharField(_("subject type"), max_length=64, blank=True, default="")
    subject_id = models.BigIntegerField(_("subject id"), null=True, blank=True)
    # The task was done (or a newer message about it replaced this one).
    resolved_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            models.Index(fields=["recipient"], name="notif_digest_pending", condition=models.Q(digest_pending=True)),
            models.Index(
                fields=["subject_type", "subject_id"],
                name="notif_open_subject",
                condition=models.Q(resolved_at__isnull=True, subject_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    """How a person hears about a kind of notification by mail (the bell always has it)."""

    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Off")


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("email"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_user_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"


class OutboundEmail(models.Model):
    """The outbox: a mail is a row first and is sent after the transaction committed. A mail
    server that is down only delays it: it stays pending with its next attempt time."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    to = models.EmailField(_("to"))
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    is_digest = models.BooleanField(_("digest"), default=False)
    # Filled when first sent (single notifications) or when made (digests), in the recipient's language.
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="outbox_pending", condition=models.Q(status="pending"))
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject or self.notification_id}"


class Reminder(models.Model):
    """A planned reminder: "tell this person about this object on this date" (for modules that
    push reminders instead of being scanned). Open until done_at is set."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.BigIntegerField(_("object id"))
    due_date = models.DateField(_("due date"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("planned reminder")
        verbose_name_plural = _("planned reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "kind", "due_date", "recipient"], name="planned_reminder_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "due_date"], name="reminder_open", condition=models.Q(done_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return self.title


class SentReminder(models.Model):
    """The key of every reminder sent. Sending inserts the key first (ON CONFLICT DO NOTHING);
    only a newly inserted key notifies, so no reminder is ever sent twice."""

    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.BigIntegerField(_("object id"))
    kind = models.CharField(_("kind"), max_length=64)
    due_date = models.DateField(_("due date"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "kind", "due_date", "recipient"], name="sent_reminder_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}#{self.object_id} {self.due_date} -> {self.recipient_id}"
