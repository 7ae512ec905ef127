from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(PO))
    assert len(po) > 100
    untranslated = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    assert untranslated == []
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 5
