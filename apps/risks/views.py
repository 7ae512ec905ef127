"""Register, heat map, risk page and the forms that act on a risk. Thin: form → service →
message → redirect; every risk is fetched through selectors.visible_risks (404 otherwise)."""

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
from django.views.decorators.http import require_POST

from apps.approvals import services as approvals
from apps.policies.selectors import visible_policies

from . import exporting, selectors, services
from .forms import (
    AcceptForm,
    AssessmentForm,
    CloseForm,
    KriForm,
    MeasureForm,
    MeasureUpdateForm,
    RegisterFilterForm,
    ResponseForm,
    ReviewForm,
    RiskEditForm,
    RiskReportForm,
)
from .models import KeyRiskIndicator, Measure, Risk
from .scoring import LEVEL_TONES, Level

view_risks = permission_required("risks.view", raise_exception=True)
PAGE_SIZE = 50


def _risk_or_404(user, code) -> Risk:
    risk = selectors.risk_for(user, code)
    if risk is None:
        raise Http404
    return risk


def _allowed(user, perm, obj) -> None:
    """The risk is visible (else 404 already): acting on it without the right is a 403."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _filters(request) -> tuple[RegisterFilterForm, dict]:
    form = RegisterFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        if filters.get("owner"):
            filters["owner"] = get_user_model().objects.filter(username=filters["owner"]).first() or -1
    cell = request.GET.get("cell", "")
    parts = cell.split("-")
    if len(parts) == 3 and parts[0] in ("inherent", "residual") and parts[1].isdigit() and parts[2].isdigit():
        filters["cell"] = (parts[0], int(parts[1]), int(parts[2]))
    return form, filters


@view_risks
def register(request):
    form, filters = _filters(request)
    risks = selectors.register(request.user, filters=filters)
    page = Paginator(risks, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.level_counts(selectors.register(request.user, filters={**filters, "level": None}))
    return render(
        request,
        "risks/register.html",
        {
            "form": form,
            "page_obj": page,
            "cell": filters.get("cell"),
            "level_cards": [
                {"level": level, "label": label, "tone": LEVEL_TONES[level], "count": counts.get(level, 0)}
                for level, label in reversed(Level.choices)
            ],
            "can_import": request.user.has_perm("risks.import"),
        },
    )


@view_risks
def export(request):
    _form, filters = _filters(request)
    data = exporting.register_xlsx(selectors.register(request.user, filters=filters))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="risk-register-{timezone.localdate():%Y%m%d}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


def _labelled(rows, scale) -> list[dict]:
    names = {lv.value: lv.label for lv in scale["likelihood"]}
    return [{"likelihood": row[0].likelihood, "label": names.get(row[0].likelihood, ""), "cells": row} for row in rows]


@view_risks
def heat_map(request):
    form, filters = _filters(request)
    filters.pop("cell", None)
    risks = selectors.register(request.user, filters=filters)
    size, table, scale = selectors.scale_size(), selectors.bands(), selectors.scale()
    maps = [
        {
            "kind": kind,
            "title": title,
            "rows": _labelled(
                selectors.heat_map(risks, residual=kind == "residual", size=size, band_table=table), scale
            ),
        }
        for kind, title in (("inherent", _("Inherent risk")), ("residual", _("Residual risk (after controls)")))
    ]
    return render(
        request,
        "risks/heat_map.html",
        {
            "maps": maps,
            "impacts": scale["impact"] or range(1, size[1] + 1),
            "query": request.GET.urlencode(),
            "form": form,
            "tones": LEVEL_TONES,
        },
    )


def _with_children(parents, children, parent_field) -> list:
    """Each parent with `.linked`: the linked articles or steps among its children (two queries).
    A child marked `.current` belongs to the parent's current version (so its anchor exists)."""
    parents = list(parents)
    ids = {p.pk for p in parents}
    by_parent = {}
    for child in children.filter(**{f"{parent_field}__in": ids}):
        parent_id = getattr(child.version, parent_field.split("__")[1])
        by_parent.setdefault(parent_id, []).append(child)
    for p in parents:
        p.linked = by_parent.get(p.pk, [])
        for child in p.linked:
            child.current = child.version_id == p.current_version_id
    return parents


