"""Step diff (added / removed / changed / moved), the next-steps notation, and the proposal form."""

import pytest
from django.urls import reverse

from ..forms import format_next, parse_next
from ..models import ChangeRequest
from ..steps import diff_steps

pytestmark = pytest.mark.django_db


def s(key, name="x", dept=1, nxt=(), **extra):
    return {
        "key": key,
        "name": name,
        "department_id": dept,
        "position_id": None,
        "description": "",
        "inputs": "",
        "outputs": "",
        "time_limit_hours": None,
        "next": [{"to": n, "condition": ""} for n in nxt],
        **extra,
    }


def kinds(changes):
    return {c.key: c.kind for c in changes}


def test_identical_lists_have_no_change():
    steps = [s("s1", nxt=["s2"]), s("s2")]
    assert set(kinds(diff_steps(steps, steps)).values()) == {"same"}


def test_added_and_removed_steps():
    old = [s("s1"), s("s2"), s("s3")]
    new = [s("s1"), s("s3"), s("s4")]
    changes = diff_steps(old, new)
    assert kinds(changes) == {"s1": "same", "s2": "removed", "s3": "same", "s4": "added"}
    # the removed step is shown where it was
    assert [c.key for c in changes] == ["s1", "s2", "s3", "s4"]


def test_a_moved_step_is_a_move_not_a_remove_and_add():
    old = [s("s1"), s("s2"), s("s3"), s("s4")]
    new = [s("s1"), s("s4"), s("s2"), s("s3")]
    changes = diff_steps(old, new)
    assert kinds(changes) == {"s1": "same", "s4": "moved", "s2": "same", "s3": "same"}
    moved = next(c for c in changes if c.key == "s4")
    assert (moved.old_order, moved.new_order) == (4, 2)


def test_changed_fields_are_listed_one_by_one():
    old = [s("s1", name="审核", dept=1, nxt=["s2"]), s("s2")]
    new = [s("s1", name="复核", dept=2, time_limit_hours=8, nxt=["s2"]), s("s2")]
    change = diff_steps(old, new)[0]
    assert change.kind == "changed"
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("name", "审核", "复核"),
        ("department_id", 1, 2),
        ("time_limit_hours", None, 8),
    ]
    assert change.department_ids == {1, 2}


def test_a_changed_branch_condition_is_a_change_of_next_steps():
    old = [s("s1", nxt=["s2"]), s("s2")]
    new = [{**s("s1"), "next": [{"to": "s2", "condition": "金额≥10万"}]}, s("s2")]
    change = diff_steps(old, new)[0]
    assert [f.field for f in change.fields] == ["next"]


def test_a_moved_and_edited_step_is_both():
    old = [s("s1"), s("s2"), s("s3", name="a")]
    new = [s("s3", name="b"), s("s1"), s("s2")]
    change = next(c for c in diff_steps(old, new) if c.key == "s3")
    assert change.kind == "changed" and change.moved


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", None),
        ("-", []),
        ("结束", []),
        ("S4", [("s4", "")]),
        ("S4, s6（金额≥10万）", [("s4", ""), ("s6", "金额≥10万")]),
        ("s2(通过)；S3：不通过", [("s2", "通过"), ("s3", "不通过")]),
    ],
)
def test_next_steps_notation(text, expected):
    assert parse_next(text) == expected


def test_next_steps_notation_rejects_garbage():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_next("第四步")


def test_next_steps_are_shown_empty_when_they_flow_on():
    assert format_next({"next": [{"to": "s2", "condition": ""}]}, "s2") == ""
    assert format_next({"next": []}, "s2") == "-"
    assert format_next({"next": []}, None) == ""
    assert format_next({"next": [{"to": "s5", "condition": "否"}]}, "s2") == "S5（否）"


def formset_data(rows, prefix="steps"):
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": 3,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 200,
    }
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"{prefix}-{i}-{k}"] = v
    return data


def test_proposing_through_the_form_reorders_removes_and_adds(org, sales_process, client_for):
    dept = org["sales_dept"].pk
    rows = [
        {"key": "s1", "name": "步骤1", "department": dept, "ORDER": 2, "next": ""},
        {"key": "s2", "name": "步骤2", "department": dept, "ORDER": 1, "next": ""},
        {"key": "s3", "name": "步骤3", "department": dept, "ORDER": 3, "next": "", "DELETE": "on"},
        {"key": "s4", "name": "新步骤", "department": org["ops_dept"].pk, "ORDER": 3, "next": "S2（退回）"},
        {"key": "s5", "name": "", "department": "", "ORDER": "", "next": ""},  # untouched blank row
    ]
    data = {
        "cr-title": "调整顺序",
        "cr-reason": "更合理",
        "cr-expected_effect": "",
        "cr-urgency": "normal",
        "submit": "1",
        **formset_data(rows),
    }
    response = client_for(org["staff"]).post(reverse("processes:cr_create", args=[sales_process.code]), data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    cr = ChangeRequest.objects.get()
    assert [st["key"] for st in cr.proposed_steps] == ["s2", "s1", "s4"]
    assert cr.proposed_steps[0]["next"] == [{"to": "s1", "condition": ""}]
    assert cr.proposed_steps[2]["next"] == [{"to": "s2", "condition": "退回"}]
    assert cr.status == ChangeRequest.Status.PENDING
    assert cr.touches_other_departments  # the new step belongs to another department


def test_the_form_keeps_what_was_typed_when_a_next_step_is_unknown(org, sales_process, client_for):
    dept = org["sales_dept"].pk
    rows = [
        {"key": "s1", "name": "刚输入的名称", "department": dept, "ORDER": 1, "next": "S9"},
        {"key": "s2", "name": "步骤2", "department": dept, "ORDER": 2, "next": ""},
        {"key": "s3", "name": "步骤3", "department": dept, "ORDER": 3, "next": ""},
    ]
    data = {"cr-title": "t", "cr-reason": "r", "cr-urgency": "normal", **formset_data(rows)}
    response = client_for(org["staff"]).post(reverse("processes:cr_create", args=[sales_process.code]), data)
    assert response.status_code == 200
    assert "刚输入的名称" in response.content.decode()
    assert response.context["formset"].non_form_errors()
    assert not ChangeRequest.objects.exists()


def test_a_step_nothing_leads_to_is_refused(org, sales_process, client_for):
    dept = org["sales_dept"].pk
    rows = [
        {"key": "s1", "name": "步骤1", "department": dept, "ORDER": 1, "next": "-"},
        {"key": "s2", "name": "孤立步骤", "department": dept, "ORDER": 2, "next": ""},
        {"key": "s3", "name": "步骤3", "department": dept, "ORDER": 3, "next": "", "DELETE": "on"},
    ]
    data = {"cr-title": "t", "cr-reason": "r", "cr-urgency": "normal", **formset_data(rows)}
    response = client_for(org["staff"]).post(reverse("processes:cr_create", args=[sales_process.code]), data)
    assert response.status_code == 200
    assert "孤立步骤" in str(response.context["formset"].non_form_errors())
