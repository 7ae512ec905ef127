from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry

MAX_QUERY = 100


def _department_choices():
    from apps.departments.models import Department

    rows = Department.objects.order_by("path").values_list("pk", "name", "depth")
    return [("", _("Any department"))] + [(pk, "\u3000" * depth + name) for pk, name, depth in rows]


class SearchForm(forms.Form):
    """The query and its filters; a bad field is dropped with a message, the rest still searches."""

    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    old = forms.BooleanField(label=_("Include superseded versions"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sources = registry.sources()
        self.fields["kind"].choices = [("", _("All kinds"))] + list(registry.kinds().items())
        categories = {v: label for s in sources for v, label in s.categories()}
        self.fields["category"].choices = [("", _("Any category"))] + list(categories.items())
        statuses = {v: label for s in sources for v, label in s.statuses()}
        self.fields["status"].choices = [("", _("Any status"))] + list(statuses.items())
        self.fields["department"].choices = _department_choices()
        for name in ("kind", "category", "department", "status"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
