"""The default categories, the 5 × 5 scale and the level bands (apps/risks/defaults.py holds the
data, which is plain constants). Administrators edit them afterwards; a second run adds nothing."""

from django.db import migrations

from apps.risks.defaults import ensure_defaults


def add_defaults(apps, schema_editor):
    ensure_defaults(apps.get_model("risks", "Category"), apps.get_model("risks", "ScaleLevel"),
                    apps.get_model("risks", "LevelBand"))


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
