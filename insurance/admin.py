"""Administration of insurance data: the units' registrations and the report templates are
edited here; records written by the services are shown read-only."""

from django.contrib import admin

from hrms.lib.admin import EffectiveDatedAdmin, ReadOnlyAdmin
from insurance.models import (
    InsuranceProfile,
    InsuranceUnit,
    ParticipationPeriod,
    ReportTemplate,
    StatementImport,
)


@admin.register(InsuranceUnit)
class InsuranceUnitAdmin(admin.ModelAdmin):
    list_display = ["unit", "code", "office", "address"]
    search_fields = ["unit__name", "unit__code", "code", "office"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]
    fields = ["unit", "code", "office", "address"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportTemplate)
class ReportTemplateAdmin(EffectiveDatedAdmin):
    """A revised form is a new row from the date it applies; the layout's keys and
    placeholders are checked on save (insurance/exporters/layout.py)."""

    list_display = ["report", "name", "valid_from", "valid_to", "confidence"]
    fields = ["report", "name", "layout", "valid_from", "valid_to", "legal_basis", "confidence"]


@admin.register(InsuranceProfile)
class InsuranceProfileAdmin(ReadOnlyAdmin):
    list_display = ["staff", "health_card_number", "hospital_name", "book_held_by_unit"]
    search_fields = ["staff__full_name", "staff__staff_number", "health_card_number"]
    list_select_related = ["staff"]
    readonly_fields = ["staff", "health_card_number", "hospital_name", "hospital_code",
                       "book_held_by_unit"]  # fmt: skip


@admin.register(ParticipationPeriod)
class ParticipationPeriodAdmin(ReadOnlyAdmin):
    list_display = ["staff", "unit", "start", "start_reason", "stop", "stop_reason",
                    "first_month", "last_month"]  # fmt: skip
    search_fields = ["staff__full_name", "staff__staff_number"]
    list_select_related = ["staff", "unit"]
    readonly_fields = [field.name for field in ParticipationPeriod._meta.fields]


@admin.register(StatementImport)
class StatementImportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "month", "filename", "uploaded_by", "uploaded_at"]
    list_select_related = ["unit", "uploaded_by"]
    readonly_fields = ["unit", "year", "month", "filename", "sha256", "columns", "uploaded_by",
                       "uploaded_at"]  # fmt: skip
    exclude = ["rows"]
