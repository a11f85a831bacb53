"""Delete the files of bulk exports past their retention (run hourly or daily)."""

from django.core.management.base import BaseCommand

from personnel.services.exports import exports_expire


class Command(BaseCommand):
    help = "Delete expired bulk-export files."

    def handle(self, *args, **options):
        self.stdout.write(f"{exports_expire()} exports expired.")
