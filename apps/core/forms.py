"""What every form of the portal shares."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _

LONG_TEXT_LIMIT = 2000  # characters, for a multi-line text field that names no limit of its own


def state_text_limits(form, limits=None, default=LONG_TEXT_LIMIT) -> None:
    """Each multi-line text field of `form` has a limit, checked on the server, kept by the
    browser (maxlength) and said in its help text ("At most 2000 characters."). A field with
    its own max_length keeps it; `limits` names the others that take more or less."""
    for name, field in form.fields.items():
        if not (isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)):
            continue
        if field.max_length is None:
            field.max_length = (limits or {}).get(name, default)
            field.validators.append(MaxLengthValidator(field.max_length))
        field.widget.attrs["maxlength"] = str(field.max_length)
        said = str(field.help_text or "")
        if str(field.max_length) not in said.replace(",", ""):  # already said by the form itself
            limit = _("At most %(n)s characters.") % {"n": field.max_length}
            field.help_text = f"{said} {limit}" if said else limit


class StatedLimitsMixin:
    """For a form class: state_text_limits() on every instance. `text_limits` maps a field
    name to its limit where the default (2000) does not fit, e.g. a whole regulation's text."""

    text_limits: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        state_text_limits(self, self.text_limits)
