"""The library list's filters. The queryset it filters is always visible_policies(user)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from apps.core.fields import FIRST_YEAR, LAST_YEAR
from apps.core.widgets import FastSelect
from apps.departments.models import Department

from .models import Category, PolicyNode, PolicyStatus

SORTS = {
    "code": ("code",),
    "title": ("title", "code"),
    "-effective": ("-current_version__effective_date", "code"),
    "effective": ("current_version__effective_date", "code"),
    "-updated": ("-updated_at", "code"),
}


class PolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Title, code or words in the text")}),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="code",
        empty_label=_("All categories"),
        widget=FastSelect,
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        field_name="owning_department",
        queryset=Department.objects.order_by("path").only("code", "name"),
        to_field_name="code",
        empty_label=_("All departments"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PolicyStatus.choices, empty_label=_("Any status"))
    year = django_filters.NumberFilter(
        label=_("Year in force"),
        field_name="current_version__effective_date",
        lookup_expr="year",
        min_value=FIRST_YEAR,  # a year the database cannot hold is a message, not a crash
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"placeholder": "2026"}),
    )
    needs_ack = django_filters.BooleanFilter(
        label=_("Needs my acknowledgement"), method="filter_needs_ack", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        method="sort_by",
        empty_label=None,
        choices=[
            ("code", _("Code")),
            ("title", _("Title")),
            ("-effective", _("Newest in force")),
            ("effective", _("Oldest in force")),
            ("-updated", _("Recently changed")),
        ],
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for name in ("category", "department", "status", "sort"):
            self.form.fields[name].widget.attrs["class"] = "form-select"

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Chinese has no spaces: substring match, served by the trigram GIN indexes.
        in_text = Exists(PolicyNode.objects.filter(version_id=OuterRef("current_version_id"), text__contains=value))
        return queryset.filter(Q(title__icontains=value) | Q(code__icontains=value) | Q(in_text))

    def filter_needs_ack(self, queryset, name, value):
        if not value or self.user is None:
            return queryset
        from .selectors import policies_needing_ack

        return queryset.filter(pk__in=policies_needing_ack(self.user).values("pk"))

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["code"]))
