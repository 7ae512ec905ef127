"""Who may open which page: table-driven, 404 for anything hidden (someone's appraisal, a
peer review), 403 for HR's pages that everybody can find (cycles, templates), login for
anonymous (apps/core/permissions.py)."""

import pytest
from django.urls import reverse

from apps.appraisals import services
from apps.appraisals.models import PeerReview, Stage

from .helpers import appraisal_of, publish, review_all, set_stage

pytestmark = pytest.mark.django_db

# roles: staff = the employee; manager = their reviewer; gm = the reviewer's reviewer (indirect);
# hr; outsider = a colleague elsewhere; peer = a colleague invited for feedback; anon
EVERYONE = ["staff", "manager", "gm", "hr", "outsider", "peer"]
VIEWERS = ["staff", "manager", "gm", "hr"]  # who sees the staff member's appraisal


def _setup(org, cycle, today):
    staff_appraisal = appraisal_of(cycle, org["staff"])
    PeerReview.objects.create(
        appraisal=staff_appraisal,
        peer=org["ops"],
        criteria=[staff_appraisal.form.criteria[0]["id"]],
        deadline=today,
        invited_by=org["manager"],
    )
    return staff_appraisal


def _client(org, client_for, who):
    user = None if who == "anon" else org["ops"] if who == "peer" else org[who]
    return client_for(user)


GET_PAGES = [
    # (name, args(kind), allowed roles, what the others get)
    ("appraisals:home", None, EVERYONE, None),
    ("appraisals:team", None, EVERYONE, None),
    ("appraisals:cycle_team", "code", EVERYONE, None),
    ("appraisals:appraisal", "staff", ["staff", "manager", "gm", "hr"], 404),
    ("appraisals:peer_feedback", "peer", ["peer"], 404),
    ("appraisals:cycles", None, ["hr"], 403),
    ("appraisals:cycle", "code", ["hr"], 403),
    ("appraisals:calibration", "code", ["hr"], 403),
    ("appraisals:cycle_export", "code", ["hr"], 403),
    ("appraisals:annual_export", "year", ["hr"], 403),
    ("appraisals:person_history", "staff_username", ["staff", "hr"], 404),
    ("appraisals:templates", None, ["hr"], 403),
    ("appraisals:template_create", None, ["hr"], 403),
    ("appraisals:template_edit", "template", ["hr"], 403),
]


def _args(kind, cycle, appraisal, default_template):
    return {
        None: [],
        "code": [cycle.code],
        "staff": [appraisal.pk],
        "year": [cycle.period_end.year],
        "peer": [PeerReview.objects.get(appraisal=appraisal).pk],
        "staff_username": [appraisal.employee.username],
        "template": [default_template.pk],
    }[kind]


@pytest.mark.parametrize("name,kind,allowed,denied", GET_PAGES)
@pytest.mark.parametrize("who", [*EVERYONE, "anon"])
def test_page_access_matrix(org, cycle, today, client_for, default_template, name, kind, allowed, denied, who):
    appraisal = _setup(org, cycle, today)
    url = reverse(name, args=_args(kind, cycle, appraisal, default_template))
    response = _client(org, client_for, who).get(url)
    if who == "anon":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif who in allowed:
        assert response.status_code == 200, response.content[:500]
    else:
        assert response.status_code == denied


def test_a_peer_never_sees_scores_on_the_feedback_page(org, cycle, today, client_for):
    appraisal = _setup(org, cycle, today)
    services.appraisal_save_self(
        appraisal=appraisal,
        actor=org["staff"],
        scores={str(c["id"]): {"score": "77.77"} for c in appraisal.form.criteria},
        summary="总结",
        submit=False,
    )
    review = PeerReview.objects.get(appraisal=appraisal)
    body = client_for(org["ops"]).get(reverse("appraisals:peer_feedback", args=[review.pk])).content.decode()
    assert "77.77" not in body and appraisal.form.criteria[0]["name"] in body
    assert client_for(org["ops"]).get(reverse("appraisals:appraisal", args=[appraisal.pk])).status_code == 404


