"""HR pages: cycles, calibration, templates and exports. All need appraisals.manage
(HR or admin); anybody else gets a 404."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.core.navigation import safe_next
from apps.core.pagination import page_by_ids
from apps.core.params import query_int
from apps.core.permissions import require_perm
from apps.core.spreadsheets import download
from apps.departments.models import Department

from . import exports, selectors, services
from .forms import (
    BackForm,
    BulkExcludeForm,
    CriterionFormSet,
    CycleSettingsForm,
    OpenCycleForm,
    PersonReasonForm,
    TemplateForm,
)
from .models import GRADE_TONES, Cycle, Grade, Stage, Status, Template
from .opening import left_out

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
    status_counts = selectors.cycle_status_counts(cycle)
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
            "status_counts": selectors.cycle_status_counts(cycle, department=department)
            if department
            else status_counts,
            "department": department,
            "status": request.GET.get("status", ""),
            "statuses": Status.choices,
            "excluded": excluded,
            "add_form": PersonReasonForm(prefix="add"),
            "panel": selectors.stage_panel(cycle, status_counts, today=timezone.localdate()),
            "left_out": left_out(cycle) if not cycle.results_out else [],
            "can_exclude": not cycle.results_out and not excluded,
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
    extra = {}
    if action == "back":
        form = BackForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for msg in errors:
                    messages.error(request, msg)
            return redirect(cycle)
        extra = {"reason": form.cleaned_data["reason"], "deadline": form.cleaned_data["deadline"]}
    try:
        cycle = services.cycle_transition(
            cycle=cycle, action=action, actor=request.user, from_stage=request.POST.get("from", ""), **extra
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
def cycle_remind(request, code):
    cycle = get_object_or_404(Cycle, code=code)
    try:
        n = services.cycle_remind_pending(cycle=cycle, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ngettext("%(n)d person reminded.", "%(n)d people reminded.", n) % {"n": n})
    return redirect(safe_next(request, cycle.get_absolute_url()))


@hr_only
@require_POST
def cycle_exclude_many(request, code):
    cycle = get_object_or_404(Cycle, code=code)
    form = BulkExcludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(safe_next(request, cycle.get_absolute_url()))
    try:
        n = services.appraisals_exclude_many(
            cycle=cycle, ids=request.POST.getlist("ids"), actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ngettext("%(n)d person excluded.", "%(n)d people excluded.", n) % {"n": n})
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


def _posted_grades(request) -> dict[int, str]:
    """{appraisal id: grade} from the inline selects (grade-<id>), valid grades only."""
    out = {}
    for key, value in request.POST.items():
        if key.startswith("grade-") and key[6:].isdigit() and value in Grade.values:
            out[int(key[6:])] = value
    return out


def _calibration_context(request, cycle, *, overrides=None, reason="", errors=()):
    params = request.GET if request.method == "GET" else request.POST
    overview = selectors.calibration_overview(cycle, overrides)
    department = query_int(request, "department") if request.method == "GET" else None
    if department is None and str(params.get("department", "")).isdigit():
        department = int(params["department"])
    grade = params.get("grade") or None
    grade = grade if grade in Grade.values else None
    page_obj = page_by_ids(
        selectors.calibration_rows(cycle, department=department, grade=grade), params.get("page"), 50
    )
    for a in page_obj:
        a.shown_grade = (overrides or {}).get(a.pk, a.final_grade)
        a.pending = a.shown_grade != a.final_grade
    chart = {
        "labels": [r.label for r in overview["company"]],
        "percent": [r.percent for r in overview["company"]],
        "max": [r.max_percent for r in overview["company"]],
        "min": [r.min_percent for r in overview["company"]],
    }
    return {
        "cycle": cycle,
        "o": overview,
        "page_obj": page_obj,
        "chart": chart,
        "grades": Grade.choices,
        "department": department,
        "grade": grade,
        "tones": GRADE_TONES,
        "publish_problems": services.publish_problems(cycle) if cycle.stage == Stage.CALIBRATION else [],
        "can_adjust": cycle.stage == Stage.CALIBRATION,
        "reason": reason,
        "errors": errors,
        "panel": selectors.stage_panel(cycle, overview["status_counts"], today=timezone.localdate()),
    }


@hr_only
def calibration(request, code):
    cycle = get_object_or_404(Cycle, code=code)
    return render(request, "appraisals/calibration.html", _calibration_context(request, cycle))


@hr_only
@require_POST
def calibration_adjust(request, code):
    """The inline grades of the calibration list: `preview=1` redraws the distribution as it
    would be (nothing saved); otherwise the changed grades are saved with one reason. HTMX
    gets the live part of the page back; without JavaScript the page is reloaded."""
    cycle = get_object_or_404(Cycle, code=code)
    grades = _posted_grades(request)
    reason = request.POST.get("reason", "")
    is_htmx = request.headers.get("HX-Request") == "true"
    if request.POST.get("preview") == "1":
        ctx = _calibration_context(request, cycle, overrides=grades, reason=reason)
        return render(request, "appraisals/_calibration_live.html", ctx)
    try:
        n = services.appraisals_calibrate_many(cycle=cycle, actor=request.user, grades=grades, reason=reason)
    except ValidationError as exc:
        if not is_htmx:
            messages.error(request, " ".join(exc.messages))
            return redirect("appraisals:calibration", cycle.code)
        ctx = _calibration_context(request, cycle, overrides=grades, reason=reason, errors=exc.messages)
        return render(request, "appraisals/_calibration_live.html", ctx)
    text = (
        ngettext("%(n)d grade adjusted.", "%(n)d grades adjusted.", n) % {"n": n}
        if n
        else _("Nothing to save: every grade is as stored.")
    )
    if not is_htmx:
        messages.success(request, text)
        return redirect("appraisals:calibration", cycle.code)
    cycle.refresh_from_db()
    ctx = _calibration_context(request, cycle)
    ctx["saved"] = text
    return render(request, "appraisals/_calibration_live.html", ctx)


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
