"""Meetings in the portal's search: found by title and by their issued minutes, by the
people who may see them (a confidential meeting by its attendees only)."""

import pytest

from apps.meetings import services
from apps.search import selectors

pytestmark = pytest.mark.django_db


def found(user, q) -> set[str]:
    return {h.title for h in selectors.search(user, q).hits if h.kind == "meeting"}


def test_issued_minutes_are_found_by_who_may_see_the_meeting(org, meetings):
    open_meeting, secret = meetings["open"], meetings["secret"]
    for meeting, text in ((open_meeting, "回款计划"), (secret, "薪酬调整方案")):
        services.minutes_save(actor=org["manager"], meeting=meeting, summary=f"讨论{text}", notes={}, attendance={})
        services.decision_add(actor=org["manager"], meeting=meeting, text=f"通过{text}")
        services.minutes_issue(actor=org["manager"], meeting=meeting)
    assert found(org["staff"], "回款计划") == {"销售部周例会 2026-11-02"}
    assert found(org["gm"], "回款计划") == {"销售部周例会 2026-11-02"}  # manages an attendee
    assert found(org["hr"], "回款计划") == set()
    assert found(org["staff"], "薪酬调整方案") == {"薪酬专题会 2026-11-02"}
    assert found(org["gm"], "薪酬调整方案") == found(org["admin"], "薪酬") == set()  # confidential


def test_a_meeting_is_found_by_its_title_until_it_is_renamed(org, meetings):
    assert "运营例会 2026-11-02" in found(org["ops"], "运营例会")
    services.meeting_update(
        actor=org["ops_head"],
        meeting=meetings["ops"],
        attendees=[org["ops"]],
        departments=[],
        agenda=[],
        title="流程复盘会",
    )
    assert "运营例会 2026-11-02" not in found(org["ops"], "运营例会")
    assert found(org["ops"], "复盘") == {"流程复盘会 2026-11-02"}
