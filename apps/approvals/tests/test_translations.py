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
    from apps.approvals.models import Mode

    with translation.override("zh-hans"):
        assert str(Mode.ANY.label) == "或签（一人同意即可）"
