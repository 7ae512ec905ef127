"""Change requests (流程变更申请): propose, edit, submit. Their approval (decisions, the
inbox, delegation, the stage report) is the approvals engine's; the old addresses lead there."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.approvals.services import ApprovalError
from apps.core.once import once_per_submit
from apps.core.permissions import require_perm

from . import diagram, selectors, services
from . import steps as steplib
from . import workflow as wf
from .forms import ChangeRequestForm, DecisionForm, StepFormSet, step_initial
from .models import ChangeRequest, Process

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
    answer = request.POST.get("answer", "").strip()[:2000]
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
        except (ValidationError, ApprovalError) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            if "submit" not in request.POST:
                messages.success(request, _("Draft saved."))
                return redirect("processes:cr_edit", cr.pk) if "more" in request.POST else redirect(cr)
            # The draft is saved either way; a refused submission leaves it there, not a duplicate.
            # The proposer's answer to a return goes on the timeline with the resubmission.
            try:
                cr = services.change_request_submit(cr=cr, user=request.user, comment=answer)
            except ApprovalError as exc:
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
            "returned": _returned(cr),
            "answer": answer,
        },
    )


def _returned(cr):
    """The approver's return (who, when, their comment) while the request is back with its proposer."""
    from apps.approvals.selectors import last_return

    return (
        last_return(services.approval_of(cr)) if cr is not None and cr.status == ChangeRequest.Status.RETURNED else None
    )


@view_catalogue
@once_per_submit(lambda request, code: reverse("processes:cr_list") + "?mine=1")
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


def change_request_context(cr: ChangeRequest, user) -> dict:
    """What the request's own summary shows: the diff, the impact, the proposed swimlane."""
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
    stale_base = cr.base_version_id != cr.process.current_version_id
    return {
        "cr": cr,
        "changes": changes,
        "impact": selectors.impact(changes, cr.process, depts, positions),
        "depts": depts,
        "positions": positions,
        "svg": diagram.render(cr.proposed_steps, depts, positions, highlight=highlight, title=cr.title),
        "stale_base": stale_base and cr.is_open,
        "articles": selectors.process_articles(cr.process, user),
        "is_changed": steplib.is_changed(changes),
        "base_version": selectors.diff_base(cr),
        "can_edit_cr": user.has_perm("processes.edit_change_request", cr),
    }


def request_detail(request, pk):
    """A submitted request lives on its approval page; a draft is shown here."""
    cr = _load_request(request, pk)
    approval = services.approval_of(cr)
    if approval is not None and cr.status != ChangeRequest.Status.DRAFT:
        return redirect(approval)
    context = change_request_context(cr, request.user)
    context["actions"] = ["submit", "withdraw"] if request.user.pk == cr.proposer_id and cr.is_open else []
    if approval is not None:
        from apps.approvals.selectors import next_asked, stepper

        context["steps"] = stepper(approval)
        context["approval"] = approval
        context["submit_reach"] = next_asked(context["steps"], cr.proposer.name)
    return render(request, "processes/request_detail.html", context)


@require_POST
def request_decide(request, pk):
    """The proposer submits or withdraws a draft or returned request."""
    cr = _load_request(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision form was incomplete; nothing was recorded."))
        return redirect(cr)
    d = form.cleaned_data
    try:
        cr = services.change_request_transition(cr=cr, user=request.user, action=d["action"], comment=d["comment"])
    except ApprovalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded. The request is now “%(status)s”.") % {"status": cr.get_status_display()})
    return redirect(cr)


@view_catalogue
def inbox(request):
    return redirect(reverse("approvals:inbox") + "?kind=" + wf.KIND)


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


def delegations(request):
    return redirect("approvals:delegations")


def stage_report(request):
    return redirect(reverse("approvals:report") + "?kind=" + wf.KIND)
