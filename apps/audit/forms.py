from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import tracked_models


class SearchForm(forms.Form):
    model = forms.ChoiceField(label=_("Kind of record"), required=False)
    label = forms.ChoiceField(
        label=_("Change"),
        required=False,
        choices=[("", _("Any")), ("insert", _("Created")), ("update", _("Changed")), ("delete", _("Deleted"))],
    )
    who = forms.CharField(label=_("By (login)"), required=False, max_length=150)
    text = forms.CharField(label=_("Containing"), required=False, max_length=200)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All"))] + [(m, m) for m in tracked_models()]
