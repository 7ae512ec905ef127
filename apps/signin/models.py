from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInEvent(models.Model):
    """One row per sign-in, failed sign-in, lockout, unlock and refused request: who, from
    where, when, how. Written by signal receivers, so every way of signing in is covered."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("signed in")
        LOGOUT = "logout", _("signed out")
        FAILED = "failed", _("failed sign-in")
        LOCKED_OUT = "locked_out", _("locked out")
        UNLOCKED = "unlocked", _("unlocked")
        REFUSED = "refused", _("refused access")

    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, blank=True)  # local / ldap / oidc
    path = models.CharField(_("path"), max_length=300, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["username", "-at"], name="signin_event_username"),
            models.Index(fields=["kind", "-at"], name="signin_event_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"


class ExternalAccount(models.Model):
    """A person's account in the company directory or identity provider. Such a person signs
    in there; the directory sync looks after exactly these accounts."""

    class Source(models.TextChoices):
        LDAP = "ldap", _("company directory")
        OIDC = "oidc", _("single sign-on")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_accounts")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    subject = models.CharField(_("identifier"), max_length=400)  # the DN, or the provider's `sub`
    last_sign_in = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("external account")
        verbose_name_plural = _("external accounts")
        constraints = [
            models.UniqueConstraint(fields=["source", "subject"], name="signin_external_subject"),
            models.UniqueConstraint(fields=["user", "source"], name="signin_external_user_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.subject}"


class Invitation(models.Model):
    """The activation mail sent to a person (the link itself is not stored: it is derived
    from the account and stops working once a password is set)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation")
    sent_at = models.DateTimeField(_("last sent"))
    times_sent = models.PositiveIntegerField(_("times sent"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)

    class Meta:
        verbose_name = _("activation mail")
        verbose_name_plural = _("activation mails")

    def __str__(self) -> str:
        return str(self.user_id)
