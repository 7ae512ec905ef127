"""Migration 0004: the KPI module's own reminder table moves into the common reminder ledger."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("kpis", "0003_indicator_processes")]
AFTER = [("kpis", "0004_figure_reminders_in_the_common_ledger")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db  # PostgreSQL rolls the schema changes back with the test's transaction
def test_sent_figure_reminders_move_to_the_common_ledger_and_back(org):
    from apps.kpis.tests.factories import IndicatorFactory

    monthly = IndicatorFactory(department=org["sales_dept"], responsible=org["staff"])
    quarterly = IndicatorFactory(department=org["sales_dept"], responsible=None, frequency="quarterly")
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events when a table is dropped
    old = migrate(BEFORE)
    FigureReminder = old.get_model("kpis", "FigureReminder")
    FigureReminder.objects.create(indicator_id=monthly.pk, year=2026, index=2)
    FigureReminder.objects.create(indicator_id=quarterly.pk, year=2026, index=3)
    new = migrate(AFTER)
    SentReminder = new.get_model("notifications", "SentReminder")
    keys = set(
        SentReminder.objects.filter(kind="kpis.figure_missing").values_list(
            "object_type", "object_id", "due_date", "recipient_id"
        )
    )
    assert keys == {
        ("kpis.indicator", monthly.pk, date(2026, 2, 28), org["staff"].pk),  # the responsible person
        ("kpis.indicator", quarterly.pk, date(2026, 9, 30), org["manager"].pk),  # else the head
    }
    old = migrate(BEFORE)
    rows = old.get_model("kpis", "FigureReminder").objects.values_list("indicator_id", "year", "index")
    assert set(rows) == {(monthly.pk, 2026, 2), (quarterly.pk, 2026, 3)}
    migrate(AFTER)
