from django.utils.translation import gettext_lazy as _

from apps.core.plugins import NavItem

NAV_ITEMS = [NavItem(url_name="meetings:index", label=_("Meetings"), icon="bi-calendar-event", order=45)]
