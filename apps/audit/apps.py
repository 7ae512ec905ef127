from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from celery.signals import task_postrun, task_prerun

        from . import permissions  # noqa: F401  (registers the rules)

        task_prerun.connect(_enter_task_context, weak=False)
        task_postrun.connect(_leave_task_context, weak=False)


_task_contexts: dict = {}


def _enter_task_context(task_id=None, task=None, **kwargs):
    """Writes made by a Celery task (scheduled jobs, background imports) are recorded as
    made by that service."""
    import pghistory

    context = pghistory.context(service=f"task:{getattr(task, 'name', '?')}")
    context.__enter__()
    _task_contexts[task_id] = context


def _leave_task_context(task_id=None, **kwargs):
    context = _task_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)
