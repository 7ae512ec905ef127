from django import template
from django.template.loader import render_to_string

from ..models import GRADE_TONES, Grade, Stage

register = template.Library()
STAGE_TONES = {
    "self": "info",
    "review": "primary",
    "calibration": "warning",
    "published": "success",
    "closed": "secondary",
}
STATUS_TONES = {
    "self": "light",
    "submitted": "info",
    "reviewed": "primary",
    "published": "success",
    "acknowledged": "success",
    "objected": "danger",
    "resolved": "secondary",
}


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


@register.simple_tag
def stage_badge(stage):
    label = dict(Stage.choices).get(stage, stage)
    return render_to_string(
        "components/status_badge.html", {"label": label, "tone": STAGE_TONES.get(stage, "secondary")}
    )


@register.simple_tag
def status_badge(appraisal):
    tone = STATUS_TONES.get(appraisal.status, "secondary")
    return render_to_string(
        "components/status_badge.html",
        {"label": appraisal.get_status_display(), "tone": tone + (" border" if tone == "light" else "")},
    )


@register.filter
def group_label(value):
    from ..models import CriterionGroup

    return dict(CriterionGroup.choices).get(value, value)


@register.filter
def grade_label(value):
    return dict(Grade.choices).get(value, value)
