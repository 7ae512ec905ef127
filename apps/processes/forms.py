import re

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StatedLimitsMixin
from apps.core.widgets import FastSelect
from apps.departments.models import Department, Position

from .models import ChangeRequest, Process
from .steps import new_key, unreachable


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("employee_no", "username")


def _person_label(u) -> str:
    return f"{u.name} ({u.employee_no or u.username})"


class ProcessFilter(django_filters.FilterSet):
    REVIEW_CHOICES = (
        ("overdue", _("Review overdue")),
        ("30", _("Due within 30 days")),
        ("90", _("Due within 90 days")),
    )
    q = django_filters.CharFilter(method="search", label=_("Search"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.order_by("path"), label=_("Department"), method="in_department", widget=FastSelect
    )
    status = django_filters.ChoiceFilter(choices=Process.Status.choices, label=_("Status"))
    review = django_filters.ChoiceFilter(choices=REVIEW_CHOICES, method="review_due", label=_("Review"))

    class Meta:
        model = Process
        fields = ["q", "department", "status", "review"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].field.label_from_instance = lambda d: "— " * d.depth + d.name

    def search(self, qs, name, value):
        return qs.filter(models_q(value))

    def in_department(self, qs, name, value):
        return qs.filter(department__path__startswith=value.path)

    def review_due(self, qs, name, value):
        import datetime

        today = timezone.localdate()
        if value == "overdue":
            return qs.filter(next_review_date__lt=today, status=Process.Status.IN_USE)
        return qs.filter(
            next_review_date__lte=today + datetime.timedelta(days=int(value)), status=Process.Status.IN_USE
        )


def models_q(value: str):
    from django.db.models import Q

    return Q(code__icontains=value) | Q(name__icontains=value)


class ProcessForm(StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Process
        fields = [
            "code",
            "name",
            "department",
            "owner",
            "status",
            "purpose",
            "scope",
            "start_trigger",
            "end_condition",
            "target_cycle_days",
            "next_review_date",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "scope": forms.Textarea(attrs={"rows": 2}),
            "next_review_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("path")
        self.fields["department"].label_from_instance = lambda d: "— " * d.depth + d.name
        self.fields["owner"].queryset = _people()
        self.fields["owner"].label_from_instance = _person_label


class ChangeRequestForm(StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = ChangeRequest
        fields = ["title", "reason", "expected_effect", "urgency", "marked_major"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "expected_effect": forms.Textarea(attrs={"rows": 2})}


NEXT_TOKEN = re.compile(r"^\s*([A-Za-z]+\d+)\s*(?:[(（:：]\s*(.*?)\s*[)）]?)?\s*$")
END_WORDS = {"-", "—", "end", "结束", "无"}


def parse_next(text: str) -> list[tuple[str, str]] | None:
    """'S4, S6（金额≥10万）' -> [("s4", ""), ("s6", "金额≥10万")]; '' -> None (flows on);
    '-' -> [] (ends here)."""
    text = (text or "").strip()
    if not text:
        return None
    if text.lower() in END_WORDS:
        return []
    out = []
    for token in re.split(r"[,，;；、]", text):
        if not token.strip():
            continue
        m = NEXT_TOKEN.match(token)
        if not m:
            raise ValidationError(_("Write next steps as step IDs, e.g. “S4, S6（金额≥10万）”."))
        out.append((m.group(1).lower(), (m.group(2) or "").strip()))
    return out


def format_next(step: dict, following_key: str | None) -> str:
    nxt = step.get("next", [])
    if not nxt:
        return "" if following_key is None else "-"
    if len(nxt) == 1 and nxt[0]["to"] == following_key and not nxt[0].get("condition"):
        return ""
    return ", ".join(n["to"].upper() + (f"（{n['condition']}）" if n.get("condition") else "") for n in nxt)


class StepForm(StatedLimitsMixin, forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Step"), max_length=120)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    inputs = forms.CharField(label=_("Inputs"), required=False, max_length=300)
    outputs = forms.CharField(label=_("Outputs"), required=False, max_length=300)
    time_limit_hours = forms.IntegerField(label=_("Time limit (hours)"), required=False, min_value=1)
    # How to write it is explained once above the list, not under every row.
    next = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "S4, S6（金额≥10万）"}),
    )

    def __init__(self, *args, departments=None, positions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = lambda d: d.name
        self.fields["position"].queryset = positions
        self.fields["position"].label_from_instance = lambda p: f"{p.department.name} · {p.name}"

    def clean_key(self):
        key = self.cleaned_data["key"].strip().lower()
        if not re.fullmatch(r"[a-z]+\d+", key):
            raise ValidationError(_("Invalid step ID."))
        return key

    def clean_next(self):
        return parse_next(self.cleaned_data.get("next", ""))

    def clean(self):
        data = super().clean()
        pos, dept = data.get("position"), data.get("department")
        if pos and dept and pos.department_id != dept.pk:
            self.add_error("position", _("The position belongs to another department."))
        return data


class BaseStepFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        self.departments = Department.objects.order_by("path")
        self.positions = Position.objects.select_related("department").order_by("department__path", "sort_order")
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = {"departments": self.departments, "positions": self.positions}
        if index is not None and index >= self.initial_form_count():
            # A blank row gets a fresh step ID, the same on every render of this formset.
            keys = {row["key"] for row in (self.initial or [])}
            for _ in range(index - self.initial_form_count() + 1):
                key = new_key(keys)
            kwargs["initial"] = {"key": key}
        return kwargs

    def clean(self):
        if any(self.errors):
            return
        forms_ = [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        if not forms_:
            raise ValidationError(_("A process needs at least one step."))
        keys = [f.cleaned_data["key"] for f in forms_]
        if len(set(keys)) != len(keys):
            raise ValidationError(_("Two steps share the same ID."))
        for f in forms_:
            for target, _cond in f.cleaned_data["next"] or []:
                if target not in keys:
                    raise ValidationError(
                        _("Step “%(name)s” points to %(target)s, which is not in the list.")
                        % {"name": f.cleaned_data["name"], "target": target.upper()}
                    )
        lost = unreachable(self.steps())
        if lost:
            raise ValidationError(
                _("No step leads to “%(name)s” (%(key)s): write its ID in an earlier step's “Next steps”.")
                % {"name": lost[0]["name"], "key": lost[0]["key"].upper()}
            )

    def steps(self) -> list[dict]:
        """The proposed steps in their new order (ORDER field, then position)."""
        rows = [f for f in self.ordered_forms if not self._should_delete_form(f)] if self.can_order else []
        rows += [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f) and f not in rows]
        out = []
        for i, f in enumerate(rows):
            d = f.cleaned_data
            following = rows[i + 1].cleaned_data["key"] if i + 1 < len(rows) else None
            if d["next"] is None:
                nxt = [{"to": following, "condition": ""}] if following else []
            else:
                nxt = [{"to": t, "condition": c} for t, c in d["next"]]
            out.append(
                {
                    "key": d["key"],
                    "name": d["name"],
                    "department_id": d["department"].pk,
                    "position_id": d["position"].pk if d["position"] else None,
                    "description": d["description"],
                    "inputs": d["inputs"],
                    "outputs": d["outputs"],
                    "time_limit_hours": d["time_limit_hours"],
                    "next": nxt,
                }
            )
        return out


StepFormSet = forms.formset_factory(
    StepForm, formset=BaseStepFormSet, extra=1, can_order=True, can_delete=True, max_num=200, absolute_max=300
)


def step_initial(steps: list[dict]) -> list[dict]:
    """Formset initial rows for step dicts."""
    rows = []
    for i, s in enumerate(steps):
        following = steps[i + 1]["key"] if i + 1 < len(steps) else None
        rows.append(
            {
                "key": s["key"],
                "name": s["name"],
                "department": s["department_id"],
                "position": s.get("position_id"),
                "description": s.get("description", ""),
                "inputs": s.get("inputs", ""),
                "outputs": s.get("outputs", ""),
                "time_limit_hours": s.get("time_limit_hours"),
                "next": format_next(s, following),
                "ORDER": i + 1,
            }
        )
    return rows


class DecisionForm(forms.Form):
    """The proposer's own steps on a draft or returned request (the approvers decide on the
    approvals engine's request page)."""

    action = forms.ChoiceField(choices=[(a, a) for a in ("submit", "withdraw")])
    comment = forms.CharField(required=False, max_length=2000)


class ReviewForm(StatedLimitsMixin, forms.Form):
    reviewed_on = forms.DateField(label=_("Review date"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    next_review_date = forms.DateField(label=_("Next review date"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("reviewed_on") and data.get("next_review_date") and data["next_review_date"] <= data["reviewed_on"]:
            self.add_error("next_review_date", _("The next review must come after this one."))
        return data


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Improvement action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=get_user_model().objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()
        self.fields["owner"].label_from_instance = _person_label


ActionFormSet = forms.formset_factory(ActionForm, extra=3, max_num=20)