@view_risks
def detail(request, code):
    risk = _risk_or_404(request.user, code)
    user = request.user
    assessments = list(risk.assessments.select_related("assessed_by")[:50])
    kris = list(risk.kris.select_related("indicator", "indicator__department"))
    return render(
        request,
        "risks/detail.html",
        {
            "risk": risk,
            "assessments": assessments,
            "trend": {
                "labels": [a.assessed_at.strftime("%Y-%m-%d") for a in reversed(assessments)],
                "inherent": [a.inherent_score for a in reversed(assessments)],
                "residual": [a.residual_score for a in reversed(assessments)],
            },
            "measures": list(risk.measures.select_related("owner")),
            "kris": [{"kri": k, "chart": exporting.kri_chart(k), "data_id": f"kri-data-{k.pk}"} for k in kris],
            "breaches": list(selectors.open_breaches(risk)),
            "reviews": list(risk.reviews.select_related("reviewed_by")[:20]),
            # A linked regulation the reader may not see stays unnamed, as everywhere.
            "policies": _with_children(
                visible_policies(user).filter(risks=risk).order_by("code"),
                risk.articles.select_related("version").order_by("version_id", "ordinal"),
                "version__policy_id",
            ),
            "processes": _with_children(
                risk.processes.order_by("code"),
                risk.steps.select_related("version").order_by("version_id", "order"),
                "version__process_id",
            ),
            "can_triage": user.has_perm("risks.triage", risk),
            "can_manage": user.has_perm("risks.manage", risk),
            "acceptance_request": approvals.request_for("risks.acceptance", risk.pk) if risk.acceptance else None,
            "accept_form": AcceptForm(initial={"owner": risk.owner_id}),
            "today": timezone.localdate(),
        },
    )


