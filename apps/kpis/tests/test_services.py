from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.kpis import services
from apps.kpis.models import Measurement, MeasurementRevision, Target
from apps.kpis.periods import Period
from apps.kpis.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
MAR = Period(2026, 3)


def test_entering_a_figure_records_who_and_when(kpi):
    m = services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=D("91.5"), by=kpi["manager"])
    assert (m.value, m.entered_by, m.updated_by) == (D("91.5"), kpi["manager"], kpi["manager"])
    rev = m.revisions.get()
    assert (rev.old_value, rev.new_value, rev.changed_by) == (None, D("91.5"), kpi["manager"])


def test_a_correction_keeps_the_history_of_who_changed_what_from_what(kpi):
    services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=D("91.5"), note="初报", by=kpi["manager"])
    m = services.measurement_save(
        indicator=kpi["sales_kpi"], period=MAR, value=D("93"), note="补录", by=kpi["ops"], reason="漏登回款"
    )
    latest, first = list(m.revisions.all())
    assert (latest.old_value, latest.new_value, latest.changed_by, latest.reason) == (
        D("91.5"),
        D("93"),
        kpi["ops"],
        "漏登回款",
    )
    assert (latest.old_note, latest.new_note) == ("初报", "补录")
    assert first.new_value == D("91.5")
    assert Measurement.objects.count() == 1


def test_saving_the_same_figure_again_writes_no_history(kpi):
    services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=D("91.5"), by=kpi["manager"])
    services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=D("91.50"), by=kpi["manager"])
    assert MeasurementRevision.objects.count() == 1


def test_clearing_a_figure_keeps_the_row_and_its_history(kpi):
    services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=D("80"), by=kpi["manager"])
    m = services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=None, by=kpi["manager"])
    assert m.value is None and m.revisions.count() == 2


def test_a_figure_must_match_the_indicators_frequency(kpi):
    with pytest.raises(ValidationError):
        services.measurement_save(
            indicator=kpi["sales_kpi"], period=Period(2026, 1, "quarterly"), value=1, by=kpi["ops"]
        )


@pytest.mark.parametrize("who, allowed", [("manager", False), ("staff", False), ("ops", True), ("admin", True)])
def test_in_a_locked_period_only_ops_change_figures(kpi, who, allowed):
    services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=D("80"), by=kpi["manager"])
    services.period_lock(period=MAR, by=kpi["ops"])
    if allowed:
        m = services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=D("85"), by=kpi[who])
        assert m.value == D("85")
    else:
        with pytest.raises(services.PeriodLocked):
            services.measurement_save(indicator=kpi["sales_kpi"], period=MAR, value=D("85"), by=kpi[who])
        assert Measurement.objects.get().value == D("80")


def test_unlocking_lets_the_department_correct_again(kpi):
    services.period_lock(period=MAR, by=kpi["ops"])
    services.period_unlock(period=MAR, by=kpi["ops"])
    assert services.measurement_save(
        indicator=kpi["sales_kpi"], period=MAR, value=D("1"), by=kpi["manager"]
    ).value == D("1")


def test_locking_a_month_does_not_lock_the_quarter(kpi):
    services.period_lock(period=MAR, by=kpi["ops"])
    assert services.is_locked(MAR) and not services.is_locked(Period(2026, 1, "quarterly"))


@pytest.mark.parametrize("who", ["manager", "staff"])
def test_only_ops_lock_periods(kpi, who):
    with pytest.raises(services.PermissionDenied):
        services.period_lock(period=MAR, by=kpi[who])


def test_a_yearly_target_is_split_evenly_into_months(kpi):
    ind = IndicatorFactory(year_rule="sum", unit="万元")
    services.targets_set_year(indicator=ind, year=2026, annual=D("1000"), by=kpi["ops"])
    values = list(Target.objects.filter(indicator=ind, year=2026).order_by("index").values_list("value", flat=True))
    assert len(values) == 12 and sum(values) == D("1000") and values[0] == D("83.3333") and values[-1] == D("83.3337")


def test_a_rate_target_repeats_in_every_quarter(kpi):
    ind = IndicatorFactory(frequency="quarterly", year_rule="average")
    services.targets_set_year(indicator=ind, year=2026, annual=D("95"), by=kpi["ops"])
    assert list(Target.objects.filter(indicator=ind).values_list("value", flat=True)) == [D("95")] * 4


def test_targets_set_by_hand_and_an_empty_one_removed(kpi):
    ind = IndicatorFactory(frequency="quarterly", year_rule="sum")
    services.targets_set_year(indicator=ind, year=2026, values=[D(1), D(2), D(3), D(4)], by=kpi["ops"])
    services.targets_set_year(indicator=ind, year=2026, values=[D(5), None, D(3), D(4)], by=kpi["ops"])
    assert dict(Target.objects.filter(indicator=ind).values_list("index", "value")) == {1: D(5), 3: D(3), 4: D(4)}


def test_targets_by_hand_need_one_per_period(kpi):
    with pytest.raises(ValidationError):
        services.targets_set_year(indicator=kpi["sales_kpi"], year=2026, values=[D(1)] * 4, by=kpi["ops"])


@pytest.mark.parametrize(
    "name, size, ok",
    [
        ("proof.pdf", 100, True),
        ("proof.xlsx", 100, True),
        ("proof.exe", 100, False),
        ("big.pdf", services.EVIDENCE_MAX_BYTES + 1, False),
    ],
)
def test_evidence_is_limited_in_type_and_size(kpi, name, size, ok):
    upload = SimpleUploadedFile(name, b"x" * size)
    if ok:
        m = services.measurement_save(
            indicator=kpi["sales_kpi"], period=MAR, value=D(1), evidence=upload, by=kpi["manager"]
        )
        assert m.evidence.name.endswith(name.rsplit(".", 1)[1]) and m.revisions.get().evidence_changed
    else:
        with pytest.raises(ValidationError):
            services.measurement_save(
                indicator=kpi["sales_kpi"], period=MAR, value=D(1), evidence=upload, by=kpi["manager"]
            )
