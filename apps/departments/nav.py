from django.utils.translation import gettext_lazy as _

from apps.core.plugins import NavItem

NAV_ITEMS = [NavItem(url_name="departments:org_chart", label=_("Organisation"), icon="bi-people", order=90)]
