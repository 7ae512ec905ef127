from pathlib import Path

import polib
from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.obsolete and not (e.msgstr or any(e.msgstr_plural.values()))]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags and e.msgid]
    assert not untranslated and not fuzzy


def test_the_compiled_catalogue_is_used():
    from apps.processes.models import ChangeRequest

    with translation.override("zh-hans"):
        assert str(ChangeRequest.Status.RETURNED.label) == "退回修改"
