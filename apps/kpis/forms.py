from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.forms import StatedLimitsMixin
from apps.core.spreadsheets import validate_spreadsheet_upload

from .achievement import Direction
from .models import Indicator, Scope
from .periods import PERIODS_PER_YEAR, year_periods
from .services import EVIDENCE_TYPES, validate_evidence

_FULLWIDTH = str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")


def parse_number(text) -> Decimal | None:
    """A typed figure to a Decimal: accepts 1,234.5 / 1 234.5 / full-width digits / a
    trailing %; an empty box is None. Anything else raises ValueError."""
    if text is None:
        return None
    text = str(text).translate(_FULLWIDTH).strip().replace(",", "").replace(" ", "").rstrip("%")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= Decimal("1e14"):
        raise ValueError(text)
    return value


def out_of_range_message(indicator, value) -> str:
    """Empty when plausible; otherwise why it looks wrong (a warning, not an error)."""
    if value is None:
        return ""
    lo, hi = indicator.valid_min, indicator.valid_max
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bounds = f"{'' if lo is None else _num(lo)} – {'' if hi is None else _num(hi)}"
        return _("%(v)s is outside the expected range %(r)s %(unit)s.") % {
            "v": _num(value),
            "r": bounds,
            "unit": indicator.unit,
        }
    return ""


def _num(v) -> str:
    return f"{Decimal(v):f}".rstrip("0").rstrip(".") if "." in f"{Decimal(v):f}" else f"{Decimal(v):f}"


class FigureField(forms.CharField):
    def to_python(self, value):
        try:
            return parse_number(value)
        except ValueError:
            raise forms.ValidationError(_("Numbers only, e.g. 1234.5.")) from None


class MeasurementForm(forms.Form):
    value = FigureField(label=gettext_lazy("Actual"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)
    evidence = forms.FileField(
        label=gettext_lazy("Evidence"),
        required=False,
        help_text=gettext_lazy("Optional; PDF, image, Excel, Word or text, at most 5 MB."),
    )
    reason = forms.CharField(label=gettext_lazy("Reason for the change"), required=False, max_length=300)
    confirm = forms.BooleanField(
        label=gettext_lazy("The value is right even though it is outside the expected range"), required=False
    )

    def __init__(self, *args, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        if indicator.unit:
            self.fields["value"].help_text = _("Unit: %(unit)s") % {"unit": indicator.unit}
        self.fields["evidence"].widget.attrs["accept"] = ",".join(sorted(EVIDENCE_TYPES))

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            validate_evidence(upload)
        return upload or None

    def clean(self):
        data = super().clean()
        warning = out_of_range_message(self.indicator, data.get("value"))
        if warning and not data.get("confirm"):
            self.add_error("value", warning + " " + _("Tick the box below to save it anyway."))
        return data


class IndicatorForm(StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "definition",
            "formula",
            "unit",
            "direction",
            "range_low",
            "range_high",
            "frequency",
            "year_rule",
            "scope",
            "department",
            "person",
            "responsible",
            "data_source",
            "parent",
            "rollup",
            "weight",
            "processes",
            "green_pct",
            "amber_pct",
            "valid_min",
            "valid_max",
            "reminder_days",
            "active_from",
            "is_active",
            "sort_order",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 2}),
            "formula": forms.Textarea(attrs={"rows": 2}),
            "active_from": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Indicator.objects.exclude(pk=self.instance.pk).order_by("code")
        self.fields["processes"].queryset = self.fields["processes"].queryset.order_by("code")
        self.fields["processes"].widget.attrs["size"] = 8
        self.fields["person"].queryset = self.fields["person"].queryset.filter(is_active=True).order_by("username")
        self.fields["responsible"].queryset = (
            self.fields["responsible"].queryset.filter(is_active=True).order_by("username")
        )

    def clean(self):
        data = super().clean()
        if data.get("scope") == Scope.PERSON and not data.get("person"):
            self.add_error("person", _("A person-scope indicator names its person."))
        if (
            data.get("direction") == Direction.RANGE
            and data.get("range_low") is None
            and data.get("range_high") is None
        ):
            self.add_error("range_low", _("A range indicator needs at least one bound."))
        lo, hi = data.get("range_low"), data.get("range_high")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("range_high", _("The upper bound is below the lower bound."))
        parent = data.get("parent")
        if parent is not None:
            if parent.frequency != data.get("frequency"):
                self.add_error("parent", _("A cascaded indicator is reported as often as its parent."))
            node, seen = parent, set()
            while node is not None and node.pk not in seen:
                if self.instance.pk and node.pk == self.instance.pk:
                    self.add_error("parent", _("An indicator cannot sit under itself."))
                    break
                seen.add(node.pk)
                node = node.parent
        if (
            data.get("amber_pct") is not None
            and data.get("green_pct") is not None
            and data["amber_pct"] > data["green_pct"]
        ):
            self.add_error("amber_pct", _("Amber must start below green."))
        return data


class TargetYearForm(forms.Form):
    MODE_EVEN, MODE_MANUAL = "even", "manual"
    mode = forms.ChoiceField(
        label=gettext_lazy("How"),
        widget=forms.RadioSelect,
        initial="even",
        choices=[
            ("even", gettext_lazy("Split a yearly target evenly")),
            ("manual", gettext_lazy("Set each period by hand")),
        ],
    )
    annual = FigureField(label=gettext_lazy("Yearly target"), required=False)
    green_pct = forms.DecimalField(
        label=gettext_lazy("Green from (percent of target) this year"),
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=0,
        help_text=gettext_lazy("Empty: the indicator's thresholds."),
    )
    amber_pct = forms.DecimalField(
        label=gettext_lazy("Amber from (percent of target) this year"),
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=0,
    )

    def __init__(self, *args, indicator, year, initial_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator, self.year = indicator, year
        for p in year_periods(year, indicator.frequency):
            self.fields[f"p{p.index}"] = FigureField(
                label=p.label, required=False, initial=(initial_values or {}).get(p.index)
            )

    def period_fields(self):
        return [self[f"p{i}"] for i in range(1, PERIODS_PER_YEAR[self.indicator.frequency] + 1)]

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.MODE_EVEN and data.get("annual") is None:
            self.add_error("annual", _("Give the yearly target."))
        green, amber = data.get("green_pct"), data.get("amber_pct")
        if green is not None and amber is not None and amber > green:
            self.add_error("amber_pct", _("Amber must start below green."))
        return data

    def values(self):
        return [self.cleaned_data.get(f"p{i}") for i in range(1, PERIODS_PER_YEAR[self.indicator.frequency] + 1)]


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"), validators=[validate_spreadsheet_upload])
