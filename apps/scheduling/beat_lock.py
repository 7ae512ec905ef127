"""One beat at a time: a beat process takes a lock in Redis before it schedules anything.
A second beat (a deployment mistake, or a deliberate standby) waits and takes over only when
the first stops or dies (its lock then expires after BEAT_LOCK_TTL seconds); two beats never
send the schedule twice."""

import atexit
import logging
import os
import signal
import socket
import threading
import time

import redis
from celery.signals import beat_init
from django.conf import settings

log = logging.getLogger("apps.scheduling")
KEY = "opsportal:beat-lock"
# Renew only if the lock is still ours (compare and extend in one step).
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def ttl_seconds() -> int:
    return getattr(settings, "BEAT_LOCK_TTL", 60)


def acquire(client, owner: str, *, wait: bool = True, poll: float | None = None) -> bool:
    """Take the lock; with wait, block (as a standby) until it is free."""
    ttl_ms = ttl_seconds() * 1000
    said = False
    while True:
        if client.set(KEY, owner, nx=True, px=ttl_ms):
            log.warning("beat lock taken by %s", owner)
            return True
        if not wait:
            return False
        if not said:
            holder = client.get(KEY)
            log.warning("another beat holds the lock (%s): this beat waits as a standby", (holder or b"").decode())
            said = True
        time.sleep(poll or max(ttl_seconds() / 4, 0.5))


def renew(client, owner: str) -> bool:
    return bool(client.eval(_RENEW, 1, KEY, owner, ttl_seconds() * 1000))


def release(client, owner: str) -> None:
    client.eval(_RELEASE, 1, KEY, owner)


def _keep(client, owner: str) -> None:
    while True:
        time.sleep(max(ttl_seconds() / 3, 0.3))
        try:
            still_ours = renew(client, owner)
        except redis.RedisError:
            log.exception("beat lock: Redis unreachable, trying again")
            continue
        if not still_ours:
            log.error("beat lock lost to another beat: stopping this one")
            os.kill(os.getpid(), signal.SIGTERM)
            return


@beat_init.connect
def hold_the_beat_lock(sender=None, **kwargs):
    client = _client()
    owner = f"{socket.gethostname()}:{os.getpid()}"
    acquire(client, owner)
    threading.Thread(target=_keep, args=(client, owner), name="beat-lock", daemon=True).start()
    atexit.register(release, client, owner)
