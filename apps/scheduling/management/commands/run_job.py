from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.scheduling import registry
from apps.scheduling.models import JobRun
from apps.scheduling.runner import run_job


class Command(BaseCommand):
    help = "Run one scheduled job now (same code as the Celery task). --list shows the jobs."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?")
        parser.add_argument("--list", action="store_true", dest="list_jobs", help="List the registered jobs.")
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD (09:00 local time).")

    def handle(self, *args, name=None, list_jobs=False, date=None, **options):
        if list_jobs or not name:
            for job in registry.all_jobs():
                self.stdout.write(f"{job.name:32} {job.description}")
            return
        now = None
        if date:
            day = datetime.strptime(date, "%Y-%m-%d").date()
            now = timezone.make_aware(datetime.combine(day, time(9)))
        try:
            run = run_job(name, now=now)
        except registry.UnknownJob:
            raise CommandError(f"Unknown job {name!r}; `run_job --list` shows them.") from None
        if run.outcome != JobRun.Outcome.OK:
            raise CommandError(f"{name} failed after {run.duration}s:\n{run.error}")
        self.stdout.write(self.style.SUCCESS(f"{name}: {run.items} items in {run.duration}s"))
