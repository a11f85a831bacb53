"""Administration of salary reference data: editable without a deploy, end-dated, never deleted.

A new legal value (a new base salary, a new allowance rate) is a new row with its own
``valid_from``, legal basis and confidence; old rows stay so past periods remain computable.
"""

from django.contrib import admin

from hrms.lib.admin import EffectiveDatedAdmin, ReadOnlyAdmin
from payroll.models import (
    AllowanceType,
    BaseSalary,
    LeadershipAllowanceRate,
    RetirementAge,
    SalaryRecord,
)


@admin.register(BaseSalary)
class BaseSalaryAdmin(EffectiveDatedAdmin):
    list_display = ["valid_from", "valid_to", "amount", "legal_basis", "confidence"]
    fields = ["amount", "valid_from", "valid_to", "legal_basis", "confidence"]


@admin.register(AllowanceType)
class AllowanceTypeAdmin(EffectiveDatedAdmin):
    list_display = ["code", "name", "computation", "in_insurance_base", "tax", "categories",
                    "valid_from", "legal_basis", "confidence"]  # fmt: skip
    fields = ["code", "name", "computation", "in_insurance_base", "tax", "categories",
              "valid_from", "valid_to", "legal_basis", "confidence"]  # fmt: skip


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
