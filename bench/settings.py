"""The production settings, with static files collected into the bench's own temp dir.

Everything else (DEBUG off, whitenoise with the compressed manifest storage, middleware,
database options) is exactly opsportal.settings.
"""

import os

from opsportal.settings import *  # noqa: F403

STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT") or STATIC_ROOT  # noqa: F405
