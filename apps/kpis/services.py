"""Writes for indicators. Keyword-only, one transaction each, history in the same one."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Indicator, Measurement, MeasurementRevision, PeriodLock, Target, YearRule
from .periods import PERIODS_PER_YEAR, Period, not_begun, not_begun_message, year_periods

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".xls", ".docx", ".csv", ".txt"}
QUANTUM = Decimal("0.0001")


class PeriodLocked(PermissionDenied):
    """The period is locked; only ops may change its figures."""


def is_locked(period: Period) -> bool:
    return PeriodLock.objects.filter(frequency=period.frequency, year=period.year, index=period.index).exists()


def validate_evidence(upload) -> None:
    import os

    if upload is None:
        return
    ext = os.path.splitext(upload.name)[1].lower()
    if ext not in EVIDENCE_TYPES:
        raise ValidationError(_("Evidence must be one of: %(types)s.") % {"types": ", ".join(sorted(EVIDENCE_TYPES))})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(_("Evidence files may be at most 5 MB."))


@transaction.atomic
def measurement_save(
    *,
    indicator,
    period: Period,
    value: Decimal | None,
    by,
    note: str | None = None,
    evidence=None,
    reason: str = "",
    source: str = "form",
    locked: bool | None = None,
    today=None,
) -> Measurement:
    """Enter or correct one figure. Every change writes a MeasurementRevision (who, when,
    old -> new). In a locked period only someone with kpis.enter_locked may change it.
    `note=None` keeps the note as it is. Returns the measurement (unchanged if nothing changed)."""
    if period.frequency != indicator.frequency:
        raise ValidationError(_("This indicator is reported %(freq)s.") % {"freq": indicator.get_frequency_display()})
    if not_begun(period, today or timezone.localdate()):
        raise ValidationError(not_begun_message(period))
    if locked is None:
        locked = is_locked(period)
    if locked and not by.has_perm("kpis.enter_locked"):
        raise PeriodLocked(_("Period %(p)s is locked; ask operations management to change it.") % {"p": period.label})
    validate_evidence(evidence)
    if value is not None:
        value = Decimal(value).quantize(QUANTUM, rounding=ROUND_HALF_UP)
    rows = Measurement.objects.filter(indicator=indicator, year=period.year, index=period.index)
    m = rows.select_for_update().first()
    if m is None:
        if value is None and not note and evidence is None:
            return Measurement(indicator=indicator, year=period.year, index=period.index)
        # Two people entering the first figure at once: one INSERT wins, the other waits on
        # the row lock below and then records its change as a correction of the first.
        Measurement.objects.bulk_create(
            [Measurement(indicator=indicator, year=period.year, index=period.index, entered_by=by)],
            ignore_conflicts=True,
        )
        m = rows.select_for_update().get()
    old_value, old_note = m.value, m.note
    is_new = not m.revisions.exists()
    new_note = old_note if note is None else note.strip()
    if not is_new and old_value == value and old_note == new_note and evidence is None:
        return m
    m.value, m.note, m.updated_by = value, new_note, by
    if evidence is not None:
        m.evidence = evidence
    m.save()
    MeasurementRevision.objects.create(
        measurement=m,
        changed_by=by,
        old_value=old_value,
        new_value=value,
        old_note=old_note,
        new_note=new_note,
        evidence_changed=evidence is not None,
        reason=reason[:300],
        source=source,
    )
    return m


def split_year(annual: Decimal, periods: int, rule: str) -> list[Decimal]:
    """Split a yearly target evenly. Flows (sum) are divided, the rounding remainder going
    to the last period so the parts add up exactly; levels (average) repeat the value."""
    annual = Decimal(annual)
    if rule == YearRule.AVERAGE or periods == 1:
        return [annual] * periods
    part = (annual / periods).quantize(QUANTUM, rounding=ROUND_HALF_UP)
    return [part] * (periods - 1) + [annual - part * (periods - 1)]


@transaction.atomic
def targets_set_year(
    *,
    indicator,
    year: int,
    by,
    annual: Decimal | None = None,
    values: list[Decimal | None] | None = None,
    green_pct: Decimal | None = None,
    amber_pct: Decimal | None = None,
) -> list[Target]:
    """Set a year's targets: `annual` splits evenly (see split_year); `values` sets each
    period by hand (None leaves that period without a target). `green_pct`/`amber_pct`
    override the indicator's thresholds for this year (None: the indicator's)."""
    if green_pct is not None and amber_pct is not None and amber_pct > green_pct:
        raise ValidationError(_("Amber must start below green."))
    n = PERIODS_PER_YEAR[indicator.frequency]
    if values is None:
        if annual is None:
            raise ValidationError(_("Give a yearly target or one per period."))
        values = split_year(annual, n, indicator.year_rule)
    if len(values) != n:
        raise ValidationError(_("Expected %(n)d period targets.") % {"n": n})
    existing = {t.index: t for t in Target.objects.select_for_update().filter(indicator=indicator, year=year)}
    saved = []
    for period, value in zip(year_periods(year, indicator.frequency), values, strict=False):
        target = existing.get(period.index)
        if value is None:
            if target:
                target.delete()
            continue
        target = target or Target(indicator=indicator, year=year, index=period.index)
        target.value, target.set_by = Decimal(value), by
        target.green_pct, target.amber_pct = green_pct, amber_pct
        target.save()
        saved.append(target)
    return saved


@transaction.atomic
def period_lock(*, period: Period, by) -> PeriodLock:
    if not by.has_perm("kpis.lock"):
        raise PermissionDenied
    lock, _created = PeriodLock.objects.get_or_create(
        frequency=period.frequency, year=period.year, index=period.index, defaults={"locked_by": by}
    )
    return lock


@transaction.atomic
def period_unlock(*, period: Period, by) -> int:
    if not by.has_perm("kpis.lock"):
        raise PermissionDenied
    deleted, _rows = PeriodLock.objects.filter(
        frequency=period.frequency, year=period.year, index=period.index
    ).delete()
    return deleted


class ImportNotValid(ValidationError):
    """The file has errors; nothing was saved."""


@transaction.atomic
def figure_import_apply(*, batch, by) -> int:
    """Save every figure of an uploaded file, or none: the rows are checked again here (the
    database may have changed since the preview) and one bad row rolls everything back."""
    from .importing import validate_rows

    batch = type(batch).objects.select_for_update().get(pk=batch.pk)
    if batch.applied_at:
        return batch.applied_count
    rows = validate_rows(batch.rows, user=by)
    if any(r.errors for r in rows):
        raise ImportNotValid(_("The file has errors; nothing was saved."))
    count = 0
    for row in rows:
        if row.number is None:
            continue
        note = row.values.get("note") or None
        measurement_save(
            indicator=row.indicator,
            period=row.period,
            value=row.number,
            note=note,
            by=by,
            reason=_("Imported from %(file)s") % {"file": batch.filename},
            source="import",
        )
        count += 1
    batch.applied_at, batch.applied_count = timezone.now(), count
    batch.save(update_fields=["applied_at", "applied_count"])
    return count


@transaction.atomic
def figures_missing_remind(*, today=None) -> int:
    """Tell the responsible person (or the department head) about each figure still missing
    `reminder_days` after its period ended. Idempotent and state-based through the common
    reminder ledger (notifications.SentReminder, keyed by indicator, kind, period end and
    recipient), so a second run sends nothing and a run after a missed day catches up.
    Returns the number of reminders sent."""
    from django.utils.translation import gettext_noop

    from apps.notifications.reminding import Due, send_due

    from .selectors import entry_url, figures_missing

    dues = [
        Due(
            "kpis.indicator",
            item.indicator.pk,
            "kpis.figure_missing",
            item.period.end,
            item.recipient_id,
            gettext_noop("Figure missing: %(name)s, %(period)s"),
            gettext_noop("The figure for %(period)s was due by %(due)s."),
            entry_url(item.indicator, item.period),
            {"name": item.indicator.name, "period": item.period.label, "due": item.due.isoformat()},
        )
        for item in figures_missing(today=today)
    ]
    return send_due(dues)


@transaction.atomic
def indicator_save(*, form) -> Indicator:
    """Create or change an indicator from its validated form; the search index follows."""
    from apps.search.services import index_now

    indicator = form.save()
    index_now(source="kpis", owner_ids=[indicator.pk])
    return indicator
