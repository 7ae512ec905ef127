import factory

from apps.departments import services
from apps.departments.models import Department, Position


class DepartmentFactory(factory.django.DjangoModelFactory):
    """Goes through services.department_create so `path` is always right."""

    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"部门{n}")
    code = factory.Sequence(lambda n: f"dept-{n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.department_create(**kwargs)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"岗位{n}")
    code = factory.Sequence(lambda n: f"pos-{n}")
    duties = "负责本岗位工作\n完成上级交办事项"
