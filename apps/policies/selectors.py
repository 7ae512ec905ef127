"""Reads of the regulations library.

`visible_policies(user)` is THE visibility rule: every list, detail, search, history,
comparison, export and count starts from it, so a restricted policy cannot leak
through one page that forgot a check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.accounts.permissions import is_admin, is_ops
from apps.departments.models import Department

from .models import (
    OPEN_VERSION_STATUSES,
    Acknowledgement,
    AckScope,
    Confidentiality,
    Policy,
    PolicyHistory,
    PolicyNode,
    PolicyStatus,
    PolicyVersion,
    VersionStatus,
)
from .parsing import Node, ParseResult, flatten_articles
from .parsing.tables import table_rows


def ancestor_paths(dept_path: str | None) -> list[str]:
    """ "/1/7/23/" -> ["/1/", "/1/7/", "/1/7/23/"]: a department is inside a chosen one
    exactly when the chosen one's path is among these (no LIKE needed)."""
    if not dept_path:
        return []
    parts = [p for p in dept_path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _user_paths(user) -> list[str]:
    if not hasattr(user, "_policy_dept_paths"):
        dept = user.department if user.department_id else None
        user._policy_dept_paths = ancestor_paths(dept.path if dept else None)
    return user._policy_dept_paths


def sees_everything(user) -> bool:
    return bool(user.is_authenticated and (is_ops(user) or is_admin(user)))


def visible_policies(user) -> QuerySet[Policy]:
    """Policies this user may know exist.

    - ops and admin: all of them;
    - everyone else: policies with a published (or retired) text, except restricted ones
      not shared with their department or a department above it;
    - plus the policies whose owning department they head (drafts included)."""
    qs = Policy.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if sees_everything(user):
        return qs
    paths = _user_paths(user)
    shared = Exists(
        Policy.allowed_departments.through.objects.filter(policy_id=OuterRef("pk"), department__path__in=paths)
    )
    readable = Q(current_version__isnull=False) & (~Q(confidentiality=Confidentiality.RESTRICTED) | Q(shared))
    return qs.filter(readable | Q(owning_department__head=user))


def can_see_drafts(user, policy: Policy) -> bool:
    return user.has_perm("policies.view_drafts", policy)


def versions_visible(user, policy: Policy) -> QuerySet[PolicyVersion]:
    qs = policy.versions.select_related("approved_by", "created_by").order_by("-created_at")
    if not can_see_drafts(user, policy):
        qs = qs.exclude(status__in=OPEN_VERSION_STATUSES)
    return qs


def policy_list(user) -> QuerySet[Policy]:
    return visible_policies(user).select_related(
        "category", "owning_department", "current_version", "interpreting_department"
    )


def policies_needing_ack(user) -> QuerySet[Policy]:
    """Visible, in force, asking this user to acknowledge its current version, not yet done."""
    paths = _user_paths(user)
    in_scope = Exists(
        PolicyVersion.ack_departments.through.objects.filter(
            policyversion_id=OuterRef("current_version_id"), department__path__in=paths
        )
    )
    done = Exists(Acknowledgement.objects.filter(user=user, version_id=OuterRef("current_version_id")))
    return (
        visible_policies(user)
        .filter(status="published")
        .filter(
            Q(current_version__ack_scope=AckScope.EVERYONE)
            | (Q(current_version__ack_scope=AckScope.DEPARTMENTS) & Q(in_scope))
        )
        .exclude(done)
    )


def user_must_ack(user, version: PolicyVersion) -> bool:
    if version.status != VersionStatus.PUBLISHED or version.ack_scope == AckScope.NONE:
        return False
    if version.ack_scope == AckScope.EVERYONE:
        return True
    return version.ack_departments.filter(path__in=_user_paths(user)).exists()


# --- The text of a version ---------------------------------------------------------------


@dataclass
class TreeNode:
    row: PolicyNode
    children: list[TreeNode] = field(default_factory=list)

    # The same attribute names as the parser's Node, so one template renders both.
    kind = property(lambda self: self.row.kind)
    label = property(lambda self: self.row.label)
    heading = property(lambda self: self.row.heading)
    text = property(lambda self: self.row.text)
    slug = property(lambda self: self.row.slug)
    rows = property(lambda self: table_rows(self.row.text) if self.row.kind == "table" else [])


def version_nodes(version: PolicyVersion) -> list[PolicyNode]:
    return list(PolicyNode.objects.filter(version=version).order_by("ordinal"))


def build_tree(rows: list[PolicyNode]) -> list[TreeNode]:
    """Rows in document order with depths -> nested tree (one pass, a stack of open nodes)."""
    roots: list[TreeNode] = []
    stack: list[TreeNode] = []
    for row in rows:
        node = TreeNode(row)
        while stack and stack[-1].row.depth >= row.depth:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def to_parse_nodes(rows: list[PolicyNode]) -> list[Node]:
    """DB rows -> the parser's Node tree (for diffing and re-serialising)."""
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    for row in rows:
        node = Node(
            kind=row.kind, label=row.label, number=row.number, heading=row.heading, text=row.text, slug=row.slug
        )
        while stack and stack[-1][0] >= row.depth:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((row.depth, node))
    return roots


def version_articles(version: PolicyVersion, rows: list[PolicyNode] | None = None) -> list[dict]:
    rows = version_nodes(version) if rows is None else rows
    result = ParseResult(
        title=version.title,
        effective_date=version.effective_date,
        effective_on_publish=False,
        interpreter=version.interpreter_text or None,
        preamble=version.preamble,
        nodes=to_parse_nodes(rows),
    )
    return flatten_articles(result)


TOC_KINDS = ("appendix", "part", "division", "chapter", "section", "article")


def toc_entries(rows: list[PolicyNode]) -> list[PolicyNode]:
    """Table of contents: structural nodes; a text without articles lists its top list level."""
    entries = [r for r in rows if r.kind in TOC_KINDS]
    if not any(r.kind == "article" for r in entries):
        entries += [r for r in rows if r.depth == 0 and r.kind not in TOC_KINDS]
        entries.sort(key=lambda r: r.ordinal)
    return entries


def superseding_policy(user, policy: Policy) -> Policy | None:
    """The regulation that retired this one, when the user may know it exists."""
    if policy.superseded_by_id is None:
        return None
    return visible_policies(user).filter(pk=policy.superseded_by_id).first()


def replaced_policies(user, version: PolicyVersion) -> list[Policy]:
    """The regulations a version abolishes (原《…》同时废止), those the user may see."""
    return list(visible_policies(user).filter(replaced_by_versions=version).order_by("code"))


def policies_matching_titles(user, titles: list[str]) -> dict[str, list[Policy]]:
    """Existing regulations whose title matches an abolished title as written (exactly,
    or containing it / contained in it, ignoring a （试行）/(暂行) suffix), for the preview."""
    found: dict[str, list[Policy]] = {}
    base = visible_policies(user).exclude(status=PolicyStatus.RETIRED)
    for title in titles[:20]:
        core = re.sub(r"[（(](?:试行|暂行|修订|草案)[）)]$", "", title.strip())
        if len(core) < 2:
            continue
        exact = list(base.filter(title=core)[:5]) or list(base.filter(title__icontains=core)[:5])
        found[title] = exact
    return found


def policy_history(policy: Policy) -> QuerySet[PolicyHistory]:
    return policy.history.select_related("actor", "version").order_by("-at", "-pk")


def search_matches(policy_ids: list[int], q: str, limit_per_policy: int = 3) -> dict[int, list[PolicyNode]]:
    """The articles of the current versions of these policies whose text contains q (one query)."""
    if not q or not policy_ids:
        return {}
    rows = (
        PolicyNode.objects.filter(version__current_of__in=policy_ids, text__contains=q)
        .values("version__current_of", "label", "slug", "text", "ordinal")
        .order_by("version_id", "ordinal")
    )
    found: dict[int, list] = {}
    for r in rows[: len(policy_ids) * 20]:
        bucket = found.setdefault(r["version__current_of"], [])
        if len(bucket) < limit_per_policy:
            at = r["text"].find(q)
            start = max(0, at - 24)
            r["snippet"] = ("…" if start else "") + r["text"][start : at + len(q) + 48].strip() + "…"
            bucket.append(r)
    return found


# --- Review ---------------------------------------------------------------------------------


def policies_due_for_review(user, *, today: date, horizon_days: int = 30) -> QuerySet[Policy]:
    from datetime import timedelta

    qs = policy_list(user).filter(status="published", next_review_date__lte=today + timedelta(days=horizon_days))
    if not sees_everything(user):
        qs = qs.filter(owning_department__head=user)
    return qs.order_by("next_review_date", "code")


# --- Acknowledgement reports ----------------------------------------------------------------


@dataclass
class DeptAckRow:
    department: Department
    required: int
    confirmed: int
    missing: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.confirmed / self.required) if self.required else 100


