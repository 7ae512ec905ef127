from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.kpis.tests.factories import IndicatorFactory, MeasurementFactory
from apps.notifications.models import Notification
from apps.risks import services
from apps.risks.models import Breach, KeyRiskIndicator, Measure, Risk, Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Messages are compared in English here; their Chinese is checked by the catalogue test."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_a_report_notifies_the_head_and_waits_for_triage(org, risks):
    reported = risks["reported"]
    assert reported.status == Risk.Status.REPORTED and reported.code.startswith("R-2026-")
    assert Notification.objects.filter(recipient=org["manager"], kind="risks.reported").count() == 1
    services.accept_risk(risk=reported, actor=org["manager"], owner=org["staff"], seen=Risk.Status.REPORTED)
    reported.refresh_from_db()
    assert reported.status == Risk.Status.OPEN and reported.owner == org["staff"]


def test_a_second_click_on_accept_or_close_is_refused(org, risks):
    reported = risks["reported"]
    services.accept_risk(risk=reported, actor=org["manager"], owner=org["staff"], seen=Risk.Status.REPORTED)
    with pytest.raises(services.StaleState):
        services.accept_risk(risk=reported, actor=org["manager"], owner=org["manager"], seen=Risk.Status.REPORTED)
    with pytest.raises(ValidationError):
        services.close_risk(risk=reported, actor=org["manager"], reason=" ", seen=Risk.Status.OPEN)
    services.close_risk(risk=reported, actor=org["manager"], reason="已消除", seen=Risk.Status.OPEN)
    with pytest.raises(services.StaleState):
        services.close_risk(risk=reported, actor=org["manager"], reason="again", seen=Risk.Status.OPEN)


def test_codes_count_up_per_year(org, risks):
    again = services.report_risk(
        reporter=org["staff"], title="x", category=risks["sales"].category, department=org["sales_dept"]
    )
    first, second = risks["reported"].code, again.code
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1


def test_every_reassessment_is_kept_and_the_newest_is_on_the_risk(org, risks):
    risk = risks["sales"]
    services.assess(risk=risk, actor=org["manager"], likelihood=5, impact=4, residual_likelihood=4, residual_impact=3)
    services.assess(
        risk=risk,
        actor=org["manager"],
        likelihood=3,
        impact=3,
        residual_likelihood=2,
        residual_impact=2,
        controls="双人复核",
    )
    risk.refresh_from_db()
    assert (risk.inherent_score, risk.inherent_level, risk.residual_score, risk.residual_level) == (
        9,
        "medium",
        4,
        "low",
    )
    assert [a.inherent_score for a in risk.assessments.all()] == [9, 20]


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ((6, 3, 2, 2), "Likelihood must be between 1 and 5"),
        ((3, 0, 2, 2), "Impact must be between 1 and 5"),
        ((2, 2, 3, 3), "cannot be above the inherent score"),
    ],
)
def test_scores_out_of_range_or_residual_above_inherent_are_refused(org, risks, scores, message):
    with pytest.raises(ValidationError) as exc:
        services.assess(
            risk=risks["sales"],
            actor=org["manager"],
            likelihood=scores[0],
            impact=scores[1],
            residual_likelihood=scores[2],
            residual_impact=scores[3],
        )
    assert message in " ".join(exc.value.messages)
    assert not risks["sales"].assessments.exists()


def _acceptance(risk):
    from apps.approvals import services as approvals

    return approvals.request_for("risks.acceptance", risk.pk)


def test_accepting_a_high_risk_goes_to_the_general_manager_on_the_approvals_engine(org, risks):
    from apps.approvals import services as approvals

    risk = risks["sales"]
    services.assess(risk=risk, actor=org["manager"], likelihood=4, impact=4, residual_likelihood=4, residual_impact=3)
    risk = services.set_response(risk=risk, actor=org["manager"], strategy=Strategy.ACCEPT)
    assert risk.acceptance == Risk.Acceptance.PENDING
    request = _acceptance(risk)
    assert request.is_pending and request.tasks.get(status="pending").assignee == org["gm"]
    with pytest.raises(approvals.ApprovalError):
        approvals.act(request=request, actor=org["gm"], operation="reject", opinion="")  # a reason is required
    approvals.act(request=request, actor=org["gm"], operation="approve", opinion="同意")
    risk.refresh_from_db()
    assert risk.acceptance == Risk.Acceptance.APPROVED and risk.acceptance_decided_by == org["gm"]


def test_a_refused_acceptance_is_asked_again_after_a_reassessment(org, risks):
    from apps.approvals import services as approvals

    risk = risks["sales"]
    services.assess(risk=risk, actor=org["manager"], likelihood=4, impact=4, residual_likelihood=4, residual_impact=4)
    services.set_response(risk=risk, actor=org["manager"], strategy=Strategy.ACCEPT)
    approvals.act(request=_acceptance(risk), actor=org["gm"], operation="reject", opinion="先落实措施")
    risk.refresh_from_db()
    assert risk.acceptance == Risk.Acceptance.REJECTED
    services.assess(risk=risk, actor=org["manager"], likelihood=5, impact=4, residual_likelihood=4, residual_impact=4)
    risk.refresh_from_db()
    assert risk.acceptance == Risk.Acceptance.PENDING and _acceptance(risk).is_pending


def test_accepting_a_low_risk_needs_nobody(org, risks):
    risk = risks["sales"]
    services.assess(risk=risk, actor=org["manager"], likelihood=2, impact=2, residual_likelihood=1, residual_impact=2)
    assert services.set_response(risk=risk, actor=org["manager"], strategy=Strategy.ACCEPT).acceptance == ""


