from pathlib import Path

import polib
from django.utils import translation

from apps.meetings.models import ActionStatus, Attendance

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete]
    assert untranslated == [] and fuzzy == []
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(PO.with_suffix(".mo")))}
    assert {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po} == compiled


def test_statuses_read_in_chinese():
    with translation.override("zh-hans"):
        assert str(ActionStatus.DONE.label) == "已完成，待验收"
        assert str(Attendance.DELEGATE.label) == "委派代表"
