"""Superseded: the beat schedule is now built from the jobs' declarations (`@job(...,
schedule=...)` in each app's jobs.py) by apps/scheduling/beat.py after every migrate. Kept
empty so the migration graph of existing databases stays as it was."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = []
