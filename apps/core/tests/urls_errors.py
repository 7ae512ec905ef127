"""The portal's URLs plus two that fail on purpose (for the error-page tests)."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from opsportal.urls import handler500  # noqa: F401 (handler500 is looked up here)
from opsportal.urls import urlpatterns as portal_urls


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("test-errors/forbidden/", forbidden), path("test-errors/broken/", broken), *portal_urls]
