import pytest

from apps.departments.tests.factories import DepartmentFactory
from apps.policies.tests.factories import make_draft, publish

REIMBURSEMENT = """费用报销管理制度
第一章 总则
第一条 为规范公司费用报销管理，制定本制度。
第二条 本制度适用于公司全体员工。
第二章 报销流程
第三条 报销人应在费用发生后30日内提交报销单。
第四条 报销审批权限：单笔五千元以内由部门负责人审批。
第五条 审批通过后，财务部按月汇总报销。
第三章 票据要求
第六条 所附发票应当真实合法，不得涂改。
第七条 差旅费用应附行程单与发票，按第十条的标准执行。
第八条 报销单据须在每月末前交财务部。
第九条 出差人员应乘坐经济舱。
第十条 住宿标准按城市等级执行，超标部分自理。
"""


@pytest.fixture
def rnd(org, make_user):
    dept = DepartmentFactory(name="技术研发部", code="rnd", parent=org["root"])
    group = DepartmentFactory(name="算法组", code="rnd-algo", parent=dept)
    head = make_user(roles=["staff", "manager"], username="rndhead", department=dept, display_name="赵研发")
    dept.head = head
    dept.save(update_fields=["head"])
    member = make_user(roles=["staff"], username="rndmember", department=group, manager=head, display_name="钱算法")
    return {"dept": dept, "group": group, "head": head, "member": member}


@pytest.fixture
def reimbursement(org):
    """A published regulation, indexed by the publishing service itself."""
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"], code="FIN-ZD-001", text=REIMBURSEMENT)
    return publish(version, head=org["manager"], ops=org["ops"])


@pytest.fixture
def restricted(org, rnd):
    version = make_draft(
        actor=org["ops"],
        owning_department=rnd["dept"],
        code="RND-SECRET",
        text="研发保密制度\n第一条 核心算法属于机密信息，报销费用另行规定。\n第二条 只限项目组成员查阅。",
        confidentiality="restricted",
        allowed_departments=[rnd["dept"]],
    )
    return publish(version, head=rnd["head"], ops=org["ops"])
