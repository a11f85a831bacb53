"""Reference lists used by staff records (loaded from ``fixtures/`` by ``load_reference``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrms.models import EffectiveDated


class ReferenceItem(EffectiveDated):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta(EffectiveDated.Meta):
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class EthnicGroup(ReferenceItem):
    """One of the 54 ethnic groups (danh mục dân tộc, QĐ 121-TCTK/PPCĐ 1979)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")


class Religion(ReferenceItem):
    """A religion recognised by the state, plus "none" (Luật Tín ngưỡng, tôn giáo 2016)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("religion")
        verbose_name_plural = _("religions")


class StaffGroup(models.TextChoices):
    """The two regimes of discipline and rating: cán bộ and công chức (Luật Cán bộ, công chức)
    and viên chức with contract staff (Luật Viên chức); docs/rules.md §4.2."""

    CADRES_AND_CIVIL_SERVANTS = "cb_cc", _("Cadres and civil servants")
    PUBLIC_EMPLOYEES = "vc", _("Public employees and contract staff")

    @classmethod
    def of_category(cls, category: str) -> "StaffGroup":
        """The regime of a staff category (``Staff.Category`` value)."""
        if category in ("public_employee", "contract"):
            return cls.PUBLIC_EMPLOYEES
        return cls.CADRES_AND_CIVIL_SERVANTS


class DisciplineType(ReferenceItem):
    """A form of discipline, with how many months it delays the next regular salary raise
    (NĐ 112/2020/NĐ-CP amended by NĐ 71/2023/NĐ-CP; delays: TT 08/2013/TT-BNV amended by
    TT 03/2021/TT-BNV). Each type belongs to one regime: a civil servant's reprimand and a public
    employee's reprimand are two types with different delays (docs/rules.md §4.2)."""

    AppliesTo = StaffGroup

    applies_to = models.CharField(_("applies to"), max_length=8, choices=StaffGroup.choices)
    raise_delay_months = models.PositiveSmallIntegerField(_("delay of the salary raise (months)"))

    class Meta(ReferenceItem.Meta):
        verbose_name = _("discipline type")
        verbose_name_plural = _("discipline types")


class RatingLevel(ReferenceItem):
    """An annual rating level (NĐ 90/2020/NĐ-CP amended by NĐ 48/2023/NĐ-CP; for civil servants
    from 2026 NĐ 335/2025/NĐ-CP), whether it counts as having completed duties for the
    salary-raise interval, and the delay it causes. A level is offered for the rating years its
    validity covers and to the categories it applies to (docs/rules.md §4.2)."""

    applies_to = models.CharField(
        _("applies to"),
        max_length=8,
        choices=StaffGroup.choices,
        blank=True,
        help_text=_("Empty: every category."),
    )
    counts_as_completed = models.BooleanField(_("counts as duties completed"), default=True)
    raise_delay_months = models.PositiveSmallIntegerField(
        _("delay of the salary raise (months)"), default=0
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
