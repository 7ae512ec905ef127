from django.urls import reverse

from .plugins import nav_items, topbar_badges
from .usercache import cached_for

_NAV: list[tuple[str, object, str, str]] = []


def _nav(request):
    if not _NAV:  # the same for everyone: address, label (translated when shown), icon, app
        _NAV.extend((reverse(i.url_name), i.label, i.icon, i.url_name.split(":")[0]) for i in nav_items())
    namespace = getattr(request.resolver_match, "namespace", None)
    return [{"url": url, "label": label, "icon": icon, "active": namespace == app} for url, label, icon, app in _NAV]


def _badges(user) -> dict:
    from apps.notifications.selectors import unread_count

    return {"unread": unread_count(user), "badges": topbar_badges(user)}


def portal(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    # Counted once per change of the person's rows, not once per page (apps/core/usercache.py).
    figures = cached_for(request.user, "topbar", lambda: _badges(request.user))
    return {
        "nav_items": _nav(request),
        "unread_notifications": figures["unread"],
        "topbar_badges": figures["badges"],
    }