def ack_required_users(version: PolicyVersion) -> QuerySet:
    """Active people this version asks to acknowledge (restricted policies: only those who may read it)."""
    User = get_user_model()
    qs = User.objects.filter(is_active=True, department__isnull=False)
    if version.ack_scope == AckScope.NONE:
        return qs.none()
    if version.ack_scope == AckScope.DEPARTMENTS:
        qs = qs.filter(_in_subtrees(version.ack_departments.values_list("path", flat=True)))
    policy = version.policy
    if policy.confidentiality == Confidentiality.RESTRICTED:
        qs = qs.filter(_in_subtrees(policy.allowed_departments.values_list("path", flat=True)))
    return qs


def _in_subtrees(paths) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(department__path__startswith=p)
    return q


def ack_report(version: PolicyVersion, *, within: Department | None = None) -> list[DeptAckRow]:
    """Completion per department (direct members), with who has not confirmed. Four light
    queries whatever the company's size: ids and departments of everyone asked, the ids that
    confirmed, then names only for those still missing."""
    people = ack_required_users(version)
    if within is not None:
        people = people.filter(department__path__startswith=within.path)
    asked = list(people.values_list("pk", "department_id"))
    done = set(Acknowledgement.objects.filter(version=version).values_list("user_id", flat=True))
    missing_ids = [pk for pk, _dept in asked if pk not in done]
    depts = Department.objects.in_bulk({d for _pk, d in asked})
    rows: dict[int, DeptAckRow] = {}
    for pk, dept_id in asked:
        row = rows.setdefault(dept_id, DeptAckRow(department=depts[dept_id], required=0, confirmed=0))
        row.required += 1
        row.confirmed += pk in done
    User = get_user_model()
    for user in (
        User.objects.filter(pk__in=missing_ids)
        .only("pk", "username", "display_name", "first_name", "last_name", "employee_no", "department_id")
        .order_by("employee_no", "username")
    ):
        rows[user.department_id].missing.append(user)
    return sorted(rows.values(), key=lambda r: [int(x) for x in r.department.path.strip("/").split("/") if x])


