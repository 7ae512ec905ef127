from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StatedLimitsMixin
from apps.core.widgets import FastSelect
from apps.departments.models import Department

from .models import Delegation
from .registry import kinds
from .services import OPERATIONS

MAX_FILES = 5


class SmallWidgets:
    """Bootstrap's small controls for forms rendered field by field (filters, the flow editor)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            if isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(f.widget, forms.Select):
                f.widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                f.widget.attrs.setdefault("class", "form-control form-control-sm")


def find_person(text: str):
    text = (text or "").strip()
    if not text:
        return None
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(username=text) | Q(employee_no=text) | Q(display_name=text))
        .order_by("pk")
        .first()
    )


class OperationForm(StatedLimitsMixin, forms.Form):
    operation = forms.ChoiceField(choices=[(o, o) for o in OPERATIONS])
    opinion = forms.CharField(
        label=_("Opinion"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    seen_version = forms.IntegerField(min_value=0, required=False)
    person = forms.CharField(label=_("Person (login, employee number or name)"), required=False, max_length=100)
    to_stage = forms.IntegerField(required=False, min_value=-1, max_value=100)

    def clean(self):
        data = super().clean()
        if data.get("operation") in ("transfer", "add_before", "add_after"):
            person = find_person(data.get("person"))
            if person is None:
                self.add_error("person", _("No active person with that login, employee number or name."))
            data["target"] = person
        stage = data.get("to_stage")
        data["to_stage"] = None if stage is None or stage < 0 else stage
        return data


def kind_choices(empty=True):
    choices = [(code, k.label) for code, k in kinds().items()]
    return [("", _("All kinds")), *choices] if empty else choices


class InboxFilterForm(SmallWidgets, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.order_by("path"),
        empty_label=_("All departments"),
        widget=FastSelect,
    )
    date_from = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value is not None and not 2000 <= value.year <= 2100:
                self.add_error(name, _("Enter a date between 2000 and 2100."))
                data[name] = None
        return data


class DelegationForm(forms.ModelForm):
    person = forms.CharField(label=_("Delegate (login, employee number or name)"), max_length=100)

    class Meta:
        model = Delegation
        fields = ["kind", "start_date", "end_date", "note"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(label=_("Kind"), required=False, choices=kind_choices())
        self.order_fields(["person", "kind", "start_date", "end_date", "note"])

    def clean_person(self):
        person = find_person(self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(_("No active person with that login, employee number or name."))
        return person
