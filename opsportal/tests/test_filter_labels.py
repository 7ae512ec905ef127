"""Every filter list's empty choice reads 全部 / All (or names what it lists), never the
"---------" that Django and django-filter put there by default."""

import importlib
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.utils import translation

APPS = Path(__file__).resolve().parents[2] / "apps"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _load_app_modules():
    for app in sorted(APPS.iterdir()):
        for name in ("filters", "forms"):
            if (app / f"{name}.py").exists():
                importlib.import_module(f"apps.{app.name}.{name}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_filter_offers_dashes_as_its_empty_choice(db, language):
    _load_app_modules()
    filtersets = [
        fs for fs in _subclasses(django_filters.FilterSet) if fs.__module__.startswith("apps.") and fs._meta.model
    ]
    filter_forms = [f for f in _subclasses(forms.Form) if f.__module__.startswith("apps.") and "Filter" in f.__name__]
    assert filtersets and filter_forms  # the policies and processes lists, the inbox, the risk register...
    with translation.override(language):
        for filterset in filtersets:
            html = str(filterset(data={}, queryset=filterset._meta.model.objects.none()).form)
            assert "---------" not in html, filterset
        for form in filter_forms:
            try:
                html = str(form(data={}))
            except TypeError:  # a form that needs the viewer: its page test renders it
                continue
            assert "---------" not in html, form
    with translation.override(language):
        assert str(django_filters.conf.settings.EMPTY_CHOICE_LABEL) == ("全部" if language == "zh-hans" else "All")
