"""催办: a person reminds the others who have not yet done their part of one thing, at most
once a day per thing and scope. Modules decide what the thing is and who is behind; this
engine only guarantees "once a day" and sends.

The guarantee is the database's: `nudge_once` inserts the (kind, thing, scope, day) key
first, in the caller's transaction; a second click, or a colleague's click at the same
moment, waits on the unique index and then finds the key taken, so it notifies nobody."""

from collections.abc import Iterable
from datetime import date
from itertools import groupby

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from .models import Nudge
from .services import notify_many


def nudge_once(
    *,
    kind: str,
    thing: str,
    scope: str,
    day: date,
    actor,
    recipients: Iterable,
    title: str,
    params: dict | None = None,
    url: str = "",
    subject=None,
) -> int | None:
    """Remind `recipients` (never the actor). `title` is an untranslated message
    (gettext_noop) with %(name)s `params`, written in each recipient's language. Returns how
    many were reminded, or None when this thing was already nudged in this scope on `day`
    (then nothing is sent). `subject` is what the reminder is about, so that doing the task
    resolves it like the module's own reminders."""
    people = [r for r in {r.pk: r for r in recipients}.values() if r.pk != actor.pk]
    with transaction.atomic():
        try:
            with transaction.atomic():
                Nudge.objects.create(kind=kind, thing=thing, scope=scope, day=day, actor=actor, recipients=len(people))
        except IntegrityError:
            return None

        def language(person):
            return person.preferred_language or settings.LANGUAGE_CODE

        for lang, group in groupby(sorted(people, key=language), key=language):
            with translation.override(lang):
                text = gettext(title) % (params or {})
                notify_many(recipients=list(group), kind=kind, title=text, url=url, subject=subject)
    return len(people)


def nudged_today(*, kind: str, scope: str, day: date) -> set[str]:
    """The things of `kind` already nudged in `scope` on `day` (one query)."""
    return set(Nudge.objects.filter(kind=kind, scope=scope, day=day).values_list("thing", flat=True))


def nudge_message(request, sent: int | None) -> None:
    """What the nudging person is told (views call this after `nudge_once`)."""
    from django.contrib import messages
    from django.utils.translation import ngettext

    if sent is None:
        messages.info(request, gettext("Already nudged today; you can nudge again tomorrow."))
    elif sent == 0:
        messages.info(request, gettext("Everyone has done their part; nobody needed a reminder."))
    else:
        messages.success(
            request, ngettext("%(n)d person was reminded.", "%(n)d people were reminded.", sent) % {"n": sent}
        )
