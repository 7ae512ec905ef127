"""Bounds every date a person can type anywhere in the portal (every forms.DateField and
DateTimeField, model forms and admin included): years 0001 or 9999 are typing mistakes,
and date arithmetic on them (a deadline plus N working days, the next review) overflows."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 1900, 2199


def validate_reasonable_date(value) -> None:
    if value is None:
        return
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(first)d and %(last)d."),
            code="date_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def install() -> None:
    """Called once from CoreConfig.ready() (with the <year:...> URL converter)."""
    for field in (forms.DateField, forms.DateTimeField):
        if validate_reasonable_date not in field.default_validators:
            field.default_validators = [*field.default_validators, validate_reasonable_date]


class YearConverter:
    """<year:year> in a URL: four digits within the portal's years; any other is a 404
    (year 0 or 10000 would break date arithmetic and links to the year before/after)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(value)
        return year

    def to_url(self, value) -> str:
        return f"{int(value):04d}"
