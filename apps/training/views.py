"""Plans, courses, sessions and quizzes. Thin views: form → service → message → redirect;
objects come through the visibility selectors (404 otherwise), actions need their permission
(403 on something one may see)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.approvals import services as approvals
from apps.core.spreadsheets import table_download
from apps.departments.models import Department

from . import importing, selectors, services
from .forms import AttendanceImportForm, CourseForm, EnrollForm, PlanForm, QuestionForm, SessionForm, SurveyForm
from .models import Attendance, Course, Enrollment, Plan, QuizAttempt, Session, SurveyResponse

view_training = permission_required("training.view", raise_exception=True)


def _need(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _plan_or_404(user, pk) -> Plan:
    plan = selectors.visible_plans(user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def _course_or_404(user, pk) -> Course:
    course = selectors.course_for(user, pk)
    if course is None:
        raise Http404
    return course


def _session_or_404(user, pk) -> Session:
    session = selectors.session_for(user, pk)
    if session is None:
        raise Http404
    return session


def _saved(request, form, action, message):
    """For a valid POST run ``action()`` and return what it returned (the message shown;
    ``message`` may be a function of the result); None when the form is not posted, not
    valid, or the service refused, which becomes a form error so the page shows it with what
    was typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action()
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, message(result) if callable(message) else message)
    return result


