"""Per unit: its registration with the insurance office (one row per org unit, kept here so that
personnel's ``OrgUnit`` knows nothing of insurance)."""

import pghistory
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from insurance.validators import validate_insurance_unit_code


class InsuranceUnit(models.Model):
    """The insurance-office unit code of a unit that reports to the office, the office it
    reports to and the address printed on its reports (docs/rules.md §5.11)."""

    unit = models.OneToOneField(
        "personnel.OrgUnit", models.PROTECT, related_name="insurance", verbose_name=_("unit")
    )
    code = models.CharField(
        _("insurance-office unit code"), max_length=10, blank=True,
        validators=[validate_insurance_unit_code],
    )  # fmt: skip
    office = models.CharField(_("insurance office it reports to"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit registration with the insurance office")
        verbose_name_plural = _("unit registrations with the insurance office")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="insurance_unit_code_unique",
                violation_error_message=_("Another unit already has this insurance-office code."),
            )
        ]

    def __str__(self):
        return f"{self.code or '—'} {self.unit_id}"


pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    exclude=["updated_at"],
    model_name="InsuranceUnitEvent",
)(InsuranceUnit)
