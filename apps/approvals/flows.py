"""Flows as data: the stage schema, the current version of a kind's flow, stage conditions
and approver resolution at run time (who is the head of what is read when a stage starts,
not when the flow was written)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.roles import Role
from apps.departments.models import Department
from apps.departments.permissions import general_manager as departments_general_manager

from .models import Flow, FlowVersion, Mode
from .registry import ApprovalKind

APPROVER_TYPES = {
    "proposer_head": gettext_lazy("Head of the proposer's department"),
    "head_up": gettext_lazy("Head N levels above the proposer's department"),
    "owner_head": gettext_lazy("Head of the owning department"),
    "role": gettext_lazy("Everyone with a role"),
    "user": gettext_lazy("A named person"),
    "gm": gettext_lazy("General manager"),
    "named": gettext_lazy("The people the request names (e.g. a meeting's attendees)"),
}
CONDITION_TYPES = {
    "always": gettext_lazy("Always"),
    "major": gettext_lazy("Major change"),
    "crosses": gettext_lazy("Crosses departments"),
    "above": gettext_lazy("Field above a threshold"),
}
POOL_ROLES = (Role.OPS, Role.HR, Role.ADMIN)


def validate_stages(stages: list[dict]) -> list[dict]:
    """Normalised stages, or ValidationError with a message for the editor."""
    if not stages:
        raise ValidationError(_("A flow needs at least one stage."))
    clean, keys = [], set()
    for i, stage in enumerate(stages, 1):
        name = str(stage.get("name", "")).strip()
        if not name:
            raise ValidationError(_("Stage %(n)d needs a name.") % {"n": i})
        mode = stage.get("mode")
        if mode not in Mode.values:
            raise ValidationError(_("Stage “%(name)s” has no valid mode.") % {"name": name})
        approvers = []
        for a in stage.get("approvers") or []:
            kind = a.get("type")
            if kind not in APPROVER_TYPES:
                raise ValidationError(_("Stage “%(name)s” has an unknown approver type.") % {"name": name})
            if kind == "head_up" and not (str(a.get("levels", "")).isdigit() and 1 <= int(a["levels"]) <= 9):
                raise ValidationError(_("Stage “%(name)s”: levels must be 1 to 9.") % {"name": name})
            if kind == "role" and a.get("role") not in POOL_ROLES:
                raise ValidationError(_("Stage “%(name)s”: choose a role.") % {"name": name})
            if kind == "user" and not get_user_model().objects.filter(pk=a.get("user"), is_active=True).exists():
                raise ValidationError(_("Stage “%(name)s”: choose an active person.") % {"name": name})
            approvers.append({k: a[k] for k in ("type", "levels", "role", "user") if k in a and a[k] not in ("", None)})
        if not approvers:
            raise ValidationError(_("Stage “%(name)s” needs at least one approver.") % {"name": name})
        condition = stage.get("condition") or {"type": "always"}
        if condition.get("type") not in CONDITION_TYPES:
            raise ValidationError(_("Stage “%(name)s” has an unknown condition.") % {"name": name})
        if condition["type"] == "above":
            try:
                condition = {"type": "above", "field": str(condition["field"]), "value": float(condition["value"])}
            except (KeyError, TypeError, ValueError):
                raise ValidationError(
                    _("Stage “%(name)s”: a threshold needs a field and a number.") % {"name": name}
                ) from None
        else:
            condition = {"type": condition["type"]}
        limit = stage.get("limit_days")
        if limit in ("", None):
            limit = None
        elif not str(limit).isdigit() or not 1 <= int(limit) <= 60:
            raise ValidationError(_("Stage “%(name)s”: the time limit is 1 to 60 working days.") % {"name": name})
        key = str(stage.get("key") or f"s{i}")
        while key in keys:
            key += "x"
        keys.add(key)
        clean.append(
            {
                "key": key,
                "name": name[:100],
                "mode": mode,
                "approvers": approvers,
                "condition": condition,
                "limit_days": int(limit) if limit is not None else None,
            }
        )
    return clean


def current_version(kind: ApprovalKind) -> FlowVersion:
    """The kind's current flow version; the kind's default stages become version 1."""
    flow = Flow.objects.select_related("current").filter(kind=kind.code).first()
    if flow and flow.current:
        return flow.current
    with transaction.atomic():
        flow, _created = Flow.objects.select_for_update().get_or_create(kind=kind.code)
        if flow.current_id:
            return flow.current
        version = FlowVersion.objects.create(flow=flow, number=1, stages=validate_stages(kind.default_stages))
        flow.current = version
        flow.save(update_fields=["current"])
        return version


@transaction.atomic
def save_version(*, kind: ApprovalKind, stages: list[dict], user, note: str = "") -> FlowVersion:
    clean = validate_stages(stages)
    current_version(kind)
    flow = Flow.objects.select_for_update().get(kind=kind.code)
    number = (flow.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = FlowVersion.objects.create(flow=flow, number=number, stages=clean, created_by=user, note=note[:200])
    flow.current = version
    flow.save(update_fields=["current"])
    return version


# --- conditions ------------------------------------------------------------------------------


def applies(stage: dict, facts: dict) -> bool:
    cond = stage.get("condition") or {"type": "always"}
    if cond["type"] == "major":
        return bool(facts.get("major"))
    if cond["type"] == "crosses":
        return bool(facts.get("crosses"))
    if cond["type"] == "above":
        value = facts.get(cond["field"])
        return value is not None and float(value) > float(cond["value"])
    return True


def condition_text(cond: dict, fields: dict | None = None) -> str:
    cond = cond or {"type": "always"}
    if cond["type"] == "above":
        label = (fields or {}).get(cond["field"], cond["field"])
        return _("%(field)s above %(value)s") % {"field": label, "value": f"{cond['value']:g}"}
    return str(CONDITION_TYPES[cond["type"]])


# --- approvers -------------------------------------------------------------------------------


def names_people(stage: dict) -> bool:
    """Does the stage ask the people the object names?"""
    return any(a["type"] == "named" for a in stage["approvers"])


@dataclass
class Resolution:
    """Who a stage asks, and why some were replaced (for the timeline)."""

    approvers: list = field(default_factory=list)
    substituted: list = field(default_factory=list)  # (original, replacement or None)


def _heads(dept_ids: list[int]) -> dict[int, int]:
    return dict(Department.objects.filter(pk__in=dept_ids, head__isnull=False).values_list("pk", "head"))


def head_of(dept: Department | None, *, levels: int = 0, exclude_id: int | None = None):
    """The head of `dept` `levels` up the tree (the nearest ancestor with a head when a
    department has none), skipping a department whose head is `exclude_id`."""
    if dept is None:
        return None
    chain = [*dept.ancestor_ids(), dept.pk]  # root … dept
    heads = _heads(chain)
    with_head = [pk for pk in reversed(chain) if pk in heads and heads[pk] != exclude_id]
    if not with_head:
        return None
    pk = with_head[min(levels, len(with_head) - 1)]
    return get_user_model().objects.filter(pk=heads[pk], is_active=True).first()


def general_manager():
    """The active general manager (apps.departments.permissions says who that is)."""
    gm = departments_general_manager()
    return gm if gm is not None and gm.is_active else None


def next_up(user):
    """The person above `user`: their manager, else the head above their department."""
    if user.manager_id:
        boss = get_user_model().objects.filter(pk=user.manager_id, is_active=True).first()
        if boss and boss.pk != user.pk:
            return boss
    dept = Department.objects.filter(pk=user.department_id).first()
    return head_of(dept, exclude_id=user.pk)


def resolve(stage: dict, *, proposer, department, owner_department, excluded=frozenset(), named=()) -> Resolution:
    """`excluded`: ids of people who, like the proposer, may not approve (the kind's four eyes);
    `named`: the people the object names (approver type "named", a pool like a role's)."""
    User = get_user_model()
    barred = {proposer.pk, *excluded}
    found = []
    for a in stage["approvers"]:
        t = a["type"]
        if t == "proposer_head":
            found.append(head_of(department))
        elif t == "head_up":
            found.append(head_of(department, levels=int(a["levels"])))
        elif t == "owner_head":
            found.append(head_of(owner_department or department))
        elif t == "gm":
            found.append(general_manager())
        elif t == "user":
            found.append(User.objects.filter(pk=a["user"], is_active=True).first())
        elif t == "named":
            found.extend(p for p in named if p.is_active and p.pk not in barred)
        elif t == "role":
            pool = list(User.objects.filter(groups__name=a["role"], is_active=True).order_by("pk"))
            allowed = [p for p in pool if p.pk not in barred]
            # Everyone in the pool is barred (the only ops member wrote the draft): the stage
            # is not skipped, each goes to the next person up, as a single approver would.
            found.extend(allowed or pool)
    out = Resolution()
    seen = set()
    for person in found:
        if person is None:
            continue
        if person.pk in barred:
            # Nobody approves their own request: the next person up does.
            replacement = next_up(person)
            if replacement is not None and replacement.pk in barred:
                replacement = next_up(replacement)
            if replacement is not None and replacement.pk in barred:
                replacement = None
            out.substituted.append((person, replacement))
            person = replacement
            if person is None:
                continue
        if person.pk not in seen:
            seen.add(person.pk)
            out.approvers.append(person)
    return out
