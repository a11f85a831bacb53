"""Daily: point each staff member's current rank at the approved decision in force today."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from payroll.services import staff_current_rank_refresh


class Command(BaseCommand):
    help = "Update current ranks from approved salary decisions that took effect (run daily)."

    def handle(self, *args, **options):
        changed = staff_current_rank_refresh(on=timezone.localdate())
        self.stdout.write(f"{changed} staff records updated.")