def ack_versions(user) -> QuerySet[PolicyVersion]:
    """Versions in force that ask for acknowledgement, among the policies this user sees."""
    return (
        PolicyVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .exclude(ack_scope=AckScope.NONE)
        .filter(policy__in=visible_policies(user))
        .select_related("policy")
        .order_by("-effective_date", "-pk")
    )


def ack_summaries(versions: list[PolicyVersion], *, within: Department | None = None) -> dict[int, tuple[int, int]]:
    """{version id: (required, confirmed)} for many versions in four queries: people are
    matched to scopes in Python by department path prefix."""
    from django.db.models import Count

    if not versions:
        return {}
    User = get_user_model()
    people = User.objects.filter(is_active=True, department__isnull=False)
    if within is not None:
        people = people.filter(department__path__startswith=within.path)
    paths = list(people.values_list("department__path", flat=True))
    ids = [v.pk for v in versions]
    scope_paths: dict[int, list[str]] = {}
    for vid, path in PolicyVersion.ack_departments.through.objects.filter(policyversion_id__in=ids).values_list(
        "policyversion_id", "department__path"
    ):
        scope_paths.setdefault(vid, []).append(path)
    allowed: dict[int, list[str]] = {}
    for pid, path in Policy.allowed_departments.through.objects.filter(
        policy_id__in=[v.policy_id for v in versions]
    ).values_list("policy_id", "department__path"):
        allowed.setdefault(pid, []).append(path)
    acks = Acknowledgement.objects.filter(version_id__in=ids, user__is_active=True)
    if within is not None:
        acks = acks.filter(user__department__path__startswith=within.path)
    confirmed = dict(acks.values("version_id").annotate(n=Count("pk")).values_list("version_id", "n"))
    out = {}
    for v in versions:
        prefixes = scope_paths.get(v.pk, []) if v.ack_scope == AckScope.DEPARTMENTS else ["/"]
        limit = allowed.get(v.policy_id) if v.policy.confidentiality == Confidentiality.RESTRICTED else ["/"]
        required = sum(
            1 for p in paths if any(p.startswith(s) for s in prefixes) and any(p.startswith(a) for a in limit or [])
        )
        out[v.pk] = (required, confirmed.get(v.pk, 0))
    return out


