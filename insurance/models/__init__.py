"""Insurance tables: each person's insurance record and participation, the units' registration
with the insurance office, the change-list template and the imported office statements."""

from insurance.models.records import Absence, InsuranceProfile, ParticipationPeriod, PeriodsBuilt
from insurance.models.reports import ReportTemplate, StatementImport
from insurance.models.units import InsuranceUnit

__all__ = [
    "Absence",
    "InsuranceProfile",
    "InsuranceUnit",
    "ParticipationPeriod",
    "PeriodsBuilt",
    "ReportTemplate",
    "StatementImport",
]
