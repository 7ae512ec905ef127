"""Search documents of the indicators: name (in pinyin too), code, definition, formula,
unit and data source. Visibility is `visible_indicators(user)` (person-scope indicators
only to the few who may see them), the rule of the indicator pages."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import is_admin, is_hr, is_ops
from apps.search.registry import Document, SearchSource

from .models import Indicator
from .selectors import visible_indicators


def documents(owner_ids):
    indicators = Indicator.objects.select_related("department", "responsible").order_by("pk")
    if owner_ids is not None:
        indicators = indicators.filter(pk__in=owner_ids)
    return [
        Document(
            kind="indicator",
            object_id=i.pk,
            owner_id=i.pk,
            title=f"{i.name}（{i.code}）",
            url=i.get_absolute_url(),
            heading=i.department.name,
            body="\n".join(t for t in (i.definition, i.formula, i.data_source) if t),
            context=" ".join(t for t in (i.unit, i.responsible.name if i.responsible_id else "") if t),
            names=i.name,
            department_id=i.department_id,
            status="active" if i.is_active else "inactive",
        )
        for i in indicators
        if i.is_active
    ]


def visible(user):
    if user.is_authenticated and user.is_active and (is_ops(user) or is_admin(user) or is_hr(user)):
        return None
    return visible_indicators(user).values("pk")


SOURCES = [
    SearchSource(
        name="kpis",
        kinds={"indicator": _("Indicators")},
        documents=documents,
        owner_ids=lambda: Indicator.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True),
        visible=visible,
        order=30,
    )
]
