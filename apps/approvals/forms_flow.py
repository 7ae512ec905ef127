"""The flow editor: one form per stage (a formset), turned into the stage list of a new
flow version, and the preview's inputs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Role
from apps.departments.models import Department

from .flows import APPROVER_TYPES, CONDITION_TYPES, POOL_ROLES
from .forms import SmallWidgets, find_person
from .models import Mode

ROLE_CHOICES = [("", "—")] + [(r.value, r.label) for r in Role if r.value in POOL_ROLES]


class StageForm(SmallWidgets, forms.Form):
    name = forms.CharField(label=_("Stage"), max_length=100)
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    approver = forms.ChoiceField(label=_("Approvers"), choices=[("", "—"), *APPROVER_TYPES.items()], required=False)
    levels = forms.IntegerField(label=_("Levels up"), min_value=1, max_value=9, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)
    people = forms.CharField(
        label=_("Named people"),
        required=False,
        max_length=500,
        help_text=_("Logins or employee numbers, separated by commas."),
    )
    condition = forms.ChoiceField(label=_("Applies when"), choices=list(CONDITION_TYPES.items()), initial="always")
    field = forms.CharField(label=_("Field"), required=False, max_length=40)
    threshold = forms.DecimalField(label=_("Threshold"), required=False, max_digits=14, decimal_places=2)
    limit_days = forms.IntegerField(label=_("Limit (working days)"), min_value=1, max_value=60, required=False)

    def clean(self):
        data = super().clean()
        approvers = []
        kind = data.get("approver")
        if kind == "head_up":
            if not data.get("levels"):
                self.add_error("levels", _("How many levels up?"))
            approvers.append({"type": kind, "levels": data.get("levels") or 1})
        elif kind == "role":
            if not data.get("role"):
                self.add_error("role", _("Choose a role."))
            approvers.append({"type": kind, "role": data.get("role")})
        elif kind == "user":
            pass  # named people come from the field below
        elif kind:
            approvers.append({"type": kind})
        for text in (data.get("people") or "").replace("，", ",").split(","):
            if not text.strip():
                continue
            person = find_person(text)
            if person is None:
                self.add_error("people", _("No active person “%(text)s”.") % {"text": text.strip()})
            else:
                approvers.append({"type": "user", "user": person.pk})
        if not approvers and not self.errors:
            self.add_error("approver", _("Choose who approves this stage."))
        condition = {"type": data.get("condition") or "always"}
        if condition["type"] == "above":
            if not data.get("field") or data.get("threshold") is None:
                self.add_error("threshold", _("A threshold needs a field and a number."))
            else:
                condition.update(field=data["field"], value=float(data["threshold"]))
        data["stage"] = {
            "name": data.get("name", ""),
            "mode": data.get("mode"),
            "approvers": approvers,
            "condition": condition,
            "limit_days": data.get("limit_days"),
        }
        return data


class BaseStageFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].widget.attrs["class"] = "form-control form-control-sm"


StageFormSet = forms.formset_factory(
    StageForm, formset=BaseStageFormSet, extra=1, can_delete=True, can_order=True, max_num=20, validate_max=True
)


def stage_initial(stages: list[dict], users: dict[int, str]) -> list[dict]:
    rows = []
    for s in stages:
        row = {
            "name": s["name"],
            "mode": s["mode"],
            "limit_days": s.get("limit_days"),
            "condition": s["condition"]["type"],
        }
        if s["condition"]["type"] == "above":
            row.update(field=s["condition"]["field"], threshold=s["condition"]["value"])
        named = []
        for a in s["approvers"]:
            if a["type"] == "user":
                named.append(users.get(a["user"], str(a["user"])))
            elif "approver" not in row:
                row["approver"] = a["type"]
                row["levels"] = a.get("levels")
                row["role"] = a.get("role", "")
        if named and "approver" not in row:
            row["approver"] = "user"
        row["people"] = ", ".join(named)
        rows.append(row)
    return rows


class PreviewForm(SmallWidgets, forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("path"))
    person = forms.CharField(label=_("Person (login, employee number or name)"), max_length=100)
    major = forms.BooleanField(label=_("Major change"), required=False)
    crosses = forms.BooleanField(label=_("Crosses departments"), required=False)
    amount = forms.DecimalField(label=_("Field value"), required=False, max_digits=14, decimal_places=2)

    def clean_person(self):
        person = find_person(self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(_("No active person with that login, employee number or name."))
        return person
