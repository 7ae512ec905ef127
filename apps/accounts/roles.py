"""The portal's roles. Each is a Django group, created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    MANAGER = "manager", _("Department head")
    HR = "hr", _("Human resources")
    OPS = "ops", _("Operations management")
    ADMIN = "admin", _("Administrator")
