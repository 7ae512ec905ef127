from django.utils.translation import gettext_lazy as _

from apps.core.plugins import NavItem

NAV_ITEMS = [NavItem(url_name="appraisals:home", label=_("Appraisals"), icon="bi-clipboard-check", order=40)]