def related_processes(policy: Policy) -> list[dict]:
    """Processes that name articles of this policy as what they implement (the process
    catalogue owns the link; without that app installed there are none). One query."""
    from django.core.exceptions import FieldDoesNotExist

    try:
        field = PolicyNode._meta.get_field("processes")
    except FieldDoesNotExist:
        return []
    through = field.through  # the reverse side of processes.Process.articles
    process_fk = next(f.name for f in through._meta.fields if f.related_model is field.related_model)
    node_fk = next(f.name for f in through._meta.fields if f.related_model is PolicyNode)
    rows = (
        through.objects.filter(**{f"{node_fk}__version__policy": policy})
        .values(
            f"{process_fk}__code",
            f"{process_fk}__name",
            f"{node_fk}__label",
            f"{node_fk}__slug",
            f"{node_fk}__version_id",
        )
        .order_by(f"{process_fk}__code", f"{node_fk}__ordinal")
    )
    out: dict[str, dict] = {}
    for r in rows:
        entry = out.setdefault(
            r[f"{process_fk}__code"],
            {"code": r[f"{process_fk}__code"], "name": r[f"{process_fk}__name"], "articles": []},
        )
        entry["articles"].append(
            {
                "label": r[f"{node_fk}__label"],
                "slug": r[f"{node_fk}__slug"],
                "current": r[f"{node_fk}__version_id"] == policy.current_version_id,
            }
        )
    return list(out.values())


def step_reach(version: PolicyVersion, actions: list[str], user) -> dict[str, int]:
    """How many people each approval step on the page notifies, for its confirm dialog: the
    owning head (submit), operations management (the department's approval), the people asked
    to read it once published (the operations approval), the author (return). A query or two,
    only for those who may take a step."""
    from apps.accounts.permissions import users_with_role
    from apps.accounts.roles import Role

    reach = {}
    head_id = version.policy.owning_department.head_id
    if "submit" in actions:
        reach["submit"] = int(head_id is not None and head_id != user.pk)
    if "approve" in actions:
        if version.awaits_ops:
            reach["approve"] = ack_required_users(version).count()
        else:
            reach["approve"] = users_with_role(Role.OPS).exclude(pk=user.pk).count()
    if "return" in actions:
        reach["return"] = int(bool(version.created_by_id) and version.created_by_id != user.pk)
    return reach
