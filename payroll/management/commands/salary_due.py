"""Due lists from the command line: the same lists as the salary screen, as JSON or XLSX.

    python manage.py salary_due --unit SGDDT --from 2026-07-01 --to 2026-12-31 --format json
    python manage.py salary_due --unit SGDDT --from 2026-07-01 --to 2026-12-31 --format xlsx \\
        --list retirement --out retirements.xlsx
"""

import datetime
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from payroll.exporters.due_list import DueListExport
from payroll.selectors.due_lists import LISTS, due_list
from personnel.models import OrgUnit, Staff


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from error


class Command(BaseCommand):
    help = "Print or save a salary due list for a unit subtree and a date range."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit code (the list covers its subtree)")
        parser.add_argument("--from", dest="start", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument("--list", default="regular", choices=[*LISTS, "all"])
        parser.add_argument("--format", default="json", choices=["json", "xlsx"])
        parser.add_argument("--out", help="file to write (required for xlsx; JSON goes to stdout)")

    def handle(self, *args, unit, start, end, format, out, **options):
        list = options["list"]  # the option is called --list
        translation.activate(settings.LANGUAGE_CODE)
        if end < start:
            raise CommandError("--to comes before --from.")
        root = OrgUnit.objects.filter(code=unit).first()
        if root is None:
            raise CommandError(f"No unit with the code {unit!r}.")
        staff = Staff.objects.filter(status=Staff.Status.ACTIVE).in_subtree(root)
        kinds = [*LISTS] if list == "all" else [list]
        results = {  # every row is read (written out once)
            kind: [*due_list(staff=staff, kind=kind, start=start, end=end)] for kind in kinds
        }
        if format == "xlsx":
            if not out:
                raise CommandError("--out FILE is required for --format xlsx.")
            if len(kinds) != 1:
                raise CommandError("XLSX holds one list: choose --list.")
            with open(out, "wb") as handle:
                handle.write(DueListExport(results[kinds[0]], kinds[0]).xlsx())
            self.stderr.write(f"{len(results[kinds[0]])} rows written to {out}")
            return
        document = {
            "unit": {"code": root.code, "name": root.name},
            "from": start.isoformat(),
            "to": end.isoformat(),
            "lists": {kind: [_row_json(row) for row in rows] for kind, rows in results.items()},
        }
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if out:
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text)


def _row_json(row) -> dict:
    return {
        "staff_number": row.staff_number,
        "full_name": row.full_name,
        "unit": row.unit_name,
        "rank": row.rank_code,
        "step": row.step,
        "coefficient": str(row.coefficient) if row.coefficient is not None else None,
        "beyond_scale_percent": str(row.beyond_scale_percent),
        "due_date": row.due_date.isoformat() if row.due_date else None,
        "retires_on": row.retires_on.isoformat() if row.retires_on else None,
        "proposed_step": row.proposed_step,
        "proposed_coefficient": str(row.proposed_coefficient)
        if row.proposed_coefficient is not None
        else None,
        "proposed_beyond_scale_percent": str(row.proposed_percent),
        "outside_quota": row.outside_quota,
        "payroll_unit": row.payroll_unit_name or None,
        "quota": row.quota,
        "why": row.why(),
        "reasons": row.reasons(),
    }
