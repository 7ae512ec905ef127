"""An error is shown once: crispy's non-field errors are the only ones a crispy form shows
(the shared form component and the pages that render `form|crispy` add none of their own)."""

from pathlib import Path

from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parents[2]


class Sample(forms.Form):
    name = forms.CharField(max_length=10)

    def clean(self):
        raise forms.ValidationError("两个字段互相矛盾。")


def _bound():
    form = Sample(data={"name": "x" * 11})
    assert not form.is_valid()
    return form


def test_the_shared_form_component_shows_each_error_once(db):
    request = RequestFactory().post("/")
    html = render_to_string("components/form.html", {"form": _bound()}, request=request)
    assert html.count("两个字段互相矛盾。") == 1
    assert html.count("10") >= 1 and html.count('role="alert"') == 1


def test_a_crispy_form_shows_its_non_field_error_once():
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": _bound()}))
    assert html.count("两个字段互相矛盾。") == 1


def test_no_template_repeats_the_non_field_errors_of_a_crispy_form():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("apps/*/templates/**/*.html")]:
        text = path.read_text(encoding="utf-8")
        if ("|crispy" in text or "{% crispy " in text) and "form.non_field_errors" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
