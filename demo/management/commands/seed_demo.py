"""Seed a demo province with N staff (idempotent: an existing demo is left as it is)."""

from django.core.management.base import BaseCommand, CommandError

from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_exists, seed_demo


class Command(BaseCommand):
    help = "Create a realistic demo province with N staff and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--staff", type=int, default=2000, help="number of staff (default 2000)"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, staff, seed, **options):
        if staff < len(DEMO_ACCOUNTS):
            raise CommandError(f"--staff must be at least {len(DEMO_ACCOUNTS)}.")
        if demo_exists():
            self.stdout.write("The demo province is already there; nothing to do.")
        else:
            self.stdout.write(f"Seeding the demo province with {staff} staff (seed {seed})…")
            seed_demo(staff_count=staff, seed=seed, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS("Done."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<6} {account.description}")
