"""A compiled file holding several regulations: the preview offers to split it, and the
split import creates one draft per regulation, all or nothing."""

import pytest
from django.urls import reverse

from apps.policies.models import Policy
from apps.policies.parsing import parse_text
from apps.policies.parsing.parser import split_documents

from .test_import_roundtrip import form_data

COMPILED = (
    "甲制度\n第一章 总则\n第一条 甲一。\n第二条 甲二。\n\n"
    "乙制度第一章总则第一条乙一。\n第二条 乙二。\n"
    "丙办法\n\n第一条 丙一。\n第二条 本办法由运营管理部负责解释。\n附件1：申请表\n第一条 附件里的编号不算新文件。"
)


def test_split_points_and_titles():
    pieces = split_documents(parse_text(COMPILED))
    assert [parse_text(p).title for p in pieces] == ["甲制度", "乙制度", "丙办法"]
    assert "".join(pieces).replace("\n", "") == COMPILED.replace("\n", "")


def test_a_single_regulation_is_not_split():
    assert split_documents(parse_text("甲制度\n第一条 甲。\n第二条 乙。\n附件：表\n第一条 丙。")) == [
        "甲制度\n第一条 甲。\n第二条 乙。\n附件：表\n第一条 丙。"
    ]


def test_preview_offers_the_split_and_the_split_import_creates_each(org, client_for):
    client = client_for(org["ops"])
    data = form_data(org, text=COMPILED)
    data.pop("save")
    page = client.post(reverse("policies:create"), {**data, "preview": "1"}).content.decode()
    assert 'name="split"' in page and "乙制度" in page
    assert not Policy.objects.exists()

    response = client.post(reverse("policies:create"), {**data, "split": "1"})
    assert response.status_code == 302
    created = {p.code: p for p in Policy.objects.prefetch_related("versions")}
    assert sorted(created) == ["IMP-001-1", "IMP-001-2", "IMP-001-3"]
    assert [created[c].title for c in sorted(created)] == ["甲制度", "乙制度", "丙办法"]
    assert created["IMP-001-3"].versions.get().article_count == 3  # its appendix's article included
    assert created["IMP-001-3"].interpreting_department == org["ops_dept"]  # read from its own text
    assert created["IMP-001-1"].interpreting_department is None


def test_split_import_is_all_or_nothing(org, client_for):
    from .factories import make_draft

    make_draft(actor=org["ops"], owning_department=org["sales_dept"], code="IMP-001-2")
    data = form_data(org, text=COMPILED)
    data.pop("save")
    response = client_for(org["ops"]).post(reverse("policies:create"), {**data, "split": "1"})
    assert response.status_code == 200
    assert not Policy.objects.filter(code__in=["IMP-001-1", "IMP-001-3"]).exists()


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_split_needs_the_right_to_create_for_the_department(org, client_for, role):
    data = form_data(org, text=COMPILED)
    data.update(split="1", owning_department=org["ops_dept"].pk)
    data.pop("save")
    response = client_for(org[role]).post(reverse("policies:create"), data)
    assert response.status_code in (200, 403, 404)
    assert not Policy.objects.exists()
