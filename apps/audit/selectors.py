"""Reading the trail (pghistory's Events: every event table as one, with old → new)."""

from datetime import date, datetime, time

from django.utils import timezone
from pghistory.models import Events

LABELS = ("insert", "update", "delete")


def for_object(obj, limit: int = 50):
    return list(Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id")[:limit])


def search(*, model: str = "", label: str = "", who: str = "", text: str = "", since: date | None = None,
           until: date | None = None):  # fmt: skip
    qs = Events.objects.all()
    if model:
        qs = qs.filter(pgh_obj_model=model)
    if label in LABELS:
        qs = qs.filter(pgh_label=label)
    if who:
        qs = qs.filter(pgh_context__username=who)
    if text:
        qs = qs.extra(where=["pgh_data::text ILIKE %s"], params=[f"%{text}%"])
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(pgh_created_at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        qs = qs.filter(pgh_created_at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return qs.order_by("-pgh_created_at", "-pgh_id")


def tracked_models() -> list[str]:
    from django.apps import apps

    return sorted(m.pgh_tracked_model._meta.label for m in apps.get_app_config("audit").get_models())


def describe(event) -> dict:
    """Who, when, what: the view of one event a page shows (and an export writes)."""
    context = event.pgh_context or {}
    who = context.get("username") or context.get("service") or ""
    if event.pgh_label == "update":
        changes = [(field, old, new) for field, (old, new) in (event.pgh_diff or {}).items()]
    else:
        changes = [(field, None, value) for field, value in (event.pgh_data or {}).items()]
        if event.pgh_label == "delete":
            changes = [(field, value, None) for field, _, value in changes]
    return {
        "at": event.pgh_created_at,
        "label": event.pgh_label,
        "model": event.pgh_obj_model,
        "object_id": event.pgh_obj_id,
        "who": who,
        "url": context.get("url", ""),
        "changes": changes,
    }
