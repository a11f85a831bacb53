"""A month's payroll from the command line: open and compute the draft run of a paying unit and
print its totals; optionally write the register (form C02a-HD) as XLSX.

    python manage.py payroll_run --unit SGDDT --month 2026-07
    python manage.py payroll_run --unit SGDDT --month 2026-07 --format json
    python manage.py payroll_run --unit SGDDT --month 2026-07 --format xlsx --out bang-luong.xlsx

A run that is already approved or locked is not recomputed (the services refuse it): its stored
totals are printed and its register written as it stands.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from hrms.lib.money import format_vnd
from payroll.exporters.register import RegisterExport
from payroll.models import PayrollRun
from payroll.services import runs as run_services
from personnel.models import OrgUnit

TOTALS = (
    ("headcount", "People"),
    ("gross", "Gross"),
    ("arrears", "of which arrears"),
    ("employee_insurance", "Employee insurance"),
    ("employer_insurance", "Employer insurance"),
    ("union_dues", "Union dues"),
    ("personal_income_tax", "Personal income tax"),
    ("net", "Net pay"),
)


def _month(text: str) -> tuple[int, int]:
    try:
        return run_services.month_of(text)
    except ValidationError as error:
        raise CommandError(f"Not a month (YYYY-MM): {text}") from error


class Command(BaseCommand):
    help = "Compute a paying unit's draft payroll for a month and print its totals."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="code of the unit keeping the payroll")
        parser.add_argument("--month", required=True, type=_month, help="YYYY-MM")
        parser.add_argument("--format", default="text", choices=["text", "json", "xlsx"])
        parser.add_argument("--out", help="file to write (required for xlsx)")

    def handle(self, *args, unit, month, format, out, **options):
        translation.activate(settings.LANGUAGE_CODE)
        if format == "xlsx" and not out:
            raise CommandError("--out FILE is required for --format xlsx.")
        paying = OrgUnit.objects.filter(code=unit, valid_to__isnull=True).first()
        if paying is None:
            raise CommandError(f"No current unit with the code {unit!r}.")
        year, number = month
        try:
            run = run_services.payroll_run_open(unit=paying, year=year, month=number, actor=None)
            warnings: list[str] = []
            if run.status in (PayrollRun.Status.DRAFT, PayrollRun.Status.COMPUTED):
                warnings = run_services.payroll_run_compute(run=run, actor=None).warnings
            else:
                self.stderr.write(
                    f"The run is {run.status}: not recomputed; its stored totals follow."
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        run.refresh_from_db()
        run = PayrollRun.objects.select_related("unit").get(pk=run.pk)
        for warning in warnings:
            self.stderr.write(warning)
        if format == "xlsx":
            with open(out, "wb") as handle:
                totals = RegisterExport(
                    run, extracted_by="manage.py payroll_run", now=timezone.localtime()
                ).write(handle)
            self.stderr.write(f"Register of {totals.headcount} payslips written to {out}")
        if format == "json":
            document = {
                "unit": {"code": paying.code, "name": paying.name},
                "month": f"{year}-{number:02d}",
                "status": run.status,
                "totals": {name: str(getattr(run, name)) for name, _label in TOTALS},
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{paying.code} {paying.name}, {number:02d}/{year}: {run.status}")
        for name, label in TOTALS:
            value = getattr(run, name)
            shown = str(value) if name == "headcount" else format_vnd(value)
            self.stdout.write(f"  {label:<22}{shown:>22}")
