"""The first chase of a missing figure is recorded in the common reminder ledger
(notifications.SentReminder) like every other reminder: the rows of the KPI module's own
table move there (key: indicator, kind kpis.figure_missing, the period's last day, the person
chased: the responsible person, else the department head), then the table goes."""

from django.db import migrations

from apps.kpis.periods import Period

KIND = "kpis.figure_missing"
BATCH = 2000


def to_ledger(apps, schema_editor):
    FigureReminder = apps.get_model("kpis", "FigureReminder")
    SentReminder = apps.get_model("notifications", "SentReminder")
    rows = FigureReminder.objects.select_related("indicator__department").order_by("pk")
    keys = []
    for row in rows.iterator(chunk_size=BATCH):
        ind = row.indicator
        recipient = ind.responsible_id or ind.department.head_id
        if recipient is None:
            continue  # nobody was told; the next run chases whoever is responsible by then
        end = Period(row.year, row.index, ind.frequency).end
        keys.append(
            SentReminder(
                object_type="kpis.indicator",
                object_id=ind.pk,
                kind=KIND,
                due_date=end,
                recipient_id=recipient,
                sent_at=row.sent_at,
            )
        )
    SentReminder.objects.bulk_create(keys, batch_size=BATCH, ignore_conflicts=True)


def from_ledger(apps, schema_editor):
    FigureReminder = apps.get_model("kpis", "FigureReminder")
    SentReminder = apps.get_model("notifications", "SentReminder")
    Indicator = apps.get_model("kpis", "Indicator")
    sent = SentReminder.objects.filter(object_type="kpis.indicator", kind=KIND)
    frequency = dict(Indicator.objects.values_list("pk", "frequency"))
    rows = set()
    for object_id, due_date in sent.values_list("object_id", "due_date").iterator(chunk_size=BATCH):
        if object_id not in frequency:
            continue
        period = Period.containing(due_date, frequency[object_id])
        if period.end == due_date:  # else the frequency changed since: no period to name
            rows.add((object_id, period.year, period.index))
    FigureReminder.objects.bulk_create(
        [FigureReminder(indicator_id=i, year=y, index=n) for (i, y, n) in rows],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    sent.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0003_indicator_processes"),
        ("notifications", "0002_notificationpreference_outboundemail_reminder_and_more"),
    ]
    operations = [
        migrations.RunPython(to_ledger, from_ledger),
        migrations.DeleteModel(name="FigureReminder"),
    ]
