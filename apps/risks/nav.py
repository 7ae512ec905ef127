from django.utils.translation import gettext_lazy as _

from apps.core.plugins import NavItem

NAV_ITEMS = [NavItem(url_name="risks:register", label=_("Risks"), icon="bi-shield-exclamation", order=50)]
