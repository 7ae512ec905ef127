from django import template

register = template.Library()


@register.inclusion_tag("components/history.html", takes_context=True)
def object_history(context, obj, limit=50):
    """The audit trail of one record, for the people who may read the trail (else nothing)."""
    from ..selectors import describe, for_object

    user = context["request"].user
    if obj is None or not user.has_perm("audit.view"):
        return {"show": False}
    return {"show": True, "rows": [describe(e) for e in for_object(obj, limit)], "limit": limit}
