"""Metadata on import and on the regulation page: document number, issuer, trial,
abolished regulations offered as links, retired with "superseded by" on publication."""

import pytest
from django.urls import reverse

from apps.policies.models import Policy, PolicyHistory, PolicyStatus, PolicyVersion, VersionStatus

from .factories import make_published, publish
from .test_import_roundtrip import form_data

NEW_TEXT = """运营发〔2026〕7号
员工考勤管理办法（试行）
第一条 为规范考勤管理，制定本办法。
第二条 本办法由人力资源部负责解释。
第三条 本办法自发布之日起试行，原《员工考勤管理规定》同时废止。
公司人力资源部
2026年1月5日
"""


@pytest.fixture
def old_policy(org):
    text = "员工考勤管理规定\n第一条 员工按时上下班。\n第二条 迟到扣款。"
    return make_published(org=org, text=text, code="OLD-ATT").policy


def test_preview_offers_the_existing_regulation_and_saves_nothing(org, client_for, old_policy):
    client = client_for(org["ops"])
    data = form_data(org, text=NEW_TEXT)
    data.pop("save")
    page = client.post(reverse("policies:create"), {**data, "preview": "1"}).content.decode()
    assert "运营发〔2026〕7号" in page
    assert "公司人力资源部" in page
    assert f'name="replaces" value="{old_policy.pk}"' in page
    assert not Policy.objects.filter(code="IMP-001").exists()


def test_publication_retires_the_abolished_regulation(org, client_for, old_policy):
    client = client_for(org["ops"])
    response = client.post(reverse("policies:create"), form_data(org, text=NEW_TEXT, replaces=[old_policy.pk]))
    assert response.status_code == 302
    version = PolicyVersion.objects.get(policy__code="IMP-001")
    assert (version.doc_number, version.issuer_text, version.is_trial) == ("运营发〔2026〕7号", "公司人力资源部", True)
    assert list(version.replaces.all()) == [old_policy]
    old_policy.refresh_from_db()
    assert old_policy.status == PolicyStatus.PUBLISHED  # nothing happens before publication

    publish(version, head=org["manager"], ops=org["ops_head"])
    old_policy.refresh_from_db()
    assert old_policy.status == PolicyStatus.RETIRED
    assert old_policy.superseded_by == version.policy
    assert old_policy.current_version.status == VersionStatus.RETIRED
    assert PolicyHistory.objects.filter(policy=old_policy, comment__contains="IMP-001").exists()

    staff = client_for(org["staff"])
    old_page = staff.get(old_policy.get_absolute_url()).content.decode()
    assert version.policy.get_absolute_url() in old_page and "员工考勤管理办法" in old_page
    new_page = staff.get(version.policy.get_absolute_url()).content.decode()
    assert "运营发〔2026〕7号" in new_page and old_policy.get_absolute_url() in new_page


def test_a_ticked_policy_the_user_cannot_see_is_ignored(org, client_for, restricted):
    client = client_for(org["manager"])  # 销售部 head: may not see 研发部's restricted policy
    text = NEW_TEXT.replace("员工考勤管理规定", restricted.policy.title)
    data = form_data(org, text=text, replaces=[restricted.policy.pk])
    response = client.post(reverse("policies:create"), data)
    assert response.status_code == 302
    assert not PolicyVersion.objects.get(policy__code="IMP-001").replaces.exists()


def test_superseding_regulation_hidden_from_those_who_may_not_see_it(org, client_for, rnd, old_policy):
    from .factories import make_draft

    draft = make_draft(
        actor=org["ops"],
        owning_department=rnd["dept"],
        text="新考勤规定\n第一条 甲。",
        confidentiality="restricted",
        allowed_departments=[rnd["dept"]],
        replaces=[old_policy],
    )
    publish(draft, head=rnd["head"], ops=org["ops"])
    page = client_for(org["staff"]).get(old_policy.get_absolute_url()).content.decode()
    assert draft.policy.get_absolute_url() not in page
    assert client_for(rnd["member"]).get(old_policy.get_absolute_url()).content.decode().count(draft.policy.code) >= 1
