from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .health import health_report
from .plugins import home_panels


def home(request):
    return render(request, "core/home.html", {"panels": home_panels(request.user)})


def floor(request):
    """The base layout and nothing else: the benchmark's floor, the cost of being a page."""
    return render(request, "core/floor.html")


@login_not_required
@never_cache
def healthz(request):
    ok, report = health_report()
    return JsonResponse(report, status=200 if ok else 503)
