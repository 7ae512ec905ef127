"""Build a large company for benchmarks: the org first, then every app's scale.py.

    python manage.py generate_scale_data                      # ~200 departments, 5,000 people, module defaults
    python manage.py generate_scale_data --employees 20000 --reset
    python manage.py generate_scale_data --only org           # the organisation alone

Each app's `scale.py` adds its flags (`add_arguments(parser)`) and its rows
(`generate(ctx, options)`), in INSTALLED_APPS order, each in its own transaction: a
module that fails is reported and the others still run (the command then exits non-zero).
"""

import random
import sys
import time
import traceback
from importlib import import_module

from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.roles import Role

ORG_MODULE = "apps.departments.scale"
# Tables --reset keeps: migrations' own rows (content types, permissions, the role
# groups) and the scheduler's configuration.
KEEP_APPS = {"contenttypes", "auth", "django_celery_beat"}


def scale_modules() -> tuple[list, list[tuple[str, str]]]:
    """Every app's scale.py, the org first; import errors are returned, not raised."""
    found, errors = [], []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        name = f"{config.name}.scale"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                errors.append((config.label, f"import failed: {exc!r}"))
            continue
        except Exception as exc:  # a broken module must not stop the others
            errors.append((config.label, f"import failed: {exc!r}"))
            continue
        module.LABEL = config.label
        found.append(module)
    # The org first; modules that index what the others made (RUN_LAST = True) at the end.
    found.sort(key=lambda m: (m.__name__ != ORG_MODULE) + 2 * bool(getattr(m, "RUN_LAST", False)))
    return found, errors


def reset_database(stdout) -> None:
    """Empty every portal table in one TRUNCATE (the demo too: meant for a bench database)."""
    tables = sorted(
        {
            model._meta.db_table
            for model in django_apps.get_models(include_auto_created=True)
            if model._meta.app_label not in KEEP_APPS and model._meta.managed and not model._meta.proxy
        }
        & set(connection.introspection.table_names())
    )
    with connection.cursor() as cur:
        # Rows written earlier in the same transaction (a test) still have deferred FK checks.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
    for role in Role.values:  # kept by KEEP_APPS, but make sure
        Group.objects.get_or_create(name=role)
    stdout.write(f"  reset: emptied {len(tables)} tables")


class Command(BaseCommand):
    help = "Generate a large company (org + every module's data) with bulk inserts, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Empty every portal table first (including any demo data)."
        )
        parser.add_argument(
            "--only",
            default="",
            help="Comma-separated app labels to generate besides the org ('org' alone: only the organisation).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same company).")
        self._import_errors = []
        modules, self._import_errors = scale_modules()
        for module in modules:
            if hasattr(module, "add_arguments"):
                try:
                    module.add_arguments(parser)
                except Exception as exc:
                    self._import_errors.append((module.LABEL, f"add_arguments failed: {exc!r}"))

    def handle(self, *args, **options):
        modules, _errors = scale_modules()
        only = {s.strip() for s in options["only"].split(",") if s.strip()}
        if only:
            modules = [m for m in modules if m.__name__ == ORG_MODULE or m.LABEL in only]
        if not modules or modules[0].__name__ != ORG_MODULE:
            raise CommandError("apps/departments/scale.py (the organisation) is missing.")
        ctx = {
            "rng": random.Random(options["seed"]),
            "today": timezone.localdate(),
            "stdout": self.stdout,
            "timings": [],
        }
        failures = [(label, msg) for label, msg in self._import_errors if not only or label in only]
        started = time.perf_counter()
        if options["reset"]:
            with transaction.atomic():
                reset_database(self.stdout)
        for module in modules:
            t0 = time.perf_counter()
            try:
                with transaction.atomic():
                    module.generate(ctx, options)
            except Exception as exc:
                if module.__name__ == ORG_MODULE:
                    raise  # nothing else can run without the org
                failures.append((module.LABEL, repr(exc)))
                traceback.print_exc(file=sys.stderr)
                self.stderr.write(f"  {module.LABEL}: FAILED ({exc!r}); continuing")
                continue
            self.stdout.write(f"  {module.LABEL}: {time.perf_counter() - t0:.1f} s")
        with connection.cursor() as cur:
            cur.execute("ANALYZE")  # fresh statistics, or the first queries plan for empty tables
        total = time.perf_counter() - started
        self.stdout.write("Timings:")
        for row in ctx["timings"]:
            self.stdout.write(f"  {row['name']:<48} {row['seconds']:7.2f} s  {row['items']:>8} items")
        self.stdout.write(f"  {'total':<48} {total:7.2f} s")
        self.stdout.write("Bench logins: " + ", ".join(f"{k}={v}" for k, v in ctx.get("bench_users", {}).items()))
        if failures:
            raise CommandError("Some modules failed: " + "; ".join(f"{label}: {msg}" for label, msg in failures))
        self.stdout.write(self.style.SUCCESS("Scale data ready."))
