from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import path

from . import views

app_name = "signin"
URL_PREFIX = "signin/"


def _oidc(view_name):
    """The single sign-on views, answering 404 until OIDC is configured."""

    @login_not_required
    def view(request, *args, **kwargs):
        from django.conf import settings

        if not settings.OIDC_ENABLED:
            raise Http404
        from . import oidc

        return getattr(oidc, view_name).as_view()(request, *args, **kwargs)

    return view


urlpatterns = [
    path("password/forgot/", views.password_forgot, name="password_forgot"),
    path("password/forgot/sent/", views.password_forgot_sent, name="password_forgot_sent"),
    path("password/reset/<uidb64>/<token>/", views.ResetView.as_view(), name="reset"),
    path("activate/<uidb64>/<token>/", views.ActivateView.as_view(), name="activate"),
    path("logout/", views.logout, name="logout"),
    path("oidc/authenticate/", _oidc("AuthenticateView"), name="oidc_authenticate"),
    path("oidc/callback/", _oidc("CallbackView"), name="oidc_callback"),
    path("admin/not-activated/", views.not_activated, name="not_activated"),
    path("admin/not-activated/<int:pk>/send/", views.invitation_resend, name="invitation_resend"),
    path("admin/not-activated/send-all/", views.invitations_send_pending, name="invitations_send_pending"),
    path("admin/lockouts/", views.lockouts, name="lockouts"),
    path("admin/lockouts/unlock/", views.unlock, name="unlock"),
    path("admin/log/", views.event_log, name="events"),
]
