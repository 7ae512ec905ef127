"""How the modules plug into shared pages, commands and engines without editing them.

Arrows point one way: a domain app (policies, processes, kpis, appraisals, ...) imports the
foundation (core, accounts, departments) and the engines (notifications, scheduling, ...);
the engines and core never import a domain app (apps/core/tests/test_engine_imports.py
fails if one does). Instead each app may provide, next to its models, plug-in modules that
`app_modules(name)` finds:

  home.py    -> def my_work(user) -> list[WorkPanel]         (the home page's "my work")
                def role_panels(user) -> list[WorkPanel]     (optional: "how things stand" for
                                         the roles that watch the company, HR or a team; a
                                         panel with `template` renders its own body, a chart)
  demo.py    -> def seed(ctx: dict) -> None                   (`manage.py seed_demo`; optional
                def after_all(ctx) once every app has seeded)
  scale.py   -> def add_arguments(parser); def generate(ctx: dict, options: dict)
                                                             (`manage.py generate_scale_data`)
  bench.py   -> def pages(ctx) -> list[dict]; def jobs(ctx) -> list[dict]   (`make bench`)
  nav.py     -> NAV_ITEMS = [NavItem(...)]                    (the top bar, sorted by `order`)
  urls.py    -> URL_PREFIX = "name/"                          (mounted by opsportal/urls.py)
  notification_kinds.py -> GROUP = _("Heading"); KINDS = [Kind("app.code", _("Label"), mandatory=...)]
                                        (the kinds people set a mail preference for:
                                         apps/notifications/kinds.py)
  reminders.py -> SOURCES = [MyReminderSource(), ...]         (what the reminder scan sends:
                                         apps/notifications/reminding.py, ReminderSource)
  jobs.py    -> @job("app.name", _("What it does."), schedule="0 9 * * *")
                def name(now) -> int                          (scheduled jobs and their crontab:
                                         apps/scheduling/registry.py; the beat schedule is
                                         built from them by apps/scheduling/beat.py)
  topbar.py  -> def badges(user) -> list[TopbarBadge]         (counters next to the bell; one cheap query each)

They are called in INSTALLED_APPS order, so departments seed before policies, and so on.
A module's texts (kind labels, reminder titles) live in its own catalogue.
"""

from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from django.apps import apps as django_apps

PORTAL_APP_PREFIX = "apps."


@dataclass
class WorkItem:
    title: str
    url: str
    detail: str = ""
    badge: str = ""  # short status text
    badge_tone: str = "secondary"  # bootstrap colour name


@dataclass
class WorkPanel:
    """One card on the home page. `items` are the first few; `count` is the full number."""

    key: str
    title: str
    icon: str
    items: list[WorkItem] = field(default_factory=list)
    count: int = 0
    more_url: str = ""
    empty_text: str = ""
    order: int = 100
    # A role panel may render its own body (charts, a nudge button): the template is
    # included inside the card with `panel` and `data` in its context.
    template: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    icon: str  # a bootstrap-icons class
    order: int = 100


@dataclass(frozen=True)
class TopbarBadge:
    url: str
    label: str
    icon: str
    count: int = 0


_FOUND: dict[str, list[ModuleType]] = {}


def app_modules(name: str) -> list[ModuleType]:
    """The apps' `name` modules, in INSTALLED_APPS order. Looked up once per process: a
    missing module costs a search of the file system, and the layout asks on every page."""
    if name in _FOUND:
        return _FOUND[name]
    found = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            found.append(import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
    if django_apps.ready:
        _FOUND[name] = found
    return found


def home_panels(user) -> list[WorkPanel]:
    panels: list[WorkPanel] = []
    for module in app_modules("home"):
        panels.extend(module.my_work(user))
    return sorted(panels, key=lambda p: p.order)


def role_panels(user) -> list[WorkPanel]:
    """The "how things stand" panels for this user's roles (each app decides who sees what)."""
    panels: list[WorkPanel] = []
    for module in app_modules("home"):
        if hasattr(module, "role_panels"):
            panels.extend(module.role_panels(user))
    return sorted(panels, key=lambda p: p.order)


def nav_items() -> list[NavItem]:
    items = [item for module in app_modules("nav") for item in module.NAV_ITEMS]
    return sorted(items, key=lambda item: item.order)


def topbar_badges(user) -> list[TopbarBadge]:
    return [badge for module in app_modules("topbar") for badge in module.badges(user)]
