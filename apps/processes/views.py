"""Catalogue, process page, department view, process editing and periodic reviews."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.navigation import safe_next
from apps.core.permissions import require_perm
from apps.departments.models import Department

from . import diagram, selectors, services
from . import steps as steplib
from .forms import ActionFormSet, ProcessFilter, ProcessForm, ReviewForm
from .models import ImprovementAction, Process

view_catalogue = require_perm("processes.view_catalogue")
edit_process = require_perm("processes.edit_process")


@view_catalogue
def process_list(request):
    filterset = ProcessFilter(request.GET or None, queryset=selectors.catalogue())
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "processes/process_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "today": timezone.localdate(),
        },
    )


def _load_process(code):
    try:
        return selectors.process_detail(code)
    except Process.DoesNotExist:
        raise Http404 from None


@view_catalogue
def process_detail(request, code):
    process = _load_process(code)
    number = request.GET.get("v")
    try:
        version = selectors.version_for(process, int(number) if number and number.isdigit() else None)
    except process.versions.model.DoesNotExist:
        raise Http404 from None
    rows = selectors.version_step_rows(version)
    step_dicts = steplib.version_steps(version, rows)
    depts = {r.department_id: r.department.name for r in rows}
    positions = {r.position_id: r.position.name for r in rows if r.position_id}
    names = {r.key: r for r in rows}
    return render(
        request,
        "processes/process_detail.html",
        {
            "process": process,
            "version": version,
            "rows": rows,
            "names": names,
            "is_current": version is not None and version.pk == process.current_version_id,
            "svg": diagram.render(step_dicts, depts, positions, title=process.name),
            "versions": selectors.process_versions(process),
            "open_requests": selectors.process_open_requests(process),
            "reviews": selectors.process_reviews(process),
            "articles": selectors.process_articles(process, request.user),
            "today": timezone.localdate(),
        },
    )


@edit_process
def process_edit(request, code=None):
    process = get_object_or_404(Process, code=code) if code else None
    form = ProcessForm(request.POST or None, instance=process)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.process_save(process=process, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Process “%(name)s” saved.") % {"name": process.name})
            return redirect(process)
    return render(request, "processes/process_form.html", {"form": form, "process": process})


@view_catalogue
def department_processes(request, code):
    dept = get_object_or_404(Department.objects.select_related("head"), code=code)
    steps = list(selectors.department_steps(dept))
    return render(
        request,
        "processes/department.html",
        {
            "dept": dept,
            "owned": selectors.department_processes(dept),
            "steps": steps,
            "other_steps": [s for s in steps if s.version.process.department_id != dept.pk],
        },
    )


@require_perm("processes.record_review")
def review_create(request, code):
    process = _load_process(code)
    today = timezone.localdate()
    form = ReviewForm(request.POST or None, initial={"reviewed_on": today})
    actions = ActionFormSet(request.POST or None, prefix="actions")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        rows = [f.cleaned_data for f in actions if f.cleaned_data]
        try:
            services.review_record(process=process, reviewer=request.user, actions=rows, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Review recorded; next review on %(date)s.") % {"date": form.cleaned_data["next_review_date"]},
            )
            return redirect(process.get_absolute_url() + "#reviews")
    return render(request, "processes/review_form.html", {"process": process, "form": form, "actions": actions})


@require_POST
@view_catalogue
def action_done(request, pk):
    action = get_object_or_404(ImprovementAction.objects.select_related("review__process"), pk=pk)
    try:
        services.action_complete(action=action, user=request.user)
    except services.NotAllowed:
        raise PermissionDenied from None  # the action is listed on the process page: 403
    messages.success(request, _("Improvement action marked as done."))
    return redirect(safe_next(request, action.review.process.get_absolute_url()))


@edit_process
def articles_edit(request, code):
    """Choose, policy by policy, the articles of its current version this process implements."""
    from apps.policies.selectors import visible_policies

    process = _load_process(code)
    policies = visible_policies(request.user).filter(current_version__isnull=False).order_by("code")
    wanted = request.POST.get("policy") or request.GET.get("policy")
    chosen = policies.select_related("current_version").filter(code=wanted).first() if wanted else None
    nodes = list(chosen.current_version.nodes.order_by("ordinal")) if chosen else []
    if request.method == "POST" and chosen:
        picked = {int(i) for i in request.POST.getlist("nodes") if i.isdigit()} & {n.pk for n in nodes}
        services.process_articles_set(process=process, policy=chosen, node_ids=picked)
        messages.success(request, _("Linked articles of “%(policy)s” saved.") % {"policy": chosen.title})
        return redirect(process)
    linked = set(process.articles.values_list("pk", flat=True))
    return render(
        request,
        "processes/articles_form.html",
        {
            "process": process,
            "policies": policies,
            "chosen": chosen,
            "nodes": nodes,
            "linked": linked,
        },
    )
