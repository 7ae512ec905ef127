"""Which pages and jobs to measure: the floor, every app's bench.py, every admin changelist.

Runs inside a configured Django (the bench database). A bench.py that fails to import
or raises gives an error entry for that app; the others are still measured.
"""

from __future__ import annotations

import random
from importlib import import_module
from urllib.parse import urlsplit

FLOOR = {"name": "floor", "path": "/floor/", "role": "staff"}
# The same middleware and no template: the floor is reported as a multiple of it.
BARE = {"name": "floor, bare view (no template)", "path": "/floor/bare/", "role": "staff"}
ALWAYS = {FLOOR["name"], BARE["name"]}

# The mixed scenario: staff, managers and HR browsing with think time. Each entry is the
# start of a measured page's name (its path and role are that page's) and its weight.
MIX = [
    ("home (staff)", 4),
    ("home (manager)", 2),
    ("home (hr)", 1),
    ("policy list", 3),
    ("long policy detail", 2),
    ("search: ", 2),
    ("process catalogue", 2),
    ("process page with diagram", 1),
    ("kpi overview as staff", 1),
    ("kpi department page", 1),
    ("my appraisals", 2),
    ("appraisal team page", 1),
    ("notifications (", 2),
    ("my approvals: waiting", 1),
]


def bench_context() -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    users = {
        u.username.removeprefix("bench-"): u for u in get_user_model().objects.filter(username__startswith="bench-")
    }
    return {
        "bench_users": {role: u.username for role, u in users.items()},
        "users": users,
        "today": timezone.localdate(),
        "rng": random.Random(2026),
    }


def bench_modules() -> tuple[list[tuple[str, object]], list[tuple[str, str]]]:
    """(label, module) for every app's bench.py in INSTALLED_APPS order, and import errors.

    Same discovery as apps.core.plugins.app_modules("bench"), one app at a time so one
    broken module does not hide the others."""
    from django.apps import apps as django_apps

    found, errors = [], []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        name = f"{config.name}.bench"
        try:
            found.append((config.label, import_module(name)))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                errors.append((config.label, f"import failed: {exc!r}"))
        except Exception as exc:
            errors.append((config.label, f"import failed: {exc!r}"))
    return found, errors


def _error_page(label: str, message: str) -> dict:
    return {
        "name": f"{label} bench.py ERROR: {message}"[:300],
        "path": "",
        "role": "",
        "error": message,
        "source": label,
    }


def _valid(page, roles) -> str | None:
    if not isinstance(page, dict) or not {"name", "path", "role"} <= set(page):
        return f"not a page dict: {page!r}"[:200]
    if page["role"] not in roles:
        return f"unknown role {page['role']!r} for {page['name']!r}"
    if not str(page["path"]).startswith("/"):
        return f"path must start with '/': {page['path']!r}"
    return None


def admin_changelists() -> list[dict]:
    """One page per model the portal's apps register in the admin (the first 100 rows)."""
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    pages = []
    for model in admin.site._registry:
        meta = model._meta
        if not meta.app_config.name.startswith("apps."):
            continue
        try:
            path = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        except NoReverseMatch:
            continue
        pages.append(
            {
                "name": f"admin: {meta.app_label}.{meta.model_name}",
                "path": path,
                "role": "admin",
                "source": "admin",
                "model": model,
            }
        )
    return pages


def _auto_peer(page: dict, changelists: list[dict], sizes: dict) -> str | None:
    """A page without an explicit admin_peer is compared with the biggest admin list of
    the app whose URLs serve it."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(page["path"]).path)
    except Resolver404:
        return None
    candidates = [c for c in changelists if c["model"]._meta.app_label in match.namespaces]
    if not candidates:
        return None
    for c in candidates:
        if c["name"] not in sizes:
            sizes[c["name"]] = c["model"]._default_manager.count()
    return max(candidates, key=lambda c: sizes[c["name"]])["name"]


def collect_pages(ctx: dict) -> list[dict]:
    roles = set(ctx["bench_users"])
    pages: list[dict] = [dict(FLOOR, source="core"), dict(BARE, source="core")]
    modules, errors = bench_modules()
    for label, message in errors:
        pages.append(_error_page(label, message))
    for label, module in modules:
        if not hasattr(module, "pages"):
            continue
        try:
            listed = list(module.pages(ctx))
        except Exception as exc:
            pages.append(_error_page(label, f"pages() raised {exc!r}"))
            continue
        for page in listed:
            problem = _valid(page, roles)
            if problem:
                pages.append(_error_page(label, problem))
            elif page["name"] not in {p["name"] for p in pages}:
                pages.append({**page, "source": label})

    changelists = admin_changelists()
    extra, sizes = [], {}
    for page in pages:
        if page.get("error") or page["name"] in ALWAYS:
            continue
        if page.get("admin_peer"):
            peer = {
                "name": f"admin peer: {page['name']}",
                "path": page["admin_peer"],
                "role": "admin",
                "source": "admin",
            }
            extra.append(peer)
            page["peer"] = peer["name"]
        else:
            page["peer"] = _auto_peer(page, changelists, sizes)
    for c in changelists:
        c.pop("model")
    return pages + extra + changelists


def collect_jobs(ctx: dict) -> tuple[list[tuple[str, dict]], list[tuple[str, str]]]:
    modules, errors = bench_modules()
    jobs = []
    for label, module in modules:
        if not hasattr(module, "jobs"):
            continue
        try:
            listed = list(module.jobs(ctx))
        except Exception as exc:
            errors.append((label, f"jobs() raised {exc!r}"))
            continue
        for job in listed:
            if isinstance(job, dict) and "name" in job and callable(job.get("run")):
                jobs.append((label, job))
            else:
                errors.append((label, f"not a job dict: {job!r}"[:200]))
    return jobs, errors


def mixed_pages(pages: list[dict]) -> list[dict]:
    """The mix's requests (path, role, weight), taken from the measured pages; a page whose
    module is missing is left out of the mix."""
    out = []
    for prefix, weight in MIX:
        page = next((p for p in pages if p["name"].startswith(prefix) and not p.get("error")), None)
        if page is not None:
            out.append({"name": page["name"], "path": page["path"], "role": page["role"], "weight": weight})
    return out
