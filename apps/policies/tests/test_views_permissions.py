"""Who may open which page (table-driven), and a restricted policy that stays invisible
(404, never 403) to outsiders everywhere: list, detail, search, history, diff, export.
The rule (apps/core/permissions.py): 404 for what the user may not see (drafts, restricted
regulations), 403 for an action on a regulation they do see."""

import pytest
from django.urls import reverse

from apps.policies import services
from apps.policies.models import Acknowledgement, AckScope, PolicyHistory

from .factories import make_draft, publish, regulation_text

USERS = ["anon", "staff", "manager", "ops", "admin", "hr", "gm", "outsider"]


def user_for(org, name):
    return None if name == "anon" else org[name]


@pytest.fixture
def library(org):
    """A published policy of 销售部 with a second, draft version, asking everyone to acknowledge."""
    v1 = publish(
        make_draft(actor=org["ops"], owning_department=org["sales_dept"], code="SAL-001", ack_scope=AckScope.EVERYONE),
        head=org["manager"],
        ops=org["ops"],
    )
    v2 = services.draft_create(policy=v1.policy, actor=org["ops"], text=regulation_text(extra="修订"), label="V2")
    return {"policy": v1.policy, "v1": v1, "v2": v2}


# page -> set of users who get 200; everyone else gets `denied` (anon: redirect to login)
PAGES = [
    ("list", lambda L: reverse("policies:list"), set(USERS) - {"anon"}, None),
    ("detail", lambda L: reverse("policies:detail", args=["SAL-001"]), set(USERS) - {"anon"}, None),
    ("version", lambda L: reverse("policies:version", args=["SAL-001", "V1"]), set(USERS) - {"anon"}, None),
    ("draft version", lambda L: reverse("policies:version", args=["SAL-001", "V2"]), {"manager", "ops", "admin"}, 404),
    ("history", lambda L: reverse("policies:history", args=["SAL-001"]), set(USERS) - {"anon"}, None),
    ("compare", lambda L: reverse("policies:compare", args=["SAL-001"]), set(USERS) - {"anon"}, None),
    ("create", lambda L: reverse("policies:create"), {"manager", "ops", "admin", "gm"}, 403),
    ("settings", lambda L: reverse("policies:settings", args=["SAL-001"]), {"manager", "ops", "admin"}, 403),
    ("new version", lambda L: reverse("policies:draft_new", args=["SAL-001"]), {"manager", "ops", "admin"}, 403),
    ("edit draft", lambda L: reverse("policies:draft_edit", args=["SAL-001", "V2"]), {"manager", "ops", "admin"}, 404),
    ("review", lambda L: reverse("policies:review", args=["SAL-001"]), {"manager", "ops", "admin"}, 403),
    ("review list", lambda L: reverse("policies:review_list"), {"manager", "ops", "admin", "gm"}, 403),
    ("ack overview", lambda L: reverse("policies:ack_overview"), {"manager", "ops", "admin", "hr", "gm"}, 403),
    (
        "ack report",
        lambda L: reverse("policies:ack_report", args=["SAL-001", "V1"]),
        {"manager", "ops", "admin", "hr", "gm"},
        403,
    ),
    (
        "ack export",
        lambda L: reverse("policies:ack_report", args=["SAL-001", "V1"]) + "?format=csv",
        {"manager", "ops", "admin", "hr", "gm"},
        403,
    ),
]


