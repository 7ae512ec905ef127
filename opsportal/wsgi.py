import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsportal.settings")
application = get_wsgi_application()

from opsportal.security import require_own_secret_key  # noqa: E402 (settings are loaded now)

require_own_secret_key()
