"""Delete the files of CBCCVC exports past their retention (run it beside ``expire_exports``,
which also recovers these jobs when their worker died)."""

from django.core.management.base import BaseCommand

from api.cbccvc import cbccvc_exports_expire


class Command(BaseCommand):
    help = "Delete expired CBCCVC export files."

    def handle(self, *args, **options):
        self.stdout.write(f"{cbccvc_exports_expire()} CBCCVC exports expired.")
