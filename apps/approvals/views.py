"""我的审批 (the inbox), the request page and its operations, delegations. Thin: form →
service → message → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.once import once_per_submit

from . import selectors, services
from .forms import MAX_FILES, DelegationForm, InboxFilterForm, OperationForm
from .models import Attachment, Delegation, Request
from .registry import kind_for, kinds

view_inbox = permission_required("approvals.view_inbox", raise_exception=True)

OPERATION_LABELS = {
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "return": gettext_lazy("Return"),
    "transfer": gettext_lazy("Transfer"),
    "add_before": gettext_lazy("Add an approver before me"),
    "add_after": gettext_lazy("Add an approver after me"),
    "withdraw": gettext_lazy("Withdraw"),
    "urge": gettext_lazy("Urge"),
    "comment": gettext_lazy("Comment"),
}


@view_inbox
def inbox(request):
    tab = request.GET.get("tab", "waiting")
    if tab not in selectors.TABS:
        tab = "waiting"
    form = InboxFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    page = selectors.inbox_page(request.user, tab=tab, page=request.GET.get("page"), **filters)
    labels = {code: k.label for code, k in kinds().items()}
    now = timezone.now()
    rows = []
    for item in page:
        req = item if tab == "mine" else item.request
        rows.append(
            {
                "req": req,
                "task": None if tab == "mine" else item,
                "kind": labels.get(req.kind, req.kind),
                "age": now - (item.created_at if tab == "waiting" else req.submitted_at),
            }
        )
    return render(
        request,
        "approvals/inbox.html",
        {
            "tab": tab,
            "page_obj": page,
            "rows": rows,
            "form": form,
            "tabs": _tabs(),
            "waiting": selectors.waiting_count(request.user),
        },
    )


def _tabs():
    return [
        ("waiting", _("Waiting for me")),
        ("done", _("Approved by me")),
        ("mine", _("Submitted by me")),
        ("cc", _("Copied to me")),
    ]


def _load(request, pk) -> Request:
    try:
        req = selectors.request_detail(pk)
    except Request.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("approvals.view_request", req):
        raise Http404
    return req


def request_detail(request, pk):
    req = _load(request, pk)
    kind = kind_for(req.kind)
    obj = kind.get_object(req.object_id) if kind else None
    task = selectors.my_pending_task(req, request.user)
    steps = selectors.stepper(req)
    context = {
        "req": req,
        "kind": kind,
        "object": obj,
        "steps": steps,
        "events": selectors.timeline(req),
        "returned": selectors.last_return(req),
        "reach": selectors.reach(req, task, steps),
        "task": task,
        "operations": selectors.allowed_operations(req, request.user, task),
        "return_targets": selectors.return_targets(req, steps),
        "labels": OPERATION_LABELS,
        "form": OperationForm(),
        "object_url": kind.url(obj) if kind and obj else "",
        "summary_template": kind.summary_template if kind else "approvals/summary_default.html",
    }
    if kind and obj is not None:
        context.update(kind.summary_context(obj, request.user))
    return render(request, "approvals/request.html", context)


@require_POST
def request_act(request, pk):
    req = _load(request, pk)
    form = OperationForm(request.POST)
    files = request.FILES.getlist("files")
    if len(files) > MAX_FILES:
        messages.error(request, _("Attach at most %(n)d files at once.") % {"n": MAX_FILES})
        return redirect(req)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, errors[0] if errors else _("The form was incomplete; nothing was recorded."))
        return redirect(req)
    d = form.cleaned_data
    try:
        req = services.act(
            request=req,
            actor=request.user,
            operation=d["operation"],
            opinion=d["opinion"],
            seen_version=d["seen_version"],
            target=d.get("target"),
            to_stage=d["to_stage"],
            files=files,
        )
    except services.ApprovalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Recorded: %(operation)s. The request is now “%(status)s”.")
            % {"operation": OPERATION_LABELS[d["operation"]], "status": req.get_status_display()},
        )
    if not request.user.has_perm("approvals.view_request", req):
        return redirect("approvals:inbox")
    return redirect(req)


def attachment(request, pk):
    item = get_object_or_404(Attachment.objects.select_related("event__request"), pk=pk)
    if not request.user.has_perm("approvals.view_request", item.event.request):
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@permission_required("approvals.delegate", raise_exception=True)
@once_per_submit(lambda request: reverse("approvals:delegations"))
def delegations(request):
    form = DelegationForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.delegation_create(
                principal=request.user,
                delegate=d["person"],
                kind=d["kind"],
                start_date=d["start_date"],
                end_date=d["end_date"],
                note=d["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Delegation saved."))
            return redirect("approvals:delegations")
    labels = {code: k.label for code, k in kinds().items()}
    mine = list(Delegation.objects.filter(principal=request.user).select_related("delegate")[:50])
    received = list(
        Delegation.objects.filter(
            delegate=request.user, cancelled_at__isnull=True, end_date__gte=timezone.localdate()
        ).select_related("principal")
    )
    for d in mine + received:
        d.kind_label = labels.get(d.kind, d.kind) if d.kind else _("All kinds")
    return render(
        request,
        "approvals/delegations.html",
        {"form": form, "mine": mine, "received": received, "today": timezone.localdate()},
    )


@require_POST
@permission_required("approvals.delegate", raise_exception=True)
def delegation_cancel(request, pk):
    delegation = get_object_or_404(Delegation, pk=pk, principal=request.user)
    services.delegation_cancel(delegation=delegation, user=request.user)
    messages.success(request, _("Delegation cancelled."))
    return redirect("approvals:delegations")