def _acted(request, action, message) -> bool:
    """A button's POST: run ``action()``; its refusal becomes an error message (the page it
    redirects to shows it), success the given message."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, message)
    return True


def _form_page(request, form, title, back, submit, subtitle=""):
    return render(
        request,
        "training/form.html",
        {"form": form, "title": title, "back": back, "submit": submit, "subtitle": subtitle},
    )


@view_training
def home(request):
    today = timezone.localdate()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year
    plans = list(selectors.visible_plans(request.user).filter(year=year))
    progress = selectors.plan_progress(plans)
    open_sessions = (
        Session.objects.filter(
            course__plan__status=Plan.Status.APPROVED,
            course__open_signup=True,
            status=Session.Status.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .select_related("course")
        .annotate(taken=Count("enrollments"))
        .order_by("starts_at")[:10]
    )
    mine = (
        Enrollment.objects.filter(
            person=request.user, session__status=Session.Status.SCHEDULED, session__starts_at__gte=timezone.now()
        )
        .select_related("session", "session__course")
        .order_by("session__starts_at")[:10]
    )
    return render(
        request,
        "training/home.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "plans": [(p, progress.get(p.pk)) for p in plans],
            "open_sessions": open_sessions,
            "mine": mine,
            "can_manage": request.user.has_perm("training.manage") or bool(selectors.headed_paths(request.user)),
        },
    )


@view_training
def plan_create(request):
    user = request.user
    if user.has_perm("training.manage"):
        departments = Department.objects.order_by("path")
    else:
        paths = selectors.headed_paths(user)
        if not paths:
            raise PermissionDenied
        q = Q()
        for p in paths:
            q |= Q(path__startswith=p)
        departments = Department.objects.filter(q).order_by("path")
    form = PlanForm(request.POST or None, departments=departments, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["department"] is None and not user.has_perm("training.manage"):
            form.add_error("department", _("Only HR makes the company-wide plan."))
        else:
            plan = services.create_plan(actor=user, **form.cleaned_data)
            messages.success(request, _("Plan created. Add its courses, then submit it for approval."))
            return redirect(plan)
    return _form_page(request, form, _("New training plan"), reverse("training:home"), _("Create"))


@view_training
def plan(request, pk):
    plan = _plan_or_404(request.user, pk)
    courses = list(
        plan.courses.select_related("trainer").annotate(
            n_sessions=Count("sessions", distinct=True),
            held=Count("sessions", filter=Q(sessions__status=Session.Status.DONE), distinct=True),
        )
    )
    return render(
        request,
        "training/plan.html",
        {
            "plan": plan,
            "courses": courses,
            "progress": selectors.plan_progress([plan]).get(plan.pk),
            "can_manage": request.user.has_perm("training.manage_plan", plan),
            "approval": approvals.request_for("training.plan", plan.pk),
        },
    )


@require_POST
@view_training
def plan_submit(request, pk):
    plan = _plan_or_404(request.user, pk)
    _need(request.user, "training.manage_plan", plan)
    _acted(
        request, lambda: services.submit_plan(plan=plan, actor=request.user), _("The plan was submitted for approval.")
    )
    return redirect(plan)


@view_training
def course_create(request, pk):
    plan = _plan_or_404(request.user, pk)
    _need(request.user, "training.manage_plan", plan)
    form = CourseForm(request.POST or None, user=request.user, initial={"planned_month": timezone.localdate().month})
    course = _saved(
        request,
        form,
        lambda: services.add_course(plan=plan, actor=request.user, **form.cleaned_data),
        _("Course added."),
    )
    if course is not None:
        return redirect(course)
    return _form_page(request, form, _("Add a course"), plan.get_absolute_url(), _("Add"), subtitle=plan.title)


@view_training
def course(request, pk):
    course = _course_or_404(request.user, pk)
    user = request.user
    sessions = list(course.sessions.annotate(taken=Count("enrollments")).order_by("starts_at"))
    mine = set(Enrollment.objects.filter(person=user, session__course=course).values_list("session_id", flat=True))
    attempts = list(QuizAttempt.objects.filter(course=course, person=user).order_by("number"))
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "sessions": sessions,
            "mine": mine,
            "attempts": attempts,
            "has_quiz": course.questions.exists(),
            "passed": any(a.passed for a in attempts),
            "policies": list(course.policies.all()),
            "in_audience": selectors.in_audience(course, user),
            "can_manage": user.has_perm("training.manage_plan", course.plan),
        },
    )


@view_training
def session_create(request, pk):
    course = _course_or_404(request.user, pk)
    _need(request.user, "training.manage_plan", course.plan)
    form = SessionForm(request.POST or None)
    session = _saved(
        request,
        form,
        lambda: services.schedule_session(course=course, actor=request.user, **form.cleaned_data),
        _("Session scheduled."),
    )
    if session is not None:
        return redirect(session)
    return _form_page(
        request, form, _("Schedule a session"), course.get_absolute_url(), _("Schedule"), subtitle=course.title
    )


@view_training
def session(request, pk):
    session = _session_or_404(request.user, pk)
    user = request.user
    may_organise = user.has_perm("training.take_attendance", session)
    mine = Enrollment.objects.filter(session=session, person=user).first()
    roster = (
        list(
            session.enrollments.select_related("person", "person__department").order_by(
                "person__department__path", "person__username"
            )
        )
        if may_organise
        else []
    )
    enroll_form = EnrollForm(request.POST or None) if may_organise else None
    if may_organise and request.POST.get("action") == "enroll":
        enrolled = _saved(
            request,
            enroll_form,
            lambda: services.enroll(session=session, people=enroll_form.cleaned_data["people"], actor=user),
            lambda n: _("%(n)s people enrolled.") % {"n": n},
        )
        if enrolled is not None:
            return redirect(session)
    rated = SurveyResponse.objects.filter(session=session, person=user).exists()
    return render(
        request,
        "training/session.html",
        {
            "session": session,
            "course": session.course,
            "mine": mine,
            "roster": roster,
            "may_organise": may_organise,
            "enroll_form": enroll_form,
            "taken": session.enrollments.count(),
            "survey_form": SurveyForm() if mine and mine.status == Attendance.PRESENT and not rated else None,
            "statuses": [(s, label) for s, label in Attendance.choices if s != Attendance.ENROLLED],
            "started": session.starts_at <= timezone.now(),
        },
    )


@require_POST
@view_training
def session_sign_up(request, pk):
    session = _session_or_404(request.user, pk)
    _acted(request, lambda: services.sign_up(session=session, person=request.user), _("You are enrolled."))
    return redirect(session)


@require_POST
@view_training
def session_withdraw(request, pk):
    session = _session_or_404(request.user, pk)
    services.withdraw(session=session, person=request.user)
    messages.success(request, _("You are no longer enrolled."))
    return redirect(session)


@require_POST
@view_training
def session_attendance(request, pk):
    session = _session_or_404(request.user, pk)
    _need(request.user, "training.take_attendance", session)
    statuses = {}
    for key, value in request.POST.items():
        if key.startswith("person-") and key[7:].isdigit():
            statuses[int(key[7:])] = value
    _acted(
        request,
        lambda: services.record_attendance(session=session, actor=request.user, statuses=statuses),
        _("Attendance saved."),
    )
    return redirect(session)


@view_training
def session_attendance_import(request, pk):
    """Attendance from a CSV/XLSX file: every row valid, or nothing saved and each bad row named."""
    session = _session_or_404(request.user, pk)
    _need(request.user, "training.take_attendance", session)
    form = AttendanceImportForm(request.POST or None, request.FILES or None)

    def apply():
        upload = form.cleaned_data["file"]
        statuses = importing.read_attendance(session=session, filename=upload.name, data=upload.read())
        services.record_attendance(session=session, actor=request.user, statuses=statuses)
        return len(statuses)

    imported = _saved(request, form, apply, lambda n: _("Attendance of %(n)s people saved from the file.") % {"n": n})
    if imported is not None:
        return redirect(session)
    return _form_page(
        request,
        form,
        _("Import attendance"),
        session.get_absolute_url(),
        _("Import"),
        subtitle=_("%(course)s, %(when)s") % {"course": session.course.title, "when": _when(session)},
    )


@view_training
def session_roster(request, pk):
    """The roster as a spreadsheet to fill in for the attendance import."""
    session = _session_or_404(request.user, pk)
    _need(request.user, "training.take_attendance", session)
    return table_download(
        importing.roster_rows(session),
        filename=f"attendance-{session.pk}.xlsx",
        title=_("Attendance"),
        widths=[16, 14, 20, 12],
    )


def _when(session) -> str:
    return timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")


@require_POST
@view_training
def session_cancel(request, pk):
    session = _session_or_404(request.user, pk)
    _need(request.user, "training.manage_plan", session.course.plan)
    _acted(
        request,
        lambda: services.cancel_session(session=session, actor=request.user),
        _("Session cancelled; the people enrolled were told."),
    )
    return redirect(session)


@require_POST
@view_training
def session_survey(request, pk):
    session = _session_or_404(request.user, pk)
    form = SurveyForm(request.POST)
    if form.is_valid():
        _acted(
            request,
            lambda: services.submit_survey(session=session, person=request.user, **form.cleaned_data),
            _("Thank you for your rating."),
        )
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect(session)


@view_training
def question_create(request, pk):
    course = _course_or_404(request.user, pk)
    _need(request.user, "training.manage_plan", course.plan)
    form = QuestionForm(request.POST or None)
    added = _saved(
        request,
        form,
        lambda: services.add_question(
            course=course, text=form.cleaned_data["text"], kind=form.cleaned_data["kind"], choices=form.choices()
        ),
        _("Question added."),
    )
    if added is not None:
        return redirect("training:question_create", course.pk)
    return _form_page(
        request,
        form,
        _("Add a quiz question"),
        course.get_absolute_url(),
        _("Add"),
        subtitle=_("%(course)s: %(n)s questions so far") % {"course": course.title, "n": course.questions.count()},
    )


@view_training
def quiz(request, pk):
    course = _course_or_404(request.user, pk)
    questions = list(course.questions.prefetch_related("choices"))
    if not questions:
        raise Http404
    if request.method == "POST":
        answers = {}
        for q in questions:
            picked = request.POST.getlist(f"q{q.pk}")
            answers[q.pk] = {int(v) for v in picked if v.isdigit()}
        try:
            attempt = services.submit_quiz(
                course=course, person=request.user, answers=answers, today=timezone.localdate()
            )
            if attempt.passed:
                messages.success(request, _("Passed with %(score)s%%.") % {"score": attempt.score})
            else:
                messages.warning(
                    request,
                    _("%(score)s%%: below the pass mark of %(mark)s%%.")
                    % {"score": attempt.score, "mark": course.pass_mark},
                )
            return redirect(course)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(request, "training/quiz.html", {"course": course, "questions": questions})
