from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.core.spreadsheets import table_download

from . import selectors
from .forms import SearchForm

EXPORT_LIMIT = 50000


@permission_required("audit.view", raise_exception=True)
def trail(request):
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.search(**{k: v for k, v in filters.items() if v})
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return table_download(_export_rows(events[:EXPORT_LIMIT]), filename=f"audit-trail.{fmt}", title="audit")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = [selectors.describe(e) for e in page]
    return render(request, "audit/trail.html", {"form": form, "page_obj": page, "rows": rows})


def _export_rows(events):
    yield [_("When"), _("Change"), _("Record"), _("Id"), _("By"), _("Address"), _("Field"), _("Old"), _("New")]
    for event in events.iterator(chunk_size=2000):
        d = selectors.describe(event)
        base = [d["at"], d["label"], d["model"], d["object_id"], d["who"], d["url"]]
        for field, old, new in d["changes"] or [("", None, None)]:
            yield [*base, field, _cell(old), _cell(new)]


def _cell(value):
    return "" if value is None else str(value)