def _saved(request, form, action, message) -> bool:
    """For a valid POST run `action()`: True when it succeeded (message shown); a refusal from
    the service becomes a form error, so the page shows it with what was typed."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action()
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, message)
    return True


def _form_page(request, *, risk, form, title, action_url, submit, multipart=False):
    return render(
        request,
        "risks/form.html",
        {"risk": risk, "form": form, "title": title, "action": action_url, "submit": submit, "multipart": multipart},
    )


@permission_required("risks.report", raise_exception=True)
def report(request):
    form = RiskReportForm(request.POST or None, initial={"department": request.user.department_id})
    if request.method == "POST" and form.is_valid():
        risk = services.report_risk(reporter=request.user, **form.cleaned_data)
        messages.success(
            request, _("Risk %(code)s reported. The department head will look at it.") % {"code": risk.code}
        )
        return redirect(risk)
    return _form_page(
        request, risk=None, form=form, title=_("Report a risk"), action_url=reverse("risks:report"), submit=_("Report")
    )


@view_risks
def edit(request, code):
    risk = _risk_or_404(request.user, code)
    _allowed(request.user, "risks.manage", risk)
    links_url = reverse("risks:edit_links", args=[code])
    form = RiskEditForm(
        request.POST or None, instance=Risk.objects.get(pk=risk.pk), user=request.user, links_url=links_url
    )
    if request.method == "POST" and form.is_valid():
        services.update_risk(risk=risk, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Risk saved."))
        return redirect(risk)
    return _form_page(
        request,
        risk=risk,
        form=form,
        title=_("Edit risk"),
        action_url=reverse("risks:edit", args=[code]),
        submit=_("Save"),
    )


@view_risks
def edit_links(request, code):
    """The articles and steps offered for the regulations and processes chosen so far (HTMX)."""
    risk = _risk_or_404(request.user, code)
    _allowed(request.user, "risks.manage", risk)
    form = RiskEditForm(request.GET, instance=Risk.objects.get(pk=risk.pk), user=request.user)
    return render(request, "risks/_links.html", {"form": form})


@require_POST
@view_risks
def accept(request, code):
    risk = _risk_or_404(request.user, code)
    _allowed(request.user, "risks.triage", risk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the risk's owner."))
        return redirect(risk)
    try:
        services.accept_risk(
            risk=risk, actor=request.user, owner=form.cleaned_data["owner"], seen=request.POST.get("seen", "")
        )
        messages.success(request, _("The risk is in the register."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(risk)


@view_risks
def close(request, code):
    risk = _risk_or_404(request.user, code)
    _allowed(request.user, "risks.triage", risk)
    form = CloseForm(request.POST or None)
    if _saved(
        request,
        form,
        lambda: services.close_risk(
            risk=risk, actor=request.user, reason=form.cleaned_data["reason"], seen=request.POST.get("seen", "")
        ),
        _("The risk is closed."),
    ):
        return redirect(risk)
    return _form_page(
        request,
        risk=risk,
        form=form,
        title=_("Close the risk"),
        action_url=reverse("risks:close", args=[code]),
        submit=_("Close"),
    )


@view_risks
def assess(request, code):
    risk = _risk_or_404(request.user, code)
    _allowed(request.user, "risks.manage", risk)
    scale = selectors.scale()
    initial = {
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "residual_likelihood": risk.residual_likelihood,
        "residual_impact": risk.residual_impact,
    }
    form = AssessmentForm(request.POST or None, scale=scale, initial=initial)
    if _saved(
        request,
        form,
        lambda: services.assess(risk=risk, actor=request.user, **form.cleaned_data),
        _("Assessment saved."),
    ):
        return redirect(risk)
    bands = [(Level(level), minimum) for level, minimum in selectors.bands().items()]
    return render(request, "risks/assess.html", {"risk": risk, "form": form, "scale": scale, "bands": bands})


@view_risks
def respond(request, code):
    risk = _risk_or_404(request.user, code)
    _allowed(request.user, "risks.manage", risk)
    form = ResponseForm(request.POST or None, initial={"strategy": risk.strategy, "plan": risk.strategy_note})
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.set_response(
                risk=risk, actor=request.user, strategy=form.cleaned_data["strategy"], plan=form.cleaned_data["plan"]
            )
            if risk.acceptance_pending:
                messages.info(request, _("Accepting a high risk needs the general manager's approval; it was asked."))
            else:
                messages.success(request, _("Response saved."))
            return redirect(risk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _form_page(
        request,
        risk=risk,
        form=form,
        title=_("Response"),
        action_url=reverse("risks:respond", args=[code]),
        submit=_("Save"),
    )


@view_risks
def measure_add(request, code):
    risk = _risk_or_404(request.user, code)
    _allowed(request.user, "risks.manage", risk)
    form = MeasureForm(request.POST or None, initial={"owner": risk.owner_id})
    if _saved(
        request,
        form,
        lambda: services.add_measure(risk=risk, actor=request.user, today=timezone.localdate(), **form.cleaned_data),
        _("Measure added."),
    ):
        return redirect(risk)
    return _form_page(
        request,
        risk=risk,
        form=form,
        title=_("Add a response measure"),
        action_url=reverse("risks:measure_add", args=[code]),
        submit=_("Add"),
    )


@view_risks
def measure_update(request, code, pk):
    risk = _risk_or_404(request.user, code)
    measure = get_object_or_404(Measure.objects.select_related("risk", "owner"), pk=pk, risk=risk)
    _allowed(request.user, "risks.update_measure", measure)
    form = MeasureUpdateForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": measure.status, "progress_note": measure.progress_note},
    )
    if _saved(
        request,
        form,
        lambda: services.update_measure(
            measure=measure, actor=request.user, seen=request.POST.get("seen"), **form.cleaned_data
        ),
        _("Measure updated."),
    ):
        return redirect(risk)
    return render(
        request,
        "risks/form.html",
        {
            "risk": risk,
            "form": form,
            "title": _("Update measure: %(t)s") % {"t": measure.title},
            "action": reverse("risks:measure_update", args=[code, pk]),
            "submit": _("Save"),
            "multipart": True,
            "seen": measure.status,
        },
    )


@view_risks
def kri_bind(request, code):
    risk = _risk_or_404(request.user, code)
    _allowed(request.user, "risks.manage", risk)
    form = KriForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.bind_kri(risk=risk, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Key risk indicator bound; it is checked against the newest figure."))
        return redirect(risk)
    return _form_page(
        request,
        risk=risk,
        form=form,
        title=_("Bind a key risk indicator"),
        action_url=reverse("risks:kri_bind", args=[code]),
        submit=_("Bind"),
    )


@require_POST
@view_risks
def kri_unbind(request, code, pk):
    risk = _risk_or_404(request.user, code)
    _allowed(request.user, "risks.manage", risk)
    kri = get_object_or_404(KeyRiskIndicator, pk=pk, risk=risk)
    services.unbind_kri(kri=kri, actor=request.user)
    messages.success(request, _("Key risk indicator removed."))
    return redirect(risk)


@view_risks
def review(request, code):
    risk = _risk_or_404(request.user, code)
    _allowed(request.user, "risks.manage", risk)
    form = ReviewForm(request.POST or None)
    if _saved(
        request,
        form,
        lambda: services.record_review(risk=risk, actor=request.user, today=timezone.localdate(), **form.cleaned_data),
        _("Review recorded."),
    ):
        return redirect(risk)
    return _form_page(
        request,
        risk=risk,
        form=form,
        title=_("Record a review"),
        action_url=reverse("risks:review", args=[code]),
        submit=_("Save"),
    )
