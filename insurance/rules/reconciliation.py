"""Comparing the month's contributions as we computed them with the insurance office's
statement (C12-TS), person by person (docs/rules.md §5.13).

Pure: no database, ``Decimal`` in and out. People are matched by social-insurance number, or by
personal ID when the number is missing on either side; amounts the statement does not give are
not compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Gap(StrEnum):
    """What differs for one person."""

    NOT_IN_STATEMENT = "not_in_statement"  # we declare them, the office does not list them
    NOT_OURS = "not_ours"  # the office lists them, we do not declare them this month
    SALARY = "salary"
    EMPLOYEE = "employee"
    EMPLOYER = "employer"
    TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Declared:
    """Our side for one person."""

    staff_id: int
    full_name: str
    social_insurance_number: str
    personal_id: str
    salary: Decimal
    employee: Decimal
    employer: Decimal


@dataclass(frozen=True, slots=True)
class Stated:
    """The office's side for one person (None: the statement has no such amount)."""

    full_name: str
    social_insurance_number: str
    personal_id: str
    salary: Decimal | None = None
    employee: Decimal | None = None
    employer: Decimal | None = None
    total: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Difference:
    gap: Gap
    full_name: str
    social_insurance_number: str
    personal_id: str
    ours: Decimal | None
    theirs: Decimal | None
    staff_id: int | None = None

    @property
    def amount(self) -> Decimal | None:
        """Theirs less ours, where both are known."""
        if self.ours is None or self.theirs is None:
            return None
        return self.theirs - self.ours


def reconcile(declared: Iterable[Declared], stated: Iterable[Stated]) -> list[Difference]:
    """Every difference between our rows and the statement's, person by person: people on one
    side only, then each amount the statement gives that differs from ours."""
    ours = list(declared)
    by_number = {row.social_insurance_number: row for row in ours if row.social_insurance_number}
    by_id = {row.personal_id: row for row in ours if row.personal_id}
    matched: set[int] = set()
    differences: list[Difference] = []
    for theirs in stated:
        row = (
            by_number.get(theirs.social_insurance_number)
            if theirs.social_insurance_number
            else None
        )
        if row is None and theirs.personal_id:
            row = by_id.get(theirs.personal_id)
        if row is None or row.staff_id in matched:
            differences.append(
                Difference(Gap.NOT_OURS, theirs.full_name, theirs.social_insurance_number,
                           theirs.personal_id, None, theirs.total or theirs.salary)
            )  # fmt: skip
            continue
        matched.add(row.staff_id)
        for gap, mine, stated_value in (
            (Gap.SALARY, row.salary, theirs.salary),
            (Gap.EMPLOYEE, row.employee, theirs.employee),
            (Gap.EMPLOYER, row.employer, theirs.employer),
            (Gap.TOTAL, row.employee + row.employer, theirs.total),
        ):
            if stated_value is not None and stated_value != mine:
                differences.append(
                    Difference(gap, row.full_name, row.social_insurance_number, row.personal_id,
                               mine, stated_value, row.staff_id)
                )  # fmt: skip
    for row in ours:
        if row.staff_id not in matched:
            differences.append(
                Difference(Gap.NOT_IN_STATEMENT, row.full_name, row.social_insurance_number,
                           row.personal_id, row.employee + row.employer, None, row.staff_id)
            )  # fmt: skip
    return differences
