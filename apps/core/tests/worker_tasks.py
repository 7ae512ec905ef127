"""Tasks only the Celery recovery tests load into their worker (`celery worker --include`)."""

import os
import time

import redis
from celery import shared_task
from django.conf import settings


@shared_task(name="tests.slow_mark", acks_late=True, reject_on_worker_lost=True)
def slow_mark(key: str, seconds: float) -> None:
    """Writes who started it, sleeps, then writes who finished it."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.rpush(f"{key}:started", os.getpid())
    time.sleep(seconds)
    client.rpush(f"{key}:done", os.getpid())
