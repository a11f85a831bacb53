"""Salary scales, ranks, allowances, retirement ages and salary history.

Every legal parameter is an effective-dated row with its legal basis and confidence
(``hrms.models.EffectiveDated``): a new decree is a new row, old periods stay computable.
Scales: NĐ 204/2004/NĐ-CP; base salary: NĐ 73/2024/NĐ-CP, NĐ 161/2026/NĐ-CP; docs/rules.md §1–§4.
"""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hrms.lib.numbers import localized_coefficient
from hrms.models import EffectiveDated
from personnel.models import COEFFICIENT, Rank, Staff
from personnel.models.bounds import date_check
from personnel.validators import (
    EARLIEST_DATE,
    validate_not_before_1900,
    validate_not_in_future,
    validate_planned,
)

NOT_NEGATIVE = MinValueValidator(0, _("A coefficient cannot be negative."))


class BaseSalary(EffectiveDated):
    """Lương cơ sở: the amount every coefficient multiplies."""

    amount = models.DecimalField(_("amount (đồng per month)"), max_digits=12, decimal_places=0)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("base salary")
        verbose_name_plural = _("base salary")
        ordering = ["-valid_from"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(fields=["valid_from"], name="base_salary_one_per_date"),
        ]

    def __str__(self):
        return f"{self.amount:,.0f} đ ({self.valid_from:%d/%m/%Y})".replace(",", ".")