@pytest.mark.parametrize("name,url,allowed,denied", PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("who", USERS)
def test_who_may_open_each_page(org, library, client_for, who, name, url, allowed, denied):
    response = client_for(user_for(org, who)).get(url(library))
    if who == "anon":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif who in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == denied


POSTS = [
    # (name, url, data, users who may -> 302 and an effect, what the others get)
    (
        "submit",
        lambda: reverse("policies:transition", args=["SAL-001", "V2", "submit"]),
        {},
        {"manager", "ops", "admin"},
        404,  # a draft: invisible to the others
    ),
    (
        "delete draft",
        lambda: reverse("policies:draft_delete", args=["SAL-001", "V2"]),
        {},
        {"manager", "ops", "admin"},
        404,
    ),
    (
        "retire",
        lambda: reverse("policies:transition", args=["SAL-001", "V1", "retire"]),
        {"comment": "x"},
        {"ops", "admin"},
        403,  # the version in force: everybody sees it
    ),
]


@pytest.mark.parametrize("name,url,data,allowed,denied", POSTS, ids=[p[0] for p in POSTS])
@pytest.mark.parametrize("who", USERS[1:])
def test_who_may_change_things(org, library, client_for, who, name, url, data, allowed, denied):
    from apps.approvals.models import Request

    def recorded():  # the library's history, or the approval's timeline on the engine
        return PolicyHistory.objects.count() + Request.objects.count()

    before = recorded()
    response = client_for(org[who]).post(url(), data)
    if who in allowed:
        assert response.status_code == 302
        assert recorded() > before or name == "delete draft"
    else:
        assert response.status_code == denied
        assert recorded() == before


def test_unknown_action_is_404(org, library, client_for):
    url = reverse("policies:transition", args=["SAL-001", "V2", "explode"])
    assert client_for(org["ops"]).post(url).status_code == 404


def test_transitions_need_post(org, library, client_for):
    url = reverse("policies:transition", args=["SAL-001", "V2", "submit"])
    assert client_for(org["ops"]).get(url).status_code == 405


def test_everyone_asked_can_acknowledge_once(org, library, client_for):
    url = reverse("policies:acknowledge", args=["SAL-001", "V1"])
    client = client_for(org["staff"])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Acknowledgement.objects.filter(user=org["staff"], version=library["v1"]).count() == 1


def test_manager_sees_only_their_department_in_the_ack_report(org, library, client_for):
    url = reverse("policies:ack_report", args=["SAL-001", "V1"])
    manager_page = client_for(org["manager"]).get(url).content.decode()
    hr_page = client_for(org["hr"]).get(url).content.decode()
    assert org["staff"].name in manager_page and org["outsider"].name not in manager_page
    assert org["staff"].name in hr_page and org["outsider"].name in hr_page


# --- A restricted policy --------------------------------------------------------------------


def restricted_urls():
    return {
        "detail": reverse("policies:detail", args=["RND-SECRET"]),
        "version": reverse("policies:version", args=["RND-SECRET", "V1"]),
        "history": reverse("policies:history", args=["RND-SECRET"]),
        "diff": reverse("policies:compare", args=["RND-SECRET"]) + "?from=V1&to=V1",
        "export": reverse("policies:ack_report", args=["RND-SECRET", "V1"]) + "?format=xlsx",
        "settings": reverse("policies:settings", args=["RND-SECRET"]),
    }


@pytest.mark.parametrize("who", ["staff", "outsider", "manager", "hr", "gm"])
@pytest.mark.parametrize("page", ["detail", "version", "history", "diff", "export", "settings"])
def test_restricted_policy_is_404_for_outsiders(org, restricted, client_for, who, page):
    assert client_for(org[who]).get(restricted_urls()[page]).status_code == 404


@pytest.mark.parametrize("who", ["staff", "outsider", "manager", "hr", "gm"])
def test_restricted_policy_is_absent_from_list_search_and_counts(org, restricted, client_for, who):
    client = client_for(org[who])
    listing = client.get(reverse("policies:list")).content.decode()
    home = client.get(reverse("core:home")).content.decode()
    assert "RND-SECRET" not in home
    search = client.get(reverse("policies:list"), {"q": "核心算法"})
    by_code = client.get(reverse("policies:list"), {"q": "RND-SECRET"})
    assert "RND-SECRET" not in listing and "研发保密制度" not in listing
    assert search.context["page_obj"].paginator.count == 0 and "RND-SECRET" not in search.content.decode()
    assert by_code.context["page_obj"].paginator.count == 0


@pytest.mark.parametrize("who", ["member", "head"])
def test_restricted_policy_is_readable_inside_its_departments(rnd, restricted, client_for, who):
    client = client_for(rnd[who])
    assert client.get(reverse("policies:detail", args=["RND-SECRET"])).status_code == 200
    search = client.get(reverse("policies:list"), {"q": "核心算法"})
    assert search.context["page_obj"].paginator.count == 1


@pytest.mark.parametrize("who", ["ops", "admin"])
def test_ops_and_admin_read_restricted_policies(org, restricted, client_for, who):
    assert client_for(org[who]).get(reverse("policies:detail", args=["RND-SECRET"])).status_code == 200


def test_unpublished_policy_is_invisible_to_staff(org, client_for):
    make_draft(actor=org["ops"], owning_department=org["sales_dept"], code="DRAFT-ONLY")
    assert client_for(org["staff"]).get(reverse("policies:detail", args=["DRAFT-ONLY"])).status_code == 404
    assert client_for(org["manager"]).get(reverse("policies:detail", args=["DRAFT-ONLY"])).status_code == 200
    page = client_for(org["staff"]).get(reverse("policies:list"))
    assert page.context["page_obj"].paginator.count == 0


def test_history_links_the_approval_timeline_for_editors_only(org, library, client_for):
    services.version_submit(version=library["v2"], actor=org["ops"], comment="请审批修订稿")
    request = services.approval_of(library["v2"])
    page = client_for(org["staff"]).get(reverse("policies:history", args=["SAL-001"])).content.decode()
    assert request.get_absolute_url() not in page
    ops_page = client_for(org["ops"]).get(reverse("policies:history", args=["SAL-001"])).content.decode()
    assert request.get_absolute_url() in ops_page
    # the submitter's comment is on the engine's timeline, which readers cannot open
    assert client_for(org["staff"]).get(request.get_absolute_url()).status_code == 404
    assert "请审批修订稿" in client_for(org["ops_head"]).get(request.get_absolute_url()).content.decode()


@pytest.mark.parametrize("model", ["category", "policy", "policyversion", "policyhistory", "acknowledgement"])
def test_admin_lists_open_for_superusers(org, library, client_for, make_user, model):
    root = make_user(roles=["admin"], username="root", is_superuser=True, is_staff=True)
    assert client_for(root).get(reverse(f"admin:policies_{model}_changelist")).status_code == 200


def test_a_step_on_a_state_that_moved_on_is_refused(org, library, client_for):
    from apps.policies.models import VersionStatus

    services.version_submit(version=library["v2"], actor=org["ops"])
    # the manager had the draft page open, then clicked "submit" too
    url = reverse("policies:transition", args=["SAL-001", "V2", "submit"]) + "?from=draft"
    response = client_for(org["manager"]).post(url, {"comment": "提交"}, follow=True)
    library["v2"].refresh_from_db()
    assert library["v2"].status == VersionStatus.IN_REVIEW
    assert any("no longer possible" in str(m) or "无法再执行" in str(m) for m in response.context["messages"])


def test_old_approval_steps_are_gone_from_the_library(org, library, client_for):
    services.version_submit(version=library["v2"], actor=org["ops"])
    for action in ("approve", "return"):
        url = reverse("policies:transition", args=["SAL-001", "V2", action])
        assert client_for(org["manager"]).post(url, {"comment": "x"}).status_code == 404


def test_the_draft_page_links_its_approval(org, library, client_for):
    services.version_submit(version=library["v2"], actor=org["ops"])
    request = services.approval_of(library["v2"])
    page = client_for(org["manager"]).get(reverse("policies:version", args=["SAL-001", "V2"])).content.decode()
    assert request.get_absolute_url() in page


def test_detail_page_sends_the_state_it_showed(org, library, client_for):
    page = client_for(org["ops"]).get(reverse("policies:version", args=["SAL-001", "V2"])).content.decode()
    assert "/policies/SAL-001/v/V2/submit/?from=draft" in page
