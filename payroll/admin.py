from django.contrib import admin

from payroll.models import Rank


@admin.register(Rank)
class RankAdmin(admin.ModelAdmin):
    """Ranks are end-dated, never deleted."""

    list_display = ["code", "name", "salary_group", "valid_from", "valid_to", "confidence"]
    list_filter = ["salary_group", "confidence"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "salary_group", "valid_from", "valid_to", "legal_basis", "confidence"]

    def has_delete_permission(self, request, obj=None):
        return False
