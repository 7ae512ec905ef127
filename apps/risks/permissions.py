"""Who may see and do what in the risk register. Default deny; a risk someone may not see is
a 404 for them (views fetch through selectors.visible_risks, which mirrors `can_see_risk`).

* See: everyone sees company-wide risks and those of their own department; heads see their
  departments' subtree; owners, reporters and owners of a measure see theirs; ops and the
  general manager see everything; administrators everything that is not confidential.
  Confidential risks: only the owner, the heads above the owning department, ops, the general
  manager (and the reporter and measure owners, who are part of the risk's work).
* Triage (accept into the register or close a report), edit, assess, plan measures, bind
  key risk indicators, record reviews: ops and the heads above the owning department; the
  owner too, except triage.
* Accepting a high risk is decided on the approvals engine (approvals.py): the general manager.
* Scale, bands, categories, import: ops and administrators.
"""

import rules

from apps.accounts.permissions import is_admin, is_ops, is_staff_member
from apps.departments.permissions import is_head_of


@rules.predicate
def heads_risk_department(user, risk) -> bool:
    return risk is not None and is_head_of(user, risk.department, or_above=True)


@rules.predicate
def owns_risk(user, risk) -> bool:
    return risk is not None and risk.owner_id == user.pk


@rules.predicate
def owns_measure(user, measure) -> bool:
    return measure is not None and measure.owner_id == user.pk


@rules.predicate
def measure_risk_manager(user, measure) -> bool:
    if measure is None:
        return False
    risk = measure.risk
    return risk.owner_id == user.pk or heads_risk_department(user, risk) or is_ops(user)


is_risk_admin = is_ops | is_admin
can_manage_risk = is_ops | heads_risk_department | owns_risk

rules.add_perm("risks.view", is_staff_member)
rules.add_perm("risks.report", is_staff_member)
rules.add_perm("risks.triage", is_staff_member & (is_ops | heads_risk_department))
rules.add_perm("risks.manage", is_staff_member & can_manage_risk)
rules.add_perm("risks.update_measure", is_staff_member & (owns_measure | measure_risk_manager))
rules.add_perm("risks.configure", is_staff_member & is_risk_admin)
rules.add_perm("risks.import", is_staff_member & is_risk_admin)
