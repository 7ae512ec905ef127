"""A criterion bound to a KPI: the reviewer's score is proposed from the achievement and
can be changed only with a reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.appraisals import kpi_binding, services
from apps.appraisals.models import Criterion, Template
from apps.kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory

from .helpers import appraisal_of, full_scores, set_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def bound_cycle(org, open_cycle):
    indicator = IndicatorFactory(code="S-REV", department=org["sales_dept"], frequency="monthly", year_rule="average")
    for month, actual in ((7, "90"), (8, "95"), (9, "100")):
        TargetFactory(indicator=indicator, year=2026, index=month, value=Decimal("100"))
        MeasurementFactory(indicator=indicator, year=2026, index=month, value=Decimal(actual))
    template = Template.objects.create(name="销售考核表")
    Criterion.objects.create(template=template, name="销售目标完成率", weight=60, indicator=indicator, sort_order=0)
    Criterion.objects.create(template=template, name="客户维护", weight=40, sort_order=1)
    template.departments.add(org["sales_dept"])
    return set_stage(open_cycle("2026Q3"), "review")


def test_the_score_is_proposed_from_the_kpi_achievement(org, bound_cycle):
    a = appraisal_of(bound_cycle, org["staff"])
    bound = a.form.criteria[0]
    assert bound["indicator_id"] and kpi_binding.proposed_scores(a) == {str(bound["id"]): Decimal("95.00")}


def test_no_figure_means_no_proposal(org, open_cycle, bound_cycle):
    later = open_cycle("2026Q4")
    assert kpi_binding.proposed_scores(appraisal_of(later, org["staff"])) == {}


def test_changing_the_proposed_score_needs_a_reason(org, bound_cycle):
    a = appraisal_of(bound_cycle, org["staff"])
    bound, other = (str(c["id"]) for c in a.form.criteria)
    scores = {bound: {"score": "80"}, other: {"score": "85"}}
    with pytest.raises(ValidationError):
        services.appraisal_save_review(appraisal=a, actor=org["manager"], scores=scores, summary="评语", submit=True)
    scores[bound]["reason"] = "大客户回款延迟，业绩质量打折"
    services.appraisal_save_review(appraisal=a, actor=org["manager"], scores=scores, summary="评语", submit=True)
    a.refresh_from_db()
    assert a.manager_scores[bound] == {
        "score": "80.00",
        "comment": "",
        "proposed": "95.00",
        "reason": "大客户回款延迟，业绩质量打折",
    }
    assert a.total == Decimal("82.00")


def test_keeping_the_proposed_score_needs_no_reason(org, bound_cycle):
    a = appraisal_of(bound_cycle, org["staff"])
    scores = full_scores(a, "95")
    services.appraisal_save_review(appraisal=a, actor=org["manager"], scores=scores, summary="评语", submit=True)
    a.refresh_from_db()
    assert a.total == Decimal("95.00")


def test_the_review_form_shows_the_proposal(org, bound_cycle, client_for):
    a = appraisal_of(bound_cycle, org["staff"])
    body = client_for(org["manager"]).get(reverse("appraisals:appraisal", args=[a.pk])).content.decode()
    assert "95.00" in body and f'name="reason-{a.form.criteria[0]["id"]}"' in body
