"""Administration-site building blocks shared by the apps."""

from django.contrib import admin


class EffectiveDatedAdmin(admin.ModelAdmin):
    """Effective-dated reference rows: end-dated, never deleted; a new legal value is a new
    row with its own dates, legal basis and confidence."""

    list_filter = ["confidence"]

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the application's services (or append-only by design): the
    administration site lists and shows them, nothing more."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
