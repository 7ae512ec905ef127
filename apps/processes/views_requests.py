"""Change requests (流程变更申请): propose, edit, decide, inbox, delegation, stage report."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.permissions import require_perm

from . import diagram, selectors, services
from . import steps as steplib
from . import workflow as wf
from .forms import ChangeRequestForm, DecisionForm, DelegationForm, StepFormSet, step_initial
from .models import ChangeRequest, Delegation, Process

view_catalogue = require_perm("processes.view_catalogue")


def _load_request(request, pk, perm="processes.view_change_request") -> ChangeRequest:
    try:
        cr = selectors.change_request_detail(pk)
    except ChangeRequest.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm(perm, cr):
        raise Http404
    return cr


def _save_steps_form(request, *, process, cr=None):
    """The proposal page for a new request (cr None) or an editable one."""
    base = cr.proposed_steps if cr else steplib.version_steps(process.current_version)
    # A new request may arrive prefilled (?title=&reason=, e.g. from a meeting decision).
    prefill = {k: request.GET[k][:2000] for k in ("title", "reason") if cr is None and k in request.GET}
    form = ChangeRequestForm(request.POST or None, instance=cr, prefix="cr", initial=prefill or None)
    formset = StepFormSet(request.POST or None, initial=step_initial(base), prefix="steps")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: form.cleaned_data[k] for k in ChangeRequestForm.Meta.fields}
        steps = formset.steps()
        try:
            if cr is None:
                cr = services.change_request_create(process=process, proposer=request.user, steps=steps, **data)
            else:
                revision = request.POST.get("revision", "")
                cr = services.change_request_update(
                    cr=cr,
                    user=request.user,
                    steps=steps,
                    expected_revision=int(revision) if revision.isdigit() else 0,
                    **data,
                )
        except (ValidationError, services.WorkflowError) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            if "submit" not in request.POST:
                messages.success(request, _("Draft saved."))
                return redirect("processes:cr_edit", cr.pk) if "more" in request.POST else redirect(cr)
            # The draft is saved either way; a refused submission leaves it there, not a duplicate.
            try:
                cr = services.change_request_transition(cr=cr, user=request.user, action=wf.A_SUBMIT)
            except services.WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, _("Change request submitted: now “%(status)s”.") % {"status": cr.get_status_display()}
                )
            return redirect(cr)
    depts, positions = selectors.names_for(base)
    return render(
        request,
        "processes/request_form.html",
        {
            "process": process,
            "cr": cr,
            "form": form,
            "formset": formset,
            "base_svg": diagram.render(base, depts, positions) if base else "",
        },
    )


@view_catalogue
def request_create(request, code):
    try:
        process = selectors.process_detail(code)
    except Process.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("processes.propose_change", process):
        messages.error(request, _("A retired process cannot be changed."))
        return redirect(process)
    return _save_steps_form(request, process=process)


def request_edit(request, pk):
    cr = _load_request(request, pk)
    if not request.user.has_perm("processes.edit_change_request", cr):
        messages.error(request, _("Only the proposer can edit a draft or a returned request."))
        return redirect(cr)
    return _save_steps_form(request, process=cr.process, cr=cr)


def _display(field, value, depts, positions, names) -> str:
    if value in (None, "", []):
        return "—"
    if field == "department_id":
        return depts.get(value, "?")
    if field == "position_id":
        return positions.get(value, "?")
    if field == "next":
        return "、".join(
            names.get(n["to"], n["to"]) + (f"（{n['condition']}）" if n.get("condition") else "") for n in value
        )
    return str(value)


def _progress(cr: ChangeRequest, events) -> list[dict]:
    """The chain's stages with what happened to each in the current round."""
    done, skipped = {}, {}
    for e in events:
        if e.revision != cr.revision:
            continue
        if e.action == "approve":
            done[e.from_status] = e
        elif e.action == "skip":
            skipped[e.from_status] = e
    approvers = {
        ChangeRequest.Status.PENDING_HEAD: wf.department_head(cr.process.department),
        ChangeRequest.Status.PENDING_GM: wf.general_manager(),
    }
    out = []
    for stage in wf.chain(cr):
        who = approvers.get(stage)
        row = {
            "label": wf.STAGE_LABELS[stage],
            "who": who.name if who else _("Operations management"),
            "state": "upcoming",
        }
        if stage in done:
            row.update(state="done", who=done[stage].actor.name if done[stage].actor else row["who"])
        elif stage in skipped:
            row.update(state="skipped", note=skipped[stage].comment)
        elif cr.status == stage:
            row.update(state="current", who=cr.assignee.name if cr.assignee else row["who"])
        elif cr.status == ChangeRequest.Status.APPROVED:
            row["state"] = "done"
        row["icon"] = {"done": "bi-check-lg", "current": "bi-hourglass-split"}.get(row["state"], "")
        out.append(row)
    return out


