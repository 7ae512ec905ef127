from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import events, selectors, services
from .forms import EventFilterForm, ForgotPasswordForm, UnlockForm
from .tokens import activation_tokens, reset_tokens


def _admin_only(view):
    """Administrators only; anyone else gets a 404 (the page does not exist for them)."""

    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("signin.manage"):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


# --- Forgot password ------------------------------------------------------------------


@login_not_required
def password_forgot(request):
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_request(email=form.cleaned_data["email"], ip=events.client_ip(request))
        except services.TooManyRequests:
            form.add_error(None, _("Too many requests. Please wait an hour and try again."))
            return render(request, "signin/password_forgot.html", {"form": form}, status=429)
        return redirect("signin:password_forgot_sent")
    return render(request, "signin/password_forgot.html", {"form": form})


@login_not_required
def password_forgot_sent(request):
    return render(request, "signin/password_forgot_sent.html")


@method_decorator(login_not_required, name="dispatch")
class SetPasswordFromLinkView(auth_views.PasswordResetConfirmView):
    """The page a one-time link opens (reset or activation). Django's view moves the token
    into the session and redirects, so the token never leaks in a Referer header."""

    template_name = "signin/set_password.html"
    activation = False

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "activation": self.activation}

    def form_valid(self, form):
        services.password_set_from_link(
            user=form.user, password=form.cleaned_data["new_password1"], activation=self.activation
        )
        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return HttpResponseRedirect(reverse("accounts:login"))


class ResetView(SetPasswordFromLinkView):
    token_generator = reset_tokens


class ActivateView(SetPasswordFromLinkView):
    token_generator = activation_tokens
    activation = True


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this instead of the page when a username or address is locked out."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "signin/locked_out.html", {"minutes": minutes}, status=429)


@login_not_required
@require_POST
def logout(request):
    """Ends the portal session; after single sign-on, the provider's session too."""
    id_token = request.session.get("oidc_id_token", "")
    auth_logout(request)
    if id_token and settings.OIDC_ENABLED:
        from .oidc import end_session_url

        target = end_session_url(request, id_token)
        if target:
            return HttpResponseRedirect(target)
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- Administrators -------------------------------------------------------------------


@_admin_only
def not_activated(request):
    page = Paginator(selectors.people_not_activated(), 50).get_page(request.GET.get("page"))
    never_invited = selectors.never_invited_count()
    return render(
        request, "signin/admin_not_activated.html", {"page": page, "tab": "activation", "never_invited": never_invited}
    )


@_admin_only
@require_POST
def invitation_resend(request, pk):
    person = get_object_or_404(services.not_activated(), pk=pk)
    if not person.email:
        messages.error(request, _("%(name)s has no mail address: add one first.") % {"name": person.name})
    elif not services.invitation_rate_ok(user=person, ip=events.client_ip(request)):
        messages.error(request, _("Too many mails to this address in the last hour. Please try again later."))
    elif services.invitations_send(users=[person], sent_by=request.user):
        messages.success(request, _("Activation mail sent to %(email)s.") % {"email": person.email})
    return redirect("signin:not_activated")


@_admin_only
@require_POST
def invitations_send_pending(request):
    sent = services.invitations_send_pending(sent_by=request.user)
    messages.success(
        request, ngettext("%(n)d activation mail sent.", "%(n)d activation mails sent.", sent) % {"n": sent}
    )
    return redirect("signin:not_activated")


@_admin_only
def lockouts(request):
    return render(request, "signin/admin_lockouts.html", {"lockouts": selectors.current_lockouts(), "tab": "lockouts"})


@_admin_only
@require_POST
def unlock(request):
    form = UnlockForm(request.POST)
    if form.is_valid():
        services.lockout_release(
            request=request, username=form.cleaned_data["username"], ip=form.cleaned_data["ip_address"] or ""
        )
        messages.success(request, _("Unlocked. The person can sign in again now."))
    else:
        messages.error(request, " ".join(form.errors.get("__all__", [])) or _("Nothing to unlock."))
    return redirect("signin:lockouts")


@_admin_only
def event_log(request):
    form = EventFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.events(q=data.get("q", ""), kind=data.get("kind", ""))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "signin/admin_events.html", {"page": page, "form": form, "tab": "events"})
