from django.utils.translation import gettext_lazy as _

from apps.core.plugins import NavItem

NAV_ITEMS = [NavItem(url_name="training:home", label=_("Training"), icon="bi-mortarboard", order=60)]
