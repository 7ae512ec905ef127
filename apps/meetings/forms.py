"""Forms. Attendees are typed as logins (one list for people) plus whole departments; the
agenda as lines "title | presenter login | minutes". Every unknown login is named at once."""

import re
from pathlib import Path

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.forms import StatedLimitsMixin
from apps.departments.models import Department

from . import links
from .models import Frequency, Meeting, MeetingType, Series
from .services import AgendaLine

User = get_user_model()
SPLIT = re.compile(r"[\s,，、;；]+")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".xlsx",
    ".xls",
    ".docx",
    ".doc",
    ".pptx",
    ".txt",
    ".csv",
    ".zip",
}


def users_by_login(logins: list[str]) -> tuple[dict[str, object], list[str]]:
    """Active users for these logins (one query) and the logins that match nobody."""
    wanted = {name.lower(): name for name in logins if name}
    found = {u.username.lower(): u for u in User.objects.filter(username__in=list(wanted.values()), is_active=True)}
    if len(found) < len(wanted):  # case-insensitive second chance for what did not match exactly
        missing = [n for k, n in wanted.items() if k not in found]
        q = User.objects.none()
        for name in missing:
            q = q | User.objects.filter(username__iexact=name, is_active=True)
        found.update({u.username.lower(): u for u in q})
    unknown = [n for k, n in wanted.items() if k not in found]
    return found, unknown


class LoginListField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2})

    def clean(self, value):
        value = super().clean(value)
        logins = [x for x in SPLIT.split(value or "") if x]
        found, unknown = users_by_login(logins)
        if unknown:
            raise ValidationError(_("Unknown logins: %(names)s.") % {"names": "、".join(unknown)})
        return list({u.pk: u for u in found.values()}.values())


def parse_agenda(text: str) -> list[AgendaLine]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    parts = [[p.strip() for p in line.split("|")] for line in lines]
    logins = [p[1] for p in parts if len(p) > 1 and p[1]]
    found, unknown = users_by_login(logins)
    errors = []
    if unknown:
        errors.append(_("Unknown presenters: %(names)s.") % {"names": "、".join(unknown)})
    out = []
    for n, p in enumerate(parts, start=1):
        minutes = None
        if len(p) > 2 and p[2]:
            if not p[2].isdigit() or not 0 < int(p[2]) <= 600:
                errors.append(_("Line %(n)s: the time is a number of minutes, e.g. 15.") % {"n": n})
            else:
                minutes = int(p[2])
        presenter = found.get(p[1].lower()) if len(p) > 1 and p[1] else None
        out.append(AgendaLine(title=p[0][:300] or "—", presenter=presenter, minutes=minutes))
    if errors:
        raise ValidationError(errors)
    return out


def agenda_text(items) -> str:
    return "\n".join(
        " | ".join([i.title, i.presenter.username if i.presenter else "", str(i.minutes_allotted or "")]).rstrip(" |")
        for i in items
    )


