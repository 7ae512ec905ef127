import factory

from apps.departments.tests.factories import DepartmentFactory
from apps.risks.models import Category, Risk


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    code = factory.Sequence(lambda n: f"R-T-{n:05d}")
    title = factory.Sequence(lambda n: f"风险{n}")
    category = factory.LazyFunction(lambda: Category.objects.get(code="operational"))
    department = factory.SubFactory(DepartmentFactory)
    status = Risk.Status.OPEN
