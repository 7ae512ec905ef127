from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def step_label(state: str) -> str:
    return {
        "done": _("approved"),
        "current": _("in progress"),
        "upcoming": _("not reached"),
        "skipped": _("skipped"),
        "not_needed": _("not needed"),
        "returned": _("returned"),
        "rejected": _("rejected"),
        "cancelled": _("cancelled"),
    }.get(state, "")


@register.filter
def duration_short(value) -> str:
    """3 d 4 h / 5 h / 12 min"""
    if value is None:
        return ""
    seconds = max(0, int(value.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        text = ngettext("%(d)d day", "%(d)d days", days) % {"d": days}
        return f"{text} {_('%(h)d h') % {'h': hours}}" if hours else text
    if hours:
        return _("%(h)d h") % {"h": hours}
    return _("%(m)d min") % {"m": rest // 60}
