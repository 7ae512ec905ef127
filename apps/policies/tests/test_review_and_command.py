"""Periodic review outcomes and the import_policy command."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.policies import services
from apps.policies.models import HistoryAction, Policy, PolicyHistory, PolicyStatus, VersionStatus
from apps.policies.selectors import policies_due_for_review

DOCS = Path(__file__).resolve().parent / "parser_docs"


def test_due_for_review_list_and_no_change_outcome(org, published, client_for):
    policy = Policy.objects.get(pk=published.policy_id)
    Policy.objects.filter(pk=policy.pk).update(next_review_date=date(2026, 1, 10))
    assert list(policies_due_for_review(org["ops"], today=date(2026, 1, 1))) == [policy]
    assert list(policies_due_for_review(org["manager"], today=date(2026, 1, 1))) == [policy]  # owning head
    # the general manager heads the root: watches every regulation; others none
    assert list(policies_due_for_review(org["gm"], today=date(2026, 1, 1))) == [policy]
    assert not policies_due_for_review(org["staff"], today=date(2026, 1, 1)).exists()
    assert not policies_due_for_review(org["ops"], today=date(2026, 1, 1), overdue=True).exists()
    assert list(policies_due_for_review(org["ops"], today=date(2026, 1, 11), overdue=True)) == [policy]
    services.policy_record_review(policy=policy, actor=org["manager"], outcome="no_change", today=date(2026, 1, 5))
    policy.refresh_from_db()
    assert policy.next_review_date == date(2027, 1, 5)
    assert PolicyHistory.objects.filter(policy=policy, action=HistoryAction.REVIEW, to_status="no_change").exists()
    page = client_for(org["ops"]).get(reverse("policies:review_list"))
    assert page.status_code == 200


def test_revise_outcome_opens_a_draft_copy(org, published, client_for):
    response = client_for(org["ops"]).post(
        reverse("policies:review", args=[published.policy.code]), {"outcome": "revise", "comment": "部门调整"}
    )
    assert response.status_code == 302 and "/edit/" in response["Location"]
    assert published.policy.versions.filter(status=VersionStatus.DRAFT).count() == 1


def test_retire_outcome_retires_the_policy(org, published):
    services.policy_record_review(policy=published.policy, actor=org["ops"], outcome="retire", comment="已合并")
    assert Policy.objects.get(pk=published.policy_id).status == PolicyStatus.RETIRED


def test_dry_run_json_touches_no_database(capsys):
    # No django_db mark: pytest-django fails any database access in this test.
    call_command("import_policy", str(DOCS / "inline.txt"), "--dry-run", "--json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"title", "effective_date", "interpreter", "nodes"}
    assert out["nodes"] and set(out["nodes"][0]) == {"label", "heading", "text", "children"}


@pytest.mark.parametrize("name", ["empty.txt", "binary.txt", "fake.docx", "missing.txt"])
def test_bad_input_exits_non_zero_with_one_line(name, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("import_policy", str(DOCS / name), "--dry-run", "--json")
    assert exc.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err and "Traceback" not in err


@pytest.mark.django_db
def test_without_dry_run_a_draft_is_saved(org, capsys):
    call_command("import_policy", str(DOCS / "line_broken.txt"), "--code", "CMD-001", "--owner", "sales")
    policy = Policy.objects.get(code="CMD-001")
    assert policy.owning_department == org["sales_dept"]
    assert policy.versions.get().status == VersionStatus.DRAFT
    assert "CMD-001" in capsys.readouterr().out
