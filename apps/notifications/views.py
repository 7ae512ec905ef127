from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.navigation import safe_next

from . import selectors, services
from .forms import PreferencesForm
from .kinds import kind_for
from .models import Notification


def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.notifications_for(request.user, unread_only=unread_only, kind=kind), 30).get_page(
        request.GET.get("page")
    )
    for n in page:
        n.kind_label = kind_for(n.kind).label
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": page,
            "unread_only": unread_only,
            "kind": kind,
            "kinds": selectors.kinds_of(request.user),
        },
    )


def open_notification(request, pk: int):
    """Follow a notification to its object, marking it read (someone else's: 404)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, {request.get_host()}, request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


def dropdown(request):
    """The bell's menu, fetched when it opens (so other pages pay nothing for it)."""
    return render(request, "notifications/_dropdown.html", {"latest": selectors.latest_for(request.user)})


@require_POST
def mark_read(request):
    ids = request.POST.getlist("id") or None
    count = services.mark_read(user=request.user, ids=[int(i) for i in ids if i.isdigit()] if ids else None)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect(safe_next(request, "notifications:list"))


def preferences(request):
    current = {row["kind"].code: row["channel"] for row in selectors.preferences_of(request.user)}
    form = PreferencesForm(request.POST or None, initial_channels=current)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(user=request.user, channels=form.cleaned_data)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
