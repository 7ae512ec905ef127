from django.utils.translation import gettext_lazy as _

from apps.core.plugins import NavItem

NAV_ITEMS = [NavItem(url_name="policies:list", label=_("Regulations"), icon="bi-journal-text", order=10)]
