from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.utils import timezone

from .lockout import limit_for
from .models import SignInEvent
from .services import not_activated


def people_not_activated():
    return not_activated().select_related("department", "invitation").order_by("department__name", "username")


def never_invited_count() -> int:
    return not_activated().filter(invitation__isnull=True).exclude(email="").count()


def current_lockouts() -> list[dict]:
    """Usernames and addresses refused right now: django-axes counts failures per username and
    per address separately (each over every browser and address), so do we. Two queries."""
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    rows = []
    for field in ("username", "ip_address"):
        grouped = (
            recent.order_by()  # the model orders by time, which would split the groups
            .exclude(**{f"{field}__isnull": True})
            .exclude(**({"username": ""} if field == "username" else {}))
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit_for(field))
        )
        rows += [
            {
                "field": field,
                "value": row[field],
                "failures": row["failures"],
                "until": row["last"] + (timezone.now() - since),
            }
            for row in grouped
        ]
    return sorted(rows, key=lambda r: r["until"], reverse=True)


def events(*, q: str = "", kind: str = ""):
    qs = SignInEvent.objects.select_related("user")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(ip_address=q) if _is_ip(q) else Q(username__icontains=q))
    return qs


def _is_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
