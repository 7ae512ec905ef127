from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation_compiled():
    po = polib.pofile(str(PO))
    assert len(po) > 100
    untranslated = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    assert untranslated == []
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo")))}
    stale = [e.msgid for e in po if not e.msgid_plural and compiled.get(e.msgid) != e.msgstr]
    assert stale == [], "run scripts/messages.py policies to compile the .mo"
