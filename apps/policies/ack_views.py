"""Read and acknowledge (宣贯确认): confirm, completion reports, CSV/XLSX export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.permissions import require_perm
from apps.core.spreadsheets import table_download
from apps.departments.models import Department

from . import selectors, services
from .models import Acknowledgement, AckScope, AckSource, VersionStatus
from .views import get_policy, get_version


@require_POST
def acknowledge(request, code, label):
    policy = get_policy(request.user, code)
    version = get_version(request.user, policy, label)
    try:
        services.acknowledge(user=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you: your acknowledgement is recorded."))
    return redirect(policy)


def report_scope(user) -> tuple[bool, Department | None]:
    """(may see every department, the one department a manager sees)."""
    if user.has_perm("policies.view_all_ack_reports"):
        return True, None
    dept = user.headed_departments.order_by("depth").first() if user.has_perm("policies.view_ack_report") else None
    if dept is None:
        raise PermissionDenied  # a fixed page (and a version they see): 403, apps/core/permissions.py
    return False, dept


@require_perm("policies.view_ack_report")
def ack_overview(request):
    """Every version in force that asks for acknowledgement, with completion in my scope."""
    sees_all, dept = report_scope(request.user)
    versions = list(selectors.ack_versions(request.user)[:100])
    summaries = selectors.ack_summaries(versions, within=dept)
    for v in versions:
        v.required, v.confirmed = summaries.get(v.pk, (0, 0))
        v.percent = round(100 * v.confirmed / v.required) if v.required else 100
    if dept is not None:  # a manager sees only what asks their people
        versions = [v for v in versions if v.required]
    return render(request, "policies/ack_overview.html", {"versions": versions, "dept": dept, "sees_all": sees_all})


def ack_report(request, code, label):
    policy = get_policy(request.user, code)
    version = get_version(request.user, policy, label)
    if version.status not in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED) or version.ack_scope == AckScope.NONE:
        raise Http404
    sees_all, dept = report_scope(request.user)
    if sees_all and request.GET.get("department"):
        dept = Department.objects.filter(code=request.GET["department"]).first()
    rows = selectors.ack_report(version, within=dept)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(version, rows, fmt)
    total_required = sum(r.required for r in rows)
    total_confirmed = sum(r.confirmed for r in rows)
    return render(
        request,
        "policies/ack_report.html",
        {
            "policy": policy,
            "version": version,
            "rows": rows,
            "dept": dept,
            "sees_all": sees_all,
            "total_required": total_required,
            "total_confirmed": total_confirmed,
            "percent": round(100 * total_confirmed / total_required) if total_required else 100,
            "departments": Department.objects.order_by("path") if sees_all else [],
        },
    )


def _export_rows(version, rows):
    done = {
        user_id: (at, source, via)
        for user_id, at, source, via in Acknowledgement.objects.filter(version=version).values_list(
            "user_id", "at", "source", "via"
        )
    }
    sources = dict(AckSource.choices)
    header = [
        _("Department"),
        _("Employee number"),
        _("Name"),
        _("Position"),
        _("Confirmed"),
        _("Confirmed at"),
        _("How"),
        _("Training"),
    ]
    yield header
    users = (
        selectors.ack_required_users(version)
        .select_related("department", "position")
        .order_by("department__path", "employee_no")
    )
    wanted = {r.department.pk for r in rows}
    for u in users:
        if u.department_id not in wanted:
            continue
        at, source, via = done.get(u.pk, (None, "", ""))
        yield [
            u.department.name,
            u.employee_no or "",
            u.name,
            u.position.name if u.position else "",
            _("Yes") if at else _("No"),
            at.strftime("%Y-%m-%d %H:%M") if at else "",
            str(sources[source]) if source else "",
            via,
        ]


def _export(version, rows, fmt):
    filename = f"ack-{version.policy.code}-{version.label}.{fmt}"
    return table_download(_export_rows(version, rows), filename=filename, title=version.policy.code)
