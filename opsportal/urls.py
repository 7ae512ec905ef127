from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.core.plugins import app_modules
from apps.core.views import healthz

admin.site.site_header = _("OpsPortal administration")
admin.site.site_title = _("OpsPortal")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
# Every app mounts its own urls.py at the URL_PREFIX it declares (core last: it owns "").
for module in sorted(app_modules("urls"), key=lambda m: m.URL_PREFIX == ""):
    urlpatterns.append(path(module.URL_PREFIX, include(module)))