# POST endpoints: (name, allowed roles, stage to put the cycle in, data)
POST_ENDPOINTS = [
    ("appraisals:self", ["staff"], Stage.SELF, {"summary": "x", "save": "1"}),
    ("appraisals:review", ["manager"], Stage.REVIEW, {"summary": "x", "save": "1"}),
    ("appraisals:total", ["staff", "manager"], Stage.SELF, {}),
    ("appraisals:acknowledge", ["staff"], Stage.PUBLISHED, {}),
    ("appraisals:object", ["staff"], Stage.PUBLISHED, {"reason": "不同意"}),
    ("appraisals:calibrate", ["hr"], Stage.CALIBRATION, {"final_grade": "pass", "reason": "校准"}),
    ("appraisals:followup", ["hr"], Stage.PUBLISHED, {"bonus_coefficient": "1.2"}),
    ("appraisals:reviewer", ["hr"], Stage.SELF, {"rv-person": "gm", "rv-reason": "调岗"}),
    ("appraisals:exclude", ["hr"], Stage.SELF, {"ex-reason": "长期病假"}),
    ("appraisals:invite_peers", ["manager", "hr"], Stage.SELF, {"pi-peers": "outsider", "pi-deadline": "2030-01-01"}),
    ("appraisals:resolve", ["hr"], Stage.PUBLISHED, {"resolution": "维持"}),
]


@pytest.mark.parametrize("name,allowed,stage,data", POST_ENDPOINTS)
@pytest.mark.parametrize("who", [*EVERYONE, "anon"])
def test_post_endpoint_matrix(org, cycle, today, client_for, name, allowed, stage, data, who):
    appraisal = _setup(org, cycle, today)
    if stage in (Stage.CALIBRATION, Stage.PUBLISHED):
        review_all(cycle)
        if stage == Stage.PUBLISHED:
            publish(cycle, org["hr"])
        else:
            set_stage(cycle, stage)
    else:
        set_stage(cycle, stage)
    response = _client(org, client_for, who).post(reverse(name, args=[appraisal.pk]), data)
    if who == "anon":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif who in allowed:
        assert response.status_code in (200, 302)
    else:  # those who see the appraisal may know it: 403; the others: 404
        assert response.status_code == (403 if who in VIEWERS else 404)


@pytest.mark.parametrize("who,allowed", [("hr", True), ("manager", False), ("staff", False), ("gm", False)])
def test_only_hr_moves_a_cycle(org, cycle, client_for, who, allowed):
    response = client_for(org[who]).post(reverse("appraisals:cycle_action", args=[cycle.code]), {"action": "advance"})
    cycle.refresh_from_db()
    assert (response.status_code == 302) is allowed and (response.status_code == 403) is not allowed
    assert (cycle.stage == Stage.REVIEW) is allowed


@pytest.mark.parametrize("who,allowed", [("hr", True), ("manager", False), ("staff", False)])
def test_only_hr_adds_people(org, cycle, client_for, make_user, who, allowed):
    newcomer = make_user(username="newbie", department=org["sales_dept"], manager=org["manager"])
    response = client_for(org[who]).post(
        reverse("appraisals:cycle_add", args=[cycle.code]), {"add-person": "newbie", "add-reason": "试用期转正"}
    )
    assert response.status_code == (302 if allowed else 403)
    assert cycle.appraisals.filter(employee=newcomer).exists() is allowed


def test_a_manager_does_not_see_their_own_appraisal_on_the_team_page(org, cycle, client_for):
    response = client_for(org["manager"]).get(reverse("appraisals:cycle_team", args=[cycle.code]))
    names = [a.employee.username for a in response.context["rows"]]
    assert names == ["staff"]
    indirect = client_for(org["gm"]).get(reverse("appraisals:cycle_team", args=[cycle.code])).context["page_obj"]
    assert "staff" in [a.employee.username for a in indirect]


def test_the_employee_does_not_see_manager_scores_before_publication(org, cycle, client_for):
    appraisal = appraisal_of(cycle, org["staff"])
    set_stage(cycle, Stage.REVIEW)
    services.appraisal_save_review(
        appraisal=appraisal,
        actor=org["manager"],
        scores={str(c["id"]): {"score": "66.66"} for c in appraisal.form.criteria},
        summary="经理评语草稿",
        submit=True,
    )
    body = client_for(org["staff"]).get(reverse("appraisals:appraisal", args=[appraisal.pk])).content.decode()
    assert "66.66" not in body and "经理评语草稿" not in body
    assert "66.66" in client_for(org["gm"]).get(reverse("appraisals:appraisal", args=[appraisal.pk])).content.decode()


@pytest.mark.parametrize("who,sees", [("staff", False), ("manager", True), ("gm", True), ("hr", True)])
def test_the_history_is_for_hr_and_the_review_chain(org, cycle, client_for, who, sees):
    a = appraisal_of(cycle, org["staff"])
    services.appraisal_reassign_reviewer(appraisal=a, actor=org["hr"], reviewer=org["manager"], reason="确认考核人")
    response = client_for(org[who]).get(reverse("appraisals:appraisal", args=[a.pk]))
    assert ("确认考核人" in response.content.decode()) is sees
