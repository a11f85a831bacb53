"""Delete the files of bulk exports past their retention, and recover background jobs whose
worker died (retried once, then failed; see ``hrms.jobs``). Run it regularly (every few
minutes to hourly)."""

from django.core.management.base import BaseCommand

from hrms import jobs
from personnel.services.exports import exports_expire


class Command(BaseCommand):
    help = "Delete expired bulk-export files; retry or fail jobs whose worker died."

    def handle(self, *args, **options):
        self.stdout.write(f"{jobs.recover_expired()} stalled jobs recovered.")
        self.stdout.write(f"{exports_expire()} exports expired.")
