"""Personnel tables: the org-unit tree, its lineage, unit-scoped grants and staff records."""

from personnel.models.org import (
    LineageEvent,
    OrgUnit,
    OrgUnitGroupPermission,
    OrgUnitUserPermission,
)
from personnel.models.reference import EthnicGroup, Religion
from personnel.models.staff import Staff

__all__ = [
    "EthnicGroup",
    "Religion",
    "LineageEvent",
    "OrgUnit",
    "OrgUnitGroupPermission",
    "OrgUnitUserPermission",
    "Staff",
]
