from datetime import date
from decimal import Decimal

import factory

from apps.departments.tests.factories import DepartmentFactory
from apps.kpis.models import Indicator, Measurement, Target


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"K-{n:04d}")
    name = factory.Sequence(lambda n: f"指标{n}")
    unit = "%"
    direction = "higher"
    frequency = "monthly"
    year_rule = "average"
    scope = "department"
    department = factory.SubFactory(DepartmentFactory)
    active_from = date(2025, 1, 1)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2026
    index = 1
    value = Decimal("100")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2026
    index = 1
    value = Decimal("95")
