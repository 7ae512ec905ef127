"""Reading and checking an employee file (CSV or XLSX) before anything is saved.

Headers may be Chinese or English. Every row is checked against the database and against
the other rows (a manager may be a person further down the same file); the import is
applied only when every row is valid.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.roles import Role
from apps.core.spreadsheets import ImportFileError, map_header, read_rows

from .models import Department, Position

# canonical field -> accepted header spellings (lower-cased)
COLUMNS = {
    "employee_no": ("工号", "员工编号", "employee_no", "employee number"),
    "username": ("用户名", "登录名", "username"),
    "display_name": ("姓名", "display_name", "name"),
    "email": ("邮箱", "电子邮箱", "email"),
    "department": ("部门编码", "department", "department_code"),
    "position": ("岗位编码", "position", "position_code"),
    "manager": ("上级工号", "manager", "manager_no"),
    "hire_date": ("入职日期", "hire_date"),
    "phone": ("电话", "手机", "phone"),
}
REQUIRED = ("employee_no", "username", "display_name", "department")
COLUMN_LABELS = {
    "employee_no": gettext_lazy("Employee number"),
    "username": gettext_lazy("Username"),
    "display_name": gettext_lazy("Name"),
    "email": gettext_lazy("Email"),
    "department": gettext_lazy("Department code"),
    "position": gettext_lazy("Position code"),
    "manager": gettext_lazy("Manager's employee number"),
    "hire_date": gettext_lazy("Hire date"),
    "phone": gettext_lazy("Phone"),
}
TEMPLATE_HEADER = ["工号", "用户名", "姓名", "邮箱", "部门编码", "岗位编码", "上级工号", "入职日期", "电话"]


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    is_new: bool = True


def read_table(filename: str, data: bytes, progress=None) -> list[dict]:
    rows = read_rows(filename, data, progress=progress)
    header, body = rows[0], rows[1:]
    mapping = _map_header(header)
    return [{key: _cell(cells[idx]) if idx < len(cells) else "" for key, idx in mapping.items()} for cells in body]


# A large file is read by a worker (apps/core/imports.py), which stores it through this.
IMPORT_KIND = "departments.employees"


def store_batch(*, user_id: int, filename: str, rows: list[dict]) -> str:
    from django.urls import reverse

    from .models import EmployeeImport

    batch = EmployeeImport.objects.create(created_by_id=user_id, filename=filename[:200], rows=rows)
    return reverse("departments:employee_import_preview", args=[batch.pk])


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _map_header(header: list) -> dict[str, int]:
    mapping = map_header(header, COLUMNS)
    missing = [str(COLUMN_LABELS[k]) for k in REQUIRED if k not in mapping]
    if missing:
        raise ImportFileError(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
    return mapping


def _protected(User, rows: list[ImportRow], importer) -> tuple[set, set]:
    """Employee numbers and usernames an import never changes: administrators (staff,
    superuser or the admin role) and the person importing."""
    nos = [r.values.get("employee_no", "") for r in rows]
    names = [r.values.get("username", "") for r in rows]
    guarded = User.objects.filter(Q(employee_no__in=nos) | Q(username__in=names)).filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name=Role.ADMIN) | Q(pk=getattr(importer, "pk", None))
    )
    pairs = list(guarded.values_list("employee_no", "username").distinct())
    return {no for no, _ in pairs if no}, {name for _, name in pairs}


def validate_rows(raw_rows: list[dict], *, importer=None) -> list[ImportRow]:
    """Check every row; a fixed number of queries whatever the file size."""
    User = get_user_model()
    rows = [ImportRow(line=i + 2, values=r) for i, r in enumerate(raw_rows)]
    protected_nos, protected_names = _protected(User, rows, importer)
    max_username = User._meta.get_field("username").max_length
    depts = {d.code: d.pk for d in Department.objects.only("pk", "code")}
    positions = {p.code: p.department_id for p in Position.objects.only("code", "department_id")}
    file_nos = [r.values.get("employee_no", "") for r in rows]
    existing = {u.employee_no: u for u in User.objects.filter(employee_no__in=file_nos).only("employee_no", "username")}
    known_nos = set(User.objects.exclude(employee_no=None).values_list("employee_no", flat=True))
    usernames_taken = dict(
        User.objects.filter(username__in=[r.values.get("username", "") for r in rows]).values_list(
            "username", "employee_no"
        )
    )
    seen_nos: dict[str, int] = {}
    seen_usernames: dict[str, int] = {}
    for row in rows:
        v, err = row.values, row.errors
        for key in REQUIRED:
            if not v.get(key):
                err.append(_("%(col)s is required.") % {"col": COLUMN_LABELS[key]})
        no, username = v.get("employee_no", ""), v.get("username", "")
        row.is_new = no not in existing
        if no:
            if no in seen_nos:
                err.append(
                    _("Employee number %(no)s is repeated (also on row %(line)d).") % {"no": no, "line": seen_nos[no]}
                )
            seen_nos.setdefault(no, row.line)
        if no in protected_nos or username in protected_names:
            err.append(_("This is an administrator's account or your own; an import never changes it."))
        if username:
            try:
                User.username_validator(username)
                if len(username) > max_username:
                    raise ValidationError("too long")
            except ValidationError:
                err.append(
                    _("Username “%(u)s” may only contain letters, digits and @ . + - _ (at most %(n)d characters).")
                    % {"u": username, "n": max_username}
                )
            if username in seen_usernames:
                err.append(
                    _("Username %(u)s is repeated (also on row %(line)d).")
                    % {"u": username, "line": seen_usernames[username]}
                )
            seen_usernames.setdefault(username, row.line)
            if username in usernames_taken and usernames_taken[username] != no:
                err.append(_("Username %(u)s belongs to another person.") % {"u": username})
        if v.get("email"):
            try:
                validate_email(v["email"])
            except ValidationError:
                err.append(_("“%(v)s” is not a valid email address.") % {"v": v["email"]})
        dept = v.get("department")
        if dept and dept not in depts:
            err.append(_("Unknown department code “%(v)s”.") % {"v": dept})
        pos = v.get("position")
        if pos:
            if pos not in positions:
                err.append(_("Unknown position code “%(v)s”.") % {"v": pos})
            elif dept in depts and positions[pos] != depts[dept]:
                err.append(_("Position “%(p)s” does not belong to department “%(d)s”.") % {"p": pos, "d": dept})
        mgr = v.get("manager")
        if mgr:
            if mgr == no:
                err.append(_("A person cannot report to themselves."))
            elif mgr not in known_nos and mgr not in file_nos:
                err.append(_("Unknown manager employee number “%(v)s”.") % {"v": mgr})
        if v.get("hire_date"):
            try:
                date.fromisoformat(v["hire_date"].replace("/", "-"))
            except ValueError:
                err.append(_("Hire date “%(v)s” is not a date like 2026-01-31.") % {"v": v["hire_date"]})
    return rows
