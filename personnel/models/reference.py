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
