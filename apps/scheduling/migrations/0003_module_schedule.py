"""Superseded, like 0002: the modules declare their jobs' schedules in their own jobs.py and
apps/scheduling/beat.py keeps the beat rows in line. Kept empty for existing databases."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_default_schedule")]
    operations = []
