from django.utils.translation import gettext_lazy as _

from apps.core.plugins import NavItem

NAV_ITEMS = [NavItem(url_name="kpis:overview", label=_("Indicators"), icon="bi-graph-up", order=30)]
