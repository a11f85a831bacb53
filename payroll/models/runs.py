"""Monthly payroll runs and their payslips (docs/rules.md §7).

A run is one month of one paying unit (the unit that keeps the payroll, for itself and the
units under it that do not keep their own): draft → computed → approved → locked. A payslip
holds one person's month: the totals as columns and the lines, contributions and back
contributions as JSON arrays (a province's month is one row per person, written with COPY).

A locked month is immutable in the database: triggers refuse any change to a locked run and
to its payslips, whoever tries (docs/rules.md §7.6). Corrections go into a later month as
arrears or adjustment lines naming the month they correct.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrms.audit import RefuseTruncate

MONEY = {"max_digits": 14, "decimal_places": 0, "default": 0}

_LOCKED_RUN_FUNC = """
IF EXISTS (
    SELECT 1 FROM ({rows}) AS changed
    JOIN payroll_payrollrun AS run ON run.id = changed.run_id
    WHERE run.status = 'locked'
) THEN
    RAISE EXCEPTION 'payroll: the month is locked; correct it in a later month'
        USING ERRCODE = 'integrity_constraint_violation';
END IF;
RETURN NULL;
"""


class PayrollRun(models.Model):
    """The payroll of one paying unit for one month."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPUTED = "computed", _("Computed, awaiting approval")
        APPROVED = "approved", _("Approved")
        LOCKED = "locked", _("Locked")

    unit = models.ForeignKey(
        "personnel.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("paying unit")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+",
        verbose_name=_("computed by"),
    )  # fmt: skip
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("locked by"),
    )  # fmt: skip
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    returned_reason = models.CharField(_("reason for returning"), max_length=255, blank=True)
    # The month's legal parameters when computed: a later change to them (a backdated rate)
    # shows as a different fingerprint and makes the month's arrears be checked.
    fingerprint = models.CharField(max_length=64, blank=True)
    # Totals of the payslips, kept with the run for lists and checks.
    headcount = models.PositiveIntegerField(_("people"), default=0)
    gross = models.DecimalField(_("gross"), **MONEY)
    employee_insurance = models.DecimalField(_("employee insurance"), **MONEY)
    employer_insurance = models.DecimalField(_("employer insurance"), **MONEY)
    union_dues = models.DecimalField(_("union dues"), **MONEY)
    personal_income_tax = models.DecimalField(_("personal income tax"), **MONEY)
    arrears = models.DecimalField(_("arrears"), **MONEY)
    net = models.DecimalField(_("net pay"), **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        ordering = ["-year", "-month", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "month"], name="payroll_run_once"),
        ]
        triggers = [
            RefuseTruncate(name="payroll_run_no_truncate"),
            pgtrigger.Protect(
                name="payroll_run_locked",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="locked"),
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.month:02d}/{self.year}"

    @property
    def period(self) -> tuple[int, int]:
        return (self.year, self.month)


pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["created_at"],
    model_name="PayrollRunEvent",
)(PayrollRun)


class Payslip(models.Model):
    """One person's month in a run: what the rules computed, and a snapshot of what they were
    computed from (unit, category, rank, step, coefficient, days, dependants)."""

    run = models.ForeignKey(
        PayrollRun, models.PROTECT, related_name="payslips", verbose_name=_("payroll run")
    )
    staff = models.ForeignKey(
        "personnel.Staff", models.PROTECT, related_name="payslips", verbose_name=_("staff")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    unit = models.ForeignKey(
        "personnel.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("work unit")
    )
    category = models.CharField(_("category"), max_length=24)
    rank_code = models.CharField(_("rank code"), max_length=16, blank=True)
    step = models.PositiveSmallIntegerField(_("step"), null=True)
    coefficient = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2, null=True)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    paid_days = models.PositiveSmallIntegerField(_("paid days"))
    dependants = models.PositiveSmallIntegerField(_("dependants"), default=0)
    suspended = models.BooleanField(_("no social insurance this month (14-day rule)"))
    gross = models.DecimalField(_("gross"), **MONEY)
    taxable_gross = models.DecimalField(_("taxable gross"), **MONEY)
    insurance_salary = models.DecimalField(_("insurance salary"), **MONEY)
    insurance_base = models.DecimalField(_("insurance base (capped)"), **MONEY)
    employee_insurance = models.DecimalField(_("employee insurance"), **MONEY)
    employer_insurance = models.DecimalField(_("employer insurance"), **MONEY)
    employee_back_contributions = models.DecimalField(_("employee back contributions"), **MONEY)
    union_dues = models.DecimalField(_("union dues"), **MONEY)
    taxable_income = models.DecimalField(_("taxable income"), **MONEY)
    personal_income_tax = models.DecimalField(_("personal income tax"), **MONEY)
    arrears = models.DecimalField(_("arrears"), **MONEY)
    net = models.DecimalField(_("net pay"), **MONEY)
    # [code, label, amount, in insurance base, taxable, year or null, month or null]
    lines = models.JSONField(_("lines"), default=list)
    # [fund, employee, employer]
    contributions = models.JSONField(_("contributions"), default=list)
    # [fund, employee, employer, year, month]
    back_contributions = models.JSONField(_("back contributions"), default=list)
    # The past months (year × 100 + month) this payslip pays arrears for.
    arrears_periods = ArrayField(models.IntegerField(), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("payslip")
        verbose_name_plural = _("payslips")
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "staff"], name="payslip_once_per_run"),
        ]
        indexes = [
            models.Index(fields=["staff", "year", "month"], name="payslip_staff_period"),
        ]
        triggers = [
            RefuseTruncate(name="payslip_no_truncate"),
            pgtrigger.Trigger(
                name="payslip_insert_locked",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(new="new_rows"),
                func=_LOCKED_RUN_FUNC.format(rows="SELECT run_id FROM new_rows"),
            ),
            pgtrigger.Trigger(
                name="payslip_update_locked",
                operation=pgtrigger.Update,
                when=pgtrigger.After,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
                func=_LOCKED_RUN_FUNC.format(
                    rows="SELECT run_id FROM old_rows UNION ALL SELECT run_id FROM new_rows"
                ),
            ),
            pgtrigger.Trigger(
                name="payslip_delete_locked",
                operation=pgtrigger.Delete,
                when=pgtrigger.After,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(old="old_rows"),
                func=_LOCKED_RUN_FUNC.format(rows="SELECT run_id FROM old_rows"),
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.month:02d}/{self.year}"
