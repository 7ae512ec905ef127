from datetime import timedelta

import pytest
from django.utils import timezone

from apps.appraisals.defaults import ensure_default_template
from apps.appraisals.models import Cycle, Stage
from apps.appraisals.opening import appraisal_cycle_open, parse_period, previous_quarter_code


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def default_template(db):
    return ensure_default_template()


@pytest.fixture
def open_cycle(db, default_template, today):
    """open_cycle(code=None, **dates) -> Cycle; deadlines in the future unless given."""

    def make(code=None, **kwargs):
        kwargs.setdefault("self_deadline", today + timedelta(days=5))
        kwargs.setdefault("review_deadline", today + timedelta(days=10))
        kwargs.setdefault("calibration_deadline", today + timedelta(days=15))
        kwargs.setdefault("close_date", today + timedelta(days=30))
        code = code or previous_quarter_code(today)
        # one open cycle per kind (opening refuses a second): earlier ones of the kind are closed
        kind, _start, _end = parse_period(code)
        Cycle.objects.filter(kind=kind).exclude(code=code.upper()).update(stage=Stage.CLOSED)
        cycle, _n = appraisal_cycle_open(code=code, today=today, notify=False, **kwargs)
        return cycle

    return make


@pytest.fixture
def cycle(org, open_cycle):
    return open_cycle()


@pytest.fixture(autouse=True)
def _role_groups(db):
    """A transactional test elsewhere (flush) can leave a reused test database without the
    role groups the data migration made; recreate them so roles mean something."""
    from django.contrib.auth.models import Group

    from apps.accounts.roles import Role

    if Group.objects.filter(name__in=Role.values).count() != len(Role.values):
        for role in Role.values:
            Group.objects.get_or_create(name=role)
