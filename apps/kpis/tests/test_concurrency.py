"""Two people saving the same figure at once: one row, both changes in its history."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connection

from apps.kpis import services
from apps.kpis.models import Measurement, MeasurementRevision
from apps.kpis.periods import Period


@pytest.mark.django_db(transaction=True)
def test_two_first_entries_at_once_give_one_figure_and_two_revisions(kpi):
    ind, people = kpi["sales_kpi"], [kpi["manager"], kpi["ops"]]
    barrier, errors = threading.Barrier(2), []

    def enter(user, value):
        try:
            barrier.wait()
            services.measurement_save(indicator=ind, period=Period(2026, 3), value=value, by=user)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enter, args=(u, D(v))) for u, v in zip(people, (90, 95), strict=False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    m = Measurement.objects.get()
    revisions = list(MeasurementRevision.objects.order_by("pk"))
    assert len(revisions) == 2
    assert revisions[0].old_value is None and revisions[1].old_value == revisions[0].new_value
    assert m.value == revisions[1].new_value
