from pathlib import Path

import polib
from django.utils import translation

from apps.kpis.achievement import Status
from apps.kpis.periods import Period

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete]
    assert untranslated == [] and fuzzy == []
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(PO.with_suffix(".mo")))}
    assert {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po} == compiled  # the .mo is up to date


def test_statuses_and_periods_read_in_chinese():
    with translation.override("zh-hans"):
        assert str(Status.RED.label) == "未达标"
        assert Period.parse("2026-Q1").label == "2026年第1季度"
        assert Period.parse("2026-03").label == "2026年3月"
