"""Who may see and do what in training. Default deny; what one may not see is a 404.

* Plans and courses: everyone sees approved plans and their courses; drafts only HR,
  administrators and the heads of the plan's department (who draft department plans).
* Manage (plans, courses, sessions, quizzes): HR and administrators everywhere; a department
  head for the plans of the departments they head. A session's organiser records attendance.
* A person's record: the person, their manager and the heads above their department, HR.
* Quiz answers and survey comments: HR only (comments never with a name, to anyone).
* Development plans: the person, the mentor, the person's manager and heads above, HR.
"""

import rules

from apps.accounts.permissions import is_admin, is_hr, is_staff_member


def headed_paths(user) -> list[str]:
    if not hasattr(user, "_training_headed_paths"):
        user._training_headed_paths = (
            list(user.headed_departments.values_list("path", flat=True)) if user.is_authenticated else []
        )
    return user._training_headed_paths


def heads_person(user, person) -> bool:
    """`user` is `person`'s manager or heads a department above them."""
    if person is None:
        return False
    if person.manager_id == user.pk:
        return True
    path = person.department.path if person.department_id else None
    return bool(path) and any(path.startswith(p) for p in headed_paths(user))


is_training_admin = is_hr | is_admin


@rules.predicate
def heads_plan_department(user, plan) -> bool:
    if plan is None or plan.department_id is None:
        return False
    return any(plan.department.path.startswith(p) for p in headed_paths(user))


@rules.predicate
def may_see_record(user, person) -> bool:
    return person is not None and (person.pk == user.pk or heads_person(user, person))


@rules.predicate
def manages_person(user, person) -> bool:
    return person is not None and person.pk != user.pk and heads_person(user, person)


@rules.predicate
def organises(user, session) -> bool:
    return session is not None and (session.organiser_id == user.pk or session.course.trainer_id == user.pk)


@rules.predicate
def in_development_plan(user, plan) -> bool:
    return plan is not None and (user.pk in (plan.person_id, plan.mentor_id) or heads_person(user, plan.person))


rules.add_perm("training.view", is_staff_member)
rules.add_perm("training.manage", is_staff_member & is_training_admin)
rules.add_perm("training.manage_plan", is_staff_member & (is_training_admin | heads_plan_department))
rules.add_perm("training.take_attendance", is_staff_member & (is_training_admin | organises))
rules.add_perm("training.view_record", is_staff_member & (is_training_admin | may_see_record))
rules.add_perm("training.view_answers", is_staff_member & is_hr)
rules.add_perm("training.view_development", is_staff_member & (is_training_admin | in_development_plan))
rules.add_perm("training.start_development", is_staff_member & (is_training_admin | manages_person))
