from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.forms import StatedLimitsMixin
from apps.core.widgets import FastSelect
from apps.departments.models import Department
from apps.policies.models import Policy, PolicyNode
from apps.processes.models import ProcessStep

from .models import TEXT_LIMIT, Category, Comparator, Measure, Risk, Strategy
from .scoring import Level

User = get_user_model()
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".txt", ".csv")


class PersonField(forms.ModelChoiceField):
    """A person picked by login (the select lists active people by name)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=User.objects.filter(is_active=True).order_by("username"), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.username})"


class RiskReportForm(StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Risk
        fields = [
            "title",
            "category",
            "department",
            "description",
            "causes",
            "consequences",
            "company_wide",
            "confidential",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_LIMIT}),
            "causes": forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT}),
            "consequences": forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT}),
        }
        help_texts = {"description": _("At most 2,000 characters.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["category"].label_from_instance = lambda c: c.label
        self.fields["department"].queryset = Department.objects.order_by("path")


class LinkChoiceField(forms.TypedMultipleChoiceField):
    """Ids of articles or steps. The choices shown are those of the regulations and processes
    chosen in the form; what may be saved is checked by the form against what the editor may see."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)

    def valid_value(self, value):
        return str(value).isdigit()


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


class RiskEditForm(RiskReportForm):
    has_links = True  # the form page renders the articles and steps in their own refreshable block
    owner = PersonField(label=_("Owner"), required=False)
    articles = LinkChoiceField(
        label=_("Regulation articles"),
        help_text=_("The articles of the current version of the regulations chosen above."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    steps = LinkChoiceField(
        label=_("Process steps"),
        help_text=_("The steps of the current version of the processes chosen above."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta(RiskReportForm.Meta):
        fields = [*RiskReportForm.Meta.fields, "owner", "review_date", "policies", "processes"]
        widgets = {
            **RiskReportForm.Meta.widgets,
            "review_date": forms.DateInput(attrs={"type": "date"}),
            "policies": forms.SelectMultiple(attrs={"size": 6}),
            "processes": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user=None, links_url: str = "", **kwargs):
        from apps.policies.selectors import visible_policies
        from apps.processes.models import Process

        super().__init__(*args, **kwargs)
        self.user = user
        # Only what the editor may see can be linked (a confidential regulation stays unnamed).
        self.visible_policies = visible_policies(user) if user else Policy.objects.none()
        self.fields["policies"].queryset = self.visible_policies.order_by("code")
        self.fields["processes"].queryset = Process.objects.order_by("code")
        self.fields["policies"].label_from_instance = lambda p: f"{p.code} {p.title}"
        self.fields["processes"].label_from_instance = lambda p: f"{p.code} {p.name}"
        if links_url:  # choosing a regulation or a process refreshes the articles and steps offered
            for name in ("policies", "processes"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": links_url,
                        "hx-trigger": "change",
                        "hx-include": "#id_policies, #id_processes, #id_articles, #id_steps",
                        "hx-target": "#risk-links",
                        "hx-swap": "innerHTML",
                        "hx-sync": "closest form:replace",  # the newest choice wins
                    }
                )
        pk = self.instance.pk
        if self.is_bound:
            policy_ids, process_ids = _ids(self.data.getlist("policies")), _ids(self.data.getlist("processes"))
        else:
            policy_ids = list(self.instance.policies.values_list("pk", flat=True)) if pk else []
            process_ids = list(self.instance.processes.values_list("pk", flat=True)) if pk else []
            self.initial["articles"] = list(self.instance.articles.values_list("pk", flat=True)) if pk else []
            self.initial["steps"] = list(self.instance.steps.values_list("pk", flat=True)) if pk else []
        self.fields["articles"].choices = self._article_choices(policy_ids)
        self.fields["steps"].choices = self._step_choices(process_ids)

    # --- what may be offered and saved -------------------------------------------------------
    def _articles(self):
        """Articles the editor may link: those of a visible regulation's current version, and
        those already linked of a visible regulation (an older version's article can be removed)."""
        linked = self.instance.articles.all() if self.instance.pk else PolicyNode.objects.none()
        return PolicyNode.objects.filter(version__policy__in=self.visible_policies).filter(
            Q(version__policy__current_version=F("version")) | Q(pk__in=linked.values("pk"))
        )

    def _steps(self):
        linked = self.instance.steps.all() if self.instance.pk else ProcessStep.objects.none()
        return ProcessStep.objects.filter(
            Q(version__process__current_version=F("version")) | Q(pk__in=linked.values("pk"))
        )

    def _article_choices(self, policy_ids):
        rows = (
            self._articles()
            .filter(version__policy_id__in=policy_ids)
            .select_related("version__policy")
            .order_by("version__policy__code", "version_id", "ordinal")
        )
        groups = {}
        for n in rows:
            policy = n.version.policy
            label = f"{n.label} {n.heading or n.text}".strip()
            groups.setdefault(f"{policy.code} {policy.title}", []).append((n.pk, Truncator(label).chars(60)))
        return list(groups.items())

    def _step_choices(self, process_ids):
        rows = (
            self._steps()
            .filter(version__process_id__in=process_ids)
            .select_related("version__process")
            .order_by("version__process__code", "version_id", "order")
        )
        groups = {}
        for s in rows:
            process = s.version.process
            groups.setdefault(f"{process.code} {process.name}", []).append((s.pk, f"{s.order}. {s.name}"))
        return list(groups.items())

    def clean_articles(self):
        ids = set(self.cleaned_data["articles"])
        found = list(self._articles().filter(pk__in=ids).select_related("version__policy"))
        if len(found) != len(ids):
            raise forms.ValidationError(_("An article you chose is no longer offered; choose again."))
        return found

    def clean_steps(self):
        ids = set(self.cleaned_data["steps"])
        found = list(self._steps().filter(pk__in=ids).select_related("version__process"))
        if len(found) != len(ids):
            raise forms.ValidationError(_("A process step you chose is no longer offered; choose again."))
        return found

    def clean(self):
        data = super().clean()
        # An article links its regulation, a step its process (chosen in one go, shown together).
        if "articles" in data and "policies" in data:
            data["policies"] = {*data["policies"], *(n.version.policy for n in data["articles"])}
        if "steps" in data and "processes" in data:
            data["processes"] = {*data["processes"], *(s.version.process for s in data["steps"])}
        # Links the editor may not see are kept as they are: nobody removes what they cannot know.
        if self.instance.pk and "policies" in data:
            hidden = self.instance.policies.exclude(pk__in=self.visible_policies.values("pk"))
            data["policies"] = {*data["policies"], *hidden}
        if self.instance.pk and "articles" in data:
            hidden = self.instance.articles.exclude(version__policy__in=self.visible_policies)
            data["articles"] = [*data["articles"], *hidden]
        return data


class AcceptForm(forms.Form):
    owner = PersonField(label=_("Owner"))


class CloseForm(StatedLimitsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AssessmentForm(StatedLimitsMixin, forms.Form):
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int)
    controls = forms.CharField(
        label=_("Existing controls"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 2,000 characters."),
    )
    residual_likelihood = forms.TypedChoiceField(label=_("Likelihood after controls"), coerce=int)
    residual_impact = forms.TypedChoiceField(label=_("Impact after controls"), coerce=int)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, scale: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, axis in (
            ("likelihood", "likelihood"),
            ("residual_likelihood", "likelihood"),
            ("impact", "impact"),
            ("residual_impact", "impact"),
        ):
            levels = scale[axis]
            self.fields[name].choices = [(lv.value, f"{lv.value} · {lv.label}") for lv in levels] or [
                (n, str(n)) for n in range(1, 6)
            ]


class ResponseForm(StatedLimitsMixin, forms.Form):
    strategy = forms.ChoiceField(label=_("Response"), choices=Strategy.choices)
    plan = forms.CharField(
        label=_("Response plan"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=200)
    owner = PersonField(label=_("Owner"))
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class MeasureUpdateForm(StatedLimitsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    progress_note = forms.CharField(
        label=_("Progress"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(
        label=_("Evidence"), required=False, help_text=_("PDF, image, Word, Excel or text; at most 10 MB.")
    )

    def clean_evidence(self):
        f = self.cleaned_data.get("evidence")
        if f:
            if f.size > EVIDENCE_MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 10 MB."))
            if not f.name.lower().endswith(EVIDENCE_TYPES):
                raise forms.ValidationError(_("This type of file is not accepted as evidence."))
        return f


class KriForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=None)
    comparator = forms.ChoiceField(label=_("Warn when the figure is"), choices=Comparator.choices)
    threshold = forms.DecimalField(label=_("Threshold"), max_digits=18, decimal_places=4)

    def __init__(self, *args, **kwargs):
        from apps.kpis.models import Indicator

        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(is_active=True).order_by("code")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} {i.name}"


class ReviewForm(StatedLimitsMixin, forms.Form):
    note = forms.CharField(label=_("Review note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    next_review = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    level = forms.ChoiceField(
        label=pgettext_lazy("risk level", "Level"), required=False, choices=[("", _("All"))] + list(Level.choices)
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=None,
        to_field_name="code",
        empty_label=_("All"),
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Not closed"))] + list(Risk.Status.choices)
    )
    owner = forms.CharField(label=_("Owner (login)"), required=False, max_length=150)
    warning = forms.BooleanField(label=_("Early warning only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All"))] + [(c.code, c.label) for c in Category.objects.all()]
        self.fields["department"].queryset = Department.objects.order_by("path")
        for name, field in self.fields.items():
            if name == "warning":
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"
