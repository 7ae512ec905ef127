import pytest

from apps.departments.tests.factories import DepartmentFactory

from .factories import make_draft, make_published


@pytest.fixture
def rnd(org, make_user):
    """A restricted-policy setup: 研发部 with a sub-group and a member in each."""
    dept = DepartmentFactory(name="技术研发部", code="rnd", parent=org["root"])
    group = DepartmentFactory(name="算法组", code="rnd-algo", parent=dept)
    head = make_user(roles=["staff", "manager"], username="rndhead", department=dept)
    dept.head = head
    dept.save(update_fields=["head"])
    member = make_user(roles=["staff"], username="rndmember", department=group, manager=head)
    return {"dept": dept, "group": group, "head": head, "member": member}


@pytest.fixture
def restricted(org, rnd):
    """A published policy only 研发部 (and its groups), ops and admin may read."""
    version = make_draft(
        actor=org["ops"],
        owning_department=rnd["dept"],
        code="RND-SECRET",
        text="研发保密制度\n第一条 核心算法属于机密信息。\n第二条 只限项目组成员查阅。",
        confidentiality="restricted",
        allowed_departments=[rnd["dept"]],
    )
    from .factories import publish

    return publish(version, head=rnd["head"], ops=org["ops"])


@pytest.fixture
def published(org):
    return make_published(org=org)
