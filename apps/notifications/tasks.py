from celery import shared_task
from django.conf import settings

from . import delivery


@shared_task(bind=True, name="notifications.deliver_emails", acks_late=True, max_retries=8, ignore_result=True)
def deliver_emails(self, ids: list[int]) -> int:
    """Send outbox rows; the failed ones are retried with exponential backoff (and by the
    retry job after that: a row stays pending until a mail server accepted it)."""
    failed = delivery.deliver(ids)
    if failed and self.request.retries < self.max_retries:
        # A countdown beyond the broker's visibility timeout would make Redis hand the
        # waiting retry to another worker too; the retry job picks up what is left later.
        wait = min(delivery.backoff(self.request.retries + 1), settings.CELERY_VISIBILITY_TIMEOUT - 60)
        raise self.retry(args=[failed], countdown=wait)
    return len(ids) - len(failed)
