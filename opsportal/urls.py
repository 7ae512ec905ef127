from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.core.views import healthz

admin.site.site_header = _("OpsPortal administration")
admin.site.site_title = _("OpsPortal")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("org/", include("apps.departments.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("", include("apps.core.urls")),
]

# Each module mounts itself once it has a urls.py (modules are built one issue at a time).
for prefix, module in [
    ("policies/", "apps.policies.urls"),
    ("processes/", "apps.processes.urls"),
    ("kpis/", "apps.kpis.urls"),
    ("appraisals/", "apps.appraisals.urls"),
]:
    if find_spec(module) is not None:
        urlpatterns.append(path(prefix, include(module)))
