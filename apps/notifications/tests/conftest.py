from datetime import date, datetime, time

import pytest
from django.utils import timezone

from apps.notifications import reminding
from apps.notifications.models import Reminder


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def plan(db):
    """plan(user, due_date, object_id=..., kind=...) -> a planned Reminder row."""
    counter = iter(range(1, 10**6))

    def make(user, due_date, *, object_id=None, kind="reminders.planned", title="请确认《员工手册》", url="/x/"):
        return Reminder.objects.create(
            recipient=user,
            kind=kind,
            object_type="test.thing",
            object_id=object_id or next(counter),
            due_date=due_date,
            title=title,
            url=url,
        )

    return make


@pytest.fixture
def temp_source():
    added = []

    def add(source):
        reminding.register_source(source)
        added.append(source.name)
        return source

    yield add
    for name in added:
        reminding._sources.pop(name, None)
