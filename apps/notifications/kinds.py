"""The catalogue of notification kinds people can set a mail preference for.

Each app declares its kinds in its own `notification_kinds.py` plug-in (see
apps/core/plugins.py), found on first use:

    GROUP = _("Regulations")          # the heading of the app's kinds in the preferences
    KINDS = [Kind("policies.approval", _("Regulation draft waiting for your approval"), mandatory=True), ...]

A kind that is not declared still works: it is mailed immediately and shows in the
preferences under its app's group. `mandatory` kinds (someone is waiting for you) can be
moved to the digest but not switched off.
"""

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from apps.core.plugins import app_modules

from .models import Channel

GENERAL = _("General")


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    mandatory: bool = False
    default: str = Channel.IMMEDIATE
    group: str = ""  # filled from the plug-in's GROUP

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(c.value, c.label) for c in Channel if not (self.mandatory and c == Channel.OFF)]


_kinds: dict[str, Kind] = {}
MODULES: dict[str, str] = {}  # app label -> group heading (from each plug-in's GROUP)
_discovered = False


def register_kind(code: str, label, *, group="", mandatory=False, default=Channel.IMMEDIATE) -> Kind:
    """Declare one kind from code, at import time of a module that is surely imported (the
    plug-in's KINDS list is the usual way)."""
    _kinds[code] = kind = Kind(code=code, label=label, group=group, mandatory=mandatory, default=default)
    return kind


def discover() -> None:
    global _discovered
    if _discovered:
        return
    for module in app_modules("notification_kinds"):
        app_label = module.__name__.split(".")[1]
        group = getattr(module, "GROUP", GENERAL)
        MODULES.setdefault(app_label, group)
        for kind in getattr(module, "KINDS", []):
            _kinds.setdefault(kind.code, replace(kind, group=kind.group or group))
    _discovered = True


def all_kinds() -> dict[str, Kind]:
    """Every declared kind by code, app by app in INSTALLED_APPS order."""
    discover()
    return _kinds


def kind_for(code: str) -> Kind:
    """A declared kind, or for another one a stand-in labelled with its app's group."""
    kinds = all_kinds()
    if code in kinds:
        return kinds[code]
    group = MODULES.get(code.split(".", 1)[0], GENERAL)
    return Kind(code=code, label=group, group=group)
