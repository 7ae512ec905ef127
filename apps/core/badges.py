"""Status badges: one tone per status value, declared once, next to the choices.

    class VersionStatus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ...

    badge_tones(VersionStatus, {VersionStatus.DRAFT: "light", VersionStatus.PUBLISHED: "success", ...})

and the model (or any object with the field) says which choices its status fields use:

    class PolicyVersion(models.Model):
        BADGES = {"status": VersionStatus}

Templates then write `{% status_badge version %}` (or `{% status_badge cycle "stage" %}`,
apps/core/templatetags/portal.py) and never compare a status with a string literal: a
condition on a status is a model property (`version.is_draft`) or a boolean from the view.
"""

from django.core.exceptions import ImproperlyConfigured

TONES = ("primary", "secondary", "success", "danger", "warning", "info", "light", "dark")


def badge_tones(choices, tones: dict) -> dict[str, str]:
    """Declare the tone (a Bootstrap colour) of every member of `choices`; all must have one."""
    tones = {str(value): tone for value, tone in tones.items()}
    missing = set(choices.values) - set(tones)
    unknown = set(tones) - set(choices.values)
    wrong = {tone for tone in tones.values() if tone not in TONES}
    if missing or unknown or wrong:
        raise ImproperlyConfigured(
            f"badge tones of {choices.__qualname__}: missing {sorted(missing)}, "
            f"unknown {sorted(unknown)}, not a tone {sorted(wrong)}"
        )
    choices.badge_tones = tones
    return tones


def badge(obj, field: str = "status") -> tuple[str, str]:
    """(label, tone) of `obj`'s `field`, from the choices its class names in BADGES."""
    choices = type(obj).BADGES[field]
    value = getattr(obj, field)
    return choices(value).label, choices.badge_tones[str(value)]
