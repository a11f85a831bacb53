"""The change-list template and the insurance office's monthly statements as imported."""

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrms.models import EffectiveDated
from insurance.exporters.layout import DEFAULT_LAYOUT, layout_errors


def default_layout() -> dict:
    return DEFAULT_LAYOUT


class ReportTemplate(EffectiveDated):
    """The layout of a report to the insurance office (D02-LT), effective-dated: a revised form
    is a new row from the date it applies (docs/rules.md §5.12)."""

    class Report(models.TextChoices):
        D02LT = "D02-LT", _("Monthly change list (D02-LT)")

    report = models.CharField(_("report"), max_length=16, choices=Report.choices)
    name = models.CharField(_("name"), max_length=160)
    layout = models.JSONField(
        _("layout"), default=default_layout,
        help_text=_(
            "Heading lines, columns (key, title, width) and sections; see "
            "insurance/exporters/layout.py for the keys and placeholders."
        ),
    )  # fmt: skip

    class Meta(EffectiveDated.Meta):
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["report", "-valid_from"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(fields=["report", "valid_from"], name="report_template_once"),
        ]

    def __str__(self):
        return f"{self.report} {self.valid_from:%d/%m/%Y}"

    def clean(self):
        errors = layout_errors(self.layout)
        if errors:
            raise ValidationError({"layout": errors})


pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), model_name="ReportTemplateEvent")(
    ReportTemplate
)


class StatementImport(models.Model):
    """The insurance office's monthly statement for a unit (C12-TS), as read from the file a
    clerk uploaded: one row per person. The file itself is not kept."""

    unit = models.ForeignKey(
        "personnel.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("reporting unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    # [social-insurance number, personal ID, full name, salary, employee, employer, total]
    # (amounts as strings, "" when the statement has no such column)
    rows = models.JSONField(_("rows"), default=list)
    columns = models.JSONField(_("columns found"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported statement (C12-TS)")
        verbose_name_plural = _("imported statements (C12-TS)")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"C12-TS {self.month:02d}/{self.year} {self.unit_id}"


pghistory.track(pghistory.InsertEvent(), model_name="StatementImportEvent")(StatementImport)
