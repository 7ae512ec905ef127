from django.utils.translation import gettext_lazy as _

from apps.core.plugins import NavItem

NAV_ITEMS = [NavItem(url_name="processes:list", label=_("Processes"), icon="bi-diagram-3", order=20)]
