import re

from django import forms

from apps.core.widgets import FastSelect


class Form(forms.Form):
    slow = forms.ChoiceField(choices=[("", "All"), ("a", "A & B"), ("b", "<b>")], required=False)
    fast = forms.ChoiceField(
        choices=[("", "All"), ("a", "A & B"), ("b", "<b>")], required=False, widget=FastSelect(attrs={"class": "x"})
    )


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label.strip())
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    ]


def test_fast_select_gives_the_options_django_gives():
    form = Form({"slow": "b", "fast": "b"})
    slow, fast = str(form["slow"]), str(form["fast"])
    assert _options(fast) == _options(slow) == [("", False, "All"), ("a", False, "A &amp; B"), ("b", True, "&lt;b&gt;")]
    assert 'name="fast"' in fast and 'class="x"' in fast and 'id="id_fast"' in fast
    assert _options(str(Form()["fast"])) == _options(str(Form()["slow"]))