def request_detail(request, pk):
    cr = _load_request(request, pk)
    base, changes = selectors.diff_for(cr)
    depts, positions = selectors.names_for(base + cr.proposed_steps)
    names = {s["key"]: s["name"] for s in base + cr.proposed_steps}
    for c in changes:
        c.display = [
            (
                f.label,
                _display(f.field, f.old, depts, positions, names),
                _display(f.field, f.new, depts, positions, names),
            )
            for f in c.fields
        ]
    highlight = {
        c.key: ("moved" if c.kind == "moved" else c.kind) for c in changes if c.kind in ("added", "changed", "moved")
    }
    events = list(selectors.change_request_events(cr))
    for e in events:
        e.stage = wf.STAGE_LABELS.get(e.from_status, "")
    stale_base = cr.base_version_id != cr.process.current_version_id
    return render(
        request,
        "processes/request_detail.html",
        {
            "cr": cr,
            "changes": changes,
            "impact": selectors.impact(changes, cr.process, depts, positions),
            "depts": depts,
            "positions": positions,
            "events": events,
            "actions": wf.allowed_actions(cr, request.user),
            "chain": wf.chain(cr),
            "svg": diagram.render(cr.proposed_steps, depts, positions, highlight=highlight, title=cr.title),
            "stale_base": stale_base and cr.is_open,
            "progress": _progress(cr, events),
            "articles": selectors.process_articles(cr.process, request.user),
            "is_changed": steplib.is_changed(changes),
            "base_version": selectors.diff_base(cr),
        },
    )


@require_POST
def request_decide(request, pk):
    cr = _load_request(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision form was incomplete; nothing was recorded."))
        return redirect(cr)
    d = form.cleaned_data
    try:
        cr = services.change_request_transition(
            cr=cr,
            user=request.user,
            action=d["action"],
            comment=d["comment"],
            expected_revision=d["revision"],
            expected_status=d["status"],
        )
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Recorded: %(action)s. The request is now “%(status)s”.")
            % {"action": wf.ACTION_LABELS[d["action"]], "status": cr.get_status_display()},
        )
    if not request.user.has_perm("processes.view_change_request", cr):
        return redirect("processes:inbox")
    return redirect(cr)


@view_catalogue
def inbox(request):
    now = timezone.now()
    page = Paginator(selectors.inbox(request.user), 30).get_page(request.GET.get("page"))
    for cr in page:
        cr.age = now - (cr.stage_entered_at or cr.created_at)
    return render(request, "processes/inbox.html", {"page_obj": page})


@view_catalogue
def request_list(request):
    qs = selectors.visible_requests(request.user)
    status = request.GET.get("status")
    if status in ChangeRequest.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("mine"):
        qs = qs.filter(proposer=request.user)
    page = Paginator(qs.order_by("-updated_at"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "processes/request_list.html",
        {"page_obj": page, "statuses": ChangeRequest.Status.choices, "status": status},
    )


@require_perm("processes.delegate")
def delegations(request):
    form = DelegationForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_create(principal=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Delegation saved."))
            return redirect("processes:delegations")
    mine = Delegation.objects.filter(principal=request.user).select_related("delegate")[:50]
    received = Delegation.objects.filter(
        delegate=request.user, cancelled_at__isnull=True, end_date__gte=timezone.localdate()
    ).select_related("principal")
    return render(
        request,
        "processes/delegations.html",
        {"form": form, "mine": mine, "received": received, "today": timezone.localdate()},
    )


@require_POST
@require_perm("processes.delegate")
def delegation_cancel(request, pk):
    delegation = get_object_or_404(Delegation, pk=pk, principal=request.user)
    services.delegation_cancel(delegation=delegation, user=request.user)
    messages.success(request, _("Delegation cancelled."))
    return redirect("processes:delegations")


@require_perm("processes.view_report")
def stage_report(request):
    days = request.GET.get("days", "90")
    days = int(days) if days.isdigit() else 90
    since = timezone.localdate() - datetime.timedelta(days=days) if days else None
    data = selectors.stage_durations(since=since)
    for group in data.values():
        for row in group:
            row["stage"] = wf.STAGE_LABELS.get(row["from_status"], row["from_status"])
    return render(request, "processes/report.html", {**data, "days": days})
