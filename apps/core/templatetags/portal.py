from django import template

from apps.core.badges import badge

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters when paging)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter(name="version")
def version_filter(value):
    """{{ process_version|version }} -> "V3": one way of writing a version (apps/core/versions.py)."""
    from apps.core.versions import version_label

    return version_label(value)


@register.filter
def elided_range(paginator, number):
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.filter
def lines(text):
    """Split a multi-line text field (duties, responsibilities) into its non-empty lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.simple_tag
def submit_token():
    """A hidden one-time token: the view (apps.core.once.once_per_submit) acts on it once."""
    from django.utils.html import format_html

    from apps.core.once import FIELD, new_token

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


@register.inclusion_tag("components/status_badge.html")
def status_badge(obj, field="status", css=""):
    """{% status_badge obj %} or {% status_badge cycle "stage" css="fs-6" %}: the status's
    label in the tone its choices declare (apps/core/badges.py)."""
    label, tone = badge(obj, field)
    return {"label": label, "tone": tone, "css": css}
