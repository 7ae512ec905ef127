from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StatedLimitsMixin
from apps.departments.models import Department, Position

from .models import Criterion, CriterionGroup, Cycle, Grade, Template

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonField(forms.CharField):
    """A person by username or employee number (a select of thousands would not do)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Username or employee number."))
        super().__init__(max_length=150, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        person = get_user_model().objects.filter(Q(username=value) | Q(employee_no=value), is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("Nobody active with username or employee number “%(v)s”.") % {"v": value})
        return person


class OpenCycleForm(forms.Form):
    code = forms.RegexField(
        label=_("Period"),
        regex=r"^\d{4}([Qq][1-4])?$",
        max_length=6,
        help_text=_("A quarter such as 2026Q3, or a year such as 2026 for the annual appraisal."),
        error_messages={"invalid": _("Use a quarter like 2026Q3 or a year like 2026.")},
    )
    cutoff_date = forms.DateField(
        label=_("Joined before"),
        required=False,
        widget=DATE,
        help_text=_("Default: the first day of the period's last month."),
    )
    self_deadline = forms.DateField(label=_("Self-assessment deadline"), required=False, widget=DATE)
    review_deadline = forms.DateField(label=_("Manager review deadline"), required=False, widget=DATE)
    calibration_deadline = forms.DateField(label=_("Calibration deadline"), required=False, widget=DATE)
    close_date = forms.DateField(label=_("Acknowledgement deadline"), required=False, widget=DATE)

    def clean_code(self):
        return self.cleaned_data["code"].upper()


class CycleSettingsForm(forms.ModelForm):
    excellent_max = forms.DecimalField(label=_("Excellent: at most (%)"), required=False, min_value=0, max_value=100)
    good_max = forms.DecimalField(label=_("Good: at most (%)"), required=False, min_value=0, max_value=100)
    fail_min = forms.DecimalField(label=_("Fail: at least (%)"), required=False, min_value=0, max_value=100)
    band_excellent = forms.DecimalField(label=_("Excellent from"), min_value=0, max_value=100)
    band_good = forms.DecimalField(label=_("Good from"), min_value=0, max_value=100)
    band_pass = forms.DecimalField(label=_("Pass from"), min_value=0, max_value=100)

    class Meta:
        model = Cycle
        fields = [
            "cutoff_date",
            "self_deadline",
            "review_deadline",
            "calibration_deadline",
            "close_date",
            "distribution_is_hard",
        ]
        widgets = dict.fromkeys(
            ["cutoff_date", "self_deadline", "review_deadline", "calibration_deadline", "close_date"], DATE
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cycle = self.instance
        bands = {b["grade"]: b["min"] for b in cycle.grade_bands}
        fd = cycle.forced_distribution or {}
        self.initial.update(
            {
                "excellent_max": (fd.get("excellent") or {}).get("max"),
                "good_max": (fd.get("good") or {}).get("max"),
                "fail_min": (fd.get("fail") or {}).get("min"),
                "band_excellent": bands.get("excellent"),
                "band_good": bands.get("good"),
                "band_pass": bands.get("pass"),
            }
        )

    def clean(self):
        data = super().clean()
        b = [data.get("band_excellent"), data.get("band_good"), data.get("band_pass")]
        if None not in b and not (b[0] > b[1] > b[2]):
            raise forms.ValidationError(_("Grade bands must descend: Excellent above Good above Pass."))
        return data

    def settings(self) -> dict:
        d = self.cleaned_data
        fields = {f: d[f] for f in self.Meta.fields}
        fields["grade_bands"] = [
            {"grade": "excellent", "min": str(d["band_excellent"])},
            {"grade": "good", "min": str(d["band_good"])},
            {"grade": "pass", "min": str(d["band_pass"])},
            {"grade": "fail", "min": "0"},
        ]
        fd = {}
        for key, grade, bound in (
            ("excellent_max", "excellent", "max"),
            ("good_max", "good", "max"),
            ("fail_min", "fail", "min"),
        ):
            if d.get(key) is not None:
                fd.setdefault(grade, {})[bound] = float(d[key])
        fields["forced_distribution"] = fd
        return fields


class CalibrateForm(StatedLimitsMixin, forms.Form):
    final_grade = forms.ChoiceField(label=_("Final grade"), choices=Grade.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(StatedLimitsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ResolveForm(StatedLimitsMixin, forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))
    final_grade = forms.ChoiceField(
        label=_("Final grade"), choices=[("", _("unchanged"))] + list(Grade.choices), required=False
    )


class FollowupForm(StatedLimitsMixin, forms.Form):
    bonus_coefficient = forms.DecimalField(
        label=_("Bonus coefficient"), required=False, min_value=0, max_value=5, decimal_places=2
    )
    promotion_recommended = forms.BooleanField(label=_("Recommended for promotion"), required=False)
    improvement_plan = forms.CharField(
        label=_("Improvement plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    improvement_owner = PersonField(label=_("Plan owner"), required=False)
    improvement_due = forms.DateField(label=_("Plan due"), required=False, widget=DATE)


class BackForm(forms.Form):
    """Taking the cycle back to its previous stage."""

    reason = forms.CharField(label=_("Reason"), max_length=2000)
    deadline = forms.DateField(
        label=_("New deadline of the reopened stage"),
        required=False,
        widget=DATE,
        help_text=_("Needed when that stage's deadline has passed."),
    )


class BulkExcludeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PersonReasonForm(forms.Form):
    person = PersonField(label=_("Employee"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PeerInviteForm(forms.Form):
    peers = forms.CharField(label=_("Colleagues"), help_text=_("Usernames or employee numbers, separated by commas."))
    criteria = forms.MultipleChoiceField(label=_("Criteria to comment on"), widget=forms.CheckboxSelectMultiple)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [(str(c["id"]), c["name"]) for c in criteria]

    def clean_peers(self):
        keys = [k.strip() for k in self.cleaned_data["peers"].replace("，", ",").split(",") if k.strip()]
        people = list(get_user_model().objects.filter(Q(username__in=keys) | Q(employee_no__in=keys), is_active=True))
        found = {p.username for p in people} | {p.employee_no for p in people}
        missing = [k for k in keys if k not in found]
        if missing:
            raise forms.ValidationError(_("Unknown: %(names)s") % {"names": ", ".join(missing)})
        return people


class TemplateForm(StatedLimitsMixin, forms.ModelForm):
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    positions = forms.ModelMultipleChoiceField(
        label=_("Positions"),
        queryset=Position.objects.select_related("department"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Template
        fields = ["name", "description", "is_default", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CriterionForm(StatedLimitsMixin, forms.ModelForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Criterion
        fields = [
            "group",
            "name",
            "weight",
            "description",
            "guidance_excellent",
            "guidance_good",
            "guidance_pass",
            "guidance_fail",
            "indicator",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 1})
            for f in ["description", "guidance_excellent", "guidance_good", "guidance_pass", "guidance_fail"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("id", "DELETE"):
                field.widget.attrs["class"] = (
                    "form-select form-select-sm" if name in ("group", "indicator") else "form-control form-control-sm"
                )
        for grade, label in Grade.choices:
            self.fields[f"guidance_{grade}"].widget.attrs["placeholder"] = label


CriterionFormSet = formset_factory(CriterionForm, extra=1, can_delete=True)

__all__ = ["CriterionGroup"]
