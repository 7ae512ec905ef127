from celery import shared_task


@shared_task(name="core.echo")
def echo(value):
    """Returns what it was given: the health round-trip through broker, worker and result
    backend (used by the Celery tests and handy from a shell when checking a deployment)."""
    return value


@shared_task(name="core.read_import", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def read_import(job: str) -> None:
    """Reads a large uploaded spreadsheet for its import (apps/core/imports.py)."""
    from .imports import run

    run(job)