class AllowanceType(EffectiveDated):
    """A kind of allowance: how it is computed, whether it enters the insurance base and
    whether it is taxed (docs/rules.md §3.1)."""

    class Computation(models.TextChoices):
        COEFFICIENT = "coefficient", _("Coefficient × base salary")
        PERCENT_OF_SALARY_PCCV_TNVK = (
            "pct_total",
            _("Percentage of (salary + leadership + beyond-scale)"),
        )
        PERCENT_OF_LAST_STEP = "pct_last_step", _("Percentage of the last step's salary")
        PERCENT_OF_SALARY = "pct_salary", _("Percentage of salary")

    class Tax(models.TextChoices):
        TAXABLE = "taxable", _("Taxable")
        EXEMPT = "exempt", _("Exempt")
        CONFIGURABLE = "configurable", _("Depends on the decree")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=160)
    computation = models.CharField(_("computation"), max_length=16, choices=Computation.choices)
    in_insurance_base = models.BooleanField(_("in the insurance base"), default=False)
    tax = models.CharField(_("personal income tax"), max_length=16, choices=Tax.choices)
    categories = ArrayField(
        models.CharField(max_length=24, choices=Staff.Category.choices),
        verbose_name=_("staff categories who receive it"),
        blank=True,
        default=list,
        help_text=_(
            "Empty: every category. The public-service allowance: cadres and civil "
            "servants only (NĐ 34/2012/NĐ-CP)."
        ),
    )
    # What one person may be granted (docs/rules.md §3.9–§3.12): one of ``person_values``, or
    # a value from ``person_min`` to ``person_max``; checked by the pay-input services.
    person_values = ArrayField(
        models.DecimalField(max_digits=12, decimal_places=3),
        verbose_name=_("values a person may be granted"),
        null=True,
        blank=True,
        help_text=_("Separated by commas, e.g. 0.1,0.2,0.3,0.5. Empty: any value in the range."),
    )
    person_min = models.DecimalField(
        _("lowest value for a person"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    person_max = models.DecimalField(
        _("highest value for a person"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    time_limited = models.BooleanField(
        _("granted for a limited time"),
        default=False,
        help_text=_("A person's allowance of this kind needs an end date (attraction)."),
    )

    class Meta(EffectiveDated.Meta):
        verbose_name = _("allowance type")
        verbose_name_plural = _("allowance types")
        ordering = ["code"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.CheckConstraint(
                condition=Q(person_min__isnull=True)
                | Q(person_max__isnull=True)
                | Q(person_min__lte=models.F("person_max")),
                name="allowance_type_person_range",
            ),
        ]

    def __str__(self):
        return self.name


class LeadershipAllowanceRate(EffectiveDated):
    """Leadership-allowance coefficient (phụ cấp chức vụ) of a position in a kind of unit,
    by tier (Hà Nội and Hồ Chí Minh City, or other provinces)."""

    class Tier(models.TextChoices):
        SPECIAL_CITIES = "hn_hcm", _("Hà Nội and Hồ Chí Minh City")
        MIDDLE = "middle", _("Other centrally-run cities and class-I urban areas")
        OTHER = "other", _("Other provinces")

    unit_kind = models.CharField(_("kind of unit"), max_length=80)
    position = models.CharField(_("position"), max_length=160)
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    coefficient = models.DecimalField(_("coefficient"), **COEFFICIENT)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("leadership allowance rate")
        verbose_name_plural = _("leadership allowance rates")
        ordering = ["unit_kind", "tier", "-coefficient"]

    def __str__(self):
        return f"{self.position} ({self.unit_kind}): {localized_coefficient(self.coefficient)}"


class RetirementAge(EffectiveDated):
    """The retirement age for people who reach it in a year, by sex (NĐ 135/2020/NĐ-CP)."""

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    year = models.PositiveSmallIntegerField(_("year of reaching the age"))
    years = models.PositiveSmallIntegerField(_("years"))
    months = models.PositiveSmallIntegerField(_("months"), default=0)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("retirement age")
        verbose_name_plural = _("retirement ages")
        ordering = ["sex", "year"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(fields=["sex", "year"], name="one_retirement_age_per_year"),
        ]

    def __str__(self):
        return f"{self.get_sex_display()} {self.year}: {self.years}y{self.months}m"


class SalaryRecord(models.Model):
    """One salary decision for a staff member: the rows of the salary history (form item 31).

    A record starts as a draft (prepared by a clerk, from a due list or by hand) and changes
    nobody's salary until an authorised user approves it. The current salary is the approved
    record in effect today.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn by the preparer")

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Recruitment or first placement")
        REGULAR_RAISE = "regular", _("Regular step raise")
        EARLY_RAISE = "early", _("Early step raise (achievement)")
        RETIREMENT_EARLY_RAISE = "retirement", _("Early step raise before retirement")
        BEYOND_SCALE = "beyond", _("Beyond-scale seniority")
        PROMOTION = "promotion", _("Promotion or change of rank")
        ADJUSTMENT = "adjustment", _("Other change (allowances, correction)")

    staff = models.ForeignKey(
        "personnel.Staff", models.PROTECT, related_name="salary_records", verbose_name=_("staff")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    kind = models.CharField(_("kind of decision"), max_length=12, choices=Kind.choices)
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    decision_date = models.DateField(
        _("decision date"), null=True, blank=True, validators=[validate_not_in_future]
    )
    effective_date = models.DateField(_("effective from"), validators=[validate_planned])
    rank = models.ForeignKey(
        Rank, models.PROTECT, related_name="+", verbose_name=_("rank or title")
    )
    step = models.PositiveSmallIntegerField(_("step"))
    coefficient = models.DecimalField(_("coefficient"), **COEFFICIENT)
    step_since = models.DateField(
        _("counting for the next raise from"),
        validators=[validate_not_before_1900],
        help_text=_(
            "When the step counts from: the effective date of a raise or a new rank; kept from "
            "the previous decision when rank and step do not change; earlier when time on the "
            "old step carries over."
        ),
    )
    beyond_scale_percent = models.DecimalField(
        _("beyond-scale seniority (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[
            MinValueValidator(0, _("A percentage from 0 to 100.")),
            MaxValueValidator(100, _("A percentage from 0 to 100.")),
        ],
    )
    beyond_scale_since = models.DateField(
        _("beyond-scale percentage counted from"),
        null=True,
        blank=True,
        help_text=_(
            "When the current beyond-scale percentage was granted: one more percentage point is "
            "due 12 months later. A decision that does not change the percentage keeps the "
            "previous date."
        ),
    )
    leadership_coefficient = models.DecimalField(
        _("leadership allowance coefficient"),
        default=0,
        validators=[NOT_NEGATIVE],
        **COEFFICIENT,
    )
    reserved_coefficient = models.DecimalField(
        _("reserved difference coefficient"),
        default=0,
        validators=[NOT_NEGATIVE],
        max_digits=6,
        decimal_places=3,
        help_text=_("Kept when a placement would lower the pay (hệ số chênh lệch bảo lưu)."),
    )
    other_allowances = models.CharField(_("other allowances"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    reasons = models.JSONField(_("why (from the due list)"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=255, blank=True)
    # Set on past decisions imported from a spreadsheet: the batch can be undone as a whole.
    import_batch = models.ForeignKey(
        "personnel.ImportBatch",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("salary decision")
        verbose_name_plural = _("salary history")
        ordering = ["staff", "effective_date", "id"]
        indexes = [
            # The latest approved decision of every person (DISTINCT ON, in index order).
            models.Index(
                fields=["staff", "-effective_date", "-id"],
                condition=Q(status="approved"),
                name="salary_current",
            ),
            models.Index(fields=["status", "created_at"], name="salary_drafts"),
            # The decided tabs of the decisions screen: newest decision first, a page at a time.
            models.Index(
                models.F("status"),
                models.F("decided_at").desc(nulls_last=True),
                models.F("effective_date").desc(),
                models.F("id").desc(),
                name="salary_decided_newest",
            ),
            # The API's feed of approved decisions, in the order they were approved (history
            # loaded in bulk has no approval time: its creation time stands in).
            models.Index(
                Coalesce("decided_at", "created_at"),
                F("id"),
                condition=Q(status="approved"),
                name="salary_approved_feed",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(step__gte=1), name="salary_step_positive"),
            models.CheckConstraint(
                condition=Q(step_since__lte=models.F("effective_date")), name="salary_step_since"
            ),
            # The form's bounds (personnel.validators), held by the database too.
            date_check("salary", "effective_date", _("effective from"), planned=True),
            date_check("salary", "decision_date", _("decision date")),
            models.CheckConstraint(
                condition=Q(step_since__gte=EARLIEST_DATE),
                name="salary_step_since_from_1900",
                violation_error_message=_("Counting for the next raise from: not before 1900."),
            ),
            models.CheckConstraint(
                condition=Q(
                    coefficient__gte=0, leadership_coefficient__gte=0, reserved_coefficient__gte=0
                ),
                name="salary_coefficients_not_negative",
                violation_error_message=_("Coefficients cannot be negative."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(beyond_scale_percent__gte=0, beyond_scale_percent__lte=100),
                name="salary_beyond_scale_percent_range",
                violation_error_message=_("Beyond-scale seniority: from 0 to 100%%."),
            ),
            models.CheckConstraint(
                condition=Q(beyond_scale_since__isnull=True)
                | Q(beyond_scale_since__lte=models.F("effective_date")),
                name="salary_beyond_scale_since",
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.effective_date:%d/%m/%Y} {self.rank.code} bậc {self.step}"


pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="SalaryRecordEvent",
    # the API's feed of removed decisions (undone import batches) reads the few deletions
    meta={
        "indexes": [
            models.Index(
                fields=["pgh_created_at", "pgh_id"],
                condition=models.Q(pgh_label="delete"),
                name="salary_event_removed",
            )
        ]
    },
)(SalaryRecord)


# The monthly payroll (docs/rules.md §5–§7).
from payroll.models.charts import ChartSnapshot  # noqa: E402
from payroll.models.parameters import (  # noqa: E402
    FamilyDeduction,
    Holiday,
    InsuranceRate,
    PayrollSetting,
    SectorIncentiveRate,
    TaxBracket,
)
from payroll.models.pay_inputs import (  # noqa: E402
    AllowanceAssignment,
    Dependant,
    PayProfile,
    UnitAllowance,
)
from payroll.models.payslip_export import PayslipExportJob  # noqa: E402
from payroll.models.runs import PayrollRun, Payslip  # noqa: E402

__all__ = [
    "AllowanceAssignment",
    "AllowanceType",
    "BaseSalary",
    "ChartSnapshot",
    "Dependant",
    "FamilyDeduction",
    "Holiday",
    "InsuranceRate",
    "LeadershipAllowanceRate",
    "PayProfile",
    "PayrollRun",
    "PayrollSetting",
    "Payslip",
    "PayslipExportJob",
    "Rank",
    "RetirementAge",
    "SalaryRecord",
    "SectorIncentiveRate",
    "TaxBracket",
    "UnitAllowance",
]
