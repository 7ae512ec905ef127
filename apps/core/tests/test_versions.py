"""One way of writing a version: V<n> (a regulation's own label where it has one)."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from apps.core.versions import version_label


@pytest.mark.parametrize(
    "value, written",
    [
        (3, "V3"),
        (SimpleNamespace(number=12), "V12"),  # a process version, an approval flow version, minutes
        (SimpleNamespace(label="V2", number=2), "V2"),  # a regulation's version keeps its label
        (SimpleNamespace(label="", number=4), "V4"),
        (None, ""),
        ("", ""),
    ],
)
def test_a_version_is_written_as_V_and_its_number(value, written):
    assert version_label(value) == written
    assert Template("{% load portal %}{{ v|version }}").render(Context({"v": value})) == written


def test_no_template_writes_a_version_number_by_hand():
    """Templates show versions through the `version` filter, not as "v{{ x.number }}" or
    "version {{ n }}" in their own words."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    by_hand = re.compile(r"[vV]\{\{\s*\w+(\.\w+)*\.number\s*\}\}|[Vv]ersion \{\{ n \}\}")
    offenders = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for path in [*root.glob("templates/**/*.html"), *root.glob("apps/*/templates/**/*.html")]
        for m in by_hand.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
