"""The organisation tree: effective-dated units that are never deleted, and their lineage.

Units form a materialised-path tree (django-treebeard ``MP_Node``): a unit's ``path`` is a prefix of
every path below it, so "this unit and everything under it" is one indexed ``LIKE 'path%'``
query whatever the depth. Legal basis for the structure: QĐ 124/2004/QĐ-TTg (administrative
codes), Luật 72/2025/QH15 and NQ 202/2025/QH15 (two-tier local government from 1 July 2025),
QĐ 20/2020/QĐ-TTg amended by QĐ 09/2025/QĐ-TTg (electronic agency identifiers).
"""

import re
from functools import reduce
from operator import or_

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from personnel.validators import ADMIN_CODE_PATTERNS, validate_agency_code


class OrgUnitQuerySet(MP_NodeQuerySet):
    def under(self, *paths: str) -> "OrgUnitQuerySet":
        """The units at ``paths`` and every unit under them: the one subtree filter of the
        code (an indexed ``path LIKE 'X%'`` per path, whatever the depth)."""
        if not paths:
            return self.none()
        return self.filter(reduce(or_, (Q(path__startswith=path) for path in paths)))


class OrgUnitManager(MP_NodeManager):
    def get_queryset(self) -> OrgUnitQuerySet:
        return OrgUnitQuerySet(self.model).order_by("path")

    def under(self, *paths: str) -> OrgUnitQuerySet:
        return self.get_queryset().under(*paths)


class OrgUnit(MP_Node):
    """An organisation unit (đơn vị): a people's committee, department, agency, school, office…"""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District (before 1 July 2025)")
        COMMUNE = "commune", _("Commune")

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "committee", _("People's committee")
        DEPARTMENT = "department", _("Department")
        AGENCY = "agency", _("Agency")
        PUBLIC_SERVICE_UNIT = "public_service", _("Public-service unit")
        OFFICE = "office", _("Office")

    steplen = 3
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # 46,656 children per unit, 85 levels deep

    code = models.CharField(
        _("unit code"),
        max_length=32,
        unique=True,
        help_text=_("Short internal code used in imports, exports and commands, e.g. SGDDT."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    admin_code = models.CharField(
        _("administrative-unit code"),
        max_length=5,
        blank=True,
        help_text=_("2 digits for a province, 3 for a district, 5 for a commune (QĐ 124/2004)."),
    )
    agency_code = models.CharField(
        _("electronic agency identifier"),
        max_length=13,
        blank=True,
        validators=[validate_agency_code],
        help_text=_("Four groups, lowest level first, e.g. 000.00.00.H41 (QĐ 20/2020)."),
    )
    keeps_payroll = models.BooleanField(
        _("keeps its own payroll"),
        default=True,
        help_text=_(
            "This unit draws up its own payroll (đơn vị lập bảng lương). Staff of units under it "
            "that do not keep their own are on its list; the early-raise quota (a tenth of the "
            "staff) is counted per payroll list."
        ),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgUnitManager()

    node_order_by = []  # keep insertion order; re-sorting would rewrite sibling paths

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        indexes = [
            # Prefix searches (path LIKE 'X%') must use an index under any database collation.
            models.Index(
                fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(admin_code="")
                | Q(level="province", admin_code__regex=ADMIN_CODE_PATTERNS["province"])
                | Q(level="district", admin_code__regex=ADMIN_CODE_PATTERNS["district"])
                | Q(level="commune", admin_code__regex=ADMIN_CODE_PATTERNS["commune"]),
                name="orgunit_admin_code_by_level",
            ),
            models.UniqueConstraint(
                fields=["agency_code"],
                condition=~Q(agency_code=""),
                name="orgunit_agency_code_unique",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="orgunit_never_deleted", operation=pgtrigger.Delete),
        ]
        permissions = [
            ("view_unit_staff", _("Can view staff of the unit and units under it")),
            ("change_unit_staff", _("Can edit staff of the unit and units under it")),
            ("export_unit_staff", _("Can export staff of the unit and units under it")),
            ("view_unit_sensitive", _("Can reveal sensitive items of staff of the unit")),
            ("approve_unit_salary", _("Can approve salary decisions of staff of the unit")),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """Field rules with messages for the user; the database enforces the same constraints."""
        errors = {}
        if self.admin_code:
            pattern = ADMIN_CODE_PATTERNS.get(self.level)
            if pattern and not re.fullmatch(pattern, self.admin_code):
                digits = {"province": 2, "district": 3, "commune": 5}[self.level]
                errors["admin_code"] = _(
                    "The administrative-unit code of a %(level)s has %(digits)d digits."
                ) % {"level": self.get_level_display().lower(), "digits": digits}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end date must not be before the start date.")
        if (
            self.agency_code
            and OrgUnit.objects.filter(agency_code=self.agency_code).exclude(pk=self.pk).exists()
        ):
            errors["agency_code"] = _("Another unit already has this electronic agency identifier.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def parent_unit(self) -> "OrgUnit | None":
        """The unit directly above this one (None for the province)."""
        return OrgUnit.objects.get_parent(self)


pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    exclude=["path", "depth", "numchild", "created_at", "updated_at"],
    model_name="OrgUnitEvent",
)(OrgUnit)


class LineageEvent(models.Model):
    """A dated change to the organisation: establish, merge, split, rename, move or dissolve.

    ``sources`` are the units before the event and ``results`` the units after it (for a merge,
    several sources and one result; for a split, the reverse; for a rename or move, the same
    unit on both sides with the old and new name or parent kept on the event).
    """

    class Kind(models.TextChoices):
        ESTABLISH = "establish", _("Establish")
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        RENAME = "rename", _("Rename")
        MOVE = "move", _("Move")
        DISSOLVE = "dissolve", _("Dissolve")

    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    sources = models.ManyToManyField(
        OrgUnit, related_name="lineage_as_source", blank=True, verbose_name=_("units before")
    )
    results = models.ManyToManyField(
        OrgUnit, related_name="lineage_as_result", blank=True, verbose_name=_("units after")
    )
    old_name = models.CharField(_("old name"), max_length=255, blank=True)
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    old_parent = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("old parent"),
    )
    new_parent = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new parent"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lineage event")
        verbose_name_plural = _("lineage events")
        ordering = ["-effective_date", "-id"]
        indexes = [models.Index(fields=["effective_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y}"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="OrgUnitUserPermissionEvent",
)
class OrgUnitUserPermission(UserObjectPermissionBase):
    """A permission granted to a user on a unit (django-guardian, direct foreign key)."""

    content_object = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, verbose_name=_("unit"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("unit grant")
        verbose_name_plural = _("unit grants")

    def __str__(self):
        from personnel.people import display_name

        return _("%(user)s on %(unit)s: %(permission)s") % {
            "user": display_name(self.user),
            "unit": self.content_object,
            "permission": _(self.permission.name),
        }


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="OrgUnitGroupPermissionEvent",
)
class OrgUnitGroupPermission(GroupObjectPermissionBase):
    """A permission granted to a group on a unit (django-guardian, direct foreign key)."""

    content_object = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, verbose_name=_("unit"))

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("group unit grant")
        verbose_name_plural = _("group unit grants")
