from django import template
from django.template.loader import render_to_string

from ..models import GRADE_TONES, Grade

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def grade_badge(grade):
    if not grade:
        return render_to_string("appraisals/_grade.html", {"grade": ""})
    return render_to_string(
        "appraisals/_grade.html", {"grade": grade, "tones": GRADE_TONES, "labels": dict(Grade.choices)}
    )


@register.filter
def group_label(value):
    from ..models import CriterionGroup

    return dict(CriterionGroup.choices).get(value, value)


@register.filter
def grade_label(value):
    return dict(Grade.choices).get(value, value)
