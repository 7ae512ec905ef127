"""Each person's training record, the reports, and development plans."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import exporting, selectors, services
from .forms import ActionForm, DevelopmentForm, NoteForm
from .models import DevelopmentAction, DevelopmentPlan
from .views import _saved

view_training = permission_required("training.view", raise_exception=True)
manage = permission_required("training.manage", raise_exception=True)


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@view_training
def record(request, username):
    person = get_object_or_404(get_user_model().objects.select_related("department", "position"), username=username)
    if not request.user.has_perm("training.view_record", person):
        raise Http404
    today = timezone.localdate()
    rec = selectors.person_record(person, year=_year(request), today=today)
    plans = list(DevelopmentPlan.objects.filter(person=person).order_by("-created_at")[:5])
    return render(
        request,
        "training/record.html",
        {
            "record": rec,
            "person": person,
            "today": today,
            "plans": plans,
            "steps": selectors.career_steps(person),
            "needs": selectors.open_training_needs(person),
        },
    )


@manage
def reports(request):
    year = _year(request)
    departments = selectors.hours_by_department(year)
    page = Paginator(departments, 50).get_page(request.GET.get("page"))
    plans = list(selectors.visible_plans(request.user).filter(year=year))
    progress = selectors.plan_progress(plans)  # every plan at once
    return render(
        request,
        "training/reports.html",
        {
            "year": year,
            "page_obj": page,
            "courses": selectors.course_results(year),
            "plans": [(p, progress.get(p.pk)) for p in plans],
            "regulation_needs": selectors.regulation_needs(),
            "chart": {
                "labels": [r["department"].name for r in departments[:30]],
                "average": [float(r["average"]) for r in departments[:30]],
                "minimum": float(selectors.MIN_HOURS_PER_YEAR),
            },
        },
    )


@manage
def reports_export(request):
    year = _year(request)
    data = exporting.report_xlsx(year)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="training-{year}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@view_training
def development_list(request):
    plans = selectors.visible_development_plans(request.user).order_by("status", "due_date")
    page = Paginator(plans, 30).get_page(request.GET.get("page"))
    return render(request, "training/development_list.html", {"page_obj": page})


@view_training
def development_start(request, username):
    person = get_object_or_404(get_user_model(), username=username)
    if not request.user.has_perm("training.view_record", person):
        raise Http404
    if not request.user.has_perm("training.start_development", person):
        raise PermissionDenied
    form = DevelopmentForm(request.POST or None, initial={"mentor": person.manager_id})
    plan = _saved(
        request,
        form,
        lambda: services.start_development_plan(
            person=person,
            actor=request.user,
            reason=DevelopmentPlan.Reason.MANAGER,
            today=timezone.localdate(),
            **form.cleaned_data,
        ),
        _("Development plan started."),
    )
    if plan is not None:
        return redirect(plan)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": _("Start a development plan"),
            "subtitle": person.name,
            "back": reverse("training:record", args=[person.username]),
            "submit": _("Start"),
        },
    )


@view_training
def development(request, pk):
    plan = selectors.visible_development_plans(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    user = request.user
    may_edit = user.pk != plan.person_id or user.pk == plan.mentor_id
    action_form, note_form = ActionForm(prefix="a"), NoteForm(prefix="n")
    action_form.fields["course"].queryset = selectors.visible_courses(user)
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "action" and may_edit:
                action_form = ActionForm(request.POST, prefix="a")
                action_form.fields["course"].queryset = selectors.visible_courses(user)
                if action_form.is_valid():
                    services.add_action(plan=plan, actor=user, today=timezone.localdate(), **action_form.cleaned_data)
                    return redirect(plan)
            elif what == "checkin":
                note_form = NoteForm(request.POST, prefix="n")
                if note_form.is_valid():
                    services.check_in(plan=plan, actor=user, note=note_form.cleaned_data["note"])
                    return redirect(plan)
            elif what == "done" and request.POST.get("action", "").isdigit():
                action = get_object_or_404(DevelopmentAction, pk=int(request.POST["action"]), plan=plan)
                services.complete_action(action=action, actor=user)
                return redirect(plan)
            elif what == "close" and may_edit:
                services.close_plan(
                    plan=plan, actor=user, outcome=request.POST.get("outcome", ""), done=request.POST.get("done") != "0"
                )
                messages.success(request, _("Plan closed."))
                return redirect(plan)
            elif what in ("action", "close"):
                raise PermissionDenied
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "training/development.html",
        {
            "plan": plan,
            "actions": list(plan.actions.select_related("course")),
            "checkins": list(plan.checkins.select_related("by")),
            "action_form": action_form,
            "note_form": note_form,
            "may_edit": may_edit,
        },
    )
