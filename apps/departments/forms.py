from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StatedLimitsMixin
from apps.core.spreadsheets import validate_spreadsheet_upload

from .models import Department, Position
from .services import validate_parent


class DepartmentForm(StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "code", "parent", "head", "sort_order", "description", "responsibilities"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "responsibilities": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "code": _("Letters, digits and hyphens; used in links, e.g. ops-planning."),
            "responsibilities": _("One responsibility per line."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Department.objects.order_by("path")
        self.fields["parent"].label_from_instance = lambda d: "— " * d.depth + d.name
        self.fields["head"].queryset = get_user_model().objects.filter(is_active=True).order_by("employee_no")
        self.fields["head"].label_from_instance = lambda u: f"{u.name} ({u.employee_no or u.username})"

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        try:
            validate_parent(self.instance, parent)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["parent"]) from exc
        return parent


class PositionForm(StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Position
        fields = ["name", "code", "is_head", "sort_order", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"duties": _("One duty per line.")}


class EmployeeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Employee file"),
        help_text=_("CSV (UTF-8 or GBK) or Excel .xlsx, first row is the header."),
        validators=[validate_spreadsheet_upload],
    )
