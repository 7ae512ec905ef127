"""Arrows point from the modules to the engines, never back: the foundation and the engines
(core, notifications, scheduling) import no domain app, not even lazily inside a function or
by name through import_module. A module joins them through its plug-ins (apps/core/plugins.py)."""

import ast
from pathlib import Path

import pytest

APPS_DIR = Path(__file__).resolve().parents[2]
CHECKED = ("core", "notifications", "scheduling")
# The foundation and the engines; every other app in apps/ is a domain app.
NOT_DOMAIN = {"core", "accounts", "departments", "notifications", "scheduling", "search", "approvals", "audit"}


def domain_apps() -> set[str]:
    return {p.parent.name for p in APPS_DIR.glob("*/apps.py")} - NOT_DOMAIN


def imported_names(source: str, module: str) -> list[tuple[int, str]]:
    """Every module name the source imports: import statements (relative ones resolved
    against `module`, the dotted name of the file) and import_module("...") / __import__("...")."""
    found = []
    package = module.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level] + ([base] if base else []))
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def violations(source: str, module: str, domain: set[str]) -> list[str]:
    out = []
    for line, name in imported_names(source, module):
        parts = name.split(".")
        if len(parts) >= 2 and parts[0] == "apps" and parts[1] in domain:
            out.append(f"{module}:{line} imports {name}")
    return out


def test_the_engines_import_no_domain_app():
    domain = domain_apps()
    assert {"policies", "processes", "kpis", "appraisals"} <= domain
    found = []
    for app in CHECKED:
        for path in sorted((APPS_DIR / app).rglob("*.py")):
            module = ".".join(path.relative_to(APPS_DIR.parent).with_suffix("").parts)
            found += violations(path.read_text(encoding="utf-8"), module, domain)
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "import apps.kpis.models",
        "from apps.kpis import selectors",
        "from apps import kpis",
        "def f():\n    from apps.appraisals.services import open_cycle\n",
        "from importlib import import_module\nimport_module('apps.policies.models')",
        "from ...kpis import models",  # relative, climbing out of apps/notifications/sources/
    ],
)
def test_the_check_sees_every_way_of_importing(source):
    assert violations(source, "apps.notifications.sources.x", {"kpis", "policies", "appraisals"})


def test_the_check_lets_engines_and_the_foundation_through():
    source = "from apps.accounts.permissions import is_ops\nfrom apps.core.plugins import app_modules\nfrom . import x"
    assert violations(source, "apps.notifications.x", {"kpis"}) == []
