"""Request and response guards every page shares."""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_cache_control


def _has_nul(querydict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists())


class RejectNulBytesMiddleware:
    """A NUL byte cannot be stored in PostgreSQL text and is never typed by a person: a
    request carrying one in its path, query or form fields gets a 400 page in the user's
    language instead of reaching a view (where it would end as a database error)."""

    # Views that answer such input themselves (the sign-in forms log it as a failed attempt).
    OWN_HANDLING = {"accounts:login", "signin:password_forgot"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return render(request, "core/bad_input.html", status=400)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match and request.resolver_match.view_name in self.OWN_HANDLING:
            return None
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return render(request, "core/bad_input.html", status=400)
        return None


class PrivatePagesMiddleware:
    """Pages and downloads carry personal data: no shared cache or back-button cache keeps
    them (static files are served before this by whitenoise and stay cacheable). Also the
    Permissions-Policy: the portal needs no camera, microphone, location or payment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") or "no-store" not in response["Cache-Control"]:
            patch_cache_control(response, private=True, no_store=True)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
