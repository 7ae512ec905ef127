from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StatedLimitsMixin
from apps.core.spreadsheets import validate_spreadsheet_upload
from apps.departments.models import Department, Position

from .models import TEXT_LIMIT, Course, Plan, Question

User = get_user_model()


class PlanForm(StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "year", "quarter", "department", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT})}
        help_texts = {"notes": _("At most 2,000 characters.")}

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments if departments is not None else Department.objects.all()
        self.fields["department"].empty_label = _("Company-wide")


class CourseForm(StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "goal",
            "kind",
            "trainer",
            "external_trainer",
            "hours",
            "budget",
            "planned_month",
            "audience_departments",
            "audience_positions",
            "open_signup",
            "policies",
            "pass_mark",
            "max_attempts",
            "certificate_months",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_LIMIT}),
            "audience_departments": forms.SelectMultiple(attrs={"size": 6}),
            "audience_positions": forms.SelectMultiple(attrs={"size": 6}),
            "policies": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user=None, **kwargs):
        from apps.policies.selectors import visible_policies

        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["trainer"].label_from_instance = lambda u: f"{u.name} ({u.username})"
        self.fields["audience_departments"].queryset = Department.objects.order_by("path")
        self.fields["audience_positions"].queryset = Position.objects.select_related("department").order_by("code")
        self.fields["policies"].queryset = (
            visible_policies(user).order_by("code") if user else self.fields["policies"].queryset.none()
        )
        self.fields["policies"].label_from_instance = lambda p: f"{p.code} {p.title}"


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place or link"), max_length=200)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)


class EnrollForm(StatedLimitsMixin, forms.Form):
    text_limits = {"logins": 5000}
    logins = forms.CharField(
        label=_("People (logins, one per line or separated by commas)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    department = forms.ModelChoiceField(
        label=_("Or a whole department"), required=False, queryset=None, to_field_name="code"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("path")

    def clean(self):
        data = super().clean()
        names = [
            n.strip() for n in (data.get("logins") or "").replace(",", "\n").replace("，", "\n").split() if n.strip()
        ]
        people = list(User.objects.filter(username__in=names, is_active=True))
        unknown = sorted(set(names) - {u.username for u in people})
        if unknown:
            raise forms.ValidationError(
                _("Unknown logins: %(names)s. Nobody was enrolled.") % {"names": ", ".join(unknown)}
            )
        if data.get("department"):
            people += list(User.objects.filter(is_active=True, department__path__startswith=data["department"].path))
        if not people:
            raise forms.ValidationError(_("Name at least one person or a department."))
        data["people"] = list({p.pk: p for p in people}.values())
        return data


class QuestionForm(StatedLimitsMixin, forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    answers = forms.CharField(
        label=_("Answers"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One answer per line; start a correct answer with *."),
    )

    def choices(self) -> list[tuple[str, bool]]:
        out = []
        for line in self.cleaned_data["answers"].splitlines():
            line = line.strip()
            if line:
                out.append((line.lstrip("*").strip(), line.startswith("*")))
        return out


class SurveyForm(StatedLimitsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was it?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (anonymous)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DevelopmentForm(StatedLimitsMixin, forms.Form):
    goals = forms.CharField(label=_("Goals"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    mentor = forms.ModelChoiceField(label=_("Mentor"), required=False, queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["mentor"].label_from_instance = lambda u: f"{u.name} ({u.username})"


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    course = forms.ModelChoiceField(label=_("Course (optional)"), required=False, queryset=Course.objects.none())


class NoteForm(StatedLimitsMixin, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance file (.csv or .xlsx)"),
        help_text=_("Columns 登录名 and 出勤情况 (出席, 缺席, 请假); download the roster for a file to fill in."),
        validators=[validate_spreadsheet_upload],
    )
