"""Built-in reminder sources. Each module's adapter lives here (so its texts are in this app's
catalogue) and registers only when the module's models are there."""

from . import planned  # noqa: F401
