import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsportal.settings")
application = get_asgi_application()

from opsportal.security import require_own_secret_key  # noqa: E402 (settings are loaded now)

require_own_secret_key()
