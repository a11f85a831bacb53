"""The history of role grants: who gave or withdrew which rights on which unit, and when.

Append-only (the database refuses updates and deletes). Written by ``personnel.services.access``
in the same transaction as the grant itself, whether the change came from the application, the
administration site or a command; the grant tables are also tracked by history triggers.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from personnel.models.org import OrgUnit


class GrantChange(models.Model):
    """One change to the rights a user holds on a unit (or province-wide when ``unit`` is
    empty): the permissions before and after."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="grant_changes",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit (empty: province-wide)"),
    )
    before = models.JSONField(_("before"), default=list)
    after = models.JSONField(_("after"), default=list)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("grant change")
        verbose_name_plural = _("grant history")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="grantchange_user_at")]
        triggers = [
            pgtrigger.Protect(
                name="grantchange_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.user}"
