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
    """Called once from CoreConfig.ready()."""
    for field in (forms.DateField, forms.DateTimeField):
        if validate_reasonable_date not in field.default_validators:
            field.default_validators = [*field.default_validators, validate_reasonable_date]
