"""The classification of posts: salary groups of the salary tables with their steps and
coefficients, and the ranks (ngạch) and professional titles (chức danh nghề nghiệp) placed in
them (NĐ 204/2004/NĐ-CP; docs/rules.md §2).

Both the dossier (item 14: rank, step, coefficient) and payroll need them, so they live in
personnel, below payroll. Moved from ``payroll`` without touching the data (the tables were
renamed in place, see migration personnel 0003).
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrms.lib.numbers import localized_coefficient
from hrms.models import EffectiveDated

COEFFICIENT = {"max_digits": 5, "decimal_places": 2}


class SalaryGroup(EffectiveDated):
    """A group of a salary table (A1, A2.1, B…) with its steps and its raise intervals."""

    class Table(models.TextChoices):
        SENIOR_EXPERTS = "experts", _("Senior experts")
        CIVIL_SERVANTS = "table2", _("Table 2: civil servants")
        PUBLIC_EMPLOYEES = "table3", _("Table 3: public employees")
        SERVICE_STAFF = "table4", _("Table 4: clerical and service staff")

    code = models.CharField(_("code"), max_length=16, unique=True)
    table = models.CharField(_("salary table"), max_length=8, choices=Table.choices)
    name = models.CharField(_("name"), max_length=160)
    raise_interval_months = models.PositiveSmallIntegerField(
        _("regular raise interval (months)"),
        help_text=_("60 for senior experts, 36 for groups A0–A3, 24 for B, C and table 4."),
    )
    beyond_scale_wait_months = models.PositiveSmallIntegerField(
        _("months on the last step before beyond-scale seniority"),
        help_text=_("36 for A groups, 24 for B, C and table 4."),
    )

    class Meta(EffectiveDated.Meta):
        verbose_name = _("salary group")
        verbose_name_plural = _("salary groups")
        ordering = ["table", "code"]

    def __str__(self):
        return self.name


class SalaryStep(EffectiveDated):
    """One step (bậc) of a salary group and its coefficient (hệ số lương), valid from a date
    with its legal basis: a new coefficient for a step is a new row (docs/rules.md §2.1)."""

    group = models.ForeignKey(SalaryGroup, models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(_("step"), validators=[MinValueValidator(1)])
    coefficient = models.DecimalField(_("coefficient"), **COEFFICIENT)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("salary step")
        verbose_name_plural = _("salary steps")
        ordering = ["group", "step", "valid_from"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(
                fields=["group", "step", "valid_from"], name="one_coefficient_per_step_and_date"
            ),
        ]

    def __str__(self):
        return f"{self.group.code} bậc {self.step}: {localized_coefficient(self.coefficient)}"


class Rank(EffectiveDated):
    """A civil-service rank (ngạch, code like 01.003) or a professional title of public
    employees (chức danh nghề nghiệp, code like V.07.05.15), placed in a salary group.
    Ranks are end-dated, never deleted.

    ``group`` is the group the rank is placed in today; a rank that moved group (cán sự, B
    before 1 July 2021 and A0 since) has one ``RankPlacement`` row per period, and a decision
    takes the group in force on its effective date (docs/rules.md §2.4)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=160)
    group = models.ForeignKey(
        SalaryGroup,
        models.PROTECT,
        related_name="ranks",
        verbose_name=_("salary group (today)"),
        help_text=_(
            "Earlier placements are listed below; a decision uses the group in force on "
            "its effective date."
        ),
    )

    class Meta(EffectiveDated.Meta):
        verbose_name = _("rank or professional title")
        verbose_name_plural = _("ranks and professional titles")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class RankPlacement(EffectiveDated):
    """The salary group a rank or title was placed in during a period (e.g. cán sự: B until
    30 June 2021, A0 from 1 July 2021 under TT 02/2021/TT-BNV; docs/rules.md §2.4)."""

    rank = models.ForeignKey(
        Rank, models.CASCADE, related_name="placements", verbose_name=_("rank or title")
    )
    group = models.ForeignKey(
        SalaryGroup, models.PROTECT, related_name="+", verbose_name=_("salary group")
    )

    class Meta(EffectiveDated.Meta):
        verbose_name = _("placement of a rank in a salary group")
        verbose_name_plural = _("placements of ranks in salary groups")
        ordering = ["rank", "valid_from"]
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.UniqueConstraint(
                fields=["rank", "valid_from"], name="one_rank_placement_per_date"
            ),
        ]

    def __str__(self):
        return f"{self.rank.code} → {self.group.code} ({self.valid_from:%d/%m/%Y})"
