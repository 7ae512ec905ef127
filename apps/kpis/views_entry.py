"""Pages for entering figures: the department form (HTMX per field), one figure with
evidence and history, spreadsheet import/export, targets, locks and definitions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core import imports
from apps.core.permissions import require_perm
from apps.core.spreadsheets import download
from apps.departments.permissions import heads_a_department

from . import importing, selectors, services
from .forms import ImportForm, IndicatorForm, MeasurementForm, TargetYearForm, out_of_range_message, parse_number
from .models import FigureImport, Measurement, PeriodLock
from .periods import Frequency, Period, not_begun, not_begun_message, reporting_month
from .views import department_or_404, indicator_or_404, month_nav, view_kpis

manage = require_perm("kpis.manage")


def _entry_context(request, code, month_key):
    dept = department_or_404(code)
    if not request.user.has_perm("kpis.enter_department", dept):
        raise PermissionDenied  # departments are known to everybody: 403
    try:
        month = Period.parse(month_key)
    except ValueError:
        raise Http404 from None
    if month.frequency != Frequency.MONTHLY:
        raise Http404
    return dept, month


def _row_context(request, row):
    ind = row["indicator"]
    row["not_begun"] = not_begun(row["period"], timezone.localdate())
    row["can_edit"] = (
        request.user.has_perm("kpis.enter_indicator", ind)
        and (not row["locked"] or request.user.has_perm("kpis.enter_locked"))
        and not row["not_begun"]
    )
    return row


@view_kpis
def enter(request, code, month):
    dept, month = _entry_context(request, code, month)
    rows = [_row_context(request, r) for r in selectors.entry_rows(user=request.user, department=dept, month=month)]
    nav = month_nav(month, url=lambda p: reverse("kpis:enter", args=[dept.code, p.key]))
    future = not_begun_message(month) if not_begun(month, timezone.localdate()) else ""
    return render(request, "kpis/enter.html", {"dept": dept, "rows": rows, "not_begun_message": future, **nav})


@require_POST
@view_kpis
def enter_field(request, code, month, pk):
    """HTMX: save one figure from the department form and return its row."""
    dept, month = _entry_context(request, code, month)
    rows = [r for r in selectors.entry_rows(user=request.user, department=dept, month=month) if r["indicator"].pk == pk]
    if not rows:
        raise Http404
    row = _row_context(request, rows[0])
    ind, error, warning = row["indicator"], "", ""
    # fields are named per row (v<pk>, n<pk>): the rows share one <form>
    typed = request.POST.get(f"v{pk}", request.POST.get("value", ""))
    note = request.POST.get(f"n{pk}", request.POST.get("note", ""))
    if not row["can_edit"]:
        if row["not_begun"]:
            error = not_begun_message(row["period"])
        elif row["locked"]:
            error = _("Period %(p)s is locked.") % {"p": row["period"].label}
        else:
            error = _("You may not enter figures for this indicator.")
    else:
        try:
            value = parse_number(typed)
        except ValueError:
            error = _("Numbers only, e.g. 1234.5.")
        else:
            warning = out_of_range_message(ind, value)
            if warning and request.POST.get("confirm") != "1":
                pass  # flagged, not saved: the row offers "save anyway"
            else:
                warning = ""
                try:
                    services.measurement_save(
                        indicator=ind,
                        period=row["period"],
                        value=value,
                        note=note[:500],
                        by=request.user,
                        source="inline",
                        locked=row["locked"],
                    )
                except (ValidationError, services.PeriodLocked) as exc:
                    error = " ".join(exc.messages) if hasattr(exc, "messages") else str(exc)
                else:
                    row = _row_context(
                        request,
                        [
                            r
                            for r in selectors.entry_rows(user=request.user, department=dept, month=month)
                            if r["indicator"].pk == pk
                        ][0],
                    )
                    row["saved"] = True
    row.update({"error": error, "warning": warning, "typed": typed, "typed_note": note})
    return render(request, "kpis/_entry_row.html", {"r": row, "dept": dept, "month": month})


@view_kpis
def measurement(request, pk, period):
    ind = indicator_or_404(request.user, pk)
    try:
        period = Period.parse(period)
    except ValueError:
        raise Http404 from None
    if period.frequency != ind.frequency:
        raise Http404
    m = Measurement.objects.filter(indicator=ind, year=period.year, index=period.index).first()
    locked = services.is_locked(period)
    can_edit = request.user.has_perm("kpis.enter_indicator", ind) and (
        not locked or request.user.has_perm("kpis.enter_locked")
    )
    initial = {"value": importing._plain(m.value) if m else None, "note": m.note if m else ""}
    form = MeasurementForm(request.POST or None, request.FILES or None, indicator=ind, initial=initial)
    if request.method == "POST":
        if not can_edit:
            # They see the indicator: 403 (PeriodLocked says why when only the lock stops them).
            raise services.PeriodLocked if request.user.has_perm("kpis.enter_indicator", ind) else PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.measurement_save(
                    indicator=ind,
                    period=period,
                    value=d["value"],
                    note=d["note"],
                    evidence=d["evidence"],
                    reason=d["reason"],
                    by=request.user,
                    locked=locked,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Figure for %(p)s saved.") % {"p": period.label})
                return redirect(ind)
    revisions = m.revisions.select_related("changed_by") if m else []
    target = ind.targets.filter(year=period.year, index=period.index).first()
    return render(
        request,
        "kpis/measurement.html",
        {
            "ind": ind,
            "period": period,
            "m": m,
            "form": form,
            "locked": locked,
            "can_edit": can_edit,
            "revisions": revisions,
            "figure": selectors.evaluate_figure(ind, period, m.value if m else None, target, m),
        },
    )


@view_kpis
def evidence(request, pk, period):
    ind = indicator_or_404(request.user, pk)
    try:
        period = Period.parse(period)
    except ValueError:
        raise Http404 from None
    m = Measurement.objects.filter(indicator=ind, year=period.year, index=period.index).exclude(evidence="").first()
    if m is None:
        raise Http404
    return FileResponse(m.evidence.open("rb"), as_attachment=True, filename=m.evidence.name.rsplit("/", 1)[-1])


@view_kpis
def export(request, code, month, fmt, blank=False):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    dept, month = _entry_context(request, code, month)
    rows = importing.export_rows(selectors.entry_rows(user=request.user, department=dept, month=month))
    if blank:
        rows = [rows[0]] + [r[:5] + ["", ""] for r in rows[1:]]
    name = f"kpis-{dept.code}-{month.key}{'-template' if blank else ''}.{fmt}"
    return download(importing.to_xlsx(rows) if fmt == "xlsx" else importing.to_csv(rows), name)


@view_kpis
def template(request, code, month, fmt):
    return export(request, code, month, fmt, blank=True)


def _may_import(user) -> bool:
    return user.has_perm("kpis.manage") or heads_a_department(user) or user.responsible_indicators.exists()


@view_kpis
def import_upload(request):
    if not _may_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        queued = imports.start(request, kind=importing.IMPORT_KIND, upload=upload, data=data)
        if queued:
            return queued
        try:
            raw = importing.read_table(upload.name, data)
        except importing.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            batch = FigureImport.objects.create(created_by=request.user, filename=upload.name, rows=raw)
            return redirect("kpis:import_preview", batch.pk)
    month = reporting_month(timezone.localdate())
    depts = request.user.headed_departments.all() if not request.user.has_perm("kpis.manage") else []
    return render(request, "kpis/import.html", {"form": form, "month": month, "depts": depts})


@view_kpis
def import_preview(request, pk):
    batch = get_object_or_404(FigureImport, pk=pk, created_by=request.user)
    if request.method == "POST" and not batch.applied_at:
        try:
            count = services.figure_import_apply(batch=batch, by=request.user)
        except services.ImportNotValid:
            messages.error(request, _("The file has errors; nothing was saved."))
        else:
            messages.success(request, _("Import done: %(n)d figures saved.") % {"n": count})
            return redirect("kpis:overview")
    rows = importing.validate_rows(batch.rows, user=request.user)
    return render(
        request,
        "kpis/import_preview.html",
        {
            "batch": batch,
            "rows": rows,
            "bad_count": sum(1 for r in rows if r.errors),
            "save_count": sum(1 for r in rows if r.number is not None and not r.errors),
            "warn_count": sum(1 for r in rows if r.warnings),
            "overwrite_count": sum(1 for r in rows if r.overwrites and not r.errors),
        },
    )


@manage
def targets(request, pk, year):
    ind = indicator_or_404(request.user, pk)
    rows = list(ind.targets.filter(year=year))
    existing = {t.index: importing._plain(t.value) for t in rows}
    initial = {"green_pct": rows[0].green_pct, "amber_pct": rows[0].amber_pct} if rows else {}
    form = TargetYearForm(request.POST or None, indicator=ind, year=year, initial_values=existing, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        thresholds = {"green_pct": d["green_pct"], "amber_pct": d["amber_pct"]}
        if d["mode"] == TargetYearForm.MODE_EVEN:
            services.targets_set_year(indicator=ind, year=year, annual=d["annual"], by=request.user, **thresholds)
        else:
            services.targets_set_year(indicator=ind, year=year, values=form.values(), by=request.user, **thresholds)
        messages.success(request, _("Targets for %(y)d saved.") % {"y": year})
        return redirect(ind)
    return render(
        request, "kpis/targets.html", {"ind": ind, "year": year, "form": form, "years": [year - 1, year, year + 1]}
    )


@manage
def indicator_edit(request, pk=None):
    ind = indicator_or_404(request.user, pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=ind)
    if request.method == "POST" and form.is_valid():
        ind = services.indicator_save(form=form)
        messages.success(request, _("Indicator “%(name)s” saved.") % {"name": ind.name})
        return redirect(ind)
    return render(request, "kpis/indicator_form.html", {"form": form, "ind": ind})


@require_perm("kpis.lock")
def locks(request):
    if request.method == "POST":
        try:
            period = Period.parse(request.POST.get("period", ""))
        except ValueError:
            messages.error(request, _("Give a period like 2026-03, 2026-Q1 or 2026."))
        else:
            if request.POST.get("action") == "unlock":
                services.period_unlock(period=period, by=request.user)
                messages.success(request, _("Period %(p)s unlocked.") % {"p": period.label})
            else:
                services.period_lock(period=period, by=request.user)
                messages.success(request, _("Period %(p)s locked.") % {"p": period.label})
        return redirect(reverse("kpis:locks"))
    month = reporting_month(timezone.localdate())
    suggestions = [
        month,
        Period.last_ended_by(month, Frequency.QUARTERLY),
        Period.last_ended_by(month, Frequency.ANNUAL),
    ]
    return render(
        request,
        "kpis/locks.html",
        {
            # latest first by when the period ends, months and quarters interleaved
            "locks": sorted(
                PeriodLock.objects.select_related("locked_by")[:200],
                key=lambda lock: (lock.period.end, -len(lock.period.months)),
                reverse=True,
            ),
            "suggestions": suggestions,
        },
    )
