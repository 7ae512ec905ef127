"""Who may do what in the regulations library. Used by views, templates and the
approval machine's transition table alike. Default deny.

Whether someone may *see* a policy at all is not a rule here but the one selector
`selectors.visible_policies(user)`: views fetch through it and answer 404 otherwise."""

import rules

from apps.accounts.permissions import is_admin, is_hr, is_manager, is_ops, is_staff_member
from apps.departments.permissions import heads_a_department, is_head_of


def _policy_of(obj):
    # Predicates accept a Policy or a PolicyVersion.
    return getattr(obj, "policy", obj)


@rules.predicate
def is_owning_head(user, obj) -> bool:
    """Head of the policy's owning department."""
    return obj is not None and is_head_of(user, _policy_of(obj).owning_department)


is_editor = is_ops | is_admin | is_owning_head  # writes drafts, runs reviews

rules.add_perm("policies.view_library", is_staff_member)
rules.add_perm("policies.create_policy", is_ops | is_admin | (is_manager & heads_a_department))
rules.add_perm("policies.edit_policy", is_editor)  # settings, new drafts, import a new version
rules.add_perm("policies.view_drafts", is_editor)  # unpublished versions and their outline
rules.add_perm("policies.review_policy", is_editor)  # record a periodic review outcome
rules.add_perm("policies.view_review_list", is_ops | is_admin | (is_manager & heads_a_department))
rules.add_perm("policies.view_all_ack_reports", is_hr | is_ops | is_admin)
rules.add_perm("policies.view_ack_report", is_hr | is_ops | is_admin | is_manager)
# 催办 the team's acknowledgements from the home page (services.ack_nudge checks the team).
rules.add_perm("policies.nudge_team", is_staff_member & heads_a_department)
