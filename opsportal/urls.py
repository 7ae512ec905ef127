from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.core.plugins import app_modules
from apps.core.views import healthz

# Errors in the portal's layout and the user's language (templates/404.html, 403.html, 500.html;
# 404 and 403 use Django's own handlers, the 500 page a bare one that needs no database).
handler500 = "apps.core.views.server_error"

admin.site.site_header = _("OpsPortal administration")
admin.site.site_title = _("OpsPortal")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
# Every app mounts its own urls.py at the URL_PREFIX it declares (core last: it owns "").
for module in sorted(app_modules("urls"), key=lambda m: m.URL_PREFIX == ""):
    urlpatterns.append(path(module.URL_PREFIX, include(module)))
