"""The month's register of contributions (one row per participant) and its summary per reporting
unit, per fund, employee and employer (docs/rules.md §5.11)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from hrms.lib.db import ids
from insurance.models import InsuranceUnit
from insurance.rules.participation import Month
from insurance.selectors.contributions import (
    DECISIONS,
    FUNDS,
    OFFICE_FUNDS,
    PAYROLL,
    TOTALS,
    ContributionRow,
    MonthRows,
    month_rows,
    payslip_fund_totals,
)
from insurance.selectors.participants import Participation, participation_of, registrations
from payroll.rules.contributions import Fund
from personnel.models import OrgUnit

ZERO = Decimal(0)


@dataclass(slots=True)
class RegisterRow:
    staff_id: int
    full_name: str
    social_insurance_number: str
    personal_id: str
    sort_key: str
    unit_id: int
    reporting_unit_id: int
    row: ContributionRow | None
    problems: list[str] = field(default_factory=list)


@dataclass
class UnitSummary:
    """One reporting unit's month: people, contribution salaries, shares per fund."""

    unit: OrgUnit
    registration: InsuranceUnit | None
    headcount: int = 0
    salary: Decimal = ZERO
    base: Decimal = ZERO
    funds: dict[Fund, list[Decimal]] = field(default_factory=dict)  # fund → [employee, employer]
    back_employee: Decimal = ZERO
    back_employer: Decimal = ZERO
    sources: set[str] = field(default_factory=set)
    problems: int = 0

    @property
    def employee(self) -> Decimal:
        return sum((pair[0] for fund, pair in self.funds.items() if fund in OFFICE_FUNDS), ZERO)

    @property
    def employer(self) -> Decimal:
        return sum((pair[1] for fund, pair in self.funds.items() if fund in OFFICE_FUNDS), ZERO)

    @property
    def fund_rows(self) -> list[tuple[Fund, Decimal, Decimal]]:
        return [(fund, *self.funds[fund]) for fund in Fund if fund in self.funds]

    @property
    def computed_from_decisions(self) -> bool:
        return DECISIONS in self.sources


@dataclass
class Register:
    month: Month
    rows: list[RegisterRow]
    summaries: list[UnitSummary]

    @property
    def problems(self) -> list[RegisterRow]:
        return [row for row in self.rows if row.problems]


def missing_identifier(si_number: str, personal_id: str) -> bool:
    """Every row sent to the office needs a social-insurance number or a personal ID."""
    return not (si_number or personal_id)


_CARDS_SQL = """
SELECT id, full_name, social_insurance_number, personal_id, sort_key
FROM personnel_staff WHERE id = ANY(%s::bigint[])
"""


def staff_cards(staff_ids) -> dict[int, tuple]:
    """Name, social-insurance number, personal ID and sort key of these people (plain SQL: a
    province is 100,000 rows)."""
    with connection.cursor() as cursor:
        cursor.execute(_CARDS_SQL, [ids(staff_ids).literal])
        return {row[0]: row[1:] for row in cursor.fetchall()}


def register(
    *,
    month: Month,
    unit_ids: list[int] | None,
    participation: Participation | None = None,
    now: MonthRows | None = None,
    funds: bool = False,
) -> Register:
    """Everyone participating in ``month`` through ``unit_ids`` (everyone when None), with
    their contributions (each fund's shares per person with ``funds``), and the summary of each
    reporting unit per fund (``participation`` and the month's rows ``now`` may be passed in
    when already read)."""
    participation = participation or participation_of(month, unit_ids)
    scope = set(unit_ids) if unit_ids is not None else None
    places = {
        staff_id: place
        for staff_id, place in participation.now.items()
        if scope is None or place.unit_id in scope
    }
    found = now or month_rows(
        month,
        {staff_id: place.reporting_unit_id for staff_id, place in places.items()},
        all_locked=unit_ids is None,
        detail=FUNDS if funds else TOTALS,
    )
    from_payroll = {
        staff_id: place.reporting_unit_id
        for staff_id, place in places.items()
        if staff_id in found.rows and found.rows[staff_id].source == PAYROLL
    }
    fund_totals = payslip_fund_totals(month, from_payroll)
    cards = staff_cards(places)
    units = participation.units
    summaries: dict[int, UnitSummary] = {}
    registered = registrations({place.reporting_unit_id for place in places.values()})
    rows = []
    for staff_id, place in places.items():
        name, si_number, personal_id, sort_key = cards[staff_id]
        row = found.rows.get(staff_id)
        item = RegisterRow(
            staff_id, name, si_number, personal_id or "", sort_key, place.unit_id,
            place.reporting_unit_id, row,
        )  # fmt: skip
        if missing_identifier(si_number, personal_id):
            item.problems.append(_("no social-insurance number and no personal ID"))
        if row is None:
            item.problems.append(
                _("not in the locked payroll of the month")
                if staff_id in found.not_in_payroll
                else _("no contribution salary: no approved salary decision")
            )
        rows.append(item)
        unit_id = place.reporting_unit_id
        summary = summaries.get(unit_id)
        if summary is None:
            summary = summaries[unit_id] = UnitSummary(units[unit_id], registered.get(unit_id))
            for fund, pair in fund_totals.get(unit_id, {}).items():
                summary.funds[fund] = list(pair)
        summary.headcount += 1
        summary.problems += bool(item.problems)
        if row is None:
            continue
        summary.sources.add(row.source)
        summary.salary += row.insurance_salary
        summary.base += row.insurance_base
        if row.source != PAYROLL:  # the payslips' funds were summed in SQL
            for contribution in row.contributions:
                pair = summary.funds.setdefault(contribution.fund, [ZERO, ZERO])
                pair[0] += contribution.employee
                pair[1] += contribution.employer
        for contribution, _period in row.back:
            summary.back_employee += contribution.employee
            summary.back_employer += contribution.employer
    path = {unit_id: units[unit_id].path for unit_id in summaries}
    rows.sort(key=lambda r: (path[r.reporting_unit_id], r.sort_key, r.staff_id))
    return Register(
        month=month,
        rows=rows,
        summaries=sorted(summaries.values(), key=lambda s: s.unit.path),
    )
