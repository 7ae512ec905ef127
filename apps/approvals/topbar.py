from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.plugins import TopbarBadge

from .selectors import waiting_count


def badges(user) -> list[TopbarBadge]:
    return [
        TopbarBadge(
            url=reverse("approvals:inbox"), label=_("My approvals"), icon="bi-check2-square", count=waiting_count(user)
        )
    ]
