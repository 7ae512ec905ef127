"""Fill empty msgstr entries of a catalogue from a Python dict file (T: singular, PLURAL:
plural msgid -> the one Chinese form). A translator's helper, not part of the portal.

    python scripts/fill_po.py apps/x/locale/zh_Hans/LC_MESSAGES/django.po translations.py
"""

import runpy
import sys

import polib


def main(po_path: str, table_path: str) -> None:
    table = runpy.run_path(table_path)
    singular, plural = table.get("T", {}), table.get("PLURAL", {})
    po = polib.pofile(po_path)
    left = []
    for entry in po:
        if entry.msgid_plural:
            if not entry.msgstr_plural.get(0) and entry.msgid in plural:
                entry.msgstr_plural = {0: plural[entry.msgid]}
        elif not entry.msgstr and entry.msgid in singular:
            entry.msgstr = singular[entry.msgid]
        if "fuzzy" in entry.flags and (entry.msgstr or entry.msgstr_plural.get(0)):
            entry.flags.remove("fuzzy")
        if not (entry.msgstr or entry.msgstr_plural.get(0)):
            left.append(entry.msgid)
    po.save()
    print(f"{po_path}: {len(left)} left untranslated", *left, sep="\n  ")


if __name__ == "__main__":
    main(*sys.argv[1:])
