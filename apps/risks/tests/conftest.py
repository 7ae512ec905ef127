import pytest
import time_machine

from apps.risks import services

from .factories import RiskFactory


@pytest.fixture
def pinned_today():
    """Risk rules compare due and review dates with today: run them on a fixed day."""
    with time_machine.travel("2026-11-18 10:00 +0800", tick=False):
        yield


@pytest.fixture
def risks(org, pinned_today):
    """A risk of the sales department, a confidential one of operations management owned by
    its head, a company-wide one of operations management, and a reported one."""
    sales = RiskFactory(department=org["sales_dept"], owner=org["manager"], title="销售风险")
    secret = RiskFactory(department=org["ops_dept"], owner=org["ops_head"], confidential=True, title="保密风险")
    wide = RiskFactory(department=org["ops_group"], company_wide=True, title="全公司风险")
    reported = services.report_risk(
        reporter=org["staff"], title="上报的风险", category=sales.category, department=org["sales_dept"]
    )
    return {"sales": sales, "secret": secret, "wide": wide, "reported": reported}
