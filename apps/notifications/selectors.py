from .kinds import all_kinds, kind_for
from .models import Channel, Notification, NotificationPreference


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user, *, unread_only: bool = False, kind: str = ""):
    qs = Notification.objects.filter(recipient=user)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def kinds_of(user) -> list[tuple[str, str]]:
    """The kinds this user has notifications of, for the filter: (code, label)."""
    codes = Notification.objects.filter(recipient=user).values_list("kind", flat=True).distinct().order_by()
    return sorted(((c, str(kind_for(c).label)) for c in codes), key=lambda p: p[1])


def latest_for(user, limit: int = 6) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user).only("id", "title", "created_at", "read_at", "resolved_at", "kind")[
            :limit
        ]
    )


def preferences_of(user) -> list[dict]:
    """Every known kind with the user's channel (or the default), grouped for the form."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    rows = []
    for code, kind in all_kinds().items():
        channel = chosen.get(code, kind.default)
        if kind.mandatory and channel == Channel.OFF:
            channel = Channel.IMMEDIATE
        rows.append({"kind": kind, "channel": channel})
    return rows
