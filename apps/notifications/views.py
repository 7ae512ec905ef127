from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.navigation import safe_next

from . import selectors, services


def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.notifications_for(request.user, unread_only=unread_only), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page_obj": page, "unread_only": unread_only})


@require_POST
def mark_read(request):
    ids = request.POST.getlist("id") or None
    count = services.mark_read(user=request.user, ids=[int(i) for i in ids if i.isdigit()] if ids else None)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect(safe_next(request, "notifications:list"))
