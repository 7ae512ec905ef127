from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .health import health_report
from .plugins import home_panels, role_panels


def home(request):
    return render(
        request,
        "core/home.html",
        {"panels": home_panels(request.user), "role_panels": role_panels(request.user)},
    )


def floor(request):
    """The base layout and nothing else: the benchmark's floor, the cost of being a page."""
    return render(request, "core/floor.html")


def floor_bare(request):
    """The same middleware (session, sign-in, CSRF, audit…) and no template: what the
    floor page costs beyond this is the base layout's own."""
    from django.http import HttpResponse

    return HttpResponse(f"<!doctype html><title>floor</title><p>{request.user.pk}</p>")


@login_not_required
@never_cache
def healthz(request):
    ok, report = health_report()
    return JsonResponse(report, status=200 if ok else 503)


def import_progress(request, job):
    """How far the worker got reading a large import; opens the preview when it is done."""
    from django.http import Http404
    from django.shortcuts import redirect

    from .imports import state

    info = state(job)
    if info is None or info.get("user_id") != request.user.pk:
        raise Http404
    if info.get("state") == "done":
        return redirect(info["url"])
    total = max(info.get("total") or 0, info.get("done") or 0, 1)
    percent = 100 if info.get("state") == "failed" else int(100 * (info.get("done") or 0) / total)
    failed = info.get("state") == "failed"
    return render(request, "core/import_progress.html", {"info": info, "percent": percent, "failed": failed})


@login_not_required
def server_error(request, template_name="500.html"):
    """handler500: the portal's own 500 page, in the language of the request that failed.
    It is rendered from a bare Context (no request, user, context processors or database:
    any of them may be what failed), and if even that fails, a plain text answer in both
    languages goes out instead of nothing."""
    import logging

    from django.http import HttpResponseServerError
    from django.template import Context, loader
    from django.urls import NoReverseMatch, reverse

    try:
        home_url = reverse("core:home")
    except NoReverseMatch:  # pragma: no cover (the URL configuration itself is broken)
        home_url = "/"
    try:
        body = loader.get_template(template_name).template.render(Context({"home_url": home_url}))
    except Exception:  # the error page must not become a second error
        logging.getLogger(__name__).exception("the 500 page could not be rendered")
        body = "服务器出错，请稍后再试。\nServer error: please try again in a moment.\n"
        return HttpResponseServerError(body, content_type="text/plain; charset=utf-8")
    return HttpResponseServerError(body)


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; it lives with the static files."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("favicon.ico"), permanent=True)
