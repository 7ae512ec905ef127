"""Small helpers shared by the module adapters."""

from datetime import date, timedelta

from django.utils import timezone


def latest_occasion(deadline: date, days_before: tuple[int, ...], today: date) -> date | None:
    """For "remind N, M ... days before": the latest reminder day on or before today (so a
    missed run sends the current reminder once, not every one it missed). None: too early or past."""
    if today > deadline:
        return None
    passed = [deadline - timedelta(days=n) for n in days_before if deadline - timedelta(days=n) <= today]
    return max(passed) if passed else None


def local_date(moment) -> date:
    return timezone.localdate(moment)
