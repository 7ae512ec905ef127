from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The top bar: (url name, label, icon). A module whose urls are not there yet is skipped.
NAV = [
    ("policies:list", _("Regulations"), "bi-journal-text"),
    ("processes:list", _("Processes"), "bi-diagram-3"),
    ("kpis:overview", _("Indicators"), "bi-graph-up"),
    ("appraisals:home", _("Appraisals"), "bi-clipboard-check"),
    ("departments:org_chart", _("Organisation"), "bi-people"),
]


def _nav(request):
    items = []
    for url_name, label, icon in NAV:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        namespace = url_name.split(":")[0]
        active = getattr(request.resolver_match, "namespace", None) == namespace
        items.append({"url": url, "label": label, "icon": icon, "active": active})
    return items


def portal(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    from apps.notifications.selectors import unread_count

    return {"nav_items": _nav(request), "unread_notifications": unread_count(request.user)}
