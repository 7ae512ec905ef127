from celery import shared_task


@shared_task(name="core.echo")
def echo(value):
    """Returns what it was given: the health round-trip through broker, worker and result
    backend (used by the Celery tests and handy from a shell when checking a deployment)."""
    return value
