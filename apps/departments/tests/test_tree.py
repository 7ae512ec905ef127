import pytest
from django.urls import reverse

from apps.departments import services
from apps.departments.models import Department
from apps.departments.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_moving_a_department_moves_its_whole_subtree():
    root = DepartmentFactory(code="root")
    a = DepartmentFactory(code="a", parent=root)
    a1 = DepartmentFactory(code="a1", parent=a)
    a11 = DepartmentFactory(code="a11", parent=a1)
    b = DepartmentFactory(code="b", parent=root)

    services.department_move(department=a1, new_parent=b)

    a1.refresh_from_db()
    a11.refresh_from_db()
    assert a1.parent == b
    assert a1.path == f"/{root.pk}/{b.pk}/{a1.pk}/"
    assert a11.path == f"/{root.pk}/{b.pk}/{a1.pk}/{a11.pk}/"
    assert (a1.depth, a11.depth) == (2, 3)
    assert set(Department.objects.filter(path__startswith=a.path).values_list("code", flat=True)) == {"a"}


def test_moving_to_the_root_level():
    root = DepartmentFactory(code="root")
    a = DepartmentFactory(code="a", parent=root)
    child = DepartmentFactory(code="child", parent=a)
    services.department_move(department=a, new_parent=None)
    child.refresh_from_db()
    assert child.path == f"/{a.pk}/{child.pk}/" and child.depth == 1


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_a_department_cannot_become_its_own_ancestor(target):
    a = DepartmentFactory(code="a")
    child = DepartmentFactory(code="child", parent=a)
    grandchild = DepartmentFactory(code="grandchild", parent=child)
    new_parent = {"self": a, "child": child, "grandchild": grandchild}[target]
    with pytest.raises(services.ValidationError):
        services.department_move(department=a, new_parent=new_parent)
    a.refresh_from_db()
    assert a.parent is None and a.path == f"/{a.pk}/"


def test_the_edit_form_names_the_cycle_and_keeps_what_was_typed(org, client_for):
    ops, group = org["ops_dept"], org["ops_group"]
    response = client_for(org["ops"]).post(
        reverse("departments:department_edit", args=[ops.code]),
        {
            "name": "运营管理部（新）",
            "code": ops.code,
            "parent": group.pk,
            "sort_order": 0,
            "description": "刚输入的说明",
            "responsibilities": "",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "parent" in form.errors
    assert "流程优化组" in form.errors["parent"][0]
    assert "刚输入的说明" in response.content.decode()
    ops.refresh_from_db()
    assert ops.name == "运营管理部" and ops.parent == org["root"]


def test_the_org_chart_nests_every_department_under_its_parent(org, client_for):
    from html.parser import HTMLParser

    deep = DepartmentFactory(code="deep", name="深层组", parent=org["ops_group"])
    DepartmentFactory(code="after", name="其后部门", parent=org["root"])

    class Nesting(HTMLParser):
        """For each department link, the departments whose <li> is still open around it."""

        def __init__(self):
            super().__init__()
            self.open_li, self.in_link, self.parents, self.tags = [], False, {}, []

        def handle_starttag(self, tag, attrs):
            if tag in ("ul", "li", "details"):
                self.tags.append(tag)
            if tag == "li":
                self.open_li.append(None)
            self.in_link = tag == "a" and ("class", "org-node-name text-decoration-none") in attrs

        def handle_endtag(self, tag):
            if tag in ("ul", "li", "details"):
                assert self.tags.pop() == tag, "badly nested org chart"
            if tag == "li":
                self.open_li.pop()
            if tag == "a":
                self.in_link = False

        def handle_data(self, data):
            if self.in_link and data.strip():
                self.open_li[-1] = data.strip()
                self.parents[data.strip()] = self.open_li[:-1]

    html = client_for(org["staff"]).get(reverse("departments:org_chart")).content.decode()
    parser = Nesting()
    parser.feed(html[html.index('<ul class="org-tree">') : html.index("</main>")])
    assert parser.tags == []
    assert parser.parents["深层组"] == ["公司", "运营管理部", "流程优化组"]
    assert parser.parents["其后部门"] == ["公司"]
    assert parser.parents["销售部"] == ["公司"]
    assert deep.path.startswith(org["ops_group"].path)
