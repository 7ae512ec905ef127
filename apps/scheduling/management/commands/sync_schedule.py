from django.core.management.base import BaseCommand

from apps.scheduling.beat import sync_schedule


class Command(BaseCommand):
    help = "Bring the beat schedule in line with the jobs' declarations (also runs after migrate)."

    def handle(self, *args, **options):
        changes = sync_schedule()
        for what, names in changes.items():
            for name in names:
                self.stdout.write(f"{what}: {name}")
        if not any(changes.values()):
            self.stdout.write("The beat schedule is up to date.")
