from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from apps.core.plugins import app_modules


class Command(BaseCommand):
    help = "Load the demo company (idempotent): org, people, demo logins, then each module's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow with DEBUG off (never in production).")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates logins with a known password; it runs only with DEBUG on "
                "(make run sets it). Use --force on a throw-away database."
            )
        ctx = {"today": timezone.localdate(), "stdout": self.stdout}
        # Modules that work on what the others made (RUN_LAST = True, e.g. the search index) at the end.
        modules = sorted(app_modules("demo"), key=lambda m: bool(getattr(m, "RUN_LAST", False)))
        for module in modules:
            with transaction.atomic():
                module.seed(ctx)
        for module in modules:  # optional: tidy up after every module has seeded
            if hasattr(module, "after_all"):
                with transaction.atomic():
                    module.after_all(ctx)
        self.stdout.write(self.style.SUCCESS("Demo company ready."))
