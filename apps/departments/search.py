"""Search documents for people: name (in pinyin and initials too), login, employee number,
position and department; a hit opens their page. Anyone who may read the organisation
(`departments.view_org`) may find every active colleague, as on the org pages."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.search.registry import Document, SearchSource


def documents(owner_ids):
    people = get_user_model().objects.filter(is_active=True).select_related("department", "position").order_by("pk")
    if owner_ids is not None:
        people = people.filter(pk__in=owner_ids)
    return [
        Document(
            kind="person",
            object_id=u.pk,
            owner_id=u.pk,
            title=u.name,
            url=u.get_absolute_url(),
            heading=" · ".join(
                t for t in (u.department.name if u.department_id else "", u.position.name if u.position_id else "") if t
            ),
            body=" · ".join(t for t in (u.username, u.employee_no or "", u.email) if t),
            names=u.name,
            department_id=u.department_id,
            status="active",
        )
        for u in people
    ]


def visible(user):
    User = get_user_model()
    return None if user.has_perm("departments.view_org") else User.objects.none().values("pk")


SOURCES = [
    SearchSource(
        name="people",
        kinds={"person": _("People")},
        documents=documents,
        owner_ids=lambda: get_user_model().objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True),
        visible=visible,
        order=40,
    )
]
