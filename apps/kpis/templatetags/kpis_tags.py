from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from apps.kpis.achievement import STATUS_COLOUR

register = template.Library()


@register.filter
def num(value):
    """A figure for people: thousands separated, no trailing zeros; missing is a dash."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


@register.filter
def pct(value):
    if value is None:
        return _("n/a")
    return f"{Decimal(value):.1f}%"


@register.filter
def colour(status):
    return STATUS_COLOUR.get(status, "#adb5bd")


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def band(indicator):
    """The green band of a range indicator: "75 ~ 90", "≥ 5", "≤ 60"."""
    lo, hi = indicator.range_low, indicator.range_high
    if lo is not None and hi is not None:
        return f"{num(lo)} ~ {num(hi)}"
    return f"≥ {num(lo)}" if lo is not None else f"≤ {num(hi)}"
