"""The differences between an imported statement (C12-TS) and the month as we compute it, for
the statement's reporting unit (docs/rules.md §5.13)."""

from __future__ import annotations

from decimal import Decimal

from insurance.models import StatementImport
from insurance.rules.reconciliation import Declared, Difference, Stated, reconcile
from insurance.selectors.register import register
from insurance.services.participation import participation_refresh
from payroll.selectors.payroll_inputs import payroll_area


def _amount(text: str) -> Decimal | None:
    return Decimal(text) if text not in ("", None) else None


def statement_differences(statement: StatementImport) -> list[Difference]:
    """Person by person, what differs between the statement and our register of its month for
    its reporting unit."""
    area = list(payroll_area([statement.unit_id])) or [statement.unit_id]
    participation_refresh(unit_ids=area)
    found = register(month=statement.year * 100 + statement.month, unit_ids=area)
    declared = [
        Declared(
            staff_id=item.staff_id,
            full_name=item.full_name,
            social_insurance_number=item.social_insurance_number,
            personal_id=item.personal_id,
            salary=item.row.insurance_salary if item.row else Decimal(0),
            employee=item.row.employee if item.row else Decimal(0),
            employer=item.row.employer if item.row else Decimal(0),
        )
        for item in found.rows
        if item.reporting_unit_id == statement.unit_id
    ]
    stated = [
        Stated(
            full_name=name,
            social_insurance_number=si_number,
            personal_id=personal_id,
            salary=_amount(salary),
            employee=_amount(employee),
            employer=_amount(employer),
            total=_amount(total),
        )
        for si_number, personal_id, name, salary, employee, employer, total in statement.rows
    ]
    return reconcile(declared, stated)
