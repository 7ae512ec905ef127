"""Status badges go through one tag with the tone each status declares; no template compares
a status (or a stage, a state) with a string literal."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.template import Context, Template

from apps.core.badges import badge_tones

ROOT = Path(__file__).resolve().parents[3]
# `x.status == "draft"`, `stage != 'closed'`, `"draft" == version.status`, `st.state == "done"`
COMPARISON = re.compile(
    r"""\b\w*(status|stage|state)\s*(==|!=)\s*["']"""
    r"""|["'][\w-]*["']\s*(==|!=)\s*[\w.]*\b(status|stage|state)\b"""
)


def template_files() -> list[Path]:
    roots = [ROOT / "templates", *(ROOT / "apps").glob("*/templates")]
    return sorted(p for r in roots for p in r.rglob("*.html"))


def test_no_template_compares_a_status_with_a_string():
    found = [
        f"{path.relative_to(ROOT)}:{n}: {match.group(0)}"
        for path in template_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in COMPARISON.finditer(line)
    ]
    assert len(template_files()) > 50
    assert found == []


@pytest.mark.parametrize(
    "line",
    [
        '{% if version.status == "draft" %}',
        "{% if cycle.stage != 'closed' %}",
        '{% if st.state == "done" %}',
        "{% if 'published' == a.status %}",
        '{% if status=="x" %}',
    ],
)
def test_the_scan_sees_each_way_of_writing_it(line):
    assert COMPARISON.search(line)


def test_the_scan_leaves_other_comparisons_alone():
    assert not COMPARISON.search('{% if c.kind == "added" %}{% if mode == "self" %}{% if is_draft %}')


class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


def test_every_member_needs_a_known_tone():
    with pytest.raises(ImproperlyConfigured, match="missing"):
        badge_tones(Colour, {Colour.RED: "danger"})
    with pytest.raises(ImproperlyConfigured, match="not a tone"):
        badge_tones(Colour, {Colour.RED: "danger", Colour.BLUE: "sky"})


class Paint:
    BADGES = {"colour": Colour}

    def __init__(self, colour):
        self.colour = colour


def test_the_tag_shows_the_label_in_the_declared_tone():
    badge_tones(Colour, {Colour.RED: "danger", Colour.BLUE: "light"})
    html = Template('{% load portal %}{% status_badge paint "colour" %}').render(Context({"paint": Paint("red")}))
    assert html.strip() == '<span class="badge text-bg-danger">Red</span>'
    html = Template('{% load portal %}{% status_badge paint "colour" %}').render(Context({"paint": Paint("blue")}))
    assert 'text-bg-light border">Blue' in html


@pytest.mark.django_db
def test_every_status_of_the_portals_models_has_its_tones():
    from django.apps import apps

    declared = 0
    for model in apps.get_models():
        for field, choices in getattr(model, "BADGES", {}).items():
            assert {c.name for c in model._meta.fields if c.choices} >= {field}
            assert set(choices.badge_tones) == set(choices.values)
            declared += 1
    assert declared >= 6  # policy, version, process, change request, cycle, appraisal
