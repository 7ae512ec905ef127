"""Every catalogue is complete in Simplified Chinese, and the committed .mo matches its .po."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(
    [*ROOT.glob("locale/zh_Hans/LC_MESSAGES/django.po"), *ROOT.glob("apps/*/locale/zh_Hans/LC_MESSAGES/django.po")]
)


def test_there_are_catalogues():
    assert any("departments" in str(p) for p in CATALOGUES)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_a_chinese_translation(po_path):
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"{len(missing)} untranslated in {po_path.name}: {missing[:10]}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_is_up_to_date(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    po_ids = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if e.translated() and not e.obsolete}
    mo_ids = {(e.msgctxt, e.msgid) for e in polib.mofile(str(mo_path)) if e.msgid}
    assert po_ids == mo_ids, "the .mo is older than the .po: run `make messages`"
