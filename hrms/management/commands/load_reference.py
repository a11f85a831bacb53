"""Load every reference table from fixtures/ (safe to run again: rows are matched by key)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from hrms.lib.reference import ReferenceFile, load_reference_file

REFERENCE_FILES = [
    ReferenceFile("personnel.EthnicGroup", "personnel/ethnic_groups.csv"),
    ReferenceFile("personnel.Religion", "personnel/religions.csv"),
    ReferenceFile("personnel.DisciplineType", "personnel/discipline_types.csv"),
    ReferenceFile("personnel.RatingLevel", "personnel/rating_levels.csv"),
    ReferenceFile("personnel.SalaryGroup", "payroll/salary_groups.csv"),
    ReferenceFile(
        "personnel.SalaryStep", "payroll/salary_steps.csv", key=("group", "step", "valid_from")
    ),
    ReferenceFile("personnel.Rank", "payroll/ranks.csv"),
    ReferenceFile(
        "personnel.RankPlacement", "payroll/rank_placements.csv", key=("rank", "valid_from")
    ),
    ReferenceFile("payroll.BaseSalary", "payroll/base_salaries.csv", key=("valid_from",)),
    ReferenceFile("payroll.AllowanceType", "payroll/allowance_types.csv"),
    ReferenceFile(
        "payroll.LeadershipAllowanceRate",
        "payroll/leadership_allowances.csv",
        key=("unit_kind", "position", "tier", "valid_from"),
    ),
    ReferenceFile("payroll.RetirementAge", "payroll/retirement_ages.csv", key=("sex", "year")),
    ReferenceFile(
        "payroll.InsuranceRate",
        "payroll/insurance_rates.csv",
        key=("fund", "payer", "category", "valid_from"),
    ),
    ReferenceFile("payroll.TaxBracket", "payroll/tax_brackets.csv", key=("valid_from", "upper")),
    ReferenceFile("payroll.FamilyDeduction", "payroll/family_deductions.csv", key=("valid_from",)),
    ReferenceFile(
        "payroll.PayrollSetting", "payroll/payroll_settings.csv", key=("key", "valid_from")
    ),
    ReferenceFile("payroll.Holiday", "payroll/holidays.csv", key=("date",)),
    ReferenceFile(
        "payroll.SectorIncentiveRate",
        "payroll/sector_incentive_rates.csv",
        key=("code", "valid_from"),
    ),
    ReferenceFile(
        "payroll.UnitAllowance",
        "payroll/unit_allowances.csv",
        key=("allowance_type", "unit", "valid_from"),
    ),
]


class Command(BaseCommand):
    help = "Load reference data (ethnic groups, religions, salary tables, ranks…) from fixtures/."

    @transaction.atomic
    def handle(self, *args, **options):
        fixtures_dir = settings.BASE_DIR / "fixtures"
        for spec in REFERENCE_FILES:
            result = load_reference_file(spec, fixtures_dir)
            self.stdout.write(
                f"{spec.path}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
