import factory
from django.contrib.auth import get_user_model

from apps.accounts.services import user_set_roles


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"员工{n}")
    employee_no = factory.Sequence(lambda n: f"T{n:05d}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw-test-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            user_set_roles(user=self, roles=list(extracted or ["staff"]))
