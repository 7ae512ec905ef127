from django.urls import reverse

from .plugins import nav_items, topbar_badges


def _nav(request):
    namespace = getattr(request.resolver_match, "namespace", None)
    return [
        {
            "url": reverse(item.url_name),
            "label": item.label,
            "icon": item.icon,
            "active": namespace == item.url_name.split(":")[0],
        }
        for item in nav_items()
    ]


def portal(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    from apps.notifications.selectors import unread_count

    return {
        "nav_items": _nav(request),
        "unread_notifications": unread_count(request.user),
        "topbar_badges": topbar_badges(request.user),
    }
