"""Who may see and enter which indicators.

* View: every active employee sees company- and department-scope indicators. A
  person-scope indicator (a person's own KPI) is seen by that person, their manager, the
  head of its department or of any department above it, its responsible person, HR, ops
  and admins; to anyone else it does not exist (404).
* Enter figures: the head of the indicator's owning department and the indicator's
  responsible person, for periods that are not locked. Ops and admins enter everything.
  In a locked period only ops (and admins) may change figures.
* Define indicators, set targets: ops and admins. Lock / unlock periods: ops and admins.
"""

import rules

from apps.accounts.permissions import is_admin, is_hr, is_ops, is_staff_member
from apps.departments.permissions import heads_a_department, is_head_of, is_manager_of

is_kpi_admin = is_ops | is_admin


@rules.predicate
def can_see_personal(user, indicator) -> bool:
    if indicator is None:
        return False
    if indicator.scope != "person":
        return True
    if user.pk in (indicator.person_id, indicator.responsible_id):
        return True
    return is_manager_of(user, indicator.person) or is_head_of(user, indicator.department, or_above=True)


@rules.predicate
def is_indicator_enterer(user, indicator) -> bool:
    """Head of the owning department or the responsible person."""
    if indicator is None:
        return False
    return user.pk == indicator.responsible_id or is_head_of(user, indicator.department)


@rules.predicate
def is_department_enterer(user, department) -> bool:
    """May open a department's entry page: its head, or responsible for one of its indicators."""
    if department is None:
        return False
    if is_head_of(user, department):
        return True
    return department.indicators.filter(responsible=user, is_active=True).exists()


rules.add_perm("kpis.view", is_staff_member)
# 催办 the team's missing figures from the home page (services.figures_nudge checks the team).
rules.add_perm("kpis.nudge_team", is_staff_member & heads_a_department)
rules.add_perm("kpis.view_indicator", is_staff_member & (is_kpi_admin | is_hr | can_see_personal))
rules.add_perm("kpis.enter_indicator", is_staff_member & (is_kpi_admin | is_indicator_enterer))
rules.add_perm("kpis.enter_department", is_staff_member & (is_kpi_admin | is_department_enterer))
rules.add_perm("kpis.enter_locked", is_staff_member & is_kpi_admin)
rules.add_perm("kpis.manage", is_staff_member & is_kpi_admin)
rules.add_perm("kpis.lock", is_staff_member & is_kpi_admin)