def test_nobody_approves_their_own_acceptance(org, risks):
    """The general manager proposing it does not decide it: the engine passes the stage up."""
    risk = risks["sales"]
    services.assess(risk=risk, actor=org["gm"], likelihood=5, impact=5, residual_likelihood=5, residual_impact=5)
    services.set_response(risk=risk, actor=org["gm"], strategy=Strategy.ACCEPT)
    request = _acceptance(risk)
    assert not request.tasks.filter(assignee=org["gm"], status="pending").exists()


def test_a_measure_due_in_the_past_is_refused(org, risks):
    with pytest.raises(ValidationError, match="past"):
        services.add_measure(
            risk=risks["sales"],
            actor=org["manager"],
            title="x",
            owner=org["staff"],
            due_date=date(2026, 11, 17),
            today=date(2026, 11, 18),
        )
    assert not Measure.objects.exists()


def _kri(org, risk, comparator="lt", threshold="90"):
    indicator = IndicatorFactory(department=org["sales_dept"])
    kri = KeyRiskIndicator.objects.create(
        risk=risk, indicator=indicator, comparator=comparator, threshold=Decimal(threshold)
    )
    return indicator, kri


def _figure(indicator, index, value):
    MeasurementFactory(indicator=indicator, year=2026, index=index, value=Decimal(value))


def test_a_breach_warns_once_then_again_only_after_recovery(org, risks):
    risk = risks["sales"]
    indicator, kri = _kri(org, risk)
    scan = lambda: services.evaluate_kris(KeyRiskIndicator.objects.all())  # noqa: E731
    _figure(indicator, 1, "95")
    assert scan() == 0
    _figure(indicator, 2, "88")  # below 90: a breach
    assert scan() == 1
    assert scan() == 0  # the same breach: nothing new
    _figure(indicator, 3, "85")
    assert scan() == 0  # still the same breach, a new figure
    risk.refresh_from_db()
    assert risk.in_warning
    warned = Notification.objects.filter(kind="risks.kri_warning")
    assert set(warned.values_list("recipient", flat=True)) == {org["manager"].pk, org["ops"].pk, org["ops_head"].pk}
    assert warned.count() == 3
    _figure(indicator, 4, "92")  # back inside
    assert scan() == 0
    risk.refresh_from_db()
    assert not risk.in_warning and Breach.objects.get().ended_at is not None
    _figure(indicator, 5, "80")  # a new breach
    assert scan() == 1
    assert Breach.objects.count() == 2 and warned.count() == 6


def test_a_figure_saved_and_committed_rechecks_the_risks_watching_it(org, risks, django_capture_on_commit_callbacks):
    indicator, _kri_row = _kri(org, risks["sales"], comparator="gt", threshold="100")
    with django_capture_on_commit_callbacks(execute=True):
        _figure(indicator, 1, "120")
    risks["sales"].refresh_from_db()
    assert risks["sales"].in_warning


def test_a_review_moves_the_next_review_date(org, risks):
    with pytest.raises(ValidationError):
        services.record_review(
            risk=risks["sales"],
            actor=org["manager"],
            note="ok",
            next_review=date(2026, 11, 18),
            today=date(2026, 11, 18),
        )
    services.record_review(
        risk=risks["sales"],
        actor=org["manager"],
        note="复核完成",
        next_review=date(2026, 11, 18) + timedelta(days=90),
        today=date(2026, 11, 18),
    )
    risks["sales"].refresh_from_db()
    assert risks["sales"].review_date == date(2027, 2, 16) and risks["sales"].reviews.count() == 1


def test_the_kri_scan_job_at_pinned_times_warns_once_per_breach_and_never_looks_ahead(org, risks):
    """The job as beat runs it: at its time, twice, and late (a missed hour catches up)."""
    import time_machine
    from django.utils import timezone

    from apps.kpis.models import Measurement
    from apps.scheduling.registry import get

    job = get("risks.kri_scan")
    assert job.schedule == "17 * * * *" and not job.atomic  # hourly; each KRI commits on its own
    indicator, kri = _kri(org, risks["sales"])  # monthly, warn below 90
    warned = Notification.objects.filter(kind="risks.kri_warning")
    _figure(indicator, 11, "95")  # November, inside
    _figure(indicator, 12, "70")  # December, entered ahead: not a figure of today yet
    with time_machine.travel("2026-11-30 23:17 +0800", tick=False):
        assert job.func(timezone.now()) == 0
        kri.refresh_from_db()
        assert not kri.in_breach and kri.last_period == "2026-11" and warned.count() == 0
    with time_machine.travel("2026-12-01 00:17 +0800", tick=False):  # December has begun
        now = timezone.now()
        assert job.func(now) == 1
        assert job.func(now) == 0  # a second run at the same moment sends nothing
    breach = Breach.objects.get()
    assert breach.started_at == now and breach.period == "2026-12" and breach.ended_at is None
    assert warned.count() == 3  # owner and the two ops, once
    with time_machine.travel("2026-12-01 05:17 +0800", tick=False):  # after missed runs: nothing new
        assert job.func(timezone.now()) == 0
    Measurement.objects.filter(indicator=indicator, index=12).update(value=Decimal("93"))
    with time_machine.travel("2026-12-02 09:17 +0800", tick=False):
        ended = timezone.now()
        assert job.func(ended) == 0
    breach.refresh_from_db()
    assert breach.ended_at == ended and not KeyRiskIndicator.objects.get().in_breach
    assert warned.count() == 3
