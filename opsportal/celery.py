"""The Celery app. Configuration lives in settings (CELERY_* names); tasks are found in
each app's tasks.py. Tasks load their objects by id and call a service, nothing else."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsportal.settings")

app = Celery("opsportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
