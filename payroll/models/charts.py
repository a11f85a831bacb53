"""The charts' figures of one scope on one date, kept in the database so that every web process
shares them and a background worker refreshes them before anyone waits (payroll.selectors.charts).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChartSnapshot(models.Model):
    """The figures of the charts page for one scope (the units a user may view) at one date,
    as computed at ``computed_at``: language-free values (counts, codes, years), labelled when
    shown. Derived data, not a record: rewritten whole by each refresh, never audited."""

    scope = models.CharField(_("scope"), max_length=64)  # sha256 of the granted unit paths
    on = models.DateField(_("at the date"))
    figures = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("computation time (s)"), default=0)
    # Whose rights a background refresh computes with (the last visitor of the scope).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("user")
    )
    visited_at = models.DateTimeField(_("last shown at"))
    # When the queued refresh is due to run (None: none queued); one queued refresh at a time.
    refresh_due_at = models.DateTimeField(_("refresh due at"), null=True, blank=True)

    class Meta:
        verbose_name = _("chart figures")
        verbose_name_plural = _("chart figures")
        constraints = [
            models.UniqueConstraint(fields=["scope", "on"], name="chart_snapshot_scope_on"),
        ]

    def __str__(self) -> str:
        return f"{self.scope[:8]} {self.on:%d/%m/%Y}"
