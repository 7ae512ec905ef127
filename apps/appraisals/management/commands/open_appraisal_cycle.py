from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.appraisals.services import appraisal_cycle_open


class Command(BaseCommand):
    help = "Open the appraisal cycle of a quarter (2026Q3) or a year (2026); running it twice creates nothing twice."

    def add_arguments(self, parser):
        parser.add_argument("period", help="2026Q3 or 2026")
        parser.add_argument(
            "--cutoff", type=date.fromisoformat, help="only people who joined before this date (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--today", type=date.fromisoformat, help="pretend today is this date (deadlines count from it)"
        )
        parser.add_argument("--no-notify", action="store_true", help="do not notify the employees")

    def handle(self, *args, **opts):
        try:
            cycle, created = appraisal_cycle_open(
                code=opts["period"], cutoff_date=opts["cutoff"], today=opts["today"], notify=not opts["no_notify"]
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        total = cycle.appraisals.count()
        self.stdout.write(f"{cycle.code}: {created} appraisals created, {total} in the cycle, stage {cycle.stage}")
