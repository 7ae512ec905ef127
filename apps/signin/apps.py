from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "apps.signin"
    label = "signin"
    verbose_name = _("Sign-in")

    def ready(self):
        from . import permissions, signals  # noqa: F401  (rules; the sign-in log receivers)
