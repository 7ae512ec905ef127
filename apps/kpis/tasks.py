from celery import shared_task


@shared_task(name="kpis.remind_missing_figures")
def remind_missing_figures() -> int:
    """Daily: remind about figures still missing N days after their period ended (idempotent)."""
    from .services import figures_missing_remind

    return figures_missing_remind()
