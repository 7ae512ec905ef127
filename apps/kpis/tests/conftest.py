import pytest

from apps.kpis.tests.factories import IndicatorFactory


@pytest.fixture
def kpi(org):
    """A sales indicator (head: manager), an ops one, and staff's own person-scope KPI."""
    sales = IndicatorFactory(code="S-1", name="回款率", department=org["sales_dept"], valid_min=0, valid_max=100)
    ops = IndicatorFactory(code="O-1", name="流程审查完成率", department=org["ops_dept"])
    personal = IndicatorFactory(
        code="P-1",
        name="个人销售额",
        department=org["sales_dept"],
        scope="person",
        person=org["staff"],
        unit="万元",
        year_rule="sum",
    )
    return {**org, "sales_kpi": sales, "ops_kpi": ops, "personal_kpi": personal}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read the English msgids; the Chinese catalogue is checked on its own."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
