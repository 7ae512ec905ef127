from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.signin.directory import sync


class Command(BaseCommand):
    help = (
        "Compare the portal's accounts with the company directory (LDAP/AD): deactivate people "
        "who left, move people whose department changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would change, save nothing")

    def handle(self, *args, dry_run=False, **options):
        if not settings.LDAP_ENABLED:
            raise CommandError("No directory configured (set LDAP_URL and the other LDAP_* variables).")
        report = sync(dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
