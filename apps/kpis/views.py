"""Pages for seeing indicators: company overview, department cards, one indicator."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from apps.core.permissions import require_perm, visible_or_404
from apps.departments.models import Department

from . import selectors
from .achievement import Status
from .models import Indicator
from .periods import Frequency, Period, reporting_month

view_kpis = require_perm("kpis.view")


def month_from(request) -> Period:
    """?month=2026-03, else the month being reported (the previous one)."""
    try:
        month = Period.parse(request.GET.get("month", ""))
        if month.frequency == Frequency.MONTHLY:
            return month
    except ValueError:
        pass
    return reporting_month(timezone.localdate())


def month_nav(month: Period, url=None) -> dict:
    """The ‹ month › arrows. `url(period)` gives the page of another month when the month is in
    the path (the entry page); otherwise the arrows set ?month= on the same page."""
    latest = reporting_month(timezone.localdate())
    prev_month, next_month = month.previous(), (month.next() if month < latest else None)
    return {
        "month": month,
        "prev_month": prev_month,
        "next_month": next_month,
        "latest_month": latest,
        "prev_url": url(prev_month) if url else "",
        "next_url": url(next_month) if url and next_month else "",
    }


def indicator_or_404(user, pk) -> Indicator:
    ind = Indicator.objects.select_related("department", "responsible", "person", "parent").filter(pk=pk).first()
    return visible_or_404(user, "kpis.view_indicator", ind)


def department_or_404(code) -> Department:
    return get_object_or_404(Department, code=code)


@view_kpis
def overview(request):
    month = month_from(request)
    department = Department.objects.filter(code=request.GET.get("department") or "").first()
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    data = selectors.overview(user=request.user, month=month, department=department, status=status)
    # one reverse() for 200 department links, not 200 (they dominated the page's time)
    dept_url = reverse("kpis:department", args=["-code-"])
    for d in data["departments"]:
        d["url"] = dept_url.replace("-code-", d["department"].code)
    page = Paginator(data["figures"], 50).get_page(request.GET.get("page"))
    return render(
        request,
        "kpis/overview.html",
        {
            **data,
            **month_nav(month),
            "page_obj": page,
            "department": department,
            "status": status,
            "statuses": Status.choices,
            "all_departments": Department.objects.filter(indicators__is_active=True)
            .distinct()
            .order_by("path")
            .only("code", "name", "depth"),
            "extra_query": (f"&department={department.code}" if department else "")
            + (f"&status={status}" if status else ""),
        },
    )


@view_kpis
def department_page(request, code):
    dept = department_or_404(code)
    month = month_from(request)
    return render(
        request,
        "kpis/department.html",
        {
            "dept": dept,
            **month_nav(month),
            "cards": selectors.department_cards(user=request.user, department=dept, month=month),
            "can_enter": request.user.has_perm("kpis.enter_department", dept),
        },
    )


@view_kpis
def indicator_page(request, pk):
    ind = indicator_or_404(request.user, pk)
    history = selectors.indicator_history(ind)
    current = history[-1] if history else None
    tree = selectors.cascade_tree(ind, current.period) if current and ind.children.exists() else None
    nodes = (
        [n for n in selectors.flatten(tree) if request.user.has_perm("kpis.view_indicator", n.figure.indicator)]
        if tree
        else []
    )
    chart = {
        "labels": [str(f.period.label) for f in history],
        "actual": [float(f.actual) if f.actual is not None else None for f in history],
        "target": [float(f.target) if f.target is not None else None for f in history],
        "status": [f.status for f in history],
        "low": float(ind.range_low) if ind.range_low is not None else None,
        "high": float(ind.range_high) if ind.range_high is not None else None,
        "unit": ind.unit,
    }
    return render(
        request,
        "kpis/indicator.html",
        {
            "ind": ind,
            "history": list(reversed(history)),
            "current": current,
            "chart": chart,
            "nodes": nodes,
            "can_enter": request.user.has_perm("kpis.enter_indicator", ind),
            "can_manage": request.user.has_perm("kpis.manage"),
            # lower is better: green/amber expressed as "how far above the target" (see achievement.py)
            "lower_bands": (100 - ind.green_pct, 100 - ind.amber_pct),
            "target_year": current.period.year if current else timezone.localdate().year,
            "processes": list(ind.processes.only("code", "name").order_by("code")),
        },
    )
