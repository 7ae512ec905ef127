import pytest

from .factories import published_process, step


@pytest.fixture
def sales_process(org):
    """A process owned by the sales department (head: manager), all steps in sales."""
    return published_process(org["sales_dept"], user=org["ops"], code="SAL-01", name="销售合同流程")


@pytest.fixture
def cross_steps(org):
    """Proposed steps for sales_process that touch the ops department: a major change."""
    sales, ops = org["sales_dept"], org["ops_dept"]
    return [
        step("s1", "步骤1", sales, next_=["s2"]),
        step("s2", "步骤2", sales, next_=["s9"]),
        step("s9", "运营复核", ops, next_=["s3"]),
        step("s3", "步骤3", sales),
    ]


@pytest.fixture
def english():
    """Messages in English, for tests that read them (Chinese is the default language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
