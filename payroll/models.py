"""Salary scales, ranks and salary history (NĐ 204/2004/NĐ-CP and its amendments)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrms.models import EffectiveDated


class Rank(EffectiveDated):
    """A civil-service rank (ngạch, code like 01.003) or a professional title of public
    employees (chức danh nghề nghiệp, code like V.07.05.15), mapped to a salary group.
    Ranks are end-dated, never deleted."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=160)
    salary_group = models.CharField(
        _("salary group"), max_length=8, help_text=_("e.g. A1, A2.1, B (NĐ 204/2004).")
    )

    class Meta(EffectiveDated.Meta):
        verbose_name = _("rank or professional title")
        verbose_name_plural = _("ranks and professional titles")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"
