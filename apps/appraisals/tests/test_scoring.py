from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.appraisals import scoring, services
from apps.appraisals.models import Template

CRITERIA = [{"id": 1, "weight": "60"}, {"id": 2, "weight": "20"}, {"id": 3, "weight": "20"}]


def scores(*values):
    return {str(i + 1): {"score": v} for i, v in enumerate(values)}


@pytest.mark.parametrize(
    "values,total",
    [
        (("100", "100", "100"), Decimal("100.00")),
        (("0", "0", "0"), Decimal("0.00")),
        (("90", "80", "70"), Decimal("84.00")),  # 54 + 16 + 14
        (("59.99", "59.99", "59.99"), Decimal("59.99")),
        (("85.555", "80", "80"), Decimal("83.34")),  # 85.56 × 0.6 + 32 = 83.336 -> 83.34
        (("90", "", "70"), None),  # incomplete: no total
    ],
)
def test_weighted_total(values, total):
    assert scoring.weighted_total(CRITERIA, scores(*values)) == total


@pytest.mark.parametrize(
    "total,grade",
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("80", "good"),
        ("79.99", "pass"),
        ("60", "pass"),
        ("59.99", "fail"),
        ("0", "fail"),
    ],
)
def test_grade_for_default_bands_including_boundaries(total, grade):
    assert scoring.grade_for(Decimal(total)) == grade


def test_grade_bands_are_configurable():
    bands = [
        {"grade": "excellent", "min": "95"},
        {"grade": "good", "min": "85"},
        {"grade": "pass", "min": "70"},
        {"grade": "fail", "min": "0"},
    ]
    assert [scoring.grade_for(Decimal(t), bands) for t in ("94.99", "95", "69.99", "70")] == [
        "good",
        "excellent",
        "fail",
        "pass",
    ]


@pytest.mark.parametrize(
    "raw,parsed",
    [
        ("85", Decimal("85.00")),
        (" 7.5 ", Decimal("7.50")),
        ("101", None),
        ("-1", None),
        ("abc", None),
        ("", None),
        ("NaN", None),
    ],
)
def test_parse_score(raw, parsed):
    assert scoring.parse_score(raw) == parsed


def test_partial_total_counts_what_is_missing():
    assert scoring.partial_total(CRITERIA, scores("90", "", "")) == (Decimal("54.00"), 2)


@pytest.mark.parametrize(
    "counts,breaking",
    [
        ({"excellent": 2, "good": 8}, []),  # exactly 20 %: allowed
        ({"excellent": 3, "good": 7}, ["excellent"]),  # 30 % > 20 %
        ({}, []),
    ],
)
def test_forced_distribution_breaches(counts, breaking):
    rows = scoring.distribution(Counter(counts), {"excellent": {"max": 20}, "fail": {"min": 0}})
    assert [r.grade for r in scoring.distribution_breaches(rows)] == breaking


def test_a_minimum_share_is_a_rule_too():
    rows = scoring.distribution(Counter({"good": 10}), {"fail": {"min": 5}})
    assert [r.grade for r in scoring.distribution_breaches(rows)] == ["fail"]


@pytest.mark.parametrize(
    "weights,ok",
    [
        ((60, 20, 20), True),
        ((60, 20, 19), False),
        ((60, 20, 21), False),
        (("33.33", "33.33", "33.34"), True),
        ((100,), True),
    ],
)
def test_weights_must_sum_to_100(weights, ok):
    if ok:
        services.check_weights(weights)
    else:
        with pytest.raises(ValidationError) as exc:
            services.check_weights(weights)
        assert str(sum(Decimal(str(w)) for w in weights).normalize()) in exc.value.messages[0]


@pytest.mark.django_db
def test_saving_a_template_with_bad_weights_is_refused_and_nothing_is_saved(org, client_for):
    response = client_for(org["hr"]).post(
        "/appraisals/templates/new/",
        {
            "name": "研发考核表",
            "description": "",
            "is_active": "on",
            "c-TOTAL_FORMS": "2",
            "c-INITIAL_FORMS": "0",
            "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "1000",
            "c-0-group": "results",
            "c-0-name": "项目交付",
            "c-0-weight": "70",
            "c-1-group": "ability",
            "c-1-name": "技术能力",
            "c-1-weight": "20",
        },
    )
    assert response.status_code == 200
    assert "权重合计为 90" in response.content.decode()
    assert not Template.objects.filter(name="研发考核表").exists()


@pytest.mark.django_db
def test_a_template_with_weights_of_100_is_saved_with_its_assignment(org, client_for):
    response = client_for(org["hr"]).post(
        "/appraisals/templates/new/",
        {
            "name": "研发考核表",
            "description": "",
            "is_active": "on",
            "departments": [org["sales_dept"].pk],
            "c-TOTAL_FORMS": "2",
            "c-INITIAL_FORMS": "0",
            "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "1000",
            "c-0-group": "results",
            "c-0-name": "项目交付",
            "c-0-weight": "80",
            "c-1-group": "ability",
            "c-1-name": "技术能力",
            "c-1-weight": "20",
        },
    )
    assert response.status_code == 302
    template = Template.objects.get(name="研发考核表")
    assert [c.name for c in template.criteria.all()] == ["项目交付", "技术能力"]
    assert list(template.departments.all()) == [org["sales_dept"]]
