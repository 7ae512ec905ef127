"""The flow editor (administrators) and the time-in-stage report with its XLSX export."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.spreadsheets import table_download
from apps.core.versions import version_label

from . import flows, selectors
from .forms import kind_choices
from .forms_flow import PreviewForm, StageFormSet, stage_initial
from .models import Flow, FlowVersion
from .registry import kind_for, kinds

edit_flows = permission_required("approvals.edit_flows", raise_exception=True)
view_report = permission_required("approvals.view_report", raise_exception=True)


@edit_flows
def flow_list(request):
    versions = {f.kind: f.current for f in Flow.objects.select_related("current")}
    rows = []
    for code, kind in kinds().items():
        current = versions.get(code)
        stages = current.stages if current else flows.validate_stages(kind.default_stages)
        rows.append({"code": code, "label": kind.label, "version": current.number if current else 1, "stages": stages})
    return render(request, "approvals/flow_list.html", {"rows": rows})


def _preview(kind, stages: list[dict], form: PreviewForm) -> list[dict]:
    d = form.cleaned_data
    facts = {"major": d["major"], "crosses": d["crosses"]}
    for name in kind.fields:
        if d.get("amount") is not None:
            facts[name] = float(d["amount"])
    out = []
    for stage in stages:
        applies = flows.applies(stage, facts)
        found = flows.resolve(stage, proposer=d["person"], department=d["department"], owner_department=d["department"])
        out.append(
            {
                "name": stage["name"],
                "mode": dict(flows.Mode.choices)[stage["mode"]],
                "applies": applies,
                "people": [p.name for p in found.approvers[:20]],
                "more": max(0, len(found.approvers) - 20),
                "substituted": [(a.name, b.name if b else "") for a, b in found.substituted],
            }
        )
    return out


@edit_flows
def flow_edit(request, kind):
    spec = kind_for(kind)
    if spec is None:
        raise Http404
    current = flows.current_version(spec)
    user_ids = {a["user"] for s in current.stages for a in s["approvers"] if a["type"] == "user"}
    users = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
    formset = StageFormSet(request.POST or None, initial=stage_initial(current.stages, users), prefix="stages")
    if request.method == "POST" and formset.is_valid():
        rows = [f for f in formset.ordered_forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            version = flows.save_version(
                kind=spec,
                stages=[f.cleaned_data["stage"] for f in rows],
                user=request.user,
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("%(v)s saved; requests already running keep the version they started with.")
                % {"v": version_label(version)},
            )
            return redirect("approvals:flow_edit", kind)
    preview_form = PreviewForm(request.GET or None)
    preview = _preview(spec, current.stages, preview_form) if preview_form.is_valid() else None
    history = FlowVersion.objects.filter(flow__kind=kind).select_related("created_by").order_by("-number")[:10]
    return render(
        request,
        "approvals/flow_edit.html",
        {
            "kind": spec,
            "current": current,
            "formset": formset,
            "preview_form": preview_form,
            "preview": preview,
            "history": history,
            "fields": spec.fields,
        },
    )


def _report_filters(request):
    days = request.GET.get("days", "90")
    days = int(days) if days.isdigit() and int(days) <= 3650 else 90
    kind = request.GET.get("kind", "")
    if kind and kind_for(kind) is None:
        kind = ""
    since = timezone.localdate() - datetime.timedelta(days=days) if days else None
    return days, kind, since


def _hours(value) -> float:
    return round(value.total_seconds() / 3600, 1) if value else 0.0


@view_report
def report(request):
    days, kind, since = _report_filters(request)
    rows = selectors.stage_times(since=since, kind=kind)
    for row in rows:
        row["average_h"], row["longest_h"] = _hours(row["average"]), _hours(row["longest"])
    if request.GET.get("format") == "xlsx":
        return _xlsx(rows, days)
    older = request.GET.get("older", "")
    older = int(older) if older.isdigit() and int(older) <= 3650 else 0
    now = timezone.now()
    waiting = list(selectors.waiting_now(kind, older_than_days=older, now=now)[:50])
    for stage in waiting:
        stage.age = now - stage.entered_at
    return render(
        request,
        "approvals/report.html",
        {
            "rows": rows,
            "days": days,
            "kind": kind,
            "kinds": kind_choices(),
            "waiting": waiting,
            "older": older,
            "older_options": (0, 3, 7),
        },
    )


def _xlsx(rows, days) -> HttpResponse:
    header = [
        _("Kind"),
        _("Stage"),
        _("Decisions"),
        _("Average (hours)"),
        _("Longest (hours)"),
        _("Returned"),
        _("Rejected"),
    ]
    body = [
        [
            str(row["kind_label"]),
            row["stage_name"],
            row["decisions"],
            row["average_h"],
            row["longest_h"],
            row["returned"],
            row["rejected"],
        ]
        for row in rows
    ]
    return table_download([header, *body], filename=f"approval-stage-times-{days}d.xlsx", title=_("Time in stage"))
