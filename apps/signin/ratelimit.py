"""Fixed-window counters in Redis (the shared cache): every web process sees the same count."""

import hashlib

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one use; False once `limit` uses happened within `window` seconds."""
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    name = f"signin:rate:{scope}:{digest}"
    cache.add(name, 0, timeout=window)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window)
        count = 1
    return count <= limit
