"""Personnel tables: the org-unit tree, its lineage, unit-scoped grants, staff dossiers and
the access log."""

from personnel.models.access_log import AccessLogEntry
from personnel.models.dossier import (
    AnnualRating,
    Award,
    Certificate,
    Discipline,
    FamilyMember,
    Movement,
    NonCountingPeriod,
    Training,
    WorkHistory,
)
from personnel.models.export_job import ExportJob, ExportPart
from personnel.models.grants import GrantChange
from personnel.models.imports import ImportBatch, ImportRecord
from personnel.models.org import (
    LineageEvent,
    OrgUnit,
    OrgUnitGroupPermission,
    OrgUnitUserPermission,
)
from personnel.models.posts import COEFFICIENT, Rank, RankPlacement, SalaryGroup, SalaryStep
from personnel.models.reference import (
    DisciplineType,
    EthnicGroup,
    RatingLevel,
    Religion,
    StaffGroup,
)
from personnel.models.requests import (
    ChangeRequest,
    Document,
    Notification,
    NotificationSetting,
)
from personnel.models.staff import Staff

__all__ = [
    "COEFFICIENT",
    "Rank",
    "RankPlacement",
    "SalaryGroup",
    "SalaryStep",
    "AccessLogEntry",
    "AnnualRating",
    "ChangeRequest",
    "Document",
    "Notification",
    "NotificationSetting",
    "Award",
    "Certificate",
    "Discipline",
    "DisciplineType",
    "EthnicGroup",
    "ExportJob",
    "ExportPart",
    "FamilyMember",
    "GrantChange",
    "ImportBatch",
    "ImportRecord",
    "LineageEvent",
    "Movement",
    "NonCountingPeriod",
    "OrgUnit",
    "OrgUnitGroupPermission",
    "OrgUnitUserPermission",
    "RatingLevel",
    "Religion",
    "Staff",
    "StaffGroup",
    "Training",
    "WorkHistory",
]
