"""Rebuild everyone's participation periods from the dossier (docs/rules.md §5.9):

    python manage.py insurance_rebuild            # the people whose dossier changed since
    python manage.py insurance_rebuild --all      # everyone (after changing holidays or the
                                                  # 14-day threshold, or on first installation)

The screens rebuild the people they need before reading; running this once after installing
(and nightly) keeps a first visit to a large subtree fast.
"""

import time

from django.core.management.base import BaseCommand

from insurance.services.participation import participation_rebuild, participation_refresh


class Command(BaseCommand):
    help = "Rebuild participation periods from the dossier (stale people, or --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="everyone, not only stale people")

    def handle(self, *args, **options):
        started = time.perf_counter()
        changed = participation_rebuild() if options["all"] else participation_refresh()
        self.stdout.write(
            f"{changed} people's periods changed ({time.perf_counter() - started:.1f} s)."
        )
