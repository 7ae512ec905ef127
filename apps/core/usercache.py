"""Per-person figures of the page layout (unread notifications, approvals waiting) kept in
Redis, so that a page does not count them again on every request.

Nothing here expires with time. Each person has a *generation*: a random token in Redis
that every write to the rows behind their figures replaces, once the write is committed
(`bump`). A cached value carries the generation it was computed under and is used only
while that generation is still the current one, so a figure is never older than the last
committed change, and a value computed while a change was committing is recomputed on the
next request.

Keys carry the person's id *and* a fingerprint of the account (the HMAC Django already
derives from the password hash, whose salt is random for every account), so a database
rebuilt with the same ids (tests, a new bench company) never meets an old value. A value
is one person's and is only ever read for the signed-in person: see
apps/core/tests/test_layout_cache.py.

Models whose rows feed a figure use `BumpingQuerySet` (set `bump_field`), which bumps the
owners' generations on save, delete, bulk create/update and queryset update/delete; see
apps/notifications/models.py and apps/approvals/models.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

GENERATION_TTL = None  # generations never expire on their own (Redis may evict them: then recomputed)
VALUE_TTL = 24 * 3600  # values of people who left are not kept forever


def _gen_key(user_id: int) -> str:
    return f"layout-gen:{user_id}"


def _value_key(user, name: str) -> str:
    fingerprint = user.get_session_auth_hash()[:16]
    return f"layout:{name}:{user.pk}:{fingerprint}:{translation.get_language() or ''}"


def bump(user_ids: Iterable[int | None]) -> None:
    """The figures of these people changed: no cached value computed before the
    transaction commits is used again."""
    ids = {int(i) for i in user_ids if i is not None}
    if not ids:
        return

    def write():
        cache.set_many({_gen_key(i): secrets.token_hex(8) for i in ids}, timeout=GENERATION_TTL)

    # Now (the writer's own next read inside this transaction, and tests, which never
    # commit) and again after the commit (a value another request computed meanwhile from
    # the rows before the commit is dropped).
    write()
    transaction.on_commit(write)


def cached_for(user, name: str, compute: Callable[[], object]):
    """`compute()` for the signed-in `user`, from Redis while none of their rows changed.
    settings.LAYOUT_CACHE = False computes every time (the test suite, so that a page's
    query count does not depend on which test filled the cache)."""
    if not getattr(settings, "LAYOUT_CACHE", True):
        return compute()
    gen_key, value_key = _gen_key(user.pk), _value_key(user, name)
    found = cache.get_many([gen_key, value_key])
    generation = found.get(gen_key)
    value = found.get(value_key)
    if generation is not None and isinstance(value, tuple) and len(value) == 2 and value[0] == generation:
        return value[1]
    if generation is None:
        generation = secrets.token_hex(8)
        if not cache.add(gen_key, generation, timeout=GENERATION_TTL):
            generation = cache.get(gen_key)
            if generation is None:  # evicted between two calls: compute, keep nothing
                return compute()
    result = compute()
    cache.set(value_key, (generation, result), timeout=VALUE_TTL)
    return result


class BumpingQuerySet(models.QuerySet):
    """A queryset whose writes bump the generations of the people in `bump_field`
    (the owner column, e.g. "recipient_id"); `bump_on` names the columns that matter
    (an update touching none of them bumps nothing)."""

    bump_field = ""
    bump_on: frozenset[str] = frozenset()

    def _owners(self) -> set:
        return set(self.order_by().values_list(self.bump_field, flat=True).distinct())

    def _matters(self, names: Iterable[str]) -> bool:
        names = {n.removesuffix("_id") for n in names}
        watched = {n.removesuffix("_id") for n in self.bump_on | {self.bump_field}}
        return bool(names & watched)

    def update(self, **kwargs):
        if not self._matters(kwargs):
            return super().update(**kwargs)
        owners = self._owners()
        changed = super().update(**kwargs)
        if changed:
            bump(owners | {kwargs[k] for k in (self.bump_field,) if k in kwargs})
        return changed

    def delete(self):
        owners = self._owners()
        result = super().delete()
        bump(owners)
        return result

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        bump(getattr(o, self.bump_field) for o in objs)
        return objs

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        changed = super().bulk_update(objs, fields, *args, **kwargs)
        if self._matters(fields):
            bump(getattr(o, self.bump_field) for o in objs)
        return changed


def watch(model: type[models.Model]) -> None:
    """Bump on save and delete of single rows too (the queryset covers bulk writes)."""
    field = model._default_manager._queryset_class.bump_field

    def changed(sender, instance, **kwargs):
        bump([getattr(instance, field)])

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"usercache-save-{model._meta.label}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"usercache-delete-{model._meta.label}")
