"""Merge units or split one, as the administration site's screens do, recording the lineage
event (``personnel.services.units_merge`` / ``unit_split``). Units are named by their codes;
new units are established first (administration site or ``unit_establish``).

    manage.py units_change merge --into TY --units TY TY2 --date 01/07/2026 --basis "…" --by admin
    manage.py units_change split --unit OLD --into N1 N2 --staff-to N1 --date 01/07/2026 \
        --basis "…" --by admin

Staff still in the service follow their unit (docs/rules.md §9.5): into the merged unit, or
into the resulting unit named by ``--staff-to`` when the unit split ends.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from personnel import services
from personnel.models import OrgUnit


def _day(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as error:
        raise CommandError(f"Date {text!r}: use dd/mm/yyyy.") from error


def _unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code, valid_to__isnull=True).first()
    if unit is None:
        raise CommandError(f"No current unit with the code {code!r}.")
    return unit


class Command(BaseCommand):
    help = "Merge units into one, or split a unit, recording the lineage event."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        merge = sub.add_parser("merge", help="merge units into one")
        merge.add_argument("--units", nargs="+", required=True, help="codes of the units merged")
        merge.add_argument("--into", required=True, help="code of the resulting unit")
        split = sub.add_parser("split", help="split a unit")
        split.add_argument("--unit", required=True, help="code of the unit split")
        split.add_argument("--into", nargs="+", required=True, help="codes of resulting units")
        split.add_argument("--continues", action="store_true", help="the unit split continues")
        split.add_argument(
            "--staff-to", help="code of the resulting unit that receives the staff (if it ends)"
        )
        for command in (merge, split):
            command.add_argument("--date", required=True, help="effective date, dd/mm/yyyy")
            command.add_argument("--basis", required=True, help="legal basis")
            command.add_argument("--by", required=True, help="username recorded as the actor")

    def handle(self, *args, **options):
        actor = get_user_model().objects.filter(username=options["by"]).first()
        if actor is None:
            raise CommandError(f"No user {options['by']!r}.")
        common = {
            "effective_date": _day(options["date"]),
            "legal_basis": options["basis"],
            "actor": actor,
        }
        try:
            if options["action"] == "merge":
                event = services.units_merge(
                    sources=[_unit(code) for code in options["units"]],
                    result=_unit(options["into"]),
                    **common,
                )
            else:
                event = services.unit_split(
                    source=_unit(options["unit"]),
                    results=[_unit(code) for code in options["into"]],
                    source_continues=options["continues"],
                    staff_to=_unit(options["staff_to"]) if options["staff_to"] else None,
                    **common,
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Lineage event {event.pk}: {event.kind} on {event.effective_date}; "
            f"{event.staff_moved} staff transferred."
        )
