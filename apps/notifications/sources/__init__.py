"""Built-in reminder sources. The module adapters live here (so their texts are in this app's
catalogue). An adapter whose module is missing or has changed its API is skipped with an
error in the log (the other reminders keep going); the tests check every adapter loads."""

import logging
from importlib import import_module

from . import planned  # noqa: F401

log = logging.getLogger("apps.notifications")
MODULE_ADAPTERS = ("policies", "processes", "kpis", "appraisals")
LOADED: dict[str, bool] = {}

for _name in MODULE_ADAPTERS:
    try:
        import_module(f"{__name__}.{_name}")
        LOADED[_name] = True
    except Exception:
        LOADED[_name] = False
        log.exception("reminder adapter for %s not loaded", _name)
