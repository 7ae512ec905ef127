"""Superseded: the nightly rebuild of people's documents declares its schedule with the job
(apps/search/jobs.py) and apps/scheduling/beat.py writes the beat row after every migrate.
Kept empty so the migration graph of existing databases stays as it was."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0002_statistics"), ("scheduling", "0003_module_schedule")]
    operations = []
