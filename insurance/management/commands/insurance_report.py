"""Reports to the insurance office from the command line, the same as the insurance screen:

    python manage.py insurance_report --unit SGDDT --month 2026-07 --format xlsx --out d02lt.xlsx
    python manage.py insurance_report --unit SGDDT --month 2026-07 --report register \\
        --format xlsx --out register.xlsx
    python manage.py insurance_report --unit SGDDT --month 2026-07 --format json

``--report d02lt`` (the default) is the monthly change list; ``register`` is the summary per
reporting unit and the register. Rows lacking both a social-insurance number and a personal ID
are kept, flagged, and counted on stderr.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from insurance.exporters.d02lt import ChangeListExport, month_text
from insurance.exporters.register import register_workbook
from insurance.selectors.changes import change_list
from insurance.selectors.register import register
from insurance.selectors.templates import d02lt_layout
from insurance.services.participation import participation_refresh
from payroll.services.runs import month_of
from personnel.models import OrgUnit


class Command(BaseCommand):
    help = "Write the D02-LT change list (or the register) of a unit subtree for a month."

    def add_arguments(self, parser):
        parser.add_argument(
            "--unit", required=True, help="unit code (the report covers its subtree)"
        )
        parser.add_argument("--month", required=True, help="YYYY-MM (or MM/YYYY)")
        parser.add_argument("--report", default="d02lt", choices=["d02lt", "register"])
        parser.add_argument("--format", default="xlsx", choices=["xlsx", "json"])
        parser.add_argument("--out", help="file to write (required for xlsx; JSON goes to stdout)")

    def handle(self, *args, unit, month, report, format, out, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            year, number = month_of(month)
        except ValidationError as error:
            raise CommandError(f"Not a month (YYYY-MM): {month}") from error
        key = year * 100 + number
        root = OrgUnit.objects.filter(code=unit).first()
        if root is None:
            raise CommandError(f"No unit with the code {unit!r}.")
        subtree = list(OrgUnit.objects.under(root.path).values_list("pk", flat=True))
        participation_refresh(unit_ids=subtree)
        if format == "xlsx" and not out:
            raise CommandError("--out FILE is required for --format xlsx.")
        if report == "d02lt":
            found = change_list(month=key, unit_ids=subtree)
            layout, errors = d02lt_layout(key)
            for error in errors:
                self.stderr.write(f"Template: {error} (the built-in layout is used)")
            flagged = len(found.problems)
            if format == "xlsx":
                content = ChangeListExport(found, layout).xlsx()
            else:
                content = json.dumps(_changes_json(found), ensure_ascii=False, indent=2)
            rows = len(found.changes)
        else:
            found = register(month=key, unit_ids=subtree, funds=format == "xlsx")
            flagged = len(found.problems)
            if format == "xlsx":
                content = register_workbook(found)
            else:
                content = json.dumps(_register_json(found), ensure_ascii=False, indent=2)
            rows = len(found.rows)
        if out:
            mode = "wb" if isinstance(content, bytes) else "w"
            with open(out, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as handle:
                handle.write(content)
        else:
            self.stdout.write(content)
        self.stderr.write(
            f"{rows} rows for {month_text(key)}" + (f" written to {out}" if out else "")
        )
        if flagged:
            self.stderr.write(f"{flagged} rows need attention (see the notes).")


def _money(value) -> str | None:
    return None if value is None else str(value)


def _changes_json(found) -> dict:
    return {
        "month": month_text(found.month),
        "units": [
            {
                "unit": {"code": group.unit.code, "name": group.unit.name},
                "insurance_code": group.registration.code if group.registration else "",
                "changes": [
                    {
                        "kind": change.kind,
                        "full_name": change.full_name,
                        "social_insurance_number": change.social_insurance_number,
                        "personal_id": change.personal_id,
                        "salary": _money(change.salary),
                        "from_month": month_text(change.from_month),
                        "to_month": month_text(change.to_month),
                        "employee": _money(change.employee),
                        "employer": _money(change.employer),
                        "why": change.reason,
                        "problems": change.flags,
                    }
                    for change in group.changes
                ],
            }
            for group in found.units
        ],
    }


def _register_json(found) -> dict:
    return {
        "month": month_text(found.month),
        "units": [
            {
                "unit": {"code": summary.unit.code, "name": summary.unit.name},
                "insurance_code": summary.registration.code if summary.registration else "",
                "headcount": summary.headcount,
                "funds": {
                    fund.value: {"employee": str(employee), "employer": str(employer)}
                    for fund, employee, employer in summary.fund_rows
                },
                "employee": str(summary.employee),
                "employer": str(summary.employer),
            }
            for summary in found.summaries
        ],
        "rows": [
            {
                "full_name": item.full_name,
                "social_insurance_number": item.social_insurance_number,
                "personal_id": item.personal_id,
                "salary": _money(item.row.insurance_salary) if item.row else None,
                "employee": _money(item.row.employee) if item.row else None,
                "employer": _money(item.row.employer) if item.row else None,
                "problems": item.problems,
            }
            for item in found.rows
        ],
    }