class MeetingForm(StatedLimitsMixin, forms.ModelForm):
    text_limits = {"attendee_logins": 5000, "agenda_text": 5000}
    link = forms.URLField(label=gettext_lazy("Online link"), required=False, assume_scheme="https")
    attendee_logins = LoginListField(
        label=gettext_lazy("Attendees (logins)"),
        required=False,
        help_text=gettext_lazy("Logins separated by spaces or commas, e.g. “ops manager staff”."),
    )
    departments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Whole departments"),
        queryset=Department.objects.only("pk", "name", "path"),
        required=False,
        help_text=gettext_lazy("Everyone in these departments and their sub-departments is invited."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    agenda_text = forms.CharField(
        label=gettext_lazy("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One item per line: title | presenter login | minutes, e.g. “上周工作汇报 | ops | 15”."),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "type",
            "department",
            "date",
            "start_time",
            "duration_minutes",
            "place",
            "link",
            "minute_taker",
            "confidential",
            "confirm_days",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "minute_taker": forms.TextInput(),
        }

    minute_taker = forms.CharField(
        label=gettext_lazy("Minute-taker (login)"), required=False, help_text=gettext_lazy("Empty: the organiser.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.only("pk", "name", "path")
        if self.instance.pk and not self.is_bound:
            from .services import department_members

            invited = list(self.instance.invited_departments.all())
            # People who come with a whole department, the organiser and the minute-taker are not listed again.
            implied = {u.pk for u in department_members(invited)} | {
                self.instance.organiser_id,
                self.instance.minute_taker_id,
            }
            self.initial["attendee_logins"] = " ".join(
                a.user.username
                for a in self.instance.attendees.select_related("user").order_by("pk")
                if a.user_id not in implied
            )
            self.initial["departments"] = [d.pk for d in invited]
            self.initial["agenda_text"] = agenda_text(self.instance.agenda.select_related("presenter"))
            self.initial["minute_taker"] = self.instance.minute_taker.username if self.instance.minute_taker else ""

    def clean_minute_taker(self):
        login = (self.cleaned_data.get("minute_taker") or "").strip()
        if not login:
            return None
        found, unknown = users_by_login([login])
        if unknown:
            raise ValidationError(_("Unknown login: %(name)s.") % {"name": login})
        return found[login.lower()]

    def clean_agenda_text(self):
        return parse_agenda(self.cleaned_data.get("agenda_text", ""))

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("attendee_logins") and not data.get("departments"):
            self.add_error("attendee_logins", _("Invite at least one person or department."))
        return data

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in self.Meta.fields}


class SeriesForm(StatedLimitsMixin, forms.ModelForm):
    text_limits = {"attendee_logins": 5000, "agenda_template": 5000}
    link = MeetingForm.base_fields["link"]
    attendee_logins = MeetingForm.base_fields["attendee_logins"]
    departments = MeetingForm.base_fields["departments"]
    minute_taker = MeetingForm.base_fields["minute_taker"]
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Weekday"),
        coerce=int,
        choices=[
            (0, gettext_lazy("Monday")),
            (1, gettext_lazy("Tuesday")),
            (2, gettext_lazy("Wednesday")),
            (3, gettext_lazy("Thursday")),
            (4, gettext_lazy("Friday")),
        ],
    )

    class Meta:
        model = Series
        fields = [
            "title",
            "type",
            "department",
            "frequency",
            "weekday",
            "day_of_month",
            "start_time",
            "duration_minutes",
            "starts_on",
            "ends_on",
            "place",
            "link",
            "minute_taker",
            "confidential",
            "confirm_days",
            "agenda_template",
            "horizon_days",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "agenda_template": forms.Textarea(attrs={"rows": 3}),
        }

    clean_minute_taker = MeetingForm.clean_minute_taker

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.only("pk", "name", "path")
        self.fields["day_of_month"].help_text = _("Monthly series only; 29–31 mean the month's last day when shorter.")
        self.fields["type"].initial = MeetingType.DEPARTMENT
        self.fields["frequency"].initial = Frequency.WEEKLY

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last date cannot be before the first."))
        if not self.errors and not data.get("attendee_logins") and not data.get("departments"):
            self.add_error("attendee_logins", _("Invite at least one person or department."))
        if data.get("day_of_month") is not None and not 1 <= data["day_of_month"] <= 31:
            self.add_error("day_of_month", _("A day between 1 and 31."))
        return data


class DecisionForm(StatedLimitsMixin, forms.Form):
    text = forms.CharField(label=gettext_lazy("Decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    agenda_item = forms.TypedChoiceField(
        label=gettext_lazy("Agenda item"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["agenda_item"].choices = [("", "—")] + [(a.pk, a.title) for a in meeting.agenda.all()]

    def clean_text(self):
        text = (self.cleaned_data.get("text") or "").strip()
        if not text:
            raise ValidationError(_("A decision needs its text."))
        return text


class ActionForm(StatedLimitsMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Action"), max_length=300)
    owner = forms.CharField(label=gettext_lazy("Owner (login)"), max_length=150)
    due_date = forms.DateField(label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    expected_result = forms.CharField(
        label=gettext_lazy("Expected result"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision = forms.TypedChoiceField(label=gettext_lazy("Decision"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["decision"].choices = [("", "—")] + [(d.pk, d.text[:60]) for d in meeting.decisions.all()]
        for kind in links.KINDS.values():
            self.fields[f"link_{kind.code}"] = forms.CharField(
                label=kind.label,
                required=False,
                help_text=_("One per line, e.g. %(example)s") % {"example": kind.example},
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def clean_owner(self):
        login = self.cleaned_data["owner"].strip()
        found, unknown = users_by_login([login])
        if unknown:
            raise ValidationError(_("Unknown login: %(name)s.") % {"name": login})
        return found[login.lower()]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < self.meeting.date:
            raise ValidationError(
                _("The due date cannot be before the meeting (%(d)s).") % {"d": f"{self.meeting.date:%Y-%m-%d}"}
            )
        return due

    def link_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for kind in links.KINDS:
            for line in (self.cleaned_data.get(f"link_{kind}") or "").splitlines():
                if line.strip():
                    pairs.append((kind, line.strip()))
        return pairs

    def link_fields(self):
        return [self[f"link_{k}"] for k in links.KINDS]


def validate_evidence(upload) -> None:
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB may be attached.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "max": EVIDENCE_MAX_BYTES // 1024 // 1024}
        )
    if Path(upload.name).suffix.lower() not in EVIDENCE_TYPES:
        raise ValidationError(
            _("Files of this type cannot be attached; allowed: %(types)s.")
            % {"types": " ".join(sorted(EVIDENCE_TYPES))}
        )


class ActionStepForm(StatedLimitsMixin, forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    from_status = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    progress = forms.IntegerField(label=gettext_lazy("Progress (%)"), required=False, min_value=0, max_value=100)
    evidence = forms.FileField(
        label=gettext_lazy("Evidence"),
        required=False,
        help_text=gettext_lazy("Optional; PDF, image, Office, text or zip, at most 10 MB."),
    )
    due_date = forms.DateField(
        label=gettext_lazy("New due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            validate_evidence(upload)
        return upload or None


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for the correction"), max_length=300)


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    series = forms.TypedChoiceField(label=gettext_lazy("Series"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    due_before = forms.DateField(
        label=gettext_lazy("Due by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, series_choices, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ActionStatus

        self.fields["status"].choices = [("", _("Any status"))] + list(ActionStatus.choices)
        self.fields["series"].choices = [("", _("Any series"))] + series_choices
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if name in ("status", "series") else "form-control form-control-sm"
            )
