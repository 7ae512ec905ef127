"""Celery tasks: thin wrappers that call a service (the scheduling app wires the beat entry)."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="policies.publish_due")
def publish_due_policies() -> int:
    """Publish every approved version whose effective date has come (idempotent)."""
    return services.policies_publish_due(today=timezone.localdate())
