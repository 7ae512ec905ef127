from pathlib import Path

import polib
from django.utils import translation

from apps.risks.models import Risk
from apps.risks.scoring import Level

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po if not e.translated()] == []
    assert [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete] == []
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(PO.with_suffix(".mo")))}
    assert {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po} == compiled


def test_levels_and_statuses_read_in_both_languages():
    with translation.override("zh-hans"):
        assert [str(label) for label in Level.labels] == ["低", "中", "高", "极高"]
        assert str(Risk.Status.REPORTED.label) == "已上报"
    with translation.override("en"):
        assert str(Level.EXTREME.label) == "Extreme"
