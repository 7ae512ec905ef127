from django import forms

from .kinds import all_kinds


class PreferencesForm(forms.Form):
    """One radio group per notification kind; a mandatory kind offers no "off"."""

    def __init__(self, *args, initial_channels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for code, kind in all_kinds().items():
            self.fields[code] = forms.ChoiceField(
                label=kind.label, choices=kind.choices, initial=initial_channels.get(code), widget=forms.RadioSelect
            )

    def grouped(self):
        groups: dict[str, list] = {}
        for code, kind in all_kinds().items():
            groups.setdefault(str(kind.group), []).append((self[code], kind))
        return groups.items()
