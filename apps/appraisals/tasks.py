"""Celery tasks for the scheduling issue to put on the beat schedule. Each calls one
idempotent, state-based service; running one twice does nothing twice."""

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Cycle


@shared_task(name="appraisals.open_previous_quarter")
def open_previous_quarter() -> str:
    """Daily: on the first working day of a quarter (or later if missed) open last quarter."""
    cycle = services.appraisal_cycle_open_previous_quarter(today=timezone.localdate())
    return cycle.code if cycle else ""


@shared_task(name="appraisals.advance_due_stages")
def advance_due_stages() -> list:
    """Daily: move every cycle whose stage deadline has passed to its next stage."""
    return services.appraisal_stages_advance_due(today=timezone.localdate())


@shared_task(name="appraisals.open_cycle")
def open_cycle(code: str) -> int:
    """On demand (e.g. the HR button for a very large company)."""
    _cycle, created = services.appraisal_cycle_open(code=code)
    return created


@shared_task(name="appraisals.publish_cycle")
def publish_cycle(cycle_id: int, actor_id: int) -> str:
    from django.contrib.auth import get_user_model

    cycle = Cycle.objects.get(pk=cycle_id)
    actor = get_user_model().objects.get(pk=actor_id)
    return services.cycle_transition(cycle=cycle, action="publish", actor=actor).stage
