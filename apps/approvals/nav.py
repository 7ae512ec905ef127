from django.utils.translation import gettext_lazy as _

from apps.core.plugins import NavItem

NAV_ITEMS = [NavItem(url_name="approvals:inbox", label=_("Approvals"), icon="bi-check2-square", order=15)]
