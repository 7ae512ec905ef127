"""HR pages: cycles, calibration, templates and exports. All need appraisals.manage
(HR or admin); anybody else gets a 404."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.navigation import safe_next
from apps.core.pagination import page_by_ids
from apps.core.params import query_int
from apps.core.permissions import require_perm
from apps.core.spreadsheets import download
from apps.departments.models import Department

from . import exports, selectors, services
from .forms import CriterionFormSet, CycleSettingsForm, OpenCycleForm, PersonReasonForm, TemplateForm
from .models import GRADE_TONES, Cycle, Grade, Stage, Status, Template

# HR's pages: cycles and templates are known to everybody, so others get 403 (apps/core/permissions.py).
hr_only = require_perm("appraisals.manage")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename)


@hr_only
def cycle_list(request):
    form = OpenCycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle, created = services.appraisal_cycle_open(actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Cycle %(code)s: %(n)d appraisals created.") % {"code": cycle.code, "n": created}
            )
            return redirect(cycle)
    cycles = Cycle.objects.order_by("-period_end", "kind")
    return render(request, "appraisals/cycle_list.html", {"cycles": cycles, "form": form})


@hr_only
def cycle_detail(request, code):
    cycle = get_object_or_404(Cycle, code=code)
    form = (
        CycleSettingsForm(request.POST or None, instance=cycle)
        if request.method == "POST"
        else CycleSettingsForm(instance=cycle)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update_settings(cycle=cycle, actor=request.user, **form.settings())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Cycle settings saved."))
            return redirect(cycle)
    cycle.refresh_from_db()
    excluded = request.GET.get("excluded") == "1"
    department = Department.objects.filter(code=request.GET.get("department") or "").first()
    participants = selectors.cycle_participants(
        cycle,
        q=request.GET.get("q", "").strip(),
        status=request.GET.get("status", ""),
        excluded=excluded,
        department=department,
    )
    return render(
        request,
        "appraisals/cycle_detail.html",
        {
            "cycle": cycle,
            "form": form,
            "page_obj": page_by_ids(participants, request.GET.get("page"), 50),
            "status_counts": selectors.cycle_status_counts(cycle, department=department),
            "department": department,
            "statuses": Status.choices,
            "excluded": excluded,
            "add_form": PersonReasonForm(prefix="add"),
            "publish_problems": services.publish_problems(cycle) if cycle.stage == Stage.CALIBRATION else [],
            "events": cycle.events.select_related("actor").order_by("-created_at")[:10],
            "tones": GRADE_TONES,
        },
    )


@hr_only
@require_POST
def cycle_action(request, code):
    cycle = get_object_or_404(Cycle, code=code)
    action = request.POST.get("action", "")
    try:
        cycle = services.cycle_transition(
            cycle=cycle, action=action, actor=request.user, from_stage=request.POST.get("from", "")
        )
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(
            request, _("The cycle is now in the “%(stage)s” stage.") % {"stage": cycle.get_stage_display()}
        )
    return redirect(safe_next(request, cycle.get_absolute_url()))


@hr_only
@require_POST
def cycle_add_person(request, code):
    cycle = get_object_or_404(Cycle, code=code)
    form = PersonReasonForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            appraisal = services.appraisal_add(
                cycle=cycle,
                employee=form.cleaned_data["person"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s added to the cycle.") % {"name": appraisal.employee.name})
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(cycle)


@hr_only
def calibration(request, code):
    cycle = get_object_or_404(Cycle, code=code)
    overview = selectors.calibration_overview(cycle)
    department = query_int(request, "department")
    grade = request.GET.get("grade") or None
    rows = selectors.calibration_rows(cycle, department=department, grade=grade)
    chart = {
        "labels": [r.label for r in overview["company"]],
        "percent": [r.percent for r in overview["company"]],
        "max": [r.max_percent for r in overview["company"]],
        "min": [r.min_percent for r in overview["company"]],
    }
    return render(
        request,
        "appraisals/calibration.html",
        {
            "cycle": cycle,
            "o": overview,
            "page_obj": page_by_ids(rows, request.GET.get("page"), 50),
            "chart": chart,
            "grades": Grade.choices,
            "department": department,
            "grade": grade,
            "tones": GRADE_TONES,
            "publish_problems": services.publish_problems(cycle) if cycle.stage == Stage.CALIBRATION else [],
            "can_adjust": cycle.stage == Stage.CALIBRATION,
        },
    )


@hr_only
def cycle_export(request, code):
    cycle = get_object_or_404(Cycle, code=code)
    return _xlsx(exports.cycle_results(cycle), f"appraisals-{cycle.code}.xlsx")


@hr_only
def annual_export(request, year):
    method = "annual" if request.GET.get("method") == "annual" else "average"
    return _xlsx(exports.annual_summary(year, method), f"appraisals-{year}-{method}.xlsx")


def person_history_export(request, username):
    person = get_user_model().objects.filter(username=username).first()
    if person is None or not (request.user.has_perm("appraisals.manage") or person.pk == request.user.pk):
        raise Http404
    return _xlsx(exports.employee_history(person), f"appraisals-{person.username}.xlsx")


@hr_only
def template_list(request):
    templates = Template.objects.prefetch_related("departments", "positions", "criteria__indicator")
    return render(request, "appraisals/template_list.html", {"templates": templates})


@hr_only
def template_edit(request, pk=None):
    template = get_object_or_404(Template, pk=pk) if pk else None
    initial = (
        [
            {
                "id": c.pk,
                **{
                    f: getattr(c, f)
                    for f in [
                        "group",
                        "name",
                        "weight",
                        "description",
                        "guidance_excellent",
                        "guidance_good",
                        "guidance_pass",
                        "guidance_fail",
                        "indicator",
                    ]
                },
            }
            for c in template.criteria.all()
        ]
        if template
        else []
    )
    if request.method == "POST":
        form = TemplateForm(request.POST, instance=template)
        formset = CriterionFormSet(request.POST, prefix="c")
    else:
        form = TemplateForm(
            instance=template,
            initial={
                "departments": list(template.departments.all()) if template else [],
                "positions": list(template.positions.all()) if template else [],
            },
        )
        formset = CriterionFormSet(initial=initial, prefix="c")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        criteria = [
            dict(f.cleaned_data)
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")
        ]
        for c in criteria:
            c.pop("DELETE", None)
        data = {k: form.cleaned_data[k] for k in ["name", "description", "is_default", "is_active"]}
        try:
            template = services.template_save(
                template=template,
                actor=request.user,
                data=data,
                criteria=criteria,
                departments=form.cleaned_data["departments"],
                positions=form.cleaned_data["positions"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Template saved."))
            return redirect("appraisals:templates")
    return render(request, "appraisals/template_form.html", {"form": form, "formset": formset, "template": template})
