"""Writes to the organisation. Every function is keyword-only and runs in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from .models import Department, Position


def index_on_commit(*, source: str, owner_ids) -> None:
    """The search engine's refresh after commit (imported late: the org is below the engines)."""
    from apps.search.services import index_on_commit as later

    later(source=source, owner_ids=owner_ids)


def _path_for(parent: Department | None, dept_id: int) -> tuple[str, int]:
    if parent is None:
        return f"/{dept_id}/", 0
    return f"{parent.path}{dept_id}/", parent.depth + 1


@transaction.atomic
def department_create(
    *,
    name: str,
    code: str,
    parent: Department | None = None,
    head=None,
    description: str = "",
    responsibilities: str = "",
    sort_order: int = 0,
) -> Department:
    dept = Department.objects.create(
        name=name,
        code=code,
        parent=parent,
        head=head,
        description=description,
        responsibilities=responsibilities,
        sort_order=sort_order,
    )
    dept.path, dept.depth = _path_for(parent, dept.pk)
    dept.save(update_fields=["path", "depth"])
    return dept


def validate_parent(dept: Department, new_parent: Department | None) -> None:
    """A department cannot sit under itself or under one of its own descendants."""
    if new_parent is None or dept.pk is None:
        return
    if new_parent.pk == dept.pk or new_parent.path.startswith(dept.path):
        raise ValidationError(
            {
                "parent": _(
                    "“%(parent)s” is inside “%(dept)s”: a department cannot be moved under itself "
                    "or one of its sub-departments."
                )
                % {"parent": new_parent.name, "dept": dept.name}
            }
        )


@transaction.atomic
def department_update(*, department: Department, **fields) -> Department:
    """Change a department's fields; a new parent moves the whole subtree with it."""
    # Lock the tree rows we touch so two concurrent moves cannot create a cycle together.
    dept = Department.objects.select_for_update().get(pk=department.pk)
    new_parent = fields.pop("parent", dept.parent)
    for name, value in fields.items():
        setattr(dept, name, value)
    dept.save()
    if (new_parent.pk if new_parent else None) != dept.parent_id:
        department_move(department=dept, new_parent=new_parent)
        dept.refresh_from_db()
    _reindex_members(dept)
    return dept


def _reindex_members(dept: Department) -> None:
    """People show their department's name and are filtered by its place: refresh them
    after the commit (a big department is a Celery task, not the editor's wait)."""
    from django.contrib.auth import get_user_model

    members = get_user_model().objects.filter(department__path__startswith=dept.path, is_active=True)
    index_on_commit(source="people", owner_ids=members.values_list("pk", flat=True))


@transaction.atomic
def department_move(*, department: Department, new_parent: Department | None) -> Department:
    dept = Department.objects.select_for_update().get(pk=department.pk)
    if new_parent is not None:
        new_parent = Department.objects.select_for_update().get(pk=new_parent.pk)
    validate_parent(dept, new_parent)
    old_path, old_depth = dept.path, dept.depth
    new_path, new_depth = _path_for(new_parent, dept.pk)
    # Rewrite the prefix of the whole subtree (this node included) in one statement.
    Department.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + (new_depth - old_depth),
    )
    Department.objects.filter(pk=dept.pk).update(parent=new_parent)
    dept.refresh_from_db()
    return dept


@transaction.atomic
def position_save(*, position: Position | None = None, **fields) -> Position:
    position = position or Position()
    for name, value in fields.items():
        setattr(position, name, value)
    position.full_clean()
    position.save()
    index_on_commit(source="people", owner_ids=position.holders.values_list("pk", flat=True))
    return position


class ImportNotValid(Exception):
    def __init__(self, rows):
        super().__init__("import has invalid rows")
        self.rows = rows


@transaction.atomic
def employee_import_apply(*, batch, send_activation: bool = False, actor=None) -> tuple[int, int]:
    """Create or update every person in the batch, or nothing at all. With `send_activation`,
    each new person with a mail address gets an activation mail (queued in the same transaction)."""
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from .importing import validate_rows
    from .models import EmployeeImport

    User = get_user_model()
    batch = EmployeeImport.objects.select_for_update().get(pk=batch.pk)
    if batch.applied_at is not None:  # a second click on "confirm" changes nothing
        return batch.created_count, batch.updated_count
    rows = validate_rows(batch.rows)
    if any(r.errors for r in rows):
        raise ImportNotValid(rows)
    depts = {d.code: d for d in Department.objects.all()}
    positions = {p.code: p for p in Position.objects.all()}
    existing = {u.employee_no: u for u in User.objects.filter(employee_no__in=[r.values["employee_no"] for r in rows])}
    created = updated = 0
    new_people = []
    for row in rows:
        v = row.values
        user = existing.get(v["employee_no"])
        if user is None:
            user = User(employee_no=v["employee_no"])
            user.set_unusable_password()  # until they activate (mail), or sign in through the directory / SSO
            new_people.append(user)
            created += 1
        else:
            updated += 1
        user.username = v["username"]
        user.display_name = v["display_name"]
        user.email = v.get("email", "") or user.email
        user.phone = v.get("phone", "") or user.phone
        user.department = depts[v["department"]]
        user.position = positions.get(v.get("position") or "")
        if v.get("hire_date"):
            user.hire_date = date.fromisoformat(v["hire_date"].replace("/", "-"))
        user.save()
        existing[v["employee_no"]] = user
    managers = {
        u.employee_no: u
        for u in User.objects.filter(employee_no__in=[r.values["manager"] for r in rows if r.values.get("manager")])
    }
    for row in rows:
        if row.values.get("manager"):
            User.objects.filter(pk=existing[row.values["employee_no"]].pk).update(
                manager=managers[row.values["manager"]]
            )
    index_on_commit(source="people", owner_ids=[u.pk for u in existing.values()])
    if send_activation:
        from apps.signin.services import invitations_send  # sign-in builds on accounts and departments

        invitations_send(users=new_people, sent_by=actor)
    batch.applied_at = timezone.now()
    batch.created_count, batch.updated_count = created, updated
    batch.save(update_fields=["applied_at", "created_count", "updated_count"])
    return created, updated
