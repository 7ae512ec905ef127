"""Long free-text fields have a limit that the form states: checked on the server, kept by
the browser (maxlength) and said in the help text, in the user's language."""

import importlib
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

from apps.core.forms import LONG_TEXT_LIMIT, StatedLimitsMixin

APPS = Path(__file__).resolve().parents[2] / "apps"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _multi_line_fields(cls):
    return [
        name
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)
    ]


def test_every_multi_line_text_field_of_the_portal_has_a_limit():
    for app in sorted(APPS.iterdir()):
        for module in app.glob("forms*.py"):
            importlib.import_module(f"apps.{app.name}.{module.stem}")
    checked, unlimited = 0, []
    for cls in set(_subclasses(forms.BaseForm)):
        if not cls.__module__.startswith("apps."):
            continue
        for name in _multi_line_fields(cls):
            checked += 1
            if not issubclass(cls, StatedLimitsMixin) and cls.base_fields[name].max_length is None:
                unlimited.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert checked > 40 and unlimited == []


def test_the_regulation_text_takes_a_whole_regulation_and_a_comment_does_not():
    from apps.policies.forms import CommentForm, DraftTextForm

    assert DraftTextForm.text_limits["text"] >= 100_000
    assert CommentForm().fields["comment"].max_length == LONG_TEXT_LIMIT


@pytest.mark.parametrize(
    "language, said, refused",
    [("zh-hans", "最多 2000 字。", "不超过 2000 字符"), ("en", "At most 2000 characters.", "at most 2000 characters")],
)
def test_a_limit_is_said_kept_by_the_browser_and_checked_with_the_text_kept(language, said, refused):
    from apps.policies.forms import CommentForm

    with translation.override(language):
        empty = CommentForm()
        assert said in str(empty.fields["comment"].help_text)
        html = str(empty["comment"])
        assert 'maxlength="2000"' in html
        typed = "很长的意见" * 401  # 2005 characters
        form = CommentForm(data={"comment": typed})
        assert not form.is_valid()
        assert refused in form.errors["comment"][0]
        assert typed in str(form["comment"])  # what was typed is kept
        assert CommentForm(data={"comment": typed[:2000]}).is_valid()


def test_a_limit_the_form_already_states_is_not_said_twice():
    class Described(StatedLimitsMixin, forms.Form):
        description = forms.CharField(max_length=2000, help_text="At most 2,000 characters.", widget=forms.Textarea)
        notes = forms.CharField(help_text="One per line.", widget=forms.Textarea)

    with translation.override("en"):
        form = Described()
    assert form.fields["description"].help_text == "At most 2,000 characters."
    assert form.fields["notes"].help_text == "One per line. At most 2000 characters."
    assert 'maxlength="2000"' in str(form["description"])
