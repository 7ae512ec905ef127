from django import forms
from django.utils.translation import gettext_lazy as _


class ForgotPasswordForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )


class UnlockForm(forms.Form):
    username = forms.CharField(required=False, max_length=150)
    ip_address = forms.GenericIPAddressField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("username") and not data.get("ip_address"):
            raise forms.ValidationError(_("Say which username or address to unlock."))
        return data


class EventFilterForm(forms.Form):
    from .models import SignInEvent

    q = forms.CharField(label=_("Username or address"), required=False, max_length=150)
    kind = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", _("All events")), *SignInEvent.Kind.choices]
    )
