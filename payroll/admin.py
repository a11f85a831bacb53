"""Administration of salary and payroll reference data: editable without a deploy, end-dated,
never deleted.

A new legal value (a new base salary, an allowance rate, an insurance rate, a tax schedule) is a
new row with its own ``valid_from``, legal basis and confidence; old rows stay so past periods
remain computable (docs/rules.md §11). A person's pay inputs are edited on their record's pay
page (four eyes, audited); here they can only be looked up.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hrms.lib.admin import EffectiveDatedAdmin, ReadOnlyAdmin
from payroll.models import (
    AllowanceAssignment,
    AllowanceType,
    BaseSalary,
    Dependant,
    FamilyDeduction,
    Holiday,
    InsuranceRate,
    LeadershipAllowanceRate,
    PayProfile,
    PayrollSetting,
    RetirementAge,
    SalaryRecord,
    SectorIncentiveRate,
    TaxBracket,
    UnitAllowance,
)
from payroll.selectors.pay_inputs import mask_account

EFFECTIVE = ["valid_from", "valid_to", "legal_basis", "confidence"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(EffectiveDatedAdmin):
    list_display = ["valid_from", "valid_to", "amount", "legal_basis", "confidence"]
    fields = ["amount", "valid_from", "valid_to", "legal_basis", "confidence"]


@admin.register(AllowanceType)
class AllowanceTypeAdmin(EffectiveDatedAdmin):
    list_display = ["code", "name", "computation", "in_insurance_base", "tax", "categories",
                    "person_values", "person_min", "person_max", "time_limited", "valid_from",
                    "confidence"]  # fmt: skip
    fields = ["code", "name", "computation", "in_insurance_base", "tax", "categories",
              "person_values", "person_min", "person_max", "time_limited", *EFFECTIVE]  # fmt: skip


@admin.register(LeadershipAllowanceRate)
class LeadershipAllowanceRateAdmin(EffectiveDatedAdmin):
    list_display = ["unit_kind", "position", "tier", "coefficient", "valid_from", "valid_to",
                    "confidence"]  # fmt: skip
    list_filter = ["unit_kind", "tier", "confidence"]
    search_fields = ["position", "unit_kind"]
    fields = ["unit_kind", "position", "tier", "coefficient", "valid_from", "valid_to",
              "legal_basis", "confidence"]  # fmt: skip


@admin.register(RetirementAge)
class RetirementAgeAdmin(EffectiveDatedAdmin):
    list_display = ["sex", "year", "years", "months", "legal_basis", "confidence"]
    list_filter = ["sex", "confidence"]
    fields = ["sex", "year", "years", "months", "valid_from", "valid_to", "legal_basis",
              "confidence"]  # fmt: skip


@admin.register(SalaryRecord)
class SalaryRecordAdmin(ReadOnlyAdmin):
    """Salary decisions are prepared and approved on the application's screens (audited);
    here they can only be looked up."""

    list_display = ["staff", "effective_date", "kind", "rank", "step", "coefficient", "status",
                    "decided_by"]  # fmt: skip
    list_filter = ["status", "kind"]
    search_fields = ["staff__full_name", "staff__staff_number", "decision_number"]
    date_hierarchy = "effective_date"
    list_select_related = ["staff", "rank", "decided_by"]
    readonly_fields = [field.name for field in SalaryRecord._meta.fields]


# --- Monthly payroll parameters (docs/rules.md §3, §5–§7) -----------------------------------


@admin.register(InsuranceRate)
class InsuranceRateAdmin(EffectiveDatedAdmin):
    list_display = ["category", "fund", "payer", "percent", "valid_from", "valid_to",
                    "confidence"]  # fmt: skip
    list_filter = ["category", "fund", "payer", "confidence"]
    fields = ["fund", "payer", "category", "percent", *EFFECTIVE]


@admin.register(TaxBracket)
class TaxBracketAdmin(EffectiveDatedAdmin):
    list_display = ["valid_from", "valid_to", "upper", "percent", "legal_basis", "confidence"]
    fields = ["upper", "percent", *EFFECTIVE]


@admin.register(FamilyDeduction)
class FamilyDeductionAdmin(EffectiveDatedAdmin):
    list_display = ["valid_from", "valid_to", "taxpayer", "per_dependant", "legal_basis",
                    "confidence"]  # fmt: skip
    fields = ["taxpayer", "per_dependant", *EFFECTIVE]


@admin.register(PayrollSetting)
class PayrollSettingAdmin(EffectiveDatedAdmin):
    list_display = ["key", "value", "valid_from", "valid_to", "legal_basis", "confidence"]
    list_filter = ["key", "confidence"]
    fields = ["key", "value", *EFFECTIVE]


@admin.register(Holiday)
class HolidayAdmin(EffectiveDatedAdmin):
    """Public holidays and days off in lieu: a wrong day is corrected, never deleted (past
    months must stay computable)."""

    list_display = ["date", "name", "legal_basis"]
    list_filter = []
    date_hierarchy = "date"
    search_fields = ["name"]
    fields = ["date", "name", "legal_basis"]


@admin.register(UnitAllowance)
class UnitAllowanceAdmin(EffectiveDatedAdmin):
    """Allowances of everyone in a unit and the units under it: the area allowance of a
    commune, the sector incentive of a school, the public-service allowance of the province."""

    list_display = ["unit", "allowance_type", "value", "sector_rate", "valid_from", "valid_to",
                    "confidence"]  # fmt: skip
    list_filter = ["allowance_type", "confidence"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "allowance_type"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "allowance_type", "value", "sector_rate", *EFFECTIVE]


@admin.register(SectorIncentiveRate)
class SectorIncentiveRateAdmin(EffectiveDatedAdmin):
    """Sector-incentive percentages per kind of unit (NĐ 182/2026 for teachers)."""

    list_display = ["code", "name", "percent", "valid_from", "valid_to", "confidence"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "percent", *EFFECTIVE]


# --- A person's pay inputs: looked up here, edited on the record's pay page -------------------


class PayInputAdmin(ReadOnlyAdmin):
    search_fields = ["staff__full_name", "staff__staff_number"]
    list_select_related = ["staff"]
    show_full_result_count = False  # a province has 100,000 rows

    def view_on_site(self, obj):
        return reverse("payroll:staff_pay", args=[obj.staff_id])


@admin.register(AllowanceAssignment)
class AllowanceAssignmentAdmin(PayInputAdmin):
    list_display = ["staff", "allowance_type", "value", "since", "valid_from", "valid_to"]
    list_filter = ["allowance_type"]
    list_select_related = ["staff", "allowance_type"]
    fields = ["staff", "allowance_type", "value", "since", "valid_from", "valid_to", "decision",
              "note", "recorded_by", "updated_at"]  # fmt: skip
    readonly_fields = fields


@admin.register(Dependant)
class DependantAdmin(PayInputAdmin):
    list_display = ["staff", "full_name", "relation", "from_month", "to_month"]
    list_filter = ["relation"]
    fields = ["staff", "full_name", "relation", "birth_date", "tax_code", "from_month",
              "to_month", "updated_at"]  # fmt: skip
    readonly_fields = fields


@admin.register(PayProfile)
class PayProfileAdmin(PayInputAdmin):
    """The bank account is a sensitive item: masked here; shown on the record's pay page after a
    logged reveal."""

    list_display = ["staff", "union_member", "bank_name", "account"]
    list_filter = ["union_member"]
    fields = ["staff", "union_member", "bank_name", "account", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("bank account number"))
    def account(self, obj):
        return mask_account(obj.bank_account)
