"""The legal parameters of the monthly payroll, each an effective-dated row with its legal basis
and confidence (docs/rules.md §5–§7, §11): contribution rates, the personal income tax schedule
and family deductions, the holiday calendar and the payroll settings (cap multiple, 14-day
threshold, union dues). A new legal rate is a new row; old months stay computable.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrms.models import Confidence, EffectiveDated

PERCENT = {"max_digits": 6, "decimal_places": 3}


class InsuranceRate(EffectiveDated):
    """The percentage one payer pays to one fund for staff of one category (Luật BHXH
    41/2024, Luật BHYT, Luật Việc làm; docs/rules.md §5.1)."""

    class Fund(models.TextChoices):
        RETIREMENT = "retirement", _("Retirement and survivorship")
        SICKNESS = "sickness", _("Sickness and maternity")
        WORK_ACCIDENT = "work_accident", _("Work accident and occupational disease")
        HEALTH = "health", _("Health insurance")
        UNEMPLOYMENT = "unemployment", _("Unemployment insurance")
        UNION_FEE = "union_fee", _("Union fee")

    class Payer(models.TextChoices):
        EMPLOYEE = "employee", _("Employee")
        EMPLOYER = "employer", _("Employer")

    fund = models.CharField(_("fund"), max_length=16, choices=Fund.choices)
    payer = models.CharField(_("payer"), max_length=8, choices=Payer.choices)
    category = models.CharField(_("staff category"), max_length=24)
    percent = models.DecimalField(
        _("percent"), validators=[MinValueValidator(0), MaxValueValidator(100)], **PERCENT
    )

    class Meta(EffectiveDated.Meta):
        verbose_name = _("insurance rate")
        verbose_name_plural = _("insurance rates")
        ordering = ["category", "fund", "payer", "-valid_from"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(
                fields=["fund", "payer", "category", "valid_from"], name="insurance_rate_once"
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100), name="insurance_rate_percent"
            ),
        ]

    def __str__(self):
        return f"{self.category} {self.fund} {self.payer} {self.percent}%"


class TaxBracket(EffectiveDated):
    """One bracket of the monthly personal income tax schedule of the tax years it is valid
    for: income up to ``upper`` (empty for the last bracket) is taxed at ``percent``
    (Luật Thuế TNCN; docs/rules.md §6.3)."""

    upper = models.DecimalField(
        _("monthly taxable income up to (đồng)"), max_digits=14, decimal_places=0, null=True,
        blank=True, help_text=_("Empty for the highest bracket."),
    )  # fmt: skip
    percent = models.DecimalField(
        _("percent"), validators=[MinValueValidator(0), MaxValueValidator(100)], **PERCENT
    )

    class Meta(EffectiveDated.Meta):
        verbose_name = _("income tax bracket")
        verbose_name_plural = _("income tax brackets")
        ordering = ["-valid_from", models.F("upper").asc(nulls_last=True)]

    def __str__(self):
        return f"{self.valid_from:%Y}: ≤ {self.upper or '∞'} → {self.percent}%"


class FamilyDeduction(EffectiveDated):
    """The monthly family deductions of personal income tax (giảm trừ gia cảnh): for the
    taxpayer and for each registered dependant (NQ 954/2020, NQ 110/2025; docs/rules.md §6.2)."""

    taxpayer = models.DecimalField(_("for the taxpayer (đồng)"), max_digits=12, decimal_places=0)
    per_dependant = models.DecimalField(
        _("for each dependant (đồng)"), max_digits=12, decimal_places=0
    )

    class Meta(EffectiveDated.Meta):
        verbose_name = _("family deduction")
        verbose_name_plural = _("family deductions")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.valid_from:%Y}: {self.taxpayer} / {self.per_dependant}"


class PayrollSetting(EffectiveDated):
    """A numeric legal parameter of the payroll that is not a rate table (docs/rules.md §5, §7)."""

    class Key(models.TextChoices):
        INSURANCE_CAP_MULTIPLE = (
            "insurance_cap_multiple",
            _("Insurance cap: multiple of the base salary"),
        )
        ABSENCE_THRESHOLD_DAYS = (
            "absence_threshold_days",
            _("Unpaid working days from which no social insurance is owed"),
        )
        UNION_DUES_PERCENT = "union_dues_percent", _("Union dues: percent of insurance salary")
        UNION_DUES_CAP_PERCENT = (
            "union_dues_cap_percent",
            _("Union dues cap: percent of the base salary"),
        )
        BEYOND_SCALE_INCLUDES_LEADERSHIP = (
            "beyond_scale_includes_leadership",
            _("Beyond-scale seniority counts the leadership coefficient (1 yes, 0 no)"),
        )
        CONFIGURABLE_TAXABLE = (
            "configurable_allowances_taxable",
            _("Allowances whose tax depends on the decree are taxed (1 yes, 0 no)"),
        )
        UNION_FEE_OWED = (
            "union_fee_owed",
            _("Budget-funded units and state agencies owe the union fee, 2 percent (1 yes, 0 no)"),
        )

    key = models.CharField(_("parameter"), max_length=40, choices=Key.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=3)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("payroll setting")
        verbose_name_plural = _("payroll settings")
        ordering = ["key", "-valid_from"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(fields=["key", "valid_from"], name="payroll_setting_once"),
        ]

    def __str__(self):
        return f"{self.get_key_display()}: {self.value}"


class SectorIncentiveRate(EffectiveDated):
    """The sector-incentive percentage (phụ cấp ưu đãi theo nghề) of a kind of unit, e.g. 45%
    for preschools and primary schools (NĐ 182/2026/NĐ-CP for teachers; docs/rules.md §3.7).
    A unit allowance naming the kind takes the percentage in force each month, so a new decree
    is a new row here, not an edit of every school."""

    code = models.CharField(_("kind of unit"), max_length=32)
    name = models.CharField(_("name"), max_length=160)
    percent = models.DecimalField(
        _("percent"), validators=[MinValueValidator(0), MaxValueValidator(100)], **PERCENT
    )

    class Meta(EffectiveDated.Meta):
        verbose_name = _("sector incentive rate")
        verbose_name_plural = _("sector incentive rates")
        ordering = ["code", "-valid_from"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(fields=["code", "valid_from"], name="sector_rate_once"),
        ]

    def __str__(self):
        return f"{self.name}: {self.percent}%"


class Holiday(models.Model):
    """A public holiday (or a day off in lieu) that is not a working day (Bộ luật Lao động
    2019 Điều 112; docs/rules.md §7.2)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.UNCONFIRMED
    )

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"
