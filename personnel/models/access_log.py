"""The access log: who viewed, revealed or exported which record, and when (Luật 91/2025/QH15,
NĐ 356/2025/NĐ-CP). Append-only: the database refuses updates, deletes and TRUNCATE."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrms.audit import RefuseTruncate


class AccessLogEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed the dossier")
        REVEAL_SENSITIVE = "reveal", _("Revealed sensitive items")
        VIEW_HISTORY = "history", _("Viewed the change history")
        VIEW_PHOTO = "photo", _("Viewed the photo")
        EXPORT_LIST = "export_list", _("Exported a staff list")
        EXPORT_DOSSIER = "export_dossier", _("Exported the dossier")
        EXPORT_BULK = "export_bulk", _("Exported dossiers in bulk")
        PAYSLIP = "payslip", _("Downloaded a payslip")
        EXPORT_PAYROLL = "export_payroll", _("Exported a payroll list")
        EXPORT_BANK = "export_bank", _("Exported bank accounts")
        API_CALL = "api", _("Called the API")
        DOCUMENT = "document", _("Opened a scanned document")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("who")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    staff = models.ForeignKey(
        "personnel.Staff",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff record"),
    )
    path = models.CharField(_("address"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["staff", "-at"], name="accesslog_staff_at")]
        triggers = [
            pgtrigger.Protect(
                name="accesslog_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
            RefuseTruncate(name="accesslog_no_truncate"),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} {self.get_action_display()}"
