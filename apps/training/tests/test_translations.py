from pathlib import Path

import polib
from django.utils import translation

from apps.training.models import Attendance, Session

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po if not e.translated()] == []
    assert [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete] == []
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(PO.with_suffix(".mo")))}
    assert {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po} == compiled


def test_statuses_read_in_both_languages():
    with translation.override("zh-hans"):
        assert str(Session.Status.DONE.label) == "已举办" and str(Attendance.EXCUSED.label) == "请假"
    with translation.override("en"):
        assert str(Attendance.EXCUSED.label) == "Excused"
