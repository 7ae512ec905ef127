import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StatedLimitsMixin
from apps.core.spreadsheets import ImportFileError, check_archive, validate_upload_size
from apps.departments.models import Department

from .models import AckScope, Confidentiality, Policy, ReviewOutcome
from .parsing import ParseInputError, read_upload

LABEL_RE = re.compile(r"^[A-Za-z0-9._-]{1,20}$")
CODE_RE = re.compile(r"^[A-Za-z0-9-]{2,40}$")


class _TreeLabels:
    """Departments listed in tree order, indented by depth."""

    def label_from_instance(self, obj):
        return "\u3000" * obj.depth + obj.name


class DepartmentChoiceField(_TreeLabels, forms.ModelChoiceField):
    pass


class DepartmentMultipleChoiceField(_TreeLabels, forms.ModelMultipleChoiceField):
    pass


class DateInput(forms.DateInput):
    input_type = "date"


class DraftTextForm(StatedLimitsMixin, forms.Form):
    """The text of a draft (pasted or uploaded) and its version details."""

    text_limits = {"text": 200_000}

    upload = forms.FileField(
        label=_("Upload a file"),
        required=False,
        help_text=_(".txt (UTF-8 or GBK), .docx, .doc, .wps or a text PDF; replaces the text below."),
        validators=[validate_upload_size],
    )
    text = forms.CharField(
        label=_("Text of the regulation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace-cjk"}),
        help_text=_("Paste the whole text. Headings may run inline; the outline below shows what was recognised."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty to use the title found in the text.")
    )
    label = forms.CharField(
        label=_("Version"), max_length=20, help_text=_("Letters, digits, dot, dash, e.g. V2 or 2026.1")
    )
    effective_date = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: the date found in the text, or the day it is published."),
    )
    change_summary = forms.CharField(
        label=_("Change summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ack_scope = forms.ChoiceField(label=_("Read and acknowledge"), choices=AckScope.choices, initial=AckScope.NONE)
    ack_departments = DepartmentMultipleChoiceField(
        label=_("Departments that must acknowledge"),
        queryset=Department.objects.order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Sub-departments are included."),
    )
    needs_training = forms.BooleanField(
        label=_("Needs training (宣贯培训)"),
        required=False,
        help_text=_("When it takes effect, everyone who must acknowledge it gets it as a training need."),
    )

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if not LABEL_RE.match(label):
            raise ValidationError(_("Use letters, digits, dot or dash only (it is part of the address)."))
        return label

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload:
            try:
                content = upload.read()
                if upload.name.lower().endswith(".docx"):
                    check_archive(content)  # a zip bomb is refused before python-docx unpacks it
                data["text"] = read_upload(upload.name, content)
            except (ParseInputError, ImportFileError) as exc:
                self.add_error("upload", str(exc))
                return data
            # Show the uploaded text in the box so the next save keeps it.
            self.data = self.data.copy()
            self.data["text"] = data["text"]
        if not (data.get("text") or "").strip() and "upload" not in self.errors:
            self.add_error("text", _("Paste the text or upload a file."))
        if data.get("ack_scope") == AckScope.DEPARTMENTS and not data.get("ack_departments"):
            self.add_error("ack_departments", _("Choose at least one department."))
        if data.get("needs_training") and data.get("ack_scope") == AckScope.NONE:
            self.add_error(
                "needs_training", _("Choose who must acknowledge it: they are the people to be trained on it.")
            )
        return data


class PolicySettingsForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = [
            "title",
            "category",
            "owning_department",
            "interpreting_department",
            "confidentiality",
            "allowed_departments",
            "review_interval_months",
            "next_review_date",
        ]
        widgets = {"next_review_date": DateInput, "allowed_departments": forms.SelectMultiple(attrs={"size": 6})}
        field_classes = {
            "owning_department": DepartmentChoiceField,
            "interpreting_department": DepartmentChoiceField,
            "allowed_departments": DepartmentMultipleChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("owning_department", "interpreting_department", "allowed_departments"):
            self.fields[name].queryset = Department.objects.order_by("path")

    def clean(self):
        data = super().clean()
        if data.get("confidentiality") == Confidentiality.RESTRICTED and not data.get("allowed_departments"):
            self.add_error("allowed_departments", _("A restricted policy needs at least one department."))
        return data


class PolicyCreateForm(DraftTextForm):
    """Import a new regulation: text + the policy's own details."""

    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. OPS-ZD-001"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)
    owning_department = DepartmentChoiceField(
        label=_("Owning department"), queryset=Department.objects.order_by("path")
    )
    interpreting_department = DepartmentChoiceField(
        label=_("Interpreting department"),
        queryset=Department.objects.order_by("path"),
        required=False,
        help_text=_("Empty: the body named in the text (由…负责解释) when it matches a department."),
    )
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices)
    allowed_departments = DepartmentMultipleChoiceField(
        label=_("Visible to departments"),
        queryset=Department.objects.order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Only for restricted policies."),
    )
    review_interval_months = forms.IntegerField(
        label=_("Review interval (months)"), min_value=1, max_value=60, initial=12
    )

    field_order = [
        "upload",
        "text",
        "code",
        "title",
        "category",
        "owning_department",
        "interpreting_department",
        "confidentiality",
        "allowed_departments",
        "review_interval_months",
        "label",
        "effective_date",
        "change_summary",
        "ack_scope",
        "ack_departments",
        "needs_training",
    ]

    def __init__(self, *args, **kwargs):
        from .models import Category

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()
        self.fields["label"].initial = "V1"

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not CODE_RE.match(code):
            raise ValidationError(_("Use letters, digits and dashes, e.g. OPS-ZD-001."))
        if Policy.objects.filter(code=code).exists():
            raise ValidationError(_("A policy with this code already exists."))
        return code

    def clean(self):
        data = super().clean()
        if data.get("confidentiality") == Confidentiality.RESTRICTED and not data.get("allowed_departments"):
            self.add_error("allowed_departments", _("A restricted policy needs at least one department."))
        return data


class CommentForm(StatedLimitsMixin, forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(StatedLimitsMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
