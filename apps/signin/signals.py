from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import events
from .models import SignInEvent


@receiver(user_logged_in, dispatch_uid="signin_login")
def _logged_in(sender, request, user, **kwargs):
    axes_reset(username=user.get_username())
    events.record(SignInEvent.Kind.LOGIN, request=request, user=user, method=events.method_of(request, user))


@receiver(user_logged_out, dispatch_uid="signin_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        events.record(SignInEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="signin_failed")
def _failed(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # the lockout receiver writes this one
    # Single sign-on has no username in its credentials: the backend noted the provider's.
    username = credentials.get("username") or getattr(request, "signin_username", "") or ""
    user = get_user_model().objects.filter(username=username).first() if username and "\x00" not in username else None
    detail = getattr(request, "signin_refusal", "") if request is not None else ""
    events.record(
        SignInEvent.Kind.FAILED,
        request=request,
        username=username,
        user=user,
        method=events.method_of(request),
        detail=detail,
    )


@receiver(user_locked_out, dispatch_uid="signin_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    events.record(
        SignInEvent.Kind.LOCKED_OUT, request=request, username=username or "", method=events.method_of(request)
    )
