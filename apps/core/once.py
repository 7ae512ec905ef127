"""A form that creates something is acted on once, however often it is sent (a double
click, a browser retrying, two tabs of the same page).

Each rendering of such a form carries a fresh random token ({% submit_token %}); the first
request that brings it claims it in Redis (an atomic add), a second one with the same token
does nothing and lands where the first one went. A refused form is rendered again with a
new token, so correcting and resending works."""

import secrets
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext as _

FIELD = "submit_token"
KEEP_SECONDS = 24 * 3600


def new_token() -> str:
    return secrets.token_urlsafe(18)


def claim(request) -> bool:
    """True the first time this user sends this token (or when the form carries none)."""
    token = request.POST.get(FIELD, "")
    if not token:
        return True
    return cache.add(f"submit-once:{request.user.pk}:{token[:64]}", 1, timeout=KEEP_SECONDS)


def once_per_submit(landing):
    """View decorator; landing(request, *args, **kwargs) -> where a repeated send goes."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and not claim(request):
                messages.info(request, _("This form had already been sent; it was acted on once."))
                return redirect(landing(request, *args, **kwargs))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
