"""Issuing and revoking client systems' tokens in the administration site.

A token is issued by adding one (name, service account, expiry): the secret is shown once, in
the confirmation message, and only its hash is kept. Revoking is an action on the list; tokens
are never deleted (the access log names them)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiToken, CbccvcExport
from api.tokens import token_issue, token_revoke
from hrms.lib.admin import ReadOnlyAdmin


class ApiTokenIssueForm(forms.ModelForm):
    days = forms.IntegerField(label=_("valid for (days)"), min_value=1, max_value=730, initial=365)

    class Meta:
        model = ApiToken
        fields = ["name", "user", "rate_per_minute"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke"]
    readonly_fields = [
        "name", "user", "prefix", "rate_per_minute", "expires_at", "revoked_at", "last_used_at",
        "created_by", "created_at",
    ]  # fmt: skip

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenIssueForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "user", "rate_per_minute", "days"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = token_issue(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            rate_per_minute=form.cleaned_data["rate_per_minute"],
            actor=request.user,
        )
        obj.pk = token.pk
        messages.warning(
            request,
            _("Give this key to the client system now; it is not shown again: %(key)s")
            % {"key": key},
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(token=token, actor=request.user)
        count = queryset.count()
        self.message_user(
            request, ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", count) % {"n": count}
        )


@admin.register(CbccvcExport)
class CbccvcExportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "requested_by", "unit", "status", "total", "expires_at"]
    list_filter = ["status"]
