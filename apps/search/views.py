"""The results page and the top bar's suggestions; all reading is in selectors.py."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import registry, selectors
from .forms import MAX_QUERY, SearchForm

PAGE_SIZE = 20


def _filters(form: SearchForm) -> selectors.Filters:
    data = {name: form.cleaned_data.get(name) for name in form.fields if name not in form.errors}
    status = data.get("status") or ""
    return selectors.Filters(
        kind=data.get("kind") or "",
        category=data.get("category") or "",
        department_id=data.get("department"),
        status=status,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        # asking for superseded texts means wanting them
        include_superseded=bool(data.get("old")) or status == "superseded",
    )


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def search_page(request):
    form = SearchForm(request.GET)
    form.is_valid()
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.warning(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    raw = (request.GET.get("q") or "")[:MAX_QUERY].strip()
    filters = _filters(form)
    number = _page_number(request)
    results = selectors.search(request.user, raw, filters, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    if not results.hits and number > 1 and results.pool == 0 and not results.query.empty:
        number = 1  # past the last page: show the first
        results = selectors.search(request.user, raw, filters, offset=0, limit=PAGE_SIZE)
    pages = max(1, -(-results.pool // PAGE_SIZE))
    number = min(number, pages)
    tabs = [("", _("All"), results.total, results.capped)] + [
        (kind, label, results.counts.get(kind, 0), results.kind_capped(kind))
        for kind, label in registry.kinds().items()
    ]
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "q": raw,
            "results": results,
            "filters": filters,
            "tabs": tabs,
            "count_cap": results.count_cap,
            "page_number": number,
            "pages": pages,
            "page_range": _page_range(number, pages),
            "first_index": (number - 1) * PAGE_SIZE + 1,
            "show_filters": any(
                form.cleaned_data.get(f) for f in ("category", "department", "status", "date_from", "date_to", "old")
            )
            if hasattr(form, "cleaned_data")
            else False,
        },
    )


def _page_range(number: int, pages: int) -> list[int | None]:
    shown = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def suggest(request):
    """A fragment for the top bar. Rendered without the request's context processors: the
    page's menus and counters (unread notifications, approvals waiting) are not part of it
    and would cost their queries on every keystroke."""
    raw = (request.GET.get("q") or "")[:MAX_QUERY].strip()
    query, groups = selectors.suggest(request.user, raw)
    return HttpResponse(render_to_string("search/_suggestions.html", {"q": raw, "groups": groups, "query": query}))
