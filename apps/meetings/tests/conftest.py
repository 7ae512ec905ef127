from datetime import date, time

import pytest
import time_machine

from apps.meetings import services
from apps.meetings.models import MeetingType

TODAY = date(2026, 11, 2)  # a Monday


@pytest.fixture
def today():
    with time_machine.travel(f"{TODAY.isoformat()} 10:00 +0800", tick=False):
        yield TODAY


@pytest.fixture
def make_meeting(org, today):
    def make(*, organiser=None, attendees=(), department=None, confidential=False, day=None, **extra):
        organiser = organiser or org["manager"]
        return services.meeting_create(
            actor=organiser,
            title=extra.pop("title", "销售部周例会"),
            type=extra.pop("type", MeetingType.DEPARTMENT),
            organiser=organiser,
            department=department or org["sales_dept"],
            date=day or today,
            start_time=time(9, 30),
            confidential=confidential,
            attendees=list(attendees),
            agenda=extra.pop("agenda", [services.AgendaLine("上周工作汇报", org["staff"], 15)]),
            **extra,
        )

    return make


@pytest.fixture
def meetings(org, make_meeting):
    """open: a sales meeting (manager, staff); secret: the same, confidential; ops: an
    operations meeting (ops_head, ops)."""
    return {
        "open": make_meeting(attendees=[org["staff"]]),
        "secret": make_meeting(attendees=[org["staff"]], confidential=True, title="薪酬专题会"),
        "ops": make_meeting(
            organiser=org["ops_head"], attendees=[org["ops"]], department=org["ops_dept"], title="运营例会"
        ),
    }
