from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def add_class(field, css):
    return field.as_widget(attrs={**field.field.widget.attrs, "class": css})


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def span(delta):
    """A timedelta as '2 d 5 h' / '3 h' / '12 min'."""
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h") % {"h": hours}
    return _("%(m)d min") % {"m": max(rest // 60, 0)}


@register.filter
def age_tone(delta):
    days = delta.total_seconds() / 86400 if delta else 0
    return "danger" if days > 5 else "warning" if days > 2 else "secondary"


@register.filter
def upper_key(key):
    return (key or "").upper()
