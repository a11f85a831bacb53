"""What the payroll needs to know about people and units besides their salary decisions:
allowances granted to a person or to everyone working in a unit, registered dependants, union
membership and the bank account. Every row is effective-dated and tracked by the history
triggers (docs/rules.md §3, §6.2, §7).
"""

import pghistory
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hrms.models import EffectiveDated

VALUE = {"max_digits": 12, "decimal_places": 3}


def _tracked(model_name: str):
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=model_name,
    )


@_tracked("UnitAllowanceEvent")
class UnitAllowance(EffectiveDated):
    """An allowance everyone working in a unit (and the units under it) receives: the area
    allowance of a commune, the sector incentive of a school, the public-service allowance of
    the whole province (no unit). The nearest unit's row wins (docs/rules.md §3.2)."""

    unit = models.ForeignKey(
        "personnel.OrgUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit (empty: the whole province)"),
    )
    allowance_type = models.ForeignKey(
        "payroll.AllowanceType", models.PROTECT, related_name="+", verbose_name=_("allowance")
    )
    value = models.DecimalField(
        _("coefficient, percent or amount"), validators=[MinValueValidator(0)], **VALUE
    )
    sector_rate = models.CharField(
        _("kind of unit for the sector-incentive rate"),
        max_length=32,
        blank=True,
        help_text=_(
            "When set, the percentage is the sector-incentive rate of this kind of unit in force "
            "each month (the value above is used only when no rate is in force)."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("unit allowance")
        verbose_name_plural = _("unit allowances (area, sector incentive…)")
        ordering = ["unit", "allowance_type", "-valid_from"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.CheckConstraint(condition=Q(value__gte=0), name="unit_allowance_value"),
        ]

    def __str__(self):
        return f"{self.allowance_type} {self.value} ({self.unit or _('province')})"


@_tracked("AllowanceAssignmentEvent")
class AllowanceAssignment(models.Model):
    """An allowance granted to one person for a period: responsibility, concurrent post,
    hazard, attraction, a sector incentive of their own, professional seniority counted from
    ``since`` (docs/rules.md §3)."""

    staff = models.ForeignKey(
        "personnel.Staff", models.PROTECT, related_name="allowances", verbose_name=_("staff")
    )
    allowance_type = models.ForeignKey(
        "payroll.AllowanceType", models.PROTECT, related_name="+", verbose_name=_("allowance")
    )
    value = models.DecimalField(
        _("coefficient, percent or amount"),
        validators=[MinValueValidator(0)],
        default=0,
        help_text=_("For professional seniority leave 0: the percent follows from the date."),
        **VALUE,
    )
    since = models.DateField(
        _("counting from"),
        null=True,
        blank=True,
        help_text=_("Professional seniority: the date the years in the profession count from."),
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    decision = models.CharField(_("decision number and date"), max_length=160, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("allowance of a person")
        verbose_name_plural = _("allowances of a person")
        ordering = ["staff", "allowance_type", "-valid_from"]
        indexes = [models.Index(fields=["staff", "valid_from"], name="allowance_staff")]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="allowance_value_positive"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="allowance_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.allowance_type} {self.value} ({self.valid_from:%d/%m/%Y})"


@_tracked("DependantEvent")
class Dependant(models.Model):
    """A dependant registered for the family deduction of personal income tax, for the months
    from ``from_month`` to ``to_month`` (docs/rules.md §6.2)."""

    class Relation(models.TextChoices):
        CHILD = "child", _("Child")
        SPOUSE = "spouse", _("Husband or wife")
        PARENT = "parent", _("Father or mother")
        OTHER = "other", _("Other person supported")

    staff = models.ForeignKey(
        "personnel.Staff", models.PROTECT, related_name="dependants", verbose_name=_("staff")
    )
    full_name = models.CharField(_("full name"), max_length=120)
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    tax_code = models.CharField(_("tax code or personal ID"), max_length=12, blank=True)
    from_month = models.DateField(_("from month"), help_text=_("The first day of the month."))
    to_month = models.DateField(
        _("to month"), null=True, blank=True, help_text=_("Empty while the deduction continues.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dependant")
        verbose_name_plural = _("dependants")
        ordering = ["staff", "from_month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_month__isnull=True) | Q(to_month__gte=F("from_month")),
                name="dependant_months",
            ),
        ]

    def __str__(self):
        return self.full_name


@_tracked("PayProfileEvent")
class PayProfile(models.Model):
    """Union membership and the bank account salaries are paid into. The bank account is a
    sensitive item: shown only after a logged reveal (docs/rules.md §10)."""

    staff = models.OneToOneField(
        "personnel.Staff", models.PROTECT, related_name="pay_profile", verbose_name=_("staff")
    )
    union_member = models.BooleanField(_("union member"), default=False)
    # Membership is effective-dated: dues are taken for the months it covers, so a past month
    # recomputed for arrears knows whether the person was a member then (docs/rules.md §5.6).
    union_since = models.DateField(
        _("union member from"),
        null=True,
        blank=True,
        help_text=_("The first day of the first month of membership (empty: since always)."),
    )
    union_until = models.DateField(
        _("union member until"),
        null=True,
        blank=True,
        help_text=_("The last day of membership, once the person has left the union."),
    )
    bank_account = models.CharField(_("bank account number"), max_length=32, blank=True)
    bank_name = models.CharField(_("bank"), max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pay profile")
        verbose_name_plural = _("pay profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(bank_account="") | Q(bank_account__regex=r"^[0-9]{6,32}$"),
                name="pay_profile_bank_account_digits",
            ),
        ]

    def __str__(self):
        return str(self.staff)
