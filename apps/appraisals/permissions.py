"""Who may see and do what with appraisals. Default deny; views answer 404 for anything a
person may not see. Scores are never shown to peers: peers only reach their PeerReview."""

import rules

from apps.accounts.permissions import is_admin, is_hr, is_staff_member
from apps.departments.permissions import heads_a_department


@rules.predicate
def is_employee(user, appraisal) -> bool:
    return appraisal is not None and appraisal.employee_id == user.pk


@rules.predicate
def is_reviewer(user, appraisal) -> bool:
    return appraisal is not None and appraisal.reviewer_id == user.pk


@rules.predicate
def is_indirect_reviewer(user, appraisal) -> bool:
    """Above the reviewer in this cycle's review chain (read only)."""
    if appraisal is None:
        return False
    from .selectors import reviewed_below

    return appraisal.employee_id in reviewed_below(user, appraisal.cycle_id)


@rules.predicate
def is_peer(user, peer_review) -> bool:
    return peer_review is not None and peer_review.peer_id == user.pk


is_hr_or_admin = is_hr | is_admin

rules.add_perm("appraisals.use", is_staff_member)
# 催办 the team's appraisal step from the home page (services.stage_nudge checks the team).
rules.add_perm("appraisals.nudge_team", is_staff_member & heads_a_department)
rules.add_perm("appraisals.manage", is_staff_member & is_hr_or_admin)
rules.add_perm(
    "appraisals.view_appraisal", is_staff_member & (is_hr_or_admin | is_employee | is_reviewer | is_indirect_reviewer)
)
# The history names who changed what (calibrations included): for HR and the review chain.
rules.add_perm("appraisals.view_history", is_staff_member & (is_hr_or_admin | is_reviewer | is_indirect_reviewer))
rules.add_perm("appraisals.fill_self", is_staff_member & is_employee)
rules.add_perm("appraisals.review", is_staff_member & is_reviewer)
rules.add_perm("appraisals.invite_peers", is_staff_member & (is_hr_or_admin | is_reviewer))
rules.add_perm("appraisals.give_feedback", is_staff_member & is_peer)
